package provider

import (
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awstypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/trigger"
)

var syncARN = trigger.ARNContext{Partition: "aws", Region: "us-east-1", AccountID: "123456789012"}

const syncTG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/my-tg/50dc6c495c0c9188"

func restWiring() syncWiring {
	return syncWiring{FunctionName: "hello", Kind: syncKindAPIGateway, APIID: "a1b2c3", Stage: "prod", Method: "GET", Path: "/hello"}
}

func TestSyncWiring_IDRoundTrip(t *testing.T) {
	withIntegration := restWiring()
	withIntegration.Integration = true
	qualified := syncWiring{FunctionName: "hello", Qualifier: "live", Kind: syncKindFunctionURL}
	for _, tc := range []struct {
		w  syncWiring
		id string
	}{
		{restWiring(), "hello,api_gateway,a1b2c3,prod,GET,/hello"},
		{withIntegration, "hello,api_gateway,a1b2c3,prod,GET,/hello,integration"},
		{syncWiring{FunctionName: "hello", Kind: syncKindAPIGateway, APIID: "x", Stage: "*", Method: "*", Path: "*"}, "hello,api_gateway,x,*,*,*"},
		{syncWiring{FunctionName: "hello", Kind: syncKindALB, TargetGroupARN: syncTG}, "hello,alb," + syncTG},
		{qualified, "hello:live,function_url"},
	} {
		if got := tc.w.ID(); got != tc.id {
			t.Errorf("ID() = %s, want %s", got, tc.id)
		}
		back, err := parseSyncCallerID(tc.id)
		if err != nil {
			t.Errorf("parseSyncCallerID(%s): %v", tc.id, err)
			continue
		}
		if back != tc.w {
			t.Errorf("parseSyncCallerID(%s) = %+v, want %+v", tc.id, back, tc.w)
		}
	}
	for _, bad := range []string{
		"", "hello", "hello,nope", "has.dot,function_url", "hello,function_url,extra",
		"hello,api_gateway,a1b2c3,prod,GET", "hello,api_gateway,a1b2c3,prod,get,/hello", "hello,api_gateway,a1b2c3,prod,GET,hello",
		"hello,alb,my-tg", "hello:a:b,function_url",
	} {
		if _, err := parseSyncCallerID(bad); err == nil {
			t.Errorf("parseSyncCallerID(%q) accepted it", bad)
		}
	}
}

func TestSyncWiring_statementID(t *testing.T) {
	w := restWiring()
	id := w.statementID()
	if !regexp.MustCompile(`^[a-zA-Z0-9_-]{1,100}$`).MatchString(id) || !strings.HasPrefix(id, "lambdatrigger-") {
		t.Fatalf("statement ID %q is not one AddPermission accepts", id)
	}
	if w.statementID() != id {
		t.Error("the statement ID is not deterministic")
	}
	integ := w
	integ.Integration, integ.PayloadFormat = true, "1.0"
	if integ.statementID() != id {
		t.Error("the integration flag changed the permission's statement ID")
	}
	seen := map[string]string{id: "base"}
	for name, change := range map[string]func(*syncWiring){
		"function":  func(w *syncWiring) { w.FunctionName = "other" },
		"qualifier": func(w *syncWiring) { w.Qualifier = "live" },
		"api":       func(w *syncWiring) { w.APIID = "zzz" },
		"stage":     func(w *syncWiring) { w.Stage = "dev" },
		"method":    func(w *syncWiring) { w.Method = "POST" },
		"path":      func(w *syncWiring) { w.Path = "/bye" },
	} {
		c := restWiring()
		change(&c)
		if other, dup := seen[c.statementID()]; dup {
			t.Errorf("changing %s gives the statement ID of %s", name, other)
		}
		seen[c.statementID()] = name
	}
	url := syncWiring{FunctionName: "hello", Kind: syncKindFunctionURL, AuthType: trigger.FunctionURLAuthNone}
	if ids := url.statementIDs(); len(ids) != 2 || ids[1] != ids[0]+"-invoke" {
		t.Errorf("a public URL's statements: %v", ids)
	}
	url.AuthType = trigger.FunctionURLAuthIAM
	if ids := url.statementIDs(); len(ids) != 0 {
		t.Errorf("an AWS_IAM URL adds statements %v", ids)
	}
}

