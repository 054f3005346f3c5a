package eventconfig_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/runtime"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda/eventconfig"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/simtest"
)

const (
	region  = "us-east-1"
	account = "000000000000"
	role    = "arn:aws:iam::000000000000:role/lambda-test"
	fnARN   = "arn:aws:lambda:us-east-1:000000000000:function:"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

type denyList struct {
	mu     sync.Mutex
	denied map[string]bool
}

func (d *denyList) Allowed(_ context.Context, roleARN, action, resource string) (bool, string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return !d.denied[action+" "+resource], "", nil
}

type harness struct {
	dir    string
	clk    *clock.Manual
	st     *store.Store
	rt     *runtime.Manager
	lambda *lambda.Service
	ec     *eventconfig.Service
	srv    *httptest.Server
	c      *lambdasdk.Client
	roles  *denyList
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func start(t *testing.T, dir string) *harness {
	t.Helper()
	h := &harness{dir: dir, clk: clock.NewManual(t0), roles: &denyList{denied: map[string]bool{}}}
	var err error
	if h.st, err = store.Open(dir); err != nil {
		t.Fatal(err)
	}
	h.rt = runtime.NewManager(runtime.ManagerConfig{Clock: h.clk, WorkDir: dir + "/work", Region: region, AccountID: account, Logger: quiet(), Endpoint: func() string { return "" }})
	inv := invoke.New(invoke.Config{Runtime: h.rt, Clock: h.clk, Logger: quiet()})
	if h.lambda, err = lambda.New(lambda.Config{Store: h.st, Runtime: h.rt, Invoker: inv, Clock: h.clk, Region: region, AccountID: account, Logger: quiet(), ActivationDelay: time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if h.ec, err = eventconfig.New(eventconfig.Config{Store: h.st, Clock: h.clk, Functions: h.lambda, Roles: h.roles, Region: region, AccountID: account, Logger: quiet()}); err != nil {
		t.Fatal(err)
	}
	h.lambda.Mount(h.ec.Handler(), eventconfig.Patterns...)
	h.srv = httptest.NewServer(awswire.WithRequestID(h.lambda))
	h.c = lambdasdk.New(lambdasdk.Options{Region: region, Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", ""),
		BaseEndpoint: aws.String(h.srv.URL), HTTPClient: simtest.HTTPClient(), Retryer: aws.NopRetryer{}})
	t.Cleanup(h.close)
	return h
}

func (h *harness) close() {
	if h.st == nil {
		return
	}
	h.srv.Close()
	h.ec.Close()
	h.lambda.Close()
	h.rt.Close()
	h.st.Close()
	h.st = nil
}

func tinyZip(t *testing.T) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("bootstrap")
	w.Write([]byte("#!/bin/sh\n"))
	zw.Close()
	return buf.Bytes()
}

func (h *harness) createFunction(t *testing.T, name string, publish bool) {
	t.Helper()
	_, err := h.c.CreateFunction(context.Background(), &lambdasdk.CreateFunctionInput{FunctionName: aws.String(name), Runtime: types.RuntimeProvidedal2023,
		Handler: aws.String("bootstrap"), Role: aws.String(role), Code: &types.FunctionCode{ZipFile: tinyZip(t)}, Publish: publish})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		h.clk.Advance(time.Second)
		c, err := h.c.GetFunctionConfiguration(context.Background(), &lambdasdk.GetFunctionConfigurationInput{FunctionName: aws.String(name)})
		if err == nil && c.State == types.StateActive {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("function %s never became Active", name)
		}
		time.Sleep(time.Millisecond)
	}
}

func code(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode() + ": " + ae.ErrorMessage()
	}
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func TestPutGetUpdateListDelete(t *testing.T) {
	h := start(t, t.TempDir())
	ctx := context.Background()
	h.createFunction(t, "f", true)
	queue := "arn:aws:sqs:us-east-1:000000000000:q"
	put, err := h.c.PutFunctionEventInvokeConfig(ctx, &lambdasdk.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("f"),
		MaximumRetryAttempts: aws.Int32(1), MaximumEventAgeInSeconds: aws.Int32(3600),
		DestinationConfig: &types.DestinationConfig{OnFailure: &types.OnFailure{Destination: aws.String(queue)}}})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(put.FunctionArn) != fnARN+"f:$LATEST" || !put.LastModified.Equal(h.clk.Now().Truncate(time.Millisecond)) {
		t.Errorf("Put answered %s %v (clock %v)", aws.ToString(put.FunctionArn), put.LastModified, h.clk.Now())
	}
	// Update merges: the retry count changes, the age and the destination stay.
	h.clk.Advance(time.Minute)
	upd, err := h.c.UpdateFunctionEventInvokeConfig(ctx, &lambdasdk.UpdateFunctionEventInvokeConfigInput{FunctionName: aws.String("f"), MaximumRetryAttempts: aws.Int32(0)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(upd.MaximumRetryAttempts) != 0 || aws.ToInt32(upd.MaximumEventAgeInSeconds) != 3600 ||
		upd.DestinationConfig == nil || upd.DestinationConfig.OnFailure == nil || aws.ToString(upd.DestinationConfig.OnFailure.Destination) != queue {
		t.Errorf("Update did not merge: %+v", upd)
	}
	// Put replaces: what it does not name is gone.
	if _, err := h.c.PutFunctionEventInvokeConfig(ctx, &lambdasdk.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("f"), MaximumEventAgeInSeconds: aws.Int32(60)}); err != nil {
		t.Fatal(err)
	}
	got, err := h.c.GetFunctionEventInvokeConfig(ctx, &lambdasdk.GetFunctionEventInvokeConfigInput{FunctionName: aws.String("f")})
	if err != nil {
		t.Fatal(err)
	}
	if got.MaximumRetryAttempts != nil || aws.ToInt32(got.MaximumEventAgeInSeconds) != 60 || (got.DestinationConfig != nil && got.DestinationConfig.OnFailure != nil) {
		t.Errorf("Put did not replace: %+v", got)
	}
	set, _ := h.ec.Lookup("f", "")
	if set.MaximumRetryAttempts != 2 || set.MaximumEventAgeInSeconds != 60 || set.OnFailure != "" {
		t.Errorf("Lookup with defaults: %+v", set)
	}
	// Per version, listed together (the simulator has no aliases yet).
	for _, q := range []string{"1"} {
		if _, err := h.c.PutFunctionEventInvokeConfig(ctx, &lambdasdk.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("f"), Qualifier: aws.String(q), MaximumRetryAttempts: aws.Int32(0)}); err != nil {
			t.Fatalf("Put on %s: %v", q, err)
		}
	}
	page, err := h.c.ListFunctionEventInvokeConfigs(ctx, &lambdasdk.ListFunctionEventInvokeConfigsInput{FunctionName: aws.String("f"), MaxItems: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.FunctionEventInvokeConfigs) != 1 || page.NextMarker == nil {
		t.Fatalf("first page %+v", page)
	}
	page2, err := h.c.ListFunctionEventInvokeConfigs(ctx, &lambdasdk.ListFunctionEventInvokeConfigsInput{FunctionName: aws.String("f"), Marker: page.NextMarker})
	if err != nil {
		t.Fatal(err)
	}
	var arns []string
	for _, c := range append(page.FunctionEventInvokeConfigs, page2.FunctionEventInvokeConfigs...) {
		arns = append(arns, aws.ToString(c.FunctionArn))
	}
	if len(arns) != 2 || arns[0] != fnARN+"f:$LATEST" || arns[1] != fnARN+"f:1" {
		t.Errorf("listed %v", arns)
	}
	// A qualifier that names nothing.
	_, err = h.c.PutFunctionEventInvokeConfig(ctx, &lambdasdk.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("f"), Qualifier: aws.String("live"), MaximumRetryAttempts: aws.Int32(1)})
	if !errors.As(err, new(*types.ResourceNotFoundException)) {
		t.Errorf("Put on a missing alias: %v", code(err))
	}
	// Delete, then Get and Delete answer ResourceNotFoundException.
	if _, err := h.c.DeleteFunctionEventInvokeConfig(ctx, &lambdasdk.DeleteFunctionEventInvokeConfigInput{FunctionName: aws.String("f"), Qualifier: aws.String("1")}); err != nil {
		t.Fatal(err)
	}
	_, err = h.c.GetFunctionEventInvokeConfig(ctx, &lambdasdk.GetFunctionEventInvokeConfigInput{FunctionName: aws.String("f"), Qualifier: aws.String("1")})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) || aws.ToString(nf.Message) != "The function "+fnARN+"f:1 doesn't have an EventInvokeConfig" {
		t.Errorf("Get after Delete: %v", code(err))
	}
	_, err = h.c.UpdateFunctionEventInvokeConfig(ctx, &lambdasdk.UpdateFunctionEventInvokeConfigInput{FunctionName: aws.String("f"), Qualifier: aws.String("1"), MaximumRetryAttempts: aws.Int32(1)})
	if !errors.As(err, &nf) {
		t.Errorf("Update of a missing config: %v", code(err))
	}

	// A deleted function's configs go with it.
	if err := h.ec.ForgetFunction("f", "1"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.c.PutFunctionEventInvokeConfig(ctx, &lambdasdk.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("f"), Qualifier: aws.String("1"), MaximumRetryAttempts: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	if err := h.ec.ForgetFunction("f", ""); err != nil {
		t.Fatal(err)
	}
	if set, _ := h.ec.Lookup("f", "1"); set.MaximumRetryAttempts != 2 {
		t.Errorf("ForgetFunction left %+v", set)
	}
	if _, err := h.c.PutFunctionEventInvokeConfig(ctx, &lambdasdk.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("f"), MaximumRetryAttempts: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}

	// Durable: a restart keeps the configs.
	dir := h.dir
	h.close()
	h = start(t, dir)
	if _, err := h.c.GetFunctionEventInvokeConfig(ctx, &lambdasdk.GetFunctionEventInvokeConfigInput{FunctionName: aws.String("f")}); err != nil {
		t.Errorf("after a restart: %v", code(err))
	}
}

func TestValidation(t *testing.T) {
	h := start(t, t.TempDir())
	ctx := context.Background()
	h.createFunction(t, "v", false)
	put := func(in *lambdasdk.PutFunctionEventInvokeConfigInput) error {
		if in.FunctionName == nil {
			in.FunctionName = aws.String("v")
		}
		_, err := h.c.PutFunctionEventInvokeConfig(ctx, in)
		return err
	}
	dest := func(success, failure string) *types.DestinationConfig {
		dc := &types.DestinationConfig{}
		if success != "" {
			dc.OnSuccess = &types.OnSuccess{Destination: aws.String(success)}
		}
		if failure != "" {
			dc.OnFailure = &types.OnFailure{Destination: aws.String(failure)}
		}
		return dc
	}
	cases := []struct {
		name string
		in   *lambdasdk.PutFunctionEventInvokeConfigInput
		want string
	}{
		{"retries above 2", &lambdasdk.PutFunctionEventInvokeConfigInput{MaximumRetryAttempts: aws.Int32(3)},
			"ValidationException: 1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2"},
		{"age below 60", &lambdasdk.PutFunctionEventInvokeConfigInput{MaximumEventAgeInSeconds: aws.Int32(59)},
			"ValidationException: 1 validation error detected: Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60"},
		{"age above 21600", &lambdasdk.PutFunctionEventInvokeConfigInput{MaximumEventAgeInSeconds: aws.Int32(21601)},
			"ValidationException: 1 validation error detected: Value '21601' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value less than or equal to 21600"},
		{"S3 on success", &lambdasdk.PutFunctionEventInvokeConfigInput{DestinationConfig: dest("arn:aws:s3:::bucket", "")},
			"InvalidParameterValueException: S3 buckets are supported only for on-failure destinations: arn:aws:s3:::bucket"},
		{"unsupported type", &lambdasdk.PutFunctionEventInvokeConfigInput{DestinationConfig: dest("", "arn:aws:dynamodb:us-east-1:000000000000:table/t")},
			"InvalidParameterValueException: The provided destination arn:aws:dynamodb:us-east-1:000000000000:table/t is not a supported destination type."},
		{"missing function", &lambdasdk.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("nope"), MaximumRetryAttempts: aws.Int32(1)},
			"ResourceNotFoundException: Function not found: " + fnARN + "nope"},
	}
	for _, c := range cases {
		if got := code(put(c.in)); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
	for _, ok := range []*types.DestinationConfig{
		dest("arn:aws:sqs:us-east-1:000000000000:q", "arn:aws:s3:::bucket"),
		dest("arn:aws:sns:us-east-1:000000000000:t", "arn:aws:lambda:us-east-1:000000000000:function:g"),
		dest("arn:aws:events:us-east-1:000000000000:event-bus/default", ""),
	} {
		if err := put(&lambdasdk.PutFunctionEventInvokeConfigInput{DestinationConfig: ok}); err != nil {
			t.Errorf("valid destinations refused: %v", code(err))
		}
	}
	// The role check at configuration time, for each kind.
	for arn, verb := range map[string]string{
		"arn:aws:sqs:us-east-1:000000000000:q":                    "SendMessage",
		"arn:aws:sns:us-east-1:000000000000:t":                    "Publish",
		"arn:aws:lambda:us-east-1:000000000000:function:g":        "InvokeFunction",
		"arn:aws:events:us-east-1:000000000000:event-bus/default": "PutEvents",
		"arn:aws:s3:::bucket":                                     "PutObject",
	} {
		t0, _ := eventconfig.ParseDestination(arn, true)
		h.roles.mu.Lock()
		h.roles.denied[t0.Action+" "+arn] = true
		h.roles.mu.Unlock()
		want := "InvalidParameterValueException: The function's execution role does not have permissions to call " + verb + " on " + arn
		if got := code(put(&lambdasdk.PutFunctionEventInvokeConfigInput{DestinationConfig: dest("", arn)})); got != want {
			t.Errorf("denied %s:\n got %s\nwant %s", arn, got, want)
		}
	}
}

// Unknown methods on the API's paths are not 200.
func TestUnknownMethod(t *testing.T) {
	h := start(t, t.TempDir())
	req, _ := http.NewRequest(http.MethodPatch, h.srv.URL+"/2019-09-25/functions/f/event-invoke-config", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode < 400 {
		t.Errorf("PATCH answered %d", resp.StatusCode)
	}
}

// FuzzDecodeWriteBody: the Put/Update decoder never panics and rejects what is not JSON.
func FuzzDecodeWriteBody(f *testing.F) {
	f.Add([]byte(`{"DestinationConfig":{"OnFailure":{"Destination":"__Destination__"},"OnSuccess":{"Destination":"__Destination__"}},"MaximumEventAgeInSeconds":1,"MaximumRetryAttempts":1}`))
	f.Add([]byte(``))
	f.Add([]byte(`{"MaximumRetryAttempts":"x"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		in, e := eventconfig.DecodeWriteBody(body)
		if e == nil && in == nil {
			t.Fatal("no input and no error")
		}
		if e != nil && e.Status != 400 {
			t.Fatalf("status %d", e.Status)
		}
	})
}
