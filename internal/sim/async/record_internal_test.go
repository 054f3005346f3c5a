package async

import (
	"strings"
	"testing"
)

func TestWithoutPayloads(t *testing.T) {
	rec := []byte(`{"version":"1.0","timestamp":"2026-03-01T12:00:00.000Z","requestContext":{"requestId":"r","functionArn":"arn","condition":"RetriesExhausted","approximateInvokeCount":1},"requestPayload":{"big":"` + strings.Repeat("x", 10) + `"},"responseContext":{"statusCode":200},"responsePayload":{"errorMessage":"e"}}`)
	got := string(withoutPayloads(rec))
	if strings.Contains(got, "Payload") || !strings.Contains(got, `"condition":"RetriesExhausted"`) {
		t.Errorf("%s", got)
	}
}

func TestJSONOrString(t *testing.T) {
	for in, want := range map[string]string{`{"a": 1}`: `{"a":1}`, ``: `null`, `not json`: `"not json"`, `"s"`: `"s"`} {
		if got := string(jsonOrString([]byte(in))); got != want {
			t.Errorf("jsonOrString(%q) = %s, want %s", in, got, want)
		}
	}
}
