package esm_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	kinesissdk "github.com/aws/aws-sdk-go-v2/service/kinesis"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

const fnARN = "arn:aws:lambda:us-east-1:000000000000:function:"

func TestAPI_SQSFieldsEchoedAndStates(t *testing.T) {
	h := start(t, t.TempDir())
	h.createFunction(t, "fn", testfn.ESMBatch)
	_, arn := h.createQueue(t, "q", nil)
	before := h.clk.Now()
	out, err := h.lc.CreateEventSourceMapping(ctx, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn"),
		BatchSize: aws.Int32(50), MaximumBatchingWindowInSeconds: aws.Int32(3),
		FunctionResponseTypes: []lambdatypes.FunctionResponseType{lambdatypes.FunctionResponseTypeReportBatchItemFailures},
		FilterCriteria:        &lambdatypes.FilterCriteria{Filters: []lambdatypes.Filter{{Pattern: aws.String(`{"body":{"a":["b"]}}`)}}},
		ScalingConfig:         &lambdatypes.ScalingConfig{MaximumConcurrency: aws.Int32(7)}})
	if err != nil {
		t.Fatal(err)
	}
	if *out.State != "Creating" || *out.StateTransitionReason != "USER_INITIATED" || *out.FunctionArn != fnARN+"fn" || *out.EventSourceArn != arn ||
		*out.BatchSize != 50 || *out.MaximumBatchingWindowInSeconds != 3 || len(out.FunctionResponseTypes) != 1 ||
		*out.FilterCriteria.Filters[0].Pattern != `{"body":{"a":["b"]}}` || *out.ScalingConfig.MaximumConcurrency != 7 ||
		out.StartingPosition != "" || out.ParallelizationFactor != nil || out.LastModified.Unix() != before.Unix() {
		t.Fatalf("create answered %+v", out)
	}
	got := h.waitState(t, *out.UUID, "Enabled")
	if *got.BatchSize != 50 || *got.FilterCriteria.Filters[0].Pattern != `{"body":{"a":["b"]}}` || *got.ScalingConfig.MaximumConcurrency != 7 {
		t.Fatalf("get answered %+v", got)
	}
	// Defaults are answered: batch size 10 and no window for SQS.
	_, arn2 := h.createQueue(t, "q2", nil)
	d := h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn2), FunctionName: aws.String("fn"), Enabled: aws.Bool(false)})
	g := h.waitState(t, *d.UUID, "Disabled")
	if *g.BatchSize != 10 || *g.MaximumBatchingWindowInSeconds != 0 || g.FunctionResponseTypes == nil {
		t.Fatalf("defaults: %+v", g)
	}
	// Updating: the new values are echoed; enabling goes through Enabling.
	up, err := h.lc.UpdateEventSourceMapping(ctx, &lambdasdk.UpdateEventSourceMappingInput{UUID: out.UUID, BatchSize: aws.Int32(5),
		FilterCriteria: &lambdatypes.FilterCriteria{Filters: []lambdatypes.Filter{}}})
	if err != nil {
		t.Fatal(err)
	}
	if *up.State != "Updating" || *up.BatchSize != 5 || up.FilterCriteria != nil || *up.MaximumBatchingWindowInSeconds != 3 {
		t.Fatalf("update answered %+v", up)
	}
	// ResourceInUseException while Updating, for update and delete.
	if _, err := h.lc.UpdateEventSourceMapping(ctx, &lambdasdk.UpdateEventSourceMappingInput{UUID: out.UUID, BatchSize: aws.Int32(6)}); !strings.HasPrefix(code(err), "ResourceInUseException") {
		t.Errorf("update while Updating: %s", code(err))
	}
	if _, err := h.lc.DeleteEventSourceMapping(ctx, &lambdasdk.DeleteEventSourceMappingInput{UUID: out.UUID}); !strings.HasPrefix(code(err), "ResourceInUseException") {
		t.Errorf("delete while Updating: %s", code(err))
	}
	h.waitState(t, *out.UUID, "Enabled")
	en, err := h.lc.UpdateEventSourceMapping(ctx, &lambdasdk.UpdateEventSourceMappingInput{UUID: d.UUID, Enabled: aws.Bool(true)})
	if err != nil || *en.State != "Enabling" {
		t.Fatalf("enable: %v %+v", err, en)
	}
	h.waitState(t, *d.UUID, "Enabled")
}

