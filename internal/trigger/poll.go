package trigger

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Poll-based invocation: event source mappings of SQS queues, Kinesis streams and DynamoDB streams
// (SEMANTICS.md C1-C4; API_CreateEventSourceMapping). The provider checks a mapping with these facts at
// plan time; the simulator's pollers apply the same defaults.

// Poll source kinds, as the event source ARN's service says.
const (
	PollSourceSQS      = "sqs"
	PollSourceKinesis  = "kinesis"
	PollSourceDynamoDB = "dynamodb"
)

// Event source mapping fields: ranges and the defaults Lambda applies when a field is unset.
const (
	ESMBatchSizeMin            = 1
	ESMBatchSizeMax            = 10000
	ESMSQSBatchSizeDefault     = 10
	ESMStreamBatchSizeDefault  = 100
	ESMSQSFIFOBatchSizeMax     = 10
	ESMBatchSizeWithoutWindow  = 10 // SQS: a larger batch size needs a batching window of at least 1 s
	ESMBatchingWindowMax       = 300
	ESMParallelizationMin      = 1
	ESMParallelizationMax      = 10
	ESMParallelizationDefault  = 1
	ESMRetryAttemptsMin        = -1 // -1: retry until the record expires
	ESMRetryAttemptsMax        = 10000
	ESMRetryAttemptsDefault    = -1
	ESMRecordAgeInfinite       = -1 // the stream's own retention
	ESMRecordAgeMin            = 60
	ESMRecordAgeMax            = 604800
	ESMRecordAgeDefault        = -1
	ESMTumblingWindowMax       = 900
	ESMMaximumConcurrencyMin   = 2
	ESMMaximumConcurrencyMax   = 1000
	ESMFiltersMax              = 5
	ESMFilterPatternMaxLength  = 4096
	ESMReportBatchItemFailures = "ReportBatchItemFailures"
)

// Starting positions of stream mappings.
const (
	StartingPositionTrimHorizon = "TRIM_HORIZON"
	StartingPositionLatest      = "LATEST"
	StartingPositionAtTimestamp = "AT_TIMESTAMP"
)

// StartingPositions lists every starting position the API knows.
var StartingPositions = []string{StartingPositionTrimHorizon, StartingPositionLatest, StartingPositionAtTimestamp}

// ESM states (GetEventSourceMapping State).
const (
	ESMStateCreating  = "Creating"
	ESMStateEnabling  = "Enabling"
	ESMStateEnabled   = "Enabled"
	ESMStateDisabling = "Disabling"
	ESMStateDisabled  = "Disabled"
	ESMStateUpdating  = "Updating"
	ESMStateDeleting  = "Deleting"
)

// ESMOnFailureServices are the services an on-failure destination of a stream mapping may be.
var ESMOnFailureServices = []string{"sqs", "sns", "s3"}

// PollSource is an event source ARN, read.
type PollSource struct {
	ARN  string
	Kind string // PollSourceSQS, PollSourceKinesis or PollSourceDynamoDB
	Name string // queue name, stream name, or table name
	FIFO bool   // an SQS FIFO queue
}

// IsStream reports whether the source is a Kinesis or DynamoDB stream (shards, checkpoints, starting positions).
func (s PollSource) IsStream() bool {
	return s.Kind == PollSourceKinesis || s.Kind == PollSourceDynamoDB
}

// Label is the source's short name for people: "sqs:orders", "kinesis:clicks", "dynamodb:users".
func (s PollSource) Label() string { return s.Kind + ":" + s.Name }

// BatchSizeDefault is Lambda's batch size when none is given: 10 for SQS, 100 for streams.
func (s PollSource) BatchSizeDefault() int64 {
	if s.Kind == PollSourceSQS {
		return ESMSQSBatchSizeDefault
	}
	return ESMStreamBatchSizeDefault
}

// BatchSizeMax is the largest batch size the source accepts: 10 for FIFO queues, 10,000 otherwise.
func (s PollSource) BatchSizeMax() int64 {
	if s.FIFO {
		return ESMSQSFIFOBatchSizeMax
	}
	return ESMBatchSizeMax
}

