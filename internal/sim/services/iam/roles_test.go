package iam

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// TestIAM_roleLifecycle: CreateRole answers the Role AWS answers (ARN with the path, a 21
// character AROA id, the creation time); GetRole and ListRoles see it; DeleteRole removes it.
func TestIAM_roleLifecycle(t *testing.T) {
	h := newHarness(t)
	out, err := h.client.CreateRole(ctx, &iam.CreateRoleInput{
		RoleName:                 aws.String("exec"),
		Path:                     aws.String("/service-role/"),
		AssumeRolePolicyDocument: aws.String(lambdaTrust),
		Description:              aws.String("the function's role"),
		Tags:                     []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := out.Role
	if aws.ToString(r.Arn) != "arn:aws:iam::000000000000:role/service-role/exec" || aws.ToString(r.Path) != "/service-role/" {
		t.Fatalf("Arn %s Path %s", aws.ToString(r.Arn), aws.ToString(r.Path))
	}
	if id := aws.ToString(r.RoleId); len(id) != 21 || !strings.HasPrefix(id, "AROA") || strings.ToUpper(id) != id {
		t.Fatalf("RoleId %q", id)
	}
	if !r.CreateDate.Equal(testStart) || aws.ToInt32(r.MaxSessionDuration) != 3600 || aws.ToString(r.Description) != "the function's role" {
		t.Fatalf("role %+v", r)
	}
	if decodeDoc(t, r.AssumeRolePolicyDocument) != lambdaTrust {
		t.Fatalf("AssumeRolePolicyDocument %q", aws.ToString(r.AssumeRolePolicyDocument))
	}

	got, err := h.client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("EXEC")}) // names ignore case
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(got.Role.RoleId) != aws.ToString(r.RoleId) || len(got.Role.Tags) != 1 || aws.ToString(got.Role.Tags[0].Key) != "team" {
		t.Fatalf("GetRole %+v", got.Role)
	}

	h.createRole(t, "other")
	list, err := h.client.ListRoles(ctx, &iam.ListRolesInput{})
	if err != nil || len(list.Roles) != 2 || list.IsTruncated {
		t.Fatalf("ListRoles %v %v", list, err)
	}
	list, err = h.client.ListRoles(ctx, &iam.ListRolesInput{PathPrefix: aws.String("/service-role/")})
	if err != nil || len(list.Roles) != 1 || aws.ToString(list.Roles[0].RoleName) != "exec" {
		t.Fatalf("ListRoles by path %v %v", list, err)
	}

	if _, err := h.client.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("exec")}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("exec")})
	var nse *types.NoSuchEntityException
	if !errors.As(err, &nse) {
		t.Fatalf("GetRole after delete: %v", err)
	}
	wantAPIError(t, err, "NoSuchEntity", "The role with name exec cannot be found.")
}

// TestIAM_listRolesPages: MaxItems and Marker walk the roles in pages.
func TestIAM_listRolesPages(t *testing.T) {
	h := newHarness(t)
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		h.createRole(t, n)
	}
	var names []string
	p := iam.NewListRolesPaginator(h.client, &iam.ListRolesInput{MaxItems: aws.Int32(2)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, r := range out.Roles {
			names = append(names, aws.ToString(r.RoleName))
		}
	}
	if pages != 3 || strings.Join(names, ",") != "a,b,c,d,e" {
		t.Fatalf("%d pages: %v", pages, names)
	}
	_, err := h.client.ListRoles(ctx, &iam.ListRolesInput{Marker: aws.String("!!")})
	wantAPIError(t, err, "InvalidInput", "")
}

