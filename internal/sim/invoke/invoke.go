package invoke

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invlog"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/runtime"
)

// Limits of the invoke path (SEMANTICS.md A1, A2).
const (
	// MaxSyncRequest is the largest RequestResponse or DryRun payload: 6 MiB.
	MaxSyncRequest = 6291456
	// MaxSyncResponse is the largest response Lambda passes back. AWS's check is 100 bytes above
	// 6 MiB, and its error message names this number.
	MaxSyncResponse = 6291556
	// MaxAsyncRequest is the largest Event payload: 1 MiB since October 2025 (256 KB before).
	MaxAsyncRequest = 1048576
	// LogTailBytes is how much of an invocation's log X-Amz-Log-Result carries.
	LogTailBytes = 4096
	// DefaultAccountConcurrency is the default per-Region concurrency quota of an account.
	DefaultAccountConcurrency = 1000
	// MinUnreservedConcurrency is what reservations must leave in the account's unreserved pool.
	MinUnreservedConcurrency = 100
)

// Invocation types (X-Amz-Invocation-Type) and log types (X-Amz-Log-Type).
const (
	TypeRequestResponse = "RequestResponse"
	TypeEvent           = "Event"
	TypeDryRun          = "DryRun"

	LogNone = "None"
	LogTail = "Tail"
)

// TriggerAPI is the Trigger of an invocation made through the Invoke API.
const TriggerAPI = "api"

// Throttle reasons, as TooManyRequestsException's Reason member names them.
const (
	ReasonReservedConcurrency = "ReservedFunctionConcurrentInvocationLimitExceeded"
	ReasonAccountConcurrency  = "ConcurrentInvocationLimitExceeded"
)

// Codes of the errors Invoke returns: the AWS exception each one is answered as.
const (
	CodeTooManyRequests = "TooManyRequestsException"
	CodeInvalidRuntime  = "InvalidRuntimeException"
	CodeInvalidZipFile  = "InvalidZipFileException"
	CodeService         = "ServiceException"
)

// throttleMessage is the message of Lambda's invocation throttles.
const throttleMessage = "Rate Exceeded."

// throttleRetryAfter is what a throttled caller is told to wait.
const throttleRetryAfter = time.Second

// Config configures an Invoker.
type Config struct {
	Runtime *runtime.Manager
	Log     *invlog.Log
	Clock   clock.Clock
	Logger  *slog.Logger
	// AccountConcurrency is the account's concurrency quota; 0 means DefaultAccountConcurrency.
	AccountConcurrency int
}

// Invoker admits, runs and records invocation attempts.
type Invoker struct {
	runtime *runtime.Manager
	log     *invlog.Log
	clock   clock.Clock
	logger  *slog.Logger
	account int

	mu                 sync.Mutex
	reserved           map[string]int // function name -> reserved concurrency
	reservedTotal      int
	inflight           map[string]int // function name -> attempts running
	unreservedInflight int            // attempts of functions without a reservation
}