// StartingPositions are the positions the source accepts: none for SQS, no AT_TIMESTAMP for DynamoDB.
func (s PollSource) StartingPositions() []string {
	switch s.Kind {
	case PollSourceKinesis:
		return StartingPositions
	case PollSourceDynamoDB:
		return []string{StartingPositionTrimHorizon, StartingPositionLatest}
	}
	return nil
}

// ParsePollSource reads an event source ARN: an SQS queue (arn:aws:sqs:<region>:<account>:<queue>), a
// Kinesis stream or stream consumer (arn:aws:kinesis:<region>:<account>:stream/<name>[/consumer/...]),
// or a DynamoDB stream (arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>).
func ParsePollSource(arn string) (PollSource, error) {
	a, ok := splitARN(arn)
	if !ok || a.Region == "" || a.Account == "" {
		return PollSource{}, fmt.Errorf("%q is not the ARN of an SQS queue, Kinesis stream or DynamoDB stream", arn)
	}
	src := PollSource{ARN: arn, Kind: a.Service}
	switch a.Service {
	case PollSourceSQS:
		if !queueOrTopicPattern.MatchString(a.Resource) {
			return PollSource{}, fmt.Errorf("%q is not the ARN of an SQS queue, which looks like arn:aws:sqs:us-east-1:123456789012:my-queue", arn)
		}
		src.Name = a.Resource
		src.FIFO = strings.HasSuffix(a.Resource, ".fifo")
	case PollSourceKinesis:
		parts := strings.Split(a.Resource, "/")
		if len(parts) < 2 || parts[0] != "stream" || parts[1] == "" || (len(parts) > 2 && (len(parts) != 4 || parts[2] != "consumer")) {
			return PollSource{}, fmt.Errorf("%q is not the ARN of a Kinesis stream, which looks like arn:aws:kinesis:us-east-1:123456789012:stream/my-stream", arn)
		}
		src.Name = parts[1]
	case PollSourceDynamoDB:
		parts := strings.Split(a.Resource, "/")
		if len(parts) != 4 || parts[0] != "table" || parts[1] == "" || parts[2] != "stream" || parts[3] == "" {
			return PollSource{}, fmt.Errorf("%q is not the ARN of a DynamoDB stream, which looks like "+
				"arn:aws:dynamodb:us-east-1:123456789012:table/my-table/stream/2024-01-01T00:00:00.000 "+
				"(the table's stream ARN, not the table's ARN)", arn)
		}
		src.Name = parts[1]
	default:
		return PollSource{}, fmt.Errorf("%q is a %s ARN; this resource polls SQS queues, Kinesis streams and DynamoDB streams", arn, a.Service)
	}
	return src, nil
}

// ESMSettings are the fields of an event source mapping that plan-time checks look at. A nil pointer
// (or an empty string) is a field left unset.
type ESMSettings struct {
	BatchSize                 *int64
	MaximumBatchingWindow     *int64
	StartingPosition          string
	StartingPositionUnknown   bool // set, but not known until apply
	StartingPositionTimestamp string
	ParallelizationFactor     *int64
	MaximumRetryAttempts      *int64
	MaximumRecordAge          *int64
	BisectBatchOnFunctionErr  *bool
	TumblingWindow            *int64
	OnFailureDestination      string
	FunctionResponseTypes     []string
	FilterPatterns            []string
	MaximumConcurrency        *int64
}

// ESMProblem is one rule a mapping breaks: the field (the Terraform attribute name, dotted inside
// blocks: scaling_config.maximum_concurrency) and what is wrong.
type ESMProblem struct {
	Field   string
	Message string
}

