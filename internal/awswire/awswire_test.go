package awswire

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestParseCredential(t *testing.T) {
	r := httptest.NewRequest("POST", "/", nil)
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20261129/eu-west-1/sqs/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc")
	c, ok := ParseCredential(r)
	if !ok || c != (Credential{"AKID", "20261129", "eu-west-1", "sqs"}) {
		t.Fatalf("ParseCredential = %+v, %v", c, ok)
	}
	presigned := httptest.NewRequest("GET", "/b/k?X-Amz-Credential="+url.QueryEscape("AK/20261129/us-east-1/s3/aws4_request"), nil)
	if c, ok := ParseCredential(presigned); !ok || c.Service != "s3" {
		t.Fatalf("presigned: %+v, %v", c, ok)
	}
	if _, ok := ParseCredential(httptest.NewRequest("GET", "/", nil)); ok {
		t.Fatal("an unsigned request has no credential")
	}
	bad := httptest.NewRequest("GET", "/", nil)
	bad.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20261129/us-east-1")
	if _, ok := ParseCredential(bad); ok {
		t.Fatal("a truncated scope must not parse")
	}
}

func TestWriteRestJSONError(t *testing.T) {
	w := httptest.NewRecorder()
	WriteRestJSONError(w, Errorf(404, "ResourceNotFoundException", "Function not found: %s", "f").WithMessageKey("Message"))
	if w.Code != 404 || w.Header().Get("X-Amzn-ErrorType") != "ResourceNotFoundException" {
		t.Fatalf("status %d, header %q", w.Code, w.Header().Get("X-Amzn-ErrorType"))
	}
	var body map[string]any
	json.Unmarshal(w.Body.Bytes(), &body)
	if body["Type"] != "User" || body["Message"] != "Function not found: f" {
		t.Fatalf("body = %v", body)
	}
}

func TestWriteJSONError_queryCompatibleHeader(t *testing.T) {
	w := httptest.NewRecorder()
	e := Errorf(400, "QueueDoesNotExist", "The specified queue does not exist.")
	e.QueryCode = "AWS.SimpleQueueService.NonExistentQueue"
	WriteJSONError(w, "1.0", "com.amazonaws.sqs", e)
	if got := w.Header().Get("x-amzn-query-error"); got != "AWS.SimpleQueueService.NonExistentQueue;Sender" {
		t.Fatalf("x-amzn-query-error = %q", got)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/x-amz-json-1.0" {
		t.Fatalf("content type %q", ct)
	}
	var body map[string]string
	json.Unmarshal(w.Body.Bytes(), &body)
	if body["__type"] != "com.amazonaws.sqs#QueueDoesNotExist" || body["message"] == "" {
		t.Fatalf("body = %v", body)
	}
}

type testResult struct {
	XMLName xml.Name `xml:"GetThingResult"`
	Name    string
}

func TestWriteQueryResultAndError(t *testing.T) {
	w := httptest.NewRecorder()
	WriteQueryResult(w, "req-1", "GetThing", "https://example/doc/", testResult{Name: "x"})
	body := w.Body.String()
	for _, want := range []string{`<GetThingResponse xmlns="https://example/doc/">`, `<GetThingResult><Name>x</Name></GetThingResult>`, `<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>`} {
		if !strings.Contains(body, want) {
			t.Errorf("result XML lacks %s:\n%s", want, body)
		}
	}
	w = httptest.NewRecorder()
	WriteQueryError(w, "req-2", Errorf(400, "InvalidParameter", "bad"))
	if w.Code != 400 || !strings.Contains(w.Body.String(), "<Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>bad</Message></Error><RequestId>req-2</RequestId>") {
		t.Fatalf("error XML: %d %s", w.Code, w.Body.String())
	}
}

func TestQueryFormHelpers(t *testing.T) {
	form, _ := url.ParseQuery("AttributeName.1=A&AttributeName.2=B&AttributeName.4=D" +
		"&Attributes.entry.2.key=K2&Attributes.entry.2.value=V2&Attributes.entry.1.key=K1&Attributes.entry.1.value=V1" +
		"&Entries.member.1.Id=one&Entries.member.1.Value.DataType=String")
	if got := QueryList(form, "AttributeName"); strings.Join(got, ",") != "A,B" {
		t.Errorf("QueryList stops at the first gap: got %v", got)
	}
	m := QueryMap(form, "Attributes.entry", "key", "value")
	if len(m) != 2 || m["K1"] != "V1" || m["K2"] != "V2" {
		t.Errorf("QueryMap = %v", m)
	}
	entries := QueryStructList(form, "Entries.member")
	if len(entries) != 1 || entries[0]["Id"] != "one" || entries[0]["Value.DataType"] != "String" {
		t.Errorf("QueryStructList = %v", entries)
	}
}

type echoIn struct{ Name string }
type echoOut struct{ Greeting string }

func TestJSONService_dispatchAndErrors(t *testing.T) {
	svc := &JSONService{Version: "1.1", TargetPrefix: "Test_1.", Namespace: "com.example", Ops: map[string]JSONOp{
		"Echo": Op(func(_ context.Context, in *echoIn) (*echoOut, *Error) {
			if in.Name == "" {
				return nil, Errorf(400, "ValidationException", "Name is required")
			}
			return &echoOut{Greeting: "hi " + in.Name}, nil
		}),
	}}
	call := func(target, body string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		r.Header.Set("X-Amz-Target", target)
		w := httptest.NewRecorder()
		svc.ServeHTTP(w, r)
		return w
	}
	if w := call("Test_1.Echo", `{"Name":"bo"}`); w.Code != 200 || !strings.Contains(w.Body.String(), `"Greeting":"hi bo"`) {
		t.Fatalf("Echo: %d %s", w.Code, w.Body)
	}
	if w := call("Test_1.Echo", `{}`); w.Code != 400 || !strings.Contains(w.Body.String(), `com.example#ValidationException`) {
		t.Fatalf("validation: %d %s", w.Code, w.Body)
	}
	if w := call("Test_1.Echo", `{not json`); w.Code != 400 || !strings.Contains(w.Body.String(), `SerializationException`) {
		t.Fatalf("bad json: %d %s", w.Code, w.Body)
	}
	if w := call("Test_1.Nope", `{}`); w.Code != 400 || !strings.Contains(w.Body.String(), `UnknownOperationException`) {
		t.Fatalf("unknown op: %d %s", w.Code, w.Body)
	}
}

func TestWithRequestID(t *testing.T) {
	var seen string
	h := WithRequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = RequestID(r.Context()) }))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if seen == "" || w.Header().Get("X-Amzn-Requestid") != seen || w.Header().Get("X-Amz-Request-Id") != seen {
		t.Fatalf("request id %q, headers %v", seen, w.Header())
	}
	if len(seen) != 36 || seen[14] != '4' {
		t.Fatalf("request id %q is not a v4 UUID", seen)
	}
}
