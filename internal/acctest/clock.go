package acctest

import (
	"context"
	"testing"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/conns"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
)

// NewScaledEnv is NewEnv with a simulator whose clock runs factor times faster than the wall clock, for
// tests of what happens on the simulator's clock (EventBridge schedules, retry delays). Everything timed
// by the simulator speeds up, function timeouts included: give functions timeouts that stay long enough
// once divided by factor. Such tests cannot run against AWS, and are skipped there.
func NewScaledEnv(t *testing.T, factor float64) *Env {
	t.Helper()
	PreCheck(t)
	if IsAWS() {
		t.Skipf("acceptance test skipped: it needs the simulator's clock scaled %gx", factor)
	}
	endpoint := startSimulator(t, clock.Scaled(factor))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	clients, err := conns.New(ctx, conns.Config{SimulatorEndpoint: endpoint})
	if err != nil {
		t.Fatalf("connecting to the simulator at %s: %v", endpoint, err)
	}
	return &Env{Endpoint: endpoint, ProviderConfig: ProviderConfig(endpoint), Clients: clients, RoleARN: SimulatorRoleARN}
}
