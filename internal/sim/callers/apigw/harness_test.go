package apigw_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	sdkapigw "github.com/aws/aws-sdk-go-v2/service/apigateway"
	sdkapigw2 "github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	sdklambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/callers/apigw"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invlog"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/runtime"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/apigateway"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/apigatewayv2"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/simtest"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testfn.Cleanup()
	os.Exit(code)
}

const (
	region  = "us-east-1"
	account = "000000000000"
)

// chain is the whole path of a call: Lambda, both API Gateway control planes and the front door
// on one router, assembled the way internal/sim/sim.go assembles the simulator.
type chain struct {
	url    string
	lambda *sdklambda.Client
	v1     *sdkapigw.Client
	v2     *sdkapigw2.Client
	log    *invlog.Log
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func startChain(t *testing.T) *chain {
	t.Helper()
	st, err := store.OpenTemp()
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.Real()
	var endpoint string
	ilog := invlog.New(st)
	rt := runtime.NewManager(runtime.ManagerConfig{Clock: clk, IdleTimeout: time.Minute, Endpoint: func() string { return endpoint },
		Region: region, AccountID: account, Logger: quiet()})
	inv := invoke.New(invoke.Config{Runtime: rt, Log: ilog, Clock: clk, Logger: quiet()})
	lam, err := lambda.New(lambda.Config{Store: st, Runtime: rt, Invoker: inv, Clock: clk, Region: region, AccountID: account,
		Logger: quiet(), ActivationDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	v2, err := apigatewayv2.New(apigatewayv2.Config{Store: st, Clock: clk, Region: region, AccountID: account, Logger: quiet(),
		Endpoint: func() string { return endpoint }})
	if err != nil {
		t.Fatal(err)
	}
	v1, err := apigateway.New(apigateway.Config{Store: st, Clock: clk, Region: region, AccountID: account, Logger: quiet(), V2: v2})
	if err != nil {
		t.Fatal(err)
	}
	fd, err := apigw.New(apigw.Config{REST: v1, HTTP: v2, Lambda: lam, Invoker: inv, Clock: clk, Region: region, AccountID: account,
		Logger: quiet(), Endpoint: func() string { return endpoint }})
	if err != nil {
		t.Fatal(err)
	}
	router := server.NewRouter()
	router.Service("lambda", lam)
	for _, p := range lambda.PathPrefixes {
		router.PathPrefix(p, lam)
	}
	v1.Register(router)
	fd.Register(router)
	srv := httptest.NewServer(awswire.WithRequestID(router))
	endpoint = srv.URL
	t.Cleanup(func() {
		srv.Close()
		fd.Close()
		v1.Close()
		v2.Close()
		lam.Close()
		rt.Close()
		ilog.Close()
		st.Close()
	})
	creds := credentials.NewStaticCredentialsProvider("AKID", "secret", "")
	return &chain{
		url: srv.URL,
		log: ilog,
		lambda: sdklambda.New(sdklambda.Options{Region: region, Credentials: creds, BaseEndpoint: aws.String(srv.URL),
			Retryer: aws.NopRetryer{}, HTTPClient: simtest.HTTPClient()}),
		v1: sdkapigw.New(sdkapigw.Options{Region: region, Credentials: creds, BaseEndpoint: aws.String(srv.URL),
			Retryer: aws.NopRetryer{}, HTTPClient: simtest.HTTPClient()}),
		v2: sdkapigw2.New(sdkapigw2.Options{Region: region, Credentials: creds, BaseEndpoint: aws.String(srv.URL),
			Retryer: aws.NopRetryer{}, HTTPClient: simtest.HTTPClient()}),
	}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	return c
}

// createFunction creates the apigw test function and waits until it is Active; it returns its ARN.
func (c *chain) createFunction(t *testing.T, name string) string {
	t.Helper()
	out, err := c.lambda.CreateFunction(ctx(t), &sdklambda.CreateFunctionInput{
		FunctionName: aws.String(name), Runtime: lambdatypes.RuntimeProvidedal2023, Handler: aws.String("bootstrap"),
		Role: aws.String("arn:aws:iam::000000000000:role/apigw-test"), Code: &lambdatypes.FunctionCode{ZipFile: testfn.Zip(t, testfn.APIGW)},
		Timeout: aws.Int32(10),
	})
	if err != nil {
		t.Fatalf("CreateFunction: %v", err)
	}
	w := sdklambda.NewFunctionActiveV2Waiter(c.lambda, func(o *sdklambda.FunctionActiveV2WaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 50*time.Millisecond
	})
	if err := w.Wait(ctx(t), &sdklambda.GetFunctionInput{FunctionName: aws.String(name)}, time.Minute); err != nil {
		t.Fatal(err)
	}
	return *out.FunctionArn
}

func (c *chain) allow(t *testing.T, fn, sid, sourceARN string) {
	t.Helper()
	if _, err := c.lambda.AddPermission(ctx(t), &sdklambda.AddPermissionInput{FunctionName: aws.String(fn), StatementId: aws.String(sid),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("apigateway.amazonaws.com"), SourceArn: aws.String(sourceARN)}); err != nil {
		t.Fatalf("AddPermission: %v", err)
	}
}

// reply is an HTTP answer read in full.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request; host, when set, is the Host header (the host form of a call).
func do(t *testing.T, method, url, host string, body io.Reader, header map[string][]string) reply {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx(t), method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if host != "" {
		req.Host = host
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, data}
}

// event decodes the event the echo mode sent back as the body.
func (r reply) event(t *testing.T) map[string]any {
	t.Helper()
	var ev map[string]any
	if err := json.Unmarshal(r.body, &ev); err != nil {
		t.Fatalf("body is not the echoed event (%d): %s", r.status, r.body)
	}
	return ev
}

func (r reply) expect(t *testing.T, status int, message string) {
	t.Helper()
	if r.status != status || (message != "" && !strings.Contains(string(r.body), `"message":"`+message+`"`)) {
		t.Fatalf("got %d %s, want %d {\"message\":%q}", r.status, r.body, status, message)
	}
}

func get(m map[string]any, path ...string) any {
	var v any = m
	for _, p := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[p]
	}
	return v
}
