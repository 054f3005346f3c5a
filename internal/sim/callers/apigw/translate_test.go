package apigw

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/apigateway"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/apigatewayv2"
)

func tree() map[string]*apigateway.Resource {
	rs := []*apigateway.Resource{
		{ID: "root", Path: "/"},
		{ID: "pets", ParentID: "root", PathPart: "pets", Path: "/pets"},
		{ID: "pet", ParentID: "pets", PathPart: "{id}", Path: "/pets/{id}"},
		{ID: "mine", ParentID: "pets", PathPart: "mine", Path: "/pets/mine"},
		{ID: "toys", ParentID: "pet", PathPart: "toys", Path: "/pets/{id}/toys"},
		{ID: "proxy", ParentID: "root", PathPart: "{proxy+}", Path: "/{proxy+}"},
	}
	m := map[string]*apigateway.Resource{}
	for _, r := range rs {
		m[r.ID] = r
	}
	return m
}

func TestMatchResource(t *testing.T) {
	cases := []struct {
		path   string
		id     string
		params map[string]string
	}{
		{"/", "root", nil},
		{"/pets", "pets", nil},
		{"/pets/", "pets", nil},
		{"/pets/mine", "mine", nil},
		{"/pets/7", "pet", map[string]string{"id": "7"}},
		{"/pets/7/toys", "toys", map[string]string{"id": "7"}},
		// No /pets/{id}/other: the branch fails, the greedy proxy at the root takes it.
		{"/pets/7/other", "proxy", map[string]string{"proxy": "pets/7/other"}},
		{"/a/b/c", "proxy", map[string]string{"proxy": "a/b/c"}},
	}
	for _, c := range cases {
		m := matchResource(tree(), c.path)
		if m == nil || m.Resource.ID != c.id || !reflect.DeepEqual(m.PathParams, c.params) {
			t.Errorf("%s: got %+v", c.path, m)
		}
	}
	noProxy := tree()
	delete(noProxy, "proxy")
	if m := matchResource(noProxy, "/nothing"); m != nil {
		t.Errorf("unmatched path matched %+v", m.Resource)
	}
}

func TestMatchRoute(t *testing.T) {
	routes := map[string]*apigatewayv2.Route{}
	for i, k := range []string{"GET /pets", "GET /pets/{id}", "ANY /pets/{id}", "GET /pets/mine", "ANY /{proxy+}", "$default", "POST /"} {
		routes[string(rune('a'+i))] = &apigatewayv2.Route{RouteKey: k}
	}
	cases := []struct{ method, path, key string }{
		{"GET", "/pets", "GET /pets"},
		{"GET", "/pets/mine", "GET /pets/mine"},
		{"GET", "/pets/3", "GET /pets/{id}"},
		{"DELETE", "/pets/3", "ANY /pets/{id}"},
		{"GET", "/pets/3/x", "ANY /{proxy+}"},
		{"POST", "/", "POST /"},
		{"GET", "/", "$default"},
	}
	for _, c := range cases {
		m := matchRoute(routes, c.method, c.path)
		if m == nil || m.Route.RouteKey != c.key {
			t.Errorf("%s %s: got %+v, want %s", c.method, c.path, m, c.key)
		}
	}
	delete(routes, "f")
	if m := matchRoute(routes, "GET", "/"); m != nil {
		t.Errorf("without $default, GET / matched %s", m.Route.RouteKey)
	}
}

func TestMapV1Response(t *testing.T) {
	always := func(string) bool { return true }
	never := func(string) bool { return false }
	resp, ok := mapV1Response([]byte(`{"statusCode":201,"headers":{"X-A":"1","X-B":"b"},"multiValueHeaders":{"X-A":["1","2"]},"body":"hi"}`), never)
	if !ok || resp.Status != 201 || !reflect.DeepEqual(resp.Header.Values("X-A"), []string{"1", "2"}) || resp.Header.Get("X-B") != "b" || string(resp.Body) != "hi" {
		t.Errorf("merge: %v %v", resp, ok)
	}
	resp, ok = mapV1Response([]byte(`{"statusCode":200,"body":"aGk=","isBase64Encoded":true}`), always)
	if !ok || string(resp.Body) != "hi" {
		t.Errorf("base64 decoded: %v", resp)
	}
	resp, ok = mapV1Response([]byte(`{"statusCode":200,"body":"aGk=","isBase64Encoded":true}`), never)
	if !ok || string(resp.Body) != "aGk=" {
		t.Errorf("base64 left as text without a binary media type: %v", resp)
	}
	for _, bad := range []string{`"just a string"`, `not json`, `{"body":"no status"}`, `{"statusCode":200,"body":{"a":1}}`,
		`{"statusCode":"abc"}`, `{"statusCode":200,"headers":{"X":{"nested":1}}}`, `{"statusCode":200,"isBase64Encoded":"yes"}`, `[1]`} {
		if _, ok := mapV1Response([]byte(bad), never); ok {
			t.Errorf("%s accepted as a 1.0 response", bad)
		}
	}
}

