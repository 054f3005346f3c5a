package alb_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/callers/alb"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invlog"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/runtime"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/elbv2"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/simtest"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

func TestMain(m *testing.M) {
	code := m.Run()
	sharedMu.Lock()
	if shared != nil {
		shared.close()
	}
	sharedMu.Unlock()
	testfn.Cleanup()
	os.Exit(code)
}

// The tests that only need a function share one harness and one httpecho function ("echo"):
// building and starting a function is the slow part of these tests. Each test wires its own load
// balancer and target group, and permissions are scoped to target groups, so they do not interfere.
var (
	sharedMu    sync.Mutex
	shared      *harness
	sharedFnARN string
)

func sharedHarness(t *testing.T) (*harness, string) {
	t.Helper()
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if shared == nil {
		st, err := store.OpenTemp()
		if err != nil {
			t.Fatal(err)
		}
		h := build(t, st)
		shared, sharedFnARN = h, h.createFunction(t, "echo")
	}
	return shared, sharedFnARN
}

const (
	region  = "us-east-1"
	account = "000000000000"
	role    = "arn:aws:iam::000000000000:role/lambda-test"
)

// harness is the chain an ALB request travels: the Lambda service with a real runtime, ELBv2 and
// the ALB front door, served on 127.0.0.1 like the simulator, with SDK clients pointed at it.
type harness struct {
	endpoint string
	lambda   *lambdasdk.Client
	elb      *elbsdk.Client
	fd       *alb.FrontDoor
	elbSvc   *elbv2.Service
	close    func()
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	return c
}

// start builds the chain on st, closed (with st) when the test ends.
func start(t *testing.T, st *store.Store) *harness {
	t.Helper()
	h := build(t, st)
	t.Cleanup(h.close)
	return h
}

// build builds the chain on st; h.close closes it and st.
func build(t *testing.T, st *store.Store) *harness {
	t.Helper()
	h := &harness{}
	clk := clock.Real()
	rt := runtime.NewManager(runtime.ManagerConfig{Clock: clk, Endpoint: func() string { return h.endpoint }, Region: region, AccountID: account, Logger: quiet()})
	log := invlog.New(st)
	inv := invoke.New(invoke.Config{Runtime: rt, Log: log, Clock: clk, Logger: quiet()})
	lam, err := lambda.New(lambda.Config{Store: st, Runtime: rt, Invoker: inv, Clock: clk, Region: region, AccountID: account, Logger: quiet(), ActivationDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	h.elbSvc, err = elbv2.New(elbv2.Config{Store: st, Clock: clk, Region: region, AccountID: account, Logger: quiet(), Lambda: lam})
	if err != nil {
		t.Fatal(err)
	}
	h.fd, err = alb.New(alb.Config{ELB: h.elbSvc, Lambda: lam, Invoker: inv, Clock: clk, Region: region, AccountID: account, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	router := server.NewRouter()
	router.Service("lambda", lam)
	for _, p := range lambda.PathPrefixes {
		router.PathPrefix(p, lam)
	}
	h.elbSvc.Register(router)
	h.fd.Register(router)
	srv := httptest.NewServer(awswire.WithRequestID(router))
	h.endpoint = srv.URL
	creds := credentials.NewStaticCredentialsProvider("AKIDTEST", "test", "")
	h.lambda = lambdasdk.New(lambdasdk.Options{Region: region, Credentials: creds, BaseEndpoint: aws.String(srv.URL), Retryer: aws.NopRetryer{}, HTTPClient: simtest.HTTPClient()})
	h.elb = elbsdk.New(elbsdk.Options{Region: region, Credentials: creds, BaseEndpoint: aws.String(srv.URL), Retryer: aws.NopRetryer{}, HTTPClient: simtest.HTTPClient()})
	closed := false
	h.close = func() {
		if closed {
			return
		}
		closed = true
		srv.Close()
		h.fd.Close()
		h.elbSvc.Close()
		lam.Close()
		rt.Close()
		log.Close()
		st.Close()
	}
	return h
}

// createFunction creates an httpecho function and waits until it is Active; it returns its ARN.
func (h *harness) createFunction(t *testing.T, name string) string {
	t.Helper()
	out, err := h.lambda.CreateFunction(ctx(t), &lambdasdk.CreateFunctionInput{
		FunctionName: aws.String(name), Runtime: lambdatypes.RuntimeProvidedal2023, Handler: aws.String("bootstrap"),
		Role: aws.String(role), Code: &lambdatypes.FunctionCode{ZipFile: testfn.Zip(t, testfn.HTTPEcho)},
	})
	if err != nil {
		t.Fatalf("CreateFunction: %v", err)
	}
	w := lambdasdk.NewFunctionActiveV2Waiter(h.lambda, func(o *lambdasdk.FunctionActiveV2WaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 50*time.Millisecond
	})
	if err := w.Wait(ctx(t), &lambdasdk.GetFunctionInput{FunctionName: aws.String(name)}, time.Minute); err != nil {
		t.Fatalf("waiting for %s: %v", name, err)
	}
	return aws.ToString(out.FunctionArn)
}
