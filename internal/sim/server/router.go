// Package server is the simulator's HTTP front door: one address serving every AWS API, routing each
// request to its service the way WIRE.md describes (X-Amz-Target, awsQuery Version, SigV4 scope,
// path, Host), and answering what it cannot route with an AWS-shaped error, never a 200 or a 404 page.
package server

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// maxQueryBody bounds how much of a form body the router reads to find an awsQuery Version.
// awsQuery requests are small apart from SNS/SQS messages, which AWS caps at 256 KB and 1 MB.
const maxQueryBody = 2 << 20

// Router picks the service for each request. Register every route before serving.
type Router struct {
	hosts    []hostRoute
	targets  []prefixRoute
	versions map[string]http.Handler
	services map[string]http.Handler
	paths    []prefixRoute
}

type hostRoute struct {
	match func(host string) bool
	h     http.Handler
}

type prefixRoute struct {
	prefix string
	h      http.Handler
}

// NewRouter returns an empty router.
func NewRouter() *Router {
	return &Router{versions: map[string]http.Handler{}, services: map[string]http.Handler{}}
}

// Host routes requests whose Host header matches (function URLs, API Gateway stages): unsigned
// requests from curl land here before anything else is considered.
func (rt *Router) Host(match func(host string) bool, h http.Handler) {
	rt.hosts = append(rt.hosts, hostRoute{match, h})
}

// Target routes JSON-protocol requests whose X-Amz-Target starts with prefix (e.g. "AmazonSQS.").
func (rt *Router) Target(prefix string, h http.Handler) {
	rt.targets = append(rt.targets, prefixRoute{prefix, h})
}

// QueryVersion routes awsQuery requests carrying Version=version (e.g. STS's "2011-06-15").
func (rt *Router) QueryVersion(version string, h http.Handler) { rt.versions[version] = h }

// Service routes requests signed for the SigV4 service name (e.g. "lambda", "s3").
func (rt *Router) Service(signingName string, h http.Handler) { rt.services[signingName] = h }

// PathPrefix routes by path; used for admin pages and for unsigned requests to REST APIs.
func (rt *Router) PathPrefix(prefix string, h http.Handler) {
	rt.paths = append(rt.paths, prefixRoute{prefix, h})
}

func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h := rt.route(r); h != nil {
		h.ServeHTTP(w, r)
		return
	}
	e := awswire.Errorf(http.StatusBadRequest, "UnknownOperationException",
		"The lambdatrigger simulator does not serve this request (%s %s); see the README's support matrix.", r.Method, r.URL.Path)
	if _, ok := awsQueryVersion(r); ok {
		awswire.WriteQueryError(w, awswire.RequestID(r.Context()), e)
		return
	}
	awswire.WriteRestJSONError(w, e)
}

func (rt *Router) route(r *http.Request) http.Handler {
	if strings.HasPrefix(r.URL.Path, "/_sim/") {
		return rt.pathRoute(r.URL.Path)
	}
	host := r.Host
	for _, hr := range rt.hosts {
		if hr.match(host) {
			return hr.h
		}
	}
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		for _, tr := range rt.targets {
			if strings.HasPrefix(target, tr.prefix) {
				return tr.h
			}
		}
	}
	cred, signed := awswire.ParseCredential(r)
	// An awsQuery request is signed, or posted to "/"; an unsigned form posted to a user's own path
	// (an API Gateway stage, a function URL) is that user's request, whatever fields it has.
	if signed || r.URL.Path == "/" {
		if version, ok := awsQueryVersion(r); ok {
			if h := rt.versions[version]; h != nil {
				return h
			}
		}
	}
	if signed {
		if h := rt.services[cred.Service]; h != nil {
			return h
		}
	}
	return rt.pathRoute(r.URL.Path)
}

func (rt *Router) pathRoute(path string) http.Handler {
	for _, pr := range rt.paths {
		if strings.HasPrefix(path, pr.prefix) {
			return pr.h
		}
	}
	return nil
}

// awsQueryVersion finds Version= in the query string or a form body, restoring the body so the
// service can read it again.
func awsQueryVersion(r *http.Request) (string, bool) {
	if v := r.URL.Query().Get("Version"); v != "" && r.URL.Query().Get("Action") != "" {
		return v, true
	}
	if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		return "", false
	}
	rest := r.Body
	data, err := io.ReadAll(io.LimitReader(rest, maxQueryBody))
	r.Body = readCloser{io.MultiReader(bytes.NewReader(data), rest), rest}
	if err != nil {
		return "", false
	}
	form, err := url.ParseQuery(string(data))
	if err != nil || form.Get("Action") == "" {
		return "", false
	}
	return form.Get("Version"), form.Get("Version") != ""
}

type readCloser struct {
	io.Reader
	io.Closer
}
