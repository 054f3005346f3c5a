package async_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invlog"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

// A failing function runs exactly three times by default: at once, one minute later, then two
// minutes after that (invocation-async-error-handling), and no more.
func TestFunctionErrorRetriedTwiceAtAWSDelays(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createFunction("fails", testfn.Fail, nil)
	start := e.clk.Now()
	id := e.invokeEvent("fails", `{"n":1}`)

	e.waitRecords("fails", 1)
	e.waitParked(1)
	e.clk.Advance(59 * time.Second)
	time.Sleep(20 * time.Millisecond)
	if n := len(e.records("fails")); n != 1 {
		t.Fatalf("%d attempts 59 s after the first, want 1", n)
	}
	e.clk.Advance(time.Second)
	e.waitRecords("fails", 2)
	e.waitParked(1)
	e.clk.Advance(119 * time.Second)
	time.Sleep(20 * time.Millisecond)
	if n := len(e.records("fails")); n != 2 {
		t.Fatalf("%d attempts 119 s after the second, want 2", n)
	}
	e.clk.Advance(time.Second)
	e.waitRecords("fails", 3)
	e.waitUntil("the event to finish", func() bool { return e.q.Pending() == 0 })
	e.clk.Advance(time.Hour)
	time.Sleep(20 * time.Millisecond)
	recs := e.records("fails")
	if len(recs) != 3 {
		t.Fatalf("%d attempts, want exactly 3", len(recs))
	}
	wantAt := []time.Duration{0, time.Minute, 3 * time.Minute}
	for i, r := range recs {
		if r.RequestID != id || r.Attempt != i+1 || r.InvocationType != "Event" || r.Outcome != invlog.OutcomeFunctionError || r.Trigger != "api" {
			t.Errorf("attempt %d: %+v", i+1, r)
		}
		if got := r.Start.Sub(start); got != wantAt[i] {
			t.Errorf("attempt %d started at +%v, want +%v", i+1, got, wantAt[i])
		}
	}
	for attempt := 1; attempt <= 2; attempt++ {
		if reason, _ := e.notes.get(id, attempt); !strings.HasPrefix(reason, "function error: Unhandled") && !strings.HasPrefix(reason, "function error: Handled") {
			t.Errorf("attempt %d retry reason %q", attempt, reason)
		}
	}
	if reason, dest := e.notes.get(id, 3); reason != "" || dest != "dropped: retries exhausted" {
		t.Errorf("last attempt: reason %q destination %q", reason, dest)
	}
}

// MaximumRetryAttempts 0: one attempt, then the failure record at once.
func TestZeroRetries(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createFunction("fails0", testfn.Fail, nil)
	qarn, qurl := e.createQueue("failures")
	e.putConfig("fails0", aws.Int32(0), nil, "", qarn)
	id := e.invokeEvent("fails0", `{"n":0}`)
	msg := e.receive(qurl)
	rec := decode(t, aws.ToString(msg.Body))
	rc := rec["requestContext"].(map[string]any)
	if rc["condition"] != "RetriesExhausted" || rc["approximateInvokeCount"] != 1.0 || rc["requestId"] != id {
		t.Errorf("requestContext %v", rc)
	}
	e.clk.Advance(time.Hour)
	time.Sleep(20 * time.Millisecond)
	if n := len(e.records("fails0")); n != 1 {
		t.Fatalf("%d attempts, want 1", n)
	}
	if _, dest := e.notes.get(id, 1); dest != "sqs:"+qarn {
		t.Errorf("destination %q", dest)
	}
}

// Retries and event age of an alias follow the alias's own config.
func TestConfigPerQualifier(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createFunction("failsq", testfn.Fail, func(in *lambdasdk.CreateFunctionInput) { in.Publish = true })
	e.clk.Advance(time.Second)
	qarn, qurl := e.createQueue("alias-failures")
	if _, err := e.lc.PutFunctionEventInvokeConfig(e.ctx(), &lambdasdk.PutFunctionEventInvokeConfigInput{
		FunctionName: aws.String("failsq"), Qualifier: aws.String("1"), MaximumRetryAttempts: aws.Int32(0),
	}); err != nil {
		t.Fatal(err)
	}
	e.putConfig("failsq", aws.Int32(2), nil, "", qarn)
	out, err := e.lc.Invoke(e.ctx(), &lambdasdk.InvokeInput{FunctionName: aws.String("failsq"), Qualifier: aws.String("1"), InvocationType: "Event", Payload: []byte(`{}`)})
	if err != nil || out.StatusCode != 202 {
		t.Fatal(err)
	}
	e.waitRecords("failsq", 1)
	e.waitUntil("the version's event to finish", func() bool { return e.q.Pending() == 0 })
	// The $LATEST config (with its destination) does not apply to version 1.
	e.empty(qurl)
}
