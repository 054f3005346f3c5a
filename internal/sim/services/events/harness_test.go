package events

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/simtest"
)

const (
	testAccount = "000000000000"
	lambdaARN   = "arn:aws:lambda:us-east-1:000000000000:function:handler"
	queueARN    = "arn:aws:sqs:us-east-1:000000000000:target-queue"
	dlqARN      = "arn:aws:sqs:us-east-1:000000000000:dlq"
)

// recorder is a deliver.Receiver that records every message it is handed, and answers with
// fail's error (nil: accepted).
type recorder struct {
	mu   sync.Mutex
	msgs []deliver.Message
	fail func(deliver.Message) error
}

func (r *recorder) Receive(_ context.Context, m deliver.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, m)
	if r.fail != nil {
		return r.fail(m)
	}
	return nil
}

func (r *recorder) setFail(f func(deliver.Message) error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fail = f
}

func (r *recorder) all() []deliver.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]deliver.Message(nil), r.msgs...)
}

// to returns the messages for one target ARN.
func (r *recorder) to(arn string) []deliver.Message {
	var out []deliver.Message
	for _, m := range r.all() {
		if m.TargetARN == arn {
			out = append(out, m)
		}
	}
	return out
}

type harness struct {
	t      testing.TB
	clock  *clock.Manual
	bus    *deliver.Bus
	store  *store.Store
	svc    *Service
	srv    *httptest.Server
	client *eventbridge.Client
	sqs    *recorder
	lambda *recorder
}

var testStart = time.Date(2026, 3, 2, 10, 0, 30, 0, time.UTC)

// newHarness starts the service on a temporary store (dir "") or on dir, under a manual clock.
func newHarness(t testing.TB, dir string) *harness {
	t.Helper()
	h := &harness{t: t, clock: clock.NewManual(testStart), sqs: &recorder{}, lambda: &recorder{}}
	h.open(dir)
	t.Cleanup(h.close)
	return h
}

func (h *harness) open(dir string) {
	h.t.Helper()
	var err error
	if dir == "" {
		h.store, err = store.OpenTemp()
	} else {
		h.store, err = store.Open(dir)
	}
	if err != nil {
		h.t.Fatal(err)
	}
	h.bus = deliver.NewBus()
	h.bus.Register("sqs", h.sqs)
	h.bus.Register("lambda", h.lambda)
	h.svc, err = New(Config{Store: h.store, Clock: h.clock, Bus: h.bus, Region: "us-east-1", AccountID: testAccount,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		h.t.Fatal(err)
	}
	router := server.NewRouter()
	h.svc.Register(router)
	h.srv = httptest.NewServer(awswire.WithRequestID(router))
	h.client = eventbridge.New(eventbridge.Options{
		BaseEndpoint: aws.String(h.srv.URL),
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		// One attempt: the SDK retries LimitExceededException as a throttle, which would
		// only slow the tests down.
		RetryMaxAttempts: 1,
		HTTPClient:       simtest.HTTPClient(),
	})
}

func (h *harness) close() {
	if h.srv == nil {
		return
	}
	h.srv.Close()
	h.svc.Close()
	h.store.Close()
	h.srv = nil
}

// restart closes everything and opens the same directory again, keeping the clock.
func (h *harness) restart(dir string) {
	h.close()
	h.open(dir)
}

// settle waits until the service has nothing due and nothing in flight.
func (h *harness) settle() {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for stable := 0; stable < 3; {
		if time.Now().After(deadline) {
			h.t.Fatal("the service did not settle")
		}
		if h.svc.sched.idle() {
			stable++
		} else {
			stable = 0
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// advance moves the clock and waits for what became due.
func (h *harness) advance(d time.Duration) {
	h.t.Helper()
	h.settle()
	h.clock.Advance(d)
	h.settle()
}

func ctx() context.Context { return context.Background() }