// TestIAM_roleErrors: the errors of the role operations, with AWS's codes, statuses and texts.
func TestIAM_roleErrors(t *testing.T) {
	h := newHarness(t)
	h.createRole(t, "r")

	_, err := h.client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("R"), AssumeRolePolicyDocument: aws.String(lambdaTrust)})
	var exists *types.EntityAlreadyExistsException
	if !errors.As(err, &exists) {
		t.Fatalf("duplicate CreateRole: %v", err)
	}
	wantAPIError(t, err, "EntityAlreadyExists", "Role with name R already exists.")

	_, err = h.client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("x"), AssumeRolePolicyDocument: aws.String(`{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}`)})
	var malformed *types.MalformedPolicyDocumentException
	if !errors.As(err, &malformed) {
		t.Fatalf("trust policy without Principal: %v", err)
	}
	wantAPIError(t, err, "MalformedPolicyDocument", "Missing required field Principal")

	_, err = h.client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("x"), AssumeRolePolicyDocument: aws.String("not json")})
	wantAPIError(t, err, "MalformedPolicyDocument", "Syntax errors in policy.")

	big := `{"Version":"2012-10-17","Statement":[{"Sid":"` + strings.Repeat("a", 2100) + `","Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	_, err = h.client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("x"), AssumeRolePolicyDocument: aws.String(big)})
	var limit *types.LimitExceededException
	if !errors.As(err, &limit) {
		t.Fatalf("trust policy over 2048: %v", err)
	}

	_, err = h.client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("bad name"), AssumeRolePolicyDocument: aws.String(lambdaTrust)})
	wantAPIError(t, err, "ValidationError", "")
	_, err = h.client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("x"), Path: aws.String("no-slash"), AssumeRolePolicyDocument: aws.String(lambdaTrust)})
	wantAPIError(t, err, "ValidationError", "")
	_, err = h.client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(strings.Repeat("n", 65)), AssumeRolePolicyDocument: aws.String(lambdaTrust)})
	wantAPIError(t, err, "ValidationError", "")

	_, err = h.client.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("missing")})
	wantAPIError(t, err, "NoSuchEntity", "The role with name missing cannot be found.")

	// UpdateAssumeRolePolicy replaces the trust policy, checked like CreateRole's.
	newTrust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com","edgelambda.amazonaws.com"]},"Action":"sts:AssumeRole"}]}`
	if _, err := h.client.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("r"), PolicyDocument: aws.String(newTrust)}); err != nil {
		t.Fatal(err)
	}
	got, err := h.client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("r")})
	if err != nil || decodeDoc(t, got.Role.AssumeRolePolicyDocument) != newTrust {
		t.Fatalf("GetRole after UpdateAssumeRolePolicy: %v", err)
	}
	_, err = h.client.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("r"), PolicyDocument: aws.String(`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Resource":"*"}]}`)})
	wantAPIError(t, err, "MalformedPolicyDocument", "Has prohibited field Resource.")
	_, err = h.client.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("nope"), PolicyDocument: aws.String(newTrust)})
	wantAPIError(t, err, "NoSuchEntity", "The role with name nope cannot be found.")
}

// TestIAM_deleteConflict: a role with policies cannot be deleted, as in AWS.
func TestIAM_deleteConflict(t *testing.T) {
	h := newHarness(t)
	h.createRole(t, "r")
	h.putRolePolicy(t, "r", "p", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}`)
	_, err := h.client.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("r")})
	var conflict *types.DeleteConflictException
	if !errors.As(err, &conflict) {
		t.Fatalf("DeleteRole with an inline policy: %v", err)
	}
	wantAPIError(t, err, "DeleteConflict", "Cannot delete entity, must delete policies first.")

	if _, err := h.client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String(basicExecution)}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("r")})
	wantAPIError(t, err, "DeleteConflict", "Cannot delete entity, must detach all policies first.")

	if _, err := h.client.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String(basicExecution)}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("p")}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("r")}); err != nil {
		t.Fatalf("DeleteRole once empty: %v", err)
	}
}

// TestIAM_wire: the raw response shapes: the namespace, status codes, empty results, and an
// unknown action's InvalidAction (never a 200).
func TestIAM_wire(t *testing.T) {
	h := newHarness(t)
	post := func(form url.Values) (int, string) {
		form.Set("Version", Version)
		resp, err := http.Post(h.url, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := resp.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return resp.StatusCode, b.String()
	}
	code, body := post(url.Values{"Action": {"CreateRole"}, "RoleName": {"w"}, "AssumeRolePolicyDocument": {lambdaTrust}})
	if code != 200 || !strings.Contains(body, `<CreateRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">`) ||
		!strings.Contains(body, "<AssumeRolePolicyDocument>%7B%22Version%22%3A%222012-10-17%22") {
		t.Fatalf("%d %s", code, body)
	}
	code, body = post(url.Values{"Action": {"DeleteRole"}, "RoleName": {"w"}})
	if code != 200 || !strings.Contains(body, "<DeleteRoleResult></DeleteRoleResult>") {
		t.Fatalf("%d %s", code, body)
	}
	code, body = post(url.Values{"Action": {"GetRole"}, "RoleName": {"w"}})
	if code != 404 || !strings.Contains(body, "<Code>NoSuchEntity</Code>") {
		t.Fatalf("%d %s", code, body)
	}
	code, body = post(url.Values{"Action": {"FlyToTheMoon"}})
	if code != 400 || !strings.Contains(body, "<Code>InvalidAction</Code>") {
		t.Fatalf("%d %s", code, body)
	}
	code, body = post(url.Values{"Action": {"CreateUser"}, "UserName": {"u"}})
	if code != 400 || !strings.Contains(body, "<Code>InvalidAction</Code>") || !strings.Contains(body, "not served") {
		t.Fatalf("%d %s", code, body)
	}
	code, body = post(url.Values{"Action": {"ListRolePolicies"}, "RoleName": {"nobody"}})
	if code != 404 {
		t.Fatalf("%d %s", code, body)
	}
}