func TestMapV2Response(t *testing.T) {
	resp, ok := mapV2Response([]byte(`{"statusCode":302,"headers":{"location":"/x"},"cookies":["a=1","b=2"],"body":"moved"}`))
	if !ok || resp.Status != 302 || resp.Header.Get("Location") != "/x" || !reflect.DeepEqual(resp.Header.Values("Set-Cookie"), []string{"a=1", "b=2"}) {
		t.Errorf("full form: %v %v", resp, ok)
	}
	for _, simple := range []string{`{"hello":"world"}`, `"text"`, `[1,2]`, `42`} {
		resp, ok := mapV2Response([]byte(simple))
		if !ok || resp.Status != 200 || string(resp.Body) != simple || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("simple form %s: %v %v", simple, resp, ok)
		}
	}
	for _, bad := range []string{`not json`, `{"statusCode":200,"body":{"a":1}}`, `{"statusCode":99}`, `{"statusCode":200,"body":"%%%","isBase64Encoded":true}`} {
		if _, ok := mapV2Response([]byte(bad)); ok {
			t.Errorf("%s accepted as a 2.0 response", bad)
		}
	}
}

func TestBinaryRules(t *testing.T) {
	for ct, text := range map[string]bool{"text/plain": true, "application/json; charset=utf-8": true, "application/hal+json": true,
		"application/xml": true, "image/png": false, "application/octet-stream": false, "": false, "application/x-www-form-urlencoded": false} {
		if isTextType(ct) != text {
			t.Errorf("isTextType(%q) = %v", ct, !text)
		}
	}
	types := []string{"image/*", "application/pdf"}
	for v, want := range map[string]bool{"image/png": true, "application/pdf": true, "text/html, image/webp": true, "text/plain": false, "": false} {
		if matchesMediaType(v, types) != want {
			t.Errorf("matchesMediaType(%q) = %v", v, !want)
		}
	}
	if !matchesMediaType("anything/at-all", []string{"*/*"}) {
		t.Error("*/* matches everything")
	}
}

func TestSourceARNs(t *testing.T) {
	if got := RESTSourceARN("us-east-1", "123", "abc", "prod", "GET", "/pets/1"); got != "arn:aws:execute-api:us-east-1:123:abc/prod/GET/pets/1" {
		t.Error(got)
	}
	if got := HTTPSourceARN("us-east-1", "123", "abc", "$default", "$default", "GET", "/x"); got != "arn:aws:execute-api:us-east-1:123:abc/$default/$default" {
		t.Error(got)
	}
	if got := HTTPSourceARN("us-east-1", "123", "abc", "prod", "GET /x", "GET", "/x"); got != "arn:aws:execute-api:us-east-1:123:abc/prod/GET/x" {
		t.Error(got)
	}
}

func TestEvents_nullsAndCookies(t *testing.T) {
	req := request{Method: "GET", Path: "/p", StagePath: "/prod/p", Header: http.Header{"Cookie": {"a=1; b=2"}, "X-Y": {"1", "2"}},
		Time: time.Unix(1700000000, 0), Stage: "prod", APIID: "abc"}
	v1 := marshal(restEvent(req, "/p", "rid", nil, false))
	for _, null := range []string{`"queryStringParameters":null`, `"pathParameters":null`, `"stageVariables":null`, `"body":null`} {
		if !strings.Contains(string(v1), null) {
			t.Errorf("1.0 event lacks %s: %s", null, v1)
		}
	}
	var v2 map[string]any
	json.Unmarshal(marshal(httpEventV2(req, "$default", nil)), &v2)
	if !reflect.DeepEqual(v2["cookies"], []any{"a=1", "b=2"}) || v2["headers"].(map[string]any)["x-y"] != "1,2" {
		t.Errorf("2.0 event: %v", v2)
	}
	if _, ok := v2["body"]; ok {
		t.Errorf("2.0 event without a body has no body member: %v", v2)
	}
}

// Fakes for the integration-timeout test: a function that never answers.
type fakeREST struct{ stage *apigateway.DeployedStage }

func (f fakeREST) DeployedStage(apiID, stage string) (*apigateway.DeployedStage, bool, error) {
	return f.stage, stage == f.stage.StageName, nil
}
func (f fakeREST) HasAPI(id string) bool { return id == f.stage.APIID }

type noHTTP struct{}

func (noHTTP) DeployedStage(string, string) (*apigatewayv2.DeployedStage, bool, error) {
	return nil, false, nil
}
func (noHTTP) HasAPI(string) bool           { return false }
func (noHTTP) HasStage(string, string) bool { return false }

type allowAll struct{}

func (allowAll) ResolveFunction(name, _ string) (invoke.Function, *awswire.Error) {
	return invoke.Function{InvokedARN: name}, nil
}
func (allowAll) AllowsInvoke(context.Context, string, string, string, string) (bool, error) {
	return true, nil
}

type hangingInvoker struct{ started chan struct{} }

