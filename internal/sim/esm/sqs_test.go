package esm_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	sqssdk "github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

func TestSQS_successDeletesBatch(t *testing.T) {
	h := start(t, t.TempDir())
	h.createFunction(t, "fn", testfn.ESMBatch)
	url, arn := h.createQueue(t, "q", nil)
	if _, err := h.qc.SendMessage(ctx, &sqssdk.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(`{"n":1}`),
		MessageAttributes: map[string]sqstypes.MessageAttributeValue{"color": {DataType: aws.String("String"), StringValue: aws.String("red")}}}); err != nil {
		t.Fatal(err)
	}
	h.send(t, url, `{"n":2}`, `{"n":3}`)
	m := h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn")})
	got := h.waitBatches(t, arn, 1)
	h.waitCounts(t, url, 0, 0)
	if b := bodies(got); len(b) != 1 || b[0] != `{"n":1},{"n":2},{"n":3}` {
		t.Fatalf("batches %q, want one batch of the three messages in order", b)
	}
	r := got[0].Records[0]
	if r.EventSource != "aws:sqs" || r.EventSourceARN != arn || r.AWSRegion != region || r.MessageID == "" || r.ReceiptHandle == "" || r.MD5OfBody == "" {
		t.Errorf("record members: %+v", r)
	}
	for _, a := range []string{"ApproximateReceiveCount", "SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp"} {
		if r.Attributes[a] == "" {
			t.Errorf("attribute %s missing: %v", a, r.Attributes)
		}
	}
	if a := r.MessageAttributes["color"]; a.DataType != "String" || a.StringValue == nil || *a.StringValue != "red" {
		t.Errorf("message attribute: %+v", r.MessageAttributes)
	}
	recs := h.waitLogged(t, "sqs:"+arn, 1)
	if recs[0].FunctionName != "fn" {
		t.Errorf("invocation log: %+v", recs[0])
	}
	// LastProcessingResult reports the batch.
	deadline := time.Now().Add(waitFor)
	for {
		out := h.waitState(t, *m.UUID, "Enabled")
		if aws.ToString(out.LastProcessingResult) == "OK" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("LastProcessingResult %q, want OK", aws.ToString(out.LastProcessingResult))
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestSQS_functionErrorLeavesBatchToVisibilityAndRedrive(t *testing.T) {
	h := start(t, t.TempDir())
	h.createFunction(t, "fn", testfn.ESMBatch)
	dlqURL, dlqARN := h.createQueue(t, "dlq", nil)
	url, arn := h.createQueue(t, "q", map[string]string{"VisibilityTimeout": "30",
		"RedrivePolicy": fmt.Sprintf(`{"deadLetterTargetArn":"%s","maxReceiveCount":"2"}`, dlqARN)})
	h.send(t, url, `{"respond":"error"}`, `{"n":2}`)
	h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn")})
	h.waitLogged(t, "sqs:"+arn, 1)
	// The failed batch is neither deleted nor made visible: it waits for its visibility timeout.
	h.waitCounts(t, url, 0, 2)
	time.Sleep(50 * time.Millisecond)
	if n := len(h.batches(t, arn)); n != 1 {
		t.Fatalf("%d invocations before the visibility timeout, want 1", n)
	}
	h.clk.Advance(30 * time.Second)
	got := h.waitBatches(t, arn, 2)
	if got[1].Records[0].Attributes["ApproximateReceiveCount"] != "2" {
		t.Errorf("second delivery's receive count %q, want 2", got[1].Records[0].Attributes["ApproximateReceiveCount"])
	}
	h.waitLogged(t, "sqs:"+arn, 2)
	h.waitCounts(t, url, 0, 2)
	// After maxReceiveCount receives, the next receive moves both messages to the DLQ.
	h.clk.Advance(30 * time.Second)
	h.waitCounts(t, dlqURL, 2, 0)
	h.waitCounts(t, url, 0, 0)
	if n := len(h.batches(t, arn)); n != 2 {
		t.Errorf("%d invocations, want 2 (the third receive redrives)", n)
	}
}

func TestSQS_reportBatchItemFailures(t *testing.T) {
	h := start(t, t.TempDir())
	h.createFunction(t, "fn", testfn.ESMBatch)
	url, arn := h.createQueue(t, "q", map[string]string{"VisibilityTimeout": "30"})
	h.send(t, url, `{"n":1}`, `{"n":2,"fail":true}`, `{"n":3}`)
	h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn"),
		FunctionResponseTypes: []lambdatypes.FunctionResponseType{lambdatypes.FunctionResponseTypeReportBatchItemFailures}})
	h.waitLogged(t, "sqs:"+arn, 1)
	// Only the listed message stays; the others are deleted.
	h.waitCounts(t, url, 0, 1)
	h.clk.Advance(30 * time.Second)
	got := h.waitBatches(t, arn, 2)
	if b := bodies(got); b[1] != `{"n":2,"fail":true}` {
		t.Fatalf("second batch %q, want only the failed message", b[1])
	}
}

