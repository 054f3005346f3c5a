package runtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
)

// ManagerConfig is what a Manager needs from the simulator around it.
type ManagerConfig struct {
	Clock clock.Clock
	// WorkDir holds extracted code (WorkDir/code/<hex sha256>/) and each environment's /tmp
	// (WorkDir/env/<id>/tmp). Empty: a temporary directory removed by Close.
	WorkDir string
	// IdleTimeout is how long, in simulated time, an idle environment is kept warm (default 10 minutes).
	IdleTimeout time.Duration
	// Endpoint is the simulator's own URL, given to functions as AWS_ENDPOINT_URL so their SDK calls
	// come back to the simulator. It is called when an environment starts.
	Endpoint          func() string
	Region, AccountID string
	Logger            *slog.Logger // nil: slog.Default()
	// Logs receives every function log line, START/END/REPORT included. Optional.
	Logs LogSink
}

// LogSink receives function logs, grouped as CloudWatch Logs groups them. It is called from several
// goroutines at once.
type LogSink interface {
	FunctionLog(group, stream string, events []LogEvent)
}

// LogEvent is one line of function output.
type LogEvent struct {
	Time    time.Time
	Message string
}

// FunctionSpec is the configuration of the function version being invoked.
type FunctionSpec struct {
	FunctionName string
	Version      string // "$LATEST" or a published number
	FunctionARN  string // unqualified: arn:aws:lambda:<region>:<acct>:function:<name>
	Runtime      string
	Handler      string
	MemoryMB     int
	Timeout      time.Duration
	Environment  map[string]string // the user's variables
	CodeSHA256   string            // base64(sha256(zip)) as AWS reports it; the extraction cache key
	Code         func() ([]byte, error)
	// RevisionID changes on every code or configuration update; warm environments of another
	// revision are never reused, as AWS never reuses them after an update.
	RevisionID string
}

// Request is one invocation.
type Request struct {
	RequestID          string
	InvokedFunctionARN string // as invoked, with its qualifier if any
	Payload            []byte
	ClientContext      string // decoded client context JSON; "" if none
	TraceID            string // "" generates an X-Ray trace header
}

// Result is the outcome of an invocation. A function error is a Result, not a Go error.
type Result struct {
	// Payload is the function's response, or the error document on a function error.
	Payload []byte
	// FunctionError is "" on success, else "Unhandled" (see the note on functionErrorUnhandled).
	FunctionError string
	// ErrorType is the errorType of a function error, e.g. "errorString", "Runtime.ExitError".
	ErrorType string
	// Logs are this invocation's log lines, START through REPORT, each ending in "\n".
	Logs          []byte
	EnvironmentID string
	Cold          bool
	Start         time.Time
	InitDuration  time.Duration
	Duration      time.Duration
}

var (
	// ErrUnsupportedRuntime: the simulator runs only the OS-only runtimes (provided, provided.al2,
	// provided.al2023), whose entry point is the zip's bootstrap.
	ErrUnsupportedRuntime = errors.New("runtime is not supported by the simulator")
	// ErrInvalidZip wraps every reason a deployment package is refused.
	ErrInvalidZip = errors.New("could not unzip uploaded file")
	// ErrClosed is returned by Invoke once Close has been called.
	ErrClosed = errors.New("runtime manager is closed")
)

const (
	defaultIdleTimeout = 10 * time.Minute
	defaultTimeout     = 3 * time.Second
	defaultMemoryMB    = 128
	// initLimit is AWS's cap on the Init phase (SEMANTICS A3).
	initLimit = 10 * time.Second
	// shutdownGrace is AWS's Shutdown phase: SIGTERM, then SIGKILL after 2 s (SEMANTICS A3). It is
	// wall-clock time on purpose: it bounds how long a real process may take to exit, and a manual
	// clock would otherwise hold Close forever.
	shutdownGrace = 2 * time.Second
)

// poolKey names the environments that may serve an invocation: same function, version and revision.
type poolKey struct {
	function, version, revision string
}

// Manager runs execution environments: it starts them, hands invocations to them through the Runtime
// API, keeps idle ones warm and stops them. All its state is in the Manager; there is no package state.
type Manager struct {
	cfg     ManagerConfig
	log     *slog.Logger
	tempDir string // removed on Close when WorkDir was not given

	codeMu sync.Mutex // serialises extraction so concurrent cold starts extract a package once

	mu     sync.Mutex
	closed bool
	idle   map[poolKey][]*environment // warm environments, most recently used last
	live   map[*environment]struct{}  // every environment not yet stopped
	wg     sync.WaitGroup             // run loops, idle reapers and exit watchers

	logs *asyncSink // the configured LogSink behind a queue; nil without one

	// onStart lets tests learn the process id of each environment they cause.
	onStart func(envID string, pid int)
}

