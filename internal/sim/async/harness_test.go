package async_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	s3sdk "github.com/aws/aws-sdk-go-v2/service/s3"
	snssdk "github.com/aws/aws-sdk-go-v2/service/sns"
	sqssdk "github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/async"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invlog"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/runtime"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/events"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda/eventconfig"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/s3"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/sns"
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
	region   = "us-east-1"
	account  = "000000000000"
	testRole = "arn:aws:iam::000000000000:role/lambda-test"
	// waitFor bounds every wait for background work; waits end as soon as the condition holds.
	waitFor = 30 * time.Second
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// fakeRoles is the RoleChecker until the simulated IAM lands: everything is allowed except the
// (action, resource) pairs denied.
type fakeRoles struct {
	mu     sync.Mutex
	denied map[string]bool
}

func (f *fakeRoles) deny(action, resource string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.denied == nil {
		f.denied = map[string]bool{}
	}
	f.denied[action+" "+resource] = true
}

func (f *fakeRoles) Allowed(_ context.Context, role, action, resource string) (bool, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if role == "" {
		return false, "", errors.New("no role")
	}
	if f.denied[action+" "+resource] {
		return false, "no identity-based policy allows the " + action + " action", nil
	}
	return true, "", nil
}

// notes is the Annotator the invocation log will implement: it keeps what the queue said about
// each attempt.
type notes struct {
	mu sync.Mutex
	m  map[string][2]string // requestId/attempt -> retry reason, destination
}

func (n *notes) Annotate(requestID string, attempt int, reason, destination string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.m == nil {
		n.m = map[string][2]string{}
	}
	k := requestID + "/" + itoa(attempt)
	v := n.m[k]
	if reason != "" {
		v[0] = reason
	}
	if destination != "" {
		v[1] = destination
	}
	n.m[k] = v
	return nil
}

