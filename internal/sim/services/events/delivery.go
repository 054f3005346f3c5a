package events

import (
	"encoding/json"
	"errors"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// DLQ error codes, from the list in
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html.
const (
	codeNoPermissions   = "NO_PERMISSIONS"
	codeNoResource      = "NO_RESOURCE"
	codeThrottling      = "THROTTLING"
	codeErrorFromTarget = "ERROR_FROM_TARGET"
	codeTimeout         = "TIMEOUT"
)

// Values of EXHAUSTED_RETRY_CONDITION.
const (
	exhaustedAttempts = "MaximumRetryAttempts"
	exhaustedAge      = "MaximumEventAgeInSeconds"
)

const maxBackoff = 8 * time.Minute

// backoff is the wait before retry number n (1-based): 1 s doubling to 8 minutes, drawn from
// [d/2, d] ("exponential back off and jitter"). Advancing a clock by the undrawn d is always
// enough for the retry to be due.
func backoff(n int) time.Duration {
	d := maxBackoff
	if n <= 10 {
		d = min(time.Second<<(n-1), maxBackoff)
	}
	half := d / 2
	return half + rand.N(half+1)
}

// classify maps a delivery error to AWS's DLQ error code, and says whether a retry can help:
// permission errors and missing targets go to the DLQ at once.
func classify(err error) (code string, retryable bool) {
	switch {
	case errors.Is(err, deliver.ErrDenied):
		return codeNoPermissions, false
	case errors.Is(err, deliver.ErrNoTarget):
		return codeNoResource, false
	case strings.Contains(strings.ToLower(err.Error()), "throttl"), strings.Contains(err.Error(), "TooManyRequests"):
		return codeThrottling, true
	}
	return codeErrorFromTarget, true
}

func (s *Service) loadDelivery(key string) (*deliveryRecord, error) {
	var d deliveryRecord
	err := s.cfg.Store.View(func(tx *store.Tx) error { return tx.Get(bucketDeliveries, key, &d) })
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// attempt hands one delivery to its target and records the outcome.
func (s *Service) attempt(key string) {
	d, err := s.loadDelivery(key)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.log.Error("reading a pending delivery", "key", key, "error", err)
		}
		return
	}
	maxAge := time.Duration(d.MaxAge) * time.Second
	if s.now().Sub(d.Ingested) > maxAge {
		code, msg := d.LastCode, d.LastMessage
		if code == "" {
			code, msg = codeTimeout, "The event was older than MaximumEventAgeInSeconds before it could be delivered."
		}
		s.exhaust(d, code, msg, exhaustedAge)
		return
	}
	msg := deliver.Message{TargetARN: d.TargetARN, Body: []byte(d.Body), Principal: Principal, SourceARN: d.RuleARN, SourceAccount: s.cfg.AccountID}
	if d.MessageGroupID != "" {
		msg.MessageGroupID, msg.DeduplicationID = d.MessageGroupID, d.EventID
	}
	err = s.cfg.Bus.Deliver(s.ctx, msg)
	if err == nil {
		s.forget(d)
		return
	}
	if s.ctx.Err() != nil {
		return // closing: the delivery stays in the store for the next start
	}
	d.Attempts++
	code, retryable := classify(err)
	d.LastCode, d.LastMessage = code, err.Error()
	s.log.Info("event delivery failed", "rule", d.RuleARN, "target", d.TargetARN, "attempt", d.Attempts, "code", code, "error", err)
	switch {
	case !retryable:
		s.exhaust(d, code, err.Error(), "")
		return
	case d.Attempts-1 >= d.MaxRetries:
		s.exhaust(d, code, err.Error(), exhaustedAttempts)
		return
	}
	next := s.now().Add(backoff(d.Attempts))
	if next.Sub(d.Ingested) > maxAge {
		s.exhaust(d, code, err.Error(), exhaustedAge)
		return
	}
	d.NextAt = next
	if err := s.cfg.Store.Update(func(tx *store.Tx) error { return tx.Put(bucketDeliveries, d.Key, d) }); err != nil {
		s.log.Error("recording a failed delivery", "key", d.Key, "error", err)
		return
	}
	s.sched.push(item{at: next, kind: kindDelivery, key: d.Key})
}

