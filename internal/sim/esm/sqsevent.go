package esm

import (
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/sqs"
)

// maxEventBytes is the synchronous invocation payload limit a batch must stay under.
const maxEventBytes = 6 * 1024 * 1024

// sqsRecord is one record of Lambda's SQS event (aws-lambda-go events.SQSMessage;
// https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html, "Example standard queue message event").
type sqsRecord struct {
	MessageID              string                  `json:"messageId"`
	ReceiptHandle          string                  `json:"receiptHandle"`
	Body                   string                  `json:"body"`
	Attributes             map[string]string       `json:"attributes"`
	MessageAttributes      map[string]sqsAttribute `json:"messageAttributes"`
	MD5OfMessageAttributes string                  `json:"md5OfMessageAttributes,omitempty"`
	MD5OfBody              string                  `json:"md5OfBody"`
	EventSource            string                  `json:"eventSource"`
	EventSourceARN         string                  `json:"eventSourceARN"`
	AWSRegion              string                  `json:"awsRegion"`
}

// sqsAttribute is a message attribute as Lambda's SQS event spells it (lower camel case, both list
// members always present).
type sqsAttribute struct {
	StringValue      *string  `json:"stringValue,omitempty"`
	BinaryValue      []byte   `json:"binaryValue,omitempty"`
	StringListValues []string `json:"stringListValues"`
	BinaryListValues [][]byte `json:"binaryListValues"`
	DataType         string   `json:"dataType"`
}

// eventAttributes are the system attributes Lambda's SQS event carries.
var eventAttributes = []string{"ApproximateReceiveCount", "SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp",
	"SequenceNumber", "MessageGroupId", "MessageDeduplicationId", "AWSTraceHeader", "DeadLetterQueueSourceArn"}

func newSQSRecord(m *sqs.Message, queueARN, region string) sqsRecord {
	r := sqsRecord{MessageID: m.MessageID, ReceiptHandle: m.ReceiptHandle, Body: m.Body, MD5OfBody: m.MD5OfBody,
		MD5OfMessageAttributes: m.MD5OfMessageAttributes, EventSource: "aws:sqs", EventSourceARN: queueARN, AWSRegion: region,
		Attributes: map[string]string{}, MessageAttributes: map[string]sqsAttribute{}}
	for _, name := range eventAttributes {
		if v, ok := m.Attributes[name]; ok {
			r.Attributes[name] = v
		}
	}
	for name, a := range m.MessageAttributes {
		out := sqsAttribute{DataType: a.DataType, BinaryValue: a.BinaryValue, StringListValues: a.StringListValues, BinaryListValues: a.BinaryListValues}
		if out.StringListValues == nil {
			out.StringListValues = []string{}
		}
		if out.BinaryListValues == nil {
			out.BinaryListValues = [][]byte{}
		}
		if a.BinaryValue == nil {
			v := a.StringValue
			out.StringValue = &v
		}
		r.MessageAttributes[name] = out
	}
	return r
}

// recordSize approximates a message's share of the event (body, attributes and the record's own
// members).
func recordSize(m *sqs.Message) int {
	n := len(m.Body) + 512
	for k, v := range m.Attributes {
		n += len(k) + len(v) + 6
	}
	for k, a := range m.MessageAttributes {
		n += len(k) + len(a.StringValue) + len(a.BinaryValue)*4/3 + len(a.DataType) + 80
	}
	return n
}

// sqsFilterView is what SQS filter patterns see: the record, with a body that is JSON parsed
// (a plain-text body stays a string, so a pattern on its fields does not match).
func sqsFilterView(m *sqs.Message) map[string]any {
	var body any = m.Body
	if parsed, err := decodeJSON([]byte(m.Body)); err == nil {
		if _, isObject := parsed.(map[string]any); isObject {
			body = parsed
		}
	}
	attrs := map[string]any{}
	for k, v := range m.Attributes {
		attrs[k] = v
	}
	return map[string]any{"messageId": m.MessageID, "body": body, "attributes": attrs}
}
