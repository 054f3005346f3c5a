package invoke

import "time"

// PendingEventsBucket is the store bucket in which the Lambda API keeps the asynchronous
// invocations (InvocationType Event) it has accepted, keyed by store.SeqKey of the bucket's
// sequence, until the async queue runs them. An event is stored before Invoke answers 202.
const PendingEventsBucket = "lambda/async-pending"

// Event is an accepted asynchronous invocation, as stored in PendingEventsBucket.
type Event struct {
	RequestID    string `json:"requestId"`
	FunctionName string `json:"functionName"`
	// FunctionARN is the ARN as the caller named it: qualified when a qualifier was given.
	FunctionARN string    `json:"functionArn"`
	Qualifier   string    `json:"qualifier,omitempty"`
	Payload     []byte    `json:"payload"`
	Trigger     string    `json:"trigger"`
	TraceID     string    `json:"traceId,omitempty"`
	Received    time.Time `json:"received"`
}
