package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/simtest"
)

const (
	testAccount = "123456789012"
	testRegion  = "us-east-1"
)

var testStart = time.Date(2025, 3, 14, 15, 9, 26, 535000000, time.UTC)

// recorder is a deliver.Receiver standing in for SQS, SNS, Lambda or EventBridge: it records what
// it is given, can pretend a target does not exist or refuses S3, and can fail on demand.
type recorder struct {
	mu       sync.Mutex
	msgs     []deliver.Message
	missing  map[string]bool // ARNs that do not exist
	denied   map[string]bool // ARNs whose policy refuses S3
	failNext int             // transient failures to answer before accepting again
}

func newRecorder() *recorder {
	return &recorder{missing: map[string]bool{}, denied: map[string]bool{}}
}

func (r *recorder) Receive(_ context.Context, m deliver.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.missing[m.TargetARN]:
		return fmt.Errorf("%w: %s", deliver.ErrNoTarget, m.TargetARN)
	case r.denied[m.TargetARN]:
		return fmt.Errorf("%w: %s", deliver.ErrDenied, m.TargetARN)
	case r.failNext > 0:
		r.failNext--
		return errors.New("receiver temporarily unavailable")
	}
	r.msgs = append(r.msgs, m)
	return nil
}

func (r *recorder) messages() []deliver.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]deliver.Message(nil), r.msgs...)
}

// objectEvents returns the recorded messages that are event notifications (not test events).
func (r *recorder) objectEvents() []deliver.Message {
	var out []deliver.Message
	for _, m := range r.messages() {
		if strings.Contains(string(m.Body), `"Records"`) {
			out = append(out, m)
		}
	}
	return out
}

func (r *recorder) set(f func(r *recorder)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(r)
}

// fakePolicy is Lambda's side of PutBucketNotificationConfiguration: it allows the functions in
// allowed, for s3.amazonaws.com from the expected bucket and account only.
type fakePolicy struct {
	mu      sync.Mutex
	allowed map[string]string // function ARN -> allowed source ARN
	calls   []string
}

func (p *fakePolicy) AllowsInvoke(_ context.Context, fn, principal, sourceARN, sourceAccount string) (bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls = append(p.calls, strings.Join([]string{fn, principal, sourceARN, sourceAccount}, " "))
	src, ok := p.allowed[fn]
	return ok && principal == "s3.amazonaws.com" && src == sourceARN && sourceAccount == testAccount, nil
}

func (p *fakePolicy) allow(fn, sourceARN string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.allowed[fn] = sourceARN
}

// env is a running S3 service behind an httptest server, with receivers on its bus.
type env struct {
	t      *testing.T
	svc    *Service
	st     *store.Store
	srv    *httptest.Server
	clock  *clock.Manual
	bus    *deliver.Bus
	rec    map[string]*recorder // by bus service: sqs, sns, lambda, events
	policy *fakePolicy
	client *awss3.Client
	// seen records the headers of requests, for tests that must know what the SDK sent.
	seenMu sync.Mutex
	seen   []http.Header
}

type envOption func(*envConfig)

type envConfig struct {
	tls     bool
	st      *store.Store
	maxSize int64
	clk     *clock.Manual
}

func withTLS() envOption                         { return func(c *envConfig) { c.tls = true } }
func withStore(st *store.Store) envOption        { return func(c *envConfig) { c.st = st } }
func withMaxObjectSize(n int64) envOption        { return func(c *envConfig) { c.maxSize = n } }
func withClock(clk *clock.Manual) envOption      { return func(c *envConfig) { c.clk = clk } }
func quietLogger() *slog.Logger                  { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
func (e *env) recorder(service string) *recorder { return e.rec[service] }

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	var cfg envConfig
	for _, o := range opts {
		o(&cfg)
	}
	st := cfg.st
	if st == nil {
		var err error
		if st, err = store.OpenTemp(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
	}
	clk := cfg.clk
	if clk == nil {
		clk = clock.NewManual(testStart)
	}
	e := &env{t: t, st: st, clock: clk, bus: deliver.NewBus(), rec: map[string]*recorder{},
		policy: &fakePolicy{allowed: map[string]string{}}}
	for _, name := range []string{"sqs", "sns", "lambda", "events"} {
		e.rec[name] = newRecorder()
		e.bus.Register(name, e.rec[name])
	}
	var srvURL func() string
	svc, err := New(Config{Store: st, Clock: clk, Bus: e.bus, Region: testRegion, AccountID: testAccount,
		Logger: quietLogger(), LambdaPolicy: e.policy, MaxObjectSize: cfg.maxSize,
		Endpoint: func() string { return srvURL() }})
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	t.Cleanup(func() { svc.Close() })
	router := server.NewRouter()
	svc.Register(router)
	h := awswire.WithRequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.seenMu.Lock()
		e.seen = append(e.seen, r.Header.Clone())
		e.seenMu.Unlock()
		router.ServeHTTP(w, r)
	}))
	if cfg.tls {
		e.srv = httptest.NewTLSServer(h)
	} else {
		e.srv = httptest.NewServer(h)
	}
	srvURL = func() string { return e.srv.URL }
	t.Cleanup(e.srv.Close)
	e.client = e.newClient(true)
	return e
}

// newClient builds an SDK client for the server; path-style or virtual-hosted-style. For the
// latter the endpoint is http://localhost:<port>, and since Go does not resolve <bucket>.localhost,
// the client dials the server whatever host it asks for.
func (e *env) newClient(pathStyle bool, opts ...func(*awss3.Options)) *awss3.Client {
	httpClient := e.srv.Client()
	endpoint := e.srv.URL
	if !pathStyle {
		addr := e.srv.Listener.Addr().String()
		_, port, _ := net.SplitHostPort(addr)
		endpoint = strings.Replace(e.srv.URL, addr, "localhost:"+port, 1)
		base := http.DefaultTransport.(*http.Transport).Clone()
		if tr, ok := httpClient.Transport.(*http.Transport); ok {
			base = tr.Clone()
		}
		base.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}
		httpClient = &http.Client{Transport: base}
	}
	cfg := aws.Config{Region: testRegion, Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		HTTPClient: simtest.WrapClient(httpClient), RetryMaxAttempts: 1,
		// What config.LoadDefaultConfig gives every application: checksums on every upload that
		// supports them, and validation of the checksums S3 returns.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenSupported,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenSupported}
	return awss3.NewFromConfig(cfg, append([]func(*awss3.Options){func(o *awss3.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = pathStyle
	}}, opts...)...)
}

func (e *env) headers() []http.Header {
	e.seenMu.Lock()
	defer e.seenMu.Unlock()
	return append([]http.Header(nil), e.seen...)
}

// raw sends a request signed for s3 (the signature itself is not checked) and returns the answer.
func (e *env) raw(method, path string, body string, header map[string]string) (*http.Response, string) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDTEST/20250314/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0")
	for k, v := range header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, string(data)
}

// errorCode is the AWS error code of an SDK error ("" for nil).
func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	if err != nil {
		return "not an API error: " + err.Error()
	}
	return ""
}

// waitFor polls cond until it holds or five seconds pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func ctx() context.Context { return context.Background() }
