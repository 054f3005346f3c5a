package runtime

import (
	"io"
	"net/http"
)

// headerFunctionErrorType names the error type a runtime reports with /error and /init/error.
const headerFunctionErrorType = "Lambda-Runtime-Function-Error-Type"

// maxErrorBody bounds an error document; AWS keeps far less of it anyway.
const maxErrorBody = 1 << 20

type invocationErrorHandler struct {
	api runtimeAPI
}

func newInvocationErrorHandler(api runtimeAPI) http.Handler {
	return &invocationErrorHandler{api: api}
}

// ServeHTTP records a function error. The caller sees it as FunctionError "Unhandled" (see
// functionErrorUnhandled for why) with the posted document as the payload.
func (h *invocationErrorHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("awsRequestId")
	if err := h.api.checkRequest(id); err != nil {
		renderLifecycleError(w, err)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxErrorBody))
	if err := h.api.answer(id, postedError(r.Header.Get(headerFunctionErrorType), body)); err != nil {
		renderLifecycleError(w, err)
		return
	}
	renderAccepted(w)
}
