// Package sim assembles the simulator: the store, the clock, the execution environments, the
// services and the HTTP front door, on one address. It imports nothing from Terraform, so the
// provider's acceptance tests and the `simulator serve` command run exactly the same engine.
package sim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/admin"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/async"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/callers/alb"
	apigwcaller "github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/callers/apigw"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/callers/functionurl"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/esm"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invlog"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/runtime"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/apigateway"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/apigatewayv2"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/dynamodb"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/elbv2"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/events"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/iam"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/kinesis"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda/esmapi"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda/eventconfig"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda/urlconfig"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/logs"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/s3"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/sns"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/sqs"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/sts"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Version is the simulator's version, reported on /_sim/health.
var Version = "dev"

// Config configures a simulator.
type Config struct {
	// DataDir holds the durable store and extracted code. Required unless InMemory.
	DataDir string
	// InMemory keeps everything in a temporary directory removed on Close (for tests).
	InMemory bool
	// Region and AccountID are the simulated account; defaults us-east-1 and 000000000000.
	Region    string
	AccountID string
	// Clock drives every timer; default the wall clock.
	Clock clock.Clock
	// IdleTimeout is how long an idle execution environment is kept warm; default 10 minutes.
	IdleTimeout time.Duration
	// Logger receives the simulator's own logs; default slog.Default().
	Logger *slog.Logger
	// RelaxRoleChecks treats execution roles that do not exist in the simulated IAM as allowing
	// everything. Roles that do exist are always evaluated. Off by default, as on AWS: a role must
	// allow what Lambda does on a function's behalf (destinations, dead-letter queues, polling).
	RelaxRoleChecks bool
}

// Simulator is a running (or ready to run) simulator.
type Simulator struct {
	cfg      Config
	store    *store.Store
	workDir  string
	runtime  *runtime.Manager
	log      *invlog.Log
	services []service // every service but Lambda, in start order
	iam      *iam.Service
	lambda   *lambda.Service
	handler  http.Handler
	listener net.Listener
	server   *http.Server
	endpoint string
	mu       sync.Mutex
	closed   bool
}

// New opens the store and builds every service; nothing listens until Start or Serve.
func New(cfg Config) (*Simulator, error) {
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.AccountID == "" {
		cfg.AccountID = "000000000000"
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Simulator{cfg: cfg}
	var err error
	switch {
	case cfg.InMemory:
		s.store, err = store.OpenTemp()
		if err == nil {
			s.workDir, err = os.MkdirTemp("", "lambdatrigger-work-")
		}
	case cfg.DataDir == "":
		return nil, errors.New("simulator: a data directory is required unless running in memory")
	default:
		s.store, err = store.Open(cfg.DataDir)
		s.workDir = filepath.Join(cfg.DataDir, "work")
	}
	if err != nil {
		s.closeStorage()
		return nil, err
	}

	log := invlog.New(s.store)
	s.log = log
	if err := s.build(cfg, log); err != nil {
		s.closeServices()
		s.closeStorage()
		return nil, err
	}
	return s, nil
}

// pendingEvents lists the Event invocations accepted and stored but not yet run: what the
// asynchronous model will execute (?function=NAME filters).
func (s *Simulator) pendingEvents(w http.ResponseWriter, r *http.Request) {
	fn := r.URL.Query().Get("function")
	out := []invoke.Event{}
	err := s.store.View(func(tx *store.Tx) error {
		return tx.ForEach(invoke.PendingEventsBucket, "", func(_ string, v []byte) error {
			var ev invoke.Event
			if err := json.Unmarshal(v, &ev); err != nil {
				return err
			}
			if fn == "" || ev.FunctionName == fn {
				out = append(out, ev)
			}
			return nil
		})
	})
	w.Header().Set("Content-Type", "application/json")
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		json.NewEncoder(w).Encode(map[string]string{"message": err.Error()})
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"events": out})
}

// lambdaPolicy answers policy checks with the Lambda service once it exists.
type lambdaPolicy struct{ svc *lambda.Service }

func (p *lambdaPolicy) AllowsInvoke(ctx context.Context, functionARN, principal, sourceARN, sourceAccount string) (bool, error) {
	if p.svc == nil {
		return false, errors.New("the Lambda service is not running")
	}
	return p.svc.AllowsInvoke(ctx, functionARN, principal, sourceARN, sourceAccount)
}

// service is what every simulated AWS API offers the assembly.
type service interface {
	Register(r *server.Router)
	Close() error
}

