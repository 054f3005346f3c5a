package alb_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/smithy-go"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// alb is one load balancer forwarding to one lambda target group.
type albSetup struct {
	name, dns, tgARN, listenerARN, fnARN string
	port                                 int32
}

// setup wires the function fnARN (none when empty) behind a new load balancer: target group, the
// permission for Elastic Load Balancing from that group, RegisterTargets, listener on port 80.
func (h *harness) setup(t *testing.T, name, fnARN string, multi bool) albSetup {
	t.Helper()
	c := ctx(t)
	s := albSetup{name: name, port: 80}
	lb, err := h.elb.CreateLoadBalancer(c, &elbsdk.CreateLoadBalancerInput{Name: aws.String(name), Subnets: []string{"subnet-1", "subnet-2"}})
	if err != nil {
		t.Fatalf("CreateLoadBalancer: %v", err)
	}
	s.dns = aws.ToString(lb.LoadBalancers[0].DNSName)
	tg, err := h.elb.CreateTargetGroup(c, &elbsdk.CreateTargetGroupInput{Name: aws.String(name + "-tg"), TargetType: elbtypes.TargetTypeEnumLambda})
	if err != nil {
		t.Fatalf("CreateTargetGroup: %v", err)
	}
	s.tgARN = aws.ToString(tg.TargetGroups[0].TargetGroupArn)
	if fnARN != "" {
		s.fnARN = fnARN
		if _, err := h.lambda.AddPermission(c, &lambdasdk.AddPermissionInput{FunctionName: aws.String(fnARN), StatementId: aws.String("elb-" + name),
			Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("elasticloadbalancing.amazonaws.com"), SourceArn: aws.String(s.tgARN)}); err != nil {
			t.Fatalf("AddPermission: %v", err)
		}
		if _, err := h.elb.RegisterTargets(c, &elbsdk.RegisterTargetsInput{TargetGroupArn: aws.String(s.tgARN), Targets: []elbtypes.TargetDescription{{Id: aws.String(s.fnARN)}}}); err != nil {
			t.Fatalf("RegisterTargets: %v", err)
		}
	}
	if multi {
		if _, err := h.elb.ModifyTargetGroupAttributes(c, &elbsdk.ModifyTargetGroupAttributesInput{TargetGroupArn: aws.String(s.tgARN),
			Attributes: []elbtypes.TargetGroupAttribute{{Key: aws.String("lambda.multi_value_headers.enabled"), Value: aws.String("true")}}}); err != nil {
			t.Fatalf("ModifyTargetGroupAttributes: %v", err)
		}
	}
	l, err := h.elb.CreateListener(c, &elbsdk.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Port: aws.Int32(80),
		Protocol: elbtypes.ProtocolEnumHttp, DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: aws.String(s.tgARN)}}})
	if err != nil {
		t.Fatalf("CreateListener: %v", err)
	}
	s.listenerARN = aws.ToString(l.Listeners[0].ListenerArn)
	return s
}

func (s albSetup) pathURL(h *harness, pathAndQuery string) string {
	return fmt.Sprintf("%s/_alb/%s/%d%s", h.endpoint, s.name, s.port, pathAndQuery)
}

// event is the ALB event httpecho received, as it echoes it in its body.
type event struct {
	HTTPMethod                      string              `json:"httpMethod"`
	Path                            string              `json:"path"`
	QueryStringParameters           map[string]string   `json:"queryStringParameters"`
	MultiValueQueryStringParameters map[string][]string `json:"multiValueQueryStringParameters"`
	Headers                         map[string]string   `json:"headers"`
	MultiValueHeaders               map[string][]string `json:"multiValueHeaders"`
	Body                            string              `json:"body"`
	IsBase64Encoded                 bool                `json:"isBase64Encoded"`
	RequestContext                  struct {
		ELB struct {
			TargetGroupArn string `json:"targetGroupArn"`
		} `json:"elb"`
	} `json:"requestContext"`
}

func do(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

func echoed(t *testing.T, resp *http.Response, body []byte) event {
	t.Helper()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, body %s", resp.StatusCode, body)
	}
	var ev event
	if err := json.Unmarshal(body, &ev); err != nil {
		t.Fatalf("the body is not the echoed event: %v\n%s", err, body)
	}
	return ev
}

