// Package deliver lets one simulated AWS service hand a message to another by ARN, the way AWS's
// services call each other: SNS to an SQS queue or a Lambda function, S3 notifications to SQS, SNS
// or Lambda, EventBridge targets, CloudWatch Logs subscriptions, Lambda destinations.
//
// Each service registers itself for the ARN service names it owns ("sqs", "sns", "lambda", ...).
// A delivery is durable once Deliver returns nil: the receiving service has stored it.
package deliver

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// ErrNoTarget means the ARN names nothing that exists (a deleted queue, an unknown function).
var ErrNoTarget = errors.New("deliver: target does not exist")

// ErrDenied means the target's resource policy does not let the source deliver (for example a
// Lambda function without a permission for sns.amazonaws.com from that topic).
var ErrDenied = errors.New("deliver: not allowed by the target's policy")

// Message is what one service hands another.
type Message struct {
	// TargetARN names the receiver: a queue, topic, function (maybe qualified), event bus, bucket.
	TargetARN string
	// Body is the payload exactly as the receiver stores or passes it on (an SQS message body, a
	// Lambda event, ...).
	Body []byte
	// Attributes are SQS message attributes (or SNS ones) to keep with the message.
	Attributes map[string]Attribute
	// ObjectKey is where an S3 receiver writes the body (Lambda names the object of a failure
	// record); other receivers ignore it.
	ObjectKey string
	// Subject is the SNS subject a publishing service gives its message, e.g. S3's
	// "Amazon S3 Notification"; receivers other than SNS ignore it.
	Subject string
	// MessageGroupID and DeduplicationID are for FIFO queues and topics.
	MessageGroupID  string
	DeduplicationID string
	// Principal is the AWS service that delivers, e.g. "sns.amazonaws.com"; SourceARN and
	// SourceAccount are what a resource policy's conditions are checked against.
	Principal     string
	SourceARN     string
	SourceAccount string
}

// Attribute is a typed message attribute (SQS/SNS shape).
type Attribute struct {
	DataType    string `json:"DataType"`
	StringValue string `json:"StringValue,omitempty"`
	BinaryValue []byte `json:"BinaryValue,omitempty"`
}

// Receiver stores a message delivered to one of its resources.
type Receiver interface {
	Receive(ctx context.Context, m Message) error
}

// Bus routes messages to receivers by the service part of the target ARN.
type Bus struct {
	mu        sync.RWMutex
	receivers map[string]Receiver
}

// NewBus returns an empty bus.
func NewBus() *Bus { return &Bus{receivers: map[string]Receiver{}} }

// Register makes r the receiver of ARNs whose service part is service ("sqs", "sns", "lambda", ...).
func (b *Bus) Register(service string, r Receiver) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.receivers[service] = r
}

// Deliver hands m to the receiver of its target ARN.
func (b *Bus) Deliver(ctx context.Context, m Message) error {
	service, err := ARNService(m.TargetARN)
	if err != nil {
		return err
	}
	b.mu.RLock()
	r := b.receivers[service]
	b.mu.RUnlock()
	if r == nil {
		return fmt.Errorf("%w: the simulator does not deliver to %s resources (%s)", ErrNoTarget, service, m.TargetARN)
	}
	return r.Receive(ctx, m)
}

// ARNService returns the service part of an ARN: "sqs" for arn:aws:sqs:us-east-1:000000000000:q.
func ARNService(arn string) (string, error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return "", fmt.Errorf("%w: %q is not an ARN", ErrNoTarget, arn)
	}
	return parts[2], nil
}
