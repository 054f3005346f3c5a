package sqs

import (
	"sync"
)

// queue is one queue's in-memory index over its messages in the store. The store is the truth:
// every change below is made in memory first (so concurrent requests see it), committed to the
// store, and undone if the commit fails; New rebuilds the index from the store.
//
// Locking: commitMu is held shared by every request that commits message changes for this queue
// and exclusively by PurgeQueue and DeleteQueue, so a purge never interleaves with a commit; mu
// guards everything else and is never held across a store commit. Lock order: commitMu, then
// Service.mu, then mu; two queues' mu are never held together.
type queue struct {
	// Fixed at creation.
	id      string // store bucket of the messages; a re-created queue gets a new one
	account string
	name    string
	arn     string
	fifo    bool

	commitMu sync.RWMutex

	mu       sync.Mutex
	rec      queueRecord
	cfg      queueConfig
	deleted  bool
	nextSeq  uint64
	head     *entry
	tail     *entry
	bySeq    map[uint64]*entry
	dedup    map[string]*dedupEntry
	attempts map[string]*receiveAttempt
	sends    int // FIFO sends since the dedup table was last pruned
	wake     chan struct{}
}

// entry is one message: its stored metadata and its receive state.
type entry struct {
	seq   uint64
	meta  *msgMeta
	rc    int    // ApproximateReceiveCount
	vis   int64  // epoch ms when the message is visible: end of delay or of visibility timeout
	tok   uint64 // receipt token of the latest receive; handles carry it
	first int64  // ApproximateFirstReceiveTimestamp, epoch ms
	since int64  // when the current in-flight period began (visibility may total 12 hours)

	pending bool // a send is committing it: invisible, and in FIFO it blocks its group
	busy    bool // a delete, a move to the DLQ or an expiry is committing it

	prev, next *entry
}

// dedupEntry remembers a FIFO deduplication id for five minutes after its send.
type dedupEntry struct {
	at        int64 // epoch ms of the original send
	messageID string
	seqNumber string
	pending   bool
	done      chan struct{} // closed when the original send committed or failed
	failed    bool
}

// receiveAttempt remembers a FIFO ReceiveRequestAttemptId so a retry returns the same messages.
type receiveAttempt struct {
	at      int64
	seqs    []uint64
	toks    []uint64
	handles []string
}

func newQueue(rec queueRecord, arn string) *queue {
	return &queue{
		id: rec.ID, account: rec.Account, name: rec.Name, arn: arn, fifo: rec.FIFO,
		rec: rec, cfg: parseConfig(rec.Attributes),
		bySeq: map[uint64]*entry{}, dedup: map[string]*dedupEntry{}, attempts: map[string]*receiveAttempt{},
		wake: make(chan struct{}),
	}
}

// insert links e in sequence order; sends append, so the walk from the tail is short.
func (q *queue) insert(e *entry) {
	q.bySeq[e.seq] = e
	after := q.tail
	for after != nil && after.seq > e.seq {
		after = after.prev
	}
	e.prev = after
	if after == nil {
		e.next = q.head
		q.head = e
	} else {
		e.next = after.next
		after.next = e
	}
	if e.next == nil {
		q.tail = e
	} else {
		e.next.prev = e
	}
}

func (q *queue) remove(e *entry) {
	if q.bySeq[e.seq] != e {
		return
	}
	delete(q.bySeq, e.seq)
	if e.prev == nil {
		q.head = e.next
	} else {
		e.prev.next = e.next
	}
	if e.next == nil {
		q.tail = e.prev
	} else {
		e.next.prev = e.prev
	}
	e.prev, e.next = nil, nil
}

func (q *queue) clear() {
	for e := q.head; e != nil; {
		next := e.next
		e.prev, e.next = nil, nil
		e = next
	}
	q.head, q.tail = nil, nil
	q.bySeq = map[uint64]*entry{}
	q.attempts = map[string]*receiveAttempt{}
}

// notify wakes every long poll waiting on this queue; they re-scan.
func (q *queue) notify() {
	close(q.wake)
	q.wake = make(chan struct{})
}

// visibleAt is when e can be received. A FIFO queue's DelaySeconds applies retroactively to
// messages not yet received ("For FIFO queues, the per-queue delay setting is retroactive",
// sqs-delay-queues); a standard message keeps the delay it was sent with.
func (q *queue) visibleAt(e *entry) int64 {
	if q.fifo && e.rc == 0 {
		return e.meta.Enq + q.cfg.delay*1000
	}
	return e.vis
}

// expired reports whether the retention period ended; it counts from the enqueue time, which a
// move to a standard DLQ keeps and a move to a FIFO DLQ resets (setting-up-dead-letter-queue-retention).
func (q *queue) expired(e *entry, now int64) bool {
	return now >= e.meta.Enq+q.cfg.retention*1000
}

// inFlight reports whether e was received and its visibility timeout has not passed.
func (q *queue) inFlight(e *entry, now int64) bool {
	return e.rc > 0 && e.vis > now
}

// counts are the ApproximateNumberOfMessages* attributes.
func (q *queue) counts(now int64) (visible, notVisible, delayed int) {
	for e := q.head; e != nil; e = e.next {
		if e.pending || e.busy || q.expired(e, now) {
			continue
		}
		switch {
		case q.inFlight(e, now):
			notVisible++
		case q.visibleAt(e) > now:
			delayed++
		default:
			visible++
		}
	}
	return visible, notVisible, delayed
}
