package apigw

import (
	"encoding/base64"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// request is what the front door extracted from one HTTP request: everything the events need,
// free of net/http, so the translation is pure.
type request struct {
	Method string
	// Path is the path inside the stage ("/pets/1"); StagePath is what the client called,
	// with the stage segment ("/prod/pets/1", or Path for an HTTP API's $default stage).
	Path      string
	StagePath string
	RawQuery  string
	Header    http.Header
	Host      string
	SourceIP  string
	Protocol  string
	Body      []byte

	APIID      string
	Stage      string
	AccountID  string
	RequestID  string
	Time       time.Time
	DomainName string
	Variables  map[string]string
}

// proxyEventV1 is the Lambda proxy event of REST APIs and of HTTP APIs with payload format 1.0
// (events.APIGatewayProxyRequest in aws-lambda-go; AWS's example:
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format).
// Empty maps and an empty body are null, as API Gateway sends them.
type proxyEventV1 struct {
	Version                         string              `json:"version,omitempty"`
	Resource                        string              `json:"resource"`
	Path                            string              `json:"path"`
	HTTPMethod                      string              `json:"httpMethod"`
	Headers                         map[string]string   `json:"headers"`
	MultiValueHeaders               map[string][]string `json:"multiValueHeaders"`
	QueryStringParameters           map[string]string   `json:"queryStringParameters"`
	MultiValueQueryStringParameters map[string][]string `json:"multiValueQueryStringParameters"`
	PathParameters                  map[string]string   `json:"pathParameters"`
	StageVariables                  map[string]string   `json:"stageVariables"`
	RequestContext                  requestContextV1    `json:"requestContext"`
	Body                            *string             `json:"body"`
	IsBase64Encoded                 bool                `json:"isBase64Encoded"`
}

type requestContextV1 struct {
	AccountID         string     `json:"accountId"`
	APIID             string     `json:"apiId"`
	DomainName        string     `json:"domainName"`
	DomainPrefix      string     `json:"domainPrefix"`
	ExtendedRequestID string     `json:"extendedRequestId"`
	HTTPMethod        string     `json:"httpMethod"`
	Identity          identityV1 `json:"identity"`
	Path              string     `json:"path"`
	Protocol          string     `json:"protocol"`
	RequestID         string     `json:"requestId"`
	RequestTime       string     `json:"requestTime"`
	RequestTimeEpoch  int64      `json:"requestTimeEpoch"`
	ResourceID        string     `json:"resourceId,omitempty"`
	ResourcePath      string     `json:"resourcePath"`
	Stage             string     `json:"stage"`
	RouteKey          string     `json:"routeKey,omitempty"`
}

type identityV1 struct {
	SourceIP  string  `json:"sourceIp"`
	UserAgent string  `json:"userAgent"`
	AccessKey *string `json:"accessKey"`
	AccountID *string `json:"accountId"`
	Caller    *string `json:"caller"`
	User      *string `json:"user"`
	UserARN   *string `json:"userArn"`
}

// proxyEventV2 is the HTTP API payload format 2.0 (events.APIGatewayV2HTTPRequest; AWS's example:
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
type proxyEventV2 struct {
	Version               string            `json:"version"`
	RouteKey              string            `json:"routeKey"`
	RawPath               string            `json:"rawPath"`
	RawQueryString        string            `json:"rawQueryString"`
	Cookies               []string          `json:"cookies,omitempty"`
	Headers               map[string]string `json:"headers"`
	QueryStringParameters map[string]string `json:"queryStringParameters,omitempty"`
	PathParameters        map[string]string `json:"pathParameters,omitempty"`
	StageVariables        map[string]string `json:"stageVariables,omitempty"`
	RequestContext        requestContextV2  `json:"requestContext"`
	Body                  *string           `json:"body,omitempty"`
	IsBase64Encoded       bool              `json:"isBase64Encoded"`
}

