package invoke

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invlog"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/runtime"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

func newInvoker(t *testing.T, account int) (*Invoker, *invlog.Log) {
	t.Helper()
	st, err := store.OpenTemp()
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	clk := clock.NewManual(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	rt := runtime.NewManager(runtime.ManagerConfig{Clock: clk, WorkDir: t.TempDir(), Logger: logger})
	log := invlog.New(st)
	t.Cleanup(func() {
		rt.Close()
		log.Close()
		st.Close()
	})
	return New(Config{Runtime: rt, Log: log, Clock: clk, Logger: logger, AccountConcurrency: account}), log
}

func function(name string, reserved *int) Function {
	return Function{
		Spec: runtime.FunctionSpec{
			FunctionName: name, Version: "$LATEST", FunctionARN: "arn:aws:lambda:us-east-1:000000000000:function:" + name,
			Runtime: "python3.12", Handler: "app.handler", Timeout: time.Second, CodeSHA256: "x",
			Code: func() ([]byte, error) { return nil, errors.New("never loaded") },
		},
		InvokedARN:          "arn:aws:lambda:us-east-1:000000000000:function:" + name,
		ReservedConcurrency: reserved,
	}
}

func intp(n int) *int { return &n }

func TestInvoker_concurrencyPools(t *testing.T) {
	inv, _ := newInvoker(t, 10)

	// A reservation caps the function; the others share what is left of the account.
	reservedFn := function("reserved", intp(3))
	inv.SetReservedConcurrency("reserved", intp(3))
	var releases []func()
	for i := 0; i < 3; i++ {
		release, reason := inv.acquire(reservedFn)
		if release == nil {
			t.Fatalf("attempt %d of a function reserving 3 throttled (%s)", i+1, reason)
		}
		releases = append(releases, release)
	}
	if _, reason := inv.acquire(reservedFn); reason != ReasonReservedConcurrency {
		t.Fatalf("4th attempt: reason %q, want %s", reason, ReasonReservedConcurrency)
	}
	if got := inv.UnreservedConcurrency(); got != 7 {
		t.Fatalf("unreserved pool = %d, want 10-3", got)
	}
	open := function("open", nil)
	for i := 0; i < 7; i++ {
		release, reason := inv.acquire(open)
		if release == nil {
			t.Fatalf("attempt %d in the unreserved pool throttled (%s)", i+1, reason)
		}
		releases = append(releases, release)
	}
	if _, reason := inv.acquire(function("other", nil)); reason != ReasonAccountConcurrency {
		t.Fatalf("8th unreserved attempt: reason %q, want %s", reason, ReasonAccountConcurrency)
	}
	if inv.InFlight("open") != 7 || inv.InFlight("reserved") != 3 {
		t.Fatalf("in flight: open %d, reserved %d", inv.InFlight("open"), inv.InFlight("reserved"))
	}
	for _, release := range releases {
		release()
	}
	if inv.InFlight("open") != 0 || inv.unreservedInflight != 0 {
		t.Fatalf("after release: open %d, unreserved %d", inv.InFlight("open"), inv.unreservedInflight)
	}
	inv.Forget("reserved")
	if got := inv.UnreservedConcurrency(); got != 10 {
		t.Fatalf("unreserved pool after the reservation went = %d, want 10", got)
	}
}

func TestInvoker_recordsEveryAttempt(t *testing.T) {
	inv, log := newInvoker(t, 0)
	ctx := context.Background()

	res, err := inv.Invoke(ctx, function("dry", nil), Request{InvocationType: TypeDryRun, Payload: []byte(`{}`)})
	if err != nil || res.StatusCode != http.StatusNoContent || res.ExecutedVersion != "$LATEST" {
		t.Fatalf("dry run: %+v, %v", res, err)
	}

	_, err = inv.Invoke(ctx, function("zero", intp(0)), Request{RequestID: "req-throttled", Payload: []byte(`{"a":1}`)})
	var ie *Error
	if !errors.As(err, &ie) || !Throttled(err) || ie.Status != http.StatusTooManyRequests || ie.Reason != ReasonReservedConcurrency ||
		ie.Message != "Rate Exceeded." || ie.RetryAfter <= 0 {
		t.Fatalf("reserved 0: %#v", err)
	}

	_, err = inv.Invoke(ctx, function("python", nil), Request{Payload: []byte(`{}`), Trigger: "sqs:arn:aws:sqs:us-east-1:000000000000:q", Attempt: 2})
	if !errors.As(err, &ie) || ie.Code != CodeInvalidRuntime || ie.Status != http.StatusBadGateway || !errors.Is(err, runtime.ErrUnsupportedRuntime) {
		t.Fatalf("unsupported runtime: %#v", err)
	}
	if inv.InFlight("python") != 0 {
		t.Fatal("a failed attempt kept its concurrency")
	}

	recs, err := log.List(invlog.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 {
		t.Fatalf("%d records, want 3: %+v", len(recs), recs)
	}
	dry, throttled, failed := recs[0], recs[1], recs[2]
	if dry.Outcome != invlog.OutcomeDryRun || dry.StatusCode != 204 || dry.InvocationType != TypeDryRun || dry.Trigger != TriggerAPI || dry.Attempt != 1 || dry.RequestID == "" {
		t.Errorf("dry run record %+v", dry)
	}
	if throttled.Outcome != invlog.OutcomeThrottled || throttled.StatusCode != 429 || throttled.RequestID != "req-throttled" ||
		throttled.ErrorType != CodeTooManyRequests || throttled.Payload != `{"a":1}` || throttled.FunctionName != "zero" {
		t.Errorf("throttle record %+v", throttled)
	}
	if failed.Outcome != invlog.OutcomeError || failed.StatusCode != 502 || failed.ErrorType != CodeInvalidRuntime ||
		failed.Trigger != "sqs:arn:aws:sqs:us-east-1:000000000000:q" || failed.Attempt != 2 {
		t.Errorf("failure record %+v", failed)
	}
}

func TestTail(t *testing.T) {
	if got := string(tail([]byte("abcdef"), 4)); got != "cdef" {
		t.Errorf("tail = %q", got)
	}
	if got := string(tail([]byte("ab"), 4)); got != "ab" {
		t.Errorf("tail = %q", got)
	}
	if got := errorTypeOf([]byte(`{"errorType":"Sandbox.Timedout","errorMessage":"x"}`)); got != "Sandbox.Timedout" {
		t.Errorf("errorTypeOf = %q", got)
	}
}