// New returns an Invoker.
func New(cfg Config) *Invoker {
	if cfg.Clock == nil {
		cfg.Clock = clock.Real()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.AccountConcurrency <= 0 {
		cfg.AccountConcurrency = DefaultAccountConcurrency
	}
	return &Invoker{
		runtime:  cfg.Runtime,
		log:      cfg.Log,
		clock:    cfg.Clock,
		logger:   cfg.Logger,
		account:  cfg.AccountConcurrency,
		reserved: map[string]int{},
		inflight: map[string]int{},
	}
}

// Function is a resolved function version, ready to run.
type Function struct {
	// Spec is what the execution environment runs; Spec.Version is the version that executes.
	Spec runtime.FunctionSpec
	// InvokedARN is the ARN as the caller named it: qualified when a qualifier was given.
	InvokedARN string
	// Qualifier is the qualifier the caller gave ("" when none).
	Qualifier string
	// ReservedConcurrency is the function's reservation; nil when it has none.
	ReservedConcurrency *int
}

// Request is one invocation attempt.
type Request struct {
	// RequestID identifies the invocation; a fresh one is made when empty. Retries of one event
	// keep its request id and raise Attempt.
	RequestID string
	Payload   []byte
	// InvocationType is TypeRequestResponse (default), TypeEvent (an async attempt run by the
	// event queue) or TypeDryRun (checks and records, runs nothing).
	InvocationType string
	// LogType TypeTail asks for the log tail in Result.LogResult (synchronous invocations only).
	LogType string
	// ClientContext is the decoded client context JSON, passed to the function as is.
	ClientContext string
	TraceID       string
	// Trigger says who caused the attempt: TriggerAPI (default), later "sqs:<arn>", ...
	Trigger string
	// Attempt is 1 for the first attempt of an event (default).
	Attempt int
}

// Result is the outcome of an attempt that was admitted.
type Result struct {
	RequestID string
	// StatusCode is what a synchronous caller is answered: 200, or 204 for a dry run.
	StatusCode int
	Payload    []byte
	// FunctionError is "", "Handled" or "Unhandled" (X-Amz-Function-Error).
	FunctionError   string
	ErrorType       string
	ExecutedVersion string
	// LogResult is the base64 of the last 4 KB of the log, when LogType was Tail.
	LogResult     string
	Logs          []byte
	EnvironmentID string
	Cold          bool
	Start         time.Time
	Duration      time.Duration
	InitDuration  time.Duration
}

// Error is an invocation that failed before or outside the function: a throttle, a runtime the
// simulator cannot run, a failure of the simulator. Function errors are not Errors: they are
// Results with FunctionError set.
type Error struct {
	Code    string // the AWS exception, e.g. TooManyRequestsException
	Status  int    // the HTTP status AWS answers it with
	Message string
	// Reason and RetryAfter are set on throttles.
	Reason     string
	RetryAfter time.Duration
	Err        error
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

func (e *Error) Unwrap() error { return e.Err }

// Throttled reports whether err is a concurrency throttle.
func Throttled(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == CodeTooManyRequests
}

// SetReservedConcurrency records a function's reservation (nil removes it), so the unreserved pool
// the other functions share is right. The Lambda API calls it at start and on every change.
func (inv *Invoker) SetReservedConcurrency(functionName string, n *int) {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	inv.setReservedLocked(functionName, n)
}

// Forget drops a deleted function's reservation.
func (inv *Invoker) Forget(functionName string) { inv.SetReservedConcurrency(functionName, nil) }

// AccountConcurrency is the account's concurrency quota.
func (inv *Invoker) AccountConcurrency() int { return inv.account }

// UnreservedConcurrency is the pool shared by functions without a reservation.
func (inv *Invoker) UnreservedConcurrency() int {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	return inv.account - inv.reservedTotal
}

// InFlight is the number of attempts of the function running now.
func (inv *Invoker) InFlight(functionName string) int {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	return inv.inflight[functionName]
}

func (inv *Invoker) setReservedLocked(name string, n *int) {
	if old, ok := inv.reserved[name]; ok {
		inv.reservedTotal -= old
		delete(inv.reserved, name)
	}
	if n != nil {
		inv.reserved[name] = *n
		inv.reservedTotal += *n
	}
}

// acquire admits one attempt of fn, or returns the throttle reason. fn's own reservation caps
// it; the unreserved pool is sized by the reservations the Lambda API reported through
// SetReservedConcurrency (a Function resolved before a change must not undo the change).
func (inv *Invoker) acquire(fn Function) (release func(), reason string) {
	name := fn.Spec.FunctionName
	inv.mu.Lock()
	defer inv.mu.Unlock()
	if fn.ReservedConcurrency != nil {
		if inv.inflight[name] >= *fn.ReservedConcurrency {
			return nil, ReasonReservedConcurrency
		}
		inv.inflight[name]++
		return func() { inv.release(name, false) }, ""
	}
	if inv.unreservedInflight >= inv.account-inv.reservedTotal {
		return nil, ReasonAccountConcurrency
	}
	inv.inflight[name]++
	inv.unreservedInflight++
	return func() { inv.release(name, true) }, ""
}

func (inv *Invoker) release(name string, unreserved bool) {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	if inv.inflight[name]--; inv.inflight[name] <= 0 {
		delete(inv.inflight, name)
	}
	if unreserved {
		inv.unreservedInflight--
	}
}

// Invoke runs one attempt of fn and records it. It returns a Result for every attempt that ran
// (function errors included) or was a dry run, and an *Error for throttles and invocation failures.
func (inv *Invoker) Invoke(ctx context.Context, fn Function, req Request) (Result, error) {
	if req.RequestID == "" {
		req.RequestID = awswire.NewUUID()
	}
	if req.InvocationType == "" {
		req.InvocationType = TypeRequestResponse
	}
	if req.Trigger == "" {
		req.Trigger = TriggerAPI
	}
	if req.Attempt <= 0 {
		req.Attempt = 1
	}
	rec := invlog.Record{
		RequestID:       req.RequestID,
		FunctionName:    fn.Spec.FunctionName,
		FunctionARN:     fn.InvokedARN,
		Qualifier:       fn.Qualifier,
		ExecutedVersion: fn.Spec.Version,
		InvocationType:  req.InvocationType,
		Trigger:         req.Trigger,
		Attempt:         req.Attempt,
		Start:           inv.clock.Now(),
	}
	rec.SetPayload(req.Payload)

	if req.InvocationType == TypeDryRun {
		rec.Outcome = invlog.OutcomeDryRun
		rec.StatusCode = http.StatusNoContent
		inv.append(&rec)
		return Result{RequestID: req.RequestID, StatusCode: http.StatusNoContent, ExecutedVersion: fn.Spec.Version, Start: rec.Start}, nil
	}

	release, reason := inv.acquire(fn)
	if release == nil {
		e := &Error{Code: CodeTooManyRequests, Status: http.StatusTooManyRequests, Message: throttleMessage, Reason: reason, RetryAfter: throttleRetryAfter}
		rec.Outcome = invlog.OutcomeThrottled
		rec.StatusCode = e.Status
		rec.ErrorType = e.Code
		rec.ErrorMessage = fmt.Sprintf("%s (Reason: %s)", e.Message, reason)
		inv.append(&rec)
		return Result{}, e
	}
	res, err := inv.runtime.Invoke(ctx, fn.Spec, runtime.Request{
		RequestID:          req.RequestID,
		InvokedFunctionARN: fn.InvokedARN,
		Payload:            req.Payload,
		ClientContext:      req.ClientContext,
		TraceID:            req.TraceID,
	})
	release()
	if err != nil {
		e := invocationError(ctx, fn, err)
		rec.Outcome = invlog.OutcomeError
		rec.StatusCode = e.Status
		rec.ErrorType = e.Code
		rec.ErrorMessage = e.Message
		rec.DurationMs = ms(inv.clock.Now().Sub(rec.Start))
		inv.append(&rec)
		return Result{}, e
	}

	out := Result{
		RequestID:       req.RequestID,
		StatusCode:      http.StatusOK,
		Payload:         res.Payload,
		FunctionError:   res.FunctionError,
		ErrorType:       res.ErrorType,
		ExecutedVersion: fn.Spec.Version,
		Logs:            res.Logs,
		EnvironmentID:   res.EnvironmentID,
		Cold:            res.Cold,
		Start:           res.Start,
		Duration:        res.Duration,
		InitDuration:    res.InitDuration,
	}
	if out.Start.IsZero() {
		out.Start = rec.Start
	}
	if len(out.Payload) > MaxSyncResponse {
		// Lambda answers an oversized response as an Unhandled function error with status 200.
		out.Payload = responseTooLarge()
		out.FunctionError = "Unhandled"
		out.ErrorType = "Function.ResponseSizeTooLarge"
	}
	if out.FunctionError != "" && out.ErrorType == "" {
		out.ErrorType = errorTypeOf(out.Payload)
	}
	if req.LogType == LogTail && req.InvocationType == TypeRequestResponse {
		out.LogResult = base64.StdEncoding.EncodeToString(tail(out.Logs, LogTailBytes))
	}

	rec.Start = out.Start
	rec.StatusCode = out.StatusCode
	rec.Outcome = invlog.OutcomeSuccess
	if out.FunctionError != "" {
		rec.Outcome = invlog.OutcomeFunctionError
		rec.FunctionError = out.FunctionError
		rec.ErrorType = out.ErrorType
	}
	rec.SetResponse(out.Payload)
	rec.DurationMs = ms(out.Duration)
	rec.InitDurationMs = ms(out.InitDuration)
	rec.EnvironmentID = out.EnvironmentID
	rec.Cold = out.Cold
	rec.Logs = string(tail(out.Logs, invlog.MaxBody))
	inv.append(&rec)
	return out, nil
}

func (inv *Invoker) append(rec *invlog.Record) {
	if inv.log == nil {
		return
	}
	if err := inv.log.Append(rec); err != nil {
		inv.logger.Error("recording invocation", "requestId", rec.RequestID, "function", rec.FunctionName, "error", err)
	}
}

// invocationError maps a system failure of the runtime to the error Lambda answers.
func invocationError(ctx context.Context, fn Function, err error) *Error {
	switch {
	case errors.Is(err, runtime.ErrUnsupportedRuntime):
		return &Error{Code: CodeInvalidRuntime, Status: http.StatusBadGateway, Err: err,
			Message: fmt.Sprintf("The lambdatrigger simulator cannot run functions with runtime %s: %v", fn.Spec.Runtime, err)}
	case errors.Is(err, runtime.ErrInvalidZip):
		return &Error{Code: CodeInvalidZipFile, Status: http.StatusBadGateway, Err: err,
			Message: fmt.Sprintf("Lambda was unable to unzip the deployment package of %s: %v", fn.Spec.FunctionName, err)}
	case ctx.Err() != nil:
		return &Error{Code: CodeService, Status: http.StatusInternalServerError, Err: err,
			Message: fmt.Sprintf("The invocation was abandoned: %v", err)}
	default:
		return &Error{Code: CodeService, Status: http.StatusInternalServerError, Err: err,
			Message: fmt.Sprintf("The simulator failed to run %s: %v", fn.Spec.FunctionName, err)}
	}
}

func responseTooLarge() []byte {
	b, _ := json.Marshal(map[string]string{
		"errorMessage": fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", MaxSyncResponse),
		"errorType":    "Function.ResponseSizeTooLarge",
	})
	return b
}

// errorTypeOf reads errorType from a function error's JSON body.
func errorTypeOf(payload []byte) string {
	var body struct {
		ErrorType string `json:"errorType"`
	}
	if json.Unmarshal(payload, &body) != nil {
		return ""
	}
	return body.ErrorType
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
