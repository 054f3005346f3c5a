package urlconfig_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda/urlconfig"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/simtest"
)

// fakeLambda knows the functions "fn" and "other" (and the alias "fn:live").
type fakeLambda struct{}

func (fakeLambda) GetFunction(_ context.Context, in *lambda.GetFunctionInput) (*lambda.GetFunctionOutput, *awswire.Error) {
	name, qualifier, _ := strings.Cut(in.FunctionName, ":")
	if in.Qualifier != "" {
		qualifier = in.Qualifier
	}
	if (name != "fn" && name != "other") || (qualifier != "" && qualifier != "live") {
		return nil, awswire.Errorf(http.StatusNotFound, "ResourceNotFoundException", "Function not found: arn:aws:lambda:us-east-1:000000000000:function:%s", in.FunctionName).WithMessageKey("Message")
	}
	arn := "arn:aws:lambda:us-east-1:000000000000:function:" + name
	if qualifier != "" {
		arn += ":" + qualifier
	}
	return &lambda.GetFunctionOutput{Configuration: lambda.FunctionConfiguration{FunctionName: name, FunctionARN: arn}}, nil
}

type fixture struct {
	svc    *urlconfig.Service
	client *lambdasdk.Client
	clock  *clock.Manual
}

func open(t *testing.T, st *store.Store) *fixture {
	t.Helper()
	clk := clock.NewManual(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	f := &fixture{clock: clk}
	var err error
	f.svc, err = urlconfig.New(urlconfig.Config{Store: st, Clock: clk, Region: "us-east-1", AccountID: "000000000000",
		Endpoint: func() string { return "http://127.0.0.1:4566" }, Lambda: fakeLambda{}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(awswire.WithRequestID(f.svc))
	t.Cleanup(srv.Close)
	f.client = lambdasdk.New(lambdasdk.Options{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKID", "test", ""),
		BaseEndpoint: aws.String(srv.URL), Retryer: aws.NopRetryer{}, HTTPClient: simtest.HTTPClient()})
	return f
}

func temp(t *testing.T) *fixture {
	st, err := store.OpenTemp()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return open(t, st)
}

func apiCode(err error) string {
	var e smithy.APIError
	if errors.As(err, &e) {
		return e.ErrorCode()
	}
	return ""
}

var urlRE = regexp.MustCompile(`^http://([a-z0-9]{32})\.lambda-url\.us-east-1\.localhost:4566/$`)

func TestFunctionURLConfig_lifecycle(t *testing.T) {
	f := temp(t)
	c := context.Background()
	out, err := f.client.CreateFunctionUrlConfig(c, &lambdasdk.CreateFunctionUrlConfigInput{FunctionName: aws.String("fn"), AuthType: types.FunctionUrlAuthTypeAwsIam,
		Cors: &types.Cors{AllowOrigins: []string{"*"}, MaxAge: aws.Int32(60)}})
	if err != nil {
		t.Fatal(err)
	}
	m := urlRE.FindStringSubmatch(aws.ToString(out.FunctionUrl))
	if m == nil || aws.ToString(out.FunctionArn) != "arn:aws:lambda:us-east-1:000000000000:function:fn" || out.AuthType != types.FunctionUrlAuthTypeAwsIam ||
		out.InvokeMode != types.InvokeModeBuffered || aws.ToString(out.CreationTime) != "2026-01-02T03:04:05.000000Z" || aws.ToInt32(out.Cors.MaxAge) != 60 {
		t.Fatalf("Create output %+v", out)
	}
	if u, err := f.svc.Lookup(m[1]); err != nil || u == nil || u.FunctionName != "fn" {
		t.Fatalf("Lookup(%s) = %+v, %v", m[1], u, err)
	}

	_, err = f.client.CreateFunctionUrlConfig(c, &lambdasdk.CreateFunctionUrlConfigInput{FunctionName: aws.String("fn"), AuthType: types.FunctionUrlAuthTypeNone})
	var conflict *types.ResourceConflictException
	if !errors.As(err, &conflict) || !strings.Contains(aws.ToString(conflict.Message), "FunctionUrlConfig exists for this Lambda function") {
		t.Fatalf("second Create: %v", err)
	}
	// An alias has its own URL.
	alias, err := f.client.CreateFunctionUrlConfig(c, &lambdasdk.CreateFunctionUrlConfigInput{FunctionName: aws.String("fn"), Qualifier: aws.String("live"), AuthType: types.FunctionUrlAuthTypeNone})
	if err != nil || aws.ToString(alias.FunctionArn) != "arn:aws:lambda:us-east-1:000000000000:function:fn:live" || aws.ToString(alias.FunctionUrl) == aws.ToString(out.FunctionUrl) {
		t.Fatalf("Create for the alias: %+v %v", alias, err)
	}

	f.clock.Advance(time.Minute)
	upd, err := f.client.UpdateFunctionUrlConfig(c, &lambdasdk.UpdateFunctionUrlConfigInput{FunctionName: aws.String("fn"), AuthType: types.FunctionUrlAuthTypeNone, InvokeMode: types.InvokeModeResponseStream})
	if err != nil || upd.AuthType != types.FunctionUrlAuthTypeNone || upd.InvokeMode != types.InvokeModeResponseStream ||
		aws.ToString(upd.LastModifiedTime) != "2026-01-02T03:05:05.000000Z" || aws.ToString(upd.FunctionUrl) != aws.ToString(out.FunctionUrl) || upd.Cors == nil {
		t.Fatalf("Update: %+v %v", upd, err)
	}
	got, err := f.client.GetFunctionUrlConfig(c, &lambdasdk.GetFunctionUrlConfigInput{FunctionName: aws.String("fn")})
	if err != nil || got.AuthType != types.FunctionUrlAuthTypeNone || aws.ToString(got.CreationTime) != aws.ToString(out.CreationTime) {
		t.Fatalf("Get: %+v %v", got, err)
	}
	list, err := f.client.ListFunctionUrlConfigs(c, &lambdasdk.ListFunctionUrlConfigsInput{FunctionName: aws.String("fn"), MaxItems: aws.Int32(1)})
	if err != nil || len(list.FunctionUrlConfigs) != 1 || aws.ToString(list.NextMarker) == "" {
		t.Fatalf("List page 1: %+v %v", list, err)
	}
	list, err = f.client.ListFunctionUrlConfigs(c, &lambdasdk.ListFunctionUrlConfigsInput{FunctionName: aws.String("fn"), Marker: list.NextMarker})
	if err != nil || len(list.FunctionUrlConfigs) != 1 || list.NextMarker != nil || aws.ToString(list.FunctionUrlConfigs[0].FunctionArn) != aws.ToString(alias.FunctionArn) {
		t.Fatalf("List page 2: %+v %v", list, err)
	}
	if _, err := f.client.DeleteFunctionUrlConfig(c, &lambdasdk.DeleteFunctionUrlConfigInput{FunctionName: aws.String("fn")}); err != nil {
		t.Fatal(err)
	}
	var nf *types.ResourceNotFoundException
	if _, err := f.client.GetFunctionUrlConfig(c, &lambdasdk.GetFunctionUrlConfigInput{FunctionName: aws.String("fn")}); !errors.As(err, &nf) {
		t.Errorf("Get after Delete: %v", err)
	}
	if _, err := f.client.DeleteFunctionUrlConfig(c, &lambdasdk.DeleteFunctionUrlConfigInput{FunctionName: aws.String("fn")}); !errors.As(err, &nf) {
		t.Errorf("second Delete: %v", err)
	}
	if u, _ := f.svc.Lookup(m[1]); u != nil {
		t.Errorf("Lookup after Delete = %+v", u)
	}
}

func TestFunctionURLConfig_errors(t *testing.T) {
	f := temp(t)
	c := context.Background()
	var nf *types.ResourceNotFoundException
	if _, err := f.client.CreateFunctionUrlConfig(c, &lambdasdk.CreateFunctionUrlConfigInput{FunctionName: aws.String("missing"), AuthType: types.FunctionUrlAuthTypeNone}); !errors.As(err, &nf) {
		t.Errorf("unknown function: %v", err)
	}
	if _, err := f.client.GetFunctionUrlConfig(c, &lambdasdk.GetFunctionUrlConfigInput{FunctionName: aws.String("other")}); !errors.As(err, &nf) {
		t.Errorf("no URL: %v", err)
	}
	if _, err := f.client.CreateFunctionUrlConfig(c, &lambdasdk.CreateFunctionUrlConfigInput{FunctionName: aws.String("fn"), AuthType: "BASIC"}); apiCode(err) != "ValidationException" {
		t.Errorf("bad auth type: %v", err)
	}
	if _, err := f.client.CreateFunctionUrlConfig(c, &lambdasdk.CreateFunctionUrlConfigInput{FunctionName: aws.String("fn"), AuthType: types.FunctionUrlAuthTypeNone, Qualifier: aws.String("1")}); apiCode(err) != "ValidationException" {
		t.Errorf("numeric qualifier: %v", err)
	}
	if _, err := f.client.CreateFunctionUrlConfig(c, &lambdasdk.CreateFunctionUrlConfigInput{FunctionName: aws.String("fn"), AuthType: types.FunctionUrlAuthTypeNone,
		Cors: &types.Cors{MaxAge: aws.Int32(86401)}}); apiCode(err) != "ValidationException" {
		t.Errorf("MaxAge over a day: %v", err)
	}
}

func TestFunctionURLConfig_restart(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	f := open(t, st)
	out, err := f.client.CreateFunctionUrlConfig(context.Background(), &lambdasdk.CreateFunctionUrlConfigInput{FunctionName: aws.String("fn"), AuthType: types.FunctionUrlAuthTypeNone})
	if err != nil {
		t.Fatal(err)
	}
	f.svc.Close()
	st.Close()

	st, err = store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f = open(t, st)
	got, err := f.client.GetFunctionUrlConfig(context.Background(), &lambdasdk.GetFunctionUrlConfigInput{FunctionName: aws.String("fn")})
	if err != nil || aws.ToString(got.FunctionUrl) != aws.ToString(out.FunctionUrl) {
		t.Fatalf("after restart: %+v %v", got, err)
	}
	id := urlRE.FindStringSubmatch(aws.ToString(out.FunctionUrl))[1]
	if u, err := f.svc.Lookup(id); err != nil || u == nil {
		t.Errorf("Lookup after restart: %v %v", u, err)
	}
}

func TestDeleteForFunction(t *testing.T) {
	f := temp(t)
	c := context.Background()
	for _, q := range []string{"", "live"} {
		in := &lambdasdk.CreateFunctionUrlConfigInput{FunctionName: aws.String("fn"), AuthType: types.FunctionUrlAuthTypeNone}
		if q != "" {
			in.Qualifier = aws.String(q)
		}
		if _, err := f.client.CreateFunctionUrlConfig(c, in); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.svc.DeleteForFunction("fn", ""); err != nil {
		t.Fatal(err)
	}
	list, err := f.client.ListFunctionUrlConfigs(c, &lambdasdk.ListFunctionUrlConfigsInput{FunctionName: aws.String("fn")})
	if err != nil || len(list.FunctionUrlConfigs) != 0 {
		t.Fatalf("after DeleteForFunction: %+v %v", list, err)
	}
}

func TestParseHost(t *testing.T) {
	id := strings.Repeat("a1", 16)
	for host, want := range map[string]string{
		id + ".lambda-url.us-east-1.localhost":                  id,
		id + ".lambda-url.us-east-1.localhost:4566":             id,
		strings.ToUpper(id) + ".LAMBDA-URL.us-east-1.localhost": id,
		id + ".lambda-url.eu-west-1.localhost":                  "",
		"short.lambda-url.us-east-1.localhost":                  "",
		"127.0.0.1:4566":                                        "",
	} {
		if got := urlconfig.ParseHost(host, "us-east-1"); got != want {
			t.Errorf("ParseHost(%q) = %q, want %q", host, got, want)
		}
	}
}

// FuzzCreateFunctionUrlConfig feeds arbitrary bodies to the request decoder: every answer is a
// Lambda-shaped success or error, never a panic or a 5xx.
func FuzzCreateFunctionUrlConfig(f *testing.F) {
	f.Add(`{"AuthType":"NONE","Cors":{"AllowCredentials":true,"AllowHeaders":["__Member__","__Member__"],"AllowMethods":["__Member__","__Member__"],"AllowOrigins":["__Member__","__Member__"],"ExposeHeaders":["__Member__","__Member__"],"MaxAge":1},"InvokeMode":"BUFFERED"}`)
	f.Add(`{"AuthType":"AWS_IAM"}`)
	f.Add(`{`)
	f.Add(`{"Cors":{"MaxAge":-1}}`)
	st, err := store.OpenTemp()
	if err != nil {
		f.Fatal(err)
	}
	defer st.Close()
	svc, err := urlconfig.New(urlconfig.Config{Store: st, Lambda: fakeLambda{}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, method := range []string{"POST", "PUT"} {
			req := httptest.NewRequest(method, "/2021-10-31/functions/other/url", strings.NewReader(body))
			rec := httptest.NewRecorder()
			svc.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("%s %q: %d %s", method, body, rec.Code, rec.Body)
			}
		}
		req := httptest.NewRequest("DELETE", "/2021-10-31/functions/other/url", nil)
		svc.ServeHTTP(httptest.NewRecorder(), req)
	})
}