func echoReq(t *testing.T, req *http.Request) event {
	t.Helper()
	resp, body := do(t, req)
	return echoed(t, resp, body)
}

func TestALB_basic(t *testing.T) {
	h, fn := sharedHarness(t)
	s := h.setup(t, "basic", fn, false)

	// Path form: method, path, query (not decoded; last value wins), headers (lowercased).
	req, _ := http.NewRequest(http.MethodGet, s.pathURL(h, "/hello/world?a=1&a=2&b=x%20y"), nil)
	req.Header.Set("X-Test", "v")
	resp, body := do(t, req)
	ev := echoed(t, resp, body)
	if ev.HTTPMethod != "GET" || ev.Path != "/hello/world" {
		t.Errorf("method %q path %q", ev.HTTPMethod, ev.Path)
	}
	if !reflect.DeepEqual(ev.QueryStringParameters, map[string]string{"a": "2", "b": "x%20y"}) {
		t.Errorf("queryStringParameters = %v", ev.QueryStringParameters)
	}
	if ev.Headers["x-test"] != "v" || ev.Headers["x-forwarded-port"] != "80" || ev.Headers["x-forwarded-proto"] != "http" || !strings.HasPrefix(ev.Headers["x-amzn-trace-id"], "Root=1-") {
		t.Errorf("headers = %v", ev.Headers)
	}
	if ev.MultiValueHeaders != nil || ev.MultiValueQueryStringParameters != nil {
		t.Errorf("multi-value members sent with the attribute off: %v %v", ev.MultiValueHeaders, ev.MultiValueQueryStringParameters)
	}
	if ev.RequestContext.ELB.TargetGroupArn != s.tgARN || ev.IsBase64Encoded || ev.Body != "" {
		t.Errorf("requestContext %q isBase64Encoded %v body %q", ev.RequestContext.ELB.TargetGroupArn, ev.IsBase64Encoded, ev.Body)
	}
	if resp.Header.Get("X-Echo") != "one" || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("response headers %v", resp.Header)
	}

	// A JSON body is passed as text, a binary one base64-encoded.
	req, _ = http.NewRequest(http.MethodPost, s.pathURL(h, "/post"), strings.NewReader(`{"k":"v"}`))
	req.Header.Set("Content-Type", "application/json")
	ev = echoReq(t, req)
	if ev.HTTPMethod != "POST" || ev.Body != `{"k":"v"}` || ev.IsBase64Encoded {
		t.Errorf("JSON body: %q base64 %v", ev.Body, ev.IsBase64Encoded)
	}
	binary := []byte{0, 1, 2, 0xff, 0xfe}
	req, _ = http.NewRequest(http.MethodPut, s.pathURL(h, "/bin"), bytes.NewReader(binary))
	req.Header.Set("Content-Type", "application/octet-stream")
	ev = echoReq(t, req)
	if got, _ := base64.StdEncoding.DecodeString(ev.Body); !ev.IsBase64Encoded || !bytes.Equal(got, binary) {
		t.Errorf("binary body: %q base64 %v", ev.Body, ev.IsBase64Encoded)
	}

	// A base64 response body is decoded.
	resp, body = do(t, mustRequest(http.MethodGet, s.pathURL(h, "/?mode=binary")))
	if resp.StatusCode != 200 || string(body) != "\x00\x01\x02binary" || resp.Header.Get("Content-Type") != "application/octet-stream" {
		t.Errorf("binary response: %d %q %v", resp.StatusCode, body, resp.Header)
	}

	// Host form through the simulator's port, and the listener's own loopback port.
	req = mustRequest(http.MethodGet, h.endpoint+"/by-host?x=1")
	req.Host = s.dns
	ev = echoReq(t, req)
	if ev.Path != "/by-host" || ev.Headers["host"] != s.dns {
		t.Errorf("host form: path %q host %q", ev.Path, ev.Headers["host"])
	}
	addr := h.fd.Addresses()[s.listenerARN]
	if addr == "" {
		t.Fatalf("no loopback address for the listener: %v", h.fd.Addresses())
	}
	ev = echoReq(t, mustRequest(http.MethodGet, "http://"+addr+"/direct"))
	if ev.Path != "/direct" {
		t.Errorf("loopback listener: path %q", ev.Path)
	}

	// A status code from the function is kept.
	resp, _ = do(t, mustRequest(http.MethodGet, s.pathURL(h, "/?status=404")))
	if resp.StatusCode != 404 {
		t.Errorf("status = %d, want 404", resp.StatusCode)
	}
}

