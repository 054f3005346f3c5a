package clock

import (
	"context"
	"testing"
	"time"
)

func TestManual_timersFireInDeadlineOrderWhenAdvanced(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	m := NewManual(start)
	late := m.NewTimer(2 * time.Minute)
	early := m.NewTimer(time.Minute)
	if m.Pending() != 2 {
		t.Fatalf("pending = %d, want 2", m.Pending())
	}

	m.Advance(59 * time.Second)
	select {
	case <-early.C():
		t.Fatal("timer fired before its deadline")
	default:
	}

	m.Advance(time.Second)
	if got := <-early.C(); !got.Equal(start.Add(time.Minute)) {
		t.Fatalf("early fired at %v, want %v", got, start.Add(time.Minute))
	}
	select {
	case <-late.C():
		t.Fatal("late timer fired early")
	default:
	}
	m.Advance(time.Hour)
	if got := <-late.C(); !got.Equal(start.Add(2 * time.Minute)) {
		t.Fatalf("late fired at %v, want its deadline", got)
	}
	if m.Pending() != 0 {
		t.Fatalf("pending = %d after all fired", m.Pending())
	}
}

func TestManual_stopAndSetNeverGoesBack(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	m := NewManual(start)
	tm := m.NewTimer(time.Second)
	if !tm.Stop() {
		t.Fatal("Stop of a pending timer returned false")
	}
	if tm.Stop() {
		t.Fatal("second Stop returned true")
	}
	m.Set(start.Add(-time.Hour))
	if !m.Now().Equal(start) {
		t.Fatalf("Set moved the clock backwards to %v", m.Now())
	}
	m.Set(start.Add(time.Hour))
	select {
	case <-tm.C():
		t.Fatal("stopped timer fired")
	default:
	}
}

func TestManual_sleepEndsWithContext(t *testing.T) {
	m := NewManual(time.Now())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Sleep(ctx, time.Hour) }()
	for m.Pending() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; err != context.Canceled {
		t.Fatalf("Sleep = %v, want context.Canceled", err)
	}
	if m.Pending() != 0 {
		t.Fatal("cancelled Sleep left its timer pending")
	}
}

func TestScaled_runsFaster(t *testing.T) {
	c := Scaled(1000)
	before := c.Now()
	start := time.Now()
	if err := c.Sleep(context.Background(), 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if real := time.Since(start); real > 2*time.Second {
		t.Fatalf("10 s of simulated time at 1000x took %v of real time", real)
	}
	if simulated := c.Now().Sub(before); simulated < 10*time.Second {
		t.Fatalf("simulated clock moved %v, want >= 10s", simulated)
	}
}