func TestSQS_partialResponseRules(t *testing.T) {
	h := start(t, t.TempDir())
	h.createFunction(t, "fn", testfn.ESMBatch)
	cases := []struct {
		respond string
		success bool
	}{
		{"null", true},
		{"emptyobj", true},
		{"empty", true},
		{"badjson", false},
		{"emptyid", false},
		{"unknown", false},
		{"wrongkey", false},
		{"string", false},
		{"error", false},
	}
	for i, c := range cases {
		t.Run(c.respond, func(t *testing.T) {
			url, arn := h.createQueue(t, fmt.Sprintf("q%d", i), map[string]string{"VisibilityTimeout": "600"})
			h.send(t, url, `{"respond":"`+c.respond+`"}`, `{"n":2}`)
			h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn"),
				FunctionResponseTypes: []lambdatypes.FunctionResponseType{lambdatypes.FunctionResponseTypeReportBatchItemFailures}})
			h.waitLogged(t, "sqs:"+arn, 1)
			if c.success {
				h.waitCounts(t, url, 0, 0)
			} else {
				time.Sleep(20 * time.Millisecond)
				h.waitCounts(t, url, 0, 2)
			}
		})
	}
	// Without ReportBatchItemFailures, a listed item is ignored: the batch succeeded.
	url, arn := h.createQueue(t, "plain", nil)
	h.send(t, url, `{"fail":true}`)
	h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn")})
	h.waitLogged(t, "sqs:"+arn, 1)
	h.waitCounts(t, url, 0, 0)
}

func TestSQS_filterDeletesNonMatching(t *testing.T) {
	h := start(t, t.TempDir())
	h.createFunction(t, "fn", testfn.ESMBatch)
	url, arn := h.createQueue(t, "q", nil)
	h.send(t, url, `{"kind":"keep","n":1}`, `{"kind":"drop"}`, `plain text`, `{"kind":"keep","n":2}`, `{"n":300}`)
	h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn"),
		FilterCriteria: &lambdatypes.FilterCriteria{Filters: []lambdatypes.Filter{
			{Pattern: aws.String(`{"body":{"kind":["keep"]}}`)},
			{Pattern: aws.String(`{"body":{"n":[300.0]}}`)}, // numbers compare as text: 300 is not 300.0
		}}})
	got := h.waitBatches(t, arn, 1)
	h.waitCounts(t, url, 0, 0)
	all := bodies(h.batches(t, arn))
	if strings.Join(all, "|") != `{"kind":"keep","n":1},{"kind":"keep","n":2}` {
		t.Fatalf("function got %q (%d batches), want only the two matching messages", all, len(got))
	}
}

