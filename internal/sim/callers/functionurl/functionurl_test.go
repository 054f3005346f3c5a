package functionurl_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// event is the function URL event httpecho received, as it echoes it in its body.
type event struct {
	Version               string            `json:"version"`
	RawPath               string            `json:"rawPath"`
	RawQueryString        string            `json:"rawQueryString"`
	Cookies               []string          `json:"cookies"`
	Headers               map[string]string `json:"headers"`
	QueryStringParameters map[string]string `json:"queryStringParameters"`
	Body                  string            `json:"body"`
	IsBase64Encoded       bool              `json:"isBase64Encoded"`
	RequestContext        struct {
		AccountID  string `json:"accountId"`
		APIID      string `json:"apiId"`
		DomainName string `json:"domainName"`
		Authorizer *struct {
			IAM struct {
				AccessKey string `json:"accessKey"`
			} `json:"iam"`
		} `json:"authorizer"`
		HTTP struct {
			Method string `json:"method"`
			Path   string `json:"path"`
		} `json:"http"`
	} `json:"requestContext"`
}

// fnURL is a function URL: its host (for Host routing through the simulator's port) and id.
type fnURL struct {
	host, id string
}

func (h *harness) createURL(t *testing.T, fnName string, auth lambdatypes.FunctionUrlAuthType, cors *lambdatypes.Cors) fnURL {
	t.Helper()
	out, err := h.lambda.CreateFunctionUrlConfig(ctx(t), &lambdasdk.CreateFunctionUrlConfigInput{FunctionName: aws.String(fnName), AuthType: auth, Cors: cors})
	if err != nil {
		t.Fatalf("CreateFunctionUrlConfig: %v", err)
	}
	u, err := url.Parse(aws.ToString(out.FunctionUrl))
	if err != nil {
		t.Fatal(err)
	}
	id, _, _ := strings.Cut(u.Host, ".")
	return fnURL{host: u.Host, id: id}
}

// allowPublic adds the two statements AWS requires of a NONE URL.
func (h *harness) allowPublic(t *testing.T, fnName string, which ...string) {
	t.Helper()
	for _, w := range which {
		in := &lambdasdk.AddPermissionInput{FunctionName: aws.String(fnName), StatementId: aws.String(w), Principal: aws.String("*")}
		switch w {
		case "url":
			in.Action, in.FunctionUrlAuthType = aws.String("lambda:InvokeFunctionUrl"), lambdatypes.FunctionUrlAuthTypeNone
		case "invoke":
			in.Action, in.InvokedViaFunctionUrl = aws.String("lambda:InvokeFunction"), aws.Bool(true)
		}
		if _, err := h.lambda.AddPermission(ctx(t), in); err != nil {
			t.Fatalf("AddPermission %s: %v", w, err)
		}
	}
}

// request builds a request to the URL through the simulator's port, routed by Host.
func (h *harness) request(t *testing.T, u fnURL, method, pathAndQuery string, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, h.endpoint+pathAndQuery, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = u.host
	return req
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

func echo(t *testing.T, req *http.Request) (event, *http.Response) {
	t.Helper()
	resp, body := do(t, req)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, body %s", resp.StatusCode, body)
	}
	var ev event
	if err := json.Unmarshal(body, &ev); err != nil {
		t.Fatalf("the body is not the echoed event: %v\n%s", err, body)
	}
	return ev, resp
}

func forbidden(t *testing.T, req *http.Request, why string) {
	t.Helper()
	resp, body := do(t, req)
	if resp.StatusCode != http.StatusForbidden || strings.TrimSpace(string(body)) != `{"Message":"Forbidden"}` {
		t.Errorf("%s: %d %s, want 403 Forbidden", why, resp.StatusCode, body)
	}
}

