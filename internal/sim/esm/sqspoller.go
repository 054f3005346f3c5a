package esm

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/pattern"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/sqs"
)

// The SQS poller follows https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html (SEMANTICS.md
// C2): long-poll receives build a batch until it is full, the batching window ends or the payload
// would pass the 6 MB synchronous limit; the function is invoked synchronously; a success deletes
// the batch, a failure leaves it to the queue's visibility timeout (and so to its redrive policy);
// ReportBatchItemFailures deletes all but the messages the function lists. FIFO order comes from
// the queue itself: a message group with a message in flight delivers nothing more until that
// message is deleted or visible again, so one batch per group is in flight and a failure blocks
// its group until its visibility timeout.

const (
	// longPoll is the wait of a receive that starts a batch (the SQS maximum, as Lambda uses).
	longPoll = 20 * time.Second
	// defaultPollers is how many batches an SQS mapping processes at once without a
	// ScalingConfig (AWS starts with five pollers, services-sqs-scaling.html).
	defaultPollers = 5
	// maxReceive is the most messages one receive returns.
	maxReceive = 10
	// problemPause is how long a poller waits after its source or function failed to answer.
	problemPause = time.Second
)

type sqsPoller struct {
	s       *Service
	id      string
	queue   string
	fn      string
	batch   int
	window  time.Duration
	partial bool
	filters []*pattern.Pattern
	workers int
	region  string
}

func newSQSPoller(s *Service, r *record) *sqsPoller {
	c := &r.Config
	p := &sqsPoller{s: s, id: c.UUID, queue: c.EventSourceArn, fn: r.FunctionName, batch: int(*c.BatchSize),
		workers: defaultPollers, region: regionOf(c.EventSourceArn)}
	if c.MaximumBatchingWindowInSeconds != nil {
		p.window = time.Duration(*c.MaximumBatchingWindowInSeconds) * time.Second
	}
	for _, t := range c.FunctionResponseTypes {
		p.partial = p.partial || t == "ReportBatchItemFailures"
	}
	if c.ScalingConfig != nil && c.ScalingConfig.MaximumConcurrency != nil {
		p.workers = int(*c.ScalingConfig.MaximumConcurrency)
	}
	p.filters = compileFilters(c.FilterCriteria)
	return p
}

// run processes batches until ctx ends. It starts with one poller and adds one each time a
// poller fills a whole batch (a backlog), up to p.workers: AWS scales its pollers with the
// backlog too, and one poller keeps batches whole and ordered at low traffic.
func (p *sqsPoller) run(ctx context.Context) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	running := 0
	var spawn func()
	spawn = func() {
		mu.Lock()
		defer mu.Unlock()
		if running >= p.workers || ctx.Err() != nil {
			return
		}
		running++
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.work(ctx, spawn)
		}()
	}
	spawn()
	<-ctx.Done()
	wg.Wait()
}

func (p *sqsPoller) work(ctx context.Context, scale func()) {
	var carry []sqs.Message
	for ctx.Err() == nil {
		batch, next, err := p.collect(ctx, carry)
		carry = next
		if len(batch) >= p.batch {
			scale()
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			p.s.cfg.Logger.Warn("SQS poller cannot receive", "uuid", p.id, "queue", p.queue, "error", err)
			if errors.Is(err, sqs.ErrQueueDoesNotExist) {
				p.s.setResult(p.id, "PROBLEM: The specified queue does not exist.")
			}
			if p.s.cfg.Clock.Sleep(ctx, problemPause) != nil {
				return
			}
			continue
		}
		batch = p.filter(batch)
		if len(batch) > 0 {
			p.process(ctx, batch)
		}
	}
}

// collect receives one batch: up to p.batch messages, within the batching window, and under the
// synchronous payload limit (a message that would pass it waits for the next batch, in next).
func (p *sqsPoller) collect(ctx context.Context, carry []sqs.Message) (batch, next []sqs.Message, err error) {
	batch = carry
	size := 0
	for _, m := range batch {
		size += recordSize(&m)
	}
	if len(batch) == 0 {
		msgs, err := p.s.cfg.SQS.ReceiveInternal(ctx, p.queue, min(p.batch, maxReceive), longPoll)
		if err != nil || len(msgs) == 0 {
			return nil, nil, err
		}
		p.stretch(msgs)
		batch, next, size = p.add(nil, msgs, 0)
		if len(next) > 0 {
			return batch, next, nil
		}
	}
	if p.window <= 0 {
		return batch, nil, nil
	}
	deadline := p.s.cfg.Clock.Now().Add(p.window)
	for len(batch) < p.batch {
		wait := deadline.Sub(p.s.cfg.Clock.Now())
		if wait <= 0 {
			break
		}
		msgs, err := p.s.cfg.SQS.ReceiveInternal(ctx, p.queue, min(p.batch-len(batch), maxReceive), wait)
		if err != nil {
			if ctx.Err() != nil {
				// The batch goes back to the queue by its visibility timeout.
				return nil, nil, err
			}
			return batch, nil, nil
		}
		p.stretch(msgs)
		batch, next, size = p.add(batch, msgs, size)
		if len(next) > 0 {
			return batch, next, nil
		}
	}
	return batch, nil, nil
}

