package dynamodb

import (
	"sync"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// throttle enforces a PROVISIONED table's read and write capacity units per second of the
// service's clock, when Config.EnforceThroughput is set. It is a plain per-second budget: AWS's
// burst capacity (up to 300 seconds of unused capacity) and adaptive capacity are not simulated,
// except that the first request of a second always passes, so an item larger than the table's
// capacity can still be written.
type throttle struct {
	mu      sync.Mutex
	windows map[string]*capacityWindow // by table ID
}

type capacityWindow struct {
	second      int64
	read, write float64
}

func newThrottle() *throttle { return &throttle{windows: map[string]*capacityWindow{}} }

// checkThroughput charges a request's units to its table, or answers
// ProvisionedThroughputExceededException.
func (s *Service) checkThroughput(t *tableRec, nowMS int64, read, write float64) *awswire.Error {
	if !s.cfg.EnforceThroughput || t.BillingMode != billingProvisioned {
		return nil
	}
	th := s.throttle
	th.mu.Lock()
	defer th.mu.Unlock()
	w := th.windows[t.ID]
	if w == nil || w.second != nowMS/1000 {
		w = &capacityWindow{second: nowMS / 1000}
		th.windows[t.ID] = w
	}
	if (read > 0 && w.read > 0 && w.read+read > float64(t.RCU)) || (write > 0 && w.write > 0 && w.write+write > float64(t.WCU)) {
		return errThroughputExceeded()
	}
	w.read += read
	w.write += write
	return nil
}
