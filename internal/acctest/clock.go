package acctest

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/conns"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim"
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
	endpoint := startSimulatorWithClock(t, clock.Scaled(factor))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	clients, err := conns.New(ctx, conns.Config{SimulatorEndpoint: endpoint})
	if err != nil {
		t.Fatalf("connecting to the simulator at %s: %v", endpoint, err)
	}
	return &Env{Endpoint: endpoint, ProviderConfig: ProviderConfig(endpoint), Clients: clients, RoleARN: SimulatorRoleARN}
}

// startSimulatorWithClock is StartSimulator with the given clock.
func startSimulatorWithClock(t *testing.T, c clock.Clock) string {
	t.Helper()
	logs := &lockedBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if os.Getenv(SimulatorLogEnv) != "" {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	s, err := sim.New(sim.Config{InMemory: true, Region: SimulatorRegion, AccountID: SimulatorAccountID, Logger: logger, Clock: c})
	if err != nil {
		t.Fatalf("creating the simulator: %v", err)
	}
	if err := s.Start("127.0.0.1:0"); err != nil {
		_ = s.Close()
		t.Fatalf("starting the simulator: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("closing the simulator: %v", err)
		}
		if t.Failed() {
			t.Logf("simulator log (last 64 KiB):\n%s", logs.tail(64<<10))
		}
	})
	return s.Endpoint()
}
