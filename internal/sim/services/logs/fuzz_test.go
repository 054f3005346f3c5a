package logs

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzFilterPattern: any pattern either fails to compile or matches without panicking, and a
// compiled pattern's verdict is the same on a second run (no state leaks between events).
func FuzzFilterPattern(f *testing.F) {
	for _, seed := range []string{"", "ERROR", `"disk full"`, "?ERROR ?WARN", "ERROR -Exiting",
		`{ $.eventType = "UpdateTrail" }`, `{ $.sourceIPAddress != 123.123.* }`, `{ ($.latency > 500) && ($.user.id = admin-*) }`,
		`{ $.a[0] IS TRUE || $.b IS NULL || $.c NOT EXISTS }`, `[a, b]`, `%x%`} {
		f.Add(seed, `{"eventType":"UpdateTrail","latency":700,"user":{"id":"admin-1"},"a":[true]}`)
	}
	f.Fuzz(func(t *testing.T, pattern, message string) {
		p, err := parseFilterPattern(pattern)
		if err != nil {
			return
		}
		first := p.match(message)
		if second := p.match(message); first != second {
			t.Fatalf("%q on %q is not deterministic", pattern, message)
		}
	})
}

// FuzzRequests feeds arbitrary bodies to the operations: the answer is always an AWS-shaped
// answer, never a panic or a server fault. Seeds are the SDK's request snapshots
// (cloudwatchlogs@v1.92.2).
func FuzzRequests(f *testing.F) {
	seeds := map[string]string{
		"CreateLogGroup":        `{"kmsKeyId":"__KmsKeyId__","logGroupClass":"STANDARD","logGroupName":"__LogGroupName__","tags":{"key0":"__Value__"}}`,
		"DescribeLogGroups":     `{"limit":1,"logGroupNamePattern":"__LogGroupNamePattern__","logGroupNamePrefix":"__LogGroupNamePrefix__","nextToken":"__NextToken__"}`,
		"CreateLogStream":       `{"logGroupName":"__LogGroupName__","logStreamName":"__LogStreamName__"}`,
		"DescribeLogStreams":    `{"descending":true,"limit":1,"logGroupName":"__LogGroupName__","logStreamNamePrefix":"__LogStreamNamePrefix__","nextToken":"__NextToken__","orderBy":"LogStreamName"}`,
		"PutLogEvents":          `{"logEvents":[{"message":"__Message__","timestamp":1},{"message":"__Message__","timestamp":1}],"logGroupName":"__LogGroupName__","logStreamName":"__LogStreamName__","sequenceToken":"__SequenceToken__"}`,
		"GetLogEvents":          `{"endTime":1,"limit":1,"logGroupName":"__LogGroupName__","logStreamName":"__LogStreamName__","nextToken":"__NextToken__","startFromHead":true,"startTime":1}`,
		"FilterLogEvents":       `{"endTime":1,"filterPattern":"__FilterPattern__","limit":1,"logGroupName":"__LogGroupName__","logStreamNames":["__Member__"],"nextToken":"__NextToken__","startTime":1}`,
		"PutSubscriptionFilter": `{"destinationArn":"__DestinationArn__","distribution":"Random","filterName":"__FilterName__","filterPattern":"__FilterPattern__","logGroupName":"__LogGroupName__","roleArn":"__RoleArn__"}`,
		"PutRetentionPolicy":    `{"logGroupName":"__LogGroupName__","retentionInDays":1}`,
	}
	for op, body := range seeds {
		f.Add(op, body)
	}
	f.Add("CreateLogGroup", `{"logGroupName":"g"}`)
	f.Add("CreateLogStream", `{"logGroupName":"g","logStreamName":"s"}`)
	f.Add("PutLogEvents", `{"logGroupName":"g","logStreamName":"s","logEvents":[{"timestamp":1772445600000,"message":"ERROR x"}]}`)
	f.Add("GetLogEvents", `{"logGroupName":"g","logStreamName":"s","nextToken":"f/0000000000000000000000000000000000000000/s"}`)
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