func TestAPI_duplicateInUseAndDelete(t *testing.T) {
	h := start(t, t.TempDir())
	h.createFunction(t, "fn", testfn.ESMBatch)
	_, arn := h.createQueue(t, "q", nil)
	in := &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn")}
	out, err := h.lc.CreateEventSourceMapping(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	// Update while Creating is refused.
	if _, err := h.lc.UpdateEventSourceMapping(ctx, &lambdasdk.UpdateEventSourceMappingInput{UUID: out.UUID, BatchSize: aws.Int32(3)}); !strings.HasPrefix(code(err), "ResourceInUseException") {
		t.Errorf("update while Creating: %s", code(err))
	}
	want := `ResourceConflictException: An event source mapping with SQS arn (" ` + arn + ` ") and function (" fn ") already exists. Please update or delete the existing mapping with UUID ` + *out.UUID
	var rce *lambdatypes.ResourceConflictException
	if _, err := h.lc.CreateEventSourceMapping(ctx, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String(fnARN + "fn")}); code(err) != want {
		t.Errorf("duplicate: %s\nwant %s", code(err), want)
	} else if !asType(err, &rce) {
		t.Errorf("duplicate is %T, want *types.ResourceConflictException", err)
	}
	h.waitState(t, *out.UUID, "Enabled")
	del, err := h.lc.DeleteEventSourceMapping(ctx, &lambdasdk.DeleteEventSourceMappingInput{UUID: out.UUID})
	if err != nil || *del.State != "Deleting" {
		t.Fatalf("delete: %v %+v", err, del)
	}
	// Still Deleting: a create of the same pair is the 409 (SEMANTICS.md E5).
	if _, err := h.lc.CreateEventSourceMapping(ctx, in); !strings.HasPrefix(code(err), "ResourceConflictException") {
		t.Errorf("create while Deleting: %s", code(err))
	}
	if g, err := h.lc.GetEventSourceMapping(ctx, &lambdasdk.GetEventSourceMappingInput{UUID: out.UUID}); err != nil || *g.State != "Deleting" {
		t.Fatalf("get while Deleting: %v", err)
	}
	deadline := time.Now().Add(waitFor)
	for {
		h.clk.Advance(delay)
		_, err := h.lc.GetEventSourceMapping(ctx, &lambdasdk.GetEventSourceMappingInput{UUID: out.UUID})
		var nf *lambdatypes.ResourceNotFoundException
		if asType(err, &nf) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("mapping never went away: %s", code(err))
		}
		time.Sleep(time.Millisecond)
	}
	if _, err := h.lc.CreateEventSourceMapping(ctx, in); err != nil {
		t.Fatalf("create after delete: %s", code(err))
	}
}

