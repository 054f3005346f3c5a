package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/runtime"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// PathPrefixes are the paths of Lambda's REST API. The front door routes unsigned requests under
// them here (signed ones come by their SigV4 service name, "lambda"); operations the simulator does
// not serve yet answer UnknownOperationException in Lambda's error shape.
var PathPrefixes = []string{
	"/2014-11-13/functions",
	"/2015-03-31/event-source-mappings",
	"/2015-03-31/functions",
	"/2016-08-19/account-settings",
	"/2017-03-31/tags",
	"/2017-10-31/functions",
	"/2018-10-31/layers",
	"/2019-09-25/functions",
	"/2019-09-30/functions",
	"/2020-04-22/code-signing-configs",
	"/2020-06-30/functions",
	"/2021-07-20/functions",
	"/2021-10-31/functions",
	"/2021-11-15/functions",
	"/2024-08-31/functions",
}

// DefaultActivationDelay is how long, in simulated time, a new function stays Pending (and an
// update InProgress) before it becomes Active (Successful). AWS takes from under a second to
// minutes; clients that skip the waiters see the same 409s they would see on AWS.
const DefaultActivationDelay = 150 * time.Millisecond

// Request size limits. AWS refuses larger bodies with RequestEntityTooLargeException: for
// CreateFunction and UpdateFunctionCode the limit is the base64 of a 50 MB package.
const (
	maxCodeRequest  = 69905067
	maxOtherRequest = 6291456
)

// Config configures the Lambda API.
type Config struct {
	Store     *store.Store
	Runtime   *runtime.Manager
	Invoker   *invoke.Invoker
	Clock     clock.Clock
	Region    string
	AccountID string
	Logger    *slog.Logger
	// ActivationDelay is how long functions stay Pending and updates InProgress; 0 means
	// DefaultActivationDelay. It runs on Clock.
	ActivationDelay time.Duration
	// OnEnqueue is called after an Event invocation is stored, to wake the async queue; optional.
	OnEnqueue func()
	// Roles checks what execution roles allow (a dead-letter queue's SendMessage); nil allows all.
	Roles RoleChecker
}

// Service serves Lambda's control plane and its Invoke API (restJson1, API version 2015-03-31).
type Service struct {
	store           *store.Store
	runtime         *runtime.Manager
	invoker         *invoke.Invoker
	clock           clock.Clock
	region          string
	accountID       string
	logger          *slog.Logger
	activationDelay time.Duration
	onEnqueue       func()
	roles           RoleChecker

	mux         *http.ServeMux
	deleteHooks []func(functionName, qualifier string)

	mu     sync.Mutex
	closed bool
	done   chan struct{} // closed by Close: pending state changes stop waiting
	wg     sync.WaitGroup
}

// New builds the service on the store's state: it tells the invoker every function's reserved
// concurrency and resumes the state changes that were under way when the simulator stopped.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Runtime == nil || cfg.Invoker == nil {
		return nil, errors.New("lambda: Store, Runtime and Invoker are required")
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
	if cfg.ActivationDelay <= 0 {
		cfg.ActivationDelay = DefaultActivationDelay
	}
	s := &Service{
		store:           cfg.Store,
		runtime:         cfg.Runtime,
		invoker:         cfg.Invoker,
		clock:           cfg.Clock,
		region:          cfg.Region,
		accountID:       cfg.AccountID,
		logger:          cfg.Logger.With("service", "lambda"),
		activationDelay: cfg.ActivationDelay,
		onEnqueue:       cfg.OnEnqueue,
		roles:           cfg.Roles,
		done:            make(chan struct{}),
	}
	s.routes()
	if err := s.resume(); err != nil {
		return nil, err
	}
	return s, nil
}

// Close stops the pending state changes; they resume when a service is built on the store again.
func (s *Service) Close() error {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.done)
	}
	s.mu.Unlock()
	s.wg.Wait()
	return nil
}

func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, pattern := s.mux.Handler(r); pattern == "" {
		awswire.WriteRestJSONError(w, awswire.Errorf(http.StatusBadRequest, "UnknownOperationException",
			"The lambdatrigger simulator does not serve this Lambda operation (%s %s); see the README's support matrix.", r.Method, r.URL.Path))
		return
	}
	s.mux.ServeHTTP(w, r)
}

