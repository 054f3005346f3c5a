package functionurl

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"mime"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Request is the LambdaFunctionURLRequest event (aws-lambda-go events.LambdaFunctionURLRequest).
type Request struct {
	Version               string            `json:"version"`
	RawPath               string            `json:"rawPath"`
	RawQueryString        string            `json:"rawQueryString"`
	Cookies               []string          `json:"cookies,omitempty"`
	Headers               map[string]string `json:"headers"`
	QueryStringParameters map[string]string `json:"queryStringParameters,omitempty"`
	RequestContext        RequestContext    `json:"requestContext"`
	Body                  string            `json:"body,omitempty"`
	IsBase64Encoded       bool              `json:"isBase64Encoded"`
}

// RequestContext is the event's requestContext.
type RequestContext struct {
	AccountID    string      `json:"accountId"`
	RequestID    string      `json:"requestId"`
	Authorizer   *Authorizer `json:"authorizer,omitempty"`
	APIID        string      `json:"apiId"`
	DomainName   string      `json:"domainName"`
	DomainPrefix string      `json:"domainPrefix"`
	Time         string      `json:"time"`
	TimeEpoch    int64       `json:"timeEpoch"`
	HTTP         HTTP        `json:"http"`
}

// Authorizer carries the caller's IAM identity for AWS_IAM URLs.
type Authorizer struct {
	IAM *IAM `json:"iam,omitempty"`
}

// IAM is the signer as Lambda reports it; the simulator knows only the access key.
type IAM struct {
	AccessKey string `json:"accessKey"`
	AccountID string `json:"accountId"`
	CallerID  string `json:"callerId"`
	UserARN   string `json:"userArn"`
	UserID    string `json:"userId"`
}

// HTTP describes the request.
type HTTP struct {
	Method    string `json:"method"`
	Path      string `json:"path"`
	Protocol  string `json:"protocol"`
	SourceIP  string `json:"sourceIp"`
	UserAgent string `json:"userAgent"`
}

// buildEvent maps an HTTP request to the event: header names lowercased and repeated values
// joined with commas; Cookie headers moved to cookies; query parameters decoded and repeated
// values joined with commas; a non-text body base64-encoded.
func buildEvent(r *http.Request, urlID, region, accountID, rawPath string, body []byte, iam *IAM, now time.Time) Request {
	ev := Request{Version: "2.0", RawPath: rawPath, RawQueryString: r.URL.RawQuery, Headers: map[string]string{}}
	names := make([]string, 0, len(r.Header))
	for k := range r.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		lk := strings.ToLower(k)
		if lk == "cookie" {
			for _, line := range r.Header[k] {
				for _, c := range strings.Split(line, ";") {
					if c = strings.TrimSpace(c); c != "" {
						ev.Cookies = append(ev.Cookies, c)
					}
				}
			}
			continue
		}
		ev.Headers[lk] = strings.Join(r.Header[k], ",")
	}
	ev.Headers["host"] = r.Host
	ev.Headers["x-forwarded-proto"] = "http"
	if _, ok := ev.Headers["x-amzn-trace-id"]; !ok {
		ev.Headers["x-amzn-trace-id"] = traceID(now)
	}
	sourceIP, _, _ := net.SplitHostPort(r.RemoteAddr)
	if _, ok := ev.Headers["x-forwarded-for"]; !ok {
		ev.Headers["x-forwarded-for"] = sourceIP
	}
	if q, err := url.ParseQuery(r.URL.RawQuery); err == nil && len(q) > 0 {
		ev.QueryStringParameters = map[string]string{}
		for k, vs := range q {
			ev.QueryStringParameters[k] = strings.Join(vs, ",")
		}
	}
	domain := urlID + ".lambda-url." + region + ".localhost"
	ev.RequestContext = RequestContext{AccountID: "anonymous", RequestID: newRequestID(), APIID: urlID, DomainName: domain,
		DomainPrefix: urlID, Time: now.UTC().Format("02/Jan/2006:15:04:05 -0700"), TimeEpoch: now.UnixMilli(),
		HTTP: HTTP{Method: r.Method, Path: rawPath, Protocol: r.Proto, SourceIP: sourceIP, UserAgent: r.UserAgent()}}
	if iam != nil {
		ev.RequestContext.AccountID = accountID
		ev.RequestContext.Authorizer = &Authorizer{IAM: iam}
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

// isText decides whether a body is passed as text: an uncompressed body of a textual media type
// that is valid UTF-8 (the simulator's rule; AWS does not publish its list).
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

func traceID(now time.Time) string {
	b := make([]byte, 12)
	rand.Read(b)
	return "Root=1-" + hex.EncodeToString([]byte{byte(now.Unix() >> 24), byte(now.Unix() >> 16), byte(now.Unix() >> 8), byte(now.Unix())}) + "-" + hex.EncodeToString(b)
}

func newRequestID() string {
	b := make([]byte, 16)
	rand.Read(b)
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
