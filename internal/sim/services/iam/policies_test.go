package iam

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

const (
	basicExecution = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
	sqsExecution   = "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"
	sendDoc        = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:000000000000:dest"}]}`
)

// TestIAM_inlinePolicies: PutRolePolicy creates and replaces, GetRolePolicy answers the
// document URL-encoded, ListRolePolicies lists names, DeleteRolePolicy removes.
func TestIAM_inlinePolicies(t *testing.T) {
	h := newHarness(t)
	h.createRole(t, "r")
	h.putRolePolicy(t, "r", "send", sendDoc)
	h.putRolePolicy(t, "r", "logs", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"logs:*","Resource":"*"}}`)
	got, err := h.client.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("send")})
	if err != nil {
		t.Fatal(err)
	}
	if decodeDoc(t, got.PolicyDocument) != sendDoc || aws.ToString(got.RoleName) != "r" || aws.ToString(got.PolicyName) != "send" {
		t.Fatalf("GetRolePolicy %+v", got)
	}
	list, err := h.client.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String("r")})
	if err != nil || strings.Join(list.PolicyNames, ",") != "logs,send" {
		t.Fatalf("ListRolePolicies %v %v", list, err)
	}
	replaced := strings.Replace(sendDoc, "dest", "other", 1)
	h.putRolePolicy(t, "r", "send", replaced)
	got, err = h.client.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("send")})
	if err != nil || decodeDoc(t, got.PolicyDocument) != replaced {
		t.Fatalf("after replace: %v", err)
	}
	if _, err := h.client.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("send")}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("send")})
	wantAPIError(t, err, "NoSuchEntity", "The role policy with name send cannot be found.")
	_, err = h.client.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("send")})
	wantAPIError(t, err, "NoSuchEntity", "The role policy with name send cannot be found.")
	empty, err := h.client.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String("nobody")})
	wantAPIError(t, err, "NoSuchEntity", "The role with name nobody cannot be found.")
	_ = empty
}

// TestIAM_inlinePolicyErrors: MalformedPolicyDocument for a document IAM refuses, NoSuchEntity
// for a missing role, LimitExceeded past 10,240 characters of inline policies.
func TestIAM_inlinePolicyErrors(t *testing.T) {
	h := newHarness(t)
	h.createRole(t, "r")
	for doc, msg := range map[string]string{
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage"}]}`:                                                          "Policy statement must contain resources.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}`:                                                                      "Policy statement must contain actions.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`:                                         "Policy document should not specify a principal.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualsMaybe":{"aws:SourceArn":"x"}}}]}`: "Syntax errors in policy.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"SendMessage","Resource":"*"}]}`:                                               "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"dest"}]}`:                                        `Resource dest must be in ARN format or "*".`,
	} {
		_, err := h.client.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("p"), PolicyDocument: aws.String(doc)})
		var mp *types.MalformedPolicyDocumentException
		if !errors.As(err, &mp) {
			t.Fatalf("PutRolePolicy(%s): %v", doc, err)
		}
		wantAPIError(t, err, "MalformedPolicyDocument", msg)
	}
	_, err := h.client.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("ghost"), PolicyName: aws.String("p"), PolicyDocument: aws.String(sendDoc)})
	wantAPIError(t, err, "NoSuchEntity", "The role with name ghost cannot be found.")

	// Two policies of ~6,000 characters each: the second breaks the role's 10,240.
	half := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:000000000000:` + strings.Repeat("q", 6000) + `"}]}`
	h.putRolePolicy(t, "r", "one", half)
	h.putRolePolicy(t, "r", "one", half) // replacing itself does not count twice
	_, err = h.client.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("two"), PolicyDocument: aws.String(half)})
	wantAPIError(t, err, "LimitExceeded", "Maximum policy size of 10240 bytes exceeded for role r")
}

