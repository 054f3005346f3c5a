package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func named(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		io.WriteString(w, name+":"+string(body))
	})
}

func newTestRouter() *Router {
	rt := NewRouter()
	rt.PathPrefix("/_sim/", named("admin"))
	rt.Host(func(h string) bool { return strings.Contains(h, ".lambda-url.") }, named("url"))
	rt.Target("DynamoDBStreams_20120810.", named("streams"))
	rt.Target("DynamoDB_20120810.", named("dynamodb"))
	rt.QueryVersion("2011-06-15", named("sts"))
	rt.Service("lambda", named("lambda"))
	rt.Service("dynamodb", named("dynamodb-signed"))
	rt.PathPrefix("/2015-03-31/functions", named("lambda-unsigned"))
	return rt
}

func signed(r *http.Request, service string) *http.Request {
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AK/20261129/us-east-1/"+service+"/aws4_request, SignedHeaders=host, Signature=x")
	return r
}

func TestRouter_routesEachWayAWSRequestsSayWhereTheyGo(t *testing.T) {
	rt := newTestRouter()
	cases := []struct {
		name string
		req  func() *http.Request
		want string
	}{
		{"admin path", func() *http.Request { return httptest.NewRequest("GET", "/_sim/health", nil) }, "admin:"},
		{"host", func() *http.Request {
			r := httptest.NewRequest("GET", "/", nil)
			r.Host = "abc.lambda-url.us-east-1.localhost:4566"
			return r
		}, "url:"},
		{"target beats signing name (streams share dynamodb's)", func() *http.Request {
			r := signed(httptest.NewRequest("POST", "/", strings.NewReader("{}")), "dynamodb")
			r.Header.Set("X-Amz-Target", "DynamoDBStreams_20120810.ListStreams")
			return r
		}, "streams:{}"},
		{"query version, body kept for the service", func() *http.Request {
			r := httptest.NewRequest("POST", "/", strings.NewReader("Action=GetCallerIdentity&Version=2011-06-15"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
			return r
		}, "sts:Action=GetCallerIdentity&Version=2011-06-15"},
		{"signing name", func() *http.Request {
			return signed(httptest.NewRequest("GET", "/2015-03-31/functions/", nil), "lambda")
		}, "lambda:"},
		{"unsigned path", func() *http.Request { return httptest.NewRequest("POST", "/2015-03-31/functions/f/invocations", nil) }, "lambda-unsigned:"},
		{"an unsigned form to a user's path is not an AWS query", func() *http.Request {
			r := httptest.NewRequest("POST", "/2015-03-31/functions/f/invocations", strings.NewReader("Action=GetCallerIdentity&Version=2011-06-15"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, "lambda-unsigned:Action=GetCallerIdentity&Version=2011-06-15"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			rt.ServeHTTP(w, c.req())
			if w.Body.String() != c.want {
				t.Fatalf("routed to %q, want %q", w.Body.String(), c.want)
			}
		})
	}
}

func TestRouter_unknownRequestsGetAnAWSError(t *testing.T) {
	rt := newTestRouter()
	w := httptest.NewRecorder()
	rt.ServeHTTP(w, signed(httptest.NewRequest("GET", "/whatever", nil), "cloudfront"))
	if w.Code != http.StatusBadRequest || w.Header().Get("X-Amzn-ErrorType") != "UnknownOperationException" {
		t.Fatalf("unknown service: %d %v %s", w.Code, w.Header(), w.Body)
	}
	r := httptest.NewRequest("POST", "/", strings.NewReader("Action=ListUsers&Version=2010-05-08"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w = httptest.NewRecorder()
	rt.ServeHTTP(w, r)
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "<ErrorResponse>") {
		t.Fatalf("unknown query service must answer in XML: %d %s", w.Code, w.Body)
	}
}

func TestRouter_largeFormBodyIsNotTruncated(t *testing.T) {
	rt := newTestRouter()
	big := "Action=GetCallerIdentity&Version=2011-06-15&Pad=" + strings.Repeat("x", maxQueryBody)
	r := httptest.NewRequest("POST", "/", strings.NewReader(big))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	rt.ServeHTTP(w, r)
	if w.Body.Len() != len("sts:")+len(big) {
		t.Fatalf("service saw %d bytes of a %d-byte body", w.Body.Len()-4, len(big))
	}
}