func TestAPI_validation(t *testing.T) {
	h := start(t, t.TempDir())
	h.createFunction(t, "fn", testfn.ESMBatch)
	_, arn := h.createQueue(t, "q", nil)
	_, fifo := h.createQueue(t, "f.fifo", map[string]string{"FifoQueue": "true"})
	h.roles.denied["sqs:ReceiveMessage arn:aws:sqs:us-east-1:000000000000:denied"] = true
	h.roles.denied["sqs:SendMessage arn:aws:sqs:us-east-1:000000000000:denied"] = true
	_, denied := h.createQueue(t, "denied", nil)
	cases := []struct {
		name string
		in   lambdasdk.CreateEventSourceMappingInput
		want string
	}{
		{"starting position on SQS", lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), StartingPosition: lambdatypes.EventSourcePositionLatest}, "InvalidParameterValueException"},
		{"batch over 10 without window", lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), BatchSize: aws.Int32(11)},
			"InvalidParameterValueException: Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10"},
		{"FIFO batch over 10", lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(fifo), BatchSize: aws.Int32(11), MaximumBatchingWindowInSeconds: aws.Int32(1)}, "InvalidParameterValueException"},
		{"batch size 0", lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), BatchSize: aws.Int32(0)},
			"ValidationException: 1 validation error detected: Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"batch size 10001", lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), BatchSize: aws.Int32(10001), MaximumBatchingWindowInSeconds: aws.Int32(1)}, "ValidationException"},
		{"window 301", lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), MaximumBatchingWindowInSeconds: aws.Int32(301)}, "ValidationException"},
		{"stream-only field on SQS", lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), ParallelizationFactor: aws.Int32(2)}, "InvalidParameterValueException"},
		{"bisect on SQS", lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), BisectBatchOnFunctionError: aws.Bool(true)}, "InvalidParameterValueException"},
		{"concurrency 1", lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), ScalingConfig: &lambdatypes.ScalingConfig{MaximumConcurrency: aws.Int32(1)}}, "ValidationException"},
		{"bad filter", lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FilterCriteria: &lambdatypes.FilterCriteria{Filters: []lambdatypes.Filter{{Pattern: aws.String(`{"body":`)}}}},
			"InvalidParameterValueException: Invalid filter pattern definition."},
		{"missing queue", lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String("arn:aws:sqs:us-east-1:000000000000:nope")}, "InvalidParameterValueException"},
		{"missing function", lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("nope")}, "ResourceNotFoundException"},
		{"role may not receive", lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(denied)},
			"InvalidParameterValueException: The provided execution role does not have permissions to call ReceiveMessage on SQS"},
		{"role may not reach the destination", lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(h.stream(t, "s")), StartingPosition: lambdatypes.EventSourcePositionLatest,
			DestinationConfig: &lambdatypes.DestinationConfig{OnFailure: &lambdatypes.OnFailure{Destination: aws.String("arn:aws:sqs:us-east-1:000000000000:denied")}}},
			"InvalidParameterValueException: The function execution role does not have permissions to call SendMessage on arn:aws:sqs:us-east-1:000000000000:denied"},
		{"a table as a destination", lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(h.stream(t, "s")), StartingPosition: lambdatypes.EventSourcePositionLatest,
			DestinationConfig: &lambdatypes.DestinationConfig{OnFailure: &lambdatypes.OnFailure{Destination: aws.String("arn:aws:dynamodb:us-east-1:000000000000:table/t")}}}, "InvalidParameterValueException"},
		{"starting position missing on a stream", lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(h.stream(t, "s"))}, "InvalidParameterValueException"},
		{"record age 30", lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(h.stream(t, "s")), StartingPosition: lambdatypes.EventSourcePositionLatest, MaximumRecordAgeInSeconds: aws.Int32(30)}, "InvalidParameterValueException"},
		{"retries 10001", lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(h.stream(t, "s")), StartingPosition: lambdatypes.EventSourcePositionLatest, MaximumRetryAttempts: aws.Int32(10001)}, "ValidationException"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			if in.FunctionName == nil {
				in.FunctionName = aws.String("fn")
			}
			_, err := h.lc.CreateEventSourceMapping(ctx, &in)
			if got := code(err); !strings.HasPrefix(got, c.want) {
				t.Errorf("got %s\nwant %s", got, c.want)
			}
		})
	}
	if _, err := h.lc.GetEventSourceMapping(ctx, &lambdasdk.GetEventSourceMappingInput{UUID: aws.String("8c1e6f86-0000-0000-0000-000000000000")}); !strings.HasPrefix(code(err), "ResourceNotFoundException") {
		t.Errorf("get unknown: %s", code(err))
	}
}

