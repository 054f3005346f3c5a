package runtime

import (
	"bytes"
	"fmt"
	"math"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
)

// invocation is one Request on its way through an environment.
type invocation struct {
	fn      FunctionSpec
	req     Request
	created time.Time

	handed   chan struct{} // closed when /next gave it to the runtime
	answered chan struct{} // closed when the runtime posted /response or /error
	released chan struct{} // closed when the runtime came back to /next afterwards

	// Guarded by environment.mu.
	handedAt    time.Time
	budgetStart time.Time // when the timeout started counting
	deadline    time.Time
	timer       clock.Timer
	answer      *functionAnswer

	// Guarded by logCapture.mu.
	lines []LogEvent
}

func newInvocation(fn FunctionSpec, req Request, now time.Time) *invocation {
	return &invocation{
		fn:       fn,
		req:      req,
		created:  now,
		handed:   make(chan struct{}),
		answered: make(chan struct{}),
		released: make(chan struct{}),
	}
}

// startBudget starts the function's timeout.
func (inv *invocation) startBudget(now time.Time, c clock.Clock) {
	inv.budgetStart = now
	inv.deadline = now.Add(inv.fn.Timeout)
	inv.timer = c.NewTimer(inv.fn.Timeout)
}

// handOut marks the invocation as given to the runtime. The timeout starts here, at the start of the
// Invoke phase, unless a slow Init already started it. Called with environment.mu held.
func (inv *invocation) handOut(now time.Time, c clock.Clock, logs *logCapture) {
	inv.handedAt = now
	if inv.timer == nil {
		inv.startBudget(now, c)
	}
	logs.mark(inv, startLine(inv))
	close(inv.handed)
}

// run waits for the invocation the environment was given to end, whichever way it ends, and builds
// its Result. It is the only place that decides the fate of an invocation; the Runtime API handlers
// only record what the runtime said.
func (e *environment) run(inv *invocation) (Result, error) {
	e.mu.Lock()
	cold := !e.served
	e.served = true
	e.mu.Unlock()

	// The Init phase may take initLimit. AWS then retries Init inside the Invoke phase, where it
	// counts against the function's timeout (SEMANTICS A3, "suppressed init"); the simulator keeps
	// the same process running and starts the timeout instead of restarting it.
	var initC <-chan time.Time
	if cold {
		t := e.clock.NewTimer(initLimit)
		defer t.Stop()
		initC = t.C()
	}
	var timeoutC <-chan time.Time
	defer func() {
		e.mu.Lock()
		if inv.timer != nil {
			inv.timer.Stop()
		}
		e.mu.Unlock()
	}()

	handed := inv.handed
	for {
		select {
		case <-handed:
			handed, initC = nil, nil
			timeoutC = inv.timer.C()

		case <-initC:
			initC = nil
			e.mu.Lock()
			if inv.timer == nil {
				inv.startBudget(e.clock.Now(), e.clock)
			}
			timeoutC = inv.timer.C()
			e.mu.Unlock()
			e.log.Info("init phase exceeded the 10 s limit; its remaining time counts against the invocation timeout")

		case <-inv.released:
			e.mu.Lock()
			a := inv.answer
			e.mu.Unlock()
			return e.finish(inv, cold, a, nil), nil

		case <-e.initErr:
			e.kill()
			if err := e.aborted(); err != nil {
				return e.discard(inv, err)
			}
			e.mu.Lock()
			a := e.initFailure
			e.mu.Unlock()
			return e.finish(inv, cold, a, nil), nil

		case <-e.exited:
			return e.afterExit(inv, cold)

		case <-timeoutC:
			e.kill()
			if err := e.aborted(); err != nil {
				return e.discard(inv, err)
			}
			if a, done := e.settled(inv); done {
				return e.finish(inv, cold, a, nil), nil
			}
			fe := timeoutError(inv.req.RequestID, inv.fn.Timeout)
			line := fmt.Sprintf("%s %s Task timed out after %.2f seconds",
				e.clock.Now().UTC().Format(logTimeFormat), inv.req.RequestID, inv.fn.Timeout.Seconds())
			return e.finish(inv, cold, fe.answer(), []string{line}), nil
		}
	}
}

// afterExit decides what a process exit means for the invocation in progress.
func (e *environment) afterExit(inv *invocation, cold bool) (Result, error) {
	e.kill() // the bootstrap is gone; anything it started goes with it
	if err := e.aborted(); err != nil {
		return e.discard(inv, err)
	}
	if a, done := e.settled(inv); done {
		return e.finish(inv, cold, a, nil), nil
	}
	e.mu.Lock()
	handed := !inv.handedAt.IsZero()
	initFailure := e.initFailure
	status := e.exitStatus
	e.mu.Unlock()
	switch {
	case initFailure != nil:
		return e.finish(inv, cold, initFailure, nil), nil
	case !handed && !cold:
		// A warm environment that died between invocations never saw this one.
		e.logs.detach(inv, nil)
		return Result{}, errEnvironmentLost
	}
	ee := exitError(inv.req.RequestID, status)
	return e.finish(inv, cold, ee.answer(), []string{ee.ErrorMessage, ee.ErrorType}), nil
}