func mustRequest(method, u string) *http.Request {
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		panic(err)
	}
	return req
}

func TestALB_multiValueHeaders(t *testing.T) {
	h, fn := sharedHarness(t)
	s := h.setup(t, "multi", fn, true)
	req := mustRequest(http.MethodGet, s.pathURL(h, "/m?a=1&a=2&b=3"))
	req.Header.Add("X-Multi", "1")
	req.Header.Add("X-Multi", "2")
	resp, body := do(t, req)
	ev := echoed(t, resp, body)
	if !reflect.DeepEqual(ev.MultiValueHeaders["x-multi"], []string{"1", "2"}) || ev.Headers != nil {
		t.Errorf("multiValueHeaders %v headers %v", ev.MultiValueHeaders["x-multi"], ev.Headers)
	}
	if !reflect.DeepEqual(ev.MultiValueQueryStringParameters, map[string][]string{"a": {"1", "2"}, "b": {"3"}}) || ev.QueryStringParameters != nil {
		t.Errorf("multiValueQueryStringParameters %v queryStringParameters %v", ev.MultiValueQueryStringParameters, ev.QueryStringParameters)
	}
	if got := resp.Header.Values("X-Echo"); !reflect.DeepEqual(got, []string{"one", "two"}) {
		t.Errorf("response X-Echo = %v, want both values", got)
	}

	// Switching the attribute off changes the next event's shape.
	if _, err := h.elb.ModifyTargetGroupAttributes(ctx(t), &elbsdk.ModifyTargetGroupAttributesInput{TargetGroupArn: aws.String(s.tgARN),
		Attributes: []elbtypes.TargetGroupAttribute{{Key: aws.String("lambda.multi_value_headers.enabled"), Value: aws.String("false")}}}); err != nil {
		t.Fatal(err)
	}
	ev = echoReq(t, req)
	if ev.Headers["x-multi"] != "2" || ev.MultiValueHeaders != nil {
		t.Errorf("after turning multi-value off: headers %v multi %v", ev.Headers, ev.MultiValueHeaders)
	}
}

func TestALB_badGateway(t *testing.T) {
	h, fn := sharedHarness(t)
	s := h.setup(t, "bad", fn, false)
	for _, mode := range []string{"malformed", "badstatus", "error"} {
		resp, body := do(t, mustRequest(http.MethodGet, s.pathURL(h, "/?mode="+mode)))
		if resp.StatusCode != http.StatusBadGateway || resp.Header.Get("Server") != "awselb/2.0" || !strings.Contains(string(body), "502 Bad Gateway") {
			t.Errorf("mode %s: %d %v %q", mode, resp.StatusCode, resp.Header, body)
		}
	}
	// A request body over 1 MB is refused before the function runs.
	req, _ := http.NewRequest(http.MethodPost, s.pathURL(h, "/"), bytes.NewReader(make([]byte, 1<<20+1)))
	if resp, _ := do(t, req); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("1 MB + 1 body: %d", resp.StatusCode)
	}
	// An unknown load balancer or listener port is not found.
	if resp, _ := do(t, mustRequest(http.MethodGet, fmt.Sprintf("%s/_alb/%s/81/", h.endpoint, s.name))); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown port: %d", resp.StatusCode)
	}
}

