package provider

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/trigger"
)

// The pure half of lambdatrigger_sync_caller: what a configuration wires, its ID and statement IDs,
// and the computed attributes that describe it. No I/O here, so all of it is unit-tested and the plan
// shows it before apply.

// Kinds of sync caller: the block names.
const (
	syncKindAPIGateway  = "api_gateway"
	syncKindALB         = "alb"
	syncKindFunctionURL = "function_url"
)

// API Gateway API types, as the plan-time read finds them.
const (
	apiTypeREST = "REST"
	apiTypeHTTP = "HTTP"
)

// syncWiring is what one sync caller wires, read from a configuration, a plan or a state.
type syncWiring struct {
	FunctionName string
	Qualifier    string // "" for the unqualified function
	Kind         string

	// api_gateway
	APIID, Stage, Method, Path string
	Integration                bool
	PayloadFormat              string
	// alb
	TargetGroupARN string
	// function_url
	AuthType, InvokeMode string
}

// function is FUNCTION[:QUALIFIER], as AddPermission and the ID take it.
func (w syncWiring) function() string {
	if w.Qualifier == "" {
		return w.FunctionName
	}
	return w.FunctionName + ":" + w.Qualifier
}

// keyParts identify the wiring within its kind; they make the ID and the statement ID.
func (w syncWiring) keyParts() []string {
	switch w.Kind {
	case syncKindAPIGateway:
		return []string{w.APIID, w.Stage, w.Method, w.Path}
	case syncKindALB:
		return []string{w.TargetGroupARN}
	}
	return nil
}

// ID is FUNCTION[:QUALIFIER],KIND[,KEY...][,integration]: the import ID too. Commas, because paths and
// ARNs have slashes and colons and none of the parts can hold a comma.
func (w syncWiring) ID() string {
	parts := append([]string{w.function(), w.Kind}, w.keyParts()...)
	if w.Kind == syncKindAPIGateway && w.Integration {
		parts = append(parts, "integration")
	}
	return strings.Join(parts, ",")
}

// statementID is the Sid of the resource's permission: derived from what it wires, so two sync
// callers never collide and a replacement does not reuse its predecessor's Sid (terraform-provider-aws
// issue 3312). The integration flag is not part of it: the permission is the same either way.
func (w syncWiring) statementID() string {
	sum := sha256.Sum256([]byte(strings.Join(append([]string{w.function(), w.Kind}, w.keyParts()...), "\x00")))
	return "lambdatrigger-" + hex.EncodeToString(sum[:12])
}

// invokeStatementID is the Sid of the lambda:InvokeFunction statement a public function URL also needs.
func (w syncWiring) invokeStatementID() string { return w.statementID() + "-invoke" }

// marker names what the resource created on the API Gateway side (a method's or route's operation
// name, an integration's description), so Delete finds exactly what it added, even after the state
// was lost and recreated.
func (w syncWiring) marker() string { return "lambdatrigger " + w.statementID() }

// statementIDs are the Sids the resource adds to the function's policy.
func (w syncWiring) statementIDs() []string {
	switch {
	case w.Kind != syncKindFunctionURL:
		return []string{w.statementID()}
	case w.AuthType == trigger.FunctionURLAuthNone:
		return []string{w.statementID(), w.invokeStatementID()}
	}
	return nil // AWS_IAM: callers need identity-based permissions; nothing goes in the function's policy
}

var errSyncCallerID = errors.New("the ID must be FUNCTION[:QUALIFIER],KIND followed by the kind's key")

