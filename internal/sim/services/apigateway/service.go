package apigateway

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// SigningName is the SigV4 service name of both API Gateway control planes.
const SigningName = "apigateway"

const (
	bucket = "apigateway/restapis"
	// maxBody bounds a control-plane request; API definitions here are small.
	maxBody = 6 << 20
)

// Config configures the REST API control plane.
type Config struct {
	// Store holds every REST API; required.
	Store *store.Store
	// Clock stamps creation dates; default the wall clock.
	Clock clock.Clock
	// Region and AccountID are the simulated account's; defaults us-east-1 and 000000000000.
	Region    string
	AccountID string
	// Logger receives the service's logs; default slog.Default().
	Logger *slog.Logger
	// V2 serves the HTTP API control plane (paths /v2/...), signed for the same service name;
	// nil answers those paths with the unknown-operation error.
	V2 http.Handler
}

// Service is the simulated API Gateway REST API control plane.
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
		return nil, errors.New("apigateway: a store is required")
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

// Register routes requests signed for "apigateway" to the service: /v2/ paths to Config.V2, the
// rest to the REST API operations. Unsigned requests are the front door's (callers/apigw).
func (s *Service) Register(r *server.Router) { r.Service(SigningName, s) }

// Close releases nothing: the service has no background work.
func (s *Service) Close() error { return nil }

// ServeHTTP dispatches between the two control planes that share the signing name.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/v2" || strings.HasPrefix(r.URL.Path, "/v2/") {
		if s.cfg.V2 == nil {
			awswire.WriteRestJSONError(w, errUnknownOperation(r))
			return
		}
		s.cfg.V2.ServeHTTP(w, r)
		return
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Service) routes() {
	m := http.NewServeMux()
	s.mux = m
	const api = "/restapis/{restApiId}"
	const res = api + "/resources/{resourceId}"
	const meth = res + "/methods/{httpMethod}"
	route(s, "POST /restapis", http.StatusCreated, s.CreateRestApi)
	route(s, "GET /restapis", http.StatusOK, s.GetRestApis)
	route(s, "GET "+api, http.StatusOK, s.GetRestApi)
	route(s, "DELETE "+api, http.StatusAccepted, s.DeleteRestApi)
	route(s, "GET "+api+"/resources", http.StatusOK, s.GetResources)
	route(s, "GET "+res, http.StatusOK, s.GetResource)
	// CreateResource posts to the parent's path.
	route(s, "POST "+res, http.StatusCreated, s.CreateResource)
	route(s, "DELETE "+res, http.StatusAccepted, s.DeleteResource)
	route(s, "PUT "+meth, http.StatusCreated, s.PutMethod)
	route(s, "GET "+meth, http.StatusOK, s.GetMethod)
	route(s, "DELETE "+meth, http.StatusNoContent, s.DeleteMethod)
	route(s, "PUT "+meth+"/integration", http.StatusCreated, s.PutIntegration)
	route(s, "GET "+meth+"/integration", http.StatusOK, s.GetIntegration)
	route(s, "DELETE "+meth+"/integration", http.StatusNoContent, s.DeleteIntegration)
	route(s, "POST "+api+"/deployments", http.StatusCreated, s.CreateDeployment)
	route(s, "GET "+api+"/deployments", http.StatusOK, s.GetDeployments)
	route(s, "GET "+api+"/deployments/{deploymentId}", http.StatusOK, s.GetDeployment)
	route(s, "POST "+api+"/stages", http.StatusCreated, s.CreateStage)
	route(s, "GET "+api+"/stages", http.StatusOK, s.GetStages)
	route(s, "GET "+api+"/stages/{stageName}", http.StatusOK, s.GetStage)
	route(s, "DELETE "+api+"/stages/{stageName}", http.StatusAccepted, s.DeleteStage)
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		awswire.WriteRestJSONError(w, errUnknownOperation(r))
	})
}

// pathBinder is implemented by inputs with members bound from the URI or the query string.
type pathBinder interface{ bind(r *http.Request) }

// route serves one operation: the JSON body (when any) decodes into In, URI and query members
// bind after it (they win, as the SDK's serializer puts them only there), Out answers as JSON.
func route[In any, Out any](s *Service, pattern string, status int, op func(context.Context, *In) (*Out, *awswire.Error)) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		in := new(In)
		if e := decodeInput(r, in); e != nil {
			awswire.WriteRestJSONError(w, e)
			return
		}
		out, e := op(r.Context(), in)
		if e != nil {
			awswire.WriteRestJSONError(w, e)
			return
		}
		if status == http.StatusNoContent || status == http.StatusAccepted {
			w.WriteHeader(status)
			return
		}
		awswire.WriteJSON(w, status, out)
	})
}

// decodeInput reads the request into in: JSON body, then URI and query members.
func decodeInput(r *http.Request, in any) *awswire.Error {
	body, err := awswire.ReadBody(r, maxBody)
	if err != nil {
		return badRequest("Request body too large or unreadable: %v", err)
	}
	if err := awswire.DecodeJSON(body, in); err != nil {
		return errSerialization(err)
	}
	if b, ok := in.(pathBinder); ok {
		b.bind(r)
	}
	return nil
}

// Empty is the output of operations that answer without a body.
type Empty struct{}

// load reads one REST API document.
func load(tx *store.Tx, id string) (*restAPIDoc, *awswire.Error) {
	var doc restAPIDoc
	if err := tx.Get(bucket, id, &doc); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, errRestAPINotFound(id)
		}
		return nil, awswire.InternalError(err)
	}
	if doc.Resources == nil {
		doc.Resources = map[string]*Resource{}
	}
	if doc.Deployments == nil {
		doc.Deployments = map[string]*deploymentDoc{}
	}
	if doc.Stages == nil {
		doc.Stages = map[string]*Stage{}
	}
	return &doc, nil
}

// view runs fn over one REST API read-only.
func (s *Service) view(id string, fn func(doc *restAPIDoc) *awswire.Error) *awswire.Error {
	var e *awswire.Error
	err := s.store.View(func(tx *store.Tx) error {
		doc, le := load(tx, id)
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

// update runs fn over one REST API and stores the result when fn succeeds, in one transaction.
func (s *Service) update(id string, fn func(doc *restAPIDoc) *awswire.Error) *awswire.Error {
	var e *awswire.Error
	err := s.store.Update(func(tx *store.Tx) error {
		doc, le := load(tx, id)
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

func (s *Service) now() float64 { return epoch(s.clock.Now()) }

func epoch(t time.Time) float64 { return float64(t.Unix()) }

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// newID returns n random lowercase alphanumeric characters, the shape of API Gateway's ids
// (10 for APIs and root resources, 6 for resources and deployments).
func newID(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return string(b)
}

// clone deep-copies a JSON-shaped value (resource trees for deployment snapshots).
func clone[T any](v T) T {
	var out T
	data, _ := json.Marshal(v)
	json.Unmarshal(data, &out)
	return out
}
