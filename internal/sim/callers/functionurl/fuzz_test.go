package functionurl

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzParseResponse feeds arbitrary function answers to the response decoder.
func FuzzParseResponse(f *testing.F) {
	f.Add([]byte(`{"statusCode":201,"headers":{"Content-Type":"text/plain"},"body":"hi","cookies":["a=1"],"isBase64Encoded":false}`))
	f.Add([]byte(`{"hello":"world"}`))
	f.Add([]byte(`"a string"`))
	f.Add([]byte(`{"statusCode":"x"}`))
	f.Add([]byte(`{"statusCode":200,"body":"!!","isBase64Encoded":true}`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		p, err := parseResponse(payload)
		if err == nil && (p.status < 100 || p.status > 599) {
			t.Fatalf("accepted status %d", p.status)
		}
	})
}

// FuzzCheckSigV4 feeds arbitrary Authorization headers to the signature check.
func FuzzCheckSigV4(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature="+
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "20260101T000000Z")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, auth, date string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Authorization", auth)
		r.Header.Set("X-Amz-Date", date)
		if iam, ok := checkSigV4(r, "us-east-1", "000000000000"); ok && iam.AccessKey == "" {
			t.Fatalf("accepted without an access key")
		}
	})
}