// parseSyncCallerID reads an ID written by ID.
func parseSyncCallerID(id string) (syncWiring, error) {
	parts := strings.Split(id, ",")
	if len(parts) < 2 {
		return syncWiring{}, errSyncCallerID
	}
	var w syncWiring
	w.FunctionName, w.Qualifier, _ = strings.Cut(parts[0], ":")
	if err := trigger.ValidateFunctionName(w.FunctionName); err != nil {
		return syncWiring{}, err
	}
	if w.Qualifier != "" {
		if err := trigger.ValidateQualifier(w.Qualifier); err != nil {
			return syncWiring{}, err
		}
	}
	w.Kind = parts[1]
	rest := parts[2:]
	switch w.Kind {
	case syncKindAPIGateway:
		if len(rest) == 5 && rest[4] == "integration" {
			w.Integration, rest = true, rest[:4]
		}
		if len(rest) != 4 || rest[0] == "" {
			return syncWiring{}, fmt.Errorf("api_gateway needs API_ID,STAGE,METHOD,PATH[,integration], got %d parts", len(rest))
		}
		w.APIID, w.Stage, w.Method, w.Path = rest[0], rest[1], rest[2], rest[3]
		for _, err := range []error{trigger.ValidateAPIGatewayStage(w.Stage), trigger.ValidateAPIGatewayMethod(w.Method), trigger.ValidateAPIGatewayPath(w.Path)} {
			if err != nil {
				return syncWiring{}, err
			}
		}
	case syncKindALB:
		if len(rest) != 1 {
			return syncWiring{}, fmt.Errorf("alb needs TARGET_GROUP_ARN, got %d parts", len(rest))
		}
		if err := trigger.ValidateTargetGroupARN(rest[0]); err != nil {
			return syncWiring{}, err
		}
		w.TargetGroupARN = rest[0]
	case syncKindFunctionURL:
		if len(rest) != 0 {
			return syncWiring{}, errors.New("function_url takes no key: FUNCTION[:ALIAS],function_url")
		}
	default:
		return syncWiring{}, fmt.Errorf("unknown kind %q: api_gateway, alb or function_url", w.Kind)
	}
	return w, nil
}

// syncFacts are what the description needs beyond the configuration, read from AWS at plan time and
// on every refresh. Zero values mean "not known yet" (the API or function is created in this apply).
type syncFacts struct {
	arn             trigger.ARNContext
	apiType         string // apiTypeREST, apiTypeHTTP, "" unknown
	functionTimeout int64  // seconds; 0 unknown
}

// syncDescription is the computed attributes that explain the wiring in the plan.
type syncDescription struct {
	InvocationType types.String
	Principal      types.String
	StatementID    types.String
	SourceARN      types.String
	EventType      types.String
	PayloadLimit   types.String
	TimeoutNote    types.String
	Behavior       types.String
}

// service is the catalog row of the wiring, and whether it is known (an API of unknown type is not).
func (w syncWiring) service(f syncFacts) (trigger.Service, bool) {
	key := ""
	switch w.Kind {
	case syncKindALB:
		key = trigger.ServiceALB
	case syncKindFunctionURL:
		key = trigger.ServiceFunctionURL
	case syncKindAPIGateway:
		switch f.apiType {
		case apiTypeREST:
			key = trigger.ServiceAPIGatewayREST
		case apiTypeHTTP:
			key = trigger.ServiceAPIGatewayHTTP
		}
	}
	s, ok := trigger.Lookup(key)
	return s, ok
}

// callerName is how the timeout note and the warning name the caller.
func callerName(s trigger.Service) string {
	switch s.Key {
	case trigger.ServiceAPIGatewayREST:
		return "API Gateway (REST API)"
	case trigger.ServiceAPIGatewayHTTP:
		return "API Gateway (HTTP API)"
	case trigger.ServiceALB:
		return "The load balancer"
	}
	return "A function URL"
}

// callerTimeoutExceeded reports whether the function may run longer than the caller waits.
func (w syncWiring) callerTimeoutExceeded(f syncFacts) (trigger.Service, bool) {
	s, ok := w.service(f)
	if !ok || s.CallerTimeout == 0 || f.functionTimeout == 0 {
		return s, false
	}
	return s, time.Duration(f.functionTimeout)*time.Second > s.CallerTimeout
}

// describe computes the plan-time attributes: known wherever the configuration and the facts are.
func (w syncWiring) describe(f syncFacts) syncDescription {
	d := syncDescription{
		InvocationType: types.StringValue(trigger.InvocationRequestResponse),
		Principal:      types.StringNull(),
		StatementID:    types.StringNull(),
		SourceARN:      types.StringNull(),
		EventType:      types.StringUnknown(),
		TimeoutNote:    types.StringUnknown(),
		Behavior:       types.StringUnknown(),
	}
	if ids := w.statementIDs(); len(ids) > 0 {
		d.StatementID = types.StringValue(ids[0])
	}
	switch w.Kind {
	case syncKindAPIGateway:
		d.Principal = types.StringValue("apigateway.amazonaws.com")
		d.SourceARN = types.StringValue(trigger.ExecuteAPISourceARN(f.arn, w.APIID, w.Stage, w.Method, w.Path))
		rest, _ := trigger.Lookup(trigger.ServiceAPIGatewayREST) // HTTP APIs have the same limit
		d.PayloadLimit = types.StringValue(rest.Payload.String())
	case syncKindALB:
		s, _ := trigger.Lookup(trigger.ServiceALB)
		d.Principal = types.StringValue(s.Principal)
		d.SourceARN = types.StringValue(s.SourceARN(f.arn, w.TargetGroupARN))
		d.PayloadLimit = types.StringValue(s.Payload.String())
	case syncKindFunctionURL:
		if w.AuthType == trigger.FunctionURLAuthNone {
			d.Principal = types.StringValue("*")
		}
		limit := trigger.PayloadLimit{RequestBytes: trigger.SyncPayloadMaxBytes, ResponseBytes: trigger.SyncPayloadMaxBytes}
		if w.InvokeMode == trigger.InvokeModeStream {
			limit.ResponseBytes = trigger.StreamedResponseMaxBytes
		}
		d.PayloadLimit = types.StringValue(limit.String())
	}

	s, ok := w.service(f)
	if !ok {
		return d
	}
	d.EventType = types.StringValue(s.EventType)
	if s.Key == trigger.ServiceAPIGatewayHTTP && w.PayloadFormat == trigger.PayloadFormat10 {
		d.EventType = types.StringValue("APIGatewayProxyRequest")
	}
	d.Behavior = types.StringValue(w.behavior(s))
	if f.functionTimeout > 0 {
		d.TimeoutNote = types.StringValue(w.timeoutNote(s, f.functionTimeout))
	}
	return d
}

