package runtime

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
)

// environment is one execution environment: a bootstrap process, the Runtime API server it talks to,
// its /tmp and its log stream. It serves one invocation at a time.
type environment struct {
	id        string // 32 hex digits, also the suffix of its log stream name
	key       poolKey
	fn        FunctionSpec
	clock     clock.Clock
	log       *slog.Logger
	codeDir   string
	tmpDir    string // WorkDir/env/<id>; TMPDIR is its tmp/ subdirectory
	logGroup  string
	logStream string
	startedAt time.Time

	cmd      *exec.Cmd
	pid      int
	listener net.Listener
	server   *http.Server
	logs     *logCapture

	invokes  chan *invocation // the invocation the runtime's next /next takes; capacity 1
	exited   chan struct{}    // closed once the process has been reaped
	stopping chan struct{}    // closed when the environment starts shutting down
	initErr  chan struct{}    // closed when the runtime posts /runtime/init/error
	stopOnce sync.Once
	startMu  sync.Mutex // held from registration until the process runs (or failed to start)

	mu           sync.Mutex
	state        envState
	current      *invocation // handed to the runtime and not yet finished
	initDoneAt   time.Time   // first /next; zero until then
	served       bool        // has run an invocation: later ones are warm
	exitStatus   string      // as Go prints it: "exit status 2", "signal: killed"
	initFailure  *functionAnswer
	abortReason  error
	peakMemoryMB int

	// Guarded by Manager.mu.
	retire   bool          // invalidated while busy: stop instead of pooling
	idleStop chan struct{} // non-nil while pooled; closed when the idle period ends
}

// entrypointError carries the Result of an invocation whose bootstrap could not be started, which
// AWS reports as a function error (Runtime.InvalidEntrypoint), not a service error.
type entrypointError struct {
	result Result
}

func (e *entrypointError) Error() string { return "invalid entrypoint" }

var (
	errStopping = errors.New("execution environment is shutting down")
	// errEnvironmentLost: a warm environment died before it took the invocation.
	errEnvironmentLost = errors.New("execution environment exited while idle")
)