func (h hangingInvoker) Invoke(ctx context.Context, _ invoke.Function, _ invoke.Request) (invoke.Result, error) {
	close(h.started)
	<-ctx.Done()
	return invoke.Result{}, ctx.Err()
}

// TestIntegrationTimeout_defaultUnderManualClock: a REST integration with the default 29 s timeout
// answers 504 once 29 s pass on the clock, not before.
func TestIntegrationTimeout_defaultUnderManualClock(t *testing.T) {
	clk := clock.NewManual(time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC))
	uri := "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:f/invocations"
	stage := &apigateway.DeployedStage{APIID: "abcdefghij", StageName: "prod", Resources: map[string]*apigateway.Resource{
		"root": {ID: "root", Path: "/", ResourceMethods: map[string]*apigateway.Method{"GET": {HTTPMethod: "GET", AuthorizationType: "NONE",
			MethodIntegration: &apigateway.Integration{Type: "AWS_PROXY", URI: uri, TimeoutInMillis: apigateway.DefaultTimeoutMillis}}}},
	}}
	inv := hangingInvoker{started: make(chan struct{})}
	fd, err := New(Config{REST: fakeREST{stage}, HTTP: noHTTP{}, Lambda: allowAll{}, Invoker: inv, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		fd.ServeHTTP(w, httptest.NewRequest("GET", "/restapis/abcdefghij/prod/_user_request_/", nil))
		close(done)
	}()
	<-inv.started
	for clk.Pending() == 0 {
		time.Sleep(time.Millisecond)
	}
	clk.Advance(28 * time.Second)
	select {
	case <-done:
		t.Fatalf("answered before the 29 s integration timeout: %d %s", w.Code, w.Body)
	case <-time.After(50 * time.Millisecond):
	}
	clk.Advance(time.Second)
	<-done
	if w.Code != 504 || !strings.Contains(w.Body.String(), "Endpoint request timed out") {
		t.Fatalf("after 29 s: %d %s", w.Code, w.Body)
	}
}

type fakeHTTP struct{ stage *apigatewayv2.DeployedStage }

func (f fakeHTTP) DeployedStage(apiID, stage string) (*apigatewayv2.DeployedStage, bool, error) {
	return f.stage, stage == f.stage.StageName, nil
}
func (f fakeHTTP) HasAPI(id string) bool { return id == f.stage.APIID }
func (f fakeHTTP) HasStage(id, stage string) bool {
	return id == f.stage.APIID && stage == f.stage.StageName
}
func (noREST) DeployedStage(string, string) (*apigateway.DeployedStage, bool, error) {
	return nil, false, nil
}
func (noREST) HasAPI(string) bool { return false }

type noREST struct{}

// TestIntegrationTimeout_httpAPIUnderManualClock: an HTTP API integration with the default 30 s
// timeout answers 503 once 30 s pass on the clock, not before; an AWS_IAM route refuses an
// unsigned call without invoking anything.
func TestIntegrationTimeout_httpAPIUnderManualClock(t *testing.T) {
	clk := clock.NewManual(time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC))
	fn := "arn:aws:lambda:us-east-1:000000000000:function:f"
	stage := &apigatewayv2.DeployedStage{APIID: "abcdefghij", StageName: "$default",
		Routes: map[string]*apigatewayv2.Route{
			"r1": {RouteKey: "$default", Target: "integrations/i1", AuthorizationType: "NONE"},
			"r2": {RouteKey: "GET /private", Target: "integrations/i1", AuthorizationType: "AWS_IAM"},
		},
		Integrations: map[string]*apigatewayv2.Integration{"i1": {IntegrationID: "i1", IntegrationType: "AWS_PROXY", IntegrationURI: fn,
			PayloadFormatVersion: "2.0", TimeoutInMillis: apigatewayv2.DefaultTimeoutMillis}}}
	inv := hangingInvoker{started: make(chan struct{})}
	fd, err := New(Config{REST: noREST{}, HTTP: fakeHTTP{stage}, Lambda: allowAll{}, Invoker: inv, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	fd.ServeHTTP(w, httptest.NewRequest("GET", "/restapis/abcdefghij/$default/_user_request_/private", nil))
	if w.Code != 403 {
		t.Fatalf("unsigned call to an AWS_IAM route: %d %s", w.Code, w.Body)
	}
	w = httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		fd.ServeHTTP(w, httptest.NewRequest("GET", "/restapis/abcdefghij/$default/_user_request_/x", nil))
		close(done)
	}()
	<-inv.started
	for clk.Pending() == 0 {
		time.Sleep(time.Millisecond)
	}
	clk.Advance(29 * time.Second)
	select {
	case <-done:
		t.Fatalf("answered before the 30 s integration timeout: %d %s", w.Code, w.Body)
	case <-time.After(50 * time.Millisecond):
	}
	clk.Advance(time.Second)
	<-done
	if w.Code != 503 || !strings.Contains(w.Body.String(), "Service Unavailable") {
		t.Fatalf("after 30 s: %d %s", w.Code, w.Body)
	}
}
