package sqs

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Receiving: pick messages under the queue lock and mark them in flight (a new receipt token, a
// visibility deadline) so concurrent receivers skip them, commit their receive state to the store,
// then answer. A message whose receive count already reached the redrive policy's maxReceiveCount
// is moved to the dead-letter queue instead of being delivered: AWS moves it "when the ReceiveCount
// for a message exceeds the maxReceiveCount", which happens at the receive that would exceed it.

// receiveParams are a receive's options, resolved.
type receiveParams struct {
	max        int
	visibility int64 // seconds; -1 means the queue's VisibilityTimeout
	wait       time.Duration
	attemptID  string
	sysNames   []string // system attributes to answer ("All" for all)
	attrNames  []string // message attributes to answer ("All", ".*", "prefix.*" or names)
}

// delivery is one message handed out by a receive.
type delivery struct {
	e      *entry
	old    msgState
	st     msgState
	meta   *msgMeta
	handle string
	body   string
	gone   bool // deleted while this receive committed
}

// move is one message on its way to the dead-letter queue.
type move struct {
	src   *entry
	rc    int
	first int64
	dst   *entry
	gone  bool
}

// receive long-polls q: it answers as soon as a scan finds messages, or when wait has passed on
// the clock, or when the caller goes away. Sends, deletes and visibility changes wake it early;
// otherwise it sleeps until the next message becomes visible.
func (s *Service) receive(ctx context.Context, q *queue, p receiveParams) ([]Message, *awswire.Error) {
	deadline := s.clock.Now().Add(p.wait)
	for {
		msgs, wake, next, e := s.receiveOnce(q, p)
		if e != nil || len(msgs) > 0 || p.wait <= 0 {
			return msgs, e
		}
		now := s.clock.Now()
		d := deadline.Sub(now)
		if d <= 0 {
			return nil, nil
		}
		if next > 0 {
			if until := time.UnixMilli(next).Sub(now); until < d {
				d = max(until, time.Millisecond)
			}
		}
		t := s.clock.NewTimer(d)
		select {
		case <-wake:
		case <-t.C():
		case <-ctx.Done():
			t.Stop()
			return nil, nil
		case <-s.closing:
			t.Stop()
			return nil, nil
		}
		t.Stop()
	}
}

// receiveOnce scans q once. It answers the messages received, the channel that a later change
// closes, and the epoch ms at which the next invisible message becomes visible (0 for none).
func (s *Service) receiveOnce(q *queue, p receiveParams) ([]Message, <-chan struct{}, int64, *awswire.Error) {
	q.mu.Lock()
	var redrive *redrivePolicy
	if q.cfg.redrive != nil {
		rp := *q.cfg.redrive
		redrive = &rp
	}
	q.mu.Unlock()
	var dlq *queue
	if redrive != nil {
		dlq = s.queueByARN(redrive.DeadLetterTargetARN)
	}
	maxRC := 0
	if dlq != nil && dlq != q {
		maxRC = redrive.MaxReceiveCount
	}

	q.commitMu.RLock()
	defer q.commitMu.RUnlock()
	now := s.nowMS()

	q.mu.Lock()
	if q.deleted {
		q.mu.Unlock()
		return nil, nil, 0, errQueueDoesNotExist()
	}
	wake := q.wake
	vt := q.cfg.visibility
	if p.visibility >= 0 {
		vt = p.visibility
	}
	deliveries := q.retryAttempt(p.attemptID, now, vt)
	var moving, expired []*entry
	next := int64(0)
	if deliveries == nil {
		var picks []*entry
		if q.fifo {
			picks, moving, expired, next = q.scanFIFO(now, p.max, maxRC)
		} else {
			picks, moving, expired, next = q.scanStandard(now, p.max, maxRC)
		}
		for _, e := range picks {
			d := &delivery{e: e, old: stateOf(e), meta: e.meta}
			e.rc++
			e.tok = newToken()
			e.vis = now + vt*1000
			if e.first == 0 {
				e.first = now
			}
			e.since = now
			d.st = stateOf(e)
			d.handle = encodeHandle(receipt{queueID: q.id, seq: e.seq, tok: e.tok})
			deliveries = append(deliveries, d)
		}
	}
	moves := make([]*move, 0, len(moving))
	for _, e := range moving {
		e.busy = true
		moves = append(moves, &move{src: e, rc: e.rc, first: e.first})
	}
	for _, e := range expired {
		e.busy = true
	}
	q.mu.Unlock()

	if len(deliveries) == 0 && len(moves) == 0 && len(expired) == 0 {
		return nil, wake, next, nil
	}

	// Reserve places in the dead-letter queue. If it is being purged or deleted right now, the
	// messages stay and move at a later receive.
	dlqLocked := false
	reserved := false
	if len(moves) > 0 && dlq.commitMu.TryRLock() {
		dlqLocked = true
		defer dlq.commitMu.RUnlock()
		dlq.mu.Lock()
		if !dlq.deleted {
			reserved = true
			for _, m := range moves {
				dlq.nextSeq++
				meta := *m.src.meta
				meta.DLQSource = q.arn
				meta.Avail = now
				if dlq.fifo {
					meta.Enq = now // a FIFO DLQ resets the enqueue time; a standard one keeps it
					meta.SeqNumber = fifoSequenceNumber(dlq.nextSeq)
				}
				// ApproximateReceiveCount counts receives "across all queues" (API_ReceiveMessage),
				// so the count travels with the message.
				m.dst = &entry{seq: dlq.nextSeq, meta: &meta, rc: m.rc, vis: now, first: m.first, pending: true}
				dlq.insert(m.dst)
			}
		}
		dlq.mu.Unlock()
	}
	if len(moves) > 0 && !reserved {
		q.mu.Lock()
		for _, m := range moves {
			m.src.busy = false
		}
		q.mu.Unlock()
		moves = nil
		if len(deliveries) == 0 && len(expired) == 0 {
			return nil, wake, next, nil
		}
	}

	err := s.commits.Commit(func(tx *store.Tx) error {
		for _, d := range deliveries {
			d.gone, d.body = false, ""
			k := seqKey(d.e.seq)
			body, err := tx.GetRaw(bodyBucket(q.id), k)
			if errors.Is(err, store.ErrNotFound) {
				d.gone = true
				continue
			} else if err != nil {
				return err
			}
			d.body = string(body)
			if err := tx.Put(stateBucket(q.id), k, d.st); err != nil {
				return err
			}
		}
		maxSeq := uint64(0)
		for _, m := range moves {
			m.gone = false
			k := seqKey(m.src.seq)
			body, err := tx.GetRaw(bodyBucket(q.id), k)
			if errors.Is(err, store.ErrNotFound) {
				m.gone = true
				continue
			} else if err != nil {
				return err
			}
			dk := seqKey(m.dst.seq)
			if err := tx.Put(metaBucket(dlq.id), dk, m.dst.meta); err != nil {
				return err
			}
			if err := tx.PutRaw(bodyBucket(dlq.id), dk, body); err != nil {
				return err
			}
			if err := tx.Put(stateBucket(dlq.id), dk, stateOf(m.dst)); err != nil {
				return err
			}
			if err := deleteMessage(tx, q.id, m.src.seq); err != nil {
				return err
			}
			maxSeq = max(maxSeq, m.dst.seq)
		}
		if maxSeq > 0 {
			if err := putHWM(tx, dlq.id, maxSeq); err != nil {
				return err
			}
		}
		for _, e := range expired {
			if err := deleteMessage(tx, q.id, e.seq); err != nil {
				return err
			}
		}
		return nil
	})

	q.mu.Lock()
	if err != nil {
		for _, d := range deliveries {
			if d.e.tok == d.st.Tok {
				d.e.rc, d.e.vis, d.e.tok, d.e.first, d.e.since = d.old.RC, d.old.Vis, d.old.Tok, d.old.First, d.old.Since
			}
		}
		for _, m := range moves {
			m.src.busy = false
		}
		for _, e := range expired {
			e.busy = false
		}
		q.notify()
	} else {
		for _, m := range moves {
			q.remove(m.src)
		}
		for _, e := range expired {
			q.remove(e)
		}
		if q.fifo && (len(moves) > 0 || len(expired) > 0) {
			q.notify()
		}
		q.recordAttempt(p.attemptID, now, deliveries)
	}
	q.mu.Unlock()
	if dlqLocked {
		dlq.mu.Lock()
		for _, m := range moves {
			if err != nil || m.gone {
				dlq.remove(m.dst)
			} else {
				m.dst.pending = false
			}
		}
		dlq.notify()
		dlq.mu.Unlock()
	}
	if err != nil {
		s.log.Error("storing receive state", "queue", q.name, "error", err)
		return nil, nil, 0, awswire.InternalError(err)
	}
	if n := len(moves); n > 0 {
		s.log.Debug("messages moved to dead-letter queue", "queue", q.name, "dlq", dlq.name, "count", n)
	}

	msgs := make([]Message, 0, len(deliveries))
	for _, d := range deliveries {
		if !d.gone {
			msgs = append(msgs, render(q, d, p))
		}
	}
	return msgs, wake, next, nil
}

// maxExpiredPerScan bounds how many expired messages one receive deletes.
const maxExpiredPerScan = 1000

// scanStandard picks up to limit visible messages in send order.
func (q *queue) scanStandard(now int64, limit, maxRC int) (picks, moving, expired []*entry, next int64) {
	for e := q.head; e != nil; e = e.next {
		if e.pending || e.busy {
			continue
		}
		if q.expired(e, now) {
			if len(expired) < maxExpiredPerScan {
				expired = append(expired, e)
			}
			continue
		}
		if at := q.visibleAt(e); at > now {
			if next == 0 || at < next {
				next = at
			}
			continue
		}
		if maxRC > 0 && e.rc >= maxRC {
			moving = append(moving, e)
			continue
		}
		picks = append(picks, e)
		if len(picks) == limit {
			break
		}
	}
	return picks, moving, expired, next
}

// scanFIFO picks messages group by group, oldest group first, as many of one group as possible
// (FIFO-queues-understanding-logic). A group with a message in flight is skipped whole; within a
// group a message that cannot be delivered yet (delayed, committing) holds back the ones after it,
// so order is kept.
func (q *queue) scanFIFO(now int64, limit, maxRC int) (picks, moving, expired []*entry, next int64) {
	locked := map[string]bool{}
	for e := q.head; e != nil; e = e.next {
		if e.busy || q.inFlight(e, now) {
			locked[e.meta.Group] = true
			if !e.busy && (next == 0 || e.vis < next) {
				next = e.vis
			}
		}
	}
	blocked := map[string]bool{}
	var order []string
	byGroup := map[string][]*entry{}
	for e := q.head; e != nil; e = e.next {
		g := e.meta.Group
		if locked[g] || blocked[g] {
			continue
		}
		if e.pending {
			blocked[g] = true
			continue
		}
		if q.expired(e, now) {
			if len(expired) < maxExpiredPerScan {
				expired = append(expired, e)
			}
			continue
		}
		if at := q.visibleAt(e); at > now {
			blocked[g] = true
			if next == 0 || at < next {
				next = at
			}
			continue
		}
		if maxRC > 0 && e.rc >= maxRC {
			// Leaving for the DLQ: the group's next message is its head now.
			moving = append(moving, e)
			continue
		}
		if byGroup[g] == nil {
			order = append(order, g)
		}
		byGroup[g] = append(byGroup[g], e)
	}
	for _, g := range order {
		for _, e := range byGroup[g] {
			if len(picks) == limit {
				return picks, moving, expired, next
			}
			picks = append(picks, e)
		}
	}
	return picks, moving, expired, next
}

// retryAttempt answers a FIFO receive retried with the same ReceiveRequestAttemptId within five
// minutes: the same messages and receipt handles, their visibility timeout reset, provided none of
// them was deleted or had its visibility changed since (API_ReceiveMessage).
func (q *queue) retryAttempt(id string, now, vt int64) []*delivery {
	if !q.fifo || id == "" {
		return nil
	}
	a := q.attempts[id]
	if a == nil {
		return nil
	}
	if now >= a.at+dedupWindow.Milliseconds() || len(a.seqs) == 0 {
		delete(q.attempts, id)
		return nil
	}
	for i, seq := range a.seqs {
		e := q.bySeq[seq]
		if e == nil || e.busy || e.tok != a.toks[i] || !q.inFlight(e, now) {
			delete(q.attempts, id)
			return nil
		}
	}
	out := make([]*delivery, 0, len(a.seqs))
	for i, seq := range a.seqs {
		e := q.bySeq[seq]
		d := &delivery{e: e, old: stateOf(e), meta: e.meta, handle: a.handles[i]}
		e.vis = now + vt*1000
		d.st = stateOf(e)
		out = append(out, d)
	}
	return out
}

func (q *queue) recordAttempt(id string, now int64, deliveries []*delivery) {
	if !q.fifo || id == "" || len(deliveries) == 0 {
		return
	}
	for k, a := range q.attempts {
		if now >= a.at+dedupWindow.Milliseconds() {
			delete(q.attempts, k)
		}
	}
	if _, retried := q.attempts[id]; retried {
		return
	}
	a := &receiveAttempt{at: now}
	for _, d := range deliveries {
		if d.gone {
			continue
		}
		a.seqs = append(a.seqs, d.e.seq)
		a.toks = append(a.toks, d.st.Tok)
		a.handles = append(a.handles, d.handle)
	}
	q.attempts[id] = a
}

// render builds the answer for one delivered message with the attributes the receive asked for.
func render(q *queue, d *delivery, p receiveParams) Message {
	m := Message{MessageID: d.meta.ID, ReceiptHandle: d.handle, MD5OfBody: d.meta.MD5Body, Body: d.body}
	if sys := systemAttributes(q, d.meta, d.st, p.sysNames); len(sys) > 0 {
		m.Attributes = sys
	}
	if attrs := selectAttributes(d.meta.Attrs, p.attrNames); len(attrs) > 0 {
		m.MessageAttributes = attrs
		m.MD5OfMessageAttributes = md5OfAttributes(attrs)
	}
	return m
}

// systemAttributes are a message's system attributes (API_ReceiveMessage MessageSystemAttributeNames)
// restricted to names; "All" answers every one the message has.
func systemAttributes(q *queue, meta *msgMeta, st msgState, names []string) MessageSystemAttributeMap {
	if len(names) == 0 {
		return nil
	}
	all := map[string]string{
		"SenderId":                         meta.Sender,
		"SentTimestamp":                    strconv.FormatInt(meta.Sent, 10),
		"ApproximateReceiveCount":          strconv.Itoa(st.RC),
		"ApproximateFirstReceiveTimestamp": strconv.FormatInt(st.First, 10),
	}
	if meta.Trace != "" {
		all["AWSTraceHeader"] = meta.Trace
	}
	if meta.Group != "" {
		all["MessageGroupId"] = meta.Group
	}
	if q.fifo {
		all["MessageDeduplicationId"] = meta.Dedup
		all["SequenceNumber"] = meta.SeqNumber
	}
	if meta.DLQSource != "" {
		all["DeadLetterQueueSourceArn"] = meta.DLQSource
	}
	out := MessageSystemAttributeMap{}
	for _, name := range names {
		if name == "All" {
			return all
		}
		if v, ok := all[name]; ok {
			out[name] = v
		}
	}
	return out
}

// ReceiveMessage: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
// WaitTimeSeconds, or the queue's ReceiveMessageWaitTimeSeconds when absent, long-polls on the clock.
func (s *Service) ReceiveMessage(ctx context.Context, in *ReceiveMessageInput) (*ReceiveMessageOutput, *awswire.Error) {
	q, e := s.queueByURL(in.QueueURL)
	if e != nil {
		return nil, e
	}
	p := receiveParams{max: 1, visibility: -1, attemptID: in.ReceiveRequestAttemptID, attrNames: in.MessageAttributeNames}
	if in.MaxNumberOfMessages != nil {
		n := *in.MaxNumberOfMessages
		if n < 1 || n > maxBatchEntries {
			return nil, errInvalidValue(n, "MaxNumberOfMessages", "Must be between 1 and 10, if provided.")
		}
		p.max = int(n)
	}
	if in.VisibilityTimeout != nil {
		v := *in.VisibilityTimeout
		if v < 0 || v > maxVisibility {
			return nil, errInvalidValue(v, "VisibilityTimeout", "Must be between 0 and 43200, if provided.")
		}
		p.visibility = int64(v)
	}
	q.mu.Lock()
	wait := q.cfg.wait
	q.mu.Unlock()
	if in.WaitTimeSeconds != nil {
		w := *in.WaitTimeSeconds
		if w < 0 || w > maxWaitSeconds {
			return nil, errInvalidValue(w, "WaitTimeSeconds", "Must be >= 0 and <= 20, if provided.")
		}
		wait = int64(w)
	}
	p.wait = time.Duration(wait) * time.Second
	// AttributeNames is the deprecated spelling of MessageSystemAttributeNames; both count.
	p.sysNames = append(append([]string(nil), in.MessageSystemAttributeNames...), in.AttributeNames...)
	msgs, e := s.receive(ctx, q, p)
	if e != nil {
		return nil, e
	}
	return &ReceiveMessageOutput{Messages: msgs}, nil
}
