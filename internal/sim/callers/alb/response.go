package alb

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// Response is the ALBTargetGroupResponse a function answers (aws-lambda-go
// events.ALBTargetGroupResponse).
type Response struct {
	StatusCode        json.Number         `json:"statusCode"`
	StatusDescription string              `json:"statusDescription"`
	Headers           map[string]string   `json:"headers"`
	MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
	Body              string              `json:"body"`
	IsBase64Encoded   bool                `json:"isBase64Encoded"`
}

// parsed is a response the load balancer can write.
type parsed struct {
	status  int
	headers http.Header
	body    []byte
}

// parseResponse checks a function's answer as the load balancer does: a JSON object with an
// integer statusCode; with multi-value headers on, the headers are multiValueHeaders, else headers.
func parseResponse(payload []byte, multi bool) (*parsed, error) {
	trimmed := bytes.TrimSpace(payload)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, errors.New("the response is not a JSON object")
	}
	var resp Response
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	if err := dec.Decode(&resp); err != nil {
		return nil, fmt.Errorf("the response does not have the ALB shape: %w", err)
	}
	status, err := resp.StatusCode.Int64()
	if resp.StatusCode == "" || err != nil || status < 100 || status > 599 {
		return nil, errors.New("the response has no valid integer statusCode")
	}
	out := &parsed{status: int(status), headers: http.Header{}}
	if multi {
		for k, vs := range resp.MultiValueHeaders {
			for _, v := range vs {
				out.headers.Add(k, v)
			}
		}
	} else {
		for k, v := range resp.Headers {
			out.headers.Set(k, v)
		}
	}
	if resp.IsBase64Encoded {
		out.body, err = base64.StdEncoding.DecodeString(resp.Body)
		if err != nil {
			return nil, fmt.Errorf("the body is not valid base64: %w", err)
		}
	} else {
		out.body = []byte(resp.Body)
	}
	return out, nil
}

// errorPage answers as an ALB answers its own errors: the HTML page and the awselb server name.
func errorPage(w http.ResponseWriter, status int) {
	text := fmt.Sprintf("%d %s", status, http.StatusText(status))
	w.Header().Set("Server", "awselb/2.0")
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1></center>\r\n</body>\r\n</html>\r\n", text, text)
}
