// Package invlog is the simulator's invocation log: one record per attempt to run a function, with
// its cause and its outcome. The admin API, the CLI, the dashboard and tests all read this one log,
// so its schema is a product surface: add fields, never change the meaning of one.
package invlog

import (
	"encoding/json"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

const bucket = "invlog/records"

// MaxBody is how much of a payload or response a record keeps; the rest is cut and flagged.
const MaxBody = 256 << 10

// DefaultRetention is how many records the log keeps before it drops the oldest.
const DefaultRetention = 20000

// Record is one attempt to run a function.
type Record struct {
	Seq             uint64    `json:"seq"`
	RequestID       string    `json:"requestId"`
	FunctionName    string    `json:"functionName"`
	FunctionARN     string    `json:"functionArn"` // as invoked: qualified when a qualifier was given
	Qualifier       string    `json:"qualifier,omitempty"`
	ExecutedVersion string    `json:"executedVersion,omitempty"`
	InvocationType  string    `json:"invocationType"` // RequestResponse | Event | DryRun
	Trigger         string    `json:"trigger"`        // who caused it: "api", later "sqs:<arn>", "s3:<bucket>", ...
	Attempt         int       `json:"attempt"`        // 1 for the first attempt of an event
	Payload         string    `json:"payload"`
	PayloadCut      bool      `json:"payloadTruncated,omitempty"`
	Response        string    `json:"response,omitempty"`
	ResponseCut     bool      `json:"responseTruncated,omitempty"`
	Outcome         string    `json:"outcome"` // see the Outcome constants
	StatusCode      int       `json:"statusCode"`
	FunctionError   string    `json:"functionError,omitempty"` // Handled | Unhandled
	ErrorType       string    `json:"errorType,omitempty"`
	ErrorMessage    string    `json:"errorMessage,omitempty"` // invocation errors (throttles, ...) as answered to the caller
	Start           time.Time `json:"start"`
	DurationMs      float64   `json:"durationMs"`
	InitDurationMs  float64   `json:"initDurationMs,omitempty"`
	EnvironmentID   string    `json:"environmentId,omitempty"`
	Cold            bool      `json:"cold"`
	Logs            string    `json:"logs,omitempty"`
	RetryReason     string    `json:"retryReason,omitempty"` // why this attempt will be retried (async, poll models)
	Destination     string    `json:"destination,omitempty"` // where the event finally went (async, poll models)
}

// Outcomes of an attempt.
const (
	OutcomeSuccess       = "success"
	OutcomeFunctionError = "function_error"
	OutcomeThrottled     = "throttled"
	OutcomeError         = "error" // the invocation itself failed (not the function)
	OutcomeDryRun        = "dry_run"
)

// SetPayload stores the request payload, cut to MaxBody.
func (r *Record) SetPayload(b []byte) { r.Payload, r.PayloadCut = cut(b) }

// SetResponse stores the response, cut to MaxBody.
func (r *Record) SetResponse(b []byte) { r.Response, r.ResponseCut = cut(b) }

func cut(b []byte) (string, bool) {
	if len(b) > MaxBody {
		return string(b[:MaxBody]), true
	}
	return string(b), false
}

// Log appends and reads records in the store.
//
// Append does not wait for the disk: a record is an observation of an invocation, not something a
// caller was promised, and an fsync per invocation would double the cost of a warm invoke. A single
// writer commits whatever has queued in one transaction, and List first waits for every record
// appended before it, so a reader always sees its own invocations.
type Log struct {
	st        *store.Store
	retention int

	mu       sync.Mutex
	cond     *sync.Cond
	pending  []*Record
	queued   uint64 // records appended so far
	written  uint64 // records committed so far
	writeErr error
	closed   bool
	wake     chan struct{}
	done     chan struct{}
}

// New returns the log kept in st and starts its writer; Close stops it.
func New(st *store.Store) *Log {
	l := &Log{st: st, retention: DefaultRetention, wake: make(chan struct{}, 1), done: make(chan struct{})}
	l.cond = sync.NewCond(&l.mu)
	go l.writer()
	return l
}

// Append queues rec; it gets its sequence number when the writer commits it.
func (l *Log) Append(rec *Record) error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return errors.New("invocation log is closed")
	}
	l.pending = append(l.pending, rec)
	l.queued++
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
	return nil
}

// Flush waits until every record appended before it is committed.
func (l *Log) Flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	target := l.queued
	for l.written < target && l.writeErr == nil {
		l.cond.Wait()
	}
	return l.writeErr
}

// Close commits what is queued and stops the writer.
func (l *Log) Close() error {
	err := l.Flush()
	l.mu.Lock()
	if !l.closed {
		l.closed = true
		close(l.wake)
	}
	l.mu.Unlock()
	<-l.done
	return err
}

func (l *Log) writer() {
	defer close(l.done)
	for range l.wake {
		for {
			l.mu.Lock()
			batch := l.pending
			l.pending = nil
			l.mu.Unlock()
			if len(batch) == 0 {
				break
			}
			err := l.st.Update(func(tx *store.Tx) error {
				for _, rec := range batch {
					if err := l.put(tx, rec); err != nil {
						return err
					}
				}
				return nil
			})
			l.mu.Lock()
			l.written += uint64(len(batch))
			if err != nil {
				l.writeErr = err
			}
			l.cond.Broadcast()
			l.mu.Unlock()
		}
	}
}

func (l *Log) put(tx *store.Tx, rec *Record) error {
	seq, err := tx.NextSequence(bucket)
	if err != nil {
		return err
	}
	rec.Seq = seq
	if err := tx.Put(bucket, store.SeqKey(seq), rec); err != nil {
		return err
	}
	if seq > uint64(l.retention) && seq%1000 == 0 {
		return l.pruneBefore(tx, seq-uint64(l.retention))
	}
	return nil
}

func (l *Log) pruneBefore(tx *store.Tx, seq uint64) error {
	var old []string
	limit := store.SeqKey(seq)
	tx.ForEach(bucket, "", func(key string, _ []byte) error {
		if key >= limit {
			return store.ErrStop
		}
		old = append(old, key)
		return nil
	})
	for _, k := range old {
		if err := tx.Delete(bucket, k); err != nil {
			return err
		}
	}
	return nil
}

// Query selects records.
type Query struct {
	FunctionName string // "" = every function
	RequestID    string // "" = any
	After        uint64 // only records with Seq > After
	Limit        int    // 0 = 1000
}

// List returns the records matching q, oldest first.
func (l *Log) List(q Query) ([]Record, error) {
	if q.Limit <= 0 {
		q.Limit = 1000
	}
	if err := l.Flush(); err != nil {
		return nil, err
	}
	var out []Record
	err := l.st.View(func(tx *store.Tx) error {
		return tx.ForEachAfter(bucket, store.SeqKey(q.After), func(_ string, v []byte) error {
			var rec Record
			if err := json.Unmarshal(v, &rec); err != nil {
				return err
			}
			if (q.FunctionName == "" || rec.FunctionName == q.FunctionName) && (q.RequestID == "" || rec.RequestID == q.RequestID) {
				out = append(out, rec)
			}
			if len(out) >= q.Limit {
				return store.ErrStop
			}
			return nil
		})
	})
	return out, err
}

// ParseSeq reads a sequence number from a query parameter; "" is 0.
func ParseSeq(s string) (uint64, error) {
	if s == "" {
		return 0, nil
	}
	return strconv.ParseUint(s, 10, 64)
}
