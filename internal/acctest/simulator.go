package acctest

import (
	"bytes"
	"log/slog"
	"os"
	"sync"
	"testing"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
)

// SimulatorLogEnv, when set, streams the simulator's logs to stderr instead of keeping them for failures.
const SimulatorLogEnv = "LAMBDATRIGGER_ACC_SIM_LOG"

// StartSimulator starts an in-memory simulator on a free loopback port for the duration of the test and
// returns its endpoint. Its logs are printed only if the test fails.
func StartSimulator(t *testing.T) string {
	t.Helper()
	return startSimulator(t, nil)
}

// startSimulator is StartSimulator with the given clock (nil: the wall clock).
func startSimulator(t *testing.T, c clock.Clock) string {
	t.Helper()
	logs := &lockedBuffer{}
	var logger *slog.Logger
	if os.Getenv(SimulatorLogEnv) != "" {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	} else {
		logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}

	s, err := sim.New(sim.Config{
		InMemory:  true,
		Region:    SimulatorRegion,
		AccountID: SimulatorAccountID,
		Logger:    logger,
		Clock:     c,
	})
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

// lockedBuffer collects logs written from the simulator's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) tail(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	data := b.buf.Bytes()
	if len(data) > n {
		data = data[len(data)-n:]
	}
	return string(data)
}
