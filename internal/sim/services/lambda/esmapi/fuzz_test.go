package esmapi

import "testing"

// Seeds: the request bodies of request_snapshot/CreateEventSourceMapping.request.snap and
// UpdateEventSourceMapping.request.snap (aws-sdk-go-v2/service/lambda v1.115.0), shortened to
// the members the simulator reads, plus malformed bodies.
var seeds = []string{
	`{"BatchSize":1,"BisectBatchOnFunctionError":true,"DestinationConfig":{"OnFailure":{"Destination":"__Destination__"},"OnSuccess":{"Destination":"__Destination__"}},"Enabled":true,"EventSourceArn":"__EventSourceArn__","FilterCriteria":{"Filters":[{"Pattern":"__Pattern__"},{"Pattern":"__Pattern__"}]},"FunctionName":"__FunctionName__","FunctionResponseTypes":["ReportBatchItemFailures","ReportBatchItemFailures"],"MaximumBatchingWindowInSeconds":1,"MaximumRecordAgeInSeconds":1,"MaximumRetryAttempts":1,"ParallelizationFactor":1,"ScalingConfig":{"MaximumConcurrency":1},"StartingPosition":"TRIM_HORIZON","StartingPositionTimestamp":946684800,"Tags":{"key0":"__Value__"},"TumblingWindowInSeconds":1}`,
	`{"StartingPositionTimestamp":"946684800"}`,
	``, `{`, `[]`, `null`, `{"BatchSize":"x"}`, `{"FilterCriteria":{"Filters":null}}`,
}

func FuzzDecodeCreate(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, e := DecodeCreate(body)
		if (in == nil) == (e == nil) {
			t.Fatalf("exactly one of input and error must be set: %v %v", in, e)
		}
		if e != nil && e.Status != 400 {
			t.Fatalf("status %d", e.Status)
		}
	})
}

func FuzzDecodeUpdate(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, e := DecodeUpdate(body)
		if (in == nil) == (e == nil) {
			t.Fatalf("exactly one of input and error must be set: %v %v", in, e)
		}
	})
}

func TestDecodeCreateSnapshot(t *testing.T) {
	in, e := DecodeCreate([]byte(seeds[0]))
	if e != nil {
		t.Fatal(e)
	}
	if *in.EventSourceArn != "__EventSourceArn__" || *in.StartingPosition != "TRIM_HORIZON" || float64(*in.StartingPositionTimestamp) != 946684800 ||
		*in.BatchSize != 1 || len(in.FilterCriteria.Filters) != 2 || *in.ScalingConfig.MaximumConcurrency != 1 || *in.DestinationConfig.OnFailure.Destination != "__Destination__" {
		t.Fatalf("decoded %+v", in)
	}
	if _, e := DecodeCreate([]byte(`{"BatchSize":"x"}`)); e == nil || e.Code != "InvalidRequestContentException" {
		t.Fatalf("bad body: %v", e)
	}
}
