package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
)

// runtimeAPI is what the Runtime API handlers need from an execution environment. Each handler is
// built with it, as in aws-lambda-runtime-interface-emulator's rapi package, so a handler does one
// thing: translate HTTP to a lifecycle call and the lifecycle's answer back to HTTP.
type runtimeAPI interface {
	// next blocks until an invocation is available for the runtime.
	next(ctx context.Context) (*invocation, error)
	// checkRequest tells whether id is the invocation in progress, before a body is read.
	checkRequest(id string) error
	// answer records the runtime's answer to invocation id.
	answer(id string, a *functionAnswer) error
	// initError records the error of a failed Init phase.
	initError(a *functionAnswer) error
}

const runtimeAPIPrefix = "/2018-06-01/runtime"

// newRouter serves the Runtime API, version 2018-06-01
// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html). Any other path is 404.
func newRouter(api runtimeAPI) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET "+runtimeAPIPrefix+"/invocation/next", newInvocationNextHandler(api))
	mux.Handle("POST "+runtimeAPIPrefix+"/invocation/{awsRequestId}/response", newInvocationResponseHandler(api, maxResponseBytes))
	mux.Handle("POST "+runtimeAPIPrefix+"/invocation/{awsRequestId}/error", newInvocationErrorHandler(api))
	mux.Handle("POST "+runtimeAPIPrefix+"/init/error", newInitErrorHandler(api))
	mux.Handle("/", http.NotFoundHandler())
	return mux
}

// Runtime API error types, as aws-lambda-runtime-interface-emulator renders them.
const (
	apiErrorInvalidStateTransition = "InvalidStateTransition"
	apiErrorInvalidRequestID       = "InvalidRequestID"
	apiErrorRequestEntityTooLarge  = "RequestEntityTooLarge"
	apiErrorInternal               = "InternalServerError"
	apiErrorBadRequest             = "BadRequest"
)

type apiError struct {
	ErrorMessage string `json:"errorMessage"`
	ErrorType    string `json:"errorType"`
}

func renderJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func renderAccepted(w http.ResponseWriter) {
	renderJSON(w, http.StatusAccepted, map[string]string{"status": "OK"})
}

// renderLifecycleError maps a refusal of the lifecycle to the status the Runtime API documents:
// 400 for a request id that is not the invocation in progress, 403 for a call out of order, 500 when
// the environment is going away ("container error": the runtime should exit).
func renderLifecycleError(w http.ResponseWriter, err error) {
	var transition *errInvalidTransition
	switch {
	case errors.Is(err, errInvalidRequestID):
		renderJSON(w, http.StatusBadRequest, apiError{ErrorMessage: "Invalid request ID", ErrorType: apiErrorInvalidRequestID})
	case errors.As(err, &transition):
		renderJSON(w, http.StatusForbidden, apiError{ErrorMessage: err.Error(), ErrorType: apiErrorInvalidStateTransition})
	default:
		renderJSON(w, http.StatusInternalServerError, apiError{ErrorMessage: "Internal Server Error", ErrorType: apiErrorInternal})
	}
}
