package esm

import (
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/pattern"
)

// Ranges and limits of SEMANTICS.md C1/C2 (API_CreateEventSourceMapping, the CloudFormation
// ScalingConfig page for MaximumConcurrency, the Kotlin SDK page for MaximumRecordAgeInSeconds).
const (
	maxBatchSize     = 10000
	maxFIFOBatchSize = 10
	maxSQSNoWindow   = 10
	maxWindow        = 300
	maxFilters       = 5
	maxPatternLength = 4096
)

// sourceKind is the service of an event source ARN ("" when it is not one Lambda polls here).
func sourceKind(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return ""
	}
	switch parts[2] {
	case "sqs":
		return KindSQS
	case "kinesis":
		if strings.HasPrefix(parts[5], "stream/") {
			return KindKinesis
		}
	case "dynamodb":
		if strings.Contains(parts[5], "/stream/") {
			return KindDynamoDB
		}
	}
	return ""
}

// regionOf is the region member of an ARN.
func regionOf(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[3]
}

// checkRanges applies the model's constraints (ValidationException) to the given settings.
func checkRanges(s *Settings) *awswire.Error {
	var v validation
	v.between("batchSize", s.BatchSize, 1, maxBatchSize)
	v.between("maximumBatchingWindowInSeconds", s.MaximumBatchingWindowInSeconds, 0, maxWindow)
	v.between("parallelizationFactor", s.ParallelizationFactor, 1, 10)
	v.between("maximumRetryAttempts", s.MaximumRetryAttempts, -1, 10000)
	v.between("maximumRecordAgeInSeconds", s.MaximumRecordAgeInSeconds, -1, 604800)
	v.between("tumblingWindowInSeconds", s.TumblingWindowInSeconds, 0, 900)
	if s.ScalingConfig != nil {
		v.between("scalingConfig.maximumConcurrency", s.ScalingConfig.MaximumConcurrency, 2, 1000)
	}
	if len(s.FunctionResponseTypes) > 1 {
		v.add("Value '%v' at 'functionResponseTypes' failed to satisfy constraint: Member must have length less than or equal to 1", s.FunctionResponseTypes)
	}
	for _, t := range s.FunctionResponseTypes {
		if t != "ReportBatchItemFailures" {
			v.add("Value '[%s]' at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [ReportBatchItemFailures]]", t)
		}
	}
	return v.err()
}

// checkConfig applies the rules that depend on the source to a mapping's full configuration.
func checkConfig(kind string, fifo bool, c *EventSourceMappingConfiguration) *awswire.Error {
	window := int32(0)
	if c.MaximumBatchingWindowInSeconds != nil {
		window = *c.MaximumBatchingWindowInSeconds
	}
	batch := *c.BatchSize
	switch kind {
	case KindSQS:
		if c.StartingPosition != "" || c.StartingPositionTimestamp != nil {
			return invalidParameter("Unsupported starting position for arn type: sqs")
		}
		if c.ParallelizationFactor != nil || c.MaximumRetryAttempts != nil || c.MaximumRecordAgeInSeconds != nil ||
			c.BisectBatchOnFunctionError != nil || c.TumblingWindowInSeconds != nil || c.DestinationConfig != nil {
			return invalidParameter("Unsupported MaximumRetryAttempts, MaximumRecordAgeInSeconds, BisectBatchOnFunctionError, ParallelizationFactor, TumblingWindowInSeconds or DestinationConfig for event source arn type: sqs")
		}
		if fifo {
			if batch > maxFIFOBatchSize {
				return invalidParameter("Batch size for a FIFO queue must be less than or equal to %d", maxFIFOBatchSize)
			}
			if window > 0 {
				return invalidParameter("Batching window is not supported for FIFO queues")
			}
		}
		if batch > maxSQSNoWindow && window < 1 {
			return invalidParameter("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10")
		}
		if c.ScalingConfig != nil && c.ScalingConfig.MaximumConcurrency == nil {
			c.ScalingConfig = nil
		}
	case KindKinesis, KindDynamoDB:
		switch c.StartingPosition {
		case "":
			return invalidParameter("StartingPosition is required for event source arn type: %s", kind)
		case "TRIM_HORIZON", "LATEST":
		case "AT_TIMESTAMP":
			if kind != KindKinesis {
				return invalidParameter("Unsupported starting position AT_TIMESTAMP for event source arn type: %s", kind)
			}
			if c.StartingPositionTimestamp == nil {
				return invalidParameter("StartingPositionTimestamp must be provided with AT_TIMESTAMP starting position")
			}
		default:
			return lambdaError(400, "ValidationException", "1 validation error detected: Value '%s' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]", c.StartingPosition)
		}
		if c.StartingPosition != "AT_TIMESTAMP" && c.StartingPositionTimestamp != nil {
			return invalidParameter("StartingPositionTimestamp is only valid with AT_TIMESTAMP starting position")
		}
		// Streams default to batches of 100 with no window: the window rule is SQS's only.
		if a := c.MaximumRecordAgeInSeconds; a != nil && *a >= 0 && *a < 60 {
			return invalidParameter("MaximumRecordAgeInSeconds must be -1 or between 60 and 604800")
		}
		if c.ScalingConfig != nil && c.ScalingConfig.MaximumConcurrency != nil {
			return invalidParameter("ScalingConfig is not supported for event source arn type: %s", kind)
		}
		if d := c.DestinationConfig; d != nil && d.OnFailure != nil && d.OnFailure.Destination != nil {
			k := strings.SplitN(*d.OnFailure.Destination, ":", 4)
			if len(k) < 3 || (k[2] != "sqs" && k[2] != "sns" && k[2] != "s3") {
				return invalidParameter("Unsupported destination arn type for OnFailure: %s", *d.OnFailure.Destination)
			}
		}
	}
	if f := c.FilterCriteria; f != nil {
		if len(f.Filters) > maxFilters {
			return invalidParameter("The number of filters (%d) exceeds the limit of %d.", len(f.Filters), maxFilters)
		}
		for _, flt := range f.Filters {
			if flt.Pattern == nil || len(*flt.Pattern) > maxPatternLength {
				return invalidParameter("Invalid filter pattern definition.")
			}
			if _, err := pattern.Compile(*flt.Pattern); err != nil {
				return invalidParameter("Invalid filter pattern definition.")
			}
		}
	}
	return nil
}
