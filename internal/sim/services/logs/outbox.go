package logs

import (
	"bytes"
	"compress/gzip"
	"container/heap"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// dueBatch is an outbox batch and the time it is due.
type dueBatch struct {
	key string
	at  time.Time
}

// Retry schedule for subscription deliveries (a simulator choice, see doc.go).
const (
	retryBase   = time.Second
	retryCap    = 5 * time.Minute
	retryWindow = 24 * time.Hour
)

// scheduler is the in-memory index of when outbox batches are due; the outbox in the store is
// the truth and load rebuilds the index from it.
type scheduler struct {
	clock    clock.Clock
	mu       sync.Mutex
	items    dueHeap
	wake     chan struct{}
	inflight atomic.Int64
}

type dueHeap []dueBatch

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h dueHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)        { *h = append(*h, x.(dueBatch)) }
func (h *dueHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

func newScheduler(c clock.Clock) *scheduler {
	return &scheduler{clock: c, wake: make(chan struct{}, 1)}
}

func (s *scheduler) push(d dueBatch) {
	s.mu.Lock()
	heap.Push(&s.items, d)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// next waits for the earliest due batch; ok is false when ctx ends.
func (s *scheduler) next(ctx context.Context) (dueBatch, bool) {
	for {
		s.mu.Lock()
		var top dueBatch
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
				return dueBatch{}, false
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
				return dueBatch{}, false
			}
			continue
		}
		s.mu.Lock()
		it := heap.Pop(&s.items).(dueBatch)
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

// idle reports whether nothing is being delivered and nothing is due.
func (s *scheduler) idle() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	due := len(s.items) > 0 && !s.items[0].at.After(s.clock.Now())
	return !due && s.inflight.Load() == 0
}

func (s *Service) schedule(due []dueBatch) {
	for _, d := range due {
		s.sched.push(d)
	}
}

// load puts every batch of the outbox back on the schedule.
func (s *Service) load() error {
	return s.cfg.Store.View(func(tx *store.Tx) error {
		return tx.ForEach(bucketOutbox, "", func(_ string, v []byte) error {
			var b batchRecord
			if err := json.Unmarshal(v, &b); err != nil {
				return err
			}
			s.sched.push(dueBatch{b.Key, b.DueAt})
			return nil
		})
	})
}

func (s *Service) run() {
	for {
		d, ok := s.sched.next(s.ctx)
		if !ok {
			return
		}
		s.send(d)
		s.sched.inflight.Add(-1)
	}
}

// payload is the CloudWatch Logs subscription message, before gzip and base64.
type payload struct {
	MessageType         string          `json:"messageType"`
	Owner               string          `json:"owner"`
	LogGroup            string          `json:"logGroup"`
	LogStream           string          `json:"logStream"`
	SubscriptionFilters []string        `json:"subscriptionFilters"`
	LogEvents           []batchLogEvent `json:"logEvents"`
}

// encodePayload builds {"awslogs":{"data": base64(gzip(json))}}, the shape of
// github.com/aws/aws-lambda-go/events.CloudwatchLogsEvent.
func encodePayload(p payload) ([]byte, error) {
	raw, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return json.Marshal(map[string]map[string]string{"awslogs": {"data": base64.StdEncoding.EncodeToString(buf.Bytes())}})
}

// send delivers one due batch, closing it first if it is still open.
func (s *Service) send(d dueBatch) {
	var b batchRecord
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		if err := tx.Get(bucketOutbox, d.key, &b); err != nil {
			return err
		}
		if !b.DueAt.Equal(d.at) {
			return store.ErrNotFound // rescheduled since; the newer entry will deliver it
		}
		if b.Open {
			b.Open = false
			ok := openKey(b.Group, b.Filter, b.Stream)
			if cur, err := tx.GetRaw(bucketOpen, ok); err == nil && string(cur) == b.Key {
				if err := tx.Delete(bucketOpen, ok); err != nil {
					return err
				}
			}
			return tx.Put(bucketOutbox, b.Key, b)
		}
		return nil
	})
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.log.Error("reading a subscription batch", "key", d.key, "error", err)
		}
		return
	}
	p := payload{MessageType: "DATA_MESSAGE", Owner: s.cfg.AccountID, LogGroup: b.Group, LogStream: b.Stream,
		SubscriptionFilters: []string{b.Filter}, LogEvents: b.Events}
	if b.Control {
		p = payload{MessageType: "CONTROL_MESSAGE", Owner: "CloudwatchLogs", SubscriptionFilters: []string{}, LogEvents: b.Events}
	}
	body, err := encodePayload(p)
	if err != nil {
		s.log.Error("encoding a subscription batch", "key", b.Key, "error", err)
		s.drop(&b)
		return
	}
	err = s.cfg.Bus.Deliver(s.ctx, deliver.Message{TargetARN: b.DestinationARN, Body: body, Principal: Principal,
		SourceARN: s.groupARN(b.Group), SourceAccount: s.cfg.AccountID})
	if err == nil {
		s.drop(&b)
		return
	}
	if s.ctx.Err() != nil {
		return // closing: the batch stays in the outbox
	}
	b.Attempts++
	next := s.now().Add(min(retryBase<<min(b.Attempts-1, 20), retryCap))
	if errors.Is(err, deliver.ErrDenied) || errors.Is(err, deliver.ErrNoTarget) || next.Sub(b.Created) > retryWindow {
		s.log.Warn("subscription batch dropped", "group", b.Group, "filter", b.Filter, "destination", b.DestinationARN,
			"events", len(b.Events), "attempts", b.Attempts, "error", err)
		s.drop(&b)
		return
	}
	s.log.Info("subscription delivery failed; will retry", "group", b.Group, "filter", b.Filter, "destination", b.DestinationARN, "attempt", b.Attempts, "error", err)
	b.DueAt = next
	if err := s.cfg.Store.Update(func(tx *store.Tx) error { return tx.Put(bucketOutbox, b.Key, b) }); err != nil {
		s.log.Error("recording a failed subscription delivery", "key", b.Key, "error", err)
		return
	}
	s.sched.push(dueBatch{b.Key, next})
}

func (s *Service) drop(b *batchRecord) {
	if err := s.cfg.Store.Update(func(tx *store.Tx) error { return tx.Delete(bucketOutbox, b.Key) }); err != nil {
		s.log.Error("removing a delivered subscription batch", "key", b.Key, "error", err)
	}
}
