package events

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// TargetPrefix is the X-Amz-Target prefix of EventBridge requests.
const TargetPrefix = "AWSEvents."

// SigningName is EventBridge's SigV4 service name.
const SigningName = "events"

// Principal is the service principal EventBridge delivers as.
const Principal = "events.amazonaws.com"

// DefaultBus is the event bus every account has.
const DefaultBus = "default"

// Config configures the EventBridge service.
type Config struct {
	Store     *store.Store
	Clock     clock.Clock
	Bus       *deliver.Bus
	Region    string
	AccountID string
	Logger    *slog.Logger
	// Endpoint is the simulator's URL (unused by EventBridge, kept for the common shape).
	Endpoint func() string
	// Workers is how many deliveries are handed over at once; default 4.
	Workers int
}

// Service is the simulated EventBridge.
type Service struct {
	cfg      Config
	log      *slog.Logger
	api      *awswire.JSONService
	patterns patternCache
	sched    *scheduler
	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	closed   sync.Once
}

// New opens the service on the store, makes sure the default bus exists, registers the service
// as the receiver of "events" ARNs, and resumes pending deliveries and schedules.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Bus == nil {
		return nil, errors.New("events: Store and Bus are required")
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
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	s := &Service{cfg: cfg, log: cfg.Logger.With("service", "events")}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.sched = newScheduler(cfg.Clock)
	s.api = &awswire.JSONService{
		Version:      "1.1",
		TargetPrefix: TargetPrefix,
		MaxBody:      4 << 20,
		Ops:          s.operations(),
	}
	if err := s.ensureDefaultBus(); err != nil {
		return nil, fmt.Errorf("events: creating the default bus: %w", err)
	}
	if err := s.load(); err != nil {
		return nil, fmt.Errorf("events: loading pending work: %w", err)
	}
	cfg.Bus.Register("events", s)
	s.start()
	return s, nil
}

func (s *Service) operations() map[string]awswire.JSONOp {
	return map[string]awswire.JSONOp{
		"CreateEventBus":        awswire.Op(s.CreateEventBus),
		"DescribeEventBus":      awswire.Op(s.DescribeEventBus),
		"ListEventBuses":        awswire.Op(s.ListEventBuses),
		"DeleteEventBus":        awswire.Op(s.DeleteEventBus),
		"PutRule":               awswire.Op(s.PutRule),
		"DescribeRule":          awswire.Op(s.DescribeRule),
		"ListRules":             awswire.Op(s.ListRules),
		"EnableRule":            awswire.Op(s.EnableRule),
		"DisableRule":           awswire.Op(s.DisableRule),
		"DeleteRule":            awswire.Op(s.DeleteRule),
		"PutTargets":            awswire.Op(s.PutTargets),
		"RemoveTargets":         awswire.Op(s.RemoveTargets),
		"ListTargetsByRule":     awswire.Op(s.ListTargetsByRule),
		"ListRuleNamesByTarget": awswire.Op(s.ListRuleNamesByTarget),
		"PutEvents":             awswire.Op(s.PutEvents),
		"TestEventPattern":      awswire.Op(s.TestEventPattern),
		"TagResource":           awswire.Op(s.TagResource),
		"UntagResource":         awswire.Op(s.UntagResource),
		"ListTagsForResource":   awswire.Op(s.ListTagsForResource),
	}
}

// Register adds EventBridge's routes: its X-Amz-Target prefix and its signing name.
func (s *Service) Register(r *server.Router) {
	r.Target(TargetPrefix, s.api)
	r.Service(SigningName, s.api)
}

// ServeHTTP serves the EventBridge API (for tests and embedding).
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.api.ServeHTTP(w, r) }

// Close stops the scheduler and the delivery workers; pending work stays in the store.
func (s *Service) Close() error {
	s.closed.Do(func() {
		s.cancel()
		s.wg.Wait()
	})
	return nil
}

func (s *Service) now() time.Time { return s.cfg.Clock.Now().UTC() }

// busARN is arn:aws:events:<region>:<account>:event-bus/<name>.
func (s *Service) busARN(name string) string {
	return fmt.Sprintf("arn:aws:events:%s:%s:event-bus/%s", s.cfg.Region, s.cfg.AccountID, name)
}

// ruleARN is arn:aws:events:<region>:<account>:rule/[<bus>/]<name>, the default bus omitted.
func (s *Service) ruleARN(bus, name string) string {
	if bus == DefaultBus {
		return fmt.Sprintf("arn:aws:events:%s:%s:rule/%s", s.cfg.Region, s.cfg.AccountID, name)
	}
	return fmt.Sprintf("arn:aws:events:%s:%s:rule/%s/%s", s.cfg.Region, s.cfg.AccountID, bus, name)
}

// busName accepts a bus name or ARN (EventBusName members take either); "" is the default bus.
func busName(nameOrARN string) string {
	if nameOrARN == "" {
		return DefaultBus
	}
	if strings.HasPrefix(nameOrARN, "arn:") {
		if _, after, ok := strings.Cut(nameOrARN, ":event-bus/"); ok {
			return after
		}
	}
	return nameOrARN
}