// settled reports whether the runtime answered before the environment ended: the caller gets that
// answer even though the environment is discarded.
func (e *environment) settled(inv *invocation) (*functionAnswer, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return inv.answer, inv.answer != nil
}

func (e *environment) aborted() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.abortReason
}

// discard ends an invocation that the simulator itself cut short (Close). Its logs still go out.
func (e *environment) discard(inv *invocation, err error) (Result, error) {
	events := e.logs.detach(inv, nil)
	e.logs.send(events)
	return Result{}, err
}

// finish closes the invocation's log (platform lines, END, REPORT), hands the lines to the log sink
// and builds the Result. a is nil only when the runtime never answered, which cannot reach here.
func (e *environment) finish(inv *invocation, cold bool, a *functionAnswer, platformLines []string) Result {
	e.logs.settle(e.exited)
	e.sampleMemory()
	now := e.clock.Now()
	e.mu.Lock()
	handedAt, budgetStart, initDoneAt := inv.handedAt, inv.budgetStart, e.initDoneAt
	memUsed := e.peakMemoryMB
	e.mu.Unlock()

	res := Result{EnvironmentID: e.id, Cold: cold, Start: inv.created}
	switch {
	case !handedAt.IsZero():
		res.Start = handedAt
		res.Duration = now.Sub(handedAt)
	case !budgetStart.IsZero():
		res.Start = budgetStart
		res.Duration = now.Sub(budgetStart)
	}
	if cold {
		switch {
		case !initDoneAt.IsZero():
			res.InitDuration = initDoneAt.Sub(e.startedAt)
		case !budgetStart.IsZero():
			res.InitDuration = budgetStart.Sub(e.startedAt)
		default:
			res.InitDuration = now.Sub(e.startedAt)
		}
	}
	if a == nil {
		a = (&functionError{ErrorType: errorTypeUnknown}).answer()
	}
	res.Payload, res.FunctionError, res.ErrorType = a.payload, a.functionError, a.errorType

	var tail []string
	if handedAt.IsZero() {
		// Init never finished; AWS still opens the invocation's log with START.
		tail = append(tail, startLine(inv))
	}
	tail = append(tail, platformLines...)
	tail = append(tail, "END RequestId: "+inv.req.RequestID, reportLine(inv, res, memUsed))
	events := e.logs.detach(inv, tail)
	e.logs.send(events)
	res.Logs = joinLines(events)
	return res
}

// failBeforeStart is the Result of an invocation whose bootstrap could not be started at all.
func (e *environment) failBeforeStart(inv *invocation, msg string) Result {
	e.served = true
	fe := entrypointFailure(inv.req.RequestID, msg)
	return e.finish(inv, true, fe.answer(), []string{fe.ErrorMessage, fe.ErrorType})
}

const logTimeFormat = "2006-01-02T15:04:05.000Z"

func startLine(inv *invocation) string {
	return fmt.Sprintf("START RequestId: %s Version: %s", inv.req.RequestID, inv.fn.Version)
}

// reportLine is AWS's REPORT line, tab-separated with a tab after every field, e.g.
// "REPORT RequestId: <id>\tDuration: 38.66 ms\tBilled Duration: 39 ms\tMemory Size: 128 MB\tMax Memory Used: 54 MB\tInit Duration: 203.69 ms\t"
// (https://docs.aws.amazon.com/lambda/latest/dg/golang-logging.html, "Example log format").
// Billing is per millisecond, rounded up; for OS-only runtimes the Init phase is billed as well,
// which is why AWS's Billed Duration on their cold starts includes Init Duration.
func reportLine(inv *invocation, res Result, memUsedMB int) string {
	duration := millis(res.Duration)
	billed := int64(math.Ceil(duration + millis(res.InitDuration)))
	if billed < 1 {
		billed = 1
	}
	if memUsedMB < 1 {
		memUsedMB = 1
	}
	line := fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB\t",
		inv.req.RequestID, duration, billed, inv.fn.MemoryMB, memUsedMB)
	if res.Cold {
		line += fmt.Sprintf("Init Duration: %.2f ms\t", millis(res.InitDuration))
	}
	return line
}

func millis(d time.Duration) float64 {
	return float64(d) / float64(time.Millisecond)
}

func joinLines(events []LogEvent) []byte {
	var buf bytes.Buffer
	for _, ev := range events {
		buf.WriteString(ev.Message)
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}
