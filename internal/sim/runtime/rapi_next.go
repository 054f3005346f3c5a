package runtime

import (
	"net/http"
	"strconv"
)

// Headers of GET /runtime/invocation/next.
const (
	headerRequestID          = "Lambda-Runtime-Aws-Request-Id"
	headerDeadlineMs         = "Lambda-Runtime-Deadline-Ms"
	headerInvokedFunctionARN = "Lambda-Runtime-Invoked-Function-Arn"
	headerTraceID            = "Lambda-Runtime-Trace-Id"
	headerClientContext      = "Lambda-Runtime-Client-Context"
)

type invocationNextHandler struct {
	api runtimeAPI
}

func newInvocationNextHandler(api runtimeAPI) http.Handler {
	return &invocationNextHandler{api: api}
}

// ServeHTTP long-polls: it answers only when there is an invocation, which may be minutes away for a
// warm environment. The runtime must not time the request out (the Runtime API says so too).
func (h *invocationNextHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	inv, err := h.api.next(r.Context())
	if err != nil {
		if r.Context().Err() != nil {
			return // the runtime hung up; nobody to answer
		}
		renderLifecycleError(w, err)
		return
	}
	hdr := w.Header()
	hdr.Set(headerRequestID, inv.req.RequestID)
	hdr.Set(headerDeadlineMs, strconv.FormatInt(inv.deadline.UnixMilli(), 10))
	hdr.Set(headerInvokedFunctionARN, inv.req.InvokedFunctionARN)
	hdr.Set(headerTraceID, inv.req.TraceID)
	if inv.req.ClientContext != "" {
		hdr.Set(headerClientContext, inv.req.ClientContext)
	}
	hdr.Set("Content-Type", "application/json")
	hdr.Set("Content-Length", strconv.Itoa(len(inv.req.Payload)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(inv.req.Payload)
}
