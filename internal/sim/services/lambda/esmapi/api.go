package esmapi

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/esm"
)

// Patterns are the ServeMux patterns to mount Handler at on the Lambda service.
var Patterns = []string{"/2015-03-31/event-source-mappings", "/2015-03-31/event-source-mappings/"}

// maxBody bounds a request (Lambda's limit for requests other than code uploads).
const maxBody = 256 << 10

// API serves the event source mapping operations of an esm.Service.
type API struct {
	svc *esm.Service
	log *slog.Logger
	mux *http.ServeMux
}

// New returns the API of svc.
func New(svc *esm.Service, log *slog.Logger) *API {
	if log == nil {
		log = slog.Default()
	}
	a := &API{svc: svc, log: log, mux: http.NewServeMux()}
	a.routes()
	return a
}

// Handler serves Patterns.
func (a *API) Handler() http.Handler { return a.mux }

func (a *API) routes() {
	const base = "/2015-03-31/event-source-mappings"
	for _, p := range []string{base, base + "/{$}"} {
		a.mux.HandleFunc("POST "+p, a.create)
		a.mux.HandleFunc("GET "+p, a.list)
	}
	a.mux.HandleFunc("GET "+base+"/{UUID}", func(w http.ResponseWriter, r *http.Request) {
		out, e := a.svc.GetEventSourceMapping(r.Context(), r.PathValue("UUID"))
		reply(w, http.StatusOK, out, e)
	})
	a.mux.HandleFunc("PUT "+base+"/{UUID}", a.update)
	a.mux.HandleFunc("DELETE "+base+"/{UUID}", func(w http.ResponseWriter, r *http.Request) {
		out, e := a.svc.DeleteEventSourceMapping(r.Context(), r.PathValue("UUID"))
		reply(w, http.StatusAccepted, out, e)
	})
	a.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		awswire.WriteRestJSONError(w, awswire.Errorf(http.StatusNotFound, "UnknownOperationException", "Unknown operation %s %s", r.Method, r.URL.Path))
	})
}

func (a *API) create(w http.ResponseWriter, r *http.Request) {
	body, e := readBody(r)
	if e != nil {
		reply[struct{}](w, 0, nil, e)
		return
	}
	in, e := DecodeCreate(body)
	if e != nil {
		reply[struct{}](w, 0, nil, e)
		return
	}
	out, e := a.svc.CreateEventSourceMapping(r.Context(), in)
	a.logServerError("CreateEventSourceMapping", e)
	reply(w, http.StatusAccepted, out, e)
}

func (a *API) update(w http.ResponseWriter, r *http.Request) {
	body, e := readBody(r)
	if e != nil {
		reply[struct{}](w, 0, nil, e)
		return
	}
	in, e := DecodeUpdate(body)
	if e != nil {
		reply[struct{}](w, 0, nil, e)
		return
	}
	in.UUID = r.PathValue("UUID")
	out, e := a.svc.UpdateEventSourceMapping(r.Context(), in)
	a.logServerError("UpdateEventSourceMapping", e)
	reply(w, http.StatusAccepted, out, e)
}

func (a *API) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	in := &esm.ListEventSourceMappingsInput{EventSourceArn: q.Get("EventSourceArn"), FunctionName: q.Get("FunctionName"), Marker: q.Get("Marker")}
	if v := q.Get("MaxItems"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			reply[struct{}](w, 0, nil, awswire.Errorf(http.StatusBadRequest, "ValidationException",
				"1 validation error detected: Value '%s' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000", v))
			return
		}
		in.MaxItems = n
	}
	out, e := a.svc.ListEventSourceMappings(r.Context(), in)
	reply(w, http.StatusOK, out, e)
}

func (a *API) logServerError(op string, e *awswire.Error) {
	if e != nil && e.Status >= 500 {
		a.log.Error("operation failed", "operation", op, "error", e.Message)
	}
}

func readBody(r *http.Request) ([]byte, *awswire.Error) {
	body, err := awswire.ReadBody(r, maxBody)
	if errors.Is(err, awswire.ErrBodyTooLarge) {
		return nil, awswire.Errorf(http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException", "Request must be smaller than %d bytes", maxBody)
	}
	if err != nil {
		return nil, awswire.InternalError(err)
	}
	return body, nil
}

func parseError(err error) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "InvalidRequestContentException", "Could not parse request body into json: %v", err)
}

// DecodeCreate decodes CreateEventSourceMapping's JSON body.
func DecodeCreate(body []byte) (*esm.CreateEventSourceMappingInput, *awswire.Error) {
	in := new(esm.CreateEventSourceMappingInput)
	if len(strings.TrimSpace(string(body))) == 0 {
		return in, nil
	}
	if err := awswire.DecodeJSON(body, in); err != nil {
		return nil, parseError(err)
	}
	return in, nil
}

// DecodeUpdate decodes UpdateEventSourceMapping's JSON body.
func DecodeUpdate(body []byte) (*esm.UpdateEventSourceMappingInput, *awswire.Error) {
	in := new(esm.UpdateEventSourceMappingInput)
	if len(strings.TrimSpace(string(body))) == 0 {
		return in, nil
	}
	if err := awswire.DecodeJSON(body, &in.Settings); err != nil {
		return nil, parseError(err)
	}
	return in, nil
}

func reply[T any](w http.ResponseWriter, status int, out *T, e *awswire.Error) {
	if e != nil {
		awswire.WriteRestJSONError(w, e)
		return
	}
	awswire.WriteJSON(w, status, out)
}
