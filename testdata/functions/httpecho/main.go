// Command httpecho is a test function for the HTTP front doors (ALB target groups and function
// URLs): it answers with a response whose body is the event it received, so a test can check every
// field the caller mapped from the HTTP request. Query parameters change what it answers:
//
//	mode=malformed  a JSON string instead of a response object (an ALB answers 502)
//	mode=badstatus  a response object whose statusCode is not a number
//	mode=raw        a JSON object without statusCode (a function URL infers a 200 JSON answer)
//	mode=error      a function error
//	mode=binary     the body "\x00\x01\x02binary" base64-encoded with isBase64Encoded true
//	status=N        the status code to answer (default 200)
//	cookie=V        (function URLs) a cookie to set through the response's cookies member
package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/aws/aws-lambda-go/lambda"
)

// event holds the members of both event shapes that decide the answer.
type event struct {
	QueryStringParameters           map[string]string   `json:"queryStringParameters"`
	MultiValueQueryStringParameters map[string][]string `json:"multiValueQueryStringParameters"`
	MultiValueHeaders               map[string][]string `json:"multiValueHeaders"`
	RequestContext                  struct {
		ELB *struct {
			TargetGroupArn string `json:"targetGroupArn"`
		} `json:"elb"`
	} `json:"requestContext"`
}

func (e event) query(name string) string {
	if v, ok := e.QueryStringParameters[name]; ok {
		return v
	}
	if vs := e.MultiValueQueryStringParameters[name]; len(vs) > 0 {
		return vs[len(vs)-1]
	}
	return ""
}

func handle(_ context.Context, raw json.RawMessage) (any, error) {
	var ev event
	if err := json.Unmarshal(raw, &ev); err != nil {
		return nil, err
	}
	switch ev.query("mode") {
	case "malformed":
		return "this is not a response object", nil
	case "badstatus":
		return map[string]any{"statusCode": "two hundred", "body": "x"}, nil
	case "raw":
		return map[string]any{"hello": "world"}, nil
	case "error":
		return nil, errors.New("httpecho was asked to fail")
	}
	status := 200
	if s := ev.query("status"); s != "" {
		status, _ = strconv.Atoi(s)
	}
	resp := map[string]any{"statusCode": status}
	body, base64Encoded := string(raw), false
	contentType := "application/json"
	if ev.query("mode") == "binary" {
		body, base64Encoded = base64.StdEncoding.EncodeToString([]byte("\x00\x01\x02binary")), true
		contentType = "application/octet-stream"
	}
	resp["body"], resp["isBase64Encoded"] = body, base64Encoded
	if ev.RequestContext.ELB != nil {
		resp["statusDescription"] = strconv.Itoa(status) + " Echo"
	}
	if ev.MultiValueHeaders != nil {
		resp["multiValueHeaders"] = map[string][]string{
			"Content-Type": {contentType},
			"X-Echo":       {"one", "two"},
		}
	} else {
		resp["headers"] = map[string]string{"Content-Type": contentType, "X-Echo": "one"}
	}
	if c := ev.query("cookie"); c != "" {
		resp["cookies"] = []string{c, "second=2; Path=/"}
	}
	return resp, nil
}

func main() { lambda.Start(handle) }
