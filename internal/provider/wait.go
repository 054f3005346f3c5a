package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// statusFunc reads the current state of something: (nil, "", nil) when it does not exist.
type statusFunc func(ctx context.Context) (output any, state string, err error)

// stateWaiter polls a statusFunc until the state is a target, the way AWS's own waiters do, with a
// short first delay so that fast transitions (the simulator's) cost little and AWS's take 5 s polls.
type stateWaiter struct {
	pending []string
	target  []string // empty: wait until the thing is gone
	refresh statusFunc
	timeout time.Duration
	// notFoundChecks is how many "does not exist" answers in a row are tolerated while waiting for a
	// target (eventual consistency right after a create).
	notFoundChecks int
	// reason explains a failed or unexpected state from the last output, e.g. StateReason.
	reason func(output any) string
}

const (
	waitMinDelay = 100 * time.Millisecond
	waitMaxDelay = 5 * time.Second
)

func (w stateWaiter) wait(ctx context.Context) (any, error) {
	ctx, cancel := context.WithTimeout(ctx, w.timeout)
	defer cancel()
	delay := waitMinDelay
	notFound := 0
	var last any
	lastState := ""
	for {
		output, state, err := w.refresh(ctx)
		if err != nil {
			return output, err
		}
		switch {
		case output == nil && len(w.target) == 0:
			return last, nil
		case output == nil:
			notFound++
			if notFound > w.notFoundChecks {
				return nil, &notFoundError{what: fmt.Sprintf("resource (waiting for state %s)", strings.Join(w.target, ", "))}
			}
		case slices.Contains(w.target, state):
			return output, nil
		case !slices.Contains(w.pending, state):
			return output, fmt.Errorf("unexpected state %q, wanted %s%s", state, describeTarget(w.target), w.why(output))
		default:
			notFound = 0
		}
		last, lastState = output, state
		select {
		case <-ctx.Done():
			return last, fmt.Errorf("timeout after %s waiting for state to become %s (last state: %q)%s",
				w.timeout, describeTarget(w.target), lastState, w.why(last))
		case <-time.After(delay):
		}
		delay = min(2*delay, waitMaxDelay)
	}
}

func (w stateWaiter) why(output any) string {
	if w.reason == nil || output == nil {
		return ""
	}
	if r := w.reason(output); r != "" {
		return ": " + r
	}
	return ""
}

func describeTarget(target []string) string {
	if len(target) == 0 {
		return "gone"
	}
	return strings.Join(target, " or ")
}
