package async

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda/eventconfig"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// AWS's retry timing (invocation-async-error-handling): function errors wait one minute before
// the second attempt and two minutes before the third; throttles and system errors back off from
// one second, doubling, to at most five minutes.
var functionErrorDelays = []time.Duration{time.Minute, 2 * time.Minute}

const (
	firstBackoff = time.Second
	maxBackoff   = 5 * time.Minute
)

// Conditions of an invocation record's requestContext.
const (
	ConditionSuccess          = "Success"
	ConditionRetriesExhausted = "RetriesExhausted"
	ConditionEventAgeExceeded = "EventAgeExceeded"
)

// state is an event's progress, stored in StateBucket beside the event.
type state struct {
	Attempts     int           `json:"attempts"`     // attempts made, throttles included: the last invlog Attempt
	InvokeCount  int           `json:"invokeCount"`  // attempts that ran the function (approximateInvokeCount)
	ErrorRetries int           `json:"errorRetries"` // function-error attempts so far
	Backoff      time.Duration `json:"backoff"`      // the last throttle/system-error backoff
	NextAttempt  time.Time     `json:"nextAttempt"`
	Last         *outcome      `json:"last,omitempty"`
}

// outcome is what the last attempt answered, for the invocation record.
type outcome struct {
	StatusCode      int    `json:"statusCode"`
	ExecutedVersion string `json:"executedVersion,omitempty"`
	FunctionError   string `json:"functionError,omitempty"`
	ErrorType       string `json:"errorType,omitempty"`
	ErrorMessage    string `json:"errorMessage,omitempty"`
	Payload         []byte `json:"payload,omitempty"`
}

// process runs one attempt of the event stored under key, or finishes it. It returns when the
// event is due again, or done when it is finished (or gone).
func (q *Queue) process(key string) (next time.Time, done bool) {
	ev, st, err := q.load(key)
	if errors.Is(err, store.ErrNotFound) {
		return time.Time{}, true
	}
	if err != nil {
		q.cfg.Logger.Error("async: loading event", "key", key, "error", err)
		return q.cfg.Clock.Now().Add(time.Second), false
	}
	log := q.cfg.Logger.With("requestId", ev.RequestID, "function", ev.FunctionName)
	set, err := q.cfg.Configs.Lookup(ev.FunctionName, ev.Qualifier)
	if err != nil {
		log.Error("async: reading the event invoke config", "error", err)
		return q.cfg.Clock.Now().Add(time.Second), false
	}
	now := q.cfg.Clock.Now()
	expiry := ev.Received.Add(time.Duration(set.MaximumEventAgeInSeconds) * time.Second)
	if now.After(expiry) {
		q.fail(ev, st, set, ConditionEventAgeExceeded, "dropped: event age exceeded")
		return time.Time{}, q.remove(key, log)
	}

	fn, e := q.cfg.Functions.ResolveFunction(ev.FunctionName, ev.Qualifier)
	if e != nil {
		if e.Status == http.StatusNotFound {
			// The function (or its alias) was deleted: AWS drops what its queue still held.
			log.Warn("async: dropping an event of a function that no longer exists", "error", e.Message)
			return time.Time{}, q.remove(key, log)
		}
		// Not Active yet (Pending, an update in progress): a system error, retried with backoff.
		st.Attempts++ // no invocation-log record exists for it; keep numbering honest anyway
		return q.backoff(key, ev.RequestID, st, expiry, log, "system error: "+e.Code)
	}

	st.Attempts++
	res, err := q.cfg.Invoker.Invoke(q.ctx, fn, invoke.Request{
		RequestID:      ev.RequestID,
		Payload:        ev.Payload,
		InvocationType: invoke.TypeEvent,
		TraceID:        ev.TraceID,
		Trigger:        ev.Trigger,
		Attempt:        st.Attempts,
	})
	if q.ctx.Err() != nil {
		// Closing: the attempt was abandoned; it runs again after a restart.
		return time.Time{}, false
	}
	if err != nil {
		var ie *invoke.Error
		errors.As(err, &ie)
		st.Last = &outcome{StatusCode: http.StatusInternalServerError, ExecutedVersion: fn.Spec.Version, ErrorMessage: err.Error()}
		if ie != nil {
			st.Last.StatusCode, st.Last.ErrorType, st.Last.ErrorMessage = ie.Status, ie.Code, ie.Message
		}
		if invoke.Throttled(err) && fn.ReservedConcurrency != nil && *fn.ReservedConcurrency == 0 {
			// Reserved concurrency 0: no retries, straight to failure handling.
			dest := q.fail(ev, st, set, ConditionRetriesExhausted, "dropped: reserved concurrency is 0")
			q.annotate(ev.RequestID, st.Attempts, "", dest)
			return time.Time{}, q.remove(key, log)
		}
		reason := "system error: " + st.Last.ErrorType
		if invoke.Throttled(err) {
			reason = "throttled"
			if ie != nil && ie.Reason != "" {
				reason += ": " + ie.Reason
			}
		}
		return q.backoff(key, ev.RequestID, st, expiry, log, reason)
	}

	st.InvokeCount++
	st.Last = &outcome{StatusCode: res.StatusCode, ExecutedVersion: res.ExecutedVersion, FunctionError: res.FunctionError, ErrorType: res.ErrorType, Payload: res.Payload}
	if res.FunctionError == "" {
		dest := q.succeed(ev, st, set)
		q.annotate(ev.RequestID, st.Attempts, "", dest)
		return time.Time{}, q.remove(key, log)
	}
	st.Backoff = 0
	if st.ErrorRetries >= set.MaximumRetryAttempts {
		dest := q.fail(ev, st, set, ConditionRetriesExhausted, "dropped: retries exhausted")
		q.annotate(ev.RequestID, st.Attempts, "", dest)
		return time.Time{}, q.remove(key, log)
	}
	delay := functionErrorDelays[min(st.ErrorRetries, len(functionErrorDelays)-1)]
	st.ErrorRetries++
	st.NextAttempt = now.Add(delay)
	if st.NextAttempt.After(expiry) {
		// The retry would come after the event's maximum age: the age check then routes it.
		st.NextAttempt = expiry.Add(time.Millisecond)
	}
	reason := "function error: " + res.FunctionError
	if res.ErrorType != "" {
		reason += " (" + res.ErrorType + ")"
	}
	q.annotate(ev.RequestID, st.Attempts, reason, "")
	if err := q.save(key, st); err != nil {
		log.Error("async: saving event progress", "error", err)
	}
	return st.NextAttempt, false
}