// Mount serves the given ServeMux patterns of the Lambda API with h: the parts of Lambda that live in
// packages of their own (event invoke configs, event source mappings, function URL configs) are
// reached through the Lambda service, as on AWS, but written apart. Call it before serving.
func (s *Service) Mount(h http.Handler, patterns ...string) {
	for _, p := range patterns {
		s.mux.Handle(p, h)
	}
}

func (s *Service) routes() {
	s.mux = http.NewServeMux()
	const fn = "/2015-03-31/functions/{FunctionName}"

	handle(s, "CreateFunction", http.StatusCreated, maxCodeRequest, s.CreateFunction, nil,
		"POST /2015-03-31/functions", "POST /2015-03-31/functions/{$}")
	handle(s, "ListFunctions", http.StatusOK, 0, s.ListFunctions, bindListFunctions,
		"GET /2015-03-31/functions", "GET /2015-03-31/functions/{$}")
	handle(s, "GetFunction", http.StatusOK, 0, s.GetFunction, bindFunctionQualifier[GetFunctionInput],
		"GET "+fn, "GET "+fn+"/{$}")
	handle(s, "DeleteFunction", http.StatusNoContent, 0, s.DeleteFunction, bindFunctionQualifier[DeleteFunctionInput],
		"DELETE "+fn, "DELETE "+fn+"/{$}")
	handle(s, "GetFunctionConfiguration", http.StatusOK, 0, s.GetFunctionConfiguration, bindFunctionQualifier[GetFunctionConfigurationInput],
		"GET "+fn+"/configuration", "GET "+fn+"/configuration/{$}")
	handle(s, "UpdateFunctionConfiguration", http.StatusOK, maxOtherRequest, s.UpdateFunctionConfiguration, bindFunctionName[UpdateFunctionConfigurationInput],
		"PUT "+fn+"/configuration", "PUT "+fn+"/configuration/{$}")
	handle(s, "UpdateFunctionCode", http.StatusOK, maxCodeRequest, s.UpdateFunctionCode, bindFunctionName[UpdateFunctionCodeInput],
		"PUT "+fn+"/code", "PUT "+fn+"/code/{$}")
	handle(s, "PublishVersion", http.StatusCreated, maxOtherRequest, s.PublishVersion, bindFunctionName[PublishVersionInput],
		"POST "+fn+"/versions", "POST "+fn+"/versions/{$}")
	handle(s, "ListVersionsByFunction", http.StatusOK, 0, s.ListVersionsByFunction, bindListVersions,
		"GET "+fn+"/versions", "GET "+fn+"/versions/{$}")
	handle(s, "CreateAlias", http.StatusCreated, maxOtherRequest, s.CreateAlias, bindFunctionName[CreateAliasInput],
		"POST "+fn+"/aliases", "POST "+fn+"/aliases/{$}")
	handle(s, "ListAliases", http.StatusOK, 0, s.ListAliases, bindListAliases,
		"GET "+fn+"/aliases", "GET "+fn+"/aliases/{$}")
	handle(s, "GetAlias", http.StatusOK, 0, s.GetAlias, bindAlias,
		"GET "+fn+"/aliases/{Name}")
	handle(s, "UpdateAlias", http.StatusOK, maxOtherRequest, s.UpdateAlias, bindUpdateAlias,
		"PUT "+fn+"/aliases/{Name}")
	handle(s, "DeleteAlias", http.StatusNoContent, 0, s.DeleteAlias, bindAlias,
		"DELETE "+fn+"/aliases/{Name}")
	handle(s, "AddPermission", http.StatusCreated, maxOtherRequest, s.AddPermission, bindFunctionQualifier[AddPermissionInput],
		"POST "+fn+"/policy", "POST "+fn+"/policy/{$}")
	handle(s, "GetPolicy", http.StatusOK, 0, s.GetPolicy, bindFunctionQualifier[GetPolicyInput],
		"GET "+fn+"/policy", "GET "+fn+"/policy/{$}")
	handle(s, "RemovePermission", http.StatusNoContent, 0, s.RemovePermission, bindRemovePermission,
		"DELETE "+fn+"/policy/{StatementId}")
	handle(s, "PutFunctionConcurrency", http.StatusOK, maxOtherRequest, s.PutFunctionConcurrency, bindFunctionName[PutFunctionConcurrencyInput],
		"PUT /2017-10-31/functions/{FunctionName}/concurrency")
	handle(s, "DeleteFunctionConcurrency", http.StatusNoContent, 0, s.DeleteFunctionConcurrency, bindFunctionName[DeleteFunctionConcurrencyInput],
		"DELETE /2017-10-31/functions/{FunctionName}/concurrency")
	handle(s, "GetFunctionConcurrency", http.StatusOK, 0, s.GetFunctionConcurrency, bindFunctionName[GetFunctionConcurrencyInput],
		"GET /2019-09-30/functions/{FunctionName}/concurrency")
	handle(s, "GetAccountSettings", http.StatusOK, 0, s.GetAccountSettings, nil,
		"GET /2016-08-19/account-settings", "GET /2016-08-19/account-settings/{$}")
	handle(s, "TagResource", http.StatusNoContent, maxOtherRequest, s.TagResource, bindResource[TagResourceInput],
		"POST /2017-03-31/tags/{Resource...}")
	handle(s, "UntagResource", http.StatusNoContent, 0, s.UntagResource, bindUntagResource,
		"DELETE /2017-03-31/tags/{Resource...}")
	handle(s, "ListTags", http.StatusOK, 0, s.ListTags, bindResource[ListTagsInput],
		"GET /2017-03-31/tags/{Resource...}")

	s.mux.HandleFunc("POST "+fn+"/invocations", s.serveInvoke)
	s.mux.HandleFunc("POST "+fn+"/invocations/{$}", s.serveInvoke)
	s.mux.HandleFunc("POST /2014-11-13/functions/{FunctionName}/invoke-async", s.serveInvokeAsync)
	s.mux.HandleFunc("POST /2014-11-13/functions/{FunctionName}/invoke-async/{$}", s.serveInvokeAsync)
	s.mux.HandleFunc("GET "+fn+"/code.zip", s.serveCode)
}

