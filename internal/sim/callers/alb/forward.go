package alb

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/elbv2"
)

// Trigger is the invocation log's Trigger for an ALB invocation: "elasticloadbalancing:<tg arn>".
func Trigger(targetGroupARN string) string { return "elasticloadbalancing:" + targetGroupARN }

// forward invokes the listener's function with the request and writes its answer.
func (f *FrontDoor) forward(w http.ResponseWriter, r *http.Request, route elbv2.Route, path, rawQuery string) {
	if !route.Lambda || route.FunctionARN == "" {
		errorPage(w, http.StatusServiceUnavailable)
		return
	}
	if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		errorPage(w, http.StatusBadRequest)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxRequestBody+1))
	if err != nil {
		errorPage(w, http.StatusBadRequest)
		return
	}
	if len(body) > MaxRequestBody {
		errorPage(w, http.StatusRequestEntityTooLarge)
		return
	}
	ctx := r.Context()
	allowed, err := f.cfg.Lambda.AllowsInvoke(ctx, route.FunctionARN, principal, route.TargetGroupARN, f.cfg.AccountID)
	if err != nil || !allowed {
		f.log.Info("ALB cannot invoke the function", "function", route.FunctionARN, "targetGroup", route.TargetGroupARN, "allowed", allowed, "error", err)
		errorPage(w, http.StatusBadGateway)
		return
	}
	fn, e := f.cfg.Lambda.ResolveFunction(route.FunctionARN, "")
	if e != nil {
		f.log.Info("ALB target function cannot be invoked", "function", route.FunctionARN, "error", e)
		errorPage(w, http.StatusBadGateway)
		return
	}
	event := buildEvent(r, path, rawQuery, body, route.TargetGroupARN, route.Port, route.MultiValueHeaders, f.cfg.Clock.Now())
	payload, err := json.Marshal(event)
	if err != nil {
		errorPage(w, http.StatusInternalServerError)
		return
	}
	res, err := f.cfg.Invoker.Invoke(ctx, fn, invoke.Request{Payload: payload, InvocationType: invoke.TypeRequestResponse, Trigger: Trigger(route.TargetGroupARN)})
	if err != nil {
		var ie *invoke.Error
		if errors.As(err, &ie) && invoke.Throttled(err) {
			errorPage(w, http.StatusServiceUnavailable)
			return
		}
		f.log.Info("ALB invocation failed", "function", route.FunctionARN, "error", err)
		errorPage(w, http.StatusBadGateway)
		return
	}
	if res.FunctionError != "" || len(res.Payload) > MaxResponseJSON {
		errorPage(w, http.StatusBadGateway)
		return
	}
	resp, err := parseResponse(res.Payload, route.MultiValueHeaders)
	if err != nil {
		f.log.Info("ALB received a malformed response", "function", route.FunctionARN, "error", err)
		errorPage(w, http.StatusBadGateway)
		return
	}
	h := w.Header()
	for k, vs := range resp.headers {
		h[k] = vs
	}
	if h.Get("Content-Type") == "" {
		h["Content-Type"] = nil // no sniffing: the load balancer adds no content type
	}
	w.WriteHeader(resp.status)
	w.Write(resp.body)
}