// backoff puts a throttled event (or one that met a system error) back in the queue: 1 s, then
// doubling to 5 minutes, never later than just past the event's expiry; MaximumRetryAttempts is
// not spent.
func (q *Queue) backoff(key, requestID string, st state, expiry time.Time, log interface {
	Error(msg string, args ...any)
}, reason string) (time.Time, bool) {
	if st.Backoff <= 0 {
		st.Backoff = firstBackoff
	} else {
		st.Backoff = min(st.Backoff*2, maxBackoff)
	}
	st.NextAttempt = q.cfg.Clock.Now().Add(st.Backoff)
	if st.NextAttempt.After(expiry) {
		st.NextAttempt = expiry.Add(time.Millisecond)
	}
	q.annotate(requestID, st.Attempts, reason, "")
	if err := q.save(key, st); err != nil {
		log.Error("async: saving event progress", "error", err)
	}
	return st.NextAttempt, false
}

func (q *Queue) remove(key string, log interface {
	Error(msg string, args ...any)
}) bool {
	if err := q.finish(key); err != nil {
		log.Error("async: removing a finished event", "error", err)
		return false
	}
	return true
}

func (q *Queue) annotate(requestID string, attempt int, reason, destination string) {
	if q.cfg.Annotator == nil || requestID == "" || attempt <= 0 || (reason == "" && destination == "") {
		return
	}
	if err := q.cfg.Annotator.Annotate(requestID, attempt, reason, destination); err != nil {
		q.cfg.Logger.Warn("async: annotating the invocation log", "requestId", requestID, "attempt", attempt, "error", err)
	}
}

// succeed sends the success record to the OnSuccess destination and says where it went.
func (q *Queue) succeed(ev invoke.Event, st state, set eventconfig.Settings) string {
	if set.OnSuccess == "" {
		return ""
	}
	rec := q.record(ev, st, ConditionSuccess)
	return q.toDestination(ev, set.OnSuccess, rec, true)
}

// fail routes a failed event: the record to OnFailure, the original event to the dead-letter
// queue, both when both are set. dropped describes the end when neither is.
func (q *Queue) fail(ev invoke.Event, st state, set eventconfig.Settings, condition, dropped string) string {
	var where []string
	if set.OnFailure != "" {
		where = append(where, q.toDestination(ev, set.OnFailure, q.record(ev, st, condition), false))
	}
	if dlq := q.deadLetterTarget(ev); dlq != "" {
		where = append(where, q.toDeadLetter(ev, st, dlq))
	}
	if len(where) == 0 {
		q.cfg.Logger.Info("async: event discarded", "requestId", ev.RequestID, "function", ev.FunctionName, "condition", condition)
		dest := dropped
		if st.Attempts > 0 && condition == ConditionEventAgeExceeded {
			q.annotate(ev.RequestID, st.Attempts, "", dest)
		}
		return dest
	}
	dest := joinDest(where)
	if condition == ConditionEventAgeExceeded {
		q.annotate(ev.RequestID, st.Attempts, "", dest)
	}
	return dest
}

func joinDest(parts []string) string {
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += "; "
		}
		out += p
	}
	return out
}

// deadLetterTarget is the DeadLetterConfig.TargetArn of the version the event ran (or would run).
func (q *Queue) deadLetterTarget(ev invoke.Event) string {
	c, e := q.cfg.Functions.GetFunctionConfiguration(context.Background(), qualifiedInput(ev))
	if e != nil || c.DeadLetterConfig == nil {
		return ""
	}
	return c.DeadLetterConfig.TargetARN
}

// role is the execution role of the version the event runs.
func (q *Queue) role(ev invoke.Event) string {
	c, e := q.cfg.Functions.GetFunctionConfiguration(context.Background(), qualifiedInput(ev))
	if e != nil {
		return ""
	}
	return c.Role
}

func describe(kind, arn string) string { return fmt.Sprintf("%s:%s", kind, arn) }
