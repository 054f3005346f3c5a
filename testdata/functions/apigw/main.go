// Command apigw is a test function for API Gateway proxy integrations (payload 1.0 and 2.0). By
// default it answers 200 with the whole event it received as the JSON body, plus headers, a
// multi-value header and cookies. The query parameter "mode" changes that:
//
//	mode=malformed  a response API Gateway must reject (body is an object, not a string)
//	mode=error      a function error
//	mode=sleep      sleeps "seconds" (default 2) first, ignoring its deadline
//	mode=binary     answers the request body (base64 in the event) as binary, image/png
//	mode=simple     the payload 2.0 simple form: a JSON object without statusCode
//	status=NNN      the status code to answer
package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
)

type event struct {
	Version               string            `json:"version"`
	QueryStringParameters map[string]string `json:"queryStringParameters"`
	Body                  *string           `json:"body"`
	IsBase64Encoded       bool              `json:"isBase64Encoded"`
}

func handle(_ context.Context, raw json.RawMessage) (any, error) {
	var ev event
	if err := json.Unmarshal(raw, &ev); err != nil {
		return nil, err
	}
	q := ev.QueryStringParameters
	status := 200
	if s, err := strconv.Atoi(q["status"]); err == nil {
		status = s
	}
	switch q["mode"] {
	case "malformed":
		return map[string]any{"statusCode": 200, "body": map[string]any{"not": "a string"}}, nil
	case "error":
		return nil, errors.New("the function failed on purpose")
	case "sleep":
		secs, err := strconv.ParseFloat(q["seconds"], 64)
		if err != nil {
			secs = 2
		}
		time.Sleep(time.Duration(secs * float64(time.Second)))
	case "binary":
		body := ""
		if ev.Body != nil {
			body = *ev.Body
			if !ev.IsBase64Encoded {
				body = base64.StdEncoding.EncodeToString([]byte(body))
			}
		}
		return map[string]any{"statusCode": status, "headers": map[string]string{"Content-Type": "image/png"},
			"body": body, "isBase64Encoded": true}, nil
	case "simple":
		return map[string]any{"simple": true, "version": ev.Version}, nil
	}
	return map[string]any{
		"statusCode":        status,
		"headers":           map[string]string{"Content-Type": "application/json", "X-Echo": "yes"},
		"multiValueHeaders": map[string][]string{"X-Multi": {"a", "b"}},
		"cookies":           []string{"c1=v1; Path=/", "c2=v2"},
		"body":              string(raw),
	}, nil
}

func main() { lambda.Start(handle) }
