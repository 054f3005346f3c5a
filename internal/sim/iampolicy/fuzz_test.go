package iampolicy

import "testing"

// FuzzParse: no document makes Parse or ParseTrust panic, and whatever Parse accepts can be
// evaluated without panicking.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}}`,
		`{"Version":"2012-10-17","Statement":[{"Sid":"a1","Effect":"Deny","NotAction":["iam:*"],"NotResource":"arn:aws:s3:::b/${aws:username}/*"}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAllValues:StringLikeIfExists":{"aws:TagKeys":["a*",1,true]},"Null":{"k":"true"},"DateLessThan":{"aws:CurrentTime":"2030-01-01"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
		`{"Statement":`, `[]`, `null`, `{}`,
	} {
		f.Add(seed, "sqs:SendMessage", "arn:aws:sqs:us-east-1:000000000000:q")
	}
	f.Fuzz(func(t *testing.T, doc, action, resource string) {
		ParseTrust(doc)
		p, err := Parse(doc)
		if err != nil {
			if p != nil {
				t.Fatal("a policy and an error")
			}
			return
		}
		ctx := map[string]string{"aws:username": "bob", "aws:SourceIp": "10.1.2.3", "aws:CurrentTime": "2026-01-01T00:00:00Z", "k": resource}
		Explain([]*Policy{p}, action, resource, ctx)
	})
}