func TestSyncWiring_describe(t *testing.T) {
	str := func(v types.String) string {
		switch {
		case v.IsUnknown():
			return "<unknown>"
		case v.IsNull():
			return "<null>"
		}
		return v.ValueString()
	}
	http := syncWiring{FunctionName: "hello", Kind: syncKindAPIGateway, APIID: "a1b2c3", Stage: "*", Method: "*", Path: "$default", Integration: true}
	http10 := http
	http10.PayloadFormat = "1.0"
	alb := syncWiring{FunctionName: "hello", Kind: syncKindALB, TargetGroupARN: syncTG}
	public := syncWiring{FunctionName: "hello", Kind: syncKindFunctionURL, AuthType: "NONE", InvokeMode: "RESPONSE_STREAM"}
	iam := syncWiring{FunctionName: "hello", Kind: syncKindFunctionURL, AuthType: "AWS_IAM"}

	for name, tc := range map[string]struct {
		w     syncWiring
		f     syncFacts
		want  map[string]string
		match map[string]string
	}{
		"REST, all known": {restWiring(), syncFacts{arn: syncARN, apiType: apiTypeREST, functionTimeout: 3}, map[string]string{
			"invocation_type": "RequestResponse",
			"principal":       "apigateway.amazonaws.com",
			"source_arn":      "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/GET/hello",
			"event_type":      "APIGatewayProxyRequest",
			"payload_limit":   "6 MB request, 6 MB response",
			"behavior":        "GET /hello on REST API a1b2c3/prod -> RequestResponse; caller waits up to 29 s; no retries (permission only)",
			"timeout_note":    "API Gateway (REST API) waits up to 29 s (the default integration timeout); the function's timeout is 3 s, within it.",
		}, map[string]string{"statement_id": `^lambdatrigger-[0-9a-f]{24}$`}},
		"REST, function outlives the caller": {restWiring(), syncFacts{arn: syncARN, apiType: apiTypeREST, functionTimeout: 60}, nil,
			map[string]string{"timeout_note": `function's timeout is 60 s: calls longer than 29 s get 504`}},
		"API of unknown type": {restWiring(), syncFacts{arn: syncARN, functionTimeout: 3}, map[string]string{
			"event_type": "<unknown>", "behavior": "<unknown>", "timeout_note": "<unknown>",
			"source_arn":    "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/GET/hello",
			"payload_limit": "6 MB request, 6 MB response",
		}, nil},
		"function not created yet": {restWiring(), syncFacts{arn: syncARN, apiType: apiTypeREST}, map[string]string{
			"timeout_note": "<unknown>", "event_type": "APIGatewayProxyRequest",
		}, nil},
		"HTTP API default route": {http, syncFacts{arn: syncARN, apiType: apiTypeHTTP, functionTimeout: 31}, map[string]string{
			"source_arn": "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/*/$default",
			"event_type": "APIGatewayV2HTTPRequest",
			"behavior":   "the $default route on HTTP API a1b2c3/* -> RequestResponse; caller waits up to 30 s; no retries (AWS_PROXY integration and permission)",
		}, map[string]string{"timeout_note": `^API Gateway \(HTTP API\) waits up to 30 s .* 31 s: calls longer than 30 s get 504`}},
		"HTTP API payload 1.0": {http10, syncFacts{arn: syncARN, apiType: apiTypeHTTP}, map[string]string{"event_type": "APIGatewayProxyRequest"}, nil},
		"ALB": {alb, syncFacts{arn: syncARN, functionTimeout: 900}, map[string]string{
			"principal":     "elasticloadbalancing.amazonaws.com",
			"source_arn":    syncTG,
			"event_type":    "ALBTargetGroupRequest",
			"payload_limit": "1 MB request, 1 MB response",
			"behavior":      "requests forwarded to target group my-tg -> RequestResponse; the load balancer waits for the function's timeout; no retries",
			"timeout_note":  "The load balancer has no timeout of its own; the function's timeout (900 s) bounds each request.",
		}, nil},
		"public function URL": {public, syncFacts{arn: syncARN, functionTimeout: 3}, map[string]string{
			"principal":     "*",
			"source_arn":    "<null>",
			"event_type":    "LambdaFunctionURLRequest",
			"payload_limit": "6 MB request, 200 MB response",
			"behavior":      "HTTP requests to the function URL (auth NONE, RESPONSE_STREAM) -> RequestResponse; the caller waits for the function's timeout; no retries",
		}, nil},
		"IAM function URL": {iam, syncFacts{arn: syncARN, functionTimeout: 3}, map[string]string{
			"principal": "<null>", "statement_id": "<null>", "source_arn": "<null>", "payload_limit": "6 MB request, 6 MB response",
			"behavior": "HTTP requests to the function URL (auth AWS_IAM, BUFFERED) -> RequestResponse; the caller waits for the function's timeout; no retries",
		}, nil},
	} {
		d := tc.w.describe(tc.f)
		got := map[string]string{
			"invocation_type": str(d.InvocationType), "principal": str(d.Principal), "statement_id": str(d.StatementID),
			"source_arn": str(d.SourceARN), "event_type": str(d.EventType), "payload_limit": str(d.PayloadLimit),
			"timeout_note": str(d.TimeoutNote), "behavior": str(d.Behavior),
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%s: %s = %q, want %q", name, k, got[k], v)
			}
		}
		for k, re := range tc.match {
			if !regexp.MustCompile(re).MatchString(got[k]) {
				t.Errorf("%s: %s = %q, want a match of %s", name, k, got[k], re)
			}
		}
	}
}