// startEnvironment extracts the code if needed and starts a new environment whose first invocation is
// inv. The environment is registered in m.live so Close can always find its process.
func (m *Manager) startEnvironment(fn FunctionSpec, inv *invocation) (*environment, error) {
	work, err := m.workDir()
	if err != nil {
		return nil, err
	}
	codeDir, err := m.codeDir(work, fn)
	if err != nil {
		return nil, fmt.Errorf("preparing code of function %s: %w", fn.FunctionName, err)
	}
	now := m.cfg.Clock.Now()
	id := randomHex(16)
	e := &environment{
		id:        id,
		key:       poolKeyOf(fn),
		fn:        fn,
		clock:     m.cfg.Clock,
		log:       m.log.With("function", fn.FunctionName, "environment", id),
		codeDir:   codeDir,
		tmpDir:    filepath.Join(work, "env", id),
		logGroup:  "/aws/lambda/" + fn.FunctionName,
		logStream: logStreamName(now, fn.Version, id),
		startedAt: now,
		invokes:   make(chan *invocation, 1),
		exited:    make(chan struct{}),
		stopping:  make(chan struct{}),
		initErr:   make(chan struct{}),
		state:     stateStarting,
	}
	e.logs = newLogCapture(m.cfg.Clock, func(events []LogEvent) {
		if m.cfg.Logs != nil {
			m.cfg.Logs.FunctionLog(e.logGroup, e.logStream, events)
		}
	})
	e.logs.attach(inv)

	bootstrap := filepath.Join(codeDir, "bootstrap")
	if info, err := os.Stat(bootstrap); err != nil || info.IsDir() {
		// AWS's message lists the paths it looked at: /var/task/bootstrap and /opt/bootstrap.
		msg := fmt.Sprintf("Couldn't find valid bootstrap(s): [%s]", bootstrap)
		return nil, &entrypointError{e.failBeforeStart(inv, msg)}
	}
	// LAMBDA_RUNTIME_DIR is /var/runtime on AWS; an OS-only runtime finds nothing of use there, and
	// here it finds an empty directory.
	runtimeDir := filepath.Join(work, "runtime")
	if err := os.MkdirAll(runtimeDir, 0o755); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(e.tmpDir, "tmp"), 0o700); err != nil {
		return nil, err
	}
	e.listener, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		os.RemoveAll(e.tmpDir)
		return nil, fmt.Errorf("listening for the Runtime API: %w", err)
	}
	e.server = &http.Server{
		Handler:           newRouter(e),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(e.log.Handler(), slog.LevelDebug),
	}

	endpoint := ""
	if m.cfg.Endpoint != nil {
		endpoint = m.cfg.Endpoint()
	}
	e.cmd = &exec.Cmd{
		Path: bootstrap,
		Args: []string{bootstrap},
		Dir:  codeDir,
		Env: processEnv(processEnvInput{
			fn:         fn,
			region:     m.cfg.Region,
			runtimeAPI: e.listener.Addr().String(),
			taskRoot:   codeDir,
			runtimeDir: runtimeDir,
			tmpDir:     filepath.Join(e.tmpDir, "tmp"),
			logGroup:   e.logGroup,
			logStream:  e.logStream,
			endpoint:   endpoint,
		}),
		SysProcAttr: processAttr(),
	}
	stdout, stderr, err := e.logs.pipes()
	if err != nil {
		e.listener.Close()
		os.RemoveAll(e.tmpDir)
		return nil, err
	}
	e.cmd.Stdout, e.cmd.Stderr = stdout, stderr

	// Registering before Start means Close can never miss a process, and checking closed here means
	// no process starts after Close. startMu makes a stop that comes in between wait for the start
	// to finish, so it stops the process rather than racing it.
	e.startMu.Lock()
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		e.startMu.Unlock()
		e.logs.abandon()
		e.listener.Close()
		os.RemoveAll(e.tmpDir)
		return nil, ErrClosed
	}
	m.live[e] = struct{}{}
	m.wg.Add(1) // watchExit
	m.mu.Unlock()

	if err := e.cmd.Start(); err != nil {
		e.logs.abandon()
		e.listener.Close()
		os.RemoveAll(e.tmpDir)
		m.mu.Lock()
		delete(m.live, e)
		m.mu.Unlock()
		m.wg.Done()
		e.startMu.Unlock()
		if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.ENOEXEC) {
			// A bootstrap without its executable bit, or not a program for this machine.
			return nil, &entrypointError{e.failBeforeStart(inv, err.Error())}
		}
		return nil, fmt.Errorf("starting bootstrap of function %s: %w", fn.FunctionName, err)
	}
	e.pid = e.cmd.Process.Pid
	e.logs.started()
	go func() { _ = e.server.Serve(e.listener) }()
	go e.wait()
	go m.watchExit(e)
	e.startMu.Unlock()
	e.log.Debug("started execution environment", "pid", e.pid, "runtimeAPI", e.listener.Addr().String())
	if m.onStart != nil {
		m.onStart(e.id, e.pid)
	}
	return e, nil
}

// wait reaps the process and records how it ended.
func (e *environment) wait() {
	err := e.cmd.Wait()
	status := "exit status 0"
	if e.cmd.ProcessState != nil {
		status = e.cmd.ProcessState.String()
	} else if err != nil {
		status = err.Error()
	}
	e.mu.Lock()
	e.exitStatus = status
	e.mu.Unlock()
	close(e.exited)
}

func (e *environment) alive() bool {
	select {
	case <-e.exited:
		return false
	case <-e.stopping:
		return false
	default:
		return true
	}
}

// reusable reports whether the environment may serve another invocation.
func (e *environment) reusable() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.state == stateIdle && e.alive()
}

// transitionLocked moves the environment to state to, if the lifecycle allows it. e.mu must be held.
func (e *environment) transitionLocked(to envState) error {
	if !canTransition(e.state, to) {
		return &errInvalidTransition{from: e.state, to: to}
	}
	e.state = to
	return nil
}

// abort records why the environment is being stopped from outside, so a run loop in progress reports
// that reason instead of a function crash.
func (e *environment) abort(reason error) {
	e.mu.Lock()
	if e.abortReason == nil {
		e.abortReason = reason
	}
	e.mu.Unlock()
}

// kill ends the whole process group at once, as AWS does on a timeout or a crash, and waits until
// the process is reaped.
func (e *environment) kill() {
	e.sampleMemory()
	e.signal(syscall.SIGKILL)
	e.awaitExit()
}

