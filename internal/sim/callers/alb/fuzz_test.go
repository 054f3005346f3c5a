package alb

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzParseResponse feeds arbitrary function answers to the response decoder: it accepts or
// refuses them (502), never panics, and accepted answers have a valid status.
func FuzzParseResponse(f *testing.F) {
	f.Add([]byte(`{"statusCode":200,"statusDescription":"200 OK","headers":{"Content-Type":"text/html"},"body":"hi","isBase64Encoded":false}`), false)
	f.Add([]byte(`{"statusCode":200,"multiValueHeaders":{"Set-Cookie":["a=1","b=2"]},"body":"AAEC","isBase64Encoded":true}`), true)
	f.Add([]byte(`"not a response"`), false)
	f.Add([]byte(`{"statusCode":"200"}`), false)
	f.Add([]byte(`{"statusCode":2.5}`), false)
	f.Fuzz(func(t *testing.T, payload []byte, multi bool) {
		p, err := parseResponse(payload, multi)
		if err == nil && (p.status < 100 || p.status > 599) {
			t.Fatalf("accepted status %d", p.status)
		}
	})
}

// FuzzBuildEvent maps arbitrary paths, queries and bodies to events without panicking.
func FuzzBuildEvent(f *testing.F) {
	f.Add("/a/b", "x=1&x=2&y", []byte("body"), "text/plain")
	f.Add("/", "", []byte{0, 1, 2}, "application/octet-stream")
	f.Fuzz(func(t *testing.T, path, query string, body []byte, contentType string) {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(string(body)))
		r.Header.Set("Content-Type", contentType)
		for _, multi := range []bool{false, true} {
			ev := buildEvent(r, path, query, body, "tg", 80, multi, time.Unix(0, 0))
			if len(body) > 0 && ev.Body == "" {
				t.Fatalf("body dropped")
			}
		}
	})
}