func TestFunctionURL_none(t *testing.T) {
	h := startTemp(t)
	h.createFunction(t, "url-none")
	u := h.createURL(t, "url-none", lambdatypes.FunctionUrlAuthTypeNone, nil)

	forbidden(t, h.request(t, u, "GET", "/", nil), "no public statement")
	h.allowPublic(t, "url-none", "url")
	forbidden(t, h.request(t, u, "GET", "/", nil), "only lambda:InvokeFunctionUrl")
	h.allowPublic(t, "url-none", "invoke")

	req := h.request(t, u, "GET", "/a/b?x=1&x=2&y=h%C3%A9", nil)
	req.Header.Add("X-Multi", "1")
	req.Header.Add("X-Multi", "2")
	req.Header.Set("Cookie", "c1=v1; c2=v2")
	ev, resp := echo(t, req)
	if ev.Version != "2.0" || ev.RawPath != "/a/b" || ev.RawQueryString != "x=1&x=2&y=h%C3%A9" {
		t.Errorf("version %q rawPath %q rawQueryString %q", ev.Version, ev.RawPath, ev.RawQueryString)
	}
	if !reflect.DeepEqual(ev.QueryStringParameters, map[string]string{"x": "1,2", "y": "hé"}) {
		t.Errorf("queryStringParameters = %v", ev.QueryStringParameters)
	}
	if ev.Headers["x-multi"] != "1,2" || ev.Headers["host"] != u.host || ev.Headers["cookie"] != "" {
		t.Errorf("headers = %v", ev.Headers)
	}
	if !reflect.DeepEqual(ev.Cookies, []string{"c1=v1", "c2=v2"}) {
		t.Errorf("cookies = %v", ev.Cookies)
	}
	if ev.RequestContext.HTTP.Method != "GET" || ev.RequestContext.HTTP.Path != "/a/b" || ev.RequestContext.APIID != u.id ||
		ev.RequestContext.DomainName != u.id+".lambda-url.us-east-1.localhost" || ev.RequestContext.Authorizer != nil {
		t.Errorf("requestContext = %+v", ev.RequestContext)
	}
	if resp.Header.Get("X-Echo") != "one" {
		t.Errorf("response headers = %v", resp.Header)
	}

	// The path form reaches the same URL without a Host header.
	preq, _ := http.NewRequest("GET", h.endpoint+"/_url/"+u.id+"/by/path", nil)
	if ev, _ := echo(t, preq); ev.RawPath != "/by/path" {
		t.Errorf("path form rawPath = %q", ev.RawPath)
	}

	// Cookies in the response become Set-Cookie headers.
	_, resp = echo(t, h.request(t, u, "GET", "/?cookie=session%3Dabc", nil))
	if got := resp.Header.Values("Set-Cookie"); !reflect.DeepEqual(got, []string{"session=abc", "second=2; Path=/"}) {
		t.Errorf("Set-Cookie = %v", got)
	}

	// Binary bodies both ways.
	binary := []byte{0, 1, 2, 0xff}
	breq := h.request(t, u, "POST", "/bin", bytes.NewReader(binary))
	breq.Header.Set("Content-Type", "application/octet-stream")
	ev, _ = echo(t, breq)
	if got, _ := base64.StdEncoding.DecodeString(ev.Body); !ev.IsBase64Encoded || !bytes.Equal(got, binary) {
		t.Errorf("binary request body %q base64 %v", ev.Body, ev.IsBase64Encoded)
	}
	treq := h.request(t, u, "POST", "/text", strings.NewReader("plain text"))
	treq.Header.Set("Content-Type", "text/plain")
	if ev, _ = echo(t, treq); ev.IsBase64Encoded || ev.Body != "plain text" {
		t.Errorf("text request body %q base64 %v", ev.Body, ev.IsBase64Encoded)
	}
	resp, body := do(t, h.request(t, u, "GET", "/?mode=binary", nil))
	if resp.StatusCode != 200 || string(body) != "\x00\x01\x02binary" {
		t.Errorf("binary response %d %q", resp.StatusCode, body)
	}

	// A bare JSON answer is a 200 JSON body; a function error or a bad statusCode is 502.
	resp, body = do(t, h.request(t, u, "GET", "/?mode=raw", nil))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" || strings.TrimSpace(string(body)) != `{"hello":"world"}` {
		t.Errorf("raw answer: %d %v %s", resp.StatusCode, resp.Header, body)
	}
	for _, mode := range []string{"error", "badstatus"} {
		if resp, body := do(t, h.request(t, u, "GET", "/?mode="+mode, nil)); resp.StatusCode != http.StatusBadGateway {
			t.Errorf("mode %s: %d %s, want 502", mode, resp.StatusCode, body)
		}
	}
	// An unknown url id is refused like a missing permission.
	forbidden(t, h.request(t, fnURL{host: strings.Repeat("a", 32) + ".lambda-url.us-east-1.localhost"}, "GET", "/", nil), "unknown url id")
}

