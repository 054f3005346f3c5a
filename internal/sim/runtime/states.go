package runtime

import "fmt"

// envState is where an execution environment is in its lifecycle. The Runtime API handlers and the
// invocation run loop move it only through transition, so a runtime that calls the API out of order
// (a second /response, /init/error after init) is refused instead of corrupting an invocation.
type envState int

const (
	// stateStarting: the process is running its Init phase and has not called /next yet.
	stateStarting envState = iota
	// stateInitFailed: the runtime posted /runtime/init/error; it is about to be stopped.
	stateInitFailed
	// stateIdle: the runtime is parked in /next with no invocation.
	stateIdle
	// stateInvoking: /next handed an invocation to the runtime; no answer yet.
	stateInvoking
	// stateResponded: the runtime posted /response or /error; the invocation ends when it returns
	// to /next, as AWS bills and counts it until then.
	stateResponded
	// stateStopped: the process is being or has been stopped. Terminal.
	stateStopped
)

var stateNames = [...]string{
	stateStarting:   "Starting",
	stateInitFailed: "InitFailed",
	stateIdle:       "Idle",
	stateInvoking:   "Invoking",
	stateResponded:  "Responded",
	stateStopped:    "Stopped",
}

func (s envState) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("envState(%d)", int(s))
}

// allowedTransitions lists, for each state, the states it may move to. Every state may stop.
var allowedTransitions = map[envState][]envState{
	stateStarting:   {stateIdle, stateInitFailed, stateStopped},
	stateInitFailed: {stateStopped},
	stateIdle:       {stateInvoking, stateStopped},
	stateInvoking:   {stateResponded, stateStopped},
	stateResponded:  {stateIdle, stateStopped},
	stateStopped:    nil,
}

// errInvalidTransition is what the Runtime API answers with 403 InvalidStateTransition.
type errInvalidTransition struct {
	from, to envState
}

func (e *errInvalidTransition) Error() string {
	return fmt.Sprintf("State transition from %s to %s failed for runtime.", e.from, e.to)
}

func canTransition(from, to envState) bool {
	for _, s := range allowedTransitions[from] {
		if s == to {
			return true
		}
	}
	return false
}