// exhaust sends a delivery that will not be retried to its DLQ (or drops it) and forgets it.
// condition is the EXHAUSTED_RETRY_CONDITION, "" when no retry limit ended the delivery.
func (s *Service) exhaust(d *deliveryRecord, code, message, condition string) {
	defer s.forget(d)
	retries := max(d.Attempts-1, 0)
	if d.DLQ == "" {
		s.log.Warn("event dropped: delivery failed and the target has no dead-letter queue",
			"rule", d.RuleARN, "target", d.TargetARN, "event", d.EventID, "code", code, "error", message, "retryAttempts", retries, "exhausted", condition)
		return
	}
	str := func(v string) deliver.Attribute { return deliver.Attribute{DataType: "String", StringValue: v} }
	attrs := map[string]deliver.Attribute{
		"RULE_ARN":       str(d.RuleARN),
		"TARGET_ARN":     str(d.TargetARN),
		"ERROR_CODE":     str(code),
		"ERROR_MESSAGE":  str(message),
		"RETRY_ATTEMPTS": str(strconv.Itoa(retries)),
	}
	if condition != "" {
		attrs["EXHAUSTED_RETRY_CONDITION"] = str(condition)
	}
	err := s.cfg.Bus.Deliver(s.ctx, deliver.Message{TargetARN: d.DLQ, Body: []byte(d.Event), Attributes: attrs,
		Principal: Principal, SourceARN: d.RuleARN, SourceAccount: s.cfg.AccountID})
	if err != nil {
		// AWS counts these as InvocationsFailedToBeSentToDLQ; the event is lost.
		s.log.Error("event dropped: the dead-letter queue refused it", "rule", d.RuleARN, "target", d.TargetARN, "dlq", d.DLQ, "event", d.EventID, "error", err)
		return
	}
	s.log.Info("event sent to the dead-letter queue", "rule", d.RuleARN, "target", d.TargetARN, "dlq", d.DLQ, "code", code, "exhausted", condition)
}

func (s *Service) forget(d *deliveryRecord) {
	if err := s.cfg.Store.Update(func(tx *store.Tx) error { return tx.Delete(bucketDeliveries, d.Key) }); err != nil {
		s.log.Error("removing a finished delivery", "key", d.Key, "error", err)
	}
}

// maxCatchUp is how old a missed scheduled occurrence may be and still fire.
const maxCatchUp = 24 * time.Hour

// fire emits the scheduled event of a rule whose NextFire has come, and schedules the next one.
func (s *Service) fire(it item) {
	var deliveries []deliveryRecord
	var next time.Time
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		deliveries, next = nil, time.Time{}
		var r ruleRecord
		if err := tx.Get(bucketRules, it.key, &r); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return nil
			}
			return err
		}
		if !r.enabled() || r.ScheduleExpression == "" || !r.NextFire.Equal(it.at) {
			return nil // changed since this item was pushed
		}
		sch, err := parseSchedule(r.ScheduleExpression)
		if err != nil {
			return nil
		}
		now := s.now()
		at := r.NextFire
		if now.Sub(at) > maxCatchUp {
			skipped := 0
			for !at.IsZero() && now.Sub(at) > maxCatchUp {
				at = nextOccurrence(sch, at, now.Add(-maxCatchUp))
				skipped++
			}
			s.log.Warn("scheduled rule missed occurrences older than 24 hours; skipping them", "rule", r.ARN, "skipped", skipped, "resumeAt", at)
			r.NextFire = at
			next = at
			return tx.Put(bucketRules, it.key, r)
		}
		ev := event{Version: "0", ID: awswire.NewUUID(), DetailType: "Scheduled Event", Source: "aws.events", Account: s.cfg.AccountID,
			Time: formatEventTime(at), Region: s.cfg.Region, Resources: []string{r.ARN}, Detail: json.RawMessage(`{}`)}
		body, _ := json.Marshal(ev)
		deliveries, err = s.fanout(tx, r.Bus, body, ev.ID, now, &r)
		if err != nil {
			return err
		}
		if n, ok := sch.next(at); ok {
			next = n
		}
		r.NextFire = next
		return tx.Put(bucketRules, it.key, r)
	})
	if err != nil {
		s.log.Error("firing a scheduled rule", "rule", it.key, "error", err)
		return
	}
	s.enqueue(deliveries)
	if !next.IsZero() {
		s.sched.push(item{at: next, kind: kindSchedule, key: it.key})
	}
}

// nextOccurrence is the first occurrence of sch after notBefore, starting from at.
func nextOccurrence(sch schedule, at, notBefore time.Time) time.Time {
	if r, ok := sch.(rateSchedule); ok && at.Before(notBefore) {
		k := notBefore.Sub(at)/r.period + 1
		return at.Add(k * r.period)
	}
	n, ok := sch.next(maxTime(at, notBefore))
	if !ok {
		return time.Time{}
	}
	return n
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

var _ deliver.Receiver = (*Service)(nil)
