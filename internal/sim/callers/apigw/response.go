package apigw

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// response is what the front door writes back.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// API Gateway's own answers when it cannot produce the function's response. REST APIs answer
// 502 for a failed or malformed function response and 500 when the invocation itself fails (for
// instance a missing permission); HTTP APIs answer 500 "Internal Server Error" for both
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html,
// https://repost.aws/knowledge-center/malformed-502-api-gateway).
func gatewayError(status int, message, errorType string) response {
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	if errorType != "" {
		h.Set("X-Amzn-ErrorType", errorType)
	}
	return response{Status: status, Header: h, Body: marshal(map[string]string{"message": message})}
}

var (
	restInternalError = func() response { return gatewayError(500, "Internal server error", "InternalServerErrorException") }
	restBadGateway    = func() response { return gatewayError(502, "Internal server error", "InternalServerErrorException") }
	restTimeout       = func() response { return gatewayError(504, "Endpoint request timed out", "") }
	restMissingToken  = func() response {
		return gatewayError(403, "Missing Authentication Token", "MissingAuthenticationTokenException")
	}
	httpInternalError  = func() response { return gatewayError(500, "Internal Server Error", "") }
	httpNotFound       = func() response { return gatewayError(404, "Not Found", "") }
	httpTimeout        = func() response { return gatewayError(503, "Service Unavailable", "") }
	httpForbidden      = func() response { return gatewayError(403, "Forbidden", "") }
	restNotFoundByHost = func() response { return gatewayError(403, "Forbidden", "ForbiddenException") }
)

// v1Response is the function's answer in the proxy format 1.0.
type v1Response struct {
	StatusCode        json.RawMessage              `json:"statusCode"`
	Headers           map[string]json.RawMessage   `json:"headers"`
	MultiValueHeaders map[string][]json.RawMessage `json:"multiValueHeaders"`
	Body              json.RawMessage              `json:"body"`
	IsBase64Encoded   json.RawMessage              `json:"isBase64Encoded"`
	Cookies           []string                     `json:"cookies"`
}

// mapV1Response maps a 1.0 proxy response to HTTP. decodeBinary says, given the response's
// Content-Type, whether a base64 body is sent as bytes (HTTP APIs: always; REST APIs: when the
// API's binaryMediaTypes cover it). ok=false is a malformed response.
func mapV1Response(payload []byte, decodeBinary func(contentType string) bool) (response, bool) {
	var raw v1Response
	if !isJSONObject(payload) || json.Unmarshal(payload, &raw) != nil {
		return response{}, false
	}
	status, ok := statusOf(raw.StatusCode)
	if !ok {
		return response{}, false
	}
	h := http.Header{}
	for name, vals := range raw.MultiValueHeaders {
		for _, v := range vals {
			s, ok := scalar(v)
			if !ok {
				return response{}, false
			}
			h[name] = append(h[name], s)
		}
	}
	// AWS merges headers into multiValueHeaders; a pair present in both appears once.
	for name, v := range raw.Headers {
		s, ok := scalar(v)
		if !ok {
			return response{}, false
		}
		if !contains(h[name], s) {
			h[name] = append(h[name], s)
		}
	}
	body, b64, ok := bodyOf(raw.Body, raw.IsBase64Encoded)
	if !ok {
		return response{}, false
	}
	if b64 && decodeBinary(headerGet(h, "Content-Type")) {
		dec, err := base64.StdEncoding.DecodeString(string(body))
		if err != nil {
			return response{}, false
		}
		body = dec
	}
	if headerGet(h, "Content-Type") == "" {
		h.Set("Content-Type", "application/json")
	}
	return response{Status: status, Header: canonical(h), Body: body}, true
}

// v2Response is the function's answer in the payload format 2.0.
type v2Response struct {
	StatusCode      json.RawMessage            `json:"statusCode"`
	Headers         map[string]json.RawMessage `json:"headers"`
	Body            json.RawMessage            `json:"body"`
	IsBase64Encoded json.RawMessage            `json:"isBase64Encoded"`
	Cookies         []json.RawMessage          `json:"cookies"`
}

// mapV2Response maps a payload 2.0 answer. Valid JSON without statusCode is the simple form:
// 200, application/json, the JSON as the body
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html#http-api-develop-integrations-lambda.response).
func mapV2Response(payload []byte) (response, bool) {
	if !json.Valid(payload) {
		return response{}, false
	}
	var raw v2Response
	if !isJSONObject(payload) || json.Unmarshal(payload, &raw) != nil || raw.StatusCode == nil {
		h := http.Header{}
		h.Set("Content-Type", "application/json")
		return response{Status: 200, Header: h, Body: bytes.TrimSpace(payload)}, true
	}
	status, ok := statusOf(raw.StatusCode)
	if !ok {
		return response{}, false
	}
	h := http.Header{}
	for name, v := range raw.Headers {
		s, ok := scalar(v)
		if !ok {
			return response{}, false
		}
		h[http.CanonicalHeaderKey(name)] = []string{s}
	}
	for _, c := range raw.Cookies {
		s, ok := scalar(c)
		if !ok {
			return response{}, false
		}
		h.Add("Set-Cookie", s)
	}
	body, b64, ok := bodyOf(raw.Body, raw.IsBase64Encoded)
	if !ok {
		return response{}, false
	}
	if b64 {
		dec, err := base64.StdEncoding.DecodeString(string(body))
		if err != nil {
			return response{}, false
		}
		body = dec
	}
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json")
	}
	return response{Status: status, Header: h, Body: body}, true
}

func isJSONObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{' && json.Valid(b)
}

// statusOf reads statusCode: a JSON integer (or a string holding one), 100-599.
func statusOf(raw json.RawMessage) (int, bool) {
	if raw == nil || string(raw) == "null" {
		return 0, false
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return 0, false
		}
		n = json.Number(s)
	}
	v, err := strconv.Atoi(n.String())
	if err != nil || v < 100 || v > 599 {
		return 0, false
	}
	return v, true
}

// scalar reads a header value: a string, number or boolean.
func scalar(raw json.RawMessage) (string, bool) {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return "", false
	}
	switch t := v.(type) {
	case string:
		return t, true
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(t), true
	}
	return "", false
}

// bodyOf reads body (a string or null) and isBase64Encoded (a boolean or null).
func bodyOf(rawBody, rawB64 json.RawMessage) ([]byte, bool, bool) {
	var b64 bool
	if rawB64 != nil && string(rawB64) != "null" {
		if json.Unmarshal(rawB64, &b64) != nil {
			return nil, false, false
		}
	}
	if rawBody == nil || string(rawBody) == "null" {
		return nil, b64, true
	}
	var s string
	if json.Unmarshal(rawBody, &s) != nil {
		return nil, false, false
	}
	return []byte(s), b64, true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func headerGet(h http.Header, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

func canonical(h http.Header) http.Header {
	out := http.Header{}
	for k, v := range h {
		ck := http.CanonicalHeaderKey(k)
		out[ck] = append(out[ck], v...)
	}
	return out
}

func (r response) String() string { return fmt.Sprintf("%d %v %q", r.Status, r.Header, r.Body) }