// sampleMemory records the process's peak resident memory for the REPORT line's Max Memory Used,
// while the process still exists to be asked.
func (e *environment) sampleMemory() {
	if e.pid <= 0 || !e.alive() {
		return
	}
	if mb := peakMemoryMB(e.pid); mb > 0 {
		e.mu.Lock()
		if mb > e.peakMemoryMB {
			e.peakMemoryMB = mb
		}
		e.mu.Unlock()
	}
}

func (e *environment) signal(sig syscall.Signal) {
	if e.pid <= 0 {
		return
	}
	// The process runs in its own group (pgid == pid), so children it started go too.
	_ = syscall.Kill(-e.pid, sig)
}

func (e *environment) awaitExit() {
	select {
	case <-e.exited:
	case <-time.After(10 * time.Second):
		e.log.Warn("process did not exit after SIGKILL", "pid", e.pid)
	}
}

// stop shuts the environment down for good. graceful gives the process AWS's Shutdown phase: SIGTERM
// and up to 2 s before SIGKILL. It is idempotent and safe to call from several goroutines.
func (e *environment) stop(graceful bool) {
	e.stopOnce.Do(func() {
		// A start in progress completes first, so its process is stopped too.
		e.startMu.Lock()
		//lint:ignore SA2001 the empty critical section is the point: it waits for start to finish.
		e.startMu.Unlock()
		e.mu.Lock()
		_ = e.transitionLocked(stateStopped)
		e.mu.Unlock()
		close(e.stopping)
		if e.pid > 0 {
			if graceful {
				e.signal(syscall.SIGTERM)
				select {
				case <-e.exited:
				case <-time.After(shutdownGrace):
				}
			}
			// Always, even after a graceful exit: children that outlived the bootstrap are part of
			// the environment too.
			e.kill()
		}
		if e.server != nil {
			_ = e.server.Close()
		}
		e.logs.close()
		if err := os.RemoveAll(e.tmpDir); err != nil {
			e.log.Warn("removing environment directory", "error", err)
		}
		e.log.Debug("stopped execution environment")
	})
}

// The Runtime API, as the handlers see it.

// next parks the runtime until an invocation is available and hands it over. Every call to /next
// also ends something: the Init phase on the first call, the previous invocation on later ones.
func (e *environment) next(ctx context.Context) (*invocation, error) {
	e.mu.Lock()
	prev := e.state
	if err := e.transitionLocked(stateIdle); err != nil {
		e.mu.Unlock()
		if prev == stateStopped {
			return nil, errStopping
		}
		return nil, err
	}
	var finished *invocation
	switch prev {
	case stateStarting:
		e.initDoneAt = e.clock.Now()
	case stateResponded:
		finished, e.current = e.current, nil
	}
	e.mu.Unlock()
	if finished != nil {
		close(finished.released)
	}

	select {
	case inv := <-e.invokes:
		e.mu.Lock()
		defer e.mu.Unlock()
		if err := e.transitionLocked(stateInvoking); err != nil {
			return nil, errStopping
		}
		e.current = inv
		inv.handOut(e.clock.Now(), e.clock, e.logs)
		return inv, nil
	case <-ctx.Done():
		// Also how a parked runtime is let go at shutdown: its connection closes with the process
		// or the server. Answering 500 instead would make it log an error AWS never shows.
		return nil, ctx.Err()
	}
}

// errInvalidRequestID is answered with 400, as AWS's Runtime API does for an id that is not the
// invocation in progress.
var errInvalidRequestID = errors.New("Invalid request ID")

// checkRequest tells whether id is the invocation in progress, before a handler reads a large body.
func (e *environment) checkRequest(id string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.current == nil || e.current.req.RequestID != id {
		return errInvalidRequestID
	}
	if e.state != stateInvoking {
		return &errInvalidTransition{from: e.state, to: stateResponded}
	}
	return nil
}

// answer records the runtime's answer to invocation id.
func (e *environment) answer(id string, a *functionAnswer) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.current == nil || e.current.req.RequestID != id {
		return errInvalidRequestID
	}
	if err := e.transitionLocked(stateResponded); err != nil {
		return err
	}
	e.current.answer = a
	close(e.current.answered)
	return nil
}

// initError records the error a runtime posts when its Init phase fails; it becomes the answer of
// the invocation that started the environment.
func (e *environment) initError(a *functionAnswer) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.transitionLocked(stateInitFailed); err != nil {
		return err
	}
	e.initFailure = a
	close(e.initErr)
	return nil
}
