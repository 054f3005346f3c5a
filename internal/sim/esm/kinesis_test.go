package esm_test

import (
	"encoding/json"
	"fmt"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invlog"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	kinesissdk "github.com/aws/aws-sdk-go-v2/service/kinesis"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	s3sdk "github.com/aws/aws-sdk-go-v2/service/s3"
	sqssdk "github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

type kinesisEvent struct {
	Records []struct {
		Kinesis struct {
			PartitionKey   string  `json:"partitionKey"`
			SequenceNumber string  `json:"sequenceNumber"`
			Data           []byte  `json:"data"`
			Arrival        float64 `json:"approximateArrivalTimestamp"`
		} `json:"kinesis"`
		EventSource    string `json:"eventSource"`
		EventID        string `json:"eventID"`
		EventName      string `json:"eventName"`
		EventSourceARN string `json:"eventSourceARN"`
		AWSRegion      string `json:"awsRegion"`
	} `json:"Records"`
}

func (h *harness) put(t testing.TB, stream string, data ...string) []string {
	t.Helper()
	var seqs []string
	for _, d := range data {
		out, err := h.kc.PutRecord(ctx, &kinesissdk.PutRecordInput{StreamName: aws.String(stream), PartitionKey: aws.String("pk"), Data: []byte(d)})
		if err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, *out.SequenceNumber)
	}
	return seqs
}

func (h *harness) kinesisBatches(t testing.TB, arn string) []kinesisEvent {
	t.Helper()
	var out []kinesisEvent
	for _, c := range h.rec.calls() {
		if c.trigger != "kinesis:"+arn {
			continue
		}
		var ev kinesisEvent
		if err := json.Unmarshal(c.payload, &ev); err != nil {
			t.Fatal(err)
		}
		out = append(out, ev)
	}
	return out
}

// kinesisData lists each batch's data, "a,b" per batch.
func kinesisData(evs []kinesisEvent) []string {
	var out []string
	for _, ev := range evs {
		s := ""
		for i, r := range ev.Records {
			if i > 0 {
				s += ","
			}
			s += string(r.Kinesis.Data)
		}
		out = append(out, s)
	}
	return out
}

// advanceUntil advances the clock a second at a time until cond holds.
func (h *harness) advanceUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for !cond() {
		if time.Now().After(deadline) {
			recs, _ := h.log.List(invlog.Query{})
			for _, r := range recs {
				t.Logf("invocation %s %s %s %s\n%s", r.Trigger, r.Outcome, r.ErrorType, r.Response, r.Payload)
			}
			t.Fatalf("timed out waiting for %s", what)
		}
		h.clk.Advance(time.Second)
		time.Sleep(3 * time.Millisecond)
	}
}

func TestKinesis_inOrderFromStartingPosition(t *testing.T) {
	h := start(t, t.TempDir())
	h.createFunction(t, "fn", testfn.ESMBatch)
	arn := h.stream(t, "s")
	h.put(t, "s", `{"n":1}`, `{"n":2}`)
	h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn"),
		StartingPosition: lambdatypes.EventSourcePositionTrimHorizon, BatchSize: aws.Int32(2)})
	h.advanceUntil(t, "the first batch", func() bool { return len(h.kinesisBatches(t, arn)) >= 1 })
	h.put(t, "s", `{"n":3}`)
	h.advanceUntil(t, "the second batch", func() bool { return len(h.kinesisBatches(t, arn)) >= 2 })
	got := h.kinesisBatches(t, arn)
	if d := kinesisData(got); d[0] != `{"n":1},{"n":2}` || d[1] != `{"n":3}` {
		t.Fatalf("batches %q", d)
	}
	r := got[0].Records[0]
	if r.EventSource != "aws:kinesis" || r.EventName != "aws:kinesis:record" || r.EventSourceARN != arn || r.AWSRegion != region ||
		r.Kinesis.PartitionKey != "pk" || r.EventID != "shardId-000000000000:"+r.Kinesis.SequenceNumber || r.Kinesis.Arrival == 0 {
		t.Errorf("record %+v", r)
	}
	// LATEST skips what is already there.
	h2 := h.stream(t, "s2")
	h.put(t, "s2", `{"old":1}`)
	h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(h2), FunctionName: aws.String("fn"), StartingPosition: lambdatypes.EventSourcePositionLatest})
	// Let the shard be positioned before the new record.
	for range 3 {
		h.clk.Advance(time.Second)
		time.Sleep(5 * time.Millisecond)
	}
	h.put(t, "s2", `{"new":1}`)
	h.advanceUntil(t, "the LATEST batch", func() bool { return len(h.kinesisBatches(t, h2)) >= 1 })
	if d := kinesisData(h.kinesisBatches(t, h2)); d[0] != `{"new":1}` {
		t.Fatalf("LATEST got %q", d)
	}
}

