package async_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invlog"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

// Throttled attempts go back to the queue with a backoff of 1 s, then 2 s, ... and do not spend
// MaximumRetryAttempts: with 0 retries the event still runs once the function has room.
func TestThrottledEventsRetriedWithoutSpendingRetries(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createFunction("sleeper", testfn.Sleep, func(in *lambdasdk.CreateFunctionInput) { in.Timeout = aws.Int32(300) })
	if _, err := e.lc.PutFunctionConcurrency(e.ctx(), &lambdasdk.PutFunctionConcurrencyInput{FunctionName: aws.String("sleeper"), ReservedConcurrentExecutions: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	qarn, qurl := e.createQueue("after-throttles")
	e.putConfig("sleeper", aws.Int32(0), nil, qarn, "")

	// A synchronous invocation holds the only slot.
	var busy sync.WaitGroup
	busy.Add(1)
	go func() {
		defer busy.Done()
		e.lc.Invoke(e.ctx(), &lambdasdk.InvokeInput{FunctionName: aws.String("sleeper"), Payload: []byte(`{"seconds": 3}`)})
	}()
	e.waitUntil("the slot to be taken", func() bool { return e.inv.InFlight("sleeper") == 1 })

	id := e.invokeEvent("sleeper", `{"seconds": 0}`)
	throttles := func() int {
		n := 0
		for _, r := range e.records("sleeper") {
			if r.RequestID == id && r.Outcome == invlog.OutcomeThrottled {
				n++
			}
		}
		return n
	}
	e.waitUntil("the first throttle", func() bool { return throttles() == 1 })
	e.waitParked(1)
	if reason, _ := e.notes.get(id, 1); reason != "throttled: ReservedFunctionConcurrentInvocationLimitExceeded" {
		t.Errorf("retry reason %q", reason)
	}
	e.clk.Advance(time.Second) // the first backoff is 1 s
	e.waitUntil("the second throttle", func() bool { return throttles() == 2 })
	e.waitParked(1)
	busy.Wait() // the slot is free again

	e.clk.Advance(time.Second) // the second backoff is 2 s: nothing yet
	time.Sleep(30 * time.Millisecond)
	if n := len(e.records("sleeper")); n != 3 { // the synchronous invocation and two throttles
		t.Fatalf("%d records 1 s into a 2 s backoff, want 3", n)
	}
	e.clk.Advance(time.Second)
	rec := decode(t, aws.ToString(e.receive(qurl).Body))
	rc := rec["requestContext"].(map[string]any)
	if rc["condition"] != "Success" || rc["approximateInvokeCount"] != 1.0 {
		t.Errorf("requestContext %v", rc)
	}
	var ran []invlog.Record
	for _, r := range e.records("sleeper") {
		if r.RequestID == id {
			ran = append(ran, r)
		}
	}
	if len(ran) != 3 || ran[2].Attempt != 3 || ran[2].Outcome != invlog.OutcomeSuccess {
		t.Fatalf("attempts of the event: %+v", ran)
	}
}

// Reserved concurrency 0: the event goes straight to failure handling, with no retries.
func TestReservedConcurrencyZero(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	dlqARN, dlqURL := e.createQueue("zero-dlq")
	qarn, qurl := e.createQueue("zero-failures")
	e.createFunction("stopped", testfn.Echo, func(in *lambdasdk.CreateFunctionInput) {
		in.DeadLetterConfig = &lambdatypes.DeadLetterConfig{TargetArn: aws.String(dlqARN)}
	})
	if _, err := e.lc.PutFunctionConcurrency(e.ctx(), &lambdasdk.PutFunctionConcurrencyInput{FunctionName: aws.String("stopped"), ReservedConcurrentExecutions: aws.Int32(0)}); err != nil {
		t.Fatal(err)
	}
	e.putConfig("stopped", nil, nil, "", qarn)
	id := e.invokeEvent("stopped", `{"x":1}`)
	rec := decode(t, aws.ToString(e.receive(qurl).Body))
	rc := rec["requestContext"].(map[string]any)
	if rc["condition"] != "RetriesExhausted" || rc["approximateInvokeCount"] != 0.0 {
		t.Errorf("requestContext %v", rc)
	}
	if resp := rec["responseContext"].(map[string]any); resp["statusCode"] != 429.0 {
		t.Errorf("responseContext %v", resp)
	}
	msg := e.receive(dlqURL)
	if v := msg.MessageAttributes["ErrorCode"]; aws.ToString(v.StringValue) != "429" {
		t.Errorf("DLQ ErrorCode %q", aws.ToString(v.StringValue))
	}
	e.clk.Advance(time.Hour)
	time.Sleep(20 * time.Millisecond)
	if n := len(e.records("stopped")); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
	if _, dest := e.notes.get(id, 1); !strings.Contains(dest, "sqs:"+qarn) || !strings.Contains(dest, "dlq:"+dlqARN) {
		t.Errorf("destination %q", dest)
	}
}

// A restart in the middle of a retry wait loses nothing: the retry happens at the stored time.
func TestRestartDuringRetryWait(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createFunction("durable", testfn.Fail, nil)
	qarn, qurl := e.createQueue("durable-failures")
	e.putConfig("durable", nil, nil, "", qarn)
	start := e.clk.Now()
	id := e.invokeEvent("durable", `{"keep":"me"}`)
	e.waitRecords("durable", 1)
	e.waitParked(1)

	e.close()
	e.open()
	if e.q.Waiting() != 1 {
		t.Fatalf("after the restart the queue holds %d waiting events, want 1", e.q.Waiting())
	}
	e.clk.Advance(60 * time.Second)
	recs := e.waitRecords("durable", 2)
	if recs[1].RequestID != id || recs[1].Attempt != 2 || recs[1].Start.Sub(start) != time.Minute {
		t.Fatalf("second attempt %+v at +%v", recs[1], recs[1].Start.Sub(start))
	}
	e.waitParked(1)
	e.clk.Advance(120 * time.Second)
	rec := decode(t, aws.ToString(e.receive(qurl).Body))
	rc := rec["requestContext"].(map[string]any)
	if rc["condition"] != "RetriesExhausted" || rc["approximateInvokeCount"] != 3.0 || rc["requestId"] != id {
		t.Errorf("requestContext %v", rc)
	}
}