// NewManager returns a Manager. It starts no process until the first Invoke.
func NewManager(cfg ManagerConfig) *Manager {
	m := &Manager{
		idle: map[poolKey][]*environment{},
		live: map[*environment]struct{}{},
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real()
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = defaultIdleTimeout
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Logs != nil {
		m.logs = newAsyncSink(cfg.Logs)
		cfg.Logs = m.logs
	}
	m.cfg = cfg
	m.log = cfg.Logger.With("component", "runtime")
	return m
}

func (m *Manager) workDir() (string, error) {
	if m.cfg.WorkDir != "" {
		return m.cfg.WorkDir, nil
	}
	m.codeMu.Lock()
	defer m.codeMu.Unlock()
	if m.tempDir == "" {
		dir, err := os.MkdirTemp("", "lambdatrigger-runtime-")
		if err != nil {
			return "", err
		}
		m.tempDir = dir
	}
	return m.tempDir, nil
}

// Invoke runs one invocation on a warm environment of the same function, version and revision, or
// on a new one. It returns when the environment is free again (the runtime is back at /next) or has
// been discarded, because AWS counts an environment busy until then: a caller that counts in-flight
// invokes to enforce concurrency then counts environments, as AWS does.
//
// The error is for failures of the simulator itself (code that cannot be loaded, a process that cannot
// be started, ctx ending, Close); everything the function does is in the Result.
func (m *Manager) Invoke(ctx context.Context, fn FunctionSpec, req Request) (Result, error) {
	fn = withDefaults(fn)
	if !supportedRuntime(fn.Runtime) {
		return Result{}, fmt.Errorf("%w: %q", ErrUnsupportedRuntime, fn.Runtime)
	}
	if req.TraceID == "" {
		req.TraceID = newTraceID(m.cfg.Clock.Now())
	}
	// A warm environment can die while idle; AWS would just use another one, so one retry on a
	// fresh environment hides that from the caller.
	for attempt := 0; ; attempt++ {
		res, err := m.invokeOnce(ctx, fn, req)
		if errors.Is(err, errEnvironmentLost) && attempt == 0 {
			continue
		}
		return res, err
	}
}

func (m *Manager) invokeOnce(ctx context.Context, fn FunctionSpec, req Request) (Result, error) {
	inv := newInvocation(fn, req, m.cfg.Clock.Now())
	env, err := m.acquire(poolKeyOf(fn))
	if err != nil {
		return Result{}, err
	}
	if env == nil {
		env, err = m.startEnvironment(fn, inv)
		if err != nil {
			m.wg.Done() // the run loop acquire counted will not run
			var entry *entrypointError
			if errors.As(err, &entry) {
				return entry.result, nil
			}
			return Result{}, err
		}
	} else {
		env.logs.attach(inv)
	}
	env.invokes <- inv

	done := make(chan runOutcome, 1)
	go func() {
		defer m.wg.Done() // added by acquire or startEnvironment
		res, err := env.run(inv)
		m.release(env)
		done <- runOutcome{res, err}
	}()
	select {
	case out := <-done:
		return out.res, out.err
	case <-ctx.Done():
		// The function keeps running, as it does on AWS when a caller hangs up; the run loop
		// releases the environment when it finishes.
		return Result{}, ctx.Err()
	}
}

type runOutcome struct {
	res Result
	err error
}

// acquire takes the most recently used idle environment for key, or returns nil when a new one must
// be started. Either way it counts the invocation's run loop in m.wg.
func (m *Manager) acquire(key poolKey) (*environment, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, ErrClosed
	}
	m.wg.Add(1)
	list := m.idle[key]
	for len(list) > 0 {
		env := list[len(list)-1]
		list = list[:len(list)-1]
		close(env.idleStop)
		env.idleStop = nil
		if env.alive() {
			m.idle[key] = list
			return env, nil
		}
		// Exited while idle and not yet noticed by its exit watcher, which leaves it to us now.
		delete(m.live, env)
		m.wg.Add(1)
		go func() {
			defer m.wg.Done()
			env.stop(false)
		}()
	}
	delete(m.idle, key)
	return nil, nil
}