func sign(t *testing.T, req *http.Request, service string, body []byte) {
	t.Helper()
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: "AKIDTEST", SecretAccessKey: "test"}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, region, time.Now()); err != nil {
		t.Fatal(err)
	}
}

func TestFunctionURL_iam(t *testing.T) {
	h := startTemp(t)
	h.createFunction(t, "url-iam")
	u := h.createURL(t, "url-iam", lambdatypes.FunctionUrlAuthTypeAwsIam, nil)

	forbidden(t, h.request(t, u, "GET", "/", nil), "unsigned")
	wrong := h.request(t, u, "GET", "/", nil)
	sign(t, wrong, "execute-api", nil)
	forbidden(t, wrong, "signed for another service")

	req := h.request(t, u, "GET", "/signed?q=1", nil)
	sign(t, req, "lambda", nil)
	ev, _ := echo(t, req)
	if ev.RequestContext.Authorizer == nil || ev.RequestContext.Authorizer.IAM.AccessKey != "AKIDTEST" || ev.RequestContext.AccountID != account {
		t.Errorf("requestContext = %+v", ev.RequestContext)
	}
	// The path form: a signed request is routed by its signing name to Lambda, which mounts the front door.
	preq, _ := http.NewRequest("GET", h.endpoint+"/_url/"+u.id+"/p", nil)
	sign(t, preq, "lambda", nil)
	if ev, _ := echo(t, preq); ev.RawPath != "/p" {
		t.Errorf("signed path form rawPath = %q", ev.RawPath)
	}
}

func TestFunctionURL_cors(t *testing.T) {
	h := startTemp(t)
	h.createFunction(t, "url-cors")
	u := h.createURL(t, "url-cors", lambdatypes.FunctionUrlAuthTypeNone, &lambdatypes.Cors{
		AllowOrigins: []string{"https://example.com"}, AllowMethods: []string{"GET", "POST"}, AllowHeaders: []string{"x-custom"},
		ExposeHeaders: []string{"x-echo"}, MaxAge: aws.Int32(300), AllowCredentials: aws.Bool(true),
	})
	h.allowPublic(t, "url-cors", "url", "invoke")

	pre := h.request(t, u, "OPTIONS", "/", nil)
	pre.Header.Set("Origin", "https://example.com")
	pre.Header.Set("Access-Control-Request-Method", "POST")
	resp, _ := do(t, pre)
	want := map[string]string{"Access-Control-Allow-Origin": "https://example.com", "Access-Control-Allow-Methods": "GET,POST",
		"Access-Control-Allow-Headers": "x-custom", "Access-Control-Max-Age": "300", "Access-Control-Allow-Credentials": "true"}
	for k, v := range want {
		if resp.Header.Get(k) != v {
			t.Errorf("preflight %s = %q, want %q", k, resp.Header.Get(k), v)
		}
	}
	if resp.StatusCode != 200 {
		t.Errorf("preflight status %d", resp.StatusCode)
	}
	other := h.request(t, u, "OPTIONS", "/", nil)
	other.Header.Set("Origin", "https://evil.example")
	other.Header.Set("Access-Control-Request-Method", "GET")
	if resp, _ := do(t, other); resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight from a foreign origin allowed")
	}
	get := h.request(t, u, "GET", "/", nil)
	get.Header.Set("Origin", "https://example.com")
	_, resp = echo(t, get)
	if resp.Header.Get("Access-Control-Allow-Origin") != "https://example.com" || resp.Header.Get("Access-Control-Expose-Headers") != "x-echo" {
		t.Errorf("actual response CORS headers = %v", resp.Header)
	}
}
