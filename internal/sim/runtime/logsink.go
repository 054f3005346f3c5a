package runtime

// asyncSink hands function logs to the configured LogSink from one goroutine, in order. The sink
// (CloudWatch Logs) commits to the store, and a commit with fsync costs milliseconds: done inline it
// would sit on every invocation's path, for lines nobody waits for. The queue is bounded, so a sink
// that falls behind slows invocations down rather than dropping lines.
type asyncSink struct {
	sink LogSink
	ch   chan logBatch
	done chan struct{}
}

type logBatch struct {
	group, stream string
	events        []LogEvent
}

// logQueueBatches bounds the queue: about one batch per invocation.
const logQueueBatches = 4096

func newAsyncSink(sink LogSink) *asyncSink {
	a := &asyncSink{sink: sink, ch: make(chan logBatch, logQueueBatches), done: make(chan struct{})}
	go func() {
		defer close(a.done)
		for b := range a.ch {
			a.sink.FunctionLog(b.group, b.stream, b.events)
		}
	}()
	return a
}

func (a *asyncSink) FunctionLog(group, stream string, events []LogEvent) {
	a.ch <- logBatch{group, stream, events}
}

// close delivers what is queued and stops; no FunctionLog may follow.
func (a *asyncSink) close() {
	close(a.ch)
	<-a.done
}
