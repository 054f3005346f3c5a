package apigatewayv2

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

const (
	bucket  = "apigatewayv2/apis"
	maxBody = 6 << 20
)

// Config configures the HTTP API control plane.
type Config struct {
	// Store holds every HTTP API; required.
	Store *store.Store
	// Clock stamps creation dates; default the wall clock.
	Clock clock.Clock
	// Region and AccountID are the simulated account's; defaults us-east-1 and 000000000000.
	Region    string
	AccountID string
	// Logger receives the service's logs; default slog.Default().
	Logger *slog.Logger
	// Endpoint is the simulator's URL; an API's apiEndpoint is http://<api-id>.execute-api.localhost:<port>
	// on it (the front door's Host route). Nil: AWS's https://<api-id>.execute-api.<region>.amazonaws.com.
	Endpoint func() string
}

// Service is the simulated API Gateway v2 (HTTP APIs) control plane. It is an http.Handler for
// the /v2/ paths; package apigateway routes them here.
type Service struct {
	cfg   Config
	clock clock.Clock
	log   *slog.Logger
	store *store.Store
	mux   *http.ServeMux
}

var _ http.Handler = (*Service)(nil)

// New returns the service over the store.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("apigatewayv2: a store is required")
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
	s := &Service{cfg: cfg, clock: cfg.Clock, log: cfg.Logger, store: cfg.Store}
	s.routes()
	return s, nil
}

// Close releases nothing: the service has no background work.
func (s *Service) Close() error { return nil }

// ServeHTTP serves the /v2/ operations.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

func (s *Service) routes() {
	s.mux = http.NewServeMux()
	const api = "/v2/apis/{apiId}"
	route(s, "POST /v2/apis", http.StatusCreated, s.CreateApi)
	route(s, "GET /v2/apis", http.StatusOK, s.GetApis)
	route(s, "GET "+api, http.StatusOK, s.GetApi)
	route(s, "DELETE "+api, http.StatusNoContent, s.DeleteApi)
	route(s, "POST "+api+"/integrations", http.StatusCreated, s.CreateIntegration)
	route(s, "GET "+api+"/integrations", http.StatusOK, s.GetIntegrations)
	route(s, "GET "+api+"/integrations/{integrationId}", http.StatusOK, s.GetIntegration)
	route(s, "DELETE "+api+"/integrations/{integrationId}", http.StatusNoContent, s.DeleteIntegration)
	route(s, "POST "+api+"/routes", http.StatusCreated, s.CreateRoute)
	route(s, "GET "+api+"/routes", http.StatusOK, s.GetRoutes)
	route(s, "GET "+api+"/routes/{routeId}", http.StatusOK, s.GetRoute)
	route(s, "DELETE "+api+"/routes/{routeId}", http.StatusNoContent, s.DeleteRoute)
	route(s, "POST "+api+"/stages", http.StatusCreated, s.CreateStage)
	route(s, "GET "+api+"/stages", http.StatusOK, s.GetStages)
	route(s, "GET "+api+"/stages/{stageName}", http.StatusOK, s.GetStage)
	route(s, "DELETE "+api+"/stages/{stageName}", http.StatusNoContent, s.DeleteStage)
	route(s, "POST "+api+"/deployments", http.StatusCreated, s.CreateDeployment)
	route(s, "GET "+api+"/deployments", http.StatusOK, s.GetDeployments)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		awswire.WriteRestJSONError(w, errUnknownOperation(r))
	})
}

type pathBinder interface{ bind(r *http.Request) }

// route serves one operation: JSON body into In, then URI and query members; Out as JSON.
func route[In any, Out any](s *Service, pattern string, status int, op func(context.Context, *In) (*Out, *awswire.Error)) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		in := new(In)
		body, err := awswire.ReadBody(r, maxBody)
		if err != nil {
			awswire.WriteRestJSONError(w, badRequest("Request body too large or unreadable: %v", err))
			return
		}
		if err := awswire.DecodeJSON(body, in); err != nil {
			awswire.WriteRestJSONError(w, badRequest("Could not parse request body into json: %v", err))
			return
		}
		if b, ok := any(in).(pathBinder); ok {
			b.bind(r)
		}
		out, e := op(r.Context(), in)
		if e != nil {
			awswire.WriteRestJSONError(w, e)
			return
		}
		if status == http.StatusNoContent {
			w.WriteHeader(status)
			return
		}
		awswire.WriteJSON(w, status, out)
	})
}

// Empty is the output of operations that answer without a body.
type Empty struct{}

func (s *Service) load(tx *store.Tx, id string) (*apiDoc, *awswire.Error) {
	var doc apiDoc
	if err := tx.Get(bucket, id, &doc); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, errAPINotFound(s.cfg.AccountID, id)
		}
		return nil, awswire.InternalError(err)
	}
	if doc.Integrations == nil {
		doc.Integrations = map[string]*Integration{}
	}
	if doc.Routes == nil {
		doc.Routes = map[string]*Route{}
	}
	if doc.Stages == nil {
		doc.Stages = map[string]*Stage{}
	}
	if doc.Deployments == nil {
		doc.Deployments = map[string]*deploymentDoc{}
	}
	return &doc, nil
}

func (s *Service) view(id string, fn func(doc *apiDoc) *awswire.Error) *awswire.Error {
	var e *awswire.Error
	err := s.store.View(func(tx *store.Tx) error {
		doc, le := s.load(tx, id)
		if le != nil {
			e = le
			return nil
		}
		e = fn(doc)
		return nil
	})
	if err != nil {
		return awswire.InternalError(err)
	}
	return e
}

func (s *Service) update(id string, fn func(doc *apiDoc) *awswire.Error) *awswire.Error {
	var e *awswire.Error
	err := s.store.Update(func(tx *store.Tx) error {
		doc, le := s.load(tx, id)
		if le != nil {
			e = le
			return nil
		}
		if e = fn(doc); e != nil {
			return nil
		}
		return tx.Put(bucket, id, doc)
	})
	if err != nil {
		return awswire.InternalError(err)
	}
	return e
}

func (s *Service) now() Timestamp { return Timestamp(s.clock.Now().UTC().Truncate(time.Second)) }

// apiEndpoint is the URL an API is called at: the front door's Host route on the simulator.
func (s *Service) apiEndpoint(id string) string {
	if s.cfg.Endpoint != nil {
		if u, err := url.Parse(s.cfg.Endpoint()); err == nil && u.Host != "" {
			port := u.Port()
			host := id + ".execute-api.localhost"
			if port != "" {
				host += ":" + port
			}
			return u.Scheme + "://" + host
		}
	}
	return "https://" + id + ".execute-api." + s.cfg.Region + ".amazonaws.com"
}

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// newID returns n random lowercase alphanumerics: 10 for APIs, 7 for the rest, as AWS's look.
func newID(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return string(b)
}

func clone[T any](v T) T {
	var out T
	data, _ := json.Marshal(v)
	json.Unmarshal(data, &out)
	return out
}
