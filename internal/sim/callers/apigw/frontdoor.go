package apigw

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/apigateway"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/apigatewayv2"
)

// MaxPayload is API Gateway's request payload limit: 10 MB
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
const MaxPayload = 10 << 20

// Principal is the service principal API Gateway invokes functions as.
const Principal = "apigateway.amazonaws.com"

// userRequestMarker separates the API, stage and path in the path form of a call.
const userRequestMarker = "_user_request_"

// RESTAPIs is what the front door needs of the REST API control plane (*apigateway.Service).
type RESTAPIs interface {
	DeployedStage(apiID, stageName string) (*apigateway.DeployedStage, bool, error)
	HasAPI(apiID string) bool
}

// HTTPAPIs is what the front door needs of the HTTP API control plane (*apigatewayv2.Service).
type HTTPAPIs interface {
	DeployedStage(apiID, stageName string) (*apigatewayv2.DeployedStage, bool, error)
	HasAPI(apiID string) bool
	HasStage(apiID, stageName string) bool
}

// Functions resolves functions and checks their resource policies (*lambda.Service).
type Functions interface {
	ResolveFunction(name, qualifier string) (invoke.Function, *awswire.Error)
	AllowsInvoke(ctx context.Context, functionARN, principal, sourceARN, sourceAccount string) (bool, error)
}

// Invoker runs one synchronous attempt (*invoke.Invoker).
type Invoker interface {
	Invoke(ctx context.Context, fn invoke.Function, req invoke.Request) (invoke.Result, error)
}

// Config configures the front door.
type Config struct {
	REST    RESTAPIs
	HTTP    HTTPAPIs
	Lambda  Functions
	Invoker Invoker
	// Clock drives the integration timeout and the events' request times; default the wall clock.
	Clock clock.Clock
	// Region and AccountID are the simulated account's; defaults us-east-1 and 000000000000.
	Region    string
	AccountID string
	Logger    *slog.Logger
	// Endpoint is the simulator's URL (unused for routing; kept for symmetry with the services).
	Endpoint func() string
}

// FrontDoor serves the deployed stages of REST and HTTP APIs.
type FrontDoor struct {
	cfg Config
	log *slog.Logger
}

// New returns a front door; REST, HTTP, Lambda and Invoker are required.
func New(cfg Config) (*FrontDoor, error) {
	if cfg.REST == nil || cfg.HTTP == nil || cfg.Lambda == nil || cfg.Invoker == nil {
		return nil, errors.New("apigw: REST, HTTP, Lambda and Invoker are required")
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real()
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.AccountID == "" {
		cfg.AccountID = "000000000000"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &FrontDoor{cfg: cfg, log: cfg.Logger}, nil
}

// Register routes <api-id>.execute-api.<anything> hosts and unsigned /restapis/ paths here.
func (f *FrontDoor) Register(r *server.Router) {
	r.Host(IsExecuteAPIHost, f)
	r.PathPrefix("/restapis/", f)
}

// Close has nothing to stop: invocations belong to their requests.
func (f *FrontDoor) Close() error { return nil }

// IsExecuteAPIHost reports whether host is <api-id>.execute-api.<domain>[:port].
func IsExecuteAPIHost(host string) bool {
	id, rest, ok := strings.Cut(host, ".")
	return ok && id != "" && strings.HasPrefix(rest, "execute-api.")
}

// target is where a request goes: the API, the stage ("" when the host form leaves it to the
// path), and the path after the stage.
type target struct {
	apiID      string
	stage      string
	path       string
	hostForm   bool
	domainName string
}

func (f *FrontDoor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t, ok := parseTarget(r)
	if !ok {
		write(w, restMissingToken())
		return
	}
	switch {
	case f.cfg.REST.HasAPI(t.apiID):
		write(w, f.serveREST(r, t))
	case f.cfg.HTTP.HasAPI(t.apiID):
		write(w, f.serveHTTP(r, t))
	default:
		write(w, httpNotFound())
	}
}

// parseTarget reads the host form or the /restapis/<id>/<stage>/_user_request_/<path> form.
func parseTarget(r *http.Request) (target, bool) {
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = r.Host
	}
	if IsExecuteAPIHost(r.Host) {
		id, _, _ := strings.Cut(host, ".")
		return target{apiID: id, path: r.URL.Path, hostForm: true, domainName: host}, true
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/restapis/")
	if !ok {
		return target{}, false
	}
	parts := strings.SplitN(rest, "/", 4)
	if len(parts) < 3 || parts[0] == "" || parts[1] == "" || parts[2] != userRequestMarker {
		return target{}, false
	}
	path := "/"
	if len(parts) == 4 {
		path += parts[3]
	}
	return target{apiID: parts[0], stage: parts[1], path: path, domainName: parts[0] + ".execute-api.localhost"}, true
}

func write(w http.ResponseWriter, resp response) {
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.Status)
	w.Write(resp.Body)
}

// baseRequest extracts what every event needs.
func (f *FrontDoor) baseRequest(r *http.Request, t target, body []byte) request {
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		ip = r.RemoteAddr
	}
	id := awswire.RequestID(r.Context())
	if id == "" {
		id = awswire.NewRequestID()
	}
	return request{
		Method: r.Method, Path: t.path, RawQuery: r.URL.RawQuery, Header: r.Header, Host: r.Host,
		SourceIP: ip, Protocol: r.Proto, Body: body, APIID: t.apiID, Stage: t.stage,
		AccountID: f.cfg.AccountID, RequestID: id, Time: f.cfg.Clock.Now(), DomainName: t.domainName,
	}
}

func readBody(r *http.Request) ([]byte, bool) {
	body, err := awswire.ReadBody(r, MaxPayload)
	return body, err == nil
}

// serveREST answers a call to a REST API stage.
func (f *FrontDoor) serveREST(r *http.Request, t target) response {
	if t.hostForm {
		segs := strings.SplitN(strings.TrimPrefix(t.path, "/"), "/", 2)
		if segs[0] == "" {
			return restNotFoundByHost()
		}
		t.stage = segs[0]
		t.path = "/"
		if len(segs) == 2 {
			t.path += segs[1]
		}
	}
	stage, ok, err := f.cfg.REST.DeployedStage(t.apiID, t.stage)
	if err != nil {
		f.log.Error("reading REST API stage", "api", t.apiID, "stage", t.stage, "error", err)
		return restInternalError()
	}
	if !ok {
		return restNotFoundByHost()
	}
	m := matchResource(stage.Resources, t.path)
	if m == nil {
		return restMissingToken()
	}
	method := restMethod(m.Resource, r.Method)
	if method == nil {
		return restMissingToken()
	}
	switch method.AuthorizationType {
	case "AWS_IAM":
		if _, signed := awswire.ParseCredential(r); !signed {
			return restMissingToken()
		}
	case "CUSTOM", "COGNITO_USER_POOLS":
		// Authorizers are not simulated: refusing is safer than letting every call through.
		f.log.Warn("the simulator does not run API Gateway authorizers; refusing the call", "api", t.apiID, "authorizationType", method.AuthorizationType)
		return restInternalError()
	}
	body, ok := readBody(r)
	if !ok {
		return gatewayError(http.StatusRequestEntityTooLarge, "Request Too Long", "")
	}
	req := f.baseRequest(r, t, body)
	req.StagePath = "/" + t.stage + t.path
	req.Variables = stage.Variables
	integ := method.MethodIntegration
	fnARN, isLambda := "", false
	if integ != nil && integ.Type == "AWS_PROXY" {
		fnARN, isLambda = apigateway.LambdaFunctionARN(substituteStageVariables(integ.URI, stage.Variables))
	}
	if !isLambda {
		f.log.Warn("REST API method has no Lambda proxy integration the simulator can serve", "api", t.apiID, "resource", m.Resource.Path, "method", r.Method)
		return restInternalError()
	}
	ev := restEvent(req, m.Resource.Path, m.Resource.ID, m.PathParams, matchesMediaType(r.Header.Get("Content-Type"), stage.BinaryMediaTypes))
	sourceARN := RESTSourceARN(f.cfg.Region, f.cfg.AccountID, t.apiID, t.stage, r.Method, t.path)
	out := f.call(r.Context(), fnARN, sourceARN, marshal(ev), time.Duration(integ.TimeoutInMillis)*time.Millisecond)
	switch out.kind {
	case outcomeTimeout:
		return restTimeout()
	case outcomeFunctionError, outcomeMalformed:
		return restBadGateway()
	case outcomeFailed:
		return restInternalError()
	}
	accept := r.Header.Get("Accept")
	resp, ok := mapV1Response(out.payload, func(contentType string) bool {
		return matchesMediaType(accept, stage.BinaryMediaTypes) || matchesMediaType(contentType, stage.BinaryMediaTypes)
	})
	if !ok {
		f.log.Warn("malformed Lambda proxy response", "api", t.apiID, "function", fnARN)
		return restBadGateway()
	}
	resp.Header.Set("X-Amzn-Requestid", req.RequestID)
	return resp
}

