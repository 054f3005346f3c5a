package logs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// TargetPrefix is the X-Amz-Target prefix of CloudWatch Logs requests.
const TargetPrefix = "Logs_20140328."

// SigningName is CloudWatch Logs' SigV4 service name.
const SigningName = "logs"

// Principal is the service principal CloudWatch Logs delivers as.
const Principal = "logs.amazonaws.com"

// LambdaPolicy answers whether a function's resource policy lets principal invoke it for
// sourceARN/sourceAccount. The lead implements it on the Lambda service.
type LambdaPolicy interface {
	AllowsInvoke(ctx context.Context, functionARN, principal, sourceARN, sourceAccount string) (bool, error)
}

// Config configures the CloudWatch Logs service.
type Config struct {
	Store     *store.Store
	Clock     clock.Clock
	Bus       *deliver.Bus
	Region    string
	AccountID string
	Logger    *slog.Logger
	// Endpoint is the simulator's URL (unused by CloudWatch Logs, kept for the common shape).
	Endpoint func() string
	// LambdaPolicy checks Lambda subscription destinations; nil skips the check.
	LambdaPolicy LambdaPolicy
	// BatchWindow is how long a subscription batch stays open; default one second.
	BatchWindow time.Duration
}

// Service is the simulated CloudWatch Logs.
type Service struct {
	cfg    Config
	log    *slog.Logger
	api    *awswire.JSONService
	sched  *scheduler
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	closed sync.Once
	// filters caches compiled filter patterns by their text.
	filtersMu sync.Mutex
	filters   map[string]*filterPattern
}

// New opens the service on the store and resumes pending subscription deliveries.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Bus == nil {
		return nil, errors.New("logs: Store and Bus are required")
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
	if cfg.BatchWindow <= 0 {
		cfg.BatchWindow = time.Second
	}
	s := &Service{cfg: cfg, log: cfg.Logger.With("service", "logs"), filters: map[string]*filterPattern{}}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.sched = newScheduler(cfg.Clock)
	s.api = &awswire.JSONService{
		Version:      "1.1",
		TargetPrefix: TargetPrefix,
		MaxBody:      4 << 20,
		Ops:          s.operations(),
	}
	if err := s.load(); err != nil {
		return nil, fmt.Errorf("logs: loading pending deliveries: %w", err)
	}
	s.wg.Go(s.run)
	return s, nil
}

func (s *Service) operations() map[string]awswire.JSONOp {
	return map[string]awswire.JSONOp{
		"CreateLogGroup":              awswire.Op(s.CreateLogGroup),
		"DeleteLogGroup":              awswire.Op(s.DeleteLogGroup),
		"DescribeLogGroups":           awswire.Op(s.DescribeLogGroups),
		"PutRetentionPolicy":          awswire.Op(s.PutRetentionPolicy),
		"DeleteRetentionPolicy":       awswire.Op(s.DeleteRetentionPolicy),
		"CreateLogStream":             awswire.Op(s.CreateLogStream),
		"DeleteLogStream":             awswire.Op(s.DeleteLogStream),
		"DescribeLogStreams":          awswire.Op(s.DescribeLogStreams),
		"PutLogEvents":                awswire.Op(s.PutLogEvents),
		"GetLogEvents":                awswire.Op(s.GetLogEvents),
		"FilterLogEvents":             awswire.Op(s.FilterLogEvents),
		"PutSubscriptionFilter":       awswire.Op(s.PutSubscriptionFilter),
		"DescribeSubscriptionFilters": awswire.Op(s.DescribeSubscriptionFilters),
		"DeleteSubscriptionFilter":    awswire.Op(s.DeleteSubscriptionFilter),
	}
}

// Register adds CloudWatch Logs' routes: its X-Amz-Target prefix and its signing name.
func (s *Service) Register(r *server.Router) {
	r.Target(TargetPrefix, s.api)
	r.Service(SigningName, s.api)
}

// ServeHTTP serves the CloudWatch Logs API (for tests and embedding).
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.api.ServeHTTP(w, r) }

// Close stops the delivery loop; pending batches stay in the store.
func (s *Service) Close() error {
	s.closed.Do(func() {
		s.cancel()
		s.wg.Wait()
	})
	return nil
}

func (s *Service) now() time.Time { return s.cfg.Clock.Now().UTC() }

// groupARN is the log group's ARN as DescribeLogGroups' "arn" shows it (with ":*").
func (s *Service) groupARN(name string) string {
	return fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s:*", s.cfg.Region, s.cfg.AccountID, name)
}

// groupARNBare is the log group's ARN without ":*" (logGroupArn).
func (s *Service) groupARNBare(name string) string {
	return fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", s.cfg.Region, s.cfg.AccountID, name)
}

func millis(t time.Time) int64 { return t.UnixMilli() }
