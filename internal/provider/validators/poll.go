package validators

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/trigger"
)

// EventSourceARN checks the source of a poll mapping: an SQS queue, Kinesis stream or DynamoDB stream ARN.
func EventSourceARN() validator.String {
	return stringCheck{
		summary: "Invalid Event Source ARN",
		what:    "the ARN of an SQS queue, Kinesis stream or DynamoDB stream",
		check: func(s string) error {
			_, err := trigger.ParsePollSource(s)
			return err
		},
		fix: func(name string) string {
			return "Set " + name + " to the queue's ARN, the Kinesis stream's ARN, or the DynamoDB table's stream_arn."
		},
	}
}

// ESMFunctionName checks the function of a poll mapping: name, ARN or alias ARN.
func ESMFunctionName() validator.String {
	return stringCheck{
		summary: "Invalid Function Name",
		what:    "a function name or ARN, with or without a version or alias",
		check:   trigger.ValidateESMFunctionName,
		fix: func(name string) string {
			return "Set " + name + " to the function's name or ARN, such as my-function, my-function:live or the function's arn."
		},
	}
}

// StartingPosition checks a stream's starting position.
func StartingPosition() validator.String {
	return stringCheck{
		summary: "Invalid Starting Position",
		what:    "one of " + strings.Join(trigger.StartingPositions, ", "),
		check: func(s string) error {
			for _, p := range trigger.StartingPositions {
				if s == p {
					return nil
				}
			}
			return fmt.Errorf("%q is not a starting position", s)
		},
		fix: func(name string) string {
			return "Set " + name + " to TRIM_HORIZON (the oldest record), LATEST (new records) or, for Kinesis, AT_TIMESTAMP."
		},
	}
}

// StartingPositionTimestamp checks an AT_TIMESTAMP position's time.
func StartingPositionTimestamp() validator.String {
	return stringCheck{
		summary: "Invalid Starting Position Timestamp",
		what:    "an RFC 3339 time",
		check:   trigger.ValidateStartingPositionTimestamp,
		fix: func(name string) string {
			return "Set " + name + " to an RFC 3339 time such as 2024-01-01T00:00:00Z."
		},
	}
}

// FilterPattern checks a filter's pattern: a JSON object of at most 4096 characters.
func FilterPattern() validator.String {
	return stringCheck{
		summary: "Invalid Filter Pattern",
		what:    "a JSON object of at most 4096 characters",
		check:   trigger.ValidateFilterPattern,
		fix: func(name string) string {
			return "Set " + name + ` to a JSON pattern such as jsonencode({ body = { type = ["order"] } }).`
		},
	}
}

// ESMOnFailureDestination checks a stream mapping's on-failure destination.
func ESMOnFailureDestination() validator.String {
	return stringCheck{
		summary: "Invalid Destination",
		what:    "the ARN of an SQS queue, SNS topic or S3 bucket",
		check:   trigger.ValidateESMOnFailureDestination,
		fix: func(name string) string {
			return "Set " + name + " to the ARN of a standard SQS queue, an SNS topic or an S3 bucket."
		},
	}
}
