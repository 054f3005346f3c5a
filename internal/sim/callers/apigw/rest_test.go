package apigw_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdkapigw "github.com/aws/aws-sdk-go-v2/service/apigateway"
	apigwtypes "github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invlog"
)

// restAPI builds /hello (GET), /items/{id} (ANY), /slow (GET, 1 s integration timeout) and
// /{proxy+} (ANY), integrated with fnARN, binaryMediaTypes image/png, deployed to "prod".
func (c *chain) restAPI(t *testing.T, fnARN string) string {
	t.Helper()
	x := ctx(t)
	api, err := c.v1.CreateRestApi(x, &sdkapigw.CreateRestApiInput{Name: aws.String("front"), BinaryMediaTypes: []string{"image/png"}})
	if err != nil {
		t.Fatal(err)
	}
	uri := "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + fnARN + "/invocations"
	add := func(parent, part, method string, timeout *int32) string {
		r, err := c.v1.CreateResource(x, &sdkapigw.CreateResourceInput{RestApiId: api.Id, ParentId: &parent, PathPart: &part})
		if err != nil {
			t.Fatal(err)
		}
		if method == "" {
			return *r.Id
		}
		if _, err := c.v1.PutMethod(x, &sdkapigw.PutMethodInput{RestApiId: api.Id, ResourceId: r.Id, HttpMethod: &method, AuthorizationType: aws.String("NONE")}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.v1.PutIntegration(x, &sdkapigw.PutIntegrationInput{RestApiId: api.Id, ResourceId: r.Id, HttpMethod: &method,
			Type: apigwtypes.IntegrationTypeAwsProxy, IntegrationHttpMethod: aws.String("POST"), Uri: &uri, TimeoutInMillis: timeout}); err != nil {
			t.Fatal(err)
		}
		return *r.Id
	}
	root := *api.RootResourceId
	add(root, "hello", "GET", nil)
	items := add(root, "items", "", nil)
	add(items, "{id}", "ANY", nil)
	add(root, "slow", "GET", aws.Int32(1000))
	add(root, "{proxy+}", "ANY", nil)
	if _, err := c.v1.CreateDeployment(x, &sdkapigw.CreateDeploymentInput{RestApiId: api.Id, StageName: aws.String("prod"),
		Variables: map[string]string{"color": "blue"}}); err != nil {
		t.Fatal(err)
	}
	return *api.Id
}

func TestFrontDoor_REST(t *testing.T) {
	c := startChain(t)
	fnARN := c.createFunction(t, "rest-echo")
	apiID := c.restAPI(t, fnARN)
	base := c.url + "/restapis/" + apiID + "/prod/_user_request_"
	execARN := "arn:aws:execute-api:us-east-1:000000000000:" + apiID

	t.Run("500 until the permission allows the call", func(t *testing.T) {
		do(t, "GET", base+"/hello", "", nil, nil).expect(t, 500, "Internal server error")
		c.allow(t, "rest-echo", "hello-only", execARN+"/*/GET/hello")
		do(t, "GET", base+"/hello", "", nil, nil).expect(t, 200, "")
		// The permission names /hello only: /items/1 is still refused.
		do(t, "GET", base+"/items/1", "", nil, nil).expect(t, 500, "Internal server error")
		c.allow(t, "rest-echo", "all", execARN+"/*/*/*")
		do(t, "GET", base+"/items/1", "", nil, nil).expect(t, 200, "")
		// The invocation log names the caller by its source ARN.
		if err := c.log.Flush(); err != nil {
			t.Fatal(err)
		}
		recs, err := c.log.List(invlog.Query{FunctionName: "rest-echo"})
		if err != nil || len(recs) == 0 {
			t.Fatalf("invocation log: %v %v", recs, err)
		}
		if want := "apigateway:" + execARN + "/prod/GET/items/1"; recs[len(recs)-1].Trigger != want {
			t.Errorf("trigger %q, want %q", recs[len(recs)-1].Trigger, want)
		}
	})

	t.Run("event: query strings, multi-value headers, request context", func(t *testing.T) {
		r := do(t, "GET", base+"/hello?a=1&a=2&b=x%20y", "", nil, map[string][]string{"X-Multi": {"one", "two"}, "User-Agent": {"apigw-test"}})
		r.expect(t, 200, "")
		ev := r.event(t)
		want := map[string]any{
			"resource": "/hello", "path": "/hello", "httpMethod": "GET",
			"queryStringParameters":           map[string]any{"a": "2", "b": "x y"},
			"multiValueQueryStringParameters": map[string]any{"a": []any{"1", "2"}, "b": []any{"x y"}},
			"pathParameters":                  nil, "body": nil, "isBase64Encoded": false,
			"stageVariables": map[string]any{"color": "blue"},
		}
		for k, v := range want {
			if !reflect.DeepEqual(ev[k], v) {
				t.Errorf("%s = %#v, want %#v", k, ev[k], v)
			}
		}
		if got := get(ev, "multiValueHeaders", "X-Multi"); !reflect.DeepEqual(got, []any{"one", "two"}) {
			t.Errorf("multiValueHeaders X-Multi = %v", got)
		}
		if got := get(ev, "headers", "X-Multi"); got != "two" {
			t.Errorf("headers X-Multi = %v (API Gateway keeps the last value)", got)
		}
		rc := map[string]any{"accountId": "000000000000", "apiId": apiID, "stage": "prod", "resourcePath": "/hello",
			"httpMethod": "GET", "path": "/prod/hello", "protocol": "HTTP/1.1"}
		for k, v := range rc {
			if got := get(ev, "requestContext", k); got != v {
				t.Errorf("requestContext.%s = %v, want %v", k, got, v)
			}
		}
		if get(ev, "requestContext", "identity", "sourceIp") != "127.0.0.1" || get(ev, "requestContext", "identity", "userAgent") != "apigw-test" {
			t.Errorf("identity: %v", get(ev, "requestContext", "identity"))
		}
		if id := get(ev, "requestContext", "requestId"); id == "" || id != r.header.Get("X-Amzn-Requestid") {
			t.Errorf("requestId %v vs header %q", id, r.header.Get("X-Amzn-Requestid"))
		}
		if epoch, _ := get(ev, "requestContext", "requestTimeEpoch").(float64); time.Since(time.UnixMilli(int64(epoch))) > time.Minute {
			t.Errorf("requestTimeEpoch %v", epoch)
		}
		// The function's headers and multiValueHeaders come back merged.
		if r.header.Get("X-Echo") != "yes" || !reflect.DeepEqual(r.header.Values("X-Multi"), []string{"a", "b"}) {
			t.Errorf("response headers: %v", r.header)
		}
		if len(r.header.Values("Set-Cookie")) != 0 {
			t.Errorf("payload 1.0 has no cookies member: %v", r.header.Values("Set-Cookie"))
		}
	})

	t.Run("path parameters and greedy proxy", func(t *testing.T) {
		ev := do(t, "DELETE", base+"/items/42", "", nil, nil).event(t)
		if ev["resource"] != "/items/{id}" || !reflect.DeepEqual(ev["pathParameters"], map[string]any{"id": "42"}) || ev["httpMethod"] != "DELETE" {
			t.Errorf("items: resource %v params %v method %v", ev["resource"], ev["pathParameters"], ev["httpMethod"])
		}
		r := do(t, "POST", base+"/deep/a/b", "", strings.NewReader(`{"k":"v"}`), map[string][]string{"Content-Type": {"application/json"}})
		ev = r.event(t)
		if ev["resource"] != "/{proxy+}" || !reflect.DeepEqual(ev["pathParameters"], map[string]any{"proxy": "deep/a/b"}) ||
			ev["body"] != `{"k":"v"}` || ev["isBase64Encoded"] != false {
			t.Errorf("proxy: %v %v %v %v", ev["resource"], ev["pathParameters"], ev["body"], ev["isBase64Encoded"])
		}
		// The root has no method: API Gateway's 403.
		do(t, "GET", base+"/", "", nil, nil).expect(t, 403, "Missing Authentication Token")
	})

	t.Run("binary bodies both ways", func(t *testing.T) {
		png := []byte{0x89, 'P', 'N', 'G', 0, 1, 2, 0xff, 0xfe}
		ev := do(t, "POST", base+"/upload", "", bytes.NewReader(png), map[string][]string{"Content-Type": {"image/png"}}).event(t)
		if ev["isBase64Encoded"] != true || ev["body"] != base64.StdEncoding.EncodeToString(png) {
			t.Errorf("binary request: %v %v", ev["isBase64Encoded"], ev["body"])
		}
		r := do(t, "POST", base+"/upload?mode=binary", "", bytes.NewReader(png), map[string][]string{"Content-Type": {"image/png"}, "Accept": {"image/png"}})
		if r.status != 200 || !bytes.Equal(r.body, png) || r.header.Get("Content-Type") != "image/png" {
			t.Errorf("binary response: %d %q %v", r.status, r.body, r.header)
		}
		// Text content types stay text.
		ev = do(t, "POST", base+"/upload", "", strings.NewReader("plain"), map[string][]string{"Content-Type": {"text/plain"}}).event(t)
		if ev["isBase64Encoded"] != false || ev["body"] != "plain" {
			t.Errorf("text request: %v %v", ev["isBase64Encoded"], ev["body"])
		}
	})

	t.Run("errors", func(t *testing.T) {
		do(t, "GET", base+"/hello?mode=malformed", "", nil, nil).expect(t, 502, "Internal server error")
		do(t, "GET", base+"/hello?mode=error", "", nil, nil).expect(t, 502, "Internal server error")
		do(t, "GET", base+"/hello?status=418", "", nil, nil).expect(t, 418, "")
		do(t, "GET", c.url+"/restapis/"+apiID+"/nostage/_user_request_/hello", "", nil, nil).expect(t, 403, "Forbidden")
		do(t, "GET", c.url+"/restapis/"+apiID+"/prod/hello", "", nil, nil).expect(t, 403, "Missing Authentication Token")
	})

	t.Run("integration timeout behind a slower function", func(t *testing.T) {
		start := time.Now()
		do(t, "GET", base+"/slow?mode=sleep&seconds=4", "", nil, nil).expect(t, 504, "Endpoint request timed out")
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("answered after %v; the integration timeout is 1 s", d)
		}
	})

	t.Run("host form", func(t *testing.T) {
		host := fmt.Sprintf("%s.execute-api.localhost:%s", apiID, mustPort(t, c.url))
		r := do(t, "GET", c.url+"/prod/items/7?q=1", host, nil, nil)
		r.expect(t, 200, "")
		ev := r.event(t)
		if ev["path"] != "/items/7" || get(ev, "requestContext", "domainName") != apiID+".execute-api.localhost" {
			t.Errorf("host form: path %v domain %v", ev["path"], get(ev, "requestContext", "domainName"))
		}
	})
}

func mustPort(t *testing.T, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Port()
}