// TestIAM_managedPolicies: CreatePolicy (version v1, the default), GetPolicy, GetPolicyVersion,
// ListPolicies scopes, DeletePolicy, and the errors of each.
func TestIAM_managedPolicies(t *testing.T) {
	h := newHarness(t)
	out, err := h.client.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("send"), Path: aws.String("/app/"),
		PolicyDocument: aws.String(sendDoc), Description: aws.String("d")})
	if err != nil {
		t.Fatal(err)
	}
	p := out.Policy
	arn := aws.ToString(p.Arn)
	if arn != "arn:aws:iam::000000000000:policy/app/send" || aws.ToString(p.DefaultVersionId) != "v1" || !p.IsAttachable ||
		len(aws.ToString(p.PolicyId)) != 21 || !strings.HasPrefix(aws.ToString(p.PolicyId), "ANPA") || !p.CreateDate.Equal(testStart) {
		t.Fatalf("CreatePolicy %+v", p)
	}
	_, err = h.client.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("SEND"), PolicyDocument: aws.String(sendDoc)})
	var exists *types.EntityAlreadyExistsException
	if !errors.As(err, &exists) {
		t.Fatalf("duplicate CreatePolicy: %v", err)
	}
	wantAPIError(t, err, "EntityAlreadyExists", "A policy called SEND already exists. Duplicate names are not allowed.")
	_, err = h.client.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("bad"), PolicyDocument: aws.String(`{"Statement":[]`)})
	wantAPIError(t, err, "MalformedPolicyDocument", "Syntax errors in policy.")
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:000000000000:` + strings.Repeat("q", 6200) + `"}]}`
	_, err = h.client.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("big"), PolicyDocument: aws.String(big)})
	wantAPIError(t, err, "LimitExceeded", "Cannot exceed quota for PolicySize: 6144")

	got, err := h.client.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
	if err != nil || aws.ToString(got.Policy.Description) != "d" || aws.ToInt32(got.Policy.AttachmentCount) != 0 {
		t.Fatalf("GetPolicy %v %v", got, err)
	}
	v, err := h.client.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v1")})
	if err != nil || decodeDoc(t, v.PolicyVersion.Document) != sendDoc || !v.PolicyVersion.IsDefaultVersion {
		t.Fatalf("GetPolicyVersion %v %v", v, err)
	}
	_, err = h.client.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v2")})
	wantAPIError(t, err, "NoSuchEntity", "Policy "+arn+" version v2 does not exist or is not attachable.")

	// AWS managed policies: their documents and default versions.
	aws1, err := h.client.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String("arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole")})
	if err != nil || aws.ToString(aws1.Policy.DefaultVersionId) != "v2" || aws.ToString(aws1.Policy.Path) != "/service-role/" {
		t.Fatalf("GetPolicy AWS managed %v %v", aws1, err)
	}
	av, err := h.client.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(sqsExecution), VersionId: aws.String("v1")})
	if err != nil || !strings.Contains(decodeDoc(t, av.PolicyVersion.Document), `"sqs:ReceiveMessage","sqs:DeleteMessage","sqs:GetQueueAttributes"`) {
		t.Fatalf("GetPolicyVersion AWS managed %v %v", av, err)
	}

	local, err := h.client.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal})
	if err != nil || len(local.Policies) != 1 || aws.ToString(local.Policies[0].Arn) != arn {
		t.Fatalf("ListPolicies Local %v %v", local, err)
	}
	awsOnly, err := h.client.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeAws})
	if err != nil || len(awsOnly.Policies) != len(awsManagedPolicies) {
		t.Fatalf("ListPolicies AWS %v %v", awsOnly, err)
	}
	all, err := h.client.ListPolicies(ctx, &iam.ListPoliciesInput{})
	if err != nil || len(all.Policies) != len(awsManagedPolicies)+1 {
		t.Fatalf("ListPolicies All %v %v", all, err)
	}

	h.createRole(t, "r")
	if _, err := h.client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	attached, err := h.client.ListPolicies(ctx, &iam.ListPoliciesInput{OnlyAttached: true})
	if err != nil || len(attached.Policies) != 1 || aws.ToInt32(attached.Policies[0].AttachmentCount) != 1 {
		t.Fatalf("ListPolicies OnlyAttached %v %v", attached, err)
	}
	_, err = h.client.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)})
	wantAPIError(t, err, "DeleteConflict", "Cannot delete a policy attached to entities.")
	if _, err := h.client.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
	wantAPIError(t, err, "NoSuchEntity", "Policy "+arn+" was not found.")
	_, err = h.client.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)})
	wantAPIError(t, err, "NoSuchEntity", "Policy "+arn+" was not found.")
}

// TestIAM_attachRolePolicy: attach (idempotent), list, detach, and their errors.
func TestIAM_attachRolePolicy(t *testing.T) {
	h := newHarness(t)
	h.createRole(t, "r")
	for _, arn := range []string{basicExecution, sqsExecution, basicExecution} {
		if _, err := h.client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String(arn)}); err != nil {
			t.Fatalf("AttachRolePolicy %s: %v", arn, err)
		}
	}
	list, err := h.client.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("r")})
	if err != nil || len(list.AttachedPolicies) != 2 {
		t.Fatalf("ListAttachedRolePolicies %v %v", list, err)
	}
	names := []string{aws.ToString(list.AttachedPolicies[0].PolicyName), aws.ToString(list.AttachedPolicies[1].PolicyName)}
	if strings.Join(names, ",") != "AWSLambdaBasicExecutionRole,AWSLambdaSQSQueueExecutionRole" {
		t.Fatalf("attached %v", names)
	}
	byPath, err := h.client.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("r"), PathPrefix: aws.String("/other/")})
	if err != nil || len(byPath.AttachedPolicies) != 0 {
		t.Fatalf("by path %v %v", byPath, err)
	}

	missing := "arn:aws:iam::000000000000:policy/none"
	_, err = h.client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String(missing)})
	wantAPIError(t, err, "NoSuchEntity", "Policy "+missing+" does not exist or is not attachable.")
	_, err = h.client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String("arn:aws:iam::aws:policy/NotAPolicyWeKnow")})
	wantAPIError(t, err, "NoSuchEntity", "")
	_, err = h.client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("ghost"), PolicyArn: aws.String(basicExecution)})
	wantAPIError(t, err, "NoSuchEntity", "The role with name ghost cannot be found.")
	_, err = h.client.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String(missing)})
	wantAPIError(t, err, "NoSuchEntity", "Policy "+missing+" was not found.")
	_, err = h.client.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("ghost")})
	wantAPIError(t, err, "NoSuchEntity", "The role with name ghost cannot be found.")

	// At most 10 managed policies a role.
	for i := 0; i < 8; i++ {
		name := "p" + string(rune('a'+i))
		out, err := h.client.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(name), PolicyDocument: aws.String(sendDoc)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: out.Policy.Arn}); err != nil {
			t.Fatalf("attach #%d: %v", i+3, err)
		}
	}
	_, err = h.client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")})
	wantAPIError(t, err, "LimitExceeded", "Cannot exceed quota for PoliciesPerRole: 10")
}
