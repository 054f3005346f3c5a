package iam

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// TestIAM_restart: roles, inline policies, customer managed policies and attachments survive
// closing the service and the store, and Allowed answers the same after reopening.
func TestIAM_restart(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, withStore(st))
	role := h.createRole(t, "exec")
	h.putRolePolicy(t, "exec", "send", sendDoc)
	pol, err := h.client.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("publish"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sns:Publish","Resource":"*"}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	for _, arn := range []string{aws.ToString(pol.Policy.Arn), sqsExecution} {
		if _, err := h.client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("exec"), PolicyArn: aws.String(arn)}); err != nil {
			t.Fatal(err)
		}
	}
	before, err := h.client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("exec")})
	if err != nil {
		t.Fatal(err)
	}
	h.stop()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st, err = store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h2 := newHarness(t, withStore(st))
	after, err := h2.client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("exec")})
	if err != nil || aws.ToString(after.Role.RoleId) != aws.ToString(before.Role.RoleId) || !after.Role.CreateDate.Equal(*before.Role.CreateDate) {
		t.Fatalf("role after restart: %v %v", after, err)
	}
	names, err := h2.client.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String("exec")})
	if err != nil || len(names.PolicyNames) != 1 {
		t.Fatalf("inline policies after restart: %v %v", names, err)
	}
	attached, err := h2.client.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("exec")})
	if err != nil || len(attached.AttachedPolicies) != 2 {
		t.Fatalf("attachments after restart: %v %v", attached, err)
	}
	for action, resource := range map[string]string{"sqs:SendMessage": destQueue, "sns:Publish": topicARN, "sqs:ReceiveMessage": srcQueue} {
		if ok, reason := h2.check(t, role, action, resource); !ok {
			t.Errorf("%s after restart: %s", action, reason)
		}
	}
}
