package eventconfig

import (
	"fmt"
	"strings"
)

// Kind is the type of a destination, by the service part of its ARN.
type Kind string

// Destination kinds (API_DestinationConfig: function, standard queue, standard topic, event
// bus, and an S3 bucket for on-failure destinations only).
const (
	KindSQS    Kind = "sqs"
	KindSNS    Kind = "sns"
	KindLambda Kind = "lambda"
	KindEvents Kind = "events"
	KindS3     Kind = "s3"
)

// Target is a parsed destination ARN with the IAM action the function's execution role needs to
// deliver to it.
type Target struct {
	ARN  string
	Kind Kind
	// Action is the IAM action ("sqs:SendMessage"); Verb is the API name AWS's messages use
	// ("SendMessage").
	Action string
	Verb   string
}

// ParseDestination reads a destination ARN; onFailure says which side of DestinationConfig it is
// on (S3 buckets are accepted on the failure side only).
func ParseDestination(arn string, onFailure bool) (Target, error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || !strings.HasPrefix(parts[1], "aws") || parts[5] == "" {
		return Target{}, fmt.Errorf("The destination ARN %s is invalid.", arn)
	}
	t := Target{ARN: arn, Kind: Kind(parts[2])}
	switch t.Kind {
	case KindSQS:
		t.Action, t.Verb = "sqs:SendMessage", "SendMessage"
	case KindSNS:
		t.Action, t.Verb = "sns:Publish", "Publish"
	case KindLambda:
		if !strings.HasPrefix(parts[5], "function:") {
			return Target{}, fmt.Errorf("The destination ARN %s is invalid.", arn)
		}
		t.Action, t.Verb = "lambda:InvokeFunction", "InvokeFunction"
	case KindEvents:
		if !strings.HasPrefix(parts[5], "event-bus/") {
			return Target{}, fmt.Errorf("The destination ARN %s is invalid.", arn)
		}
		t.Action, t.Verb = "events:PutEvents", "PutEvents"
	case KindS3:
		if !onFailure {
			return Target{}, fmt.Errorf("S3 buckets are supported only for on-failure destinations: %s", arn)
		}
		t.Action, t.Verb = "s3:PutObject", "PutObject"
	default:
		return Target{}, fmt.Errorf("The provided destination %s is not a supported destination type.", arn)
	}
	return t, nil
}
