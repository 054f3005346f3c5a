package apigw

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzMapResponses: any function output maps to a response or to "malformed", never a panic,
// and a mapped status is a valid HTTP status.
func FuzzMapResponses(f *testing.F) {
	for _, s := range []string{
		`{"statusCode":200,"headers":{"a":"b"},"multiValueHeaders":{"a":["c"]},"body":"x","isBase64Encoded":false}`,
		`{"statusCode":"201","body":"aGk=","isBase64Encoded":true,"cookies":["a=1"]}`,
		`{"hello":"world"}`, `"s"`, `null`, `{"statusCode":200,"body":{}}`, `{`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		if r, ok := mapV1Response(payload, func(string) bool { return true }); ok && (r.Status < 100 || r.Status > 599) {
			t.Fatalf("v1 status %d", r.Status)
		}
		if r, ok := mapV2Response(payload); ok && (r.Status < 100 || r.Status > 599) {
			t.Fatalf("v2 status %d", r.Status)
		}
	})
}

// FuzzRequestTranslation: any path and query builds events and matches routes without a panic.
func FuzzRequestTranslation(f *testing.F) {
	for _, s := range []string{"/restapis/abc/prod/_user_request_/a/b?x=1&x=2", "/restapis/abc/$default/_user_request_", "/restapis//x", "/pets/1/toys?%zz=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, target string) {
		defer func() {
			if recover() != nil {
				t.Fatalf("panic on %q", target)
			}
		}()
		r, err := safeRequest(target)
		if err != nil {
			return
		}
		tg, _ := parseTarget(r)
		req := request{Method: "GET", Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header}
		marshal(restEvent(req, tg.path, "id", nil, false))
		marshal(httpEventV2(req, "$default", nil))
		matchResource(tree(), r.URL.Path)
		matchRoute(nil, "GET", r.URL.Path)
	})
}

var errBadTarget = errors.New("not a request target")

func safeRequest(target string) (r *http.Request, err error) {
	defer func() {
		if recover() != nil {
			err = errBadTarget
		}
	}()
	return httptest.NewRequest("GET", "http://x"+target, nil), nil
}