func TestSyncWiring_callerTimeoutExceeded(t *testing.T) {
	for _, tc := range []struct {
		w       syncWiring
		f       syncFacts
		warning bool
	}{
		{restWiring(), syncFacts{apiType: apiTypeREST, functionTimeout: 29}, false},
		{restWiring(), syncFacts{apiType: apiTypeREST, functionTimeout: 30}, true},
		{restWiring(), syncFacts{apiType: apiTypeHTTP, functionTimeout: 30}, false},
		{restWiring(), syncFacts{apiType: apiTypeHTTP, functionTimeout: 31}, true},
		{restWiring(), syncFacts{functionTimeout: 900}, false},                  // type unknown
		{restWiring(), syncFacts{apiType: apiTypeREST}, false},                  // function unknown
		{syncWiring{Kind: syncKindALB}, syncFacts{functionTimeout: 900}, false}, // no caller timeout
	} {
		if _, got := tc.w.callerTimeoutExceeded(tc.f); got != tc.warning {
			t.Errorf("%s with %+v: warning %v, want %v", tc.w.Kind, tc.f, got, tc.warning)
		}
	}
}

func TestSyncWiring_routeAndARNs(t *testing.T) {
	w := restWiring()
	if got := w.routeKey(); got != "GET /hello" {
		t.Errorf("route key %s", got)
	}
	w.Method = "*"
	if got := w.routeKey(); got != "ANY /hello" {
		t.Errorf("route key %s", got)
	}
	w.Path = "$default"
	if got := w.routeKey(); got != "$default" {
		t.Errorf("route key %s", got)
	}
	w.Qualifier = "live"
	if got := w.functionARN(syncARN); got != "arn:aws:lambda:us-east-1:123456789012:function:hello:live" {
		t.Errorf("function ARN %s", got)
	}
	if got := targetGroupName(syncTG); got != "my-tg" {
		t.Errorf("target group name %s", got)
	}
	if got := (syncWiring{}).payloadFormat(); got != "2.0" {
		t.Errorf("default payload format %s", got)
	}
}

func TestSyncReplaced(t *testing.T) {
	url := syncWiring{FunctionName: "f", Kind: syncKindFunctionURL, AuthType: "NONE"}
	stream := url
	stream.InvokeMode = "RESPONSE_STREAM"
	if syncReplaced(stream, url) {
		t.Error("changing the invoke mode replaces the URL; UpdateFunctionUrlConfig changes it in place")
	}
	iam := url
	iam.AuthType = "AWS_IAM"
	if !syncReplaced(iam, url) {
		t.Error("changing the auth type does not replace the URL (its permissions differ)")
	}
	g := restWiring()
	explicit := g
	explicit.PayloadFormat = "2.0"
	if syncReplaced(explicit, g) {
		t.Error("payload_format_version = 2.0 differs from its default")
	}
	other := g
	other.Stage = "dev"
	if !syncReplaced(other, g) {
		t.Error("changing the stage does not replace the caller")
	}
	if ps := syncReplacePaths(other, g); len(ps) != 1 || ps[0].String() != "api_gateway.stage" {
		t.Errorf("replace paths %v", ps)
	}
}

func TestFlattenFunctionURLCORS(t *testing.T) {
	if got := flattenFunctionURLCORS(nil, &awstypes.Cors{}); got != nil {
		t.Errorf("empty CORS without a block in the configuration: %+v", got)
	}
	got := flattenFunctionURLCORS(nil, &awstypes.Cors{AllowOrigins: []string{"*"}, MaxAge: aws.Int32(60)})
	if got == nil || got.AllowOrigins.String() != `["*"]` || got.MaxAge.ValueInt64() != 60 || !got.AllowHeaders.IsNull() || !got.AllowCredentials.IsNull() {
		t.Errorf("CORS read back: %+v", got)
	}
	prior := &syncCORSModel{AllowCredentials: types.BoolValue(false), MaxAge: types.Int64Null(),
		AllowHeaders: types.SetValueMust(types.StringType, nil), AllowMethods: types.SetNull(types.StringType),
		AllowOrigins: types.SetNull(types.StringType), ExposeHeaders: types.SetNull(types.StringType)}
	got = flattenFunctionURLCORS(prior, &awstypes.Cors{})
	if got == nil || got.AllowCredentials.ValueBool() || got.AllowCredentials.IsNull() || got.AllowHeaders.IsNull() {
		t.Errorf("an explicit empty configuration is kept: %+v", got)
	}
}
