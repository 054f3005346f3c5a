package runtime

import (
	"io"
	"net/http"
)

type initErrorHandler struct {
	api runtimeAPI
}

func newInitErrorHandler(api runtimeAPI) http.Handler {
	return &initErrorHandler{api: api}
}

// ServeHTTP records a failed Init phase. The error becomes the answer of the invocation that started
// the environment, which is then discarded; the runtime is expected to exit.
func (h *initErrorHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxErrorBody))
	if err := h.api.initError(postedError(r.Header.Get(headerFunctionErrorType), body)); err != nil {
		renderLifecycleError(w, err)
		return
	}
	renderAccepted(w)
}
