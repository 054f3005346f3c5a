package kinesis

import (
	"encoding/json"
	"errors"
	"math/big"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// One goroutine, the committer, makes every change to Kinesis' state, in the order requests
// reach it. That single order is what makes the model simple and AWS-like:
//
//   - sequence numbers are given out in commit order, so they strictly increase within a shard
//     and a producer that waits for each answer sees its records in its order;
//   - a reshard is applied between two groups of puts, so no record lands in a shard after it
//     closed and EndingSequenceNumber really is the shard's last;
//   - puts are group-committed: every PutRecord(s) waiting when a commit starts goes into one
//     bbolt transaction, one fsync for all of them, and each caller is answered only after that
//     commit (a lone writer waits for one fsync, not for a batching timer as store.Batch's is).
//
// Readers never wait for the committer: they read the committed store and, under mu, the
// in-memory view the committer updates after each commit.

type opKind int

const (
	opPut    opKind = iota // a PutRecord or PutRecords call
	opCtl                  // any other change: its own transaction
	opSettle               // only finish the status transitions that are due
)

type writeOp struct {
	kind opKind
	put  *putCall
	// ctl runs inside the transaction (on the committer goroutine, so it may read the in-memory
	// state without locks); it returns what to change in memory once the commit succeeded.
	ctl  func(tx *store.Tx) (apply func(), e *awswire.Error)
	err  *awswire.Error
	done chan struct{}
}

// putCall is one PutRecord or PutRecords request, validated apart from what depends on the stream.
type putCall struct {
	stream  string
	single  bool // PutRecord: a throttled record fails the call instead of its entry
	entries []putEntry
	results []putResult
}

type putEntry struct {
	partitionKey string
	hash         *big.Int
	data         []byte
}

type putResult struct {
	shardID, seq    string
	errCode, errMsg string
}

// maxGroupRecords bounds one group commit; 500-record PutRecords calls make groups large quickly.
const maxGroupRecords = 8192

var errRollback = errors.New("kinesis: roll back")

// submit hands op to the committer and waits until it is committed (or failed).
func (s *Service) submit(op *writeOp) *awswire.Error {
	op.done = make(chan struct{})
	select {
	case s.writes <- op:
	case <-s.closing:
		return errShuttingDown()
	}
	select {
	case <-op.done:
		return op.err
	case <-s.done:
		select {
		case <-op.done:
			return op.err
		default:
			return errShuttingDown()
		}
	}
}

// exec runs fn as a change of its own.
func (s *Service) exec(fn func(tx *store.Tx) (func(), *awswire.Error)) *awswire.Error {
	return s.submit(&writeOp{kind: opCtl, ctl: fn})
}

// settle finishes the transitions that are due before a reader looks, so that, under a manual
// clock, "advance the clock, then describe" sees ACTIVE without racing the scheduler.
func (s *Service) settle() {
	s.mu.RLock()
	due := s.nextDue
	s.mu.RUnlock()
	if due != 0 && due <= s.nowMS() {
		s.submit(&writeOp{kind: opSettle})
	}
}

func (s *Service) commitLoop() {
	defer s.wg.Done()
	defer close(s.done)
	var next *writeOp // taken from the queue while gathering a group, handled first next round
	for {
		op := next
		next = nil
		if op == nil {
			select {
			case op = <-s.writes:
			case <-s.closing:
				return
			}
		}
		s.settleDue()
		switch op.kind {
		case opSettle:
			close(op.done)
			continue
		case opCtl:
			s.runCtl(op)
			continue
		}
		group, records := []*writeOp{op}, len(op.put.entries)
	gather:
		for records < maxGroupRecords {
			select {
			case o := <-s.writes:
				if o.kind != opPut {
					next = o
					break gather
				}
				group = append(group, o)
				records += len(o.put.entries)
			default:
				break gather
			}
		}
		s.commitPuts(group)
	}
}

func (s *Service) runCtl(op *writeOp) {
	defer close(op.done)
	var apply func()
	var apiErr *awswire.Error
	err := s.store.Update(func(tx *store.Tx) error {
		apply, apiErr = op.ctl(tx)
		if apiErr != nil {
			return errRollback
		}
		return nil
	})
	switch {
	case apiErr != nil:
		op.err = apiErr
	case err != nil:
		op.err = errInternal(err)
		s.log.Error("commit failed", "err", err)
	case apply != nil:
		s.mu.Lock()
		apply()
		s.recomputeDue()
		s.mu.Unlock()
		s.poke()
	}
}

// poke tells the scheduler that the next due transition may have changed.
func (s *Service) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// commitPuts gives the group's records their shards and sequence numbers and stores them, with
// the shards' counters, in one transaction.
func (s *Service) commitPuts(group []*writeOp) {
	nowMS := s.nowMS()
	type counter struct {
		sh          *shard
		incarnation uint64
		bucket      string
		last        uint64
		lastMS      int64
	}
	counters := map[*shard]*counter{}
	type write struct {
		bucket, key string
		value       []byte
	}
	var writes []write
	for _, op := range group {
		call := op.put
		st := s.streams[call.stream]
		if st == nil || (st.rec.Status != statusActive && st.rec.Status != statusUpdating) {
			// As on AWS (and kinesalite): a stream still CREATING, or DELETING, is not found.
			op.err = errStreamNotFound(call.stream, s.cfg.AccountID)
			continue
		}
		if e := checkRecordSizes(call, st.rec.MaxRecordSizeKiB); e != nil {
			op.err = e
			continue
		}
		call.results = make([]putResult, len(call.entries))
		for i, e := range call.entries {
			sh := st.shardFor(e.hash)
			if sh == nil { // the open shards always cover the hash key space
				op.err = errInternal(errors.New("no open shard holds the hash key " + e.hash.String()))
				break
			}
			if !s.throttle.allowWrite(st.rec.Incarnation, sh.rec.Index, len(e.data)+len(e.partitionKey), nowMS) {
				if call.single {
					op.err = errThroughput(sh.id, st.rec.Name, s.cfg.AccountID)
					break
				}
				pte := errThroughput(sh.id, st.rec.Name, s.cfg.AccountID)
				call.results[i] = putResult{errCode: pte.Code, errMsg: pte.Message}
				continue
			}
			c := counters[sh]
			if c == nil {
				c = &counter{sh: sh, incarnation: st.rec.Incarnation, bucket: sh.recordsBucket(st.rec.Incarnation), last: sh.last, lastMS: sh.lastMS}
				counters[sh] = c
			}
			c.last++
			c.lastMS = max(nowMS, c.lastMS)
			seq := sh.seq(c.last, c.lastMS)
			value, err := json.Marshal(recordRec{PartitionKey: e.partitionKey, Data: e.data, ArrivalMS: c.lastMS, Seq: seq})
			if err != nil {
				op.err = errInternal(err)
				break
			}
			writes = append(writes, write{c.bucket, store.SeqKey(c.last), value})
			call.results[i] = putResult{shardID: sh.id, seq: seq}
		}
	}
	if len(writes) > 0 {
		err := s.store.Update(func(tx *store.Tx) error {
			for _, w := range writes {
				if err := tx.PutRaw(w.bucket, w.key, w.value); err != nil {
					return err
				}
			}
			for _, c := range counters {
				if err := tx.Put(bucketCounters, counterKey(c.incarnation, c.sh.rec.Index), counterRec{Last: c.last, LastMS: c.lastMS}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			s.log.Error("committing records failed", "err", err)
			for _, op := range group {
				if op.err == nil {
					op.err = errInternal(err)
				}
			}
		} else {
			s.mu.Lock()
			for _, c := range counters {
				c.sh.last, c.sh.lastMS = c.last, c.lastMS
			}
			s.mu.Unlock()
		}
	}
	for _, op := range group {
		close(op.done)
	}
}

// checkRecordSizes applies the stream's maximum record size (MaxRecordSizeInKiB, 1 MiB unless
// raised), which counts the partition key and the data together (PutRecords reference).
func checkRecordSizes(call *putCall, maxKiB int) *awswire.Error {
	limit := maxKiB * 1024
	var v validation
	for i, e := range call.entries {
		if len(e.data)+len(e.partitionKey) <= limit {
			continue
		}
		member := "data"
		if !call.single {
			member = "records." + itoa(i+1) + ".member.data"
		}
		v.fail(blobValue(len(e.data)), member, constraintMaxLen(limit))
	}
	return v.err()
}
