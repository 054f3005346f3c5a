package sns

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/simtest"
)

const testAccount = "000000000000"

var testStart = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// receiver is a deliver.Receiver standing in for SQS or Lambda (both are written elsewhere):
// it records every call and fails as told.
type receiver struct {
	clk  clock.Clock
	mu   sync.Mutex
	got  []deliver.Message
	at   []time.Time
	fail func(call int, m deliver.Message) error // call counts from 1
	ch   chan struct{}
}

func newReceiver(clk clock.Clock) *receiver {
	return &receiver{clk: clk, ch: make(chan struct{}, 1000)}
}

func (r *receiver) Receive(_ context.Context, m deliver.Message) error {
	r.mu.Lock()
	r.got = append(r.got, m)
	r.at = append(r.at, r.clk.Now())
	call := len(r.got)
	fail := r.fail
	r.mu.Unlock()
	r.ch <- struct{}{}
	if fail != nil {
		return fail(call, m)
	}
	return nil
}

func (r *receiver) setFail(f func(call int, m deliver.Message) error) {
	r.mu.Lock()
	r.fail = f
	r.mu.Unlock()
}

func (r *receiver) calls() []deliver.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]deliver.Message(nil), r.got...)
}

func (r *receiver) times() []time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Time(nil), r.at...)
}

// waitCalls waits (in real time) until the receiver has been called n times.
func (r *receiver) waitCalls(t *testing.T, n int) []deliver.Message {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		if got := r.calls(); len(got) >= n {
			return got
		}
		select {
		case <-r.ch:
		case <-deadline:
			t.Fatalf("receiver: got %d calls, want %d", len(r.calls()), n)
		}
	}
}

// never asserts the receiver is not called beyond n times during a short real-time window.
func (r *receiver) never(t *testing.T, n int) {
	t.Helper()
	time.Sleep(80 * time.Millisecond)
	if got := len(r.calls()); got != n {
		t.Fatalf("receiver: got %d calls, want exactly %d", got, n)
	}
}

// harness is one SNS service over the wire, with fake SQS and Lambda receivers and a manual clock.
type harness struct {
	t      *testing.T
	clk    *clock.Manual
	st     *store.Store
	bus    *deliver.Bus
	sqs    *receiver
	lambda *receiver
	svc    *Service
	srv    *httptest.Server
	client *sns.Client
	url    string
	http   *http.Client
}

type harnessOption func(*harness)

// withStore runs the harness on a given store (for restart tests); the harness does not close it.
func withStore(st *store.Store) harnessOption { return func(h *harness) { h.st = st } }

func withClock(clk *clock.Manual) harnessOption { return func(h *harness) { h.clk = clk } }

func withHTTPClient(c *http.Client) harnessOption { return func(h *harness) { h.http = c } }

func newHarness(t *testing.T, opts ...harnessOption) *harness {
	t.Helper()
	h := &harness{t: t}
	for _, o := range opts {
		o(h)
	}
	if h.clk == nil {
		h.clk = clock.NewManual(testStart)
	}
	if h.st == nil {
		st, err := store.OpenTemp()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		h.st = st
	}
	h.bus = deliver.NewBus()
	h.sqs, h.lambda = newReceiver(h.clk), newReceiver(h.clk)
	h.bus.Register("sqs", h.sqs)
	h.bus.Register("lambda", h.lambda)
	h.start()
	return h
}

func (h *harness) start() {
	t := h.t
	var err error
	h.svc, err = New(Config{
		Store: h.st, Clock: h.clk, Bus: h.bus, Region: "us-east-1", AccountID: testAccount,
		Logger:     testLogger(),
		Endpoint:   func() string { return h.url },
		HTTPClient: h.http,
	})
	if err != nil {
		t.Fatal(err)
	}
	router := server.NewRouter()
	h.svc.Register(router)
	h.srv = httptest.NewServer(awswire.WithRequestID(router))
	h.url = h.srv.URL
	h.client = sns.New(sns.Options{
		BaseEndpoint:     aws.String(h.srv.URL),
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		RetryMaxAttempts: 1,
		HTTPClient:       simtest.HTTPClient(),
	})
	t.Cleanup(h.stop)
}

// stop closes the server and the service (idempotent).
func (h *harness) stop() {
	if h.srv != nil {
		h.srv.Close()
		h.srv = nil
	}
	if h.svc != nil {
		h.svc.Close()
		h.svc = nil
	}
}

// waitPending waits until the dispatcher is parked on a timer (a retry is scheduled).
func (h *harness) waitPending(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for h.clk.Pending() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no timer is pending")
		}
		time.Sleep(time.Millisecond)
	}
}

// waitLog waits until the delivery log holds n records and returns them.
func (h *harness) waitLog(t *testing.T, n int) []DeliveryRecord {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		recs, err := h.svc.DeliveryLog(0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) >= n {
			return recs
		}
		if time.Now().After(deadline) {
			t.Fatalf("delivery log: %d records, want %d: %+v", len(recs), n, recs)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

var ctx = context.Background()

func (h *harness) createTopic(t *testing.T, name string, attrs map[string]string) string {
	t.Helper()
	out, err := h.client.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(name), Attributes: attrs})
	if err != nil {
		t.Fatalf("CreateTopic %s: %v", name, err)
	}
	return aws.ToString(out.TopicArn)
}

func (h *harness) subscribe(t *testing.T, topicARN, protocol, endpoint string, attrs map[string]string) string {
	t.Helper()
	out, err := h.client.Subscribe(ctx, &sns.SubscribeInput{
		TopicArn: aws.String(topicARN), Protocol: aws.String(protocol), Endpoint: aws.String(endpoint),
		Attributes: attrs, ReturnSubscriptionArn: true,
	})
	if err != nil {
		t.Fatalf("Subscribe %s %s: %v", protocol, endpoint, err)
	}
	return aws.ToString(out.SubscriptionArn)
}

func queueARN(name string) string { return "arn:aws:sqs:us-east-1:" + testAccount + ":" + name }
func functionARN(name string) string {
	return "arn:aws:lambda:us-east-1:" + testAccount + ":function:" + name
}

// testLogger discards the service's logs unless SNS_TEST_LOG is set.
func testLogger() *slog.Logger {
	if os.Getenv("SNS_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