// build creates every service in dependency order and routes them. Services that deliver to one
// another (SNS to SQS, S3 to Lambda, ...) meet on one deliver.Bus; each registers its receiver there.
func (s *Simulator) build(cfg Config, log *invlog.Log) error {
	bus := deliver.NewBus()
	// CloudWatch Logs receives function logs from the runtime, which Lambda needs, while Logs checks
	// Lambda's policies: the policy reaches Logs through this late-bound reference.
	policy := &lambdaPolicy{}

	iamSvc, err := iam.New(iam.Config{Store: s.store, Clock: cfg.Clock, AccountID: cfg.AccountID,
		Logger: cfg.Logger.With("service", "iam"), RelaxRoleChecks: cfg.RelaxRoleChecks})
	if err != nil {
		return fmt.Errorf("starting IAM: %w", err)
	}
	s.services = append(s.services, iamSvc)
	s.iam = iamSvc

	logsSvc, err := logs.New(logs.Config{Store: s.store, Clock: cfg.Clock, Bus: bus, Region: cfg.Region, AccountID: cfg.AccountID, Logger: cfg.Logger.With("service", "logs"), Endpoint: s.Endpoint, LambdaPolicy: policy})
	if err != nil {
		return fmt.Errorf("starting CloudWatch Logs: %w", err)
	}
	s.services = append(s.services, logsSvc)

	s.runtime = runtime.NewManager(runtime.ManagerConfig{
		Clock:       cfg.Clock,
		WorkDir:     s.workDir,
		IdleTimeout: cfg.IdleTimeout,
		Endpoint:    s.Endpoint,
		Region:      cfg.Region,
		AccountID:   cfg.AccountID,
		Logger:      cfg.Logger.With("component", "runtime"),
		Logs:        logsSvc,
	})
	invoker := invoke.New(invoke.Config{Runtime: s.runtime, Log: log, Clock: cfg.Clock, Logger: cfg.Logger})
	// The async queue starts last but is woken by Lambda, which stores Event invocations, and by
	// the services that deliver to functions while the simulator is still being built.
	var queue atomic.Pointer[async.Queue]
	s.lambda, err = lambda.New(lambda.Config{
		Store:     s.store,
		Runtime:   s.runtime,
		Invoker:   invoker,
		Clock:     cfg.Clock,
		Region:    cfg.Region,
		AccountID: cfg.AccountID,
		Logger:    cfg.Logger.With("service", "lambda"),
		Roles:     iamSvc,
		OnEnqueue: func() {
			if q := queue.Load(); q != nil {
				q.Notify()
			}
		},
	})
	if err != nil {
		return fmt.Errorf("starting Lambda: %w", err)
	}
	bus.Register("lambda", s.lambda)
	policy.svc = s.lambda

	sqsSvc, err := sqs.New(sqs.Config{Store: s.store, Clock: cfg.Clock, Bus: bus, Region: cfg.Region, AccountID: cfg.AccountID, Logger: cfg.Logger.With("service", "sqs"), Endpoint: s.Endpoint})
	if err != nil {
		return fmt.Errorf("starting SQS: %w", err)
	}
	s.services = append(s.services, sqsSvc)
	snsSvc, err := sns.New(sns.Config{Store: s.store, Clock: cfg.Clock, Bus: bus, Region: cfg.Region, AccountID: cfg.AccountID, Logger: cfg.Logger.With("service", "sns"), Endpoint: s.Endpoint})
	if err != nil {
		return fmt.Errorf("starting SNS: %w", err)
	}
	s.services = append(s.services, snsSvc)
	eventsSvc, err := events.New(events.Config{Store: s.store, Clock: cfg.Clock, Bus: bus, Region: cfg.Region, AccountID: cfg.AccountID, Logger: cfg.Logger.With("service", "events"), Endpoint: s.Endpoint})
	if err != nil {
		return fmt.Errorf("starting EventBridge: %w", err)
	}
	s.services = append(s.services, eventsSvc)
	s3Svc, err := s3.New(s3.Config{Store: s.store, Clock: cfg.Clock, Bus: bus, Region: cfg.Region, AccountID: cfg.AccountID, Logger: cfg.Logger.With("service", "s3"), Endpoint: s.Endpoint, LambdaPolicy: s.lambda})
	if err != nil {
		return fmt.Errorf("starting S3: %w", err)
	}
	s.services = append(s.services, s3Svc)
	bus.Register("s3", s3Svc) // Lambda writes failure records to buckets
	// Pollers, built after the streams they poll, are told of new records at once.
	var pollers atomic.Pointer[esm.Service]
	kinesisSvc, err := kinesis.New(kinesis.Config{Store: s.store, Clock: cfg.Clock, Bus: bus, Region: cfg.Region, AccountID: cfg.AccountID, Logger: cfg.Logger.With("service", "kinesis"), Endpoint: s.Endpoint,
		OnRecords: func(streamARN string) {
			if p := pollers.Load(); p != nil {
				p.Notify(streamARN)
			}
		}})
	if err != nil {
		return fmt.Errorf("starting Kinesis: %w", err)
	}
	s.services = append(s.services, kinesisSvc)
	dynamoSvc, err := dynamodb.New(dynamodb.Config{Store: s.store, Clock: cfg.Clock, Bus: bus, Region: cfg.Region, AccountID: cfg.AccountID, Logger: cfg.Logger.With("service", "dynamodb"), Endpoint: s.Endpoint})
	if err != nil {
		return fmt.Errorf("starting DynamoDB: %w", err)
	}
	s.services = append(s.services, dynamoSvc)

	// The poll model: event source mappings, their API served through Lambda's, and the pollers.
	esmSvc, err := esm.New(esm.Config{Store: s.store, Clock: cfg.Clock, Invoker: invoker, Functions: s.lambda,
		SQS: sqsSvc, Kinesis: kinesisSvc, DynamoDB: dynamoSvc, Bus: bus, Roles: iamSvc,
		Region: cfg.Region, AccountID: cfg.AccountID, Logger: cfg.Logger.With("component", "esm")})
	if err != nil {
		return fmt.Errorf("starting event source mappings: %w", err)
	}
	pollers.Store(esmSvc)
	s.services = append(s.services, esmSvc) // closed before the services it polls
	s.lambda.Mount(esmapi.New(esmSvc, cfg.Logger.With("component", "esm")).Handler(), esmapi.Patterns...)

	// The asynchronous model: the event invoke config API (served through Lambda's REST API) and the
	// queue that runs Event invocations. The queue comes after every service it delivers to; being
	// later in s.services, it is closed before them.
	eventConfigs, err := eventconfig.New(eventconfig.Config{Store: s.store, Clock: cfg.Clock, Functions: s.lambda, Roles: s.iam,
		Region: cfg.Region, AccountID: cfg.AccountID, Logger: cfg.Logger.With("service", "lambda")})
	if err != nil {
		return fmt.Errorf("starting the event invoke config API: %w", err)
	}
	s.lambda.Mount(eventConfigs.Handler(), eventconfig.Patterns...)
	s.lambda.OnDelete(func(name, qualifier string) {
		if err := eventConfigs.ForgetFunction(name, qualifier); err != nil {
			cfg.Logger.Error("deleting the event invoke configs of a deleted function", "function", name, "error", err)
		}
	})
	s.services = append(s.services, eventConfigs)
	q, err := async.New(async.Config{Store: s.store, Clock: cfg.Clock, Invoker: invoker, Functions: s.lambda, Configs: eventConfigs,
		Bus: bus, Roles: s.iam, Annotator: log, Logger: cfg.Logger.With("component", "async"), AccountID: cfg.AccountID})
	if err != nil {
		return fmt.Errorf("starting the asynchronous invocation queue: %w", err)
	}
	queue.Store(q)
	s.services = append(s.services, q)

	apigwV2, err := apigatewayv2.New(apigatewayv2.Config{Store: s.store, Clock: cfg.Clock, Region: cfg.Region, AccountID: cfg.AccountID, Logger: cfg.Logger.With("service", "apigatewayv2"), Endpoint: s.Endpoint})
	if err != nil {
		return fmt.Errorf("starting API Gateway v2: %w", err)
	}
	apigwSvc, err := apigateway.New(apigateway.Config{Store: s.store, Clock: cfg.Clock, Region: cfg.Region, AccountID: cfg.AccountID, Logger: cfg.Logger.With("service", "apigateway"), V2: apigwV2})
	if err != nil {
		return fmt.Errorf("starting API Gateway: %w", err)
	}
	s.services = append(s.services, apigwSvc)
	apigwDoor, err := apigwcaller.New(apigwcaller.Config{REST: apigwSvc, HTTP: apigwV2, Lambda: s.lambda, Invoker: invoker, Clock: cfg.Clock, Region: cfg.Region, AccountID: cfg.AccountID, Logger: cfg.Logger.With("caller", "apigateway"), Endpoint: s.Endpoint})
	if err != nil {
		return fmt.Errorf("starting the API Gateway front door: %w", err)
	}
	s.services = append(s.services, apigwDoor)

	elbSvc, err := elbv2.New(elbv2.Config{Store: s.store, Clock: cfg.Clock, Region: cfg.Region, AccountID: cfg.AccountID, Logger: cfg.Logger.With("service", "elbv2"), Lambda: s.lambda})
	if err != nil {
		return fmt.Errorf("starting ELBv2: %w", err)
	}
	s.services = append(s.services, elbSvc)
	albDoor, err := alb.New(alb.Config{ELB: elbSvc, Lambda: s.lambda, Invoker: invoker, Clock: cfg.Clock, Region: cfg.Region, AccountID: cfg.AccountID, Logger: cfg.Logger.With("caller", "alb")})
	if err != nil {
		return fmt.Errorf("starting the ALB front door: %w", err)
	}
	urlSvc, err := urlconfig.New(urlconfig.Config{Store: s.store, Clock: cfg.Clock, Region: cfg.Region, AccountID: cfg.AccountID, Logger: cfg.Logger.With("service", "lambda-url"), Endpoint: s.Endpoint, Lambda: s.lambda})
	if err != nil {
		return fmt.Errorf("starting function URL configs: %w", err)
	}
	urlDoor, err := functionurl.New(functionurl.Config{URLs: urlSvc, Lambda: s.lambda, Invoker: invoker, Clock: cfg.Clock, Region: cfg.Region, AccountID: cfg.AccountID, Logger: cfg.Logger.With("caller", "functionurl")})
	if err != nil {
		return fmt.Errorf("starting the function URL front door: %w", err)
	}
	s.lambda.Mount(urlSvc, urlconfig.MountPattern)
	s.lambda.OnDelete(func(name, qualifier string) {
		if err := urlSvc.DeleteForFunction(name, qualifier); err != nil {
			cfg.Logger.Error("deleting the function URL configs of a deleted function", "function", name, "error", err)
		}
	})
	// Signed path-form requests to a function URL reach Lambda by their signing name.
	s.lambda.Mount(urlDoor, functionurl.PathPrefix)

	s.services = append(s.services, albDoor, urlDoor)

	router := server.NewRouter()
	adm := admin.New(log, cfg.Clock, admin.Info{Version: Version, Region: cfg.Region, AccountID: cfg.AccountID, Durable: !cfg.InMemory, DataDir: cfg.DataDir})
	adm.Handle("GET /_sim/async/pending", s.pendingEvents)
	adm.Handle("GET /_sim/alb/listeners", albDoor.ServeAddresses)
	router.PathPrefix("/_sim/", adm)
	router.QueryVersion(sts.Version, sts.New(cfg.AccountID))
	router.Service("sts", sts.New(cfg.AccountID))
	router.Service("lambda", s.lambda)
	for _, prefix := range lambda.PathPrefixes {
		router.PathPrefix(prefix, s.lambda)
	}
	for _, svc := range s.services {
		svc.Register(router)
	}
	s.handler = awswire.WithRequestID(router)
	return nil
}