func TestKinesis_partialFailureRetriesFromLowestFailed(t *testing.T) {
	h := start(t, t.TempDir())
	h.createFunction(t, "fn", testfn.ESMBatch)
	arn := h.stream(t, "s")
	h.put(t, "s", `{"n":1}`, `{"n":2,"fail":true}`, `{"n":3}`)
	m := h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn"),
		StartingPosition: lambdatypes.EventSourcePositionTrimHorizon, MaximumRetryAttempts: aws.Int32(1),
		FunctionResponseTypes: []lambdatypes.FunctionResponseType{lambdatypes.FunctionResponseTypeReportBatchItemFailures}})
	h.advanceUntil(t, "the retry", func() bool { return len(h.kinesisBatches(t, arn)) >= 2 })
	d := kinesisData(h.kinesisBatches(t, arn))
	if d[0] != `{"n":1},{"n":2,"fail":true},{"n":3}` || d[1] != `{"n":2,"fail":true},{"n":3}` {
		t.Fatalf("batches %q, want the retry to start at the failed record", d)
	}
	// After the retry is exhausted the shard moves on.
	h.put(t, "s", `{"n":4}`)
	h.advanceUntil(t, "the next record", func() bool {
		d := kinesisData(h.kinesisBatches(t, arn))
		return d[len(d)-1] == `{"n":4}`
	})
	_ = m
}

func TestKinesis_retriesExhaustedGoToOnFailureDestination(t *testing.T) {
	h := start(t, t.TempDir())
	h.createFunction(t, "fn", testfn.ESMBatch)
	arn := h.stream(t, "s")
	dlqURL, dlqARN := h.createQueue(t, "failures", nil)
	seqs := h.put(t, "s", `{"respond":"error"}`, `{"n":2}`)
	h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn"),
		StartingPosition: lambdatypes.EventSourcePositionTrimHorizon, MaximumRetryAttempts: aws.Int32(2),
		DestinationConfig: &lambdatypes.DestinationConfig{OnFailure: &lambdatypes.OnFailure{Destination: aws.String(dlqARN)}}})
	h.advanceUntil(t, "the failure record", func() bool { v, _ := h.counts(t, dlqURL); return v == 1 })
	if n := len(h.kinesisBatches(t, arn)); n != 3 {
		t.Errorf("%d invocations, want 3 (1 + 2 retries)", n)
	}
	msg, err := h.qc.ReceiveMessage(ctx, &sqssdk.ReceiveMessageInput{QueueUrl: aws.String(dlqURL)})
	if err != nil || len(msg.Messages) != 1 {
		t.Fatal(err)
	}
	var rec struct {
		RequestContext struct {
			Condition              string `json:"condition"`
			FunctionArn            string `json:"functionArn"`
			ApproximateInvokeCount int    `json:"approximateInvokeCount"`
		} `json:"requestContext"`
		ResponseContext struct {
			FunctionError string `json:"functionError"`
		} `json:"responseContext"`
		Info struct {
			ShardID   string `json:"shardId"`
			Start     string `json:"startSequenceNumber"`
			End       string `json:"endSequenceNumber"`
			BatchSize int    `json:"batchSize"`
			StreamArn string `json:"streamArn"`
		} `json:"KinesisBatchInfo"`
	}
	if err := json.Unmarshal([]byte(*msg.Messages[0].Body), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.RequestContext.Condition != "RetryAttemptsExhausted" || rec.RequestContext.ApproximateInvokeCount != 3 || rec.RequestContext.FunctionArn != fnARN+"fn" ||
		rec.ResponseContext.FunctionError == "" || rec.Info.ShardID != "shardId-000000000000" || rec.Info.Start != seqs[0] || rec.Info.End != seqs[1] ||
		rec.Info.BatchSize != 2 || rec.Info.StreamArn != arn {
		t.Fatalf("failure record %s", *msg.Messages[0].Body)
	}
}