// behavior is one line a reviewer reads in the plan: who calls, how, how long it waits, retries.
func (w syncWiring) behavior(s trigger.Service) string {
	const tail = " -> " + trigger.InvocationRequestResponse
	switch w.Kind {
	case syncKindAPIGateway:
		api := "REST API"
		if s.Key == trigger.ServiceAPIGatewayHTTP {
			api = "HTTP API"
		}
		route := trigger.RouteMethod(w.Method) + " " + w.Path
		if w.Path == trigger.DefaultRoute {
			route = "the $default route"
		}
		wired := "permission only"
		if w.Integration {
			wired = "AWS_PROXY integration and permission"
		}
		return fmt.Sprintf("%s on %s %s/%s%s; caller waits up to %d s; no retries (%s)",
			route, api, w.APIID, w.Stage, tail, int64(s.CallerTimeout/time.Second), wired)
	case syncKindALB:
		return "requests forwarded to target group " + targetGroupName(w.TargetGroupARN) + tail +
			"; the load balancer waits for the function's timeout; no retries"
	}
	mode := w.InvokeMode
	if mode == "" {
		mode = trigger.InvokeModeBuffered
	}
	return fmt.Sprintf("HTTP requests to the function URL (auth %s, %s)%s; the caller waits for the function's timeout; no retries",
		w.AuthType, mode, tail)
}

// timeoutNote compares the caller's timeout with the function's.
func (w syncWiring) timeoutNote(s trigger.Service, functionTimeout int64) string {
	if s.CallerTimeout == 0 {
		return fmt.Sprintf("%s has no timeout of its own; the function's timeout (%d s) bounds each request.", callerName(s), functionTimeout)
	}
	caller := int64(s.CallerTimeout / time.Second)
	if functionTimeout > caller {
		return fmt.Sprintf("%s waits up to %d s (the default integration timeout) but the function's timeout is %d s: "+
			"calls longer than %d s get 504 while the function keeps running.", callerName(s), caller, functionTimeout, caller)
	}
	return fmt.Sprintf("%s waits up to %d s (the default integration timeout); the function's timeout is %d s, within it.",
		callerName(s), caller, functionTimeout)
}

// targetGroupName is the name in targetgroup/<name>/<id>.
func targetGroupName(arn string) string {
	if _, rest, ok := strings.Cut(arn, ":targetgroup/"); ok {
		name, _, _ := strings.Cut(rest, "/")
		return name
	}
	return arn
}

// functionARN is the function's ARN, qualified when the wiring has a qualifier: what a target group
// registers and an integration's URI names.
func (w syncWiring) functionARN(c trigger.ARNContext) string {
	partition := c.Partition
	if partition == "" {
		partition = "aws"
	}
	return "arn:" + partition + ":lambda:" + c.Region + ":" + c.AccountID + ":function:" + w.function()
}

// routeKey is an HTTP API route key: "GET /hello", "ANY /{proxy+}" or "$default".
func (w syncWiring) routeKey() string {
	if w.Path == trigger.DefaultRoute {
		return trigger.DefaultRoute
	}
	return trigger.RouteMethod(w.Method) + " " + w.Path
}

// payloadFormat is the HTTP API integration's payload format version, 2.0 unless set.
func (w syncWiring) payloadFormat() string {
	if w.PayloadFormat == "" {
		return trigger.PayloadFormat20
	}
	return w.PayloadFormat
}
