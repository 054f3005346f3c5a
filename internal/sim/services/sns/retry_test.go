package sns

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
)

// TestRetryPolicy_managedSchedule checks the SQS/Lambda policy against AWS's table: 3 retries
// without delay, 2 one second apart, 10 backing off from 1 to 20 seconds, then 100,000 at 20.
func TestRetryPolicy_managedSchedule(t *testing.T) {
	p := managedPolicy
	want := []time.Duration{0, 0, 0, time.Second, time.Second}
	for i, w := range want {
		if d, ok := p.delay(i + 1); !ok || d != w {
			t.Errorf("retry %d: %v %v, want %v", i+1, d, ok, w)
		}
	}
	first, _ := p.delay(6)
	last, _ := p.delay(15)
	if first != time.Second || last != 20*time.Second {
		t.Errorf("backoff from %v to %v, want 1s to 20s", first, last)
	}
	prev := time.Duration(0)
	for n := 6; n <= 15; n++ {
		d, _ := p.delay(n)
		if d < prev {
			t.Errorf("backoff retry %d: %v is shorter than the one before (%v)", n, d, prev)
		}
		prev = d
	}
	if d, ok := p.delay(16); !ok || d != 20*time.Second {
		t.Errorf("post-backoff: %v %v", d, ok)
	}
	if d, ok := p.delay(100015); !ok || d != 20*time.Second {
		t.Errorf("last retry: %v %v", d, ok)
	}
	if _, ok := p.delay(100016); ok {
		t.Error("retry 100,016 exists")
	}
	var total time.Duration
	for n := 1; n <= p.NumRetries; n++ {
		d, _ := p.delay(n)
		total += d
	}
	if days := total.Hours() / 24; days < 23 || days > 24 {
		t.Errorf("the policy spans %.1f days, AWS says over 23", days)
	}

	// HTTP default: three retries 20 seconds apart.
	for n := 1; n <= 3; n++ {
		if d, ok := defaultHTTPPolicy.delay(n); !ok || d != 20*time.Second {
			t.Errorf("http retry %d: %v %v", n, d, ok)
		}
	}
	if _, ok := defaultHTTPPolicy.delay(4); ok {
		t.Error("the default HTTP policy has a fourth retry")
	}
	if _, err := parseRetryPolicy([]byte(`{"minDelayTarget":60,"maxDelayTarget":3600,"numRetries":100,"numMaxDelayRetries":90}`)); err == nil {
		t.Error("a policy retrying for more than an hour was accepted")
	}
}

// TestSNS_retriesUnderManualClock: a Lambda delivery that fails six times is attempted four
// times at once, then one second apart, then enters the backoff phase; the seventh attempt lands.
func TestSNS_retriesUnderManualClock(t *testing.T) {
	h := newHarness(t)
	h.lambda.setFail(func(call int, _ deliver.Message) error {
		if call <= 6 {
			return fmt.Errorf("throttled (call %d)", call)
		}
		return nil
	})
	topicARN := h.createTopic(t, "retry", nil)
	h.subscribe(t, topicARN, "lambda", functionARN("flaky"), nil)
	if _, err := h.client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topicARN), Message: aws.String("m")}); err != nil {
		t.Fatal(err)
	}
	h.lambda.waitCalls(t, 4) // the first attempt and 3 immediate retries
	h.waitPending(t)
	h.lambda.never(t, 4)
	for call := 5; call <= 7; call++ {
		h.clk.Advance(999 * time.Millisecond)
		h.lambda.never(t, call-1)
		h.clk.Advance(time.Millisecond)
		h.lambda.waitCalls(t, call)
		if call < 7 {
			h.waitPending(t)
		}
	}
	at := h.lambda.times()
	for i, want := range []time.Duration{0, 0, 0, 0, time.Second, 2 * time.Second, 3 * time.Second} {
		if got := at[i].Sub(testStart); got != want {
			t.Errorf("attempt %d at +%v, want +%v", i+1, got, want)
		}
	}
	recs := h.waitLog(t, 1)
	if recs[0].Outcome != OutcomeDelivered || recs[0].Attempts != 7 {
		t.Errorf("log: %+v", recs[0])
	}
}

