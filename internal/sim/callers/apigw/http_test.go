package apigw_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdkapigw2 "github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	apigw2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
)

func TestFrontDoor_HTTPAPI_payloadV2(t *testing.T) {
	c := startChain(t)
	fnARN := c.createFunction(t, "http-echo")
	api, err := c.v2.CreateApi(ctx(t), &sdkapigw2.CreateApiInput{Name: aws.String("quick"), ProtocolType: apigw2types.ProtocolTypeHttp, Target: aws.String(fnARN)})
	if err != nil {
		t.Fatal(err)
	}
	id := *api.ApiId
	base := c.url + "/restapis/" + id + "/$default/_user_request_"

	// Quick create adds no permission: API Gateway cannot invoke the function yet.
	do(t, "GET", base+"/anything", "", nil, nil).expect(t, 500, "Internal Server Error")
	c.allow(t, "http-echo", "default-route", "arn:aws:execute-api:us-east-1:000000000000:"+id+"/*/$default")

	t.Run("event", func(t *testing.T) {
		r := do(t, "GET", base+"/any/path?x=1&x=2&y=z", "", nil, map[string][]string{
			"Cookie": {"a=1; b=2"}, "X-Multi": {"one", "two"}, "User-Agent": {"apigw-test"}})
		r.expect(t, 200, "")
		ev := r.event(t)
		want := map[string]any{"version": "2.0", "routeKey": "$default", "rawPath": "/any/path", "rawQueryString": "x=1&x=2&y=z",
			"cookies": []any{"a=1", "b=2"}, "queryStringParameters": map[string]any{"x": "1,2", "y": "z"}, "isBase64Encoded": false}
		for k, v := range want {
			if !reflect.DeepEqual(ev[k], v) {
				t.Errorf("%s = %#v, want %#v", k, ev[k], v)
			}
		}
		if got := get(ev, "headers", "x-multi"); got != "one,two" {
			t.Errorf("headers x-multi = %v (lowercased, comma-joined)", got)
		}
		if get(ev, "headers", "cookie") != nil {
			t.Error("the Cookie header must move to cookies")
		}
		for k, v := range map[string]any{"method": "GET", "path": "/any/path", "sourceIp": "127.0.0.1", "userAgent": "apigw-test", "protocol": "HTTP/1.1"} {
			if got := get(ev, "requestContext", "http", k); got != v {
				t.Errorf("requestContext.http.%s = %v, want %v", k, got, v)
			}
		}
		if get(ev, "requestContext", "stage") != "$default" || get(ev, "requestContext", "apiId") != id {
			t.Errorf("requestContext: %v", ev["requestContext"])
		}
		cookies := r.header.Values("Set-Cookie")
		sort.Strings(cookies)
		if !reflect.DeepEqual(cookies, []string{"c1=v1; Path=/", "c2=v2"}) || r.header.Get("X-Echo") != "yes" {
			t.Errorf("response cookies %v headers %v", cookies, r.header)
		}
	})

	t.Run("simple response form and binary", func(t *testing.T) {
		r := do(t, "GET", base+"/s?mode=simple", "", nil, nil)
		if r.status != 200 || string(r.body) != `{"simple":true,"version":"2.0"}` || r.header.Get("Content-Type") != "application/json" {
			t.Errorf("simple form: %d %s %v", r.status, r.body, r.header)
		}
		blob := []byte{0, 1, 2, 3, 0xff}
		ev := do(t, "POST", base+"/b", "", bytes.NewReader(blob), map[string][]string{"Content-Type": {"application/octet-stream"}}).event(t)
		if ev["isBase64Encoded"] != true || ev["body"] != base64.StdEncoding.EncodeToString(blob) {
			t.Errorf("binary request: %v %v", ev["isBase64Encoded"], ev["body"])
		}
		ev = do(t, "POST", base+"/b", "", strings.NewReader(`{"a":1}`), map[string][]string{"Content-Type": {"application/json"}}).event(t)
		if ev["isBase64Encoded"] != false || ev["body"] != `{"a":1}` {
			t.Errorf("JSON request: %v %v", ev["isBase64Encoded"], ev["body"])
		}
		r = do(t, "POST", base+"/b?mode=binary", "", bytes.NewReader(blob), map[string][]string{"Content-Type": {"application/octet-stream"}})
		if r.status != 200 || !bytes.Equal(r.body, blob) {
			t.Errorf("binary response: %d %q", r.status, r.body)
		}
	})

	t.Run("errors", func(t *testing.T) {
		do(t, "GET", base+"/m?mode=malformed", "", nil, nil).expect(t, 500, "Internal Server Error")
		do(t, "GET", base+"/m?mode=error", "", nil, nil).expect(t, 500, "Internal Server Error")
	})

	t.Run("host form on the $default stage", func(t *testing.T) {
		host := fmt.Sprintf("%s.execute-api.localhost:%s", id, mustPort(t, c.url))
		ev := do(t, "PUT", c.url+"/h/1", host, nil, nil).event(t)
		if ev["rawPath"] != "/h/1" || get(ev, "requestContext", "http", "method") != "PUT" {
			t.Errorf("host form: %v %v", ev["rawPath"], get(ev, "requestContext", "http"))
		}
	})
}

