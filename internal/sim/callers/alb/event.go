package alb

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Request is the ALBTargetGroupRequest event (aws-lambda-go events.ALBTargetGroupRequest). The
// single-value and multi-value members are exclusive: which one is sent depends on the target
// group's lambda.multi_value_headers.enabled.
type Request struct {
	HTTPMethod                      string              `json:"httpMethod"`
	Path                            string              `json:"path"`
	QueryStringParameters           map[string]string   `json:"queryStringParameters,omitempty"`
	MultiValueQueryStringParameters map[string][]string `json:"multiValueQueryStringParameters,omitempty"`
	Headers                         map[string]string   `json:"headers,omitempty"`
	MultiValueHeaders               map[string][]string `json:"multiValueHeaders,omitempty"`
	RequestContext                  RequestContext      `json:"requestContext"`
	IsBase64Encoded                 bool                `json:"isBase64Encoded"`
	Body                            string              `json:"body"`
}

// RequestContext names the target group that forwarded the request.
type RequestContext struct {
	ELB struct {
		TargetGroupArn string `json:"targetGroupArn"`
	} `json:"elb"`
}

// buildEvent maps an HTTP request to the event. path is the path the listener saw (the part after
// /_alb/<name>/<port> for the path form), rawQuery the query string as sent.
func buildEvent(r *http.Request, path, rawQuery string, body []byte, tgARN string, listenerPort int, multi bool, now time.Time) Request {
	ev := Request{HTTPMethod: r.Method, Path: path}
	ev.RequestContext.ELB.TargetGroupArn = tgARN

	query := splitQuery(rawQuery)
	headers := map[string][]string{}
	for k, vs := range r.Header {
		headers[strings.ToLower(k)] = append(headers[strings.ToLower(k)], vs...)
	}
	headers["host"] = []string{r.Host}
	if ip, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		headers["x-forwarded-for"] = append(headers["x-forwarded-for"], ip)
	}
	headers["x-forwarded-port"] = []string{strconv.Itoa(listenerPort)}
	headers["x-forwarded-proto"] = []string{"http"}
	if len(headers["x-amzn-trace-id"]) == 0 {
		headers["x-amzn-trace-id"] = []string{traceID(now)}
	}

	if multi {
		ev.MultiValueQueryStringParameters = map[string][]string{}
		for _, kv := range query {
			ev.MultiValueQueryStringParameters[kv[0]] = append(ev.MultiValueQueryStringParameters[kv[0]], kv[1])
		}
		ev.MultiValueHeaders = headers
	} else {
		ev.QueryStringParameters = map[string]string{}
		for _, kv := range query {
			ev.QueryStringParameters[kv[0]] = kv[1] // the last value wins
		}
		ev.Headers = map[string]string{}
		for k, vs := range headers {
			ev.Headers[k] = vs[len(vs)-1]
		}
	}
	if len(body) > 0 {
		if isText(r.Header.Get("Content-Type"), r.Header.Get("Content-Encoding"), body) {
			ev.Body = string(body)
		} else {
			ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(body), true
		}
	}
	return ev
}

// splitQuery splits a raw query string into key/value pairs, in order, without URL-decoding them:
// the load balancer passes parameters as the client sent them.
func splitQuery(raw string) [][2]string {
	var out [][2]string
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		out = append(out, [2]string{k, v})
	}
	return out
}

// isText decides whether a body is passed as text: an uncompressed body of a textual media type
// that is valid UTF-8. (AWS does not document the exact list; this is the simulator's rule.)
func isText(contentType, contentEncoding string, body []byte) bool {
	if contentEncoding != "" && contentEncoding != "identity" {
		return false
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	textual := strings.HasPrefix(mt, "text/") || strings.HasSuffix(mt, "+json") || strings.HasSuffix(mt, "+xml")
	switch mt {
	case "application/json", "application/javascript", "application/xml", "application/x-www-form-urlencoded":
		textual = true
	}
	return textual && utf8.Valid(body)
}

// traceID is an X-Ray trace header as an ALB adds it: Root=1-<8 hex epoch seconds>-<24 hex>.
func traceID(now time.Time) string {
	b := make([]byte, 12)
	rand.Read(b)
	return fmt.Sprintf("Root=1-%08x-%s", now.Unix(), hex.EncodeToString(b))
}