type requestContextV2 struct {
	AccountID    string `json:"accountId"`
	APIID        string `json:"apiId"`
	DomainName   string `json:"domainName"`
	DomainPrefix string `json:"domainPrefix"`
	HTTP         struct {
		Method    string `json:"method"`
		Path      string `json:"path"`
		Protocol  string `json:"protocol"`
		SourceIP  string `json:"sourceIp"`
		UserAgent string `json:"userAgent"`
	} `json:"http"`
	RequestID string `json:"requestId"`
	RouteKey  string `json:"routeKey"`
	Stage     string `json:"stage"`
	Time      string `json:"time"`
	TimeEpoch int64  `json:"timeEpoch"`
}

// requestTimeLayout is API Gateway's CLF-style requestTime, e.g. "09/Apr/2015:12:34:56 +0000".
const requestTimeLayout = "02/Jan/2006:15:04:05 -0700"

// restEvent builds a REST API's proxy event. binary says whether the body is sent base64
// (the Content-Type matched the API's binaryMediaTypes).
func restEvent(req request, resourcePath, resourceID string, params map[string]string, binary bool) proxyEventV1 {
	ev := v1Event(req, resourcePath, params, binary)
	ev.RequestContext.ResourceID = resourceID
	return ev
}

// httpEventV1 builds an HTTP API's payload 1.0 event: the REST shape with version "1.0".
func httpEventV1(req request, routeKey, routePath string, params map[string]string) proxyEventV1 {
	ev := v1Event(req, routePath, params, !isTextType(req.Header.Get("Content-Type")))
	ev.Version = "1.0"
	ev.RequestContext.RouteKey = routeKey
	return ev
}

func v1Event(req request, resourcePath string, params map[string]string, binary bool) proxyEventV1 {
	single, multi := v1Headers(req)
	qs, mqs := v1Query(req.RawQuery)
	ev := proxyEventV1{
		Resource:                        resourcePath,
		Path:                            req.Path,
		HTTPMethod:                      req.Method,
		Headers:                         single,
		MultiValueHeaders:               multi,
		QueryStringParameters:           qs,
		MultiValueQueryStringParameters: mqs,
		PathParameters:                  nonEmpty(params),
		StageVariables:                  nonEmpty(req.Variables),
		RequestContext: requestContextV1{
			AccountID:         req.AccountID,
			APIID:             req.APIID,
			DomainName:        req.DomainName,
			DomainPrefix:      req.APIID,
			ExtendedRequestID: req.RequestID,
			HTTPMethod:        req.Method,
			Identity:          identityV1{SourceIP: req.SourceIP, UserAgent: req.Header.Get("User-Agent")},
			Path:              req.StagePath,
			Protocol:          req.Protocol,
			RequestID:         req.RequestID,
			RequestTime:       req.Time.UTC().Format(requestTimeLayout),
			RequestTimeEpoch:  req.Time.UnixMilli(),
			ResourcePath:      resourcePath,
			Stage:             req.Stage,
		},
	}
	ev.Body, ev.IsBase64Encoded = encodeBody(req.Body, binary)
	return ev
}