func (n *notes) get(requestID string, attempt int) (reason, destination string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	v := n.m[requestID+"/"+itoa(attempt)]
	return v[0], v[1]
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// env is a simulator assembled as sim.go assembles it (store, runtime, invoker, Lambda, SQS, SNS,
// EventBridge, the event invoke config API and the async queue) under a manual clock.
type env struct {
	t      testing.TB
	dir    string
	clk    *clock.Manual // nil when the environment runs on the wall clock
	now    clock.Clock
	st     *store.Store
	log    *invlog.Log
	rt     *runtime.Manager
	inv    *invoke.Invoker
	lambda *lambda.Service
	sqs    *sqs.Service
	sns    *sns.Service
	events *events.Service
	s3     *s3.Service
	ec     *eventconfig.Service
	q      *async.Queue
	srv    *httptest.Server
	roles  *fakeRoles
	notes  *notes

	lc  *lambdasdk.Client
	sqc *sqssdk.Client
	snc *snssdk.Client
	ebc *eventbridge.Client
	s3c *s3sdk.Client
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newEnv builds an environment on a fresh durable store in a temporary directory.
func newEnv(t testing.TB) *env {
	e := &env{t: t, dir: t.TempDir(), clk: clock.NewManual(t0), roles: &fakeRoles{}, notes: &notes{}}
	e.now = e.clk
	e.open()
	t.Cleanup(e.close)
	return e
}

// newRealEnv builds an environment on the wall clock (benchmarks).
func newRealEnv(t testing.TB) *env {
	e := &env{t: t, dir: t.TempDir(), now: clock.Real(), roles: &fakeRoles{}, notes: &notes{}}
	e.open()
	t.Cleanup(e.close)
	return e
}

// open builds every piece on the store in e.dir (again, after close: a restart).
func (e *env) open() {
	t := e.t
	var err error
	if e.st, err = store.Open(e.dir); err != nil {
		t.Fatal(err)
	}
	logger := quiet()
	e.log = invlog.New(e.st)
	var endpoint string
	e.rt = runtime.NewManager(runtime.ManagerConfig{Clock: e.now, WorkDir: e.dir + "/work", IdleTimeout: time.Hour,
		Endpoint: func() string { return endpoint }, Region: region, AccountID: account, Logger: logger})
	inv := invoke.New(invoke.Config{Runtime: e.rt, Log: e.log, Clock: e.now, Logger: logger})
	e.inv = inv
	e.lambda, err = lambda.New(lambda.Config{Store: e.st, Runtime: e.rt, Invoker: inv, Clock: e.now, Region: region, AccountID: account, Logger: logger, ActivationDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	bus := deliver.NewBus()
	bus.Register("lambda", e.lambda)
	sc := func() string { return endpoint }
	if e.sqs, err = sqs.New(sqs.Config{Store: e.st, Clock: e.now, Bus: bus, Region: region, AccountID: account, Logger: logger, Endpoint: sc}); err != nil {
		t.Fatal(err)
	}
	if e.sns, err = sns.New(sns.Config{Store: e.st, Clock: e.now, Bus: bus, Region: region, AccountID: account, Logger: logger, Endpoint: sc}); err != nil {
		t.Fatal(err)
	}
	if e.events, err = events.New(events.Config{Store: e.st, Clock: e.now, Bus: bus, Region: region, AccountID: account, Logger: logger, Endpoint: sc}); err != nil {
		t.Fatal(err)
	}
	if e.s3, err = s3.New(s3.Config{Store: e.st, Clock: e.now, Bus: bus, Region: region, AccountID: account, Logger: logger, Endpoint: sc}); err != nil {
		t.Fatal(err)
	}
	bus.Register("s3", e.s3)
	if e.ec, err = eventconfig.New(eventconfig.Config{Store: e.st, Clock: e.now, Functions: e.lambda, Roles: e.roles, Region: region, AccountID: account, Logger: logger}); err != nil {
		t.Fatal(err)
	}
	e.lambda.Mount(e.ec.Handler(), eventconfig.Patterns...)
	if e.q, err = async.New(async.Config{Store: e.st, Clock: e.now, Invoker: inv, Functions: e.lambda, Configs: e.ec, Bus: bus,
		Roles: e.roles, Annotator: e.notes, Logger: logger, PollInterval: 10 * time.Millisecond, AccountID: account}); err != nil {
		t.Fatal(err)
	}
	router := server.NewRouter()
	router.Service("lambda", e.lambda)
	for _, p := range lambda.PathPrefixes {
		router.PathPrefix(p, e.lambda)
	}
	e.sqs.Register(router)
	e.sns.Register(router)
	e.events.Register(router)
	e.s3.Register(router)
	e.srv = httptest.NewServer(awswire.WithRequestID(router))
	endpoint = e.srv.URL

	creds := credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", "")
	hc := simtest.HTTPClient()
	e.lc = lambdasdk.New(lambdasdk.Options{Region: region, Credentials: creds, BaseEndpoint: aws.String(e.srv.URL), HTTPClient: hc, Retryer: aws.NopRetryer{}})
	e.sqc = sqssdk.New(sqssdk.Options{Region: region, Credentials: creds, BaseEndpoint: aws.String(e.srv.URL), HTTPClient: hc, Retryer: aws.NopRetryer{}})
	e.snc = snssdk.New(snssdk.Options{Region: region, Credentials: creds, BaseEndpoint: aws.String(e.srv.URL), HTTPClient: hc, Retryer: aws.NopRetryer{}})
	e.ebc = eventbridge.New(eventbridge.Options{Region: region, Credentials: creds, BaseEndpoint: aws.String(e.srv.URL), HTTPClient: hc, Retryer: aws.NopRetryer{}})
	e.s3c = s3sdk.New(s3sdk.Options{Region: region, Credentials: creds, BaseEndpoint: aws.String(e.srv.URL), HTTPClient: hc, Retryer: aws.NopRetryer{}, UsePathStyle: true})
}

// close stops everything, newest first, as sim.go does.
func (e *env) close() {
	if e.st == nil {
		return
	}
	e.srv.Close()
	e.q.Close()
	e.events.Close()
	e.s3.Close()
	e.sns.Close()
	e.sqs.Close()
	e.lambda.Close()
	e.rt.Close()
	e.log.Close()
	e.st.Close()
	e.st = nil
}

func (e *env) ctx() context.Context { return context.Background() }

// createFunction creates a function from a test function and waits until it is Active.
func (e *env) createFunction(name, code string, mutate func(*lambdasdk.CreateFunctionInput)) string {
	e.t.Helper()
	in := &lambdasdk.CreateFunctionInput{
		FunctionName: aws.String(name),
		Runtime:      lambdatypes.RuntimeProvidedal2023,
		Handler:      aws.String("bootstrap"),
		Role:         aws.String(testRole),
		Timeout:      aws.Int32(30),
		Code:         &lambdatypes.FunctionCode{ZipFile: testfn.Zip(e.t, code)},
	}
	if mutate != nil {
		mutate(in)
	}
	out, err := e.lc.CreateFunction(e.ctx(), in)
	if err != nil {
		e.t.Fatalf("CreateFunction %s: %v", name, err)
	}
	// The activation timer may be set after CreateFunction answers: move the clock until it fired.
	e.waitUntil("function "+name+" Active", func() bool {
		if e.clk != nil {
			e.clk.Advance(time.Second)
		}
		c, err := e.lc.GetFunctionConfiguration(e.ctx(), &lambdasdk.GetFunctionConfigurationInput{FunctionName: aws.String(name)})
		return err == nil && c.State == lambdatypes.StateActive
	})
	return aws.ToString(out.FunctionArn)
}

// invokeEvent invokes name asynchronously and returns the request id.
func (e *env) invokeEvent(name, payload string) string {
	e.t.Helper()
	out, err := e.lc.Invoke(e.ctx(), &lambdasdk.InvokeInput{FunctionName: aws.String(name), InvocationType: lambdatypes.InvocationTypeEvent, Payload: []byte(payload)})
	if err != nil {
		e.t.Fatalf("Invoke Event %s: %v", name, err)
	}
	if out.StatusCode != 202 {
		e.t.Fatalf("Invoke Event answered %d, want 202", out.StatusCode)
	}
	e.q.Notify()
	id, _ := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
	if id == "" {
		e.t.Fatal("Invoke answered no request id")
	}
	return id
}

func (e *env) waitUntil(what string, cond func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(waitFor)
	for !cond() {
		if time.Now().After(deadline) {
			recs, _ := e.log.List(invlog.Query{})
			for i, r := range recs {
				if i == 50 {
					break
				}
				e.t.Logf("record: %s attempt %d %s %s %s start %s", r.FunctionName, r.Attempt, r.Outcome, r.ErrorType, r.ErrorMessage, r.Start.Format(time.RFC3339Nano))
			}
			e.notes.mu.Lock()
			if len(e.notes.m) < 50 {
				e.t.Logf("notes: %v", e.notes.m)
			}
			e.t.Logf("queue pending %d waiting %d; clock %s", e.q.Pending(), e.q.Waiting(), e.now.Now())
			e.notes.mu.Unlock()
			e.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// records returns the invocation-log records of a function.
func (e *env) records(name string) []invlog.Record {
	e.t.Helper()
	recs, err := e.log.List(invlog.Query{FunctionName: name, Limit: 1 << 30})
	if err != nil {
		e.t.Fatal(err)
	}
	return recs
}

// waitRecords waits until the function has n records and returns them.
func (e *env) waitRecords(name string, n int) []invlog.Record {
	e.t.Helper()
	var recs []invlog.Record
	e.waitUntil(name+" records", func() bool { recs = e.records(name); return len(recs) >= n })
	return recs
}

// waitParked waits until the queue holds n events, none of them running: every worker has
// stored its decision, so advancing the clock now tests the stored next-attempt time.
func (e *env) waitParked(n int) {
	e.t.Helper()
	e.waitUntil("events parked", func() bool { return e.q.Waiting() == n })
}

// createQueue creates an SQS queue and returns its ARN and URL.
func (e *env) createQueue(name string) (arn, url string) {
	e.t.Helper()
	out, err := e.sqc.CreateQueue(e.ctx(), &sqssdk.CreateQueueInput{QueueName: aws.String(name)})
	if err != nil {
		e.t.Fatal(err)
	}
	return "arn:aws:sqs:" + region + ":" + account + ":" + name, aws.ToString(out.QueueUrl)
}

// receive waits for one message on the queue.
func (e *env) receive(url string) sqstypes.Message {
	e.t.Helper()
	var msg sqstypes.Message
	e.waitUntil("a message on "+url, func() bool {
		out, err := e.sqc.ReceiveMessage(e.ctx(), &sqssdk.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 1,
			MessageAttributeNames: []string{"All"}})
		if err != nil || len(out.Messages) == 0 {
			return false
		}
		msg = out.Messages[0]
		return true
	})
	return msg
}

// empty asserts that the queue holds no message.
func (e *env) empty(url string) {
	e.t.Helper()
	out, err := e.sqc.ReceiveMessage(e.ctx(), &sqssdk.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 10})
	if err != nil {
		e.t.Fatal(err)
	}
	if len(out.Messages) != 0 {
		e.t.Fatalf("queue %s holds %d messages, want none: %s", url, len(out.Messages), aws.ToString(out.Messages[0].Body))
	}
}

func (e *env) putConfig(name string, retries, age *int32, onSuccess, onFailure string) {
	e.t.Helper()
	in := &lambdasdk.PutFunctionEventInvokeConfigInput{FunctionName: aws.String(name), MaximumRetryAttempts: retries, MaximumEventAgeInSeconds: age}
	if onSuccess != "" || onFailure != "" {
		in.DestinationConfig = &lambdatypes.DestinationConfig{}
		if onSuccess != "" {
			in.DestinationConfig.OnSuccess = &lambdatypes.OnSuccess{Destination: aws.String(onSuccess)}
		}
		if onFailure != "" {
			in.DestinationConfig.OnFailure = &lambdatypes.OnFailure{Destination: aws.String(onFailure)}
		}
	}
	if _, err := e.lc.PutFunctionEventInvokeConfig(e.ctx(), in); err != nil {
		e.t.Fatalf("PutFunctionEventInvokeConfig: %v", err)
	}
}

// decode parses a JSON document into a generic map.
func decode(t testing.TB, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("not a JSON object: %v: %s", err, s)
	}
	return m
}

func keys(m map[string]any) string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }
