package functionurl

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda/urlconfig"
)

// PathPrefix is the path form's prefix on the simulator's port: /_url/<url-id>/<path>.
const PathPrefix = "/_url/"

// Lambda is what the front door needs from the Lambda service (*lambda.Service).
type Lambda interface {
	ResolveFunction(name, qualifier string) (invoke.Function, *awswire.Error)
	GetPolicy(ctx context.Context, in *lambda.GetPolicyInput) (*lambda.GetPolicyOutput, *awswire.Error)
}

// Invoker runs a synchronous invocation (*invoke.Invoker).
type Invoker interface {
	Invoke(ctx context.Context, fn invoke.Function, req invoke.Request) (invoke.Result, error)
}

// Config configures the front door.
type Config struct {
	URLs              *urlconfig.Service
	Lambda            Lambda
	Invoker           Invoker
	Clock             clock.Clock
	Region, AccountID string
	Logger            *slog.Logger
}

// FrontDoor serves function URLs.
type FrontDoor struct {
	cfg Config
	log *slog.Logger
}

// New builds the front door.
func New(cfg Config) (*FrontDoor, error) {
	if cfg.URLs == nil || cfg.Lambda == nil || cfg.Invoker == nil {
		return nil, errors.New("functionurl: URLs, Lambda and Invoker are required")
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Region == "" {
		cfg.Region = cfg.URLs.Region()
	}
	if cfg.AccountID == "" {
		cfg.AccountID = "000000000000"
	}
	return &FrontDoor{cfg: cfg, log: cfg.Logger}, nil
}

// Register routes function URL hosts and the unsigned /_url/ path form. Signed requests to the
// path form are routed by their signing name to Lambda, which must mount this front door at
// PathPrefix: lambdaSvc.Mount(fd, PathPrefix).
func (f *FrontDoor) Register(r *server.Router) {
	r.Host(f.IsURLHost, http.HandlerFunc(f.serveHost))
	r.PathPrefix(PathPrefix, f)
}

// IsURLHost reports whether host is a function URL host of this Region.
func (f *FrontDoor) IsURLHost(host string) bool { return urlconfig.ParseHost(host, f.cfg.Region) != "" }

// Close has nothing to stop.
func (f *FrontDoor) Close() error { return nil }

// ServeHTTP serves the path form /_url/<url-id>/<path>.
func (f *FrontDoor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.EscapedPath(), PathPrefix)
	id, path, _ := strings.Cut(rest, "/")
	f.serve(w, r, id, "/"+path)
}

func (f *FrontDoor) serveHost(w http.ResponseWriter, r *http.Request) {
	f.serve(w, r, urlconfig.ParseHost(r.Host, f.cfg.Region), r.URL.EscapedPath())
}

// Trigger is the invocation log's Trigger for a function URL call.
func Trigger(urlID string) string { return "lambda-url:" + urlID }

func (f *FrontDoor) serve(w http.ResponseWriter, r *http.Request, id, path string) {
	u, err := f.cfg.URLs.Lookup(id)
	if err != nil {
		writeMessage(w, http.StatusInternalServerError, "", "Internal Server Error")
		return
	}
	if u == nil {
		writeMessage(w, http.StatusForbidden, "AccessDeniedException", "Forbidden")
		return
	}
	if u.Cors != nil && isPreflight(r) {
		preflight(w, r, u.Cors)
		return
	}
	ctx := r.Context()
	var iam *IAM
	switch u.AuthType {
	case urlconfig.AuthIAM:
		var ok bool
		if iam, ok = checkSigV4(r, f.cfg.Region, f.cfg.AccountID); !ok {
			writeMessage(w, http.StatusForbidden, "AccessDeniedException", "Forbidden")
			return
		}
	default:
		ok, err := publicAccess(ctx, f.cfg.Lambda, u.FunctionName, u.Qualifier)
		if err != nil {
			f.log.Info("function URL policy check failed", "url", id, "error", err)
		}
		if !ok {
			writeMessage(w, http.StatusForbidden, "AccessDeniedException", "Forbidden")
			return
		}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, invoke.MaxSyncRequest+1))
	if err != nil {
		writeMessage(w, http.StatusBadRequest, "", "Bad Request")
		return
	}
	if len(body) > invoke.MaxSyncRequest {
		writeMessage(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException", "Request must be smaller than 6291456 bytes for the InvokeFunction operation")
		return
	}
	fn, e := f.cfg.Lambda.ResolveFunction(u.FunctionName, u.Qualifier)
	if e != nil {
		f.log.Info("function URL target cannot be invoked", "url", id, "error", e)
		writeBadGateway(w)
		return
	}
	event := buildEvent(r, id, f.cfg.Region, f.cfg.AccountID, path, body, iam, f.cfg.Clock.Now())
	payload, err := json.Marshal(event)
	if err != nil {
		writeMessage(w, http.StatusInternalServerError, "", "Internal Server Error")
		return
	}
	res, err := f.cfg.Invoker.Invoke(ctx, fn, invoke.Request{RequestID: event.RequestContext.RequestID, Payload: payload,
		InvocationType: invoke.TypeRequestResponse, Trigger: Trigger(id)})
	if err != nil {
		if invoke.Throttled(err) {
			writeMessage(w, http.StatusTooManyRequests, "TooManyRequestsException", "Rate Exceeded.")
			return
		}
		f.log.Info("function URL invocation failed", "url", id, "error", err)
		writeBadGateway(w)
		return
	}
	w.Header().Set("X-Amzn-RequestId", event.RequestContext.RequestID)
	if res.FunctionError != "" {
		writeBadGateway(w)
		return
	}
	resp, err := parseResponse(res.Payload)
	if err != nil {
		f.log.Info("function URL received a malformed response", "url", id, "error", err)
		writeBadGateway(w)
		return
	}
	h := w.Header()
	for k, vs := range resp.headers {
		h[k] = vs
	}
	corsHeaders(h, r, u.Cors)
	if h.Get("Content-Type") == "" {
		h["Content-Type"] = nil
	}
	w.WriteHeader(resp.status)
	w.Write(resp.body)
}