// stretch applies AWS's rule for a batching window: when the window plus the function's timeout
// exceed the queue's visibility timeout, the received messages stay invisible for window +
// timeout + 30 s, so a message waiting in a batch is not received again meanwhile (SEMANTICS.md
// C2; with-sqs.html).
func (p *sqsPoller) stretch(msgs []sqs.Message) {
	if p.window <= 0 || len(msgs) == 0 {
		return
	}
	q, err := p.s.cfg.SQS.LookupQueue(p.queue)
	if err != nil {
		return
	}
	fn, e := p.s.cfg.Functions.ResolveFunction(p.fn, "")
	if e != nil {
		return
	}
	if p.window+fn.Spec.Timeout <= q.VisibilityTimeout {
		return
	}
	d := p.window + fn.Spec.Timeout + 30*time.Second
	for _, m := range msgs {
		if err := p.s.cfg.SQS.ChangeVisibilityInternal(p.queue, m.ReceiptHandle, d); err != nil {
			p.s.cfg.Logger.Warn("stretching a message's visibility for the batching window", "uuid", p.id, "error", err)
		}
	}
}

// add appends messages while the event stays under the synchronous limit; the rest is returned.
func (p *sqsPoller) add(batch, msgs []sqs.Message, size int) ([]sqs.Message, []sqs.Message, int) {
	for i := range msgs {
		n := recordSize(&msgs[i])
		if len(batch) > 0 && size+n > maxEventBytes {
			return batch, msgs[i:], size
		}
		batch = append(batch, msgs[i])
		size += n
	}
	return batch, nil, size
}

// filter deletes the messages no filter matches (AWS deletes them, invocation-eventfiltering.html).
func (p *sqsPoller) filter(batch []sqs.Message) []sqs.Message {
	if len(p.filters) == 0 {
		return batch
	}
	kept := batch[:0]
	var dropped []string
	for _, m := range batch {
		if matchAny(p.filters, sqsFilterView(&m)) {
			kept = append(kept, m)
			continue
		}
		dropped = append(dropped, m.ReceiptHandle)
	}
	p.deleteAll(dropped)
	return kept
}

// process invokes the function with one batch and acknowledges what succeeded.
func (p *sqsPoller) process(ctx context.Context, batch []sqs.Message) {
	records := make([]sqsRecord, len(batch))
	for i := range batch {
		records[i] = newSQSRecord(&batch[i], p.queue, p.region)
	}
	payload, err := json.Marshal(map[string]any{"Records": records})
	if err != nil {
		p.s.cfg.Logger.Error("encoding an SQS event", "error", err)
		return
	}
	fn, e := p.s.cfg.Functions.ResolveFunction(p.fn, "")
	if e != nil {
		p.s.setResult(p.id, ResultProblem)
		p.s.cfg.Logger.Warn("SQS poller cannot resolve its function", "uuid", p.id, "function", p.fn, "error", e.Message)
		p.s.cfg.Clock.Sleep(ctx, problemPause)
		return
	}
	res, err := p.s.cfg.Invoker.Invoke(ctx, fn, invoke.Request{RequestID: uuid.NewString(), Payload: payload,
		InvocationType: invoke.TypeRequestResponse, Trigger: "sqs:" + p.queue, Attempt: receiveCount(&batch[0])})
	if err != nil {
		// Throttled or not invocable: the batch returns to the queue by its visibility timeout.
		p.s.setResult(p.id, ResultProblem)
		return
	}
	p.s.setResult(p.id, ResultOK)
	if res.FunctionError != "" {
		return // the whole batch is retried after its visibility timeout
	}
	failed := map[string]bool{}
	if p.partial {
		ids := make(map[string]bool, len(batch))
		for _, m := range batch {
			ids[m.MessageID] = true
		}
		var whole bool
		failed, whole = parseBatchResponse(res.Payload, ids)
		if whole {
			return
		}
	}
	var done []string
	for _, m := range batch {
		if !failed[m.MessageID] {
			done = append(done, m.ReceiptHandle)
		}
	}
	p.deleteAll(done)
}

// deleteAll deletes messages concurrently: the queue groups concurrent deletes into one commit.
func (p *sqsPoller) deleteAll(handles []string) {
	var wg sync.WaitGroup
	for _, h := range handles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := p.s.cfg.SQS.DeleteInternal(p.queue, h); err != nil {
				p.s.cfg.Logger.Warn("deleting a message", "uuid", p.id, "error", err)
			}
		}()
	}
	wg.Wait()
}

func receiveCount(m *sqs.Message) int {
	n := 0
	for _, c := range m.Attributes["ApproximateReceiveCount"] {
		if c < '0' || c > '9' {
			return 1
		}
		n = n*10 + int(c-'0')
	}
	return max(n, 1)
}
