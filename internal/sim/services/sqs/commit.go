package sqs

import (
	"sync"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// committer groups concurrent message writes (sends, receives, deletes, visibility changes) into
// one store transaction, one fsync, without delaying a lone writer: a writer that finds no commit
// in progress commits at once; writers that arrive meanwhile queue, and when the commit ends the
// first of them commits the whole queue. store.Batch (bbolt's batching) waits up to 10 ms for
// company instead, which made every SendMessage of a single client take 10 ms.
//
// As with store.Batch, fn may run more than once (alone, after a grouped commit failed), so it
// must be idempotent apart from its writes.
type committer struct {
	st      *store.Store
	mu      sync.Mutex
	busy    bool
	pending []*commitReq
}

type commitReq struct {
	fn   func(tx *store.Tx) error
	err  error
	wake chan bool // true: you lead the next commit; false: your commit is done
}

func (c *committer) commit(fn func(tx *store.Tx) error) error {
	r := &commitReq{fn: fn, wake: make(chan bool, 1)}
	c.mu.Lock()
	c.pending = append(c.pending, r)
	if c.busy {
		c.mu.Unlock()
		if lead := <-r.wake; !lead {
			return r.err
		}
		c.mu.Lock()
	} else {
		c.busy = true
	}
	batch := c.pending
	c.pending = nil
	c.mu.Unlock()

	c.run(batch)

	c.mu.Lock()
	if len(c.pending) > 0 {
		c.pending[0].wake <- true
	} else {
		c.busy = false
	}
	c.mu.Unlock()
	return r.err
}

// run commits batch in one transaction; if that fails, each request alone, so one bad request
// does not fail the others.
func (c *committer) run(batch []*commitReq) {
	err := c.st.Update(func(tx *store.Tx) error {
		for _, r := range batch {
			if err := r.fn(tx); err != nil {
				return err
			}
		}
		return nil
	})
	for _, r := range batch {
		if err != nil && len(batch) > 1 {
			r.err = c.st.Update(r.fn)
		} else {
			r.err = err
		}
		r.wake <- false
	}
}
