package iam

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

const (
	destQueue = "arn:aws:sqs:us-east-1:000000000000:dest"
	srcQueue  = "arn:aws:sqs:us-east-1:000000000000:src"
	topicARN  = "arn:aws:sns:us-east-1:000000000000:t"
)

// check calls Allowed and fails the test on an error; it returns the answer and the reason.
func (h *harness) check(t *testing.T, role, action, resource string) (bool, string) {
	t.Helper()
	ok, reason, err := h.svc.Allowed(ctx, role, action, resource)
	if err != nil {
		t.Fatalf("Allowed: %v", err)
	}
	if ok != (reason == "") {
		t.Fatalf("Allowed = %v with reason %q", ok, reason)
	}
	return ok, reason
}

// TestAllowed_inlinePolicy: an inline Allow grants exactly its action on its resource.
func TestAllowed_inlinePolicy(t *testing.T) {
	h := newHarness(t)
	role := h.createRole(t, "exec")
	if ok, reason := h.check(t, role, "sqs:SendMessage", destQueue); ok || reason != "the role "+role+" has no policy allowing sqs:SendMessage on "+destQueue {
		t.Fatalf("before any policy: %v %q", ok, reason)
	}
	h.putRolePolicy(t, "exec", "send", sendDoc)
	if ok, _ := h.check(t, role, "sqs:SendMessage", destQueue); !ok {
		t.Fatal("inline Allow not honoured")
	}
	if ok, _ := h.check(t, role, "SQS:sendmessage", destQueue); !ok {
		t.Fatal("action names are case-insensitive")
	}
	if ok, _ := h.check(t, role, "sqs:SendMessage", srcQueue); ok {
		t.Fatal("allowed on another queue")
	}
	if ok, _ := h.check(t, role, "sns:Publish", topicARN); ok {
		t.Fatal("allowed another action")
	}
	// Deleting the policy takes the permission away at once.
	if _, err := h.client.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("exec"), PolicyName: aws.String("send")}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := h.check(t, role, "sqs:SendMessage", destQueue); ok {
		t.Fatal("allowed after the policy was deleted")
	}
}

// TestAllowed_managedPolicies: the AWS managed execution-role policies grant the event-source
// actions of their service, on every resource; a customer managed policy grants its own.
func TestAllowed_managedPolicies(t *testing.T) {
	h := newHarness(t)
	role := h.createRole(t, "exec")
	poll := []string{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"}
	for _, a := range poll {
		if ok, _ := h.check(t, role, a, srcQueue); ok {
			t.Fatalf("%s allowed before the policy is attached", a)
		}
	}
	if _, err := h.client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("exec"), PolicyArn: aws.String(sqsExecution)}); err != nil {
		t.Fatal(err)
	}
	for _, a := range poll {
		if ok, reason := h.check(t, role, a, srcQueue); !ok {
			t.Fatalf("%s with AWSLambdaSQSQueueExecutionRole: %s", a, reason)
		}
	}
	if ok, _ := h.check(t, role, "sqs:SendMessage", destQueue); ok {
		t.Fatal("AWSLambdaSQSQueueExecutionRole does not grant SendMessage")
	}

	for policy, grants := range map[string][]string{
		"arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole":  {"kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:ListShards", "kinesis:ListStreams"},
		"arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole": {"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"},
		"arn:aws:iam::aws:policy/service-role/AWSLambdaRole":                  {"lambda:InvokeFunction"},
	} {
		name := policy[strings.LastIndexByte(policy, '/')+1:]
		r := h.createRole(t, name)
		if _, err := h.client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(name), PolicyArn: aws.String(policy)}); err != nil {
			t.Fatal(err)
		}
		for _, a := range grants {
			if ok, reason := h.check(t, r, a, "arn:aws:kinesis:us-east-1:000000000000:stream/s"); !ok {
				t.Errorf("%s with %s: %s", a, name, reason)
			}
		}
		if ok, _ := h.check(t, r, "sqs:SendMessage", destQueue); ok {
			t.Errorf("%s grants sqs:SendMessage", name)
		}
	}

	admin := h.createRole(t, "admin")
	if _, err := h.client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("admin"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := h.check(t, admin, "events:PutEvents", "arn:aws:events:us-east-1:000000000000:event-bus/default"); !ok {
		t.Fatal("AdministratorAccess does not allow everything")
	}

	custom, err := h.client.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("publish"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sns:Publish","Resource":"arn:aws:sns:*:*:t"}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("exec"), PolicyArn: custom.Policy.Arn}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := h.check(t, role, "sns:Publish", topicARN); !ok {
		t.Fatal("customer managed policy not honoured")
	}
	if _, err := h.client.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("exec"), PolicyArn: custom.Policy.Arn}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := h.check(t, role, "sns:Publish", topicARN); ok {
		t.Fatal("allowed after detaching")
	}
}

