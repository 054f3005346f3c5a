package runtime

import (
	"bytes"
	"os"
	goruntime "runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
)

// maxLogLine bounds one log event; a longer line is cut into several, as CloudWatch Logs would
// refuse an event past 256 KB anyway.
const maxLogLine = 256 * 1024

// logCapture reads a process's stdout and stderr line by line and files each line under the
// invocation in progress, or, between invocations, sends it to the sink at once. Output written
// during Init goes to the first invocation, before its START line, where AWS's log stream has it.
type logCapture struct {
	clock clock.Clock
	sink  func([]LogEvent)

	mu      sync.Mutex
	target  *invocation
	partial [2][]byte

	read     [2]*os.File // read ends, ours
	write    [2]*os.File // write ends, the process's; closed in our process once it started
	inflight [2]atomic.Bool
	done     chan struct{} // closed when both readers reached EOF
	closed   sync.Once
}

func newLogCapture(c clock.Clock, sink func([]LogEvent)) *logCapture {
	return &logCapture{clock: c, sink: sink, done: make(chan struct{})}
}

// pipes makes the process's stdout and stderr.
func (l *logCapture) pipes() (stdout, stderr *os.File, err error) {
	for i := range l.read {
		r, w, err := os.Pipe()
		if err != nil {
			l.abandon()
			return nil, nil, err
		}
		l.read[i], l.write[i] = r, w
	}
	return l.write[0], l.write[1], nil
}

// started begins reading once the process holds its own copies of the write ends.
func (l *logCapture) started() {
	var wg sync.WaitGroup
	for i := range l.read {
		l.write[i].Close()
		l.write[i] = nil
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.readLines(i)
		}()
	}
	go func() {
		wg.Wait()
		close(l.done)
	}()
}

// abandon releases the pipes of a process that never started.
func (l *logCapture) abandon() {
	for i := range l.read {
		for _, f := range []*os.File{l.read[i], l.write[i]} {
			if f != nil {
				f.Close()
			}
		}
		l.read[i], l.write[i] = nil, nil
	}
}

// close waits for the readers to see EOF (the process group is dead by now) and releases the pipes.
// A descendant that left the process group could hold a pipe open forever, hence the bound.
func (l *logCapture) close() {
	l.closed.Do(func() {
		if l.read[0] == nil {
			return
		}
		select {
		case <-l.done:
		case <-time.After(2 * time.Second):
		}
		for i := range l.read {
			l.read[i].Close()
		}
		<-l.done
	})
}

func (l *logCapture) readLines(i int) {
	buf := make([]byte, 32*1024)
	for {
		n, err := l.read[i].Read(buf)
		if n > 0 {
			l.inflight[i].Store(true)
			l.consume(i, buf[:n])
			l.inflight[i].Store(false)
		}
		if err != nil {
			l.mu.Lock()
			idle := l.flushPartialLocked(i, nil)
			l.mu.Unlock()
			l.send(idle)
			return
		}
	}
}

func (l *logCapture) consume(i int, data []byte) {
	var idle []LogEvent
	l.mu.Lock()
	l.partial[i] = append(l.partial[i], data...)
	for {
		nl := bytes.IndexByte(l.partial[i], '\n')
		if nl < 0 {
			if len(l.partial[i]) >= maxLogLine {
				idle = l.emitLocked(l.partial[i][:maxLogLine], idle)
				l.partial[i] = append([]byte(nil), l.partial[i][maxLogLine:]...)
				continue
			}
			break
		}
		idle = l.emitLocked(bytes.TrimSuffix(l.partial[i][:nl], []byte("\r")), idle)
		l.partial[i] = l.partial[i][nl+1:]
	}
	if len(l.partial[i]) == 0 {
		l.partial[i] = nil
	}
	l.mu.Unlock()
	l.send(idle)
}

// emitLocked files one line; lines with no invocation to belong to are returned for the sink.
func (l *logCapture) emitLocked(line []byte, idle []LogEvent) []LogEvent {
	ev := LogEvent{Time: l.clock.Now(), Message: string(line)}
	if l.target != nil {
		l.target.lines = append(l.target.lines, ev)
		return idle
	}
	return append(idle, ev)
}

func (l *logCapture) flushPartialLocked(i int, idle []LogEvent) []LogEvent {
	if len(l.partial[i]) > 0 {
		idle = l.emitLocked(l.partial[i], idle)
		l.partial[i] = nil
	}
	return idle
}

func (l *logCapture) send(events []LogEvent) {
	if len(events) > 0 && l.sink != nil {
		l.sink(events)
	}
}

// attach makes inv the owner of the lines the process writes from now on.
func (l *logCapture) attach(inv *invocation) {
	l.mu.Lock()
	l.target = inv
	l.mu.Unlock()
}

// mark adds a platform line (START) to inv in order with the function's own output.
func (l *logCapture) mark(inv *invocation, msg string) {
	l.mu.Lock()
	inv.lines = append(inv.lines, LogEvent{Time: l.clock.Now(), Message: msg})
	l.mu.Unlock()
}

// detach ends inv's log: a line left unterminated is flushed, tail (END, REPORT) appended, and
// every line of the invocation returned.
func (l *logCapture) detach(inv *invocation, tail []string) []LogEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.target == inv {
		for i := range l.partial {
			l.flushPartialLocked(i, nil)
		}
		l.target = nil
	}
	now := l.clock.Now()
	for _, msg := range tail {
		inv.lines = append(inv.lines, LogEvent{Time: now, Message: msg})
	}
	events := inv.lines
	inv.lines = nil
	return events
}

// settle waits until what the process has written so far is filed, so the END line comes after
// the function's last output. The runtime writes its output before it posts its answer, so the
// bytes are in the pipe by now; this only waits for the readers to take them. It polls in wall-clock
// time: it waits on I/O, not on anything simulated.
func (l *logCapture) settle(exited <-chan struct{}) {
	if l.read[0] == nil {
		return
	}
	select {
	case <-exited:
		// The process is gone (and its group killed): the pipes reach EOF shortly.
		select {
		case <-l.done:
		case <-time.After(time.Second):
		}
		return
	default:
	}
	// Quiet twice in a row: a reader that has just taken bytes from the pipe but not yet filed them
	// shows an empty pipe and no read in flight for an instant. Yielding between the two looks lets
	// it run; sleeping would put a timer's granularity (a millisecond or more on a busy machine) on
	// every warm invoke.
	deadline := time.Now().Add(100 * time.Millisecond)
	quiet := 0
	for quiet < 2 && time.Now().Before(deadline) {
		if !l.quiet() {
			quiet = 0
			time.Sleep(50 * time.Microsecond)
			continue
		}
		quiet++
		for i := 0; i < 4; i++ {
			goruntime.Gosched()
		}
	}
}

func (l *logCapture) quiet() bool {
	for i := range l.read {
		if l.inflight[i].Load() || pendingBytes(l.read[i]) > 0 {
			return false
		}
	}
	return true
}
