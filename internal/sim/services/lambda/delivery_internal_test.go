package lambda

import "testing"

func TestArnLike(t *testing.T) {
	cases := []struct {
		pattern, arn string
		want         bool
	}{
		{"arn:aws:s3:::photos", "arn:aws:s3:::photos", true},
		{"arn:aws:s3:::photos", "arn:aws:s3:::photos2", false},
		{"arn:aws:s3:::photo*", "arn:aws:s3:::photos2", true},
		{"arn:aws:execute-api:us-east-1:000000000000:abc/*/GET/hello", "arn:aws:execute-api:us-east-1:000000000000:abc/prod/GET/hello", true},
		{"arn:aws:execute-api:us-east-1:000000000000:abc/*/*/*", "arn:aws:execute-api:us-east-1:000000000000:abc/prod/GET/a/b", true},
		{"arn:aws:execute-api:us-east-1:000000000000:abc/prod/GET/hello", "arn:aws:execute-api:us-east-1:000000000000:abc/dev/GET/hello", false},
		{"arn:aws:sns:*:000000000000:t?", "arn:aws:sns:eu-west-1:000000000000:t1", true},
		// A wildcard in one part never reaches into the next.
		{"arn:aws:sns:us-east-1*:t1", "arn:aws:sns:us-east-1:000000000000:t1", false},
		{"arn:aws:s3:::[a]", "arn:aws:s3:::a", false},
		{"not-an-arn", "arn:aws:s3:::a", false},
	}
	for _, c := range cases {
		if got := arnLike(c.pattern, c.arn); got != c.want {
			t.Errorf("arnLike(%q, %q) = %v, want %v", c.pattern, c.arn, got, c.want)
		}
	}
}

func TestStatementAllows(t *testing.T) {
	s3 := PolicyStatement{
		Effect: "Allow", Action: "lambda:InvokeFunction", Principal: map[string]any{"Service": "s3.amazonaws.com"},
		Condition: map[string]map[string]string{
			"ArnLike":      {"AWS:SourceArn": "arn:aws:s3:::media"},
			"StringEquals": {"AWS:SourceAccount": "000000000000"},
		},
	}
	cases := []struct {
		name                       string
		st                         PolicyStatement
		principal, source, account string
		want                       bool
	}{
		{"matching service, source and account", s3, "s3.amazonaws.com", "arn:aws:s3:::media", "000000000000", true},
		{"other principal", s3, "sns.amazonaws.com", "arn:aws:s3:::media", "000000000000", false},
		{"other source", s3, "s3.amazonaws.com", "arn:aws:s3:::other", "000000000000", false},
		{"other account", s3, "s3.amazonaws.com", "arn:aws:s3:::media", "111111111111", false},
		{"everyone", PolicyStatement{Effect: "Allow", Action: "lambda:InvokeFunction", Principal: "*"}, "sns.amazonaws.com", "x", "y", true},
		{"another action", PolicyStatement{Effect: "Allow", Action: "lambda:GetFunction", Principal: "*"}, "sns.amazonaws.com", "x", "y", false},
		{"a condition a service cannot meet", PolicyStatement{Effect: "Allow", Action: "lambda:InvokeFunction", Principal: "*",
			Condition: map[string]map[string]string{"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}}, "sns.amazonaws.com", "x", "y", false},
	}
	for _, c := range cases {
		if got := statementAllows(c.st, c.principal, c.source, c.account); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
