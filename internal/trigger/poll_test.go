package trigger

import (
	"strings"
	"testing"
)

func TestParsePollSource(t *testing.T) {
	for _, tc := range []struct {
		arn        string
		kind, name string
		fifo       bool
		want       string // error substring; "" for valid
	}{
		{arn: "arn:aws:sqs:us-east-1:123456789012:orders", kind: PollSourceSQS, name: "orders"},
		{arn: "arn:aws:sqs:us-east-1:123456789012:orders.fifo", kind: PollSourceSQS, name: "orders.fifo", fifo: true},
		{arn: "arn:aws:kinesis:us-east-1:123456789012:stream/clicks", kind: PollSourceKinesis, name: "clicks"},
		{arn: "arn:aws:kinesis:us-east-1:123456789012:stream/clicks/consumer/c1:1700000000", kind: PollSourceKinesis, name: "clicks"},
		{arn: "arn:aws:dynamodb:us-east-1:123456789012:table/users/stream/2024-01-01T00:00:00.000", kind: PollSourceDynamoDB, name: "users"},
		{arn: "arn:aws:dynamodb:us-east-1:123456789012:table/users", want: "not the table's ARN"},
		{arn: "arn:aws:kinesis:us-east-1:123456789012:clicks", want: "not the ARN of a Kinesis stream"},
		{arn: "arn:aws:sqs:us-east-1:123456789012:has/slash", want: "not the ARN of an SQS queue"},
		{arn: "arn:aws:sns:us-east-1:123456789012:topic", want: "is a sns ARN"},
		{arn: "orders", want: "is not the ARN"},
		{arn: "arn:aws:sqs:::orders", want: "is not the ARN"},
	} {
		src, err := ParsePollSource(tc.arn)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("ParsePollSource(%q): %v", tc.arn, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("ParsePollSource(%q) = %v, want an error containing %q", tc.arn, err, tc.want)
		case tc.want == "" && (src.Kind != tc.kind || src.Name != tc.name || src.FIFO != tc.fifo):
			t.Errorf("ParsePollSource(%q) = %+v, want kind %s, name %s, fifo %v", tc.arn, src, tc.kind, tc.name, tc.fifo)
		}
	}
}

func TestPollSourceDefaults(t *testing.T) {
	sqs, _ := ParsePollSource("arn:aws:sqs:us-east-1:123456789012:q")
	fifo, _ := ParsePollSource("arn:aws:sqs:us-east-1:123456789012:q.fifo")
	ddb, _ := ParsePollSource("arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/x")
	kin, _ := ParsePollSource("arn:aws:kinesis:us-east-1:123456789012:stream/s")
	if sqs.BatchSizeDefault() != 10 || kin.BatchSizeDefault() != 100 || ddb.BatchSizeDefault() != 100 {
		t.Errorf("batch size defaults: sqs %d, kinesis %d, dynamodb %d", sqs.BatchSizeDefault(), kin.BatchSizeDefault(), ddb.BatchSizeDefault())
	}
	if fifo.BatchSizeMax() != 10 || sqs.BatchSizeMax() != 10000 {
		t.Errorf("batch size limits: fifo %d, standard %d", fifo.BatchSizeMax(), sqs.BatchSizeMax())
	}
	if len(sqs.StartingPositions()) != 0 || len(ddb.StartingPositions()) != 2 || len(kin.StartingPositions()) != 3 {
		t.Errorf("starting positions: sqs %v, dynamodb %v, kinesis %v", sqs.StartingPositions(), ddb.StartingPositions(), kin.StartingPositions())
	}
}