func TestALB_permission(t *testing.T) {
	h, fnARN := sharedHarness(t)
	s := h.setup(t, "perm", "", false)
	c := ctx(t)

	// RegisterTargets refuses a function Elastic Load Balancing may not invoke, with AWS's text.
	_, err := h.elb.RegisterTargets(c, &elbsdk.RegisterTargetsInput{TargetGroupArn: aws.String(s.tgARN), Targets: []elbtypes.TargetDescription{{Id: aws.String(fnARN)}}})
	var apiErr smithy.APIError
	want := fmt.Sprintf("elasticloadbalancing principal does not have permission to invoke %s from target group %s", fnARN, s.tgARN)
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "AccessDenied" || apiErr.ErrorMessage() != want {
		t.Fatalf("RegisterTargets without permission: %v", err)
	}
	// With no target the load balancer answers 503.
	if resp, _ := do(t, mustRequest(http.MethodGet, s.pathURL(h, "/"))); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("no target: %d", resp.StatusCode)
	}
	// A permission for another target group does not do.
	if _, err := h.lambda.AddPermission(c, &lambdasdk.AddPermissionInput{FunctionName: aws.String(fnARN), StatementId: aws.String("perm-other"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("elasticloadbalancing.amazonaws.com"),
		SourceArn: aws.String("arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/other/0123456789abcdef")}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.elb.RegisterTargets(c, &elbsdk.RegisterTargetsInput{TargetGroupArn: aws.String(s.tgARN), Targets: []elbtypes.TargetDescription{{Id: aws.String(fnARN)}}}); !errors.As(err, &apiErr) || apiErr.ErrorCode() != "AccessDenied" {
		t.Fatalf("RegisterTargets with another group's permission: %v", err)
	}
	if _, err := h.lambda.AddPermission(c, &lambdasdk.AddPermissionInput{FunctionName: aws.String(fnARN), StatementId: aws.String("perm-elb"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("elasticloadbalancing.amazonaws.com"), SourceArn: aws.String(s.tgARN)}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.elb.RegisterTargets(c, &elbsdk.RegisterTargetsInput{TargetGroupArn: aws.String(s.tgARN), Targets: []elbtypes.TargetDescription{{Id: aws.String(fnARN)}}}); err != nil {
		t.Fatalf("RegisterTargets with the permission: %v", err)
	}
	if resp, body := do(t, mustRequest(http.MethodGet, s.pathURL(h, "/ok"))); resp.StatusCode != 200 {
		t.Fatalf("with the permission: %d %s", resp.StatusCode, body)
	}
	// The permission removed later: the load balancer cannot invoke the function.
	if _, err := h.lambda.RemovePermission(c, &lambdasdk.RemovePermissionInput{FunctionName: aws.String(fnARN), StatementId: aws.String("perm-elb")}); err != nil {
		t.Fatal(err)
	}
	if resp, _ := do(t, mustRequest(http.MethodGet, s.pathURL(h, "/"))); resp.StatusCode != http.StatusBadGateway {
		t.Errorf("after RemovePermission: %d, want 502", resp.StatusCode)
	}
}

func TestALB_listenersSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	h := start(t, st)
	s := h.setup(t, "restart", "", false)
	addr := h.fd.Addresses()[s.listenerARN]
	if resp, _ := do(t, mustRequest(http.MethodGet, "http://"+addr+"/")); resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("before restart: %d", resp.StatusCode)
	}
	h.close()
	if _, err := http.Get("http://" + addr + "/"); err == nil {
		t.Errorf("the loopback listener still answers after Close")
	}

	st, err = store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	h = start(t, st)
	addr = h.fd.Addresses()[s.listenerARN]
	if addr == "" {
		t.Fatalf("the listener was not reopened: %v", h.fd.Addresses())
	}
	if resp, _ := do(t, mustRequest(http.MethodGet, "http://"+addr+"/")); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("after restart: %d", resp.StatusCode)
	}
	// Deleting the load balancer closes its listeners' ports.
	lbs, err := h.elb.DescribeLoadBalancers(ctx(t), &elbsdk.DescribeLoadBalancersInput{Names: []string{"restart"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.elb.DeleteLoadBalancer(ctx(t), &elbsdk.DeleteLoadBalancerInput{LoadBalancerArn: lbs.LoadBalancers[0].LoadBalancerArn}); err != nil {
		t.Fatal(err)
	}
	if len(h.fd.Addresses()) != 0 {
		t.Errorf("listeners left after DeleteLoadBalancer: %v", h.fd.Addresses())
	}
}
