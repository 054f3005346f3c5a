// Package clock is the simulator's only source of time.
//
// AWS semantics are full of long waits: retries one and two minutes apart, six-hour event ages,
// visibility timeouts. Every timer in internal/sim goes through a Clock so those waits can run in
// real time, scaled (N times faster) or under a manual clock that a test or the admin API advances.
package clock

import (
	"context"
	"sort"
	"sync"
	"time"
)

// Clock tells simulated time and makes timers that fire in simulated time.
type Clock interface {
	// Now is the current simulated time.
	Now() time.Time
	// NewTimer fires once after d of simulated time.
	NewTimer(d time.Duration) Timer
	// Sleep waits for d of simulated time, or until ctx ends.
	Sleep(ctx context.Context, d time.Duration) error
}

// Timer is a one-shot timer in simulated time.
type Timer interface {
	// C receives the simulated time at which the timer fired.
	C() <-chan time.Time
	// Stop prevents the timer from firing; it reports whether it stopped a pending timer.
	Stop() bool
}

// Real is the wall clock.
func Real() Clock { return Scaled(1) }

// Scaled runs simulated time factor times faster than the wall clock, starting now.
// Scaled(1) is the wall clock itself.
func Scaled(factor float64) Clock {
	if factor <= 0 {
		factor = 1
	}
	now := time.Now()
	return &scaledClock{factor: factor, realStart: now, simStart: now}
}

type scaledClock struct {
	factor    float64
	realStart time.Time
	simStart  time.Time
}

func (c *scaledClock) Now() time.Time {
	if c.factor == 1 {
		return time.Now()
	}
	elapsed := time.Since(c.realStart)
	return c.simStart.Add(time.Duration(float64(elapsed) * c.factor))
}

func (c *scaledClock) real(d time.Duration) time.Duration {
	return time.Duration(float64(d) / c.factor)
}

func (c *scaledClock) NewTimer(d time.Duration) Timer {
	t := &scaledTimer{c: make(chan time.Time, 1)}
	t.t = time.AfterFunc(c.real(d), func() { t.c <- c.Now() })
	return t
}

func (c *scaledClock) Sleep(ctx context.Context, d time.Duration) error {
	return sleep(ctx, c.NewTimer(d))
}

type scaledTimer struct {
	t *time.Timer
	c chan time.Time
}

func (t *scaledTimer) C() <-chan time.Time { return t.c }
func (t *scaledTimer) Stop() bool          { return t.t.Stop() }

func sleep(ctx context.Context, t Timer) error {
	select {
	case <-t.C():
		return nil
	case <-ctx.Done():
		t.Stop()
		return ctx.Err()
	}
}

// Manual is a clock that moves only when Advance or Set is called. Timers whose deadline is passed by
// a move fire in deadline order.
type Manual struct {
	mu     sync.Mutex
	now    time.Time
	timers []*manualTimer
}

// NewManual starts a manual clock at start.
func NewManual(start time.Time) *Manual { return &Manual{now: start} }

// Now is the manual clock's time.
func (m *Manual) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.now
}

// NewTimer fires when the clock is moved to or past now+d; d <= 0 fires at once.
func (m *Manual) NewTimer(d time.Duration) Timer {
	m.mu.Lock()
	defer m.mu.Unlock()
	t := &manualTimer{m: m, at: m.now.Add(d), c: make(chan time.Time, 1)}
	if d <= 0 {
		t.c <- m.now
		return t
	}
	m.timers = append(m.timers, t)
	return t
}

// Sleep waits until the clock has been advanced by d, or ctx ends.
func (m *Manual) Sleep(ctx context.Context, d time.Duration) error {
	return sleep(ctx, m.NewTimer(d))
}

// Advance moves the clock forward by d and fires every timer that is due.
func (m *Manual) Advance(d time.Duration) {
	m.mu.Lock()
	m.setLocked(m.now.Add(d))
	m.mu.Unlock()
}

// Set moves the clock to t (never backwards) and fires every timer that is due.
func (m *Manual) Set(t time.Time) {
	m.mu.Lock()
	if t.After(m.now) {
		m.setLocked(t)
	}
	m.mu.Unlock()
}

// Pending is the number of timers waiting to fire; tests use it to know a worker is parked.
func (m *Manual) Pending() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.timers)
}

func (m *Manual) setLocked(t time.Time) {
	m.now = t
	sort.SliceStable(m.timers, func(i, j int) bool { return m.timers[i].at.Before(m.timers[j].at) })
	kept := m.timers[:0]
	for _, tm := range m.timers {
		if !tm.at.After(t) {
			tm.c <- tm.at
			continue
		}
		kept = append(kept, tm)
	}
	m.timers = kept
}

type manualTimer struct {
	m  *Manual
	at time.Time
	c  chan time.Time
}

func (t *manualTimer) C() <-chan time.Time { return t.c }

func (t *manualTimer) Stop() bool {
	t.m.mu.Lock()
	defer t.m.mu.Unlock()
	for i, other := range t.m.timers {
		if other == t {
			t.m.timers = append(t.m.timers[:i], t.m.timers[i+1:]...)
			return true
		}
	}
	return false
}