func TestValidateESM(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	yes := true
	sqs, _ := ParsePollSource("arn:aws:sqs:us-east-1:123456789012:q")
	fifo, _ := ParsePollSource("arn:aws:sqs:us-east-1:123456789012:q.fifo")
	kin, _ := ParsePollSource("arn:aws:kinesis:us-east-1:123456789012:stream/s")
	ddb, _ := ParsePollSource("arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/x")
	unknown := PollSource{}
	for _, tc := range []struct {
		name  string
		src   PollSource
		s     ESMSettings
		field string // "" for valid
	}{
		{"sqs defaults", sqs, ESMSettings{}, ""},
		{"sqs large batch with window", sqs, ESMSettings{BatchSize: n(1000), MaximumBatchingWindow: n(1)}, ""},
		{"sqs large batch without window", sqs, ESMSettings{BatchSize: n(11)}, "maximum_batching_window_in_seconds"},
		{"sqs batch too large", sqs, ESMSettings{BatchSize: n(10001), MaximumBatchingWindow: n(1)}, "batch_size"},
		{"fifo batch", fifo, ESMSettings{BatchSize: n(11), MaximumBatchingWindow: n(0)}, "batch_size"},
		{"fifo window", fifo, ESMSettings{MaximumBatchingWindow: n(1)}, "maximum_batching_window_in_seconds"},
		{"sqs starting position", sqs, ESMSettings{StartingPosition: "LATEST"}, "starting_position"},
		{"sqs unknown starting position", sqs, ESMSettings{StartingPositionUnknown: true}, "starting_position"},
		{"sqs bisect", sqs, ESMSettings{BisectBatchOnFunctionErr: &yes}, "bisect_batch_on_function_error"},
		{"sqs destination", sqs, ESMSettings{OnFailureDestination: "arn:aws:sqs:us-east-1:123456789012:dlq"}, "destination_config"},
		{"sqs concurrency", sqs, ESMSettings{MaximumConcurrency: n(2)}, ""},
		{"sqs concurrency low", sqs, ESMSettings{MaximumConcurrency: n(1)}, "scaling_config.maximum_concurrency"},
		{"stream needs position", kin, ESMSettings{}, "starting_position"},
		{"stream position unknown", kin, ESMSettings{StartingPositionUnknown: true}, ""},
		{"stream large batch without window", kin, ESMSettings{StartingPosition: "LATEST", BatchSize: n(500)}, ""},
		{"ddb at timestamp", ddb, ESMSettings{StartingPosition: "AT_TIMESTAMP", StartingPositionTimestamp: "2024-01-01T00:00:00Z"}, "starting_position"},
		{"kinesis at timestamp", kin, ESMSettings{StartingPosition: "AT_TIMESTAMP", StartingPositionTimestamp: "2024-01-01T00:00:00Z"}, ""},
		{"kinesis at timestamp without time", kin, ESMSettings{StartingPosition: "AT_TIMESTAMP"}, "starting_position_timestamp"},
		{"timestamp without at timestamp", kin, ESMSettings{StartingPosition: "LATEST", StartingPositionTimestamp: "2024-01-01T00:00:00Z"}, "starting_position_timestamp"},
		{"stream concurrency", kin, ESMSettings{StartingPosition: "LATEST", MaximumConcurrency: n(5)}, "scaling_config"},
		{"record age -1", kin, ESMSettings{StartingPosition: "LATEST", MaximumRecordAge: n(-1)}, ""},
		{"record age 59", kin, ESMSettings{StartingPosition: "LATEST", MaximumRecordAge: n(59)}, "maximum_record_age_in_seconds"},
		{"record age 60", kin, ESMSettings{StartingPosition: "LATEST", MaximumRecordAge: n(60)}, ""},
		{"retries -2", kin, ESMSettings{StartingPosition: "LATEST", MaximumRetryAttempts: n(-2)}, "maximum_retry_attempts"},
		{"parallelization 0", kin, ESMSettings{StartingPosition: "LATEST", ParallelizationFactor: n(0)}, "parallelization_factor"},
		{"tumbling 901", ddb, ESMSettings{StartingPosition: "LATEST", TumblingWindow: n(901)}, "tumbling_window_in_seconds"},
		{"lambda destination", kin, ESMSettings{StartingPosition: "LATEST", OnFailureDestination: "arn:aws:lambda:us-east-1:123456789012:function:f"}, "destination_config.on_failure.destination_arn"},
		{"s3 destination", kin, ESMSettings{StartingPosition: "LATEST", OnFailureDestination: "arn:aws:s3:::bucket"}, ""},
		{"response type", sqs, ESMSettings{FunctionResponseTypes: []string{"ReportBatchItemFailures"}}, ""},
		{"bad response type", sqs, ESMSettings{FunctionResponseTypes: []string{"Other"}}, "function_response_types"},
		{"six filters", sqs, ESMSettings{FilterPatterns: []string{"{}", "{}", "{}", "{}", "{}", "{}"}}, "filter_criteria"},
		{"filter not an object", sqs, ESMSettings{FilterPatterns: []string{"[1]"}}, "filter_criteria"},
		{"unknown source: ranges only", unknown, ESMSettings{BatchSize: n(50), ParallelizationFactor: n(20)}, "parallelization_factor"},
		{"unknown source: no source rules", unknown, ESMSettings{BatchSize: n(50), StartingPosition: "LATEST"}, ""},
	} {
		problems := ValidateESM(tc.src, tc.s)
		switch {
		case tc.field == "" && len(problems) > 0:
			t.Errorf("%s: unexpected problems %+v", tc.name, problems)
		case tc.field != "" && (len(problems) != 1 || problems[0].Field != tc.field):
			t.Errorf("%s: problems %+v, want one on %s", tc.name, problems, tc.field)
		}
	}
}

func TestESMBehavior(t *testing.T) {
	sqs, _ := ParsePollSource("arn:aws:sqs:us-east-1:123456789012:orders")
	kin, _ := ParsePollSource("arn:aws:kinesis:us-east-1:123456789012:stream/clicks")
	for _, tc := range []struct {
		in   ESMBehaviorInput
		want string
	}{
		{ESMBehaviorInput{Source: sqs, Enabled: true, BatchSize: 100, BatchingWindow: 5, ReportItemFailures: true, MaximumConcurrency: 10},
			"polls sqs:orders; batches of up to 100 or 5 s; failed items retried individually; at most 10 concurrent"},
		{ESMBehaviorInput{Source: kin, Enabled: true, BatchSize: 100, StartingPosition: "LATEST", MaximumRetryAttempts: -1, MaximumRecordAge: 3600, Filters: 2},
			"polls kinesis:clicks from LATEST; batches of up to 100; only records matching 2 filters (others skipped); on error: retried until records are 1h old, then skipped"},
		{ESMBehaviorInput{Source: kin, Enabled: true, BatchSize: 10, StartingPosition: "TRIM_HORIZON", MaximumRetryAttempts: 3, MaximumRecordAge: 120, OnFailureDestination: "arn:aws:sns:us-east-1:123456789012:alerts"},
			"polls kinesis:clicks from TRIM_HORIZON; batches of up to 10; on error: 3 retries while records are under 2m old, then -> sns:alerts"},
	} {
		if got := ESMBehavior(tc.in); got != tc.want {
			t.Errorf("ESMBehavior(%+v)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestValidateESMFunctionName(t *testing.T) {
	for _, ok := range []string{"f", "f:live", "f:$LATEST", "f:3", "123456789012:function:f", "arn:aws:lambda:us-east-1:123456789012:function:f:live"} {
		if err := ValidateESMFunctionName(ok); err != nil {
			t.Errorf("ValidateESMFunctionName(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "has space", "arn:aws:s3:::bucket", "a:b:c"} {
		if ValidateESMFunctionName(bad) == nil {
			t.Errorf("ValidateESMFunctionName(%q) = nil, want an error", bad)
		}
	}
}
