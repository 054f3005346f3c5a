package trigger

import (
	"strings"
	"testing"
	"time"
)

var testARN = ARNContext{Region: "us-east-1", AccountID: "123456789012"}

func TestCatalog_rows(t *testing.T) {
	if got := len(Catalog); got != 20 {
		t.Fatalf("the catalog has %d rows, want 20 (19 services, API Gateway as REST and HTTP, plus function URLs)", got)
	}
	seen := map[string]bool{}
	models := map[Model]int{}
	for _, s := range Catalog {
		if s.Key == "" || s.Name == "" || s.Wiring == "" {
			t.Errorf("row %+v lacks a key, a name or its wiring call", s)
		}
		if seen[s.Key] {
			t.Errorf("row %s appears twice", s.Key)
		}
		seen[s.Key] = true
		models[s.Model]++
		switch s.Model {
		case ModelSync:
			if s.InvocationType != InvocationRequestResponse {
				t.Errorf("%s is synchronous but invoked with %q", s.Key, s.InvocationType)
			}
		case ModelAsync:
			if s.InvocationType != InvocationEvent {
				t.Errorf("%s is asynchronous but invoked with %q", s.Key, s.InvocationType)
			}
		case ModelPoll:
			if s.InvocationType != "" || s.Principal != "" {
				t.Errorf("%s is polled: no invocation type of its own, no principal", s.Key)
			}
		default:
			t.Errorf("%s has no model", s.Key)
		}
		if (s.SourceARN == nil) != (s.SourceARNForm == "") {
			t.Errorf("%s: a source ARN form needs its builder and the other way round", s.Key)
		}
		if s.Payload.RequestBytes == 0 {
			t.Errorf("%s has no payload limit", s.Key)
		}
		if s.Model != ModelSync && s.CallerTimeout != 0 && s.Key != ServiceSES {
			t.Errorf("%s has a caller timeout but is not synchronous", s.Key)
		}
	}
	if models[ModelSync] != 9 || models[ModelAsync] != 8 || models[ModelPoll] != 3 {
		t.Errorf("models: %v, want 9 synchronous, 8 asynchronous, 3 poll", models)
	}
	for m, n := range models {
		if got := ByModel(m); len(got) != n || got[0].Model != m {
			t.Errorf("ByModel(%s) gave %d rows, want %d", m, len(got), n)
		}
	}
}

func TestCatalog_syncCallers(t *testing.T) {
	for key, want := range map[string]struct {
		principal, event string
		timeout          time.Duration
		payload          string
	}{
		ServiceAPIGatewayREST: {"apigateway.amazonaws.com", "APIGatewayProxyRequest", 29 * time.Second, "6 MB request, 6 MB response"},
		ServiceAPIGatewayHTTP: {"apigateway.amazonaws.com", "APIGatewayV2HTTPRequest", 30 * time.Second, "6 MB request, 6 MB response"},
		ServiceALB:            {"elasticloadbalancing.amazonaws.com", "ALBTargetGroupRequest", 0, "1 MB request, 1 MB response"},
		ServiceFunctionURL:    {"*", "LambdaFunctionURLRequest", 0, "6 MB request, 6 MB response"},
	} {
		s, ok := Lookup(key)
		if !ok {
			t.Fatalf("no row %s", key)
		}
		if s.Principal != want.principal || s.EventType != want.event || s.CallerTimeout != want.timeout || s.Payload.String() != want.payload {
			t.Errorf("%s: principal %q, event %q, timeout %s, payload %q; want %+v", key, s.Principal, s.EventType, s.CallerTimeout, s.Payload, want)
		}
	}
	if _, ok := Lookup("nope"); ok {
		t.Error("Lookup found a row that does not exist")
	}
}

