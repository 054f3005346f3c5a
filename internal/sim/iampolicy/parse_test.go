package iampolicy

import (
	"errors"
	"testing"
)

// TestParse_accepts: documents shaped like the IAM User Guide's examples ("IAM JSON policy
// element reference") parse, with Statement as an object or a list.
func TestParse_accepts(t *testing.T) {
	for name, doc := range map[string]string{
		"statement object":   `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}}`,
		"statement list":     `{"Version":"2012-10-17","Statement":[{"Sid":"1","Effect":"Allow","Action":["sqs:SendMessage","sns:Publish"],"Resource":["arn:aws:sqs:*:*:q"]}]}`,
		"no version":         `{"Statement":[{"Effect":"Deny","NotAction":"iam:*","NotResource":"arn:aws:iam::*:role/x"}]}`,
		"legacy version":     `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
		"id":                 `{"Version":"2012-10-17","Id":"abc","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
		"conditions":         `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":["1","2"]},"Bool":{"aws:SecureTransport":true},"NumericLessThan":{"s3:max-keys":10},"ForAnyValue:StringLike":{"aws:TagKeys":"a*"},"StringEqualsIfExists":{"k":"v"},"Null":{"k":"true"}}}]}`,
		"empty action list":  `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[],"Resource":"*"}]}`,
		"action wildcards":   `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s?s:*Message*","*"],"Resource":"*"}]}`,
		"whitespace outside": " \n{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}\n ",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Parse(doc); err != nil {
				t.Fatalf("Parse: %v", err)
			}
		})
	}
}

// TestParse_refuses: what IAM answers MalformedPolicyDocument to, with its text.
func TestParse_refuses(t *testing.T) {
	for name, tc := range map[string]struct{ doc, msg string }{
		"not json":         {`{"Statement":`, msgSyntax},
		"not an object":    {`["Statement"]`, msgSyntax},
		"trailing text":    {`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}} x`, msgSyntax},
		"unknown top key":  {`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"},"Foo":1}`, msgSyntax},
		"no statement":     {`{"Version":"2012-10-17"}`, msgSyntax},
		"statement string": {`{"Statement":"x"}`, msgSyntax},
		"bad version":      {`{"Version":"2012-10-18","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, msgVersion},
		"lowercase effect": {`{"Statement":{"Effect":"allow","Action":"*","Resource":"*"}}`, msgSyntax},
		"no effect":        {`{"Statement":{"Action":"*","Resource":"*"}}`, msgSyntax},
		"unknown element":  {`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Actions":"x"}}`, msgSyntax},
		"no action":        {`{"Statement":{"Effect":"Allow","Resource":"*"}}`, msgNoActions},
		"action+notaction": {`{"Statement":{"Effect":"Allow","Action":"*","NotAction":"*","Resource":"*"}}`, msgSyntax},
		"no resource":      {`{"Statement":{"Effect":"Allow","Action":"*"}}`, msgNoResources},
		"res+notres":       {`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"*"}}`, msgSyntax},
		"no vendor":        {`{"Statement":{"Effect":"Allow","Action":"SendMessage","Resource":"*"}}`, msgVendor},
		"two colons":       {`{"Statement":{"Effect":"Allow","Action":"sqs:a:b","Resource":"*"}}`, msgOneColon},
		"bad vendor":       {`{"Statement":{"Effect":"Allow","Action":"s q:a","Resource":"*"}}`, "Vendor s q is not valid"},
		"resource not arn": {`{"Statement":{"Effect":"Allow","Action":"*","Resource":"my-queue"}}`, `Resource my-queue must be in ARN format or "*".`},
		"principal":        {`{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}`, msgPrincipal},
		"duplicate sid":    {`{"Statement":[{"Sid":"a","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"a","Effect":"Deny","Action":"*","Resource":"*"}]}`, msgSidUnique},
		"sid not alnum":    {`{"Statement":{"Sid":"a-b","Effect":"Allow","Action":"*","Resource":"*"}}`, msgSidAlnum},
		"unknown operator": {`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualz":{"k":"v"}}}}`, msgSyntax},
		// A condition key where the operator belongs: IAM answers "Syntax errors in policy."
		// (aws-cloudformation/cfn-lint#3751 quotes the answer).
		"key without operator": {`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"servicecatalog:accountLevel":"self"}}}`, msgSyntax},
		"unknown qualifier":    {`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForSome:StringEquals":{"k":"v"}}}}`, msgSyntax},
		"condition value":      {`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":{"x":1}}}}}`, msgSyntax},
		"condition list":       {`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":[]}}`, msgSyntax},
		"action number":        {`{"Statement":{"Effect":"Allow","Action":5,"Resource":"*"}}`, msgSyntax},
		"action list mixed":    {`{"Statement":{"Effect":"Allow","Action":["a:b",1],"Resource":"*"}}`, msgSyntax},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse(tc.doc)
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Parse accepted it (err %v)", err)
			}
			if pe.Message != tc.msg {
				t.Fatalf("message %q, want %q", pe.Message, tc.msg)
			}
		})
	}
}

// TestParseTrust: a role trust policy names a Principal and no Resource.
func TestParseTrust(t *testing.T) {
	ok := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	if _, err := ParseTrust(ok); err != nil {
		t.Fatalf("ParseTrust: %v", err)
	}
	for doc, msg := range map[string]string{
		`{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}`:                                                       msgMissingPrinc,
		`{"Statement":[{"Effect":"Allow","Principal":{"Service":"x"},"Action":"sts:AssumeRole","Resource":"*"}]}`:            msgProhibitedRes,
		`{"Statement":[{"Effect":"Allow","Principal":{"Users":"x"},"Action":"sts:AssumeRole"}]}`:                             "Invalid principal in policy",
		`{"Statement":[{"Effect":"Allow","Principal":"root","Action":"sts:AssumeRole"}]}`:                                    "Invalid principal in policy",
		`{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::1:root",2]},"Action":"sts:AssumeRole"}]}`:         msgSyntax,
		`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:root"},"Action":"AssumeRole"}]}`:                 msgVendor,
		`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:root"},"Action":"sts:AssumeRole","Foo":"bar"}]}`: msgSyntax,
	} {
		_, err := ParseTrust(doc)
		var pe *Error
		if !errors.As(err, &pe) || pe.Message != msg {
			t.Errorf("ParseTrust(%s) = %v, want %q", doc, err, msg)
		}
	}
}
