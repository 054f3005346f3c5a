package esm_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	dynamodbsdk "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	kinesissdk "github.com/aws/aws-sdk-go-v2/service/kinesis"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	s3sdk "github.com/aws/aws-sdk-go-v2/service/s3"
	sqssdk "github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/esm"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invlog"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/runtime"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/dynamodb"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/kinesis"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda/esmapi"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/s3"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/sqs"
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
	role    = "arn:aws:iam::000000000000:role/lambda-test"
	delay   = 200 * time.Millisecond
	// waitFor bounds the real-time waits for what the pollers and functions do.
	waitFor = 30 * time.Second
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// roles denies the listed "action resource" pairs.
type roles struct {
	mu     sync.Mutex
	denied map[string]bool
}

func (r *roles) Allowed(_ context.Context, _, action, resource string) (bool, string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return !r.denied[action+" "+resource], "", nil
}

// recorder wraps the real invoker and keeps every event source mapping invocation's payload.
type recorder struct {
	inv *invoke.Invoker
	mu  sync.Mutex
	got []call
	at  chan struct{}
	// inflight and peak count concurrent invocations.
	inflight, peak int
}

type call struct {
	trigger string
	payload []byte
	start   time.Time // real time the invocation began
}

func (r *recorder) Invoke(ctx context.Context, fn invoke.Function, req invoke.Request) (invoke.Result, error) {
	r.mu.Lock()
	r.got = append(r.got, call{trigger: req.Trigger, payload: req.Payload, start: time.Now()})
	r.inflight++
	r.peak = max(r.peak, r.inflight)
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.inflight--
		r.mu.Unlock()
	}()
	select {
	case r.at <- struct{}{}:
	default:
	}
	return r.inv.Invoke(ctx, fn, req)
}

func (r *recorder) calls() []call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]call(nil), r.got...)
}

