package lambda_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

func TestLambda_aliasLifecycle(t *testing.T) {
	t.Parallel()
	h := start(t)
	c := ctx(t)
	const name = "aliased"
	h.create(t, name, stub, func(in *lambda.CreateFunctionInput) { in.Publish = true })
	h.waitVersion(t, name, "1")
	aliasARN := functionARN(name) + ":live"

	created, err := h.client.CreateAlias(c, &lambda.CreateAliasInput{
		FunctionName: aws.String(name), Name: aws.String("live"), FunctionVersion: aws.String("1"), Description: aws.String("production"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(created.AliasArn) != aliasARN || aws.ToString(created.Name) != "live" || aws.ToString(created.FunctionVersion) != "1" ||
		aws.ToString(created.Description) != "production" || aws.ToString(created.RevisionId) == "" {
		t.Errorf("CreateAlias: %+v", created)
	}
	got, err := h.client.GetAlias(c, &lambda.GetAliasInput{FunctionName: aws.String(functionARN(name)), Name: aws.String("live")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(got.AliasArn) != aliasARN || aws.ToString(got.RevisionId) != aws.ToString(created.RevisionId) {
		t.Errorf("GetAlias: %+v", got)
	}

	// Errors.
	_, err = h.client.CreateAlias(c, &lambda.CreateAliasInput{FunctionName: aws.String(name), Name: aws.String("live"), FunctionVersion: aws.String("1")})
	ae := apiError(t, err, "ResourceConflictException", http.StatusConflict)
	if want := "Alias already exists: " + aliasARN; ae.ErrorMessage() != want {
		t.Errorf("duplicate alias: %q, want %q", ae.ErrorMessage(), want)
	}
	_, err = h.client.CreateAlias(c, &lambda.CreateAliasInput{FunctionName: aws.String(name), Name: aws.String("42"), FunctionVersion: aws.String("1")})
	apiError(t, err, "ValidationException", http.StatusBadRequest)
	_, err = h.client.CreateAlias(c, &lambda.CreateAliasInput{FunctionName: aws.String(name), Name: aws.String("next"), FunctionVersion: aws.String("7")})
	ae = apiError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	if want := "Function not found: " + functionARN(name) + ":7"; ae.ErrorMessage() != want {
		t.Errorf("alias of a missing version: %q, want %q", ae.ErrorMessage(), want)
	}
	_, err = h.client.CreateAlias(c, &lambda.CreateAliasInput{FunctionName: aws.String("missing"), Name: aws.String("live"), FunctionVersion: aws.String("1")})
	apiError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	_, err = h.client.CreateAlias(c, &lambda.CreateAliasInput{FunctionName: aws.String(name), Name: aws.String("weighted"), FunctionVersion: aws.String("1"),
		RoutingConfig: &types.AliasRoutingConfiguration{AdditionalVersionWeights: map[string]float64{"1": 0.5}}})
	apiError(t, err, "InvalidParameterValueException", http.StatusBadRequest)
	_, err = h.client.GetAlias(c, &lambda.GetAliasInput{FunctionName: aws.String(name), Name: aws.String("nope")})
	ae = apiError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	if want := "Alias not found: " + functionARN(name) + ":nope"; ae.ErrorMessage() != want {
		t.Errorf("missing alias: %q, want %q", ae.ErrorMessage(), want)
	}
	_, err = h.client.UpdateAlias(c, &lambda.UpdateAliasInput{FunctionName: aws.String(name), Name: aws.String("nope"), FunctionVersion: aws.String("1")})
	apiError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	_, err = h.client.GetFunction(c, &lambda.GetFunctionInput{FunctionName: aws.String(name), Qualifier: aws.String("nope")})
	apiError(t, err, "ResourceNotFoundException", http.StatusNotFound)

	// A second alias on $LATEST; list, filter and page.
	if _, err := h.client.CreateAlias(c, &lambda.CreateAliasInput{FunctionName: aws.String(name), Name: aws.String("dev"), FunctionVersion: aws.String("$LATEST")}); err != nil {
		t.Fatal(err)
	}
	list, err := h.client.ListAliases(c, &lambda.ListAliasesInput{FunctionName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Aliases) != 2 || aws.ToString(list.Aliases[0].Name) != "dev" || aws.ToString(list.Aliases[1].Name) != "live" || list.NextMarker != nil {
		t.Errorf("ListAliases: %+v", list)
	}
	list, err = h.client.ListAliases(c, &lambda.ListAliasesInput{FunctionName: aws.String(name), FunctionVersion: aws.String("1")})
	if err != nil || len(list.Aliases) != 1 || aws.ToString(list.Aliases[0].Name) != "live" {
		t.Errorf("ListAliases FunctionVersion=1: %v %+v", err, list)
	}
	var names []string
	p := lambda.NewListAliasesPaginator(h.client, &lambda.ListAliasesInput{FunctionName: aws.String(name), MaxItems: aws.Int32(1)})
	for p.HasMorePages() {
		page, err := p.NextPage(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page.Aliases {
			names = append(names, aws.ToString(a.Name))
		}
	}
	if len(names) != 2 || names[0] != "dev" || names[1] != "live" {
		t.Errorf("paged aliases: %v", names)
	}

	// GetFunctionConfiguration through the alias answers the version's configuration.
	cfg, err := h.client.GetFunctionConfiguration(c, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(name), Qualifier: aws.String("live")})
	if err != nil || aws.ToString(cfg.Version) != "1" {
		t.Errorf("GetFunctionConfiguration live: %v %+v", err, cfg)
	}
	if _, err := h.client.GetFunction(c, &lambda.GetFunctionInput{FunctionName: aws.String(aliasARN)}); err != nil {
		t.Errorf("GetFunction by alias ARN: %v", err)
	}

	// Update: stale RevisionId, then a real change.
	_, err = h.client.UpdateAlias(c, &lambda.UpdateAliasInput{FunctionName: aws.String(name), Name: aws.String("live"), Description: aws.String("x"), RevisionId: aws.String("stale")})
	apiError(t, err, "PreconditionFailedException", http.StatusPreconditionFailed)
	upd, err := h.client.UpdateAlias(c, &lambda.UpdateAliasInput{FunctionName: aws.String(name), Name: aws.String("live"),
		FunctionVersion: aws.String("$LATEST"), RevisionId: created.RevisionId})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(upd.FunctionVersion) != "$LATEST" || aws.ToString(upd.Description) != "production" || aws.ToString(upd.RevisionId) == aws.ToString(created.RevisionId) {
		t.Errorf("UpdateAlias: %+v", upd)
	}

	// Aliases cannot be deleted through DeleteFunction; DeleteAlias deletes them.
	_, err = h.client.DeleteFunction(c, &lambda.DeleteFunctionInput{FunctionName: aws.String(name), Qualifier: aws.String("live")})
	apiError(t, err, "InvalidParameterValueException", http.StatusBadRequest)
	if _, err := h.client.DeleteAlias(c, &lambda.DeleteAliasInput{FunctionName: aws.String(name), Name: aws.String("live")}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.GetAlias(c, &lambda.GetAliasInput{FunctionName: aws.String(name), Name: aws.String("live")})
	apiError(t, err, "ResourceNotFoundException", http.StatusNotFound)

	// Deleting the function deletes its aliases.
	if _, err := h.client.DeleteFunction(c, &lambda.DeleteFunctionInput{FunctionName: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	h.create(t, name, stub)
	list, err = h.client.ListAliases(c, &lambda.ListAliasesInput{FunctionName: aws.String(name)})
	if err != nil || len(list.Aliases) != 0 {
		t.Errorf("aliases after the function was deleted and created again: %v %+v", err, list)
	}
}

func TestInvoke_throughAlias(t *testing.T) {
	t.Parallel()
	h := start(t)
	c := ctx(t)
	const name = "aliasrun"
	h.create(t, name, testfn.Recorder, func(in *lambda.CreateFunctionInput) {
		in.Publish = true
		in.Environment = &types.Environment{Variables: map[string]string{"MODE": "one"}}
	})
	h.waitVersion(t, name, "1")
	if _, err := h.client.UpdateFunctionConfiguration(c, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(name),
		Environment: &types.Environment{Variables: map[string]string{"MODE": "two"}}}); err != nil {
		t.Fatal(err)
	}
	h.waitUpdated(t, name)
	if _, err := h.client.CreateAlias(c, &lambda.CreateAliasInput{FunctionName: aws.String(name), Name: aws.String("live"), FunctionVersion: aws.String("1")}); err != nil {
		t.Fatal(err)
	}

	mode := func(in *lambda.InvokeInput) (string, string) {
		t.Helper()
		out, err := h.client.Invoke(c, in)
		if err != nil {
			t.Fatal(err)
		}
		if out.FunctionError != nil {
			t.Fatalf("function error %s: %s", aws.ToString(out.FunctionError), out.Payload)
		}
		var r struct {
			Env map[string]string `json:"env"`
		}
		if err := json.Unmarshal(out.Payload, &r); err != nil {
			t.Fatalf("payload %s: %v", out.Payload, err)
		}
		return r.Env["MODE"], aws.ToString(out.ExecutedVersion)
	}
	for _, in := range []*lambda.InvokeInput{
		{FunctionName: aws.String(name), Qualifier: aws.String("live")},
		{FunctionName: aws.String(name + ":live")},
		{FunctionName: aws.String(functionARN(name) + ":live")},
	} {
		if m, v := mode(in); m != "one" || v != "1" {
			t.Errorf("invoking %s (qualifier %s): MODE=%q, executed version %q; want one, 1", aws.ToString(in.FunctionName), aws.ToString(in.Qualifier), m, v)
		}
	}
	if m, v := mode(&lambda.InvokeInput{FunctionName: aws.String(name)}); m != "two" || v != "$LATEST" {
		t.Errorf("invoking $LATEST: MODE=%q, executed version %q", m, v)
	}
	recs := h.records(t, name)
	found := false
	for _, r := range recs {
		if r.FunctionARN == functionARN(name)+":live" {
			found = true
		}
	}
	if !found {
		t.Errorf("no invocation record names the alias ARN: %+v", recs)
	}

	// Moving the alias to $LATEST moves its invocations.
	if _, err := h.client.UpdateAlias(c, &lambda.UpdateAliasInput{FunctionName: aws.String(name), Name: aws.String("live"), FunctionVersion: aws.String("$LATEST")}); err != nil {
		t.Fatal(err)
	}
	if m, v := mode(&lambda.InvokeInput{FunctionName: aws.String(name), Qualifier: aws.String("live")}); m != "two" || v != "$LATEST" {
		t.Errorf("invoking live -> $LATEST: MODE=%q, executed version %q", m, v)
	}
	_, err := h.client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String(name), Qualifier: aws.String("nope")})
	apiError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

func TestLambda_aliasPolicy(t *testing.T) {
	t.Parallel()
	h := start(t)
	c := ctx(t)
	const name = "aliaspolicy"
	h.create(t, name, stub, func(in *lambda.CreateFunctionInput) { in.Publish = true })
	h.waitVersion(t, name, "1")
	alias, err := h.client.CreateAlias(c, &lambda.CreateAliasInput{FunctionName: aws.String(name), Name: aws.String("live"), FunctionVersion: aws.String("1")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.client.AddPermission(c, &lambda.AddPermissionInput{
		FunctionName: aws.String(name), Qualifier: aws.String("live"), StatementId: aws.String("sns"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("sns.amazonaws.com"), RevisionId: alias.RevisionId,
	})
	if err != nil {
		t.Fatal(err)
	}
	pol := h.policy(t, name, "live")
	if sids(pol.doc) != "sns" {
		t.Errorf("alias policy: %v", pol.doc)
	}
	if st := pol.doc["Statement"].([]any)[0].(map[string]any); st["Resource"] != functionARN(name)+":live" {
		t.Errorf("statement resource %v", st["Resource"])
	}
	got, err := h.client.GetAlias(c, &lambda.GetAliasInput{FunctionName: aws.String(name), Name: aws.String("live")})
	if err != nil {
		t.Fatal(err)
	}
	if pol.revision != aws.ToString(got.RevisionId) || pol.revision == aws.ToString(alias.RevisionId) {
		t.Errorf("policy revision %s, alias revision %s (was %s)", pol.revision, aws.ToString(got.RevisionId), aws.ToString(alias.RevisionId))
	}
	for _, q := range []*string{nil, aws.String("1")} {
		_, err := h.client.GetPolicy(c, &lambda.GetPolicyInput{FunctionName: aws.String(name), Qualifier: q})
		apiError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	}
	if _, err := h.client.RemovePermission(c, &lambda.RemovePermissionInput{FunctionName: aws.String(name), Qualifier: aws.String("live"), StatementId: aws.String("sns")}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.GetPolicy(c, &lambda.GetPolicyInput{FunctionName: aws.String(name), Qualifier: aws.String("live")})
	apiError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

func TestLambda_aliasesSurviveRestart(t *testing.T) {
	t.Parallel()
	m := startManual(t)
	c := ctx(t)
	const name = "durable"
	if _, err := m.client.CreateFunction(c, &lambda.CreateFunctionInput{
		FunctionName: aws.String(name), Runtime: types.RuntimeProvidedal2023, Handler: aws.String("bootstrap"),
		Role: aws.String(testRole), Code: &types.FunctionCode{ZipFile: stubZip(t, name)}, Publish: true,
	}); err != nil {
		t.Fatal(err)
	}
	m.settle(t, name, aws.String("1"))
	if _, err := m.client.CreateAlias(c, &lambda.CreateAliasInput{FunctionName: aws.String(name), Name: aws.String("live"), FunctionVersion: aws.String("1")}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.client.AddPermission(c, &lambda.AddPermissionInput{
		FunctionName: aws.String(name), Qualifier: aws.String("live"), StatementId: aws.String("sns"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("sns.amazonaws.com"),
	}); err != nil {
		t.Fatal(err)
	}

	m.server.Close()
	m.svc.Close()
	m.serve(t)

	got, err := m.client.GetAlias(c, &lambda.GetAliasInput{FunctionName: aws.String(name), Name: aws.String("live")})
	if err != nil || aws.ToString(got.FunctionVersion) != "1" || aws.ToString(got.AliasArn) != functionARN(name)+":live" {
		t.Fatalf("GetAlias after a restart: %v %+v", err, got)
	}
	bg := context.Background()
	for _, tc := range []struct {
		arn  string
		want bool
	}{
		{functionARN(name) + ":live", true},
		{functionARN(name) + ":1", false},
		{functionARN(name), false},
	} {
		allowed, err := m.svc.AllowsInvoke(bg, tc.arn, "sns.amazonaws.com", "arn:aws:sns:us-east-1:000000000000:topic", testAccount)
		if err != nil || allowed != tc.want {
			t.Errorf("AllowsInvoke(%s) = %v, %v; want %v", tc.arn, allowed, err, tc.want)
		}
	}
	if _, err := m.svc.AllowsInvoke(bg, functionARN(name)+":nope", "sns.amazonaws.com", "", testAccount); err == nil {
		t.Errorf("AllowsInvoke of a missing alias: no error")
	}
}