// TestAllowed_explicitDenyBeatsAllow: a Deny anywhere wins over AdministratorAccess, and the
// reason names the statement.
func TestAllowed_explicitDenyBeatsAllow(t *testing.T) {
	h := newHarness(t)
	role := h.createRole(t, "exec")
	if _, err := h.client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("exec"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}); err != nil {
		t.Fatal(err)
	}
	h.putRolePolicy(t, "exec", "guard", `{"Version":"2012-10-17","Statement":[{"Sid":"NoDest","Effect":"Deny","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:*:dest"}]}`)
	ok, reason := h.check(t, role, "sqs:SendMessage", destQueue)
	if ok || reason != "the inline policy guard (statement NoDest) of role "+role+" explicitly denies sqs:SendMessage on "+destQueue {
		t.Fatalf("%v %q", ok, reason)
	}
	if ok, _ := h.check(t, role, "sqs:SendMessage", srcQueue); !ok {
		t.Fatal("the Deny reached another queue")
	}
}

// TestAllowed_wildcardResources: wildcards in Resource, part by part.
func TestAllowed_wildcardResources(t *testing.T) {
	h := newHarness(t)
	role := h.createRole(t, "exec")
	h.putRolePolicy(t, "exec", "p", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:000000000000:dest-*"},
		{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:*:*:function:worker*"},
		{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::results/*"}]}`)
	for _, tc := range []struct {
		action, resource string
		want             bool
	}{
		{"sqs:SendMessage", "arn:aws:sqs:us-east-1:000000000000:dest-1", true},
		{"sqs:SendMessage", "arn:aws:sqs:us-east-1:000000000000:dest", false},
		{"sqs:SendMessage", "arn:aws:sqs:us-west-2:000000000000:dest-1", false},
		{"lambda:InvokeFunction", "arn:aws:lambda:us-east-1:000000000000:function:worker", true},
		{"lambda:InvokeFunction", "arn:aws:lambda:eu-west-1:111111111111:function:worker:live", true},
		{"lambda:InvokeFunction", "arn:aws:lambda:us-east-1:000000000000:function:other", false},
		{"s3:PutObject", "arn:aws:s3:::results/2026/11/29/x.json", true},
		{"s3:PutObject", "arn:aws:s3:::results", false},
	} {
		if ok, _ := h.check(t, role, tc.action, tc.resource); ok != tc.want {
			t.Errorf("%s on %s = %v, want %v", tc.action, tc.resource, ok, tc.want)
		}
	}
}

// TestAllowed_conditions: conditions see the request context the simulator fills and the keys
// the caller adds.
func TestAllowed_conditions(t *testing.T) {
	h := newHarness(t)
	role := h.createRole(t, "exec")
	h.putRolePolicy(t, "exec", "p", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"},"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::000000000000:role/ex*"}}},
		{"Effect":"Allow","Action":"sns:Publish","Resource":"*","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:lambda:us-east-1:000000000000:function:f"}}},
		{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2026-06-01T00:00:00Z"}}}]}`)
	if ok, reason := h.check(t, role, "sqs:SendMessage", destQueue); !ok {
		t.Fatalf("us-east-1 queue: %s", reason)
	}
	if ok, _ := h.check(t, role, "sqs:SendMessage", "arn:aws:sqs:eu-west-1:000000000000:dest"); ok {
		t.Fatal("eu-west-1 queue allowed")
	}
	if ok, _ := h.check(t, role, "sns:Publish", topicARN); ok {
		t.Fatal("allowed without aws:SourceArn")
	}
	ok, _, err := h.svc.AllowedWithContext(ctx, role, "sns:Publish", topicARN, map[string]string{"aws:SourceArn": "arn:aws:lambda:us-east-1:000000000000:function:f"})
	if err != nil || !ok {
		t.Fatalf("with aws:SourceArn: %v %v", ok, err)
	}
	// aws:CurrentTime comes from the clock: past June the Deny applies.
	h.clk.Advance(120 * 24 * 3600e9)
	if ok, _ := h.check(t, role, "sqs:SendMessage", destQueue); ok {
		t.Fatal("the dated Deny did not apply")
	}
}

// TestAllowed_missingRoleAndRelax: a role that does not exist is a denial with a reason; with
// RelaxRoleChecks it is allowed, while roles that exist are still evaluated.
func TestAllowed_missingRoleAndRelax(t *testing.T) {
	ghost := "arn:aws:iam::000000000000:role/ghost"
	h := newHarness(t)
	ok, reason := h.check(t, ghost, "sqs:SendMessage", destQueue)
	if ok || !strings.Contains(reason, "the role "+ghost+" does not exist") {
		t.Fatalf("missing role: %v %q", ok, reason)
	}
	for _, arn := range []string{
		"arn:aws:iam::111111111111:role/exec",            // another account
		"arn:aws:iam::000000000000:role/other-path/exec", // the name under another path
		"arn:aws:iam::000000000000:user/exec",            // not a role
		"not an arn",
	} {
		h.createRole(t, "exec")
		if ok, _ := h.check(t, arn, "sqs:SendMessage", destQueue); ok {
			t.Errorf("%s allowed", arn)
		}
		h.client.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("exec")})
	}

	r := newHarness(t, withRelax())
	if ok, reason := r.check(t, ghost, "sqs:SendMessage", destQueue); !ok {
		t.Fatalf("relaxed, missing role denied: %s", reason)
	}
	role := r.createRole(t, "modelled")
	if ok, _ := r.check(t, role, "sqs:SendMessage", destQueue); ok {
		t.Fatal("relaxed, but an existing role without policy was allowed")
	}
	r.putRolePolicy(t, "modelled", "p", sendDoc)
	if ok, _ := r.check(t, role, "sqs:SendMessage", destQueue); !ok {
		t.Fatal("relaxed, existing role with a policy denied")
	}
}