// release puts an environment back in the pool after an invocation, or stops it when it cannot serve
// another one (it failed, it was invalidated while busy, or the manager is closing).
func (m *Manager) release(env *environment) {
	m.mu.Lock()
	if !m.closed && !env.retire && env.reusable() {
		stop := make(chan struct{})
		env.idleStop = stop
		m.idle[env.key] = append(m.idle[env.key], env)
		// The idle timer is created here, before Invoke returns, so that a test advancing a manual
		// clock right after Invoke always finds it.
		timer := m.cfg.Clock.NewTimer(m.cfg.IdleTimeout)
		m.wg.Add(1)
		m.mu.Unlock()
		go m.reapWhenIdle(env, stop, timer)
		return
	}
	delete(m.live, env)
	m.mu.Unlock()
	env.stop(env.retire)
}

// reapWhenIdle is the idle reaper of one idle period of one environment: it stops the environment
// when it stays idle for IdleTimeout, and exits when the environment is taken or the manager closes.
func (m *Manager) reapWhenIdle(env *environment, stop chan struct{}, timer clock.Timer) {
	defer m.wg.Done()
	select {
	case <-stop:
		timer.Stop()
		return
	case <-timer.C():
	}
	m.mu.Lock()
	if env.idleStop != stop {
		m.mu.Unlock()
		return
	}
	m.removeIdleLocked(env)
	delete(m.live, env)
	m.mu.Unlock()
	m.log.Debug("stopping idle environment", "function", env.fn.FunctionName, "environment", env.id)
	env.stop(true)
}

// removeIdleLocked takes env out of the pool and ends its idle period.
func (m *Manager) removeIdleLocked(env *environment) {
	list := m.idle[env.key]
	for i, other := range list {
		if other == env {
			list = append(list[:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(m.idle, env.key)
	} else {
		m.idle[env.key] = list
	}
	if env.idleStop != nil {
		close(env.idleStop)
		env.idleStop = nil
	}
}

// watchExit removes an environment whose process exits while it is idle, so it is never handed an
// invocation. A busy environment's exit is its run loop's business.
func (m *Manager) watchExit(env *environment) {
	defer m.wg.Done()
	select {
	case <-env.exited:
	case <-env.stopping:
		return
	}
	m.mu.Lock()
	if env.idleStop == nil {
		m.mu.Unlock()
		return
	}
	m.removeIdleLocked(env)
	delete(m.live, env)
	m.mu.Unlock()
	m.log.Debug("idle environment exited", "function", env.fn.FunctionName, "environment", env.id)
	env.stop(false)
}

// Invalidate stops the idle environments of a function now; busy ones stop when their invocation
// ends. The lambda service calls it on every code or configuration change and on deletion.
func (m *Manager) Invalidate(functionName string) {
	var stop []*environment
	m.mu.Lock()
	for env := range m.live {
		if env.fn.FunctionName != functionName {
			continue
		}
		env.retire = true
		if env.idleStop != nil {
			m.removeIdleLocked(env)
			delete(m.live, env)
			stop = append(stop, env)
		}
	}
	m.mu.Unlock()
	stopAll(stop)
}

// Close stops every environment (SIGTERM, up to 2 s, then SIGKILL) and waits for every goroutine the
// manager started. Invocations in flight end with ErrClosed.
func (m *Manager) Close() error {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil
	}
	m.closed = true
	var all []*environment
	for env := range m.live {
		if env.idleStop != nil {
			close(env.idleStop)
			env.idleStop = nil
		}
		all = append(all, env)
	}
	m.idle = map[poolKey][]*environment{}
	m.live = map[*environment]struct{}{}
	m.mu.Unlock()

	for _, env := range all {
		env.abort(ErrClosed)
	}

	stopAll(all)
	m.wg.Wait()
	if m.logs != nil {
		m.logs.close()
	}
	if m.tempDir != "" {
		return os.RemoveAll(m.tempDir)
	}
	return nil
}

func stopAll(envs []*environment) {
	var wg sync.WaitGroup
	for _, env := range envs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			env.stop(true)
		}()
	}
	wg.Wait()
}

func poolKeyOf(fn FunctionSpec) poolKey {
	return poolKey{function: fn.FunctionName, version: fn.Version, revision: fn.RevisionID}
}

func withDefaults(fn FunctionSpec) FunctionSpec {
	if fn.Version == "" {
		fn.Version = "$LATEST"
	}
	if fn.Timeout <= 0 {
		fn.Timeout = defaultTimeout
	}
	if fn.MemoryMB <= 0 {
		fn.MemoryMB = defaultMemoryMB
	}
	return fn
}

// supportedRuntime reports whether the simulator can run the runtime: the OS-only runtimes, whose
// entry point is the package's own bootstrap.
func supportedRuntime(name string) bool {
	switch name {
	case "provided", "provided.al2", "provided.al2023":
		return true
	}
	return false
}
