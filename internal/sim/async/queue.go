package async

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda/eventconfig"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// StateBucket keeps each pending event's progress, under the event's key.
const StateBucket = "async/state"

// Functions resolves functions; *lambda.Service implements it.
type Functions interface {
	ResolveFunction(name, qualifier string) (invoke.Function, *awswire.Error)
	GetFunctionConfiguration(ctx context.Context, in *lambda.GetFunctionConfigurationInput) (*lambda.FunctionConfiguration, *awswire.Error)
}

// Configs gives the event invoke config that applies to an event; *eventconfig.Service
// implements it.
type Configs interface {
	Lookup(functionName, qualifier string) (eventconfig.Settings, error)
}

// Annotator adds the async model's verdict to an attempt's invocation-log record: why it will be
// retried, and, on the last attempt, where the event went. The invocation log implements it.
type Annotator interface {
	Annotate(requestID string, attempt int, retryReason, destination string) error
}

// RoleChecker is eventconfig.RoleChecker: may the execution role perform an action on a resource.
type RoleChecker = eventconfig.RoleChecker

// Config configures a Queue.
type Config struct {
	Store     *store.Store
	Clock     clock.Clock
	Invoker   *invoke.Invoker
	Functions Functions
	Configs   Configs
	Bus       *deliver.Bus
	// Roles checks the execution role at delivery time; nil allows everything.
	Roles RoleChecker
	// Annotator records retry reasons and final destinations; nil records nothing.
	Annotator Annotator
	Logger    *slog.Logger
	// Workers is how many events run at once across all functions; default 16. (AWS scales to each
	// function's concurrency; a small pool would let one slow function hold up the others.)
	Workers int
	// PollInterval is how often (wall time) the pending bucket is checked for events nobody
	// announced with Notify; default 50 ms.
	PollInterval time.Duration
	// AccountID is the account destinations are delivered from (SourceAccount); default
	// 000000000000.
	AccountID string
}

// Queue runs accepted asynchronous events.
type Queue struct {
	cfg    Config
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	wake   chan struct{}
	work   chan string

	mu       sync.Mutex
	due      map[string]time.Time // pending event key -> time of its next attempt
	inflight map[string]bool
	lastKey  string // the newest key seen in the pending bucket
}

// New starts the queue: it resumes every event already stored, at its stored next-attempt time.
func New(cfg Config) (*Queue, error) {
	if cfg.Store == nil || cfg.Invoker == nil || cfg.Functions == nil || cfg.Configs == nil {
		return nil, errors.New("async: Store, Invoker, Functions and Configs are required")
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 16
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 50 * time.Millisecond
	}
	if cfg.AccountID == "" {
		cfg.AccountID = "000000000000"
	}
	ctx, cancel := context.WithCancel(context.Background())
	q := &Queue{
		cfg: cfg, ctx: ctx, cancel: cancel,
		wake:     make(chan struct{}, 1),
		work:     make(chan string),
		due:      map[string]time.Time{},
		inflight: map[string]bool{},
	}
	if err := q.scan(); err != nil {
		cancel()
		return nil, err
	}
	for i := 0; i < cfg.Workers; i++ {
		q.wg.Add(1)
		go q.worker()
	}
	q.wg.Add(1)
	go q.dispatch()
	return q, nil
}

// Notify tells the queue a new event was stored; the Lambda API calls it after each 202.
func (q *Queue) Notify() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// Close stops the queue. An attempt in progress is abandoned (its function process is stopped by
// the runtime's own Close); the event stays stored and runs again after a restart.
func (q *Queue) Close() error {
	q.cancel()
	q.wg.Wait()
	return nil
}

// Pending is the number of events the queue holds (waiting or running).
func (q *Queue) Pending() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.due)
}