// stream creates (once) an ACTIVE Kinesis stream and returns its ARN.
func (h *harness) stream(t testing.TB, name string) string {
	t.Helper()
	arn := "arn:aws:kinesis:us-east-1:000000000000:stream/" + name
	if _, err := h.kinesis.DescribeInternal(arn); err == nil {
		return arn
	}
	if _, err := h.kc.CreateStream(ctx, &kinesissdk.CreateStreamInput{StreamName: aws.String(name), ShardCount: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(waitFor)
	for {
		h.clk.Advance(time.Second)
		info, err := h.kinesis.DescribeInternal(arn)
		if err == nil && info.Status == "ACTIVE" {
			return arn
		}
		if time.Now().After(deadline) {
			t.Fatalf("stream %s never became ACTIVE", name)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestAPI_KinesisFieldsEchoed(t *testing.T) {
	h := start(t, t.TempDir())
	h.createFunction(t, "fn", testfn.ESMBatch)
	arn := h.stream(t, "s")
	ts := time.Unix(1767225600, 0)
	out := h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn"),
		StartingPosition: lambdatypes.EventSourcePositionAtTimestamp, StartingPositionTimestamp: &ts})
	g := h.waitState(t, *out.UUID, "Enabled")
	if g.StartingPosition != lambdatypes.EventSourcePositionAtTimestamp || !g.StartingPositionTimestamp.Equal(ts) || *g.BatchSize != 100 ||
		*g.ParallelizationFactor != 1 || *g.MaximumRetryAttempts != -1 || *g.MaximumRecordAgeInSeconds != -1 ||
		*g.BisectBatchOnFunctionError || *g.TumblingWindowInSeconds != 0 || g.DestinationConfig == nil {
		t.Fatalf("get answered %+v", g)
	}
	// A second one of the same stream and function: the stream wording of the 409.
	_, err := h.lc.CreateEventSourceMapping(ctx, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn"), StartingPosition: lambdatypes.EventSourcePositionLatest})
	want := "ResourceConflictException: The event source arn (" + arn + ") and function (fn) provided mapping already exists. Please update or delete the existing mapping with UUID " + *out.UUID
	if code(err) != want {
		t.Errorf("duplicate: %s\nwant %s", code(err), want)
	}
	up, err := h.lc.UpdateEventSourceMapping(ctx, &lambdasdk.UpdateEventSourceMappingInput{UUID: out.UUID, MaximumRetryAttempts: aws.Int32(3),
		BisectBatchOnFunctionError: aws.Bool(true), ParallelizationFactor: aws.Int32(4), MaximumRecordAgeInSeconds: aws.Int32(120), TumblingWindowInSeconds: aws.Int32(30)})
	if err != nil {
		t.Fatal(err)
	}
	if *up.MaximumRetryAttempts != 3 || !*up.BisectBatchOnFunctionError || *up.ParallelizationFactor != 4 || *up.MaximumRecordAgeInSeconds != 120 ||
		*up.TumblingWindowInSeconds != 30 || up.StartingPosition != lambdatypes.EventSourcePositionAtTimestamp {
		t.Fatalf("update answered %+v", up)
	}
}

func TestAPI_listByFunctionAndSource(t *testing.T) {
	h := start(t, t.TempDir())
	h.createFunction(t, "a", testfn.ESMBatch)
	h.createFunction(t, "b", testfn.ESMBatch)
	var queues []string
	for _, q := range []string{"q1", "q2", "q3"} {
		_, arn := h.createQueue(t, q, nil)
		queues = append(queues, arn)
		h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("a"), Enabled: aws.Bool(false)})
	}
	h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(queues[0]), FunctionName: aws.String("b"), Enabled: aws.Bool(false)})
	list := func(in *lambdasdk.ListEventSourceMappingsInput) int {
		n := 0
		p := lambdasdk.NewListEventSourceMappingsPaginator(h.lc, in)
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			n += len(page.EventSourceMappings)
		}
		return n
	}
	if n := list(&lambdasdk.ListEventSourceMappingsInput{FunctionName: aws.String("a"), MaxItems: aws.Int32(2)}); n != 3 {
		t.Errorf("by function a: %d, want 3", n)
	}
	if n := list(&lambdasdk.ListEventSourceMappingsInput{EventSourceArn: aws.String(queues[0])}); n != 2 {
		t.Errorf("by source q1: %d, want 2", n)
	}
	if n := list(&lambdasdk.ListEventSourceMappingsInput{EventSourceArn: aws.String(queues[0]), FunctionName: aws.String(fnARN + "b")}); n != 1 {
		t.Errorf("by both: %d, want 1", n)
	}
	if n := list(&lambdasdk.ListEventSourceMappingsInput{}); n != 4 {
		t.Errorf("all: %d, want 4", n)
	}
}

func TestAPI_rawStatusesAndPaths(t *testing.T) {
	h := start(t, t.TempDir())
	h.createFunction(t, "fn", testfn.ESMBatch)
	_, arn := h.createQueue(t, "q", nil)
	do := func(method, path, body string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(method, h.srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	// The CLI v1 posts to the path with a trailing slash; the SDKs without.
	status, out := do("POST", "/2015-03-31/event-source-mappings/", `{"EventSourceArn":"`+arn+`","FunctionName":"fn","Enabled":false}`)
	if status != http.StatusAccepted || out["State"] != "Creating" {
		t.Fatalf("create: %d %v", status, out)
	}
	id := out["UUID"].(string)
	h.waitState(t, id, "Disabled")
	if status, out := do("GET", "/2015-03-31/event-source-mappings/"+id, ""); status != http.StatusOK || out["UUID"] != id {
		t.Fatalf("get: %d %v", status, out)
	}
	if status, out := do("PUT", "/2015-03-31/event-source-mappings/"+id, `{"BatchSize":3}`); status != http.StatusAccepted || out["BatchSize"] != float64(3) {
		t.Fatalf("update: %d %v", status, out)
	}
	h.waitState(t, id, "Disabled")
	if status, _ := do("DELETE", "/2015-03-31/event-source-mappings/"+id, ""); status != http.StatusAccepted {
		t.Fatalf("delete: %d", status)
	}
	if status, out := do("GET", "/2015-03-31/event-source-mappings/", ""); status != http.StatusOK || out["EventSourceMappings"] == nil {
		t.Fatalf("list: %d %v", status, out)
	}
	if status, out := do("PATCH", "/2015-03-31/event-source-mappings/"+id, ""); status < 400 || out["Type"] == nil && out["message"] == nil && out["Message"] == nil {
		t.Fatalf("unknown operation: %d %v", status, out)
	}
	resp, err := http.Post(h.srv.URL+"/2015-03-31/event-source-mappings", "application/json", strings.NewReader(`{"BatchSize":`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 || resp.Header.Get("X-Amzn-ErrorType") != "InvalidRequestContentException" {
		t.Fatalf("bad body: %d %v", resp.StatusCode, resp.Header)
	}
}
