package kinesis

import (
	"encoding/json"
	"sort"
	"strconv"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Status transitions: CREATING -> ACTIVE (the shards appear), UPDATING -> ACTIVE (the pending
// reshard is applied), DELETING -> gone. Each is stored as a due time on the stream, so a
// restart resumes it; the scheduler goroutine wakes at the earliest due time on the Clock, and
// the committer also finishes any overdue transition before it handles the next request, so the
// order "transition, then the requests after its due time" holds even when the scheduler is late.
// A transition takes effect at its due time, not at the moment the goroutine gets to it.

// scheduleLoop wakes the committer for due transitions and for the retention trim.
func (s *Service) scheduleLoop() {
	defer s.wg.Done()
	nextTrim := s.nowMS() + s.cfg.TrimInterval.Milliseconds()
	for {
		s.mu.RLock()
		due := s.nextDue
		s.mu.RUnlock()
		wakeAt := nextTrim
		if due != 0 && due < wakeAt {
			wakeAt = due
		}
		t := s.clock.NewTimer(time.Duration(wakeAt-s.nowMS()) * time.Millisecond)
		select {
		case <-t.C():
		case <-s.wake:
			t.Stop()
			continue
		case <-s.closing:
			t.Stop()
			return
		}
		now := s.nowMS()
		if due != 0 && due <= now {
			s.submit(&writeOp{kind: opSettle})
			s.mu.RLock()
			stuck := s.nextDue != 0 && s.nextDue <= now
			s.mu.RUnlock()
			if stuck {
				// A transition that cannot finish (the store failing) is retried a second later
				// rather than in a busy loop; settleDue has logged why.
				if s.clock.Sleep(s.ctx, time.Second) != nil {
					return
				}
			}
		}
		if nextTrim <= now {
			if e := s.exec(s.trim); e != nil && e.Code != errShuttingDown().Code {
				s.log.Error("trimming expired records failed", "err", e)
			}
			nextTrim = now + s.cfg.TrimInterval.Milliseconds()
		}
	}
}

// settleDue finishes every transition whose time has come; committer goroutine only.
func (s *Service) settleDue() {
	nowMS := s.nowMS()
	if s.nextDue == 0 || s.nextDue > nowMS {
		return
	}
	var due []string
	for name, st := range s.streams {
		if st.rec.DueMS != 0 && st.rec.DueMS <= nowMS {
			due = append(due, name)
		}
	}
	sort.Strings(due)
	for _, name := range due {
		op := &writeOp{kind: opCtl, done: make(chan struct{})}
		op.ctl = func(tx *store.Tx) (func(), *awswire.Error) { return s.completeTransition(tx, name) }
		s.runCtl(op)
		if op.err != nil {
			s.log.Error("finishing stream transition failed", "stream", name, "err", op.err)
		}
	}
}

func (s *Service) completeTransition(tx *store.Tx, name string) (func(), *awswire.Error) {
	st := s.streams[name]
	if st == nil || st.rec.DueMS == 0 {
		return nil, nil
	}
	rec := st.rec.clone()
	at := rec.DueMS
	rec.DueMS = 0
	switch rec.Status {
	case statusDeleting:
		if err := deleteStreamData(tx, &st.rec); err != nil {
			return nil, errInternal(err)
		}
		s.log.Info("stream deleted", "stream", name)
		return func() { delete(s.streams, name) }, nil
	case statusCreating:
		for i, r := range uniformRanges(rec.InitialShards) {
			rec.Shards = append(rec.Shards, shardRec{Index: i, StartHash: r[0].String(), EndHash: r[1].String(), CreatedMS: at})
		}
		rec.NextShardIndex = rec.InitialShards
	case statusUpdating:
		if rec.Pending != nil {
			applyReshard(&rec, st, *rec.Pending, at)
			rec.Pending = nil
		}
	}
	rec.Status = statusActive
	if err := tx.Put(bucketStreams, name, rec); err != nil {
		return nil, errInternal(err)
	}
	return s.replaceStream(st, rec), nil
}

// replaceStream is the apply step of a change to a stream's stored form: a new in-memory stream
// (readers holding the old one under RLock are undisturbed) keeping the shards' counters.
func (s *Service) replaceStream(old *stream, rec streamRec) func() {
	return func() {
		st := &stream{rec: rec}
		if old != nil {
			st.shards = old.shards
		}
		st.rebuild()
		s.streams[rec.Name] = st
	}
}

func deleteStreamData(tx *store.Tx, rec *streamRec) error {
	if err := tx.Delete(bucketStreams, rec.Name); err != nil {
		return err
	}
	for _, sh := range rec.Shards {
		if err := tx.Delete(bucketCounters, counterKey(rec.Incarnation, sh.Index)); err != nil {
			return err
		}
	}
	return tx.DeleteBucket(bucketRecords + "/" + strconv.FormatUint(rec.Incarnation, 10))
}

// trim removes records older than their stream's retention period, and closed shards whose
// records have all expired. Readers already skip expired records; this only frees the space.
func (s *Service) trim(tx *store.Tx) (func(), *awswire.Error) {
	nowMS := s.nowMS()
	changed := map[*stream]streamRec{}
	for _, st := range s.streams {
		if st.rec.Status == statusCreating || st.rec.Status == statusDeleting {
			continue
		}
		rec, dropped, err := trimStream(tx, st, nowMS)
		if err != nil {
			return nil, errInternal(err)
		}
		if dropped {
			if err := tx.Put(bucketStreams, rec.Name, rec); err != nil {
				return nil, errInternal(err)
			}
			changed[st] = rec
		}
	}
	if len(changed) == 0 {
		return nil, nil
	}
	return func() {
		for old, rec := range changed {
			s.replaceStream(old, rec)()
		}
	}, nil
}

// trimStream deletes a stream's expired records and expired closed shards from the store; rec
// is the stream without those shards (dropped says whether there were any).
func trimStream(tx *store.Tx, st *stream, nowMS int64) (rec streamRec, dropped bool, err error) {
	cutoff := nowMS - st.retention().Milliseconds()
	var gone []int
	for _, sh := range st.shards {
		bucket := sh.recordsBucket(st.rec.Incarnation)
		if st.expired(sh, nowMS) {
			if err := tx.DeleteBucket(bucket); err != nil {
				return rec, false, err
			}
			if err := tx.Delete(bucketCounters, counterKey(st.rec.Incarnation, sh.rec.Index)); err != nil {
				return rec, false, err
			}
			gone = append(gone, sh.rec.Index)
			continue
		}
		var dead []string
		err := tx.ForEach(bucket, "", func(key string, value []byte) error {
			var r struct {
				ArrivalMS int64 `json:"t"`
			}
			if err := json.Unmarshal(value, &r); err != nil {
				return err
			}
			if r.ArrivalMS >= cutoff {
				return store.ErrStop
			}
			dead = append(dead, key)
			return nil
		})
		if err != nil {
			return rec, false, err
		}
		for _, key := range dead {
			if err := tx.Delete(bucket, key); err != nil {
				return rec, false, err
			}
		}
	}
	rec = st.rec.clone()
	if len(gone) == 0 {
		return rec, false, nil
	}
	kept := rec.Shards[:0]
	for _, sh := range rec.Shards {
		if !containsInt(gone, sh.Index) {
			kept = append(kept, sh)
		}
	}
	rec.Shards = kept
	return rec, true, nil
}

func containsInt(list []int, n int) bool {
	for _, v := range list {
		if v == n {
			return true
		}
	}
	return false
}

func itoa(n int) string { return strconv.Itoa(n) }

// clone is a deep copy, so a change can be built without touching what readers see.
func (r streamRec) clone() streamRec {
	out := r
	out.Shards = append([]shardRec(nil), r.Shards...)
	out.ScaledMS = append([]int64(nil), r.ScaledMS...)
	if r.Tags != nil {
		out.Tags = make(map[string]string, len(r.Tags))
		for k, v := range r.Tags {
			out.Tags[k] = v
		}
	}
	if r.Pending != nil {
		p := *r.Pending
		out.Pending = &p
	}
	return out
}
