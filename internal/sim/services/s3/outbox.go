package s3

import (
	"context"
	"errors"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Notifications are durable work. A write stores its notifications in the outbox in the same
// transaction as the object, and answers; the worker then hands each to the bus, deletes it once
// the receiver has it (deliver's contract: nil means stored), and retries it on the clock while
// the receiver fails. New starts the worker, so a restart resumes what was pending.
//
// Retry policy (S3 documents at-least-once delivery, not its schedule): 1 s after the first
// failure, doubling up to 5 minutes, for 24 hours after the event; then the notification is
// dropped and logged, as S3 gives up on a destination that never accepts.
const (
	retryFirst  = time.Second
	retryMax    = 5 * time.Minute
	retryWindow = 24 * time.Hour
	outboxBatch = 100
)

// outboxEntry is one notification waiting for delivery.
type outboxEntry struct {
	Message     deliver.Message `json:"message"`
	Bucket      string          `json:"bucket"`
	EnqueuedAt  time.Time       `json:"enqueuedAt"`
	NextAttempt time.Time       `json:"nextAttempt"`
	Attempts    int             `json:"attempts"`
	LastError   string          `json:"lastError,omitempty"`
}

// enqueue stores a notification for the worker; the caller's transaction makes it durable.
func (s *Service) enqueue(tx *store.Tx, m deliver.Message, bucket string, now time.Time) error {
	m.Principal = "s3.amazonaws.com"
	// SNS shows S3's notifications with this subject; other receivers ignore it.
	m.Subject = "Amazon S3 Notification"
	m.SourceARN = bucketARN(bucket)
	m.SourceAccount = s.cfg.AccountID
	seq, err := tx.NextSequence(outboxBucket)
	if err != nil {
		return err
	}
	return tx.Put(outboxBucket, store.SeqKey(seq), &outboxEntry{Message: m, Bucket: bucket, EnqueuedAt: now, NextAttempt: now})
}

// signal wakes the worker after a commit that enqueued notifications.
func (s *Service) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// runOutbox is the worker: deliver what is due, then sleep until the next retry is due or a write
// signals new work.
func (s *Service) runOutbox() {
	defer close(s.done)
	for {
		next, err := s.deliverDue()
		if err != nil {
			s.log.Error("notification outbox", "error", err)
			next = s.clock.Now().Add(retryFirst)
		}
		var timer <-chan time.Time
		var stop func() bool
		if !next.IsZero() {
			t := s.clock.NewTimer(next.Sub(s.clock.Now()))
			timer, stop = t.C(), t.Stop
		}
		select {
		case <-s.ctx.Done():
			if stop != nil {
				stop()
			}
			return
		case <-s.wake:
		case <-timer:
		}
		if stop != nil {
			stop()
		}
	}
}

// deliverDue delivers every entry whose time has come, and returns when the next one is due
// (zero when the outbox is empty).
func (s *Service) deliverDue() (time.Time, error) {
	for {
		now := s.clock.Now()
		type item struct {
			key   string
			entry outboxEntry
		}
		var due []item
		var next time.Time
		err := s.store.View(func(tx *store.Tx) error {
			return tx.ForEach(outboxBucket, "", func(k string, v []byte) error {
				var e outboxEntry
				if err := decodeJSON(v, &e); err != nil {
					return err
				}
				if e.NextAttempt.After(now) {
					if next.IsZero() || e.NextAttempt.Before(next) {
						next = e.NextAttempt
					}
					return nil
				}
				due = append(due, item{k, e})
				if len(due) == outboxBatch {
					return store.ErrStop
				}
				return nil
			})
		})
		if err != nil {
			return time.Time{}, err
		}
		for _, it := range due {
			if s.ctx.Err() != nil {
				return time.Time{}, nil
			}
			if err := s.attempt(it.key, it.entry, now); err != nil {
				return time.Time{}, err
			}
		}
		if len(due) < outboxBatch {
			if len(due) > 0 {
				// Failed attempts were rescheduled; look again for the earliest.
				continue
			}
			return next, nil
		}
	}
}

// attempt delivers one entry and records the outcome.
func (s *Service) attempt(key string, e outboxEntry, now time.Time) error {
	ctx, cancel := context.WithTimeout(s.ctx, 30*time.Second)
	err := s.cfg.Bus.Deliver(ctx, e.Message)
	cancel()
	if err == nil {
		return s.store.Update(func(tx *store.Tx) error { return tx.Delete(outboxBucket, key) })
	}
	if errors.Is(err, context.Canceled) && s.ctx.Err() != nil {
		return nil // shutting down: the entry stays for the next run
	}
	e.Attempts++
	e.LastError = err.Error()
	if now.Sub(e.EnqueuedAt) >= retryWindow {
		s.log.Warn("dropping S3 event notification after retrying for 24 hours", "bucket", e.Bucket,
			"target", e.Message.TargetARN, "attempts", e.Attempts, "error", err)
		return s.store.Update(func(tx *store.Tx) error { return tx.Delete(outboxBucket, key) })
	}
	delay := retryFirst << min(e.Attempts-1, 20)
	if delay > retryMax {
		delay = retryMax
	}
	e.NextAttempt = now.Add(delay)
	s.log.Info("S3 event notification not delivered; will retry", "bucket", e.Bucket, "target", e.Message.TargetARN,
		"attempt", e.Attempts, "retryIn", delay, "error", err)
	return s.store.Update(func(tx *store.Tx) error {
		if !tx.Has(outboxBucket, key) {
			return nil
		}
		return tx.Put(outboxBucket, key, &e)
	})
}