// ValidateESM checks the rules Lambda applies across fields of a mapping of src: those it enforces at
// CreateEventSourceMapping with an InvalidParameterValueException. Single-field ranges are checked too.
// A src with an empty Kind (the ARN is not known yet) gets the checks that do not depend on the source.
func ValidateESM(src PollSource, s ESMSettings) []ESMProblem {
	var out []ESMProblem
	add := func(field, format string, args ...any) {
		out = append(out, ESMProblem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if src.IsStream() && !s.StartingPositionUnknown {
		switch {
		case s.StartingPosition == "":
			add("starting_position", "a %s mapping needs a starting position: one of %s", src.Kind, strings.Join(src.StartingPositions(), ", "))
		case !slices.Contains(src.StartingPositions(), s.StartingPosition):
			add("starting_position", "%s is not a starting position of a %s stream; use one of %s", s.StartingPosition, src.Kind, strings.Join(src.StartingPositions(), ", "))
		case s.StartingPosition == StartingPositionAtTimestamp && s.StartingPositionTimestamp == "":
			add("starting_position_timestamp", "starting position AT_TIMESTAMP needs starting_position_timestamp (RFC 3339, e.g. 2024-01-01T00:00:00Z)")
		}
		if s.StartingPositionTimestamp != "" && s.StartingPosition != "" && s.StartingPosition != StartingPositionAtTimestamp {
			add("starting_position_timestamp", "starting_position_timestamp only applies with starting position AT_TIMESTAMP, not %s", s.StartingPosition)
		}
	}
	if src.Kind == PollSourceSQS {
		if s.StartingPosition != "" || s.StartingPositionUnknown {
			add("starting_position", "an SQS queue has no starting position: Lambda reads whatever is in the queue; remove starting_position")
		}
		if s.StartingPositionTimestamp != "" {
			add("starting_position_timestamp", "an SQS queue has no starting position; remove starting_position_timestamp")
		}
		streamOnly := []struct {
			field string
			set   bool
		}{
			{"parallelization_factor", s.ParallelizationFactor != nil},
			{"maximum_retry_attempts", s.MaximumRetryAttempts != nil},
			{"maximum_record_age_in_seconds", s.MaximumRecordAge != nil},
			{"bisect_batch_on_function_error", s.BisectBatchOnFunctionErr != nil},
			{"tumbling_window_in_seconds", s.TumblingWindow != nil},
			{"destination_config", s.OnFailureDestination != ""},
		}
		for _, f := range streamOnly {
			if f.set {
				add(f.field, "%s applies to Kinesis and DynamoDB streams only; for an SQS queue, remove it (failed messages "+
					"return to the queue after its visibility timeout and go to its dead-letter queue by its redrive policy)", f.field)
			}
		}
	}
	if src.IsStream() && s.MaximumConcurrency != nil {
		add("scaling_config", "scaling_config applies to SQS queues only; for a stream, use parallelization_factor")
	}

	if s.BatchSize != nil {
		n := *s.BatchSize
		switch {
		case n < ESMBatchSizeMin || n > ESMBatchSizeMax:
			add("batch_size", "batch size %d is out of range: Lambda accepts %d to %d", n, ESMBatchSizeMin, ESMBatchSizeMax)
		case src.FIFO && n > ESMSQSFIFOBatchSizeMax:
			add("batch_size", "batch size %d is too large for a FIFO queue: at most %d", n, ESMSQSFIFOBatchSizeMax)
		case src.Kind == PollSourceSQS && n > ESMBatchSizeWithoutWindow && (s.MaximumBatchingWindow == nil || *s.MaximumBatchingWindow < 1):
			add("maximum_batching_window_in_seconds", "an SQS batch size over %d (here %d) needs maximum_batching_window_in_seconds of at least 1", ESMBatchSizeWithoutWindow, n)
		}
	}
	if w := s.MaximumBatchingWindow; w != nil {
		switch {
		case *w < 0 || *w > ESMBatchingWindowMax:
			add("maximum_batching_window_in_seconds", "batching window %d s is out of range: Lambda accepts 0 to %d seconds", *w, ESMBatchingWindowMax)
		case src.FIFO && *w > 0:
			add("maximum_batching_window_in_seconds", "a FIFO queue has no batching window; remove maximum_batching_window_in_seconds or set it to 0")
		}
	}
	if p := s.ParallelizationFactor; p != nil && (*p < ESMParallelizationMin || *p > ESMParallelizationMax) {
		add("parallelization_factor", "parallelization factor %d is out of range: Lambda accepts %d to %d", *p, ESMParallelizationMin, ESMParallelizationMax)
	}
	if r := s.MaximumRetryAttempts; r != nil && (*r < ESMRetryAttemptsMin || *r > ESMRetryAttemptsMax) {
		add("maximum_retry_attempts", "maximum retry attempts %d is out of range: Lambda accepts -1 (until the record expires) to %d", *r, ESMRetryAttemptsMax)
	}
	if a := s.MaximumRecordAge; a != nil && *a != ESMRecordAgeInfinite && (*a < ESMRecordAgeMin || *a > ESMRecordAgeMax) {
		add("maximum_record_age_in_seconds", "maximum record age %d is out of range: Lambda accepts -1 (the stream's retention) or %d to %d seconds", *a, ESMRecordAgeMin, ESMRecordAgeMax)
	}
	if w := s.TumblingWindow; w != nil && (*w < 0 || *w > ESMTumblingWindowMax) {
		add("tumbling_window_in_seconds", "tumbling window %d s is out of range: Lambda accepts 0 to %d seconds", *w, ESMTumblingWindowMax)
	}
	if c := s.MaximumConcurrency; c != nil && (*c < ESMMaximumConcurrencyMin || *c > ESMMaximumConcurrencyMax) {
		add("scaling_config.maximum_concurrency", "maximum concurrency %d is out of range: Lambda accepts %d to %d", *c, ESMMaximumConcurrencyMin, ESMMaximumConcurrencyMax)
	}
	if d := s.OnFailureDestination; d != "" && src.Kind != PollSourceSQS {
		if err := ValidateESMOnFailureDestination(d); err != nil {
			add("destination_config.on_failure.destination_arn", "%s", err)
		}
	}
	for _, t := range s.FunctionResponseTypes {
		if t != ESMReportBatchItemFailures {
			add("function_response_types", "%q is not a function response type; the only one is %s", t, ESMReportBatchItemFailures)
		}
	}
	if len(s.FilterPatterns) > ESMFiltersMax {
		add("filter_criteria", "%d filters given; a mapping takes at most %d (more by a quota increase)", len(s.FilterPatterns), ESMFiltersMax)
	}
	for i, p := range s.FilterPatterns {
		if err := ValidateFilterPattern(p); err != nil {
			add("filter_criteria", "filter %d: %s", i+1, err)
		}
	}
	return out
}

var esmFunctionName = regexp.MustCompile(`^(arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?[a-zA-Z0-9_-]{1,64}(:(\$LATEST|[a-zA-Z0-9_-]{1,128}))?$`)

// ValidateESMFunctionName checks the function of a mapping: a name, partial ARN or ARN, with or
// without a version or alias.
func ValidateESMFunctionName(s string) error {
	if !esmFunctionName.MatchString(s) {
		return fmt.Errorf("%q is not a function name (my-function), name with alias (my-function:live), partial ARN "+
			"(123456789012:function:my-function) or function ARN (arn:aws:lambda:us-east-1:123456789012:function:my-function)", s)
	}
	return nil
}

// ValidateESMOnFailureDestination checks a stream mapping's on-failure destination: an SQS queue, an
// SNS topic or an S3 bucket.
func ValidateESMOnFailureDestination(arn string) error {
	a, ok := splitARN(arn)
	if !ok || !slices.Contains(ESMOnFailureServices, a.Service) {
		return fmt.Errorf("%q is not the ARN of an SQS queue, SNS topic or S3 bucket, the on-failure destinations of a stream mapping", arn)
	}
	return ValidateDestinationARN(arn, true)
}

// ValidateFilterPattern checks a filter pattern: a JSON object of at most 4096 characters.
func ValidateFilterPattern(p string) error {
	if len(p) > ESMFilterPatternMaxLength {
		return fmt.Errorf("the pattern is %d characters long; Lambda accepts at most %d", len(p), ESMFilterPatternMaxLength)
	}
	var v any
	if err := json.Unmarshal([]byte(p), &v); err != nil {
		return fmt.Errorf("the pattern is not valid JSON (%v); write it with jsonencode()", err)
	}
	if _, ok := v.(map[string]any); !ok {
		return fmt.Errorf("the pattern must be a JSON object such as {\"body\":{\"type\":[\"order\"]}}")
	}
	return nil
}

// ValidateStartingPositionTimestamp checks an AT_TIMESTAMP position: RFC 3339.
func ValidateStartingPositionTimestamp(s string) error {
	if _, err := time.Parse(time.RFC3339, s); err != nil {
		return fmt.Errorf("%q is not an RFC 3339 time such as 2024-01-01T00:00:00Z", s)
	}
	return nil
}

// ESMBehaviorInput is what the one-line description of a mapping reads; every field set (defaults
// applied).
type ESMBehaviorInput struct {
	Source                PollSource
	Enabled               bool
	BatchSize             int64
	BatchingWindow        int64
	StartingPosition      string
	ParallelizationFactor int64
	MaximumRetryAttempts  int64
	MaximumRecordAge      int64
	Bisect                bool
	TumblingWindow        int64
	OnFailureDestination  string
	ReportItemFailures    bool
	Filters               int
	MaximumConcurrency    int64 // 0: unset
}

// ESMBehavior describes in one line what Lambda does under a mapping, e.g. "polls sqs:orders;
// batches of up to 100 or 5 s; failed items retried individually; at most 10 concurrent".
func ESMBehavior(in ESMBehaviorInput) string {
	src := in.Source
	parts := []string{"polls " + src.Label()}
	if !in.Enabled {
		parts[0] = "disabled; would poll " + src.Label()
	}
	if src.IsStream() && in.StartingPosition != "" {
		parts[0] += " from " + in.StartingPosition
	}
	batch := fmt.Sprintf("batches of up to %d", in.BatchSize)
	if in.BatchingWindow > 0 {
		batch += fmt.Sprintf(" or %d s", in.BatchingWindow)
	}
	parts = append(parts, batch)
	if in.Filters > 0 {
		others := "others deleted"
		if src.IsStream() {
			others = "others skipped"
		}
		parts = append(parts, fmt.Sprintf("only records matching %s (%s)", countOf(in.Filters, "filter"), others))
	}
	if src.FIFO {
		parts = append(parts, "in order per message group")
	}
	if src.IsStream() {
		if in.ParallelizationFactor > 1 {
			parts = append(parts, fmt.Sprintf("%d batches per shard at once", in.ParallelizationFactor))
		}
		if in.TumblingWindow > 0 {
			parts = append(parts, fmt.Sprintf("tumbling windows of %d s", in.TumblingWindow))
		}
		parts = append(parts, streamFailure(in))
	} else {
		if in.ReportItemFailures {
			parts = append(parts, "failed items retried individually")
		} else {
			parts = append(parts, "failed batches retried after the visibility timeout")
		}
		if in.MaximumConcurrency > 0 {
			parts = append(parts, fmt.Sprintf("at most %d concurrent", in.MaximumConcurrency))
		}
	}
	return strings.Join(parts, "; ")
}

func streamFailure(in ESMBehaviorInput) string {
	var b strings.Builder
	b.WriteString("on error: ")
	if in.ReportItemFailures {
		b.WriteString("checkpoint at the first failed record, ")
	}
	if in.Bisect {
		b.WriteString("batch split in two, ")
	}
	switch {
	case in.MaximumRetryAttempts < 0 && in.MaximumRecordAge < 0:
		b.WriteString("retried until it succeeds or expires")
	case in.MaximumRetryAttempts < 0:
		fmt.Fprintf(&b, "retried until records are %s old", FormatSeconds(in.MaximumRecordAge))
	case in.MaximumRecordAge < 0:
		fmt.Fprintf(&b, "%s", countOf(int(in.MaximumRetryAttempts), "retry"))
	default:
		fmt.Fprintf(&b, "%s while records are under %s old", countOf(int(in.MaximumRetryAttempts), "retry"), FormatSeconds(in.MaximumRecordAge))
	}
	if in.OnFailureDestination != "" {
		b.WriteString(", then -> " + DescribeDestination(in.OnFailureDestination))
	} else if in.MaximumRetryAttempts >= 0 || in.MaximumRecordAge >= 0 {
		b.WriteString(", then skipped")
	}
	return b.String()
}

// countOf writes a count with its noun: "no retries", "1 retry", "3 filters".
func countOf(n int, word string) string {
	many := word + "s"
	if strings.HasSuffix(word, "y") {
		many = strings.TrimSuffix(word, "y") + "ies"
	}
	switch n {
	case 0:
		return "no " + many
	case 1:
		return "1 " + word
	}
	return fmt.Sprintf("%d %s", n, many)
}