// handle registers an operation under its patterns. The input is decoded from the JSON body
// (when limit > 0 and there is one), then bind fills the members bound to the path, the query
// string and the headers. A nil output answers status with no body.
func handle[In, Out any](s *Service, operation string, status int, limit int64,
	op func(ctx context.Context, in *In) (*Out, *awswire.Error),
	bind func(r *http.Request, in *In), patterns ...string) {
	h := func(w http.ResponseWriter, r *http.Request) {
		in := new(In)
		if limit > 0 {
			body, err := awswire.ReadBody(r, limit)
			if errors.Is(err, awswire.ErrBodyTooLarge) {
				awswire.WriteRestJSONError(w, tooLarge(int(limit), operation))
				return
			}
			if err != nil {
				awswire.WriteRestJSONError(w, internalError(err))
				return
			}
			if err := awswire.DecodeJSON(body, in); err != nil {
				awswire.WriteRestJSONError(w, lambdaError(http.StatusBadRequest, "InvalidRequestContentException",
					"Could not parse request body into json: %v", err))
				return
			}
		}
		if bind != nil {
			bind(r, in)
		}
		out, e := op(context.WithValue(r.Context(), requestKey{}, r), in)
		if e != nil {
			if e.Status >= 500 {
				s.logger.Error("operation failed", "operation", operation, "error", e.Message)
			}
			awswire.WriteRestJSONError(w, e)
			return
		}
		if out == nil {
			w.WriteHeader(status)
			return
		}
		awswire.WriteJSON(w, status, out)
	}
	for _, p := range patterns {
		s.mux.HandleFunc(p, h)
	}
}

// Binders of the members that restJson carries outside the body.

type functionNamed interface{ setFunctionName(string) }

type qualified interface {
	functionNamed
	setQualifier(string)
}

func bindFunctionName[In any, P interface {
	*In
	functionNamed
}](r *http.Request, in *In) {
	P(in).setFunctionName(r.PathValue("FunctionName"))
}

func bindFunctionQualifier[In any, P interface {
	*In
	qualified
}](r *http.Request, in *In) {
	P(in).setFunctionName(r.PathValue("FunctionName"))
	P(in).setQualifier(r.URL.Query().Get("Qualifier"))
}

type resourceNamed interface{ setResource(string) }

func bindResource[In any, P interface {
	*In
	resourceNamed
}](r *http.Request, in *In) {
	P(in).setResource(r.PathValue("Resource"))
}

// writeRaw answers a body that is not JSON-encoded by us (Invoke's payload).
func writeRaw(w http.ResponseWriter, status int, contentType string, body []byte) {
	if contentType != "" {
		w.Header().Set("Content-Type", contentType)
	}
	w.WriteHeader(status)
	w.Write(body)
}

// mustJSON encodes v for a string member that holds a JSON document (a policy, a statement).
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return string(b)
}