func TestKinesis_bisectAndFilter(t *testing.T) {
	h := start(t, t.TempDir())
	h.createFunction(t, "fn", testfn.ESMBatch)
	arn := h.stream(t, "s")
	var data []string
	for i := range 4 {
		if i == 3 {
			data = append(data, `{"n":3,"respond":"error"}`)
			continue
		}
		data = append(data, fmt.Sprintf(`{"n":%d}`, i))
	}
	data = append(data, `{"skip":true}`)
	h.put(t, "s", data...)
	h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn"),
		StartingPosition: lambdatypes.EventSourcePositionTrimHorizon, BatchSize: aws.Int32(4), MaximumRetryAttempts: aws.Int32(0),
		BisectBatchOnFunctionError: aws.Bool(true),
		FilterCriteria:             &lambdatypes.FilterCriteria{Filters: []lambdatypes.Filter{{Pattern: aws.String(`{"data":{"n":[{"exists":true}]}}`)}}}})
	h.advanceUntil(t, "bisecting down to the failing record", func() bool {
		d := kinesisData(h.kinesisBatches(t, arn))
		return len(d) >= 4
	})
	d := kinesisData(h.kinesisBatches(t, arn))
	want := []string{`{"n":0},{"n":1},{"n":2},{"n":3,"respond":"error"}`, `{"n":0},{"n":1}`, `{"n":2},{"n":3,"respond":"error"}`, `{"n":2}`}
	for i := range want {
		if d[i] != want[i] {
			t.Fatalf("batches %q, want %q first", d, want)
		}
	}
	h.advanceUntil(t, "the failing record alone", func() bool {
		d := kinesisData(h.kinesisBatches(t, arn))
		return d[len(d)-1] == `{"n":3,"respond":"error"}`
	})
	// The filtered-out record never reaches the function; more records still flow after it.
	h.put(t, "s", `{"n":5}`)
	h.advanceUntil(t, "the record after the filtered one", func() bool {
		d := kinesisData(h.kinesisBatches(t, arn))
		return d[len(d)-1] == `{"n":5}`
	})
	for _, b := range kinesisData(h.kinesisBatches(t, arn)) {
		if b == `{"skip":true}` {
			t.Fatal("a filtered-out record was delivered")
		}
	}
}

func TestKinesis_tumblingWindowCarriesState(t *testing.T) {
	h := start(t, t.TempDir())
	h.createFunction(t, "fn", testfn.ESMBatch)
	arn := h.stream(t, "s")
	// Start at a window boundary so the records below share a window.
	h.clk.Set(h.clk.Now().Truncate(time.Minute).Add(time.Minute))
	h.put(t, "s", `{"n":1}`, `{"n":2}`)
	h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn"),
		StartingPosition: lambdatypes.EventSourcePositionTrimHorizon, TumblingWindowInSeconds: aws.Int32(60)})
	h.advanceUntil(t, "the first window batch", func() bool { return len(h.rec.calls()) >= 1 })
	h.put(t, "s", `{"n":3}`)
	h.advanceUntil(t, "the final invocation", func() bool { return len(h.rec.calls()) >= 3 })
	type windowEvent struct {
		Records []json.RawMessage `json:"Records"`
		Window  struct{ Start, End string }
		State   struct {
			Count int `json:"count"`
		} `json:"state"`
		ShardID string `json:"shardId"`
		Final   bool   `json:"isFinalInvokeForWindow"`
		Early   bool   `json:"isWindowTerminatedEarly"`
	}
	var evs []windowEvent
	for _, c := range h.rec.calls() {
		var ev windowEvent
		if err := json.Unmarshal(c.payload, &ev); err != nil {
			t.Fatal(err)
		}
		evs = append(evs, ev)
	}
	if len(evs[0].Records) != 2 || evs[0].State.Count != 0 || evs[0].Final || evs[0].ShardID != "shardId-000000000000" || evs[0].Window.Start == "" {
		t.Errorf("first invocation %+v", evs[0])
	}
	if len(evs[1].Records) != 1 || evs[1].State.Count != 2 || evs[1].Final || evs[1].Window != evs[0].Window {
		t.Errorf("second invocation %+v", evs[1])
	}
	if len(evs[2].Records) != 0 || evs[2].State.Count != 3 || !evs[2].Final || evs[2].Early {
		t.Errorf("final invocation %+v", evs[2])
	}
}