// harness is the chain sim.go builds, reduced to what mappings use: Lambda with the mapping API
// mounted, SQS, Kinesis, the invoker and real function processes, under a manual clock.
type harness struct {
	s3      *s3.Service
	s3c     *s3sdk.Client
	dir     string
	clk     *clock.Manual
	st      *store.Store
	rt      *runtime.Manager
	log     *invlog.Log
	lambda  *lambda.Service
	sqs     *sqs.Service
	kinesis *kinesis.Service
	dynamo  *dynamodb.Service
	esm     *esm.Service
	rec     *recorder
	roles   *roles
	srv     *httptest.Server
	lc      *lambdasdk.Client
	qc      *sqssdk.Client
	kc      *kinesissdk.Client
	dc      *dynamodbsdk.Client
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func start(t testing.TB, dir string) *harness {
	t.Helper()
	clk := clock.NewManual(t0)
	h := startWith(t, dir, clk)
	h.clk = clk
	return h
}

// startWith builds the harness on any clock (benchmarks use the real one; h.clk stays nil).
func startWith(t testing.TB, dir string, c clock.Clock) *harness {
	t.Helper()
	h := &harness{dir: dir, roles: &roles{denied: map[string]bool{}}}
	var err error
	if h.st, err = store.Open(dir); err != nil {
		t.Fatal(err)
	}
	var srv *httptest.Server
	endpoint := func() string {
		if srv == nil {
			return ""
		}
		return srv.URL
	}
	bus := deliver.NewBus()
	h.log = invlog.New(h.st)
	h.rt = runtime.NewManager(runtime.ManagerConfig{Clock: c, WorkDir: dir + "/work", Region: region, AccountID: account, Logger: quiet(), Endpoint: endpoint})
	inv := invoke.New(invoke.Config{Runtime: h.rt, Log: h.log, Clock: c, Logger: quiet()})
	h.rec = &recorder{inv: inv, at: make(chan struct{}, 1)}
	if h.lambda, err = lambda.New(lambda.Config{Store: h.st, Runtime: h.rt, Invoker: inv, Clock: c, Region: region, AccountID: account, Logger: quiet(), ActivationDelay: time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if h.sqs, err = sqs.New(sqs.Config{Store: h.st, Clock: c, Bus: bus, Region: region, AccountID: account, Logger: quiet(), Endpoint: endpoint}); err != nil {
		t.Fatal(err)
	}
	bus.Register("sqs", h.sqs)
	notify := func(streamARN string) { // as sim.go wires it; h.esm is set before any record is put
		if h.esm != nil {
			h.esm.Notify(streamARN)
		}
	}
	if h.kinesis, err = kinesis.New(kinesis.Config{Store: h.st, Clock: c, Bus: bus, Region: region, AccountID: account, Logger: quiet(), Endpoint: endpoint, OnRecords: notify}); err != nil {
		t.Fatal(err)
	}
	if h.dynamo, err = dynamodb.New(dynamodb.Config{Store: h.st, Clock: c, Bus: bus, Region: region, AccountID: account, Logger: quiet(), Endpoint: endpoint}); err != nil {
		t.Fatal(err)
	}
	if h.s3, err = s3.New(s3.Config{Store: h.st, Clock: c, Bus: bus, Region: region, AccountID: account, Logger: quiet(), Endpoint: endpoint}); err != nil {
		t.Fatal(err)
	}
	bus.Register("s3", h.s3)
	if h.esm, err = esm.New(esm.Config{Store: h.st, Clock: c, Invoker: h.rec, Functions: h.lambda, SQS: h.sqs, Kinesis: h.kinesis, DynamoDB: h.dynamo,
		Bus: bus, Roles: h.roles, Region: region, AccountID: account, Logger: quiet(), TransitionDelay: delay}); err != nil {
		t.Fatal(err)
	}
	h.lambda.Mount(esmapi.New(h.esm, quiet()).Handler(), esmapi.Patterns...)
	router := server.NewRouter()
	router.Service("lambda", h.lambda)
	for _, p := range lambda.PathPrefixes {
		router.PathPrefix(p, h.lambda)
	}
	h.sqs.Register(router)
	h.kinesis.Register(router)
	h.dynamo.Register(router)
	h.s3.Register(router)
	srv = httptest.NewServer(awswire.WithRequestID(router))
	h.srv = srv
	creds := credentials.NewStaticCredentialsProvider("AKID", "secret", "")
	h.lc = lambdasdk.New(lambdasdk.Options{Region: region, Credentials: creds, BaseEndpoint: aws.String(srv.URL), HTTPClient: simtest.HTTPClient(), Retryer: aws.NopRetryer{}})
	h.qc = sqssdk.New(sqssdk.Options{Region: region, Credentials: creds, BaseEndpoint: aws.String(srv.URL), HTTPClient: simtest.HTTPClient(), Retryer: aws.NopRetryer{}})
	h.dc = dynamodbsdk.New(dynamodbsdk.Options{Region: region, Credentials: creds, BaseEndpoint: aws.String(srv.URL), HTTPClient: simtest.HTTPClient(), Retryer: aws.NopRetryer{}})
	h.kc = kinesissdk.New(kinesissdk.Options{Region: region, Credentials: creds, BaseEndpoint: aws.String(srv.URL), HTTPClient: simtest.HTTPClient(), Retryer: aws.NopRetryer{}})
	h.s3c = s3sdk.New(s3sdk.Options{Region: region, Credentials: creds, BaseEndpoint: aws.String(srv.URL), HTTPClient: simtest.HTTPClient(), Retryer: aws.NopRetryer{}, UsePathStyle: true})
	t.Cleanup(h.close)
	return h
}

func (h *harness) close() {
	if h.st == nil {
		return
	}
	h.srv.Close()
	h.esm.Close()
	h.s3.Close()
	h.dynamo.Close()
	h.kinesis.Close()
	h.sqs.Close()
	h.lambda.Close()
	h.rt.Close()
	h.log.Close()
	h.st.Close()
	h.st = nil
}

var ctx = context.Background()

// createFunction creates a function from a test function and waits until it is Active.
func (h *harness) createFunction(t testing.TB, name, code string) {
	t.Helper()
	_, err := h.lc.CreateFunction(ctx, &lambdasdk.CreateFunctionInput{FunctionName: aws.String(name), Runtime: lambdatypes.RuntimeProvidedal2023,
		Handler: aws.String("bootstrap"), Role: aws.String(role), Code: &lambdatypes.FunctionCode{ZipFile: testfn.Zip(t, code)}, Timeout: aws.Int32(10)})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(waitFor)
	for {
		if h.clk != nil {
			h.clk.Advance(10 * time.Millisecond)
		}
		c, err := h.lc.GetFunctionConfiguration(ctx, &lambdasdk.GetFunctionConfigurationInput{FunctionName: aws.String(name)})
		if err == nil && c.State == lambdatypes.StateActive {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("function %s never became Active", name)
		}
		time.Sleep(time.Millisecond)
	}
}

// createQueue creates a queue and returns its URL and ARN.
func (h *harness) createQueue(t testing.TB, name string, attrs map[string]string) (string, string) {
	t.Helper()
	out, err := h.qc.CreateQueue(ctx, &sqssdk.CreateQueueInput{QueueName: aws.String(name), Attributes: attrs})
	if err != nil {
		t.Fatal(err)
	}
	return *out.QueueUrl, "arn:aws:sqs:" + region + ":" + account + ":" + name
}

func (h *harness) send(t testing.TB, url string, bodies ...string) {
	t.Helper()
	for _, b := range bodies {
		if _, err := h.qc.SendMessage(ctx, &sqssdk.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(b)}); err != nil {
			t.Fatal(err)
		}
	}
}

func (h *harness) sendFIFO(t testing.TB, url, group string, bodies ...string) {
	t.Helper()
	for _, b := range bodies {
		if _, err := h.qc.SendMessage(ctx, &sqssdk.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(b),
			MessageGroupId: aws.String(group), MessageDeduplicationId: aws.String(group + b)}); err != nil {
			t.Fatal(err)
		}
	}
}

// counts is (visible, in flight) messages of a queue.
func (h *harness) counts(t testing.TB, url string) (int, int) {
	t.Helper()
	out, err := h.qc.GetQueueAttributes(ctx, &sqssdk.GetQueueAttributesInput{QueueUrl: aws.String(url),
		AttributeNames: []sqstypes.QueueAttributeName{"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"}})
	if err != nil {
		t.Fatal(err)
	}
	v, _ := strconv.Atoi(out.Attributes["ApproximateNumberOfMessages"])
	n, _ := strconv.Atoi(out.Attributes["ApproximateNumberOfMessagesNotVisible"])
	return v, n
}

// waitCounts waits (in real time) until the queue has visible and inFlight messages.
func (h *harness) waitCounts(t testing.TB, url string, visible, inFlight int) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		v, n := h.counts(t, url)
		if v == visible && n == inFlight {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("queue has %d visible and %d in flight, want %d and %d", v, n, visible, inFlight)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// mapping creates a mapping and lets its creation complete.
func (h *harness) mapping(t testing.TB, in *lambdasdk.CreateEventSourceMappingInput) *lambdasdk.CreateEventSourceMappingOutput {
	t.Helper()
	out, err := h.lc.CreateEventSourceMapping(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	h.waitState(t, *out.UUID, "Enabled", "Disabled")
	return out
}

// waitState advances the clock past transitions until the mapping is in one of the states.
func (h *harness) waitState(t testing.TB, id string, states ...string) *lambdasdk.GetEventSourceMappingOutput {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		out, err := h.lc.GetEventSourceMapping(ctx, &lambdasdk.GetEventSourceMappingInput{UUID: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range states {
			if *out.State == s {
				return out
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("mapping %s stays %s, want %v", id, *out.State, states)
		}
		h.clk.Advance(delay / 4)
		time.Sleep(time.Millisecond)
	}
}

// sqsEvent is what a function receives from an SQS mapping.
type sqsEvent struct {
	Records []struct {
		MessageID         string            `json:"messageId"`
		ReceiptHandle     string            `json:"receiptHandle"`
		Body              string            `json:"body"`
		Attributes        map[string]string `json:"attributes"`
		MessageAttributes map[string]struct {
			StringValue *string `json:"stringValue"`
			DataType    string  `json:"dataType"`
		} `json:"messageAttributes"`
		MD5OfBody      string `json:"md5OfBody"`
		EventSource    string `json:"eventSource"`
		EventSourceARN string `json:"eventSourceARN"`
		AWSRegion      string `json:"awsRegion"`
	} `json:"Records"`
}

// batches decodes the SQS batches the function received through the mapping of queueARN.
func (h *harness) batches(t testing.TB, queueARN string) []sqsEvent {
	t.Helper()
	var out []sqsEvent
	for _, c := range h.rec.calls() {
		if c.trigger != "sqs:"+queueARN {
			continue
		}
		var ev sqsEvent
		if err := json.Unmarshal(c.payload, &ev); err != nil {
			t.Fatal(err)
		}
		out = append(out, ev)
	}
	return out
}

// bodies lists the bodies of the batches, one string per batch ("a,b,c").
func bodies(evs []sqsEvent) []string {
	var out []string
	for _, ev := range evs {
		var b []string
		for _, r := range ev.Records {
			b = append(b, r.Body)
		}
		out = append(out, strings.Join(b, ","))
	}
	return out
}

// waitBatches waits until the function got n batches from the queue.
func (h *harness) waitBatches(t testing.TB, queueARN string, n int) []sqsEvent {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		if got := h.batches(t, queueARN); len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("function got %d batches from %s, want %d", len(h.batches(t, queueARN)), queueARN, n)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// waitInvocationsDone waits until the invocation log has n finished records for the trigger.
func (h *harness) waitLogged(t testing.TB, trigger string, n int) []invlog.Record {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		recs, err := h.log.List(invlog.Query{})
		if err != nil {
			t.Fatal(err)
		}
		var got []invlog.Record
		for _, r := range recs {
			if r.Trigger == trigger {
				got = append(got, r)
			}
		}
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("invocation log has %d records for %s, want %d", len(got), trigger, n)
		}
		time.Sleep(2 * time.Millisecond)
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

func asType[T error](err error, target *T) bool { return errors.As(err, target) }