// serveHTTP answers a call to an HTTP API stage.
func (f *FrontDoor) serveHTTP(r *http.Request, t target) response {
	if t.hostForm {
		t.stage = apigatewayv2.DefaultStage
		segs := strings.SplitN(strings.TrimPrefix(t.path, "/"), "/", 2)
		if segs[0] != "" && segs[0] != apigatewayv2.DefaultStage && f.cfg.HTTP.HasStage(t.apiID, segs[0]) {
			t.stage = segs[0]
			t.path = "/"
			if len(segs) == 2 {
				t.path += segs[1]
			}
		}
	}
	stage, ok, err := f.cfg.HTTP.DeployedStage(t.apiID, t.stage)
	if err != nil {
		f.log.Error("reading HTTP API stage", "api", t.apiID, "stage", t.stage, "error", err)
		return httpInternalError()
	}
	if !ok {
		return httpNotFound()
	}
	m := matchRoute(stage.Routes, r.Method, t.path)
	if m == nil {
		return httpNotFound()
	}
	switch m.Route.AuthorizationType {
	case "AWS_IAM":
		if _, signed := awswire.ParseCredential(r); !signed {
			return httpForbidden()
		}
	case "JWT", "CUSTOM":
		f.log.Warn("the simulator does not run API Gateway authorizers; refusing the call", "api", t.apiID, "authorizationType", m.Route.AuthorizationType)
		return httpInternalError()
	}
	body, ok := readBody(r)
	if !ok {
		return gatewayError(http.StatusRequestEntityTooLarge, "Request Entity Too Large", "")
	}
	req := f.baseRequest(r, t, body)
	req.StagePath = t.path
	if t.stage != apigatewayv2.DefaultStage {
		req.StagePath = "/" + t.stage + t.path
	}
	req.Variables = stage.Variables
	var integ *apigatewayv2.Integration
	if id, ok := strings.CutPrefix(m.Route.Target, "integrations/"); ok {
		integ = stage.Integrations[id]
	}
	fnARN, isLambda := "", false
	if integ != nil && integ.IntegrationType == "AWS_PROXY" {
		fnARN, isLambda = apigatewayv2.LambdaFunctionARN(substituteStageVariables(integ.IntegrationURI, stage.Variables))
	}
	if !isLambda {
		f.log.Warn("HTTP API route has no Lambda proxy integration the simulator can serve", "api", t.apiID, "route", m.Route.RouteKey)
		return httpInternalError()
	}
	var payload []byte
	if integ.PayloadFormatVersion == "2.0" {
		payload = marshal(httpEventV2(req, m.Route.RouteKey, m.PathParams))
	} else {
		payload = marshal(httpEventV1(req, m.Route.RouteKey, m.RoutePath, m.PathParams))
	}
	sourceARN := HTTPSourceARN(f.cfg.Region, f.cfg.AccountID, t.apiID, t.stage, m.Route.RouteKey, r.Method, t.path)
	out := f.call(r.Context(), fnARN, sourceARN, payload, time.Duration(integ.TimeoutInMillis)*time.Millisecond)
	switch out.kind {
	case outcomeTimeout:
		return httpTimeout()
	case outcomeFunctionError, outcomeMalformed, outcomeFailed:
		return httpInternalError()
	}
	var resp response
	if integ.PayloadFormatVersion == "2.0" {
		resp, ok = mapV2Response(out.payload)
	} else {
		resp, ok = mapV1Response(out.payload, func(string) bool { return true })
	}
	if !ok {
		f.log.Warn("malformed Lambda proxy response", "api", t.apiID, "function", fnARN)
		return httpInternalError()
	}
	resp.Header.Set("Apigw-Requestid", req.RequestID)
	return resp
}

// RESTSourceARN is the execute-api ARN a REST API invokes a function as:
// arn:aws:execute-api:<region>:<account>:<api-id>/<stage>/<METHOD>/<request path>, the path as
// called (a permission for /pets/* matches /pets/1; one for the template /pets/{id} does not).
func RESTSourceARN(region, account, apiID, stage, method, path string) string {
	return "arn:aws:execute-api:" + region + ":" + account + ":" + apiID + "/" + stage + "/" + method + "/" + strings.TrimPrefix(path, "/")
}

// HTTPSourceARN is the execute-api ARN an HTTP API invokes a function as:
// <api-id>/<stage>/<METHOD><request path>, or <api-id>/<stage>/$default for the $default route.
func HTTPSourceARN(region, account, apiID, stage, routeKey, method, path string) string {
	prefix := "arn:aws:execute-api:" + region + ":" + account + ":" + apiID + "/" + stage + "/"
	if routeKey == "$default" {
		return prefix + "$default"
	}
	return prefix + method + path
}

// substituteStageVariables replaces ${stageVariables.name} in an integration URI.
func substituteStageVariables(uri string, vars map[string]string) string {
	if !strings.Contains(uri, "${stageVariables.") {
		return uri
	}
	for k, v := range vars {
		uri = strings.ReplaceAll(uri, "${stageVariables."+k+"}", v)
	}
	return uri
}