func TestKinesis_recordAgeExceededGoesToDestination(t *testing.T) {
	h := start(t, t.TempDir())
	h.createFunction(t, "fn", testfn.ESMBatch)
	arn := h.stream(t, "s")
	dlqURL, dlqARN := h.createQueue(t, "failures", nil)
	h.put(t, "s", `{"old":1}`, `{"old":2}`)
	h.clk.Advance(2 * time.Minute)
	h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn"),
		StartingPosition: lambdatypes.EventSourcePositionTrimHorizon, MaximumRecordAgeInSeconds: aws.Int32(60),
		DestinationConfig: &lambdatypes.DestinationConfig{OnFailure: &lambdatypes.OnFailure{Destination: aws.String(dlqARN)}}})
	h.advanceUntil(t, "the failure record", func() bool { v, _ := h.counts(t, dlqURL); return v == 1 })
	msg, err := h.qc.ReceiveMessage(ctx, &sqssdk.ReceiveMessageInput{QueueUrl: aws.String(dlqURL)})
	if err != nil || len(msg.Messages) != 1 {
		t.Fatal(err)
	}
	var rec struct {
		RequestContext struct{ Condition string } `json:"requestContext"`
		Info           struct{ BatchSize int }    `json:"KinesisBatchInfo"`
	}
	json.Unmarshal([]byte(*msg.Messages[0].Body), &rec)
	if rec.RequestContext.Condition != "RecordAgeExceeded" || rec.Info.BatchSize != 2 {
		t.Fatalf("failure record %s", *msg.Messages[0].Body)
	}
	if n := len(h.kinesisBatches(t, arn)); n != 0 {
		t.Errorf("expired records were sent to the function (%d batches)", n)
	}
	h.put(t, "s", `{"fresh":1}`)
	h.advanceUntil(t, "the fresh record", func() bool { return len(h.kinesisBatches(t, arn)) == 1 })
}

func TestKinesis_parentShardFinishedBeforeChildren(t *testing.T) {
	h := start(t, t.TempDir())
	h.createFunction(t, "fn", testfn.ESMBatch)
	arn := h.stream(t, "s")
	h.put(t, "s", `{"parent":1,"respond":"error"}`)
	h.put(t, "s", `{"parent":2}`)
	h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn"),
		StartingPosition: lambdatypes.EventSourcePositionTrimHorizon, BatchSize: aws.Int32(1), MaximumRetryAttempts: aws.Int32(3)})
	h.advanceUntil(t, "the first failure", func() bool { return len(h.kinesisBatches(t, arn)) >= 1 })
	if _, err := h.kc.SplitShard(ctx, &kinesissdk.SplitShardInput{StreamName: aws.String("s"), ShardToSplit: aws.String("shardId-000000000000"),
		NewStartingHashKey: aws.String("170141183460469231731687303715884105728")}); err != nil {
		t.Fatal(err)
	}
	h.advanceUntil(t, "the split", func() bool {
		info, err := h.kinesis.DescribeInternal(arn)
		return err == nil && info.Status == "ACTIVE"
	})
	h.put(t, "s", `{"child":1}`)
	h.advanceUntil(t, "the child's record", func() bool {
		d := kinesisData(h.kinesisBatches(t, arn))
		return d[len(d)-1] == `{"child":1}`
	})
	d := kinesisData(h.kinesisBatches(t, arn))
	// 1 + 3 retries of the failing record, then parent 2, then the child.
	want := []string{`{"parent":1,"respond":"error"}`, `{"parent":1,"respond":"error"}`, `{"parent":1,"respond":"error"}`, `{"parent":1,"respond":"error"}`, `{"parent":2}`, `{"child":1}`}
	if fmt.Sprint(d) != fmt.Sprint(want) {
		t.Fatalf("batches %q, want %q", d, want)
	}
}