// TestSNS_clientErrorsAreNotRetried: a missing target or a policy that denies SNS fails at the
// first attempt (SNS does not retry client errors) and is logged and counted as failed; with a
// RedrivePolicy the message goes to the dead-letter queue.
func TestSNS_clientErrorsAreNotRetried(t *testing.T) {
	h := newHarness(t)
	h.lambda.setFail(func(int, deliver.Message) error {
		return fmt.Errorf("%w: no permission for sns.amazonaws.com", deliver.ErrDenied)
	})
	h.sqs.setFail(func(_ int, m deliver.Message) error {
		if m.TargetARN == queueARN("gone") {
			return fmt.Errorf("%w: queue gone", deliver.ErrNoTarget)
		}
		return nil
	})
	topicARN := h.createTopic(t, "errors", nil)
	lambdaSub := h.subscribe(t, topicARN, "lambda", functionARN("no-permission"), map[string]string{
		"RedrivePolicy": `{"deadLetterTargetArn":"` + queueARN("dlq") + `"}`,
	})
	h.subscribe(t, topicARN, "sqs", queueARN("gone"), nil)
	pub, err := h.client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topicARN), Message: aws.String("m")})
	if err != nil {
		t.Fatal(err)
	}
	recs := h.waitLog(t, 3)
	failed, dlq := 0, 0
	for _, r := range recs {
		switch {
		case r.Kind == kindNotification && r.Outcome == OutcomeFailed && r.Attempts == 1:
			failed++
			if r.SubscriptionARN == lambdaSub && r.DeadLetterARN != queueARN("dlq") {
				t.Errorf("the denied delivery names no dead-letter queue: %+v", r)
			}
			if !strings.Contains(r.Error, deliver.ErrDenied.Error()) && !strings.Contains(r.Error, deliver.ErrNoTarget.Error()) {
				t.Errorf("error text: %q", r.Error)
			}
		case r.Kind == kindDeadLetter && r.Outcome == OutcomeDelivered:
			dlq++
		}
	}
	if failed != 2 || dlq != 1 {
		t.Fatalf("log: %+v", recs)
	}
	h.lambda.never(t, 1)
	var toDLQ *deliver.Message
	for _, m := range h.sqs.calls() {
		if m.TargetARN == queueARN("dlq") {
			toDLQ = &m
		}
	}
	if toDLQ == nil || !strings.Contains(string(toDLQ.Body), aws.ToString(pub.MessageId)) || toDLQ.SourceARN != topicARN {
		t.Fatalf("dead-letter delivery: %+v", toDLQ)
	}
	st, _ := h.svc.Stats(topicARN)
	if st.NotificationsFailed != 2 || st.NotificationsDelivered != 0 {
		t.Errorf("stats: %+v", st)
	}
	if n, _ := h.svc.PendingDeliveries(); n != 0 {
		t.Errorf("%d deliveries pending", n)
	}
}

// TestSNS_noReceiverIsAFailedDelivery: a bus without an "sqs" receiver (SQS not wired) fails the
// delivery with ErrNoTarget rather than retrying for 23 days.
func TestSNS_noReceiverIsAFailedDelivery(t *testing.T) {
	h := newHarness(t)
	h.bus.Register("sqs", nil)
	topicARN := h.createTopic(t, "t", nil)
	h.subscribe(t, topicARN, "sqs", "arn:aws:sqs:us-east-1:000000000000:q", nil)
	h.client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topicARN), Message: aws.String("m")})
	recs := h.waitLog(t, 1)
	if recs[0].Outcome != OutcomeFailed || recs[0].Attempts != 1 {
		t.Fatalf("log: %+v", recs[0])
	}
}
