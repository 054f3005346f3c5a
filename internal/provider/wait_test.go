package provider

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// sequence answers states in turn, repeating the last; "" means not found.
func sequence(states ...string) statusFunc {
	i := 0
	return func(context.Context) (any, string, error) {
		s := states[min(i, len(states)-1)]
		i++
		if s == "" {
			return nil, "", nil
		}
		return s, s, nil
	}
}

func TestStateWaiter(t *testing.T) {
	ctx := context.Background()
	w := stateWaiter{pending: []string{"Pending"}, target: []string{"Active"}, timeout: 5 * time.Second, notFoundChecks: 1}

	w.refresh = sequence("Pending", "Pending", "Active")
	if out, err := w.wait(ctx); err != nil || out != "Active" {
		t.Errorf("pending then active: %v %v", out, err)
	}

	w.refresh = sequence("", "Active")
	if _, err := w.wait(ctx); err != nil {
		t.Errorf("one not-found is tolerated: %v", err)
	}

	w.refresh = sequence("", "", "Active")
	if _, err := w.wait(ctx); !isNotFound(err) {
		t.Errorf("two not-founds: %v", err)
	}

	w.refresh = sequence("Pending", "Failed")
	w.reason = func(o any) string { return "because" }
	if _, err := w.wait(ctx); err == nil || !strings.Contains(err.Error(), `unexpected state "Failed"`) || !strings.HasSuffix(err.Error(), ": because") {
		t.Errorf("failed state: %v", err)
	}

	boom := errors.New("boom")
	w.refresh = func(context.Context) (any, string, error) { return nil, "", boom }
	if _, err := w.wait(ctx); !errors.Is(err, boom) {
		t.Errorf("refresh error: %v", err)
	}

	w.refresh = sequence("Pending")
	w.timeout = 300 * time.Millisecond
	if _, err := w.wait(ctx); err == nil || !strings.Contains(err.Error(), "timeout") {
		t.Errorf("timeout: %v", err)
	}
}

func TestStateWaiter_deleted(t *testing.T) {
	w := stateWaiter{pending: []string{"Active", "Deleting"}, refresh: sequence("Active", "Deleting", ""), timeout: 5 * time.Second}
	if _, err := w.wait(context.Background()); err != nil {
		t.Errorf("deleted: %v", err)
	}
}

func TestRetryWhen(t *testing.T) {
	calls := 0
	retryable := errors.New("retry me")
	err := retryWhen(context.Background(), 5*time.Second, func(context.Context) error {
		calls++
		if calls < 3 {
			return retryable
		}
		return nil
	}, func(err error) bool { return errors.Is(err, retryable) })
	if err != nil || calls != 3 {
		t.Errorf("err %v after %d calls", err, calls)
	}

	final := errors.New("final")
	if err := retryWhen(context.Background(), 5*time.Second, func(context.Context) error { return final },
		func(err error) bool { return false }); !errors.Is(err, final) {
		t.Errorf("non-retryable: %v", err)
	}
}