func TestKinesis_parallelizationFactorKeepsOrderPerKey(t *testing.T) {
	h := start(t, t.TempDir())
	h.createFunction(t, "fn", testfn.ESMBatch)
	arn := h.stream(t, "s")
	keys := []string{"a", "b", "c", "d", "e", "f"}
	for round := range 3 {
		for _, k := range keys {
			data := fmt.Sprintf(`{"key":"%s","n":%d,"sleepMs":30}`, k, round)
			if _, err := h.kc.PutRecord(ctx, &kinesissdk.PutRecordInput{StreamName: aws.String("s"), PartitionKey: aws.String(k), Data: []byte(data)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn"),
		StartingPosition: lambdatypes.EventSourcePositionTrimHorizon, BatchSize: aws.Int32(3), ParallelizationFactor: aws.Int32(4)})
	total := func() int {
		n := 0
		for _, ev := range h.kinesisBatches(t, arn) {
			n += len(ev.Records)
		}
		return n
	}
	// Advance only while no invocation runs, so the clock never passes a function's timeout.
	deadline := time.Now().Add(waitFor)
	for total() < 18 {
		if time.Now().After(deadline) {
			t.Fatalf("%d records delivered", total())
		}
		h.rec.mu.Lock()
		idle := h.rec.inflight == 0
		h.rec.mu.Unlock()
		if idle {
			h.clk.Advance(time.Second)
		}
		time.Sleep(3 * time.Millisecond)
	}
	next := map[string]int{}
	for _, ev := range h.kinesisBatches(t, arn) {
		if len(ev.Records) > 3 {
			t.Errorf("batch of %d records, want at most 3", len(ev.Records))
		}
		for _, r := range ev.Records {
			var d struct {
				Key string `json:"key"`
				N   int    `json:"n"`
			}
			json.Unmarshal(r.Kinesis.Data, &d)
			if d.Key != r.Kinesis.PartitionKey || d.N != next[d.Key] {
				t.Fatalf("record %s (key %s) out of order: want n=%d", r.Kinesis.Data, r.Kinesis.PartitionKey, next[d.Key])
			}
			next[d.Key]++
		}
	}
	if total() != 18 {
		t.Errorf("%d records delivered, want 18 exactly once", total())
	}
	h.rec.mu.Lock()
	peak := h.rec.peak
	h.rec.mu.Unlock()
	if peak < 2 || peak > 4 {
		t.Errorf("%d batches of the shard in flight at once, want 2 to 4", peak)
	}
}

// An S3 on-failure destination gets the record and the batch itself, as an object under
// aws/lambda/<mapping UUID>/<shard id>/.
func TestKinesis_onFailureToS3(t *testing.T) {
	h := start(t, t.TempDir())
	h.createFunction(t, "fn", testfn.ESMBatch)
	arn := h.stream(t, "s")
	if _, err := h.s3c.CreateBucket(ctx, &s3sdk.CreateBucketInput{Bucket: aws.String("failures")}); err != nil {
		t.Fatal(err)
	}
	h.put(t, "s", `{"respond":"error"}`)
	m := h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn"),
		StartingPosition: lambdatypes.EventSourcePositionTrimHorizon, MaximumRetryAttempts: aws.Int32(0),
		DestinationConfig: &lambdatypes.DestinationConfig{OnFailure: &lambdatypes.OnFailure{Destination: aws.String("arn:aws:s3:::failures")}}})
	prefix := "aws/lambda/" + aws.ToString(m.UUID) + "/shardId-000000000000/"
	var keys []string
	h.advanceUntil(t, "the failure object", func() bool {
		out, err := h.s3c.ListObjectsV2(ctx, &s3sdk.ListObjectsV2Input{Bucket: aws.String("failures"), Prefix: aws.String(prefix)})
		keys = nil
		if err == nil {
			for _, o := range out.Contents {
				keys = append(keys, aws.ToString(o.Key))
			}
		}
		return len(keys) == 1
	})
	obj, err := h.s3c.GetObject(ctx, &s3sdk.GetObjectInput{Bucket: aws.String("failures"), Key: aws.String(keys[0])})
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Body.Close()
	var rec struct {
		RequestContext struct{ Condition string }         `json:"requestContext"`
		Payload        struct{ Records []map[string]any } `json:"payload"`
	}
	if err := json.NewDecoder(obj.Body).Decode(&rec); err != nil {
		t.Fatal(err)
	}
	if rec.RequestContext.Condition != "RetryAttemptsExhausted" || len(rec.Payload.Records) != 1 {
		t.Fatalf("failure object %s: %+v", keys[0], rec)
	}
}
