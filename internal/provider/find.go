package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// notFoundError is what finders return when the thing they look for does not exist. Finders own
// not-found: Read removes a resource whose finder says so, Delete treats it as done.
type notFoundError struct {
	what string
	err  error // the API's own error, if any
}

func (e *notFoundError) Error() string {
	if e.err != nil {
		return fmt.Sprintf("%s not found: %s", e.what, e.err)
	}
	return e.what + " not found"
}

func (e *notFoundError) Unwrap() error { return e.err }

func isNotFound(err error) bool {
	var nf *notFoundError
	return errors.As(err, &nf)
}

// errorIs reports whether err wraps an AWS error of type T, with message containing msg ("" for any).
func errorIs[T error](err error, msg string) bool {
	var target T
	if !errors.As(err, &target) {
		return false
	}
	return msg == "" || strings.Contains(target.Error(), msg)
}

// retryWhen calls fn until it succeeds, fails with an error retryable rejects, or timeout passes.
// It covers AWS's eventual consistency (a new IAM role not yet assumable, a conflicting update still
// in flight); the last error is returned.
func retryWhen(ctx context.Context, timeout time.Duration, fn func(context.Context) error, retryable func(error) bool) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	delay := 250 * time.Millisecond
	for {
		err := fn(ctx)
		if err == nil || !retryable(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(delay):
		}
		delay = min(2*delay, 5*time.Second)
	}
}
