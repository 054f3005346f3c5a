package runtime

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
)

// Trailers a runtime sends when a response it was streaming failed midway (aws-lambda-go does).
const (
	trailerErrorType = "Lambda-Runtime-Function-Error-Type"
	trailerErrorBody = "Lambda-Runtime-Function-Error-Body"
)

type invocationResponseHandler struct {
	api     runtimeAPI
	maxBody int64
}

func newInvocationResponseHandler(api runtimeAPI, maxBody int64) http.Handler {
	return &invocationResponseHandler{api: api, maxBody: maxBody}
}

// ServeHTTP records the function's response. Over the response quota the runtime gets 413 and the
// caller Function.ResponseSizeTooLarge, as the Runtime API behaves on AWS.
func (h *invocationResponseHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("awsRequestId")
	if err := h.api.checkRequest(id); err != nil {
		renderLifecycleError(w, err)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, h.maxBody+1))
	if err != nil {
		renderJSON(w, http.StatusBadRequest, apiError{ErrorMessage: "HTTP request detected as truncated", ErrorType: apiErrorBadRequest})
		return
	}
	if int64(len(body)) > h.maxBody {
		size := int64(len(body))
		if n, err := io.Copy(io.Discard, r.Body); err == nil {
			size += n
		}
		fe := &functionError{
			ErrorType:    errorTypeResponseTooLarge,
			ErrorMessage: fmt.Sprintf("Response payload size (%d bytes) exceeded maximum allowed payload size (%d bytes).", size, h.maxBody),
		}
		if err := h.api.answer(id, fe.answer()); err != nil {
			renderLifecycleError(w, err)
			return
		}
		renderJSON(w, http.StatusRequestEntityTooLarge, apiError{
			ErrorMessage: fmt.Sprintf("Exceeded maximum allowed payload size (%d bytes).", h.maxBody),
			ErrorType:    apiErrorRequestEntityTooLarge,
		})
		return
	}
	a := &functionAnswer{payload: body}
	if errType := r.Trailer.Get(trailerErrorType); errType != "" {
		// The body was cut short by an error; the error is the answer.
		errBody, _ := base64.StdEncoding.DecodeString(r.Trailer.Get(trailerErrorBody))
		a = postedError(errType, errBody)
	}
	if err := h.api.answer(id, a); err != nil {
		renderLifecycleError(w, err)
		return
	}
	renderAccepted(w)
}
