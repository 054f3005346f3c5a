package events

import (
	"container/heap"
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// The scheduler is an in-memory index of what is due when: deliveries (by their NextAt) and
// scheduled rules (by their NextFire). The store is the truth; the heap is rebuilt from it by
// load, and an item whose record has changed since it was pushed is recognised and dropped
// when it comes due.

type itemKind uint8

const (
	kindDelivery itemKind = iota
	kindSchedule
)

type item struct {
	at   time.Time
	kind itemKind
	key  string // delivery key or rule key
}

type itemHeap []item

func (h itemHeap) Len() int           { return len(h) }
func (h itemHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h itemHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *itemHeap) Push(x any)        { *h = append(*h, x.(item)) }
func (h *itemHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

type scheduler struct {
	clock clock.Clock
	mu    sync.Mutex
	items itemHeap
	wake  chan struct{}
	// inflight counts items taken from the heap and not yet processed, so tests (and a
	// future admin API) can tell when the service has nothing due left to do.
	inflight atomic.Int64
}

func newScheduler(c clock.Clock) *scheduler {
	return &scheduler{clock: c, wake: make(chan struct{}, 1)}
}

func (s *scheduler) push(it item) {
	s.mu.Lock()
	heap.Push(&s.items, it)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// next waits until the earliest item is due and returns it; ok is false when ctx ends.
func (s *scheduler) next(ctx context.Context) (item, bool) {
	for {
		s.mu.Lock()
		var top item
		has := len(s.items) > 0
		if has {
			top = s.items[0]
		}
		s.mu.Unlock()
		if !has {
			select {
			case <-s.wake:
				continue
			case <-ctx.Done():
				return item{}, false
			}
		}
		if d := top.at.Sub(s.clock.Now()); d > 0 {
			t := s.clock.NewTimer(d)
			select {
			case <-t.C():
			case <-s.wake:
				t.Stop()
			case <-ctx.Done():
				t.Stop()
				return item{}, false
			}
			continue
		}
		s.mu.Lock()
		// The top may have changed while unlocked; take whatever is due first now.
		it := heap.Pop(&s.items).(item)
		if it.at.After(s.clock.Now()) {
			heap.Push(&s.items, it)
			s.mu.Unlock()
			continue
		}
		s.inflight.Add(1)
		s.mu.Unlock()
		return it, true
	}
}

// done marks an item returned by next as processed.
func (s *scheduler) done() { s.inflight.Add(-1) }

// idle reports whether nothing is being processed and nothing is due.
func (s *scheduler) idle() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	due := len(s.items) > 0 && !s.items[0].at.After(s.clock.Now())
	return !due && s.inflight.Load() == 0
}

// load fills the scheduler from the store: every pending delivery and every scheduled rule.
func (s *Service) load() error {
	return s.cfg.Store.View(func(tx *store.Tx) error {
		if err := tx.ForEach(bucketDeliveries, "", func(_ string, v []byte) error {
			var d deliveryRecord
			if err := unmarshal(v, &d); err != nil {
				return err
			}
			s.sched.push(item{at: d.NextAt, kind: kindDelivery, key: d.Key})
			return nil
		}); err != nil {
			return err
		}
		return tx.ForEach(bucketRules, "", func(k string, v []byte) error {
			var r ruleRecord
			if err := unmarshal(v, &r); err != nil {
				return err
			}
			if !r.NextFire.IsZero() {
				s.sched.push(item{at: r.NextFire, kind: kindSchedule, key: k})
			}
			return nil
		})
	})
}

// start runs the scheduler loop and the delivery workers until Close.
func (s *Service) start() {
	work := make(chan string)
	for range s.cfg.Workers {
		s.wg.Go(func() {
			for {
				select {
				case key := <-work:
					s.attempt(key)
					s.sched.done()
				case <-s.ctx.Done():
					return
				}
			}
		})
	}
	s.wg.Go(func() {
		for {
			it, ok := s.sched.next(s.ctx)
			if !ok {
				return
			}
			switch it.kind {
			case kindSchedule:
				s.fire(it)
				s.sched.done()
			case kindDelivery:
				select {
				case work <- it.key:
				case <-s.ctx.Done():
					s.sched.done()
					return
				}
			}
		}
	})
}

// enqueue makes freshly stored deliveries due.
func (s *Service) enqueue(ds []deliveryRecord) {
	for _, d := range ds {
		s.sched.push(item{at: d.NextAt, kind: kindDelivery, key: d.Key})
	}
}