func TestSQS_FIFOOrderAndBlockedGroup(t *testing.T) {
	h := start(t, t.TempDir())
	h.createFunction(t, "fn", testfn.ESMBatch)
	url, arn := h.createQueue(t, "q.fifo", map[string]string{"FifoQueue": "true", "VisibilityTimeout": "30"})
	h.sendFIFO(t, url, "a", `{"g":"a","n":1,"respond":"error"}`, `{"g":"a","n":2}`, `{"g":"a","n":3}`)
	h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn"), BatchSize: aws.Int32(2)})
	h.waitLogged(t, "sqs:"+arn, 1)
	// Group a is blocked by its failed batch; group b flows meanwhile.
	h.sendFIFO(t, url, "b", `{"g":"b","n":1}`, `{"g":"b","n":2}`, `{"g":"b","n":3}`)
	h.waitLogged(t, "sqs:"+arn, 3)
	for _, b := range bodies(h.batches(t, arn))[1:] {
		if strings.Contains(b, `"g":"a"`) {
			t.Fatalf("group a delivered while its failed batch was in flight: %q", b)
		}
	}
	h.waitCounts(t, url, 1, 2) // a3 waits behind a1,a2
	h.clk.Advance(30 * time.Second)
	// a1 (failing again) and a2 are redelivered first, in order.
	var redelivered string
	deadline := time.Now().Add(waitFor)
	for redelivered == "" {
		for _, b := range bodies(h.batches(t, arn))[1:] {
			if strings.Contains(b, `"g":"a"`) {
				redelivered = b
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("group a was never redelivered")
		}
		time.Sleep(2 * time.Millisecond)
	}
	if redelivered != `{"g":"a","n":1,"respond":"error"},{"g":"a","n":2}` {
		t.Fatalf("redelivered batch %q, want a1,a2 in order", redelivered)
	}
	got := h.batches(t, arn)
	// Every group's messages arrived in order, two at most per batch.
	for _, ev := range got {
		if len(ev.Records) > 2 {
			t.Errorf("batch of %d records, want at most 2", len(ev.Records))
		}
	}
	var groupB []string
	for _, ev := range got {
		for _, r := range ev.Records {
			if strings.Contains(r.Body, `"g":"b"`) {
				groupB = append(groupB, r.Body)
			}
		}
	}
	if !slices.Equal(groupB, []string{`{"g":"b","n":1}`, `{"g":"b","n":2}`, `{"g":"b","n":3}`}) {
		t.Errorf("group b arrived as %q, want b1, b2, b3 in order", groupB)
	}
}

func TestSQS_batchAcrossReceivesAndWindow(t *testing.T) {
	h := start(t, t.TempDir())
	h.createFunction(t, "fn", testfn.ESMBatch)
	url, arn := h.createQueue(t, "q", nil)
	var msgs []string
	for i := range 25 {
		msgs = append(msgs, fmt.Sprintf(`{"n":%d}`, i))
	}
	h.send(t, url, msgs...)
	m := h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn"),
		BatchSize: aws.Int32(25), MaximumBatchingWindowInSeconds: aws.Int32(5)})
	// A full batch goes at once, received across three receives.
	got := h.waitBatches(t, arn, 1)
	if len(got[0].Records) != 25 {
		t.Fatalf("first batch has %d records, want 25", len(got[0].Records))
	}
	h.waitCounts(t, url, 0, 0)
	// A partial batch waits for the window.
	// Sent together, so one receive gets both (a second poller runs since the full batch).
	if _, err := h.qc.SendMessageBatch(ctx, &sqssdk.SendMessageBatchInput{QueueUrl: aws.String(url), Entries: []sqstypes.SendMessageBatchRequestEntry{
		{Id: aws.String("1"), MessageBody: aws.String(`{"late":1}`)}, {Id: aws.String("2"), MessageBody: aws.String(`{"late":2}`)}}}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if n := len(h.batches(t, arn)); n != 1 {
		t.Fatalf("%d batches before the window ended, want 1", n)
	}
	deadline := time.Now().Add(waitFor)
	for len(h.batches(t, arn)) < 2 {
		h.clk.Advance(time.Second)
		time.Sleep(5 * time.Millisecond)
		if time.Now().After(deadline) {
			t.Fatal("the window never ended")
		}
	}
	got = h.batches(t, arn)
	if len(got) != 2 || len(got[1].Records) != 2 {
		t.Fatalf("batches %q, want the two late messages in one batch", bodies(got))
	}
	// Disabling stops the poller: a message stays in the queue.
	if _, err := h.lc.UpdateEventSourceMapping(ctx, &lambdasdk.UpdateEventSourceMappingInput{UUID: m.UUID, Enabled: aws.Bool(false)}); err != nil {
		t.Fatal(err)
	}
	h.waitState(t, *m.UUID, "Disabled")
	h.send(t, url, `{"while":"disabled"}`)
	time.Sleep(50 * time.Millisecond)
	h.waitCounts(t, url, 1, 0)
}

func TestSQS_maximumConcurrencyBoundsBatchesInFlight(t *testing.T) {
	h := start(t, t.TempDir())
	h.createFunction(t, "fn", testfn.ESMBatch)
	url, arn := h.createQueue(t, "q", nil)
	var msgs []string
	for i := range 40 {
		msgs = append(msgs, fmt.Sprintf(`{"n":%d}`, i))
	}
	h.send(t, url, msgs...)
	h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn"), BatchSize: aws.Int32(1),
		ScalingConfig: &lambdatypes.ScalingConfig{MaximumConcurrency: aws.Int32(2)}})
	h.waitCounts(t, url, 0, 0)
	h.rec.mu.Lock()
	peak := h.rec.peak
	h.rec.mu.Unlock()
	if peak > 2 {
		t.Fatalf("%d batches in flight at once, want at most 2", peak)
	}
	if n := len(h.batches(t, arn)); n != 40 {
		t.Fatalf("%d batches, want 40 of one message", n)
	}
}
