package store

import "sync"

// Committer groups concurrent writes into one transaction, one fsync, without delaying a lone
// writer: a writer that finds no commit in progress commits at once; writers that arrive meanwhile
// queue, and when the commit ends the first of them commits the whole queue. (Batch, bbolt's own
// batching, waits up to 10 ms for company, which would make every write of a single client take
// 10 ms.) The writes of one group run in arrival order inside the transaction, so each sees the
// ones before it.
//
// fn may run more than once (alone, after a grouped commit failed), so it must be idempotent apart
// from its writes; an operation that answers an API error should write nothing and return nil.
type Committer struct {
	st      *Store
	mu      sync.Mutex
	busy    bool
	pending []*commitReq
}

type commitReq struct {
	fn   func(tx *Tx) error
	err  error
	wake chan bool // true: you lead the next commit; false: your commit is done
}

// NewCommitter returns a committer writing to st.
func NewCommitter(st *Store) *Committer { return &Committer{st: st} }

// Commit runs fn in a transaction shared with the writers that arrived at the same time, and
// returns when that transaction has committed.
func (c *Committer) Commit(fn func(tx *Tx) error) error {
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
	group := c.pending
	c.pending = nil
	c.mu.Unlock()

	c.run(group)

	c.mu.Lock()
	if len(c.pending) > 0 {
		c.pending[0].wake <- true
	} else {
		c.busy = false
	}
	c.mu.Unlock()
	return r.err
}

// Idle reports whether no commit is in progress or queued (for tests).
func (c *Committer) Idle() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.busy && len(c.pending) == 0
}

// run commits the group in one transaction; if that fails, each request alone, so one bad request
// does not fail the others.
func (c *Committer) run(group []*commitReq) {
	err := c.st.Update(func(tx *Tx) error {
		for _, r := range group {
			if err := r.fn(tx); err != nil {
				return err
			}
		}
		return nil
	})
	for _, r := range group {
		if err != nil && len(group) > 1 {
			r.err = c.st.Update(r.fn)
		} else {
			r.err = err
		}
		r.wake <- false
	}
}