func TestCatalog_sourceARNs(t *testing.T) {
	for key, tc := range map[string]struct {
		parts []string
		want  string
	}{
		ServiceALB:            {[]string{"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/abc"}, "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/abc"},
		ServiceAPIGatewayREST: {[]string{"a1b2c3", "prod", "GET", "/hello"}, "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/GET/hello"},
		ServiceAPIGatewayHTTP: {[]string{"a1b2c3", "*", "*", "$default"}, "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/*/$default"},
		ServiceS3:             {[]string{"bucket"}, "arn:aws:s3:::bucket"},
		ServiceSNS:            {[]string{"topic"}, "arn:aws:sns:us-east-1:123456789012:topic"},
		ServiceEventBridge:    {[]string{"default", "r"}, "arn:aws:events:us-east-1:123456789012:rule/r"},
		ServiceCloudWatchLogs: {[]string{"/aws/x"}, "arn:aws:logs:us-east-1:123456789012:log-group:/aws/x:*"},
		ServiceSES:            {[]string{"set", "rule"}, "arn:aws:ses:us-east-1:123456789012:receipt-rule-set/set:receipt-rule/rule"},
		ServiceCognito:        {[]string{"us-east-1_abc"}, "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc"},
	} {
		s, _ := Lookup(key)
		if got := s.SourceARN(testARN, tc.parts...); got != tc.want {
			t.Errorf("%s: source ARN %s, want %s", key, got, tc.want)
		}
	}
	bus, _ := Lookup(ServiceEventBridge)
	if got := bus.SourceARN(testARN, "custom", "r"); got != "arn:aws:events:us-east-1:123456789012:rule/custom/r" {
		t.Errorf("rule on a custom bus: %s", got)
	}
}

func TestExecuteAPISourceARN(t *testing.T) {
	prefix := "arn:aws:execute-api:us-east-1:123456789012:"
	for _, tc := range []struct{ stage, method, path, want string }{
		{"*", "*", "*", "api/*/*/*"},
		{"", "", "", "api/*/*/*"},
		{"prod", "GET", "/hello", "api/prod/GET/hello"},
		{"prod", "ANY", "/hello", "api/prod/*/hello"},
		{"prod", "get", "/hello/", "api/prod/GET/hello"},
		{"prod", "GET", "/", "api/prod/GET/"},
		{"prod", "POST", "/pets/{id}", "api/prod/POST/pets/*"},
		{"*", "*", "/{proxy+}", "api/*/*/*"},
		{"$default", "GET", "/a/{b}/c", "api/$default/GET/a/*/c"},
		{"*", "*", "$default", "api/*/$default"},
	} {
		if got := ExecuteAPISourceARN(testARN, "api", tc.stage, tc.method, tc.path); got != prefix+tc.want {
			t.Errorf("(%q, %q, %q): %s, want %s", tc.stage, tc.method, tc.path, got, prefix+tc.want)
		}
	}
	cn := ExecuteAPISourceARN(ARNContext{Partition: "aws-cn", Region: "cn-north-1", AccountID: "1"}, "a", "s", "GET", "/x")
	if !strings.HasPrefix(cn, "arn:aws-cn:execute-api:cn-north-1:1:") {
		t.Errorf("partition not used: %s", cn)
	}
}

func TestSyncCallerValidation(t *testing.T) {
	check := func(name string, f func(string) error, ok, bad []string) {
		t.Helper()
		for _, v := range ok {
			if err := f(v); err != nil {
				t.Errorf("%s(%q) = %v, want ok", name, v, err)
			}
		}
		for _, v := range bad {
			if err := f(v); err == nil {
				t.Errorf("%s(%q) = nil, want an error", name, v)
			}
		}
	}
	check("stage", ValidateAPIGatewayStage, []string{"*", "prod", "$default", "v1_beta-2"}, []string{"", "pro d", "a/b", "$other"})
	check("method", ValidateAPIGatewayMethod, []string{"*", "GET", "ANY", "OPTIONS"}, []string{"", "get", "CONNECT", "GET,POST"})
	check("path", ValidateAPIGatewayPath, []string{"*", "$default", "/", "/hello", "/pets/{id}", "/{proxy+}", "/a-b/c_d.e"},
		[]string{"", "hello", "/a//b", "/a/*", "/has space"})
	check("target group", ValidateTargetGroupARN,
		[]string{"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/my-tg/50dc6c495c0c9188"},
		[]string{"", "my-tg", "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/lb/50dc6c495c0c9188"})
	check("function URL qualifier", ValidateFunctionURLQualifier, []string{"$LATEST", "live"}, []string{"1", "42", "a:b"})
}

func TestByteSize(t *testing.T) {
	for n, want := range map[int64]string{6 * MB: "6 MB", 256 * KB: "256 KB", 100: "100 bytes", 1536: "1536 bytes"} {
		if got := ByteSize(n); got != want {
			t.Errorf("ByteSize(%d) = %s, want %s", n, got, want)
		}
	}
	if got := (PayloadLimit{RequestBytes: MB}).String(); got != "1 MB request (the response is ignored)" {
		t.Errorf("async limit: %s", got)
	}
}
