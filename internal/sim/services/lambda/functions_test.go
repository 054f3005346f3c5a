package lambda_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

var lastModifiedRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$`)

func TestLambda_functionLifecycle(t *testing.T) {
	t.Parallel()
	h := start(t)
	c := ctx(t)
	const name = "lifecycle"
	code := stubZip(t, "first")

	created, err := h.client.CreateFunction(c, &lambda.CreateFunctionInput{
		FunctionName: aws.String(name),
		Runtime:      types.RuntimeProvidedal2023,
		Handler:      aws.String("bootstrap"),
		Role:         aws.String(testRole),
		Code:         &types.FunctionCode{ZipFile: code},
		Tags:         map[string]string{"team": "triggers"},
	})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(code)
	switch {
	case created.State != types.StatePending || created.StateReasonCode != types.StateReasonCodeCreating:
		t.Errorf("created State = %s/%s, want Pending/Creating", created.State, created.StateReasonCode)
	case aws.ToString(created.FunctionArn) != functionARN(name):
		t.Errorf("FunctionArn = %s", aws.ToString(created.FunctionArn))
	case aws.ToString(created.Version) != "$LATEST":
		t.Errorf("Version = %s", aws.ToString(created.Version))
	case aws.ToString(created.CodeSha256) != base64.StdEncoding.EncodeToString(sum[:]):
		t.Errorf("CodeSha256 = %s", aws.ToString(created.CodeSha256))
	case created.CodeSize != int64(len(code)):
		t.Errorf("CodeSize = %d, want %d", created.CodeSize, len(code))
	case aws.ToInt32(created.Timeout) != 3 || aws.ToInt32(created.MemorySize) != 128:
		t.Errorf("Timeout/MemorySize = %d/%d, want the defaults 3/128", aws.ToInt32(created.Timeout), aws.ToInt32(created.MemorySize))
	case !lastModifiedRE.MatchString(aws.ToString(created.LastModified)):
		t.Errorf("LastModified = %q, not in AWS's format", aws.ToString(created.LastModified))
	case aws.ToString(created.RevisionId) == "":
		t.Error("no RevisionId")
	case created.PackageType != types.PackageTypeZip || len(created.Architectures) != 1 || created.Architectures[0] != types.ArchitectureX8664:
		t.Errorf("PackageType/Architectures = %s/%v", created.PackageType, created.Architectures)
	}
	h.waitActive(t, name)

	got, err := h.client.GetFunction(c, &lambda.GetFunctionInput{FunctionName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	if got.Configuration.State != types.StateActive || got.Configuration.LastUpdateStatus != types.LastUpdateStatusSuccessful {
		t.Errorf("State/LastUpdateStatus = %s/%s, want Active/Successful", got.Configuration.State, got.Configuration.LastUpdateStatus)
	}
	if got.Tags["team"] != "triggers" {
		t.Errorf("Tags = %v", got.Tags)
	}
	if aws.ToString(got.Code.RepositoryType) != "S3" {
		t.Errorf("Code.RepositoryType = %s", aws.ToString(got.Code.RepositoryType))
	}
	resp, err := http.Get(aws.ToString(got.Code.Location))
	if err != nil {
		t.Fatal(err)
	}
	downloaded, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Equal(downloaded, code) {
		t.Errorf("Code.Location %s served %s and %d bytes, want the %d-byte package", aws.ToString(got.Code.Location), resp.Status, len(downloaded), len(code))
	}

	// The same name again is a conflict.
	_, err = h.client.CreateFunction(c, &lambda.CreateFunctionInput{
		FunctionName: aws.String(name), Runtime: types.RuntimeProvidedal2023, Handler: aws.String("bootstrap"),
		Role: aws.String(testRole), Code: &types.FunctionCode{ZipFile: code},
	})
	var conflict *types.ResourceConflictException
	if !errors.As(err, &conflict) || aws.ToString(conflict.Message) != "Function already exist: "+name {
		t.Errorf("duplicate CreateFunction: %v, want ResourceConflictException \"Function already exist: %s\"", err, name)
	}
	apiError(t, err, "ResourceConflictException", http.StatusConflict)

	// A configuration update is InProgress until applied; a second one meanwhile is refused.
	updated, err := h.client.UpdateFunctionConfiguration(c, &lambda.UpdateFunctionConfigurationInput{
		FunctionName: aws.String(name),
		Timeout:      aws.Int32(10),
		MemorySize:   aws.Int32(256),
		Environment:  &types.Environment{Variables: map[string]string{"GREETING": "hello"}},
		Description:  aws.String("updated"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if updated.LastUpdateStatus != types.LastUpdateStatusInProgress || updated.State != types.StateActive {
		t.Errorf("after UpdateFunctionConfiguration: State/LastUpdateStatus = %s/%s, want Active/InProgress", updated.State, updated.LastUpdateStatus)
	}
	if aws.ToString(updated.RevisionId) == aws.ToString(created.RevisionId) {
		t.Error("RevisionId did not change on update")
	}
	_, err = h.client.UpdateFunctionConfiguration(c, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(name), Timeout: aws.Int32(11)})
	ae := apiError(t, err, "ResourceConflictException", http.StatusConflict)
	if want := "The operation cannot be performed at this time. An update is in progress for resource: " + functionARN(name); ae.ErrorMessage() != want {
		t.Errorf("update during update: %q, want %q", ae.ErrorMessage(), want)
	}
	h.waitUpdated(t, name)
	cfg, err := h.client.GetFunctionConfiguration(c, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(cfg.Timeout) != 10 || aws.ToInt32(cfg.MemorySize) != 256 || cfg.Environment == nil ||
		cfg.Environment.Variables["GREETING"] != "hello" || aws.ToString(cfg.Description) != "updated" {
		t.Errorf("configuration after update: timeout %d, memory %d, env %+v, description %q",
			aws.ToInt32(cfg.Timeout), aws.ToInt32(cfg.MemorySize), cfg.Environment, aws.ToString(cfg.Description))
	}

	// Publish, then change the code: version 1 keeps the old package.
	v1, err := h.client.PublishVersion(c, &lambda.PublishVersionInput{FunctionName: aws.String(name), Description: aws.String("first")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(v1.Version) != "1" || aws.ToString(v1.FunctionArn) != functionARN(name)+":1" || aws.ToString(v1.Description) != "first" {
		t.Errorf("PublishVersion = version %s, arn %s, description %q", aws.ToString(v1.Version), aws.ToString(v1.FunctionArn), aws.ToString(v1.Description))
	}
	h.waitVersion(t, name, "1")
	again, err := h.client.PublishVersion(c, &lambda.PublishVersionInput{FunctionName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(again.Version) != "1" {
		t.Errorf("publishing an unchanged function made version %s, want 1 again", aws.ToString(again.Version))
	}
	failCode := stubZip(t, "second")
	codeUpdate, err := h.client.UpdateFunctionCode(c, &lambda.UpdateFunctionCodeInput{FunctionName: aws.String(name), ZipFile: failCode})
	if err != nil {
		t.Fatal(err)
	}
	if codeUpdate.LastUpdateStatus != types.LastUpdateStatusInProgress || aws.ToString(codeUpdate.CodeSha256) == aws.ToString(created.CodeSha256) {
		t.Errorf("UpdateFunctionCode: LastUpdateStatus %s, CodeSha256 %s", codeUpdate.LastUpdateStatus, aws.ToString(codeUpdate.CodeSha256))
	}
	_, err = h.client.PublishVersion(c, &lambda.PublishVersionInput{FunctionName: aws.String(name)})
	apiError(t, err, "ResourceConflictException", http.StatusConflict)
	h.waitUpdated(t, name)
	v2, err := h.client.PublishVersion(c, &lambda.PublishVersionInput{FunctionName: aws.String(name), CodeSha256: codeUpdate.CodeSha256})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(v2.Version) != "2" {
		t.Errorf("second version = %s, want 2", aws.ToString(v2.Version))
	}
	old, err := h.client.GetFunctionConfiguration(c, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(name), Qualifier: aws.String("1")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(old.CodeSha256) != aws.ToString(created.CodeSha256) || aws.ToString(old.Version) != "1" {
		t.Errorf("version 1 has CodeSha256 %s and Version %s", aws.ToString(old.CodeSha256), aws.ToString(old.Version))
	}
	versions, err := h.client.ListVersionsByFunction(c, &lambda.ListVersionsByFunctionInput{FunctionName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, v := range versions.Versions {
		listed = append(listed, aws.ToString(v.Version))
	}
	if strings.Join(listed, ",") != "$LATEST,1,2" {
		t.Errorf("ListVersionsByFunction = %v, want [$LATEST 1 2]", listed)
	}

	// Reserved concurrency.
	put, err := h.client.PutFunctionConcurrency(c, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String(name), ReservedConcurrentExecutions: aws.Int32(5)})
	if err != nil || aws.ToInt32(put.ReservedConcurrentExecutions) != 5 {
		t.Fatalf("PutFunctionConcurrency: %v, %v", put, err)
	}
	conc, err := h.client.GetFunctionConcurrency(c, &lambda.GetFunctionConcurrencyInput{FunctionName: aws.String(name)})
	if err != nil || aws.ToInt32(conc.ReservedConcurrentExecutions) != 5 {
		t.Fatalf("GetFunctionConcurrency: %v, %v", conc, err)
	}
	got, err = h.client.GetFunction(c, &lambda.GetFunctionInput{FunctionName: aws.String(name)})
	if err != nil || got.Concurrency == nil || aws.ToInt32(got.Concurrency.ReservedConcurrentExecutions) != 5 {
		t.Fatalf("GetFunction Concurrency: %+v, %v", got.Concurrency, err)
	}
	settings, err := h.client.GetAccountSettings(c, &lambda.GetAccountSettingsInput{})
	if err != nil || settings.AccountLimit.ConcurrentExecutions != 1000 || aws.ToInt32(settings.AccountLimit.UnreservedConcurrentExecutions) != 995 {
		t.Fatalf("GetAccountSettings: %+v, %v", settings.AccountLimit, err)
	}
	if _, err := h.client.DeleteFunctionConcurrency(c, &lambda.DeleteFunctionConcurrencyInput{FunctionName: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	conc, err = h.client.GetFunctionConcurrency(c, &lambda.GetFunctionConcurrencyInput{FunctionName: aws.String(name)})
	if err != nil || conc.ReservedConcurrentExecutions != nil {
		t.Fatalf("GetFunctionConcurrency after delete: %v, %v", conc, err)
	}

	// Delete a version, then the function.
	if _, err := h.client.DeleteFunction(c, &lambda.DeleteFunctionInput{FunctionName: aws.String(name), Qualifier: aws.String("1")}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.GetFunctionConfiguration(c, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(name), Qualifier: aws.String("1")})
	apiError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	_, err = h.client.DeleteFunction(c, &lambda.DeleteFunctionInput{FunctionName: aws.String(name), Qualifier: aws.String("$LATEST")})
	apiError(t, err, "InvalidParameterValueException", http.StatusBadRequest)
	if _, err := h.client.DeleteFunction(c, &lambda.DeleteFunctionInput{FunctionName: aws.String(functionARN(name))}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.GetFunction(c, &lambda.GetFunctionInput{FunctionName: aws.String(name)})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) || aws.ToString(nf.Message) != "Function not found: "+functionARN(name) {
		t.Fatalf("GetFunction after delete: %v, want ResourceNotFoundException \"Function not found: %s\"", err, functionARN(name))
	}
	list, err := h.client.ListFunctions(c, &lambda.ListFunctionsInput{})
	if err != nil || len(list.Functions) != 0 {
		t.Fatalf("ListFunctions after delete: %v, %v", list, err)
	}
}

func TestLambda_namesAndQualifiers(t *testing.T) {
	t.Parallel()
	h := start(t)
	c := ctx(t)
	h.create(t, "named", stub, func(in *lambda.CreateFunctionInput) { in.Publish = true })

	for _, fn := range []string{"named", functionARN("named"), testAccount + ":function:named", "named:1", functionARN("named") + ":1"} {
		if _, err := h.client.GetFunction(c, &lambda.GetFunctionInput{FunctionName: aws.String(fn)}); err != nil {
			t.Errorf("GetFunction(%s): %v", fn, err)
		}
	}
	cfg, err := h.client.GetFunctionConfiguration(c, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("named:1")})
	if err != nil || aws.ToString(cfg.Version) != "1" {
		t.Fatalf("GetFunctionConfiguration(named:1): %v, %v", cfg, err)
	}
	_, err = h.client.GetFunction(c, &lambda.GetFunctionInput{FunctionName: aws.String("named:1"), Qualifier: aws.String("2")})
	apiError(t, err, "InvalidParameterValueException", http.StatusBadRequest)
	_, err = h.client.GetFunction(c, &lambda.GetFunctionInput{FunctionName: aws.String("named"), Qualifier: aws.String("9")})
	ae := apiError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	if ae.ErrorMessage() != "Function not found: "+functionARN("named")+":9" {
		t.Errorf("missing version: %q", ae.ErrorMessage())
	}
	_, err = h.client.GetFunction(c, &lambda.GetFunctionInput{FunctionName: aws.String("no such function!")})
	apiError(t, err, "ValidationException", http.StatusBadRequest)
	_, err = h.client.GetFunction(c, &lambda.GetFunctionInput{FunctionName: aws.String("missing")})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("GetFunction(missing): %v, want *types.ResourceNotFoundException", err)
	}
}

func TestLambda_createValidation(t *testing.T) {
	t.Parallel()
	h := start(t)
	c := ctx(t)
	code := stubZip(t, "invalid")
	base := func() *lambda.CreateFunctionInput {
		return &lambda.CreateFunctionInput{
			FunctionName: aws.String("invalid"),
			Runtime:      types.RuntimeProvidedal2023,
			Handler:      aws.String("bootstrap"),
			Role:         aws.String(testRole),
			Code:         &types.FunctionCode{ZipFile: code},
		}
	}
	cases := []struct {
		name    string
		edit    func(*lambda.CreateFunctionInput)
		code    string
		status  int
		message string
	}{
		{"timeout over 900", func(in *lambda.CreateFunctionInput) { in.Timeout = aws.Int32(901) },
			"ValidationException", 400, "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900"},
		{"timeout 0", func(in *lambda.CreateFunctionInput) { in.Timeout = aws.Int32(0) },
			"ValidationException", 400, "1 validation error detected: Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"memory under 128", func(in *lambda.CreateFunctionInput) { in.MemorySize = aws.Int32(64) },
			"ValidationException", 400, "1 validation error detected: Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128"},
		{"memory over 10240", func(in *lambda.CreateFunctionInput) { in.MemorySize = aws.Int32(10241); in.Timeout = aws.Int32(1000) },
			"ValidationException", 400, "2 validation errors detected: "},
		{"unknown runtime", func(in *lambda.CreateFunctionInput) { in.Runtime = "python9.9" },
			"InvalidParameterValueException", 400, "Value python9.9 at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: ["},
		{"blocked runtime", func(in *lambda.CreateFunctionInput) { in.Runtime = types.RuntimeNodejs12x },
			"InvalidParameterValueException", 400, "The runtime parameter of nodejs12.x is no longer supported for creating or updating AWS Lambda functions."},
		{"bad role", func(in *lambda.CreateFunctionInput) { in.Role = aws.String("lambda-role") },
			"ValidationException", 400, "1 validation error detected: Value 'lambda-role' at 'role' failed to satisfy constraint"},
		{"bad name", func(in *lambda.CreateFunctionInput) { in.FunctionName = aws.String("bad name") },
			"ValidationException", 400, "at 'functionName' failed to satisfy constraint"},
		{"S3 code", func(in *lambda.CreateFunctionInput) {
			in.Code = &types.FunctionCode{S3Bucket: aws.String("bucket"), S3Key: aws.String("fn.zip")}
		}, "InvalidParameterValueException", 400, "Code.ZipFile only"},
		{"not a zip", func(in *lambda.CreateFunctionInput) { in.Code = &types.FunctionCode{ZipFile: []byte("not a zip")} },
			"InvalidParameterValueException", 400, "Could not unzip uploaded file. Please check your file, then try to upload again."},
		{"zip escaping its directory", func(in *lambda.CreateFunctionInput) {
			in.Code = &types.FunctionCode{ZipFile: zipWith(t, "../evil", "#!/bin/sh\n")}
		}, "InvalidParameterValueException", 400, "Could not unzip uploaded file. Please check your file, then try to upload again."},
		{"reserved environment variable", func(in *lambda.CreateFunctionInput) {
			in.Environment = &types.Environment{Variables: map[string]string{"AWS_REGION": "eu-west-1"}}
		}, "InvalidParameterValueException", 400, "Reserved keys used in this request: AWS_REGION"},
		{"environment over 4 KB", func(in *lambda.CreateFunctionInput) {
			in.Environment = &types.Environment{Variables: map[string]string{"BIG": strings.Repeat("x", 4100)}}
		}, "InvalidParameterValueException", 400, "exceeded the 4KB limit"},
		{"container image", func(in *lambda.CreateFunctionInput) {
			in.PackageType = types.PackageTypeImage
			in.Code = &types.FunctionCode{ImageUri: aws.String("123456789012.dkr.ecr.us-east-1.amazonaws.com/fn:latest")}
		}, "InvalidParameterValueException", 400, ".zip deployment packages only"},
		{"layers", func(in *lambda.CreateFunctionInput) {
			in.Layers = []string{"arn:aws:lambda:us-east-1:123456789012:layer:deps:1"}
		}, "InvalidParameterValueException", 400, "layers"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := base()
			tc.edit(in)
			_, err := h.client.CreateFunction(c, in)
			ae := apiError(t, err, tc.code, tc.status)
			if !strings.Contains(ae.ErrorMessage(), tc.message) {
				t.Errorf("message = %q, want it to contain %q", ae.ErrorMessage(), tc.message)
			}
		})
	}
	list, err := h.client.ListFunctions(c, &lambda.ListFunctionsInput{})
	if err != nil || len(list.Functions) != 0 {
		t.Fatalf("refused creates left functions behind: %v, %v", list, err)
	}
}

func TestLambda_permissions(t *testing.T) {
	t.Parallel()
	h := start(t)
	c := ctx(t)
	const name = "guarded"
	h.create(t, name, stub, func(in *lambda.CreateFunctionInput) { in.Publish = true })
	h.waitVersion(t, name, "1")

	_, err := h.client.GetPolicy(c, &lambda.GetPolicyInput{FunctionName: aws.String(name)})
	ae := apiError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	if ae.ErrorMessage() != "The resource you requested does not exist." {
		t.Errorf("GetPolicy without a policy: %q", ae.ErrorMessage())
	}

	added, err := h.client.AddPermission(c, &lambda.AddPermissionInput{
		FunctionName:  aws.String(name),
		StatementId:   aws.String("s3"),
		Action:        aws.String("lambda:InvokeFunction"),
		Principal:     aws.String("s3.amazonaws.com"),
		SourceArn:     aws.String("arn:aws:s3:::uploads"),
		SourceAccount: aws.String("123456789012"),
	})
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	if err := json.Unmarshal([]byte(aws.ToString(added.Statement)), &st); err != nil {
		t.Fatalf("Statement %q: %v", aws.ToString(added.Statement), err)
	}
	wantStatement := map[string]any{
		"Sid":       "s3",
		"Effect":    "Allow",
		"Principal": map[string]any{"Service": "s3.amazonaws.com"},
		"Action":    "lambda:InvokeFunction",
		"Resource":  functionARN(name),
		"Condition": map[string]any{
			"StringEquals": map[string]any{"AWS:SourceAccount": "123456789012"},
			"ArnLike":      map[string]any{"AWS:SourceArn": "arn:aws:s3:::uploads"},
		},
	}
	if !jsonEqual(st, wantStatement) {
		t.Errorf("Statement = %s", aws.ToString(added.Statement))
	}

	// Statements of version 1 live in version 1's policy.
	if _, err := h.client.AddPermission(c, &lambda.AddPermissionInput{
		FunctionName: aws.String(name), Qualifier: aws.String("1"), StatementId: aws.String("events"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("events.amazonaws.com"),
		SourceArn: aws.String("arn:aws:events:us-east-1:123456789012:rule/nightly"),
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.AddPermission(c, &lambda.AddPermissionInput{
		FunctionName: aws.String(name + ":1"), StatementId: aws.String("s3"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("123456789012"),
	}); err != nil {
		t.Fatalf("the same statement id on another qualifier: %v", err)
	}
	_, err = h.client.AddPermission(c, &lambda.AddPermissionInput{
		FunctionName: aws.String(name), StatementId: aws.String("s3"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("sns.amazonaws.com"),
	})
	var conflict *types.ResourceConflictException
	if !errors.As(err, &conflict) {
		t.Fatalf("duplicate statement id: %v, want ResourceConflictException", err)
	}
	ae = apiError(t, err, "ResourceConflictException", http.StatusConflict)
	if ae.ErrorMessage() != "The statement id (s3) provided already exists. Please provide a new statement id, or remove the existing statement." {
		t.Errorf("duplicate statement id: %q", ae.ErrorMessage())
	}
	_, err = h.client.AddPermission(c, &lambda.AddPermissionInput{
		FunctionName: aws.String(name), Qualifier: aws.String("7"), StatementId: aws.String("x"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("sns.amazonaws.com"),
	})
	apiError(t, err, "ResourceNotFoundException", http.StatusNotFound)

	fn, err := h.client.GetFunction(c, &lambda.GetFunctionInput{FunctionName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	unqualified := h.policy(t, name, "")
	if got := sids(unqualified.doc); got != "s3" {
		t.Errorf("unqualified policy has statements %s, want s3", got)
	}
	if unqualified.doc["Version"] != "2012-10-17" || unqualified.doc["Id"] != "default" {
		t.Errorf("policy document %v", unqualified.doc)
	}
	if unqualified.revision != aws.ToString(fn.Configuration.RevisionId) {
		t.Errorf("policy RevisionId %s, function RevisionId %s", unqualified.revision, aws.ToString(fn.Configuration.RevisionId))
	}
	v1 := h.policy(t, name, "1")
	if got := sids(v1.doc); got != "events,s3" {
		t.Errorf("version 1 policy has statements %s, want events,s3", got)
	}
	for _, s := range v1.doc["Statement"].([]any) {
		st := s.(map[string]any)
		if st["Resource"] != functionARN(name)+":1" {
			t.Errorf("statement %v: Resource %v, want the qualified ARN", st["Sid"], st["Resource"])
		}
		if st["Sid"] == "s3" && !jsonEqual(st["Principal"], map[string]any{"AWS": "arn:aws:iam::123456789012:root"}) {
			t.Errorf("account principal written as %v", st["Principal"])
		}
	}

	// A stale RevisionId is refused.
	_, err = h.client.AddPermission(c, &lambda.AddPermissionInput{
		FunctionName: aws.String(name), StatementId: aws.String("late"), RevisionId: aws.String("00000000-0000-0000-0000-000000000000"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("sns.amazonaws.com"),
	})
	apiError(t, err, "PreconditionFailedException", http.StatusPreconditionFailed)

	if _, err := h.client.RemovePermission(c, &lambda.RemovePermissionInput{FunctionName: aws.String(name), StatementId: aws.String("s3")}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.GetPolicy(c, &lambda.GetPolicyInput{FunctionName: aws.String(name)})
	apiError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	_, err = h.client.RemovePermission(c, &lambda.RemovePermissionInput{FunctionName: aws.String(name), Qualifier: aws.String("1"), StatementId: aws.String("gone")})
	ae = apiError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	if ae.ErrorMessage() != "Statement gone is not found in resource policy." {
		t.Errorf("removing a missing statement: %q", ae.ErrorMessage())
	}
	if got := sids(h.policy(t, name, "1").doc); got != "events,s3" {
		t.Errorf("version 1 policy after removing the unqualified statement: %s", got)
	}
}

type policyOut struct {
	doc      map[string]any
	revision string
}

func (h *harness) policy(t *testing.T, name, qualifier string) policyOut {
	t.Helper()
	in := &lambda.GetPolicyInput{FunctionName: aws.String(name)}
	if qualifier != "" {
		in.Qualifier = aws.String(qualifier)
	}
	out, err := h.client.GetPolicy(ctx(t), in)
	if err != nil {
		t.Fatalf("GetPolicy(%s, %q): %v", name, qualifier, err)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(aws.ToString(out.Policy)), &doc); err != nil {
		t.Fatalf("Policy %q: %v", aws.ToString(out.Policy), err)
	}
	return policyOut{doc: doc, revision: aws.ToString(out.RevisionId)}
}

func sids(doc map[string]any) string {
	var out []string
	for _, s := range doc["Statement"].([]any) {
		out = append(out, s.(map[string]any)["Sid"].(string))
	}
	return strings.Join(out, ",")
}

func jsonEqual(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

func TestLambda_listAndTags(t *testing.T) {
	t.Parallel()
	h := start(t)
	c := ctx(t)
	for _, name := range []string{"list-c", "list-a", "list-b"} {
		h.create(t, name, stub)
	}
	if _, err := h.client.PublishVersion(c, &lambda.PublishVersionInput{FunctionName: aws.String("list-a")}); err != nil {
		t.Fatal(err)
	}

	var names []string
	pages := lambda.NewListFunctionsPaginator(h.client, &lambda.ListFunctionsInput{MaxItems: aws.Int32(2)})
	for n := 0; pages.HasMorePages(); n++ {
		page, err := pages.NextPage(c)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Functions) > 2 {
			t.Fatalf("page %d has %d functions", n, len(page.Functions))
		}
		for _, f := range page.Functions {
			names = append(names, aws.ToString(f.FunctionName))
			if f.State != "" {
				t.Errorf("ListFunctions shows State %s; AWS leaves it out", f.State)
			}
		}
	}
	if strings.Join(names, ",") != "list-a,list-b,list-c" {
		t.Errorf("ListFunctions = %v", names)
	}
	all, err := h.client.ListFunctions(c, &lambda.ListFunctionsInput{FunctionVersion: types.FunctionVersionAll})
	if err != nil {
		t.Fatal(err)
	}
	var versions []string
	for _, f := range all.Functions {
		versions = append(versions, aws.ToString(f.FunctionName)+":"+aws.ToString(f.Version))
	}
	if strings.Join(versions, ",") != "list-a:$LATEST,list-a:1,list-b:$LATEST,list-c:$LATEST" {
		t.Errorf("ListFunctions(ALL) = %v", versions)
	}

	arn := functionARN("list-a")
	if _, err := h.client.TagResource(c, &lambda.TagResourceInput{Resource: aws.String(arn), Tags: map[string]string{"a": "1", "b": "2"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.UntagResource(c, &lambda.UntagResourceInput{Resource: aws.String(arn), TagKeys: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := h.client.ListTags(c, &lambda.ListTagsInput{Resource: aws.String(arn)})
	if err != nil || len(tags.Tags) != 1 || tags.Tags["b"] != "2" {
		t.Fatalf("ListTags = %v, %v", tags, err)
	}
	_, err = h.client.ListTags(c, &lambda.ListTagsInput{Resource: aws.String(functionARN("missing"))})
	apiError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

func TestLambda_concurrencyLimits(t *testing.T) {
	t.Parallel()
	h := start(t)
	c := ctx(t)
	h.create(t, "big", stub)
	h.create(t, "small", stub)
	if _, err := h.client.PutFunctionConcurrency(c, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("big"), ReservedConcurrentExecutions: aws.Int32(900)}); err != nil {
		t.Fatalf("reserving 900 of 1000: %v", err)
	}
	_, err := h.client.PutFunctionConcurrency(c, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("small"), ReservedConcurrentExecutions: aws.Int32(1)})
	ae := apiError(t, err, "InvalidParameterValueException", http.StatusBadRequest)
	if want := "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100]."; ae.ErrorMessage() != want {
		t.Errorf("message = %q, want %q", ae.ErrorMessage(), want)
	}
	// Raising or keeping a function's own reservation counts it once.
	if _, err := h.client.PutFunctionConcurrency(c, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("big"), ReservedConcurrentExecutions: aws.Int32(900)}); err != nil {
		t.Fatalf("putting the same reservation again: %v", err)
	}
	_, err = h.client.PutFunctionConcurrency(c, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("big"), ReservedConcurrentExecutions: aws.Int32(-1)})
	apiError(t, err, "ValidationException", http.StatusBadRequest)
	_, err = h.client.PutFunctionConcurrency(c, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("nothing"), ReservedConcurrentExecutions: aws.Int32(1)})
	apiError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

// zipWith is a package holding one file, named as given (even ../evil).
func zipWith(t *testing.T, name, content string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, content)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
