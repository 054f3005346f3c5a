package eventconfig

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Bucket is where configs are stored, keyed "<function>:<qualifier>".
const Bucket = "eventconfig/configs"

// latest is the qualifier of the unpublished version.
const latest = "$LATEST"

// Patterns are the ServeMux patterns of the API; the lead mounts Handler at them on the Lambda
// service: lambdaSvc.Mount(ec.Handler(), eventconfig.Patterns...).
var Patterns = []string{
	"/2019-09-25/functions/{FunctionName}/event-invoke-config",
	"/2019-09-25/functions/{FunctionName}/event-invoke-config/{$}",
	"/2019-09-25/functions/{FunctionName}/event-invoke-config/list",
	"/2019-09-25/functions/{FunctionName}/event-invoke-config/list/{$}",
}

// RoleChecker answers whether an IAM role may perform action on resource; the simulated IAM
// implements it. reason explains a denial ("no identity-based policy allows sqs:SendMessage").
type RoleChecker interface {
	Allowed(ctx context.Context, roleARN, action, resource string) (allowed bool, reason string, err error)
}

// FunctionInfo reads a function version's (or alias's) configuration: its ARN, role and
// DeadLetterConfig. *lambda.Service implements it.
type FunctionInfo interface {
	GetFunctionConfiguration(ctx context.Context, in *lambda.GetFunctionConfigurationInput) (*lambda.FunctionConfiguration, *awswire.Error)
}

// Config configures the service.
type Config struct {
	Store     *store.Store
	Clock     clock.Clock
	Functions FunctionInfo
	// Roles checks the execution role's permission to each destination; nil allows everything.
	Roles     RoleChecker
	Region    string
	AccountID string
	Logger    *slog.Logger
}

// Service serves the event invoke config API.
type Service struct {
	cfg Config
	mux *http.ServeMux
}

// New returns the service.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Functions == nil {
		return nil, errors.New("eventconfig: a store and the Lambda service are required")
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.AccountID == "" {
		cfg.AccountID = "000000000000"
	}
	s := &Service{cfg: cfg, mux: http.NewServeMux()}
	s.routes()
	return s, nil
}

// Handler serves Patterns.
func (s *Service) Handler() http.Handler { return s.mux }

// Close has nothing to stop: the service has no background work.
func (s *Service) Close() error { return nil }

func (s *Service) routes() {
	const base = "/2019-09-25/functions/{FunctionName}/event-invoke-config"
	for _, suffix := range []string{"", "/{$}"} {
		s.mux.HandleFunc("PUT "+base+suffix, s.serveWrite("PutFunctionEventInvokeConfig", s.PutFunctionEventInvokeConfig))
		s.mux.HandleFunc("POST "+base+suffix, s.serveWrite("UpdateFunctionEventInvokeConfig", s.UpdateFunctionEventInvokeConfig))
		s.mux.HandleFunc("GET "+base+suffix, func(w http.ResponseWriter, r *http.Request) {
			out, e := s.GetFunctionEventInvokeConfig(r.Context(), &GetFunctionEventInvokeConfigInput{FunctionName: r.PathValue("FunctionName"), Qualifier: r.URL.Query().Get("Qualifier")})
			reply(w, http.StatusOK, out, e)
		})
		s.mux.HandleFunc("DELETE "+base+suffix, func(w http.ResponseWriter, r *http.Request) {
			_, e := s.DeleteFunctionEventInvokeConfig(r.Context(), &DeleteFunctionEventInvokeConfigInput{FunctionName: r.PathValue("FunctionName"), Qualifier: r.URL.Query().Get("Qualifier")})
			reply[struct{}](w, http.StatusNoContent, nil, e)
		})
		s.mux.HandleFunc("GET "+base+"/list"+suffix, func(w http.ResponseWriter, r *http.Request) {
			in := &ListFunctionEventInvokeConfigsInput{FunctionName: r.PathValue("FunctionName"), Marker: r.URL.Query().Get("Marker")}
			if v := r.URL.Query().Get("MaxItems"); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil {
					reply[struct{}](w, 0, nil, invalidParameter("Invalid MaxItems: %s", v))
					return
				}
				m := int32(n)
				in.MaxItems = &m
			}
			out, e := s.ListFunctionEventInvokeConfigs(r.Context(), in)
			reply(w, http.StatusOK, out, e)
		})
	}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		awswire.WriteRestJSONError(w, awswire.Errorf(http.StatusNotFound, "UnknownOperationException", "Unknown operation %s %s", r.Method, r.URL.Path))
	})
}

// maxBody bounds a config request (Lambda's limit for requests other than code uploads).
const maxBody = 256 << 10

func (s *Service) serveWrite(operation string, op func(context.Context, *PutFunctionEventInvokeConfigInput) (*FunctionEventInvokeConfig, *awswire.Error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		in, e := decodeWrite(r)
		if e != nil {
			reply[struct{}](w, 0, nil, e)
			return
		}
		out, e := op(r.Context(), in)
		if e != nil && e.Status >= 500 {
			s.cfg.Logger.Error("operation failed", "operation", operation, "error", e.Message)
		}
		reply(w, http.StatusOK, out, e)
	}
}

// decodeWrite reads a Put or Update request.
func decodeWrite(r *http.Request) (*PutFunctionEventInvokeConfigInput, *awswire.Error) {
	body, err := awswire.ReadBody(r, maxBody)
	if errors.Is(err, awswire.ErrBodyTooLarge) {
		return nil, awswire.Errorf(http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException", "Request must be smaller than %d bytes", maxBody)
	}
	if err != nil {
		return nil, internalError(err)
	}
	in, e := DecodeWriteBody(body)
	if e != nil {
		return nil, e
	}
	in.FunctionName = r.PathValue("FunctionName")
	in.Qualifier = r.URL.Query().Get("Qualifier")
	return in, nil
}

// DecodeWriteBody decodes the JSON body of Put and Update.
func DecodeWriteBody(body []byte) (*PutFunctionEventInvokeConfigInput, *awswire.Error) {
	in := new(PutFunctionEventInvokeConfigInput)
	if len(strings.TrimSpace(string(body))) == 0 {
		return in, nil
	}
	if err := awswire.DecodeJSON(body, in); err != nil {
		return nil, lambdaError(http.StatusBadRequest, "InvalidRequestContentException", "Could not parse request body into json: %v", err)
	}
	return in, nil
}

func reply[T any](w http.ResponseWriter, status int, out *T, e *awswire.Error) {
	if e != nil {
		awswire.WriteRestJSONError(w, e)
		return
	}
	if out == nil {
		w.WriteHeader(status)
		return
	}
	awswire.WriteJSON(w, status, out)
}

// Register adds no routes of its own: the API is reached through the Lambda service, which
// serves Handler at Patterns (lambdaSvc.Mount). It lets the simulator keep the service with the
// others.
func (s *Service) Register(*server.Router) {}
