package events

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzRequests feeds arbitrary bodies to every operation's decoder and handler: whatever the
// body, the answer is a well-formed AWS answer, never a panic or a server fault. Seeds are the
// request bodies of the SDK's request snapshots (eventbridge@v1.55.11).
func FuzzRequests(f *testing.F) {
	seeds := map[string]string{
		"PutRule":           `{"Description":"__Description__","EventBusName":"__EventBusName__","EventPattern":"__EventPattern__","Name":"__Name__","RoleArn":"__RoleArn__","ScheduleExpression":"__ScheduleExpression__","State":"ENABLED","Tags":[{"Key":"__Key__","Value":"__Value__"}]}`,
		"PutEvents":         `{"EndpointId":"__EndpointId__","Entries":[{"Detail":"__Detail__","DetailType":"__DetailType__","EventBusName":"__EventBusName__","Resources":["__Member__","__Member__"],"Source":"__Source__","Time":946684800,"TraceHeader":"__TraceHeader__"}]}`,
		"PutTargets":        `{"EventBusName":"__EventBusName__","Rule":"__Rule__","Targets":[{"Arn":"__Arn__","DeadLetterConfig":{"Arn":"__Arn__"},"Id":"__Id__","Input":"__Input__","InputPath":"__InputPath__","InputTransformer":{"InputPathsMap":{"key0":"__Value__"},"InputTemplate":"__InputTemplate__"},"RetryPolicy":{"MaximumEventAgeInSeconds":1,"MaximumRetryAttempts":1}}]}`,
		"RemoveTargets":     `{"EventBusName":"__EventBusName__","Force":true,"Ids":["__Member__","__Member__"],"Rule":"__Rule__"}`,
		"ListRules":         `{"EventBusName":"__EventBusName__","Limit":1,"NamePrefix":"__NamePrefix__","NextToken":"__NextToken__"}`,
		"ListTargetsByRule": `{"EventBusName":"__EventBusName__","Limit":1,"NextToken":"__NextToken__","Rule":"__Rule__"}`,
		"TestEventPattern":  `{"Event":"__Event__","EventPattern":"__EventPattern__"}`,
		"CreateEventBus":    `{"Description":"__Description__","Name":"__Name__","Tags":[{"Key":"__Key__","Value":"__Value__"}]}`,
		"DescribeRule":      `{"EventBusName":"__EventBusName__","Name":"__Name__"}`,
		"DeleteRule":        `{"EventBusName":"__EventBusName__","Force":true,"Name":"__Name__"}`,
		"ListEventBuses":    `{"Limit":1,"NamePrefix":"__NamePrefix__","NextToken":"__NextToken__"}`,
		"TagResource":       `{"ResourceARN":"__ResourceARN__","Tags":[{"Key":"__Key__","Value":"__Value__"}]}`,
	}
	for op, body := range seeds {
		f.Add(op, body)
	}
	f.Add("PutRule", `{"Name":"r","EventPattern":"{\"source\":[\"a\"]}"}`)
	f.Add("PutTargets", `{"Rule":"r","Targets":[{"Id":"t","Arn":"arn:aws:sqs:us-east-1:000000000000:q","InputTransformer":{"InputPathsMap":{"a":"$.detail"},"InputTemplate":"{\"x\": <a>}"}}]}`)
	f.Add("PutEvents", `{"Entries":[{"Source":"a","DetailType":"t","Detail":"{\"k\":1}"}]}`)
	h := newHarness(f, "")
	f.Fuzz(func(t *testing.T, op, body string) {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", TargetPrefix+op)
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		rec := httptest.NewRecorder()
		h.svc.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s answered %d %s", op, body, rec.Code, rec.Body)
		}
		if rec.Code != http.StatusOK && !strings.Contains(rec.Body.String(), `"__type"`) {
			t.Fatalf("%s error without __type: %s", op, rec.Body)
		}
	})
}