// httpEventV2 builds an HTTP API's payload 2.0 event: headers lowercased and comma-joined,
// cookies taken out of the Cookie header, query parameters comma-joined, binary bodies base64.
func httpEventV2(req request, routeKey string, params map[string]string) proxyEventV2 {
	headers := map[string]string{}
	var cookies []string
	for name, values := range withHost(req) {
		lname := strings.ToLower(name)
		if lname == "cookie" {
			for _, v := range values {
				for _, c := range strings.Split(v, ";") {
					if c = strings.TrimSpace(c); c != "" {
						cookies = append(cookies, c)
					}
				}
			}
			continue
		}
		headers[lname] = strings.Join(values, ",")
	}
	var qs map[string]string
	if _, mqs := v1Query(req.RawQuery); mqs != nil {
		qs = map[string]string{}
		for k, v := range mqs {
			qs[k] = strings.Join(v, ",")
		}
	}
	ev := proxyEventV2{
		Version:               "2.0",
		RouteKey:              routeKey,
		RawPath:               req.StagePath,
		RawQueryString:        req.RawQuery,
		Cookies:               cookies,
		Headers:               headers,
		QueryStringParameters: qs,
		PathParameters:        nonEmpty(params),
		StageVariables:        nonEmpty(req.Variables),
	}
	rc := &ev.RequestContext
	rc.AccountID, rc.APIID, rc.DomainName, rc.DomainPrefix = req.AccountID, req.APIID, req.DomainName, req.APIID
	rc.HTTP.Method, rc.HTTP.Path, rc.HTTP.Protocol = req.Method, req.StagePath, req.Protocol
	rc.HTTP.SourceIP, rc.HTTP.UserAgent = req.SourceIP, req.Header.Get("User-Agent")
	rc.RequestID, rc.RouteKey, rc.Stage = req.RequestID, routeKey, req.Stage
	rc.Time, rc.TimeEpoch = req.Time.UTC().Format(requestTimeLayout), req.Time.UnixMilli()
	ev.Body, ev.IsBase64Encoded = encodeBody(req.Body, !isTextType(req.Header.Get("Content-Type")))
	if ev.Body == nil {
		ev.IsBase64Encoded = false
	}
	return ev
}

// withHost is the request's headers with Host, which net/http keeps apart.
func withHost(req request) http.Header {
	h := req.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if req.Host != "" {
		h["Host"] = []string{req.Host}
	}
	return h
}

// v1Headers gives the single-value map (the last value of a repeated header, as API Gateway
// does) and the multi-value map; both null when there are no headers.
func v1Headers(req request) (map[string]string, map[string][]string) {
	h := withHost(req)
	if len(h) == 0 {
		return nil, nil
	}
	single, multi := map[string]string{}, map[string][]string{}
	for name, values := range h {
		if len(values) == 0 {
			continue
		}
		single[name] = values[len(values)-1]
		multi[name] = append([]string(nil), values...)
	}
	return single, multi
}

// v1Query gives the single-value (last value) and multi-value query maps; null when empty.
func v1Query(raw string) (map[string]string, map[string][]string) {
	if raw == "" {
		return nil, nil
	}
	single, multi := map[string]string{}, map[string][]string{}
	for _, pair := range strings.Split(raw, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if uv, err := url.QueryUnescape(v); err == nil {
			v = uv
		}
		single[k] = v
		multi[k] = append(multi[k], v)
	}
	if len(multi) == 0 {
		return nil, nil
	}
	return single, multi
}

func encodeBody(body []byte, binary bool) (*string, bool) {
	if len(body) == 0 {
		return nil, false
	}
	if binary {
		s := base64.StdEncoding.EncodeToString(body)
		return &s, true
	}
	s := string(body)
	return &s, false
}

func nonEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

// isTextType reports whether HTTP APIs pass a body of this Content-Type as text; everything else
// (including a missing Content-Type) is base64-encoded
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
func isTextType(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(mt, "text/"),
		mt == "application/json", strings.HasSuffix(mt, "+json"),
		mt == "application/xml", strings.HasSuffix(mt, "+xml"),
		mt == "application/javascript", mt == "application/ecmascript":
		return true
	}
	return false
}

// matchesMediaType reports whether a Content-Type or Accept value matches one of a REST API's
// binaryMediaTypes ("image/png", "image/*", "*/*").
func matchesMediaType(value string, types []string) bool {
	if value == "" || len(types) == 0 {
		return false
	}
	for _, v := range strings.Split(value, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(v))
		if err != nil {
			continue
		}
		for _, t := range types {
			t = strings.ToLower(strings.TrimSpace(t))
			if t == "*/*" || t == mt || strings.HasSuffix(t, "/*") && strings.HasPrefix(mt, strings.TrimSuffix(t, "*")) {
				return true
			}
		}
	}
	return false
}

func marshal(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