func TestFrontDoor_HTTPAPI_payloadV1RoutesAndTimeout(t *testing.T) {
	c := startChain(t)
	fnARN := c.createFunction(t, "http-v1")
	x := ctx(t)
	api, err := c.v2.CreateApi(x, &sdkapigw2.CreateApiInput{Name: aws.String("manual"), ProtocolType: apigw2types.ProtocolTypeHttp})
	if err != nil {
		t.Fatal(err)
	}
	integ := func(version string, timeout *int32) string {
		out, err := c.v2.CreateIntegration(x, &sdkapigw2.CreateIntegrationInput{ApiId: api.ApiId, IntegrationType: apigw2types.IntegrationTypeAwsProxy,
			IntegrationUri: aws.String(fnARN), PayloadFormatVersion: aws.String(version), TimeoutInMillis: timeout})
		if err != nil {
			t.Fatal(err)
		}
		return "integrations/" + *out.IntegrationId
	}
	v1, v2, slow := integ("1.0", nil), integ("2.0", nil), integ("2.0", aws.Int32(1000))
	for key, target := range map[string]string{"GET /hello/{name}": v1, "ANY /hello/{proxy+}": v2, "GET /hello/fixed": v2, "GET /slow": slow} {
		if _, err := c.v2.CreateRoute(x, &sdkapigw2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String(key), Target: aws.String(target)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.v2.CreateStage(x, &sdkapigw2.CreateStageInput{ApiId: api.ApiId, StageName: aws.String("prod"), AutoDeploy: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	c.allow(t, "http-v1", "all", "arn:aws:execute-api:us-east-1:000000000000:"+*api.ApiId+"/*")
	base := c.url + "/restapis/" + *api.ApiId + "/prod/_user_request_"

	ev := do(t, "GET", base+"/hello/bob?a=1&a=2", "", nil, nil).event(t)
	if ev["version"] != "1.0" || ev["resource"] != "/hello/{name}" || !reflect.DeepEqual(ev["pathParameters"], map[string]any{"name": "bob"}) ||
		!reflect.DeepEqual(ev["multiValueQueryStringParameters"], map[string]any{"a": []any{"1", "2"}}) || get(ev, "requestContext", "stage") != "prod" {
		t.Errorf("payload 1.0: %v", ev)
	}
	// The most specific route wins: a literal over {name}, {name} over {proxy+}, a method over ANY.
	if ev := do(t, "GET", base+"/hello/fixed", "", nil, nil).event(t); ev["routeKey"] != "GET /hello/fixed" {
		t.Errorf("literal route: %v", ev["routeKey"])
	}
	if ev := do(t, "POST", base+"/hello/bob", "", nil, nil).event(t); ev["routeKey"] != "ANY /hello/{proxy+}" ||
		!reflect.DeepEqual(ev["pathParameters"], map[string]any{"proxy": "bob"}) || ev["rawPath"] != "/prod/hello/bob" {
		t.Errorf("ANY greedy route: %v %v %v", ev["routeKey"], ev["pathParameters"], ev["rawPath"])
	}
	do(t, "GET", base+"/nowhere", "", nil, nil).expect(t, 404, "Not Found")
	do(t, "GET", base+"/slow?mode=sleep&seconds=4", "", nil, nil).expect(t, 503, "Service Unavailable")
}
