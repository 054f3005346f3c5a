package iampolicy

import (
	"strings"
	"testing"
)

const (
	queue = "arn:aws:sqs:us-east-1:000000000000:q"
	topic = "arn:aws:sns:us-east-1:000000000000:t"
)

func mustParse(t *testing.T, doc string) *Policy {
	t.Helper()
	p, err := Parse(doc)
	if err != nil {
		t.Fatalf("Parse(%s): %v", doc, err)
	}
	return p
}

// stmt builds a one-statement 2012-10-17 policy from the statement's members.
func stmt(members string) string {
	return `{"Version":"2012-10-17","Statement":[{` + members + `}]}`
}

// TestEvaluate is the evaluation table: each row one request against a set of policies, the
// cases drawn from the IAM User Guide ("Policy evaluation logic", "IAM JSON policy elements:
// Action, NotAction, Resource, NotResource, Condition operators").
func TestEvaluate(t *testing.T) {
	allowAll := stmt(`"Effect":"Allow","Action":"*","Resource":"*"`)
	cases := []struct {
		name     string
		policies []string
		action   string
		resource string
		ctx      map[string]string
		want     Decision
	}{
		// Default and the Allow/Deny order.
		{"no policies", nil, "sqs:SendMessage", queue, nil, ImplicitDeny},
		{"allow all", []string{allowAll}, "sqs:SendMessage", queue, nil, Allow},
		{"other action", []string{stmt(`"Effect":"Allow","Action":"sqs:ReceiveMessage","Resource":"*"`)}, "sqs:SendMessage", queue, nil, ImplicitDeny},
		{"deny beats allow, same policy", []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"sqs:SendMessage","Resource":"*"}]}`}, "sqs:SendMessage", queue, nil, ExplicitDeny},
		{"deny beats allow, other policy", []string{allowAll, stmt(`"Effect":"Deny","Action":"sqs:*","Resource":"` + queue + `"`)}, "sqs:SendMessage", queue, nil, ExplicitDeny},
		{"deny elsewhere", []string{allowAll, stmt(`"Effect":"Deny","Action":"sqs:*","Resource":"arn:aws:sqs:us-east-1:000000000000:other"`)}, "sqs:SendMessage", queue, nil, Allow},
		{"deny alone is still deny", []string{stmt(`"Effect":"Deny","Action":"sns:Publish","Resource":"*"`)}, "sns:Publish", topic, nil, ExplicitDeny},

		// Action: case-insensitive, wildcards.
		{"action case", []string{stmt(`"Effect":"Allow","Action":"SQS:sendmessage","Resource":"*"`)}, "sqs:SendMessage", queue, nil, Allow},
		{"action service wildcard", []string{stmt(`"Effect":"Allow","Action":"sqs:*","Resource":"*"`)}, "sqs:SendMessage", queue, nil, Allow},
		{"action prefix wildcard", []string{stmt(`"Effect":"Allow","Action":"sqs:Send*","Resource":"*"`)}, "sqs:SendMessage", queue, nil, Allow},
		{"action ? wildcard", []string{stmt(`"Effect":"Allow","Action":"sqs:?endMessage","Resource":"*"`)}, "sqs:SendMessage", queue, nil, Allow},
		{"action ? is one char", []string{stmt(`"Effect":"Allow","Action":"sqs:?Message","Resource":"*"`)}, "sqs:SendMessage", queue, nil, ImplicitDeny},
		{"action other service", []string{stmt(`"Effect":"Allow","Action":"sns:*","Resource":"*"`)}, "sqs:SendMessage", queue, nil, ImplicitDeny},
		{"action list", []string{stmt(`"Effect":"Allow","Action":["sns:Publish","sqs:SendMessage"],"Resource":"*"`)}, "sqs:SendMessage", queue, nil, Allow},
		{"NotAction allows the rest", []string{stmt(`"Effect":"Allow","NotAction":"iam:*","Resource":"*"`)}, "sqs:SendMessage", queue, nil, Allow},
		{"NotAction excludes", []string{stmt(`"Effect":"Allow","NotAction":"iam:*","Resource":"*"`)}, "iam:CreateRole", "arn:aws:iam::000000000000:role/r", nil, ImplicitDeny},
		{"Deny NotAction denies the rest", []string{allowAll, stmt(`"Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*"`)}, "sqs:SendMessage", queue, nil, ExplicitDeny},
		{"Deny NotAction spares listed", []string{allowAll, stmt(`"Effect":"Deny","NotAction":["iam:*"],"Resource":"*"`)}, "iam:GetRole", "arn:aws:iam::000000000000:role/r", nil, Allow},
		{"empty action list matches nothing", []string{stmt(`"Effect":"Allow","Action":[],"Resource":"*"`)}, "sqs:SendMessage", queue, nil, ImplicitDeny},

		// Resource: ARN part by part.
		{"exact resource", []string{stmt(`"Effect":"Allow","Action":"sqs:SendMessage","Resource":"` + queue + `"`)}, "sqs:SendMessage", queue, nil, Allow},
		{"resource is case-sensitive", []string{stmt(`"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:000000000000:Q"`)}, "sqs:SendMessage", queue, nil, ImplicitDeny},
		{"region and account wildcards", []string{stmt(`"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:*:q"`)}, "sqs:SendMessage", queue, nil, Allow},
		{"resource name wildcard", []string{stmt(`"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:000000000000:*"`)}, "sqs:SendMessage", queue, nil, Allow},
		{"other account", []string{stmt(`"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:111111111111:*"`)}, "sqs:SendMessage", queue, nil, ImplicitDeny},
		{"other region", []string{stmt(`"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:eu-west-1:*:*"`)}, "sqs:SendMessage", queue, nil, ImplicitDeny},
		{"wildcard stays in its part", []string{stmt(`"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:q"`)}, "sqs:SendMessage", queue, nil, ImplicitDeny},
		{"resource part spans slashes", []string{stmt(`"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::bucket/*"`)}, "s3:PutObject", "arn:aws:s3:::bucket/a/b.json", nil, Allow},
		{"bucket is not its objects", []string{stmt(`"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::bucket"`)}, "s3:PutObject", "arn:aws:s3:::bucket/a", nil, ImplicitDeny},
		{"resource part spans colons", []string{stmt(`"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:*:*:function:f*"`)}, "lambda:InvokeFunction", "arn:aws:lambda:us-east-1:000000000000:function:f:prod", nil, Allow},
		{"function ARN without qualifier wildcard", []string{stmt(`"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:000000000000:function:f"`)}, "lambda:InvokeFunction", "arn:aws:lambda:us-east-1:000000000000:function:f:prod", nil, ImplicitDeny},
		{"? in resource", []string{stmt(`"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:000000000000:?"`)}, "sqs:SendMessage", queue, nil, Allow},
		{"NotResource", []string{stmt(`"Effect":"Allow","Action":"sqs:*","NotResource":"arn:aws:sqs:*:*:secret"`)}, "sqs:SendMessage", queue, nil, Allow},
		{"NotResource excludes", []string{stmt(`"Effect":"Allow","Action":"sqs:*","NotResource":"arn:aws:sqs:*:*:q"`)}, "sqs:SendMessage", queue, nil, ImplicitDeny},
		{"resource list", []string{stmt(`"Effect":"Allow","Action":"sqs:*","Resource":["arn:aws:sqs:*:*:a","arn:aws:sqs:*:*:q"]`)}, "sqs:SendMessage", queue, nil, Allow},
		{"logs wildcard ARN", []string{stmt(`"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"arn:aws:logs:*:*:*"`)}, "logs:PutLogEvents", "arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/f:log-stream:s", nil, Allow},

		// Conditions.
		{"StringEquals holds", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"000000000000"}}`)}, "sqs:SendMessage", queue, map[string]string{"aws:SourceAccount": "000000000000"}, Allow},
		{"StringEquals is case-sensitive", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":"Value"}}`)}, "sqs:SendMessage", queue, map[string]string{"k": "value"}, ImplicitDeny},
		{"condition key is case-insensitive", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"AWS:SOURCEACCOUNT":"1"}}`)}, "sqs:SendMessage", queue, map[string]string{"aws:SourceAccount": "1"}, Allow},
		{"StringEquals missing key is false", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"1"}}`)}, "sqs:SendMessage", queue, nil, ImplicitDeny},
		{"values are ORed", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":["a","b"]}}`)}, "sqs:SendMessage", queue, map[string]string{"k": "b"}, Allow},
		{"keys are ANDed", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":"a","j":"b"}}`)}, "sqs:SendMessage", queue, map[string]string{"k": "a", "j": "c"}, ImplicitDeny},
		{"operators are ANDed", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":"a"},"StringLike":{"j":"b*"}}`)}, "sqs:SendMessage", queue, map[string]string{"k": "a", "j": "bc"}, Allow},
		{"StringNotEquals missing key is true", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"k":"a"}}`)}, "sqs:SendMessage", queue, nil, Allow},
		{"StringNotEquals any of the values", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"k":["a","b"]}}`)}, "sqs:SendMessage", queue, map[string]string{"k": "b"}, ImplicitDeny},
		{"StringEquals star is literal", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":"a*"}}`)}, "sqs:SendMessage", queue, map[string]string{"k": "a*"}, Allow},
		{"StringEquals star is not a wildcard", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":"a*"}}`)}, "sqs:SendMessage", queue, map[string]string{"k": "ab"}, ImplicitDeny},
		{"StringLike star in value", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringLike":{"k":"a*"}}`)}, "sqs:SendMessage", queue, map[string]string{"k": "a*b"}, Allow},
		{"StringEqualsIgnoreCase", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualsIgnoreCase":{"k":"VALUE"}}`)}, "sqs:SendMessage", queue, map[string]string{"k": "value"}, Allow},
		{"StringLike", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringLike":{"k":"pre*-?"}}`)}, "sqs:SendMessage", queue, map[string]string{"k": "prefix-1"}, Allow},
		{"StringNotLike", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringNotLike":{"k":"pre*"}}`)}, "sqs:SendMessage", queue, map[string]string{"k": "prefix"}, ImplicitDeny},
		{"IfExists with key absent", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualsIfExists":{"k":"a"}}`)}, "sqs:SendMessage", queue, nil, Allow},
		{"IfExists with key present", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualsIfExists":{"k":"a"}}`)}, "sqs:SendMessage", queue, map[string]string{"k": "b"}, ImplicitDeny},
		{"Null true: absent", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Null":{"k":"true"}}`)}, "sqs:SendMessage", queue, nil, Allow},
		{"Null true: present", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Null":{"k":"true"}}`)}, "sqs:SendMessage", queue, map[string]string{"k": "x"}, ImplicitDeny},
		{"Null false: present", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Null":{"k":false}}`)}, "sqs:SendMessage", queue, map[string]string{"k": "x"}, Allow},
		{"Bool", []string{stmt(`"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}`), allowAll}, "sqs:SendMessage", queue, map[string]string{"aws:SecureTransport": "true"}, Allow},
		{"Bool denies", []string{stmt(`"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":false}}`), allowAll}, "sqs:SendMessage", queue, map[string]string{"aws:SecureTransport": "false"}, ExplicitDeny},
		{"ArnLike", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:000000000000:*"}}`)}, "sqs:SendMessage", queue, map[string]string{"aws:SourceArn": topic}, Allow},
		{"ArnEquals takes wildcards too", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:000000000000:?"}}`)}, "sqs:SendMessage", queue, map[string]string{"aws:SourceArn": topic}, Allow},
		{"ArnLike other account", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111111111111:*"}}`)}, "sqs:SendMessage", queue, map[string]string{"aws:SourceArn": topic}, ImplicitDeny},
		{"ArnNotLike missing key is true", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ArnNotLike":{"aws:SourceArn":"arn:aws:sns:*:*:*"}}`)}, "sqs:SendMessage", queue, nil, Allow},
		{"NumericLessThan", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"n":10}}`)}, "sqs:SendMessage", queue, map[string]string{"n": "9.5"}, Allow},
		{"NumericLessThan fails", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"n":"10"}}`)}, "sqs:SendMessage", queue, map[string]string{"n": "10"}, ImplicitDeny},
		{"NumericGreaterThanEquals", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericGreaterThanEquals":{"n":"10"}}`)}, "sqs:SendMessage", queue, map[string]string{"n": "10"}, Allow},
		{"Numeric not a number", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericEquals":{"n":"10"}}`)}, "sqs:SendMessage", queue, map[string]string{"n": "ten"}, ImplicitDeny},
		{"DateLessThan", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}`)}, "sqs:SendMessage", queue, map[string]string{"aws:CurrentTime": "2026-11-29T12:00:00Z"}, Allow},
		{"DateGreaterThan epoch", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateGreaterThan":{"aws:EpochTime":"1893456000"}}`)}, "sqs:SendMessage", queue, map[string]string{"aws:EpochTime": "1800000000"}, ImplicitDeny},
		{"IpAddress", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`)}, "sqs:SendMessage", queue, map[string]string{"aws:SourceIp": "203.0.113.7"}, Allow},
		{"NotIpAddress", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]}}`)}, "sqs:SendMessage", queue, map[string]string{"aws:SourceIp": "2001:db8::1"}, ImplicitDeny},
		{"ForAllValues missing key is true", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["a"]}}`)}, "sqs:SendMessage", queue, nil, Allow},
		{"ForAnyValue missing key is false", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["a"]}}`)}, "sqs:SendMessage", queue, nil, ImplicitDeny},
		{"ForAnyValue present", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":["a*"]}}`)}, "sqs:SendMessage", queue, map[string]string{"aws:TagKeys": "ab"}, Allow},

		// Policy variables (2012-10-17 only).
		{"variable in resource", []string{stmt(`"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/${aws:username}/*"`)}, "s3:PutObject", "arn:aws:s3:::b/bob/x", map[string]string{"aws:username": "bob"}, Allow},
		{"variable other value", []string{stmt(`"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/${aws:username}/*"`)}, "s3:PutObject", "arn:aws:s3:::b/bob/x", map[string]string{"aws:username": "eve"}, ImplicitDeny},
		{"variable missing", []string{stmt(`"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/${aws:username}/*"`)}, "s3:PutObject", "arn:aws:s3:::b/bob/x", nil, ImplicitDeny},
		{"variable default", []string{stmt(`"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/${aws:username, 'bob'}/*"`)}, "s3:PutObject", "arn:aws:s3:::b/bob/x", nil, Allow},
		{"escaped star is literal", []string{stmt(`"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/${*}"`)}, "s3:PutObject", "arn:aws:s3:::b/anything", nil, ImplicitDeny},
		{"legacy version has no variables", []string{`{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}]}`}, "s3:PutObject", "arn:aws:s3:::b/bob/x", map[string]string{"aws:username": "bob"}, ImplicitDeny},
		{"variable in condition", []string{stmt(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":"${aws:username}"}}`)}, "sqs:SendMessage", queue, map[string]string{"aws:username": "bob", "k": "bob"}, Allow},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var ps []*Policy
			for _, d := range tc.policies {
				ps = append(ps, mustParse(t, d))
			}
			if got := Evaluate(ps, tc.action, tc.resource, tc.ctx); got != tc.want {
				t.Fatalf("Evaluate(%s on %s) = %v, want %v", tc.action, tc.resource, got, tc.want)
			}
		})
	}
}

// TestExplain names the statement that decided: the Deny over an earlier Allow.
func TestExplain(t *testing.T) {
	a := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Sid":"AllowAll","Effect":"Allow","Action":"*","Resource":"*"}]}`)
	a.Name = "allow"
	d := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Sid":"Other","Effect":"Deny","Action":"sns:*","Resource":"*"},{"Sid":"NoSend","Effect":"Deny","Action":"sqs:SendMessage","Resource":"*"}]}`)
	d.Name = "deny"
	dec, m := Explain([]*Policy{a, d}, "sqs:SendMessage", queue, nil)
	if dec != ExplicitDeny || m == nil || m.Policy.Name != "deny" || m.Sid != "NoSend" || m.Statement != 1 {
		t.Fatalf("Explain = %v %+v", dec, m)
	}
	dec, m = Explain([]*Policy{a, d}, "sqs:ReceiveMessage", queue, nil)
	if dec != Allow || m.Policy.Name != "allow" || m.Sid != "AllowAll" {
		t.Fatalf("Explain = %v %+v", dec, m)
	}
	if dec, m = Explain(nil, "sqs:SendMessage", queue, nil); dec != ImplicitDeny || m != nil {
		t.Fatalf("Explain(nil) = %v %+v", dec, m)
	}
	for d, s := range map[Decision]string{Allow: "Allow", ExplicitDeny: "ExplicitDeny", ImplicitDeny: "ImplicitDeny"} {
		if d.String() != s {
			t.Errorf("%d.String() = %q", d, d.String())
		}
	}
}

// TestWildcard checks the glob matcher on its own, including backtracking.
func TestWildcard(t *testing.T) {
	for _, tc := range []struct {
		p, s string
		want bool
	}{
		{"", "", true}, {"*", "", true}, {"", "a", false}, {"a*b*c", "aXbYc", true}, {"a*b*c", "aXbYcZ", false},
		{"*a", "bba", true}, {"a?c", "abc", true}, {"a?c", "ac", false}, {"**", "x", true}, {"*x*", "abxcd", true},
		{"a*", strings.Repeat("a", 1000), true}, {"*ab", strings.Repeat("a", 1000), false},
	} {
		if got := wildcard(tc.p, tc.s); got != tc.want {
			t.Errorf("wildcard(%q, %q) = %v", tc.p, tc.s, got)
		}
	}
}
