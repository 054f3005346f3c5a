package sns

import (
	"container/heap"
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// scheduler holds the deliveries waiting for their next attempt, in memory; the store holds the
// same deliveries durably, so New rebuilds the scheduler from it after a restart.
//
// One dispatcher goroutine waits (on the Clock) for the earliest due delivery and hands it to a
// bounded set of workers. Deliveries of one FIFO chain (a subscription and a message group) go
// one at a time in key order: only the chain's head is queued; when it finishes, the next is.
type scheduler struct {
	clk    clock.Clock
	mu     sync.Mutex
	queue  dueHeap
	chains map[string][]*delivery // chain -> deliveries waiting behind its head
	busy   map[string]bool        // chain -> its head is queued or being attempted
	wake   chan struct{}
}

func newScheduler(clk clock.Clock) *scheduler {
	return &scheduler{clk: clk, chains: map[string][]*delivery{}, busy: map[string]bool{}, wake: make(chan struct{}, 1)}
}

// add queues a new (or resumed) delivery, behind its chain's head if it has one.
func (sc *scheduler) add(d *delivery) {
	sc.mu.Lock()
	if d.Chain != "" {
		if sc.busy[d.Chain] {
			sc.chains[d.Chain] = append(sc.chains[d.Chain], d)
			sc.mu.Unlock()
			return
		}
		sc.busy[d.Chain] = true
	}
	heap.Push(&sc.queue, d)
	sc.mu.Unlock()
	sc.signal()
}

// retry queues a delivery again for its NextAt; its chain stays held.
func (sc *scheduler) retry(d *delivery) {
	sc.mu.Lock()
	heap.Push(&sc.queue, d)
	sc.mu.Unlock()
	sc.signal()
}

// done releases a finished delivery's chain to its next delivery.
func (sc *scheduler) done(d *delivery) {
	if d.Chain == "" {
		return
	}
	sc.mu.Lock()
	waiting := sc.chains[d.Chain]
	if len(waiting) == 0 {
		delete(sc.chains, d.Chain)
		delete(sc.busy, d.Chain)
		sc.mu.Unlock()
		return
	}
	next := waiting[0]
	if len(waiting) == 1 {
		delete(sc.chains, d.Chain)
	} else {
		sc.chains[d.Chain] = waiting[1:]
	}
	if now := sc.clk.Now(); next.NextAt.Before(now) {
		next.NextAt = now // ordering: the next one goes after its predecessor's attempts
	}
	heap.Push(&sc.queue, next)
	sc.mu.Unlock()
	sc.signal()
}

func (sc *scheduler) signal() {
	select {
	case sc.wake <- struct{}{}:
	default:
	}
}

// run dispatches due deliveries to at most workers concurrent calls of attempt until ctx ends;
// it returns after the attempts in flight have returned.
func (sc *scheduler) run(ctx context.Context, workers int, attempt func(context.Context, *delivery)) {
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		sc.mu.Lock()
		var (
			next *delivery
			wait time.Duration
		)
		if len(sc.queue) > 0 {
			if wait = sc.queue[0].NextAt.Sub(sc.clk.Now()); wait <= 0 {
				next = heap.Pop(&sc.queue).(*delivery)
			}
		}
		empty := len(sc.queue) == 0 && next == nil
		sc.mu.Unlock()

		switch {
		case next != nil:
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			wg.Add(1)
			go func(d *delivery) {
				defer func() { <-sem; wg.Done() }()
				attempt(ctx, d)
			}(next)
		case empty:
			select {
			case <-sc.wake:
			case <-ctx.Done():
				return
			}
		default:
			t := sc.clk.NewTimer(wait)
			select {
			case <-t.C():
			case <-sc.wake:
				t.Stop()
			case <-ctx.Done():
				t.Stop()
				return
			}
		}
	}
}

// dueHeap orders deliveries by due time, then by key (publish order).
type dueHeap []*delivery

func (h dueHeap) Len() int { return len(h) }
func (h dueHeap) Less(i, j int) bool {
	if !h[i].NextAt.Equal(h[j].NextAt) {
		return h[i].NextAt.Before(h[j].NextAt)
	}
	return h[i].Key < h[j].Key
}
func (h dueHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)   { *h = append(*h, x.(*delivery)) }
func (h *dueHeap) Pop() any {
	old := *h
	d := old[len(old)-1]
	*h = old[:len(old)-1]
	return d
}

// resume queues every delivery found in the store, in key order (so FIFO chains keep their order).
func (s *Service) resume() error {
	var pending []*delivery
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		return tx.ForEach(bucketDeliveries, "", func(k string, v []byte) error {
			d := &delivery{}
			if err := json.Unmarshal(v, d); err != nil {
				return err
			}
			d.Key = k
			pending = append(pending, d)
			return nil
		})
	})
	if err != nil {
		return err
	}
	for _, d := range pending {
		s.sched.add(d)
	}
	if len(pending) > 0 {
		s.log.Info("resuming pending deliveries", "count", len(pending))
	}
	return nil
}
