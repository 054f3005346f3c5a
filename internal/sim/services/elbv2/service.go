package elbv2

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Version is the API version ELBv2 requests carry; SigningName is their SigV4 service name.
const (
	Version     = "2015-12-01"
	SigningName = "elasticloadbalancing"
	xmlns       = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"
)

// LambdaPolicy is what RegisterTargets asks Lambda: may this principal invoke the function from
// this source? Lambda's (*Service).AllowsInvoke implements it; a function that does not exist is
// an error wrapping deliver.ErrNoTarget.
type LambdaPolicy interface {
	AllowsInvoke(ctx context.Context, functionARN, principal, sourceARN, sourceAccount string) (bool, error)
}

// Config configures the service.
type Config struct {
	Store             *store.Store
	Clock             clock.Clock
	Region, AccountID string
	Logger            *slog.Logger
	// Lambda checks function policies at RegisterTargets. Required.
	Lambda LambdaPolicy
}

// Service is the ELBv2 API.
type Service struct {
	store     *store.Store
	clock     clock.Clock
	region    string
	accountID string
	logger    *slog.Logger
	lambda    LambdaPolicy
	query     *awswire.QueryService

	mu          sync.Mutex
	subscribers []func(ListenerEvent)
}

// New builds the service on the store.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Lambda == nil {
		return nil, errors.New("elbv2: Store and Lambda are required")
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
	s := &Service{store: cfg.Store, clock: cfg.Clock, region: cfg.Region, accountID: cfg.AccountID,
		logger: cfg.Logger, lambda: cfg.Lambda}
	s.query = &awswire.QueryService{Version: Version, XMLNS: xmlns, MaxBody: 1 << 20, Ops: map[string]awswire.QueryOp{
		"CreateLoadBalancer":            s.CreateLoadBalancer,
		"DescribeLoadBalancers":         s.DescribeLoadBalancers,
		"DeleteLoadBalancer":            s.DeleteLoadBalancer,
		"CreateTargetGroup":             s.CreateTargetGroup,
		"DescribeTargetGroups":          s.DescribeTargetGroups,
		"DeleteTargetGroup":             s.DeleteTargetGroup,
		"ModifyTargetGroupAttributes":   s.ModifyTargetGroupAttributes,
		"DescribeTargetGroupAttributes": s.DescribeTargetGroupAttributes,
		"RegisterTargets":               s.RegisterTargets,
		"DeregisterTargets":             s.DeregisterTargets,
		"DescribeTargetHealth":          s.DescribeTargetHealth,
		"CreateListener":                s.CreateListener,
		"DescribeListeners":             s.DescribeListeners,
		"DeleteListener":                s.DeleteListener,
	}}
	return s, nil
}

// Register routes ELBv2's awsQuery requests (by Version, and by signing name for GETs).
func (s *Service) Register(r *server.Router) {
	r.QueryVersion(Version, s.query)
	r.Service(SigningName, s.query)
}

// Close has nothing to stop: the service runs no background work.
func (s *Service) Close() error { return nil }

// ServeHTTP serves the awsQuery API (for tests and embedding).
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.query.ServeHTTP(w, r) }

// update runs fn in a write transaction; an *awswire.Error returned by fn is answered as is.
func (s *Service) update(fn func(tx *store.Tx) error) *awswire.Error {
	return txError(s.store.Update(fn))
}

func (s *Service) view(fn func(tx *store.Tx) error) *awswire.Error {
	return txError(s.store.View(fn))
}

func txError(err error) *awswire.Error {
	if err == nil {
		return nil
	}
	var e *awswire.Error
	if errors.As(err, &e) {
		return e
	}
	return errInternal(err)
}