// scan adds the events stored since the last scan, with their stored next-attempt times.
func (q *Queue) scan() error {
	q.mu.Lock()
	after := q.lastKey
	q.mu.Unlock()
	found := map[string]time.Time{}
	last := after
	err := q.cfg.Store.View(func(tx *store.Tx) error {
		return tx.ForEachAfter(invoke.PendingEventsBucket, after, func(key string, _ []byte) error {
			var st state
			if err := tx.Get(StateBucket, key, &st); err == nil {
				found[key] = st.NextAttempt
			} else {
				found[key] = time.Time{}
			}
			last = key
			return nil
		})
	})
	if err != nil {
		return err
	}
	q.mu.Lock()
	for k, t := range found {
		if _, ok := q.due[k]; !ok {
			q.due[k] = t
		}
	}
	if last > q.lastKey {
		q.lastKey = last
	}
	q.mu.Unlock()
	return nil
}

// ready returns the keys due at now that no worker holds, oldest first, and the earliest future
// due time (zero when none).
func (q *Queue) ready(now time.Time) ([]string, time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var keys []string
	var next time.Time
	for k, t := range q.due {
		if q.inflight[k] {
			continue
		}
		if !t.After(now) {
			keys = append(keys, k)
			continue
		}
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	sort.Strings(keys)
	return keys, next
}

func (q *Queue) dispatch() {
	defer q.wg.Done()
	poll := time.NewTicker(q.cfg.PollInterval)
	defer poll.Stop()
	var timer clock.Timer
	var timerAt time.Time
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		if err := q.scan(); err != nil && q.ctx.Err() == nil {
			q.cfg.Logger.Error("async: reading pending events", "error", err)
		}
		now := q.cfg.Clock.Now()
		keys, next := q.ready(now)
		for _, k := range keys {
			q.mu.Lock()
			q.inflight[k] = true
			q.mu.Unlock()
			select {
			case q.work <- k:
			case <-q.ctx.Done():
				return
			}
		}
		if !next.Equal(timerAt) {
			if timer != nil {
				timer.Stop()
				timer = nil
			}
			timerAt = next
			if !next.IsZero() {
				timer = q.cfg.Clock.NewTimer(next.Sub(now))
			}
		}
		var fire <-chan time.Time
		if timer != nil {
			fire = timer.C()
		}
		select {
		case <-q.ctx.Done():
			return
		case <-q.wake:
		case <-poll.C:
		case <-fire:
			timer, timerAt = nil, time.Time{}
		}
	}
}

func (q *Queue) worker() {
	defer q.wg.Done()
	for {
		select {
		case <-q.ctx.Done():
			return
		case key := <-q.work:
			next, done := q.process(key)
			q.mu.Lock()
			delete(q.inflight, key)
			if done {
				delete(q.due, key)
			} else {
				q.due[key] = next
			}
			q.mu.Unlock()
			q.Notify()
		}
	}
}

// load reads a pending event and its progress.
func (q *Queue) load(key string) (invoke.Event, state, error) {
	var ev invoke.Event
	var st state
	err := q.cfg.Store.View(func(tx *store.Tx) error {
		raw, err := tx.GetRaw(invoke.PendingEventsBucket, key)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(raw, &ev); err != nil {
			return err
		}
		if err := tx.Get(StateBucket, key, &st); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return nil
	})
	return ev, st, err
}

// save stores an event's progress.
func (q *Queue) save(key string, st state) error {
	return q.cfg.Store.Update(func(tx *store.Tx) error { return tx.Put(StateBucket, key, st) })
}

// finish removes a finished event and its progress in one transaction.
func (q *Queue) finish(key string) error {
	return q.cfg.Store.Update(func(tx *store.Tx) error {
		if err := tx.Delete(invoke.PendingEventsBucket, key); err != nil {
			return err
		}
		return tx.Delete(StateBucket, key)
	})
}

// Waiting is the number of events waiting for a later attempt: stored, with their next attempt
// in the future, and not running. Tests wait for it before they move a manual clock.
func (q *Queue) Waiting() int {
	now := q.cfg.Clock.Now()
	q.mu.Lock()
	defer q.mu.Unlock()
	n := 0
	for k, t := range q.due {
		if !q.inflight[k] && t.After(now) {
			n++
		}
	}
	return n
}

// Register adds no routes: the queue has no API of its own (the admin API lists pending events).
// It lets the simulator keep the queue with its other services, closed first.
func (q *Queue) Register(*server.Router) {}
