package sqs

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Version is the API version awsQuery requests carry.
const Version = "2012-11-05"

const (
	xmlns        = "http://queue.amazonaws.com/doc/2012-11-05/"
	targetPrefix = "AmazonSQS."
	namespace    = "com.amazonaws.sqs"
	// defaultEndpoint names queues before the simulator knows its own address.
	defaultEndpoint = "http://127.0.0.1:4566"
)

// Config configures the simulated SQS.
type Config struct {
	// Store holds every queue and message; required.
	Store *store.Store
	// Clock drives visibility timeouts, delays, retention and long polls; default the wall clock.
	Clock clock.Clock
	// Bus, when set, gets SQS registered as the receiver of "sqs" ARNs (SNS, S3, EventBridge and
	// Lambda destinations deliver to queues through it).
	Bus *deliver.Bus
	// Region and AccountID are the simulated account's; defaults us-east-1 and 000000000000.
	Region    string
	AccountID string
	// Logger receives the service's logs; default slog.Default().
	Logger *slog.Logger
	// Endpoint is the simulator's URL, the host of queue URLs; default http://127.0.0.1:4566.
	Endpoint func() string
}

// Service is the simulated Amazon SQS.
type Service struct {
	cfg   Config
	clock clock.Clock
	log   *slog.Logger
	store *store.Store

	commits *store.Committer

	mu     sync.RWMutex
	queues map[string]*queue // by queueKey(account, name)

	closing   chan struct{}
	closeOnce sync.Once

	json  *awswire.JSONService
	query map[string]queryOp
}

var (
	_ deliver.Receiver = (*Service)(nil)
	_ http.Handler     = (*Service)(nil)
)

// New opens the service over the store, rebuilding every queue's index from it.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("sqs: a store is required")
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
	s := &Service{
		cfg: cfg, clock: cfg.Clock, log: cfg.Logger.With("service", "sqs"), store: cfg.Store,
		queues: map[string]*queue{}, closing: make(chan struct{}), commits: store.NewCommitter(cfg.Store),
	}
	if err := s.load(); err != nil {
		return nil, err
	}
	s.json = &awswire.JSONService{
		Version:          "1.0",
		TargetPrefix:     targetPrefix,
		Namespace:        namespace,
		MaxBody:          maxRequestBody,
		Ops:              s.jsonOps(),
		UnknownOperation: func(op string) *awswire.Error { return errUnknownOperation(op) },
	}
	s.query = s.queryOps()
	if cfg.Bus != nil {
		cfg.Bus.Register("sqs", s)
	}
	return s, nil
}

// maxRequestBody bounds a request: ten 1 MiB messages escaped in JSON or a form fit easily.
const maxRequestBody = 32 << 20

// Register adds SQS's routes: the awsJson target prefix, the awsQuery version, and requests signed
// for "sqs" that carry neither (older query clients posting to a queue URL). Every SQS request
// carries one of the three, so no path prefix is claimed: a path like /<account>/ could collide
// with an S3 bucket named like an account id.
func (s *Service) Register(r *server.Router) {
	r.Target(targetPrefix, s)
	r.QueryVersion(Version, s)
	r.Service("sqs", s)
}

type traceHeaderKey struct{}

// ServeHTTP serves both protocols: X-Amz-Target means awsJson 1.0, anything else awsQuery.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if trace := r.Header.Get("X-Amzn-Trace-Id"); trace != "" {
		r = r.WithContext(context.WithValue(r.Context(), traceHeaderKey{}, trace))
	}
	if r.Header.Get("X-Amz-Target") != "" {
		s.json.ServeHTTP(w, r)
		return
	}
	s.serveQuery(w, r)
}

// Close stops long polls; it does not close the store, which the caller owns.
func (s *Service) Close() error {
	s.closeOnce.Do(func() { close(s.closing) })
	return nil
}

func (s *Service) nowMS() int64 { return s.clock.Now().UnixMilli() }

func (s *Service) queueARN(account, name string) string {
	return "arn:aws:sqs:" + s.cfg.Region + ":" + account + ":" + name
}

func (s *Service) queueURL(q *queue) string {
	base := defaultEndpoint
	if s.cfg.Endpoint != nil {
		if ep := s.cfg.Endpoint(); ep != "" {
			base = ep
		}
	}
	return strings.TrimRight(base, "/") + "/" + q.account + "/" + q.name
}

// queueByURL resolves a QueueUrl by the account and name in its path; clients may reach the
// simulator under any host name, so the host is ignored.
func (s *Service) queueByURL(raw string) (*queue, *awswire.Error) {
	if raw == "" {
		return nil, errMissingParameter("QueueUrl")
	}
	account, name, ok := parseQueueURL(raw)
	if !ok {
		return nil, errInvalidAddress(raw)
	}
	s.mu.RLock()
	q := s.queues[queueKey(account, name)]
	s.mu.RUnlock()
	if q == nil {
		return nil, errQueueDoesNotExist()
	}
	return q, nil
}

// parseQueueURL takes "<scheme>://<host>/<account>/<name>" (or just the path) apart.
func parseQueueURL(raw string) (account, name string, ok bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", false
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) != 2 || !validAccountID(parts[0]) || parts[1] == "" || len(parts[1]) > 80 {
		return "", "", false
	}
	return parts[0], parts[1], true
}

func validAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// queueByARN resolves arn:aws:sqs:<region>:<account>:<name> in this region.
func (s *Service) queueByARN(arn string) *queue {
	parts := strings.Split(arn, ":")
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "sqs" || parts[3] != s.cfg.Region {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.queues[queueKey(parts[4], parts[5])]
}

// lookupForRedrive answers RedrivePolicy validation: does the target exist, is it FIFO.
func (s *Service) lookupForRedrive(arn string) (fifo, ok bool) {
	q := s.queueByARN(arn)
	if q == nil {
		return false, false
	}
	return q.fifo, true
}