// Handler is the simulator's front door, for embedding in another server or httptest.
func (s *Simulator) Handler() http.Handler { return s.handler }

// Start listens on addr (e.g. "127.0.0.1:0") and serves in the background.
func (s *Simulator) Start(addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("simulator: listening on %s: %w", addr, err)
	}
	s.mu.Lock()
	s.listener = l
	s.endpoint = "http://" + l.Addr().String()
	s.mu.Unlock()
	go func() {
		if err := s.Serve(l); err != nil {
			s.cfg.Logger.Error("simulator stopped serving", "error", err)
		}
	}()
	return nil
}

// Serve serves on l until Close; it returns nil after Close.
func (s *Simulator) Serve(l net.Listener) error {
	s.mu.Lock()
	s.listener = l
	s.endpoint = "http://" + l.Addr().String()
	s.server = &http.Server{Handler: s.handler, ReadHeaderTimeout: 30 * time.Second}
	srv := s.server
	s.mu.Unlock()
	s.cfg.Logger.Info("simulator listening", "endpoint", s.endpoint, "region", s.cfg.Region, "durable", !s.cfg.InMemory)
	if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Endpoint is the URL clients use, e.g. "http://127.0.0.1:4566"; "" before Start or Serve.
func (s *Simulator) Endpoint() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.endpoint == "" && s.listener != nil {
		s.endpoint = "http://" + s.listener.Addr().String()
	}
	return s.endpoint
}

// Close stops serving, stops every function process and closes the store.
func (s *Simulator) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	srv := s.server
	s.mu.Unlock()
	var errs []error
	if srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := srv.Shutdown(ctx); err != nil {
			srv.Close()
		}
		cancel()
	}
	errs = append(errs, s.closeServices(), s.closeStorage())
	return errors.Join(errs...)
}

// closeServices stops every service's background work, then the function processes, then the
// invocation log, newest first, so nothing writes to a closed store.
func (s *Simulator) closeServices() error {
	var errs []error
	for i := len(s.services) - 1; i >= 0; i-- {
		errs = append(errs, s.services[i].Close())
	}
	if s.lambda != nil {
		errs = append(errs, s.lambda.Close())
	}
	if s.runtime != nil {
		errs = append(errs, s.runtime.Close())
	}
	if s.log != nil {
		errs = append(errs, s.log.Close())
	}
	return errors.Join(errs...)
}

func (s *Simulator) closeStorage() error {
	var err error
	if s.store != nil {
		err = s.store.Close()
	}
	if s.cfg.InMemory && s.workDir != "" {
		os.RemoveAll(s.workDir)
	}
	return err
}
