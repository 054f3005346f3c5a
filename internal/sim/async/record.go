package async

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda"
)

// Record is an invocation record, the body Lambda sends to a destination
// (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html). Field
// order follows AWS's example.
type Record struct {
	Version         string           `json:"version"`
	Timestamp       string           `json:"timestamp"`
	RequestContext  RequestContext   `json:"requestContext"`
	RequestPayload  json.RawMessage  `json:"requestPayload,omitempty"`
	ResponseContext *ResponseContext `json:"responseContext,omitempty"`
	ResponsePayload json.RawMessage  `json:"responsePayload,omitempty"`
}

// RequestContext says which invocation the record is about and how it ended.
type RequestContext struct {
	RequestID              string `json:"requestId"`
	FunctionARN            string `json:"functionArn"`
	Condition              string `json:"condition"`
	ApproximateInvokeCount int    `json:"approximateInvokeCount"`
}

// ResponseContext is what the last attempt answered.
type ResponseContext struct {
	StatusCode      int    `json:"statusCode"`
	ExecutedVersion string `json:"executedVersion,omitempty"`
	FunctionError   string `json:"functionError,omitempty"`
}

// recordTime is the timestamp form of AWS's example: "2019-11-14T18:16:05.568Z".
const recordTime = "2006-01-02T15:04:05.000Z"

// record builds the invocation record of an event in its current state.
func (q *Queue) record(ev invoke.Event, st state, condition string) []byte {
	r := Record{
		Version:   "1.0",
		Timestamp: q.cfg.Clock.Now().UTC().Format(recordTime),
		RequestContext: RequestContext{
			RequestID:              ev.RequestID,
			FunctionARN:            qualifiedARN(ev),
			Condition:              condition,
			ApproximateInvokeCount: st.InvokeCount,
		},
		RequestPayload: jsonOrString(ev.Payload),
	}
	if st.Last != nil {
		r.ResponseContext = &ResponseContext{StatusCode: st.Last.StatusCode, ExecutedVersion: st.Last.ExecutedVersion, FunctionError: st.Last.FunctionError}
		if st.InvokeCount > 0 {
			r.ResponsePayload = jsonOrString(st.Last.Payload)
		}
	}
	b, _ := json.Marshal(r)
	return b
}

// qualifiedARN is the function ARN as records name it: always with a qualifier ($LATEST for an
// unqualified invoke), as in AWS's example record.
func qualifiedARN(ev invoke.Event) string {
	if ev.Qualifier != "" || strings.Count(ev.FunctionARN, ":") >= 7 {
		return ev.FunctionARN
	}
	return ev.FunctionARN + ":$LATEST"
}

func qualifiedInput(ev invoke.Event) *lambda.GetFunctionConfigurationInput {
	return &lambda.GetFunctionConfigurationInput{FunctionName: ev.FunctionName, Qualifier: ev.Qualifier}
}

// jsonOrString keeps a payload that is JSON as JSON, and any other bytes as a JSON string; an
// empty payload is null.
func jsonOrString(b []byte) json.RawMessage {
	t := bytes.TrimSpace(b)
	if len(t) == 0 {
		return json.RawMessage("null")
	}
	if json.Valid(t) {
		var buf bytes.Buffer
		if json.Compact(&buf, t) == nil {
			return buf.Bytes()
		}
	}
	s, _ := json.Marshal(string(b))
	return s
}

// eventBridgeEntry is the EventBridge form of a record: source "lambda", the detail-type of the
// outcome, the record as detail, and the function and destination ARNs as resources.
func eventBridgeEntry(record []byte, success bool, functionARN, busARN string) []byte {
	detailType := "Lambda Function Invocation Result - Failure"
	if success {
		detailType = "Lambda Function Invocation Result - Success"
	}
	b, _ := json.Marshal(struct {
		Source     string          `json:"source"`
		DetailType string          `json:"detail-type"`
		Resources  []string        `json:"resources"`
		Detail     json.RawMessage `json:"detail"`
	}{"lambda", detailType, []string{functionARN, busARN}, record})
	return b
}

// maxSNSRecord is the SNS message size limit; a larger record reaches an SNS destination without
// its payloads (AWS::Lambda::EventInvokeConfig OnFailure: "Lambda will drop the payload").
const maxSNSRecord = 256 * 1024

// withoutPayloads is the record with requestPayload and responsePayload dropped.
func withoutPayloads(record []byte) []byte {
	var r Record
	if json.Unmarshal(record, &r) != nil {
		return record
	}
	r.RequestPayload, r.ResponsePayload = nil, nil
	b, _ := json.Marshal(r)
	return b
}
