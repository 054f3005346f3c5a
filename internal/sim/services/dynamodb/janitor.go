package dynamodb

import (
	"encoding/json"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// The janitor writes down what time has already made true: status transitions that fell due,
// tables whose deletion completed, streams and records past the 24-hour retention. Readers never
// depend on it (every such state is computed lazily from the clock), so its only job is to keep
// the store from growing; it runs every Config.CleanupInterval of the service's clock, and once
// at start.

func (s *Service) janitorLoop() {
	defer s.wg.Done()
	for {
		s.cleanup()
		t := s.clock.NewTimer(s.cfg.CleanupInterval)
		select {
		case <-s.closing:
			t.Stop()
			return
		case <-t.C():
		}
	}
}

// maxTrimPerRun bounds the records one cleanup transaction deletes, so a long backlog is worked
// off in several short transactions rather than one that holds the writer lock.
const maxTrimPerRun = 10000

func (s *Service) cleanup() {
	err := s.store.Update(func(tx *store.Tx) error {
		now := s.nowMS()
		var gone []*tableRec
		var settled []*tableRec
		err := tx.ForEach(bucketTables, "", func(name string, value []byte) error {
			t := &tableRec{}
			if err := json.Unmarshal(value, t); err != nil {
				return err
			}
			switch status := t.statusAt(now); {
			case status == "":
				gone = append(gone, t)
			case status != t.Status:
				t.Status, t.DueMS = status, 0
				settled = append(settled, t)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, t := range gone {
			if err := s.removeTable(tx, t); err != nil {
				return err
			}
		}
		for _, t := range settled {
			if err := tx.Put(bucketTables, t.Name, t); err != nil {
				return err
			}
		}
		return s.cleanupStreams(tx, now)
	})
	if err != nil {
		s.log.Error("cleanup failed", "err", err)
	}
}

func (s *Service) cleanupStreams(tx *store.Tx, now int64) error {
	var streams []*streamRec
	err := tx.ForEach(bucketStreams, "", func(arn string, value []byte) error {
		st := &streamRec{}
		if err := json.Unmarshal(value, st); err != nil {
			return err
		}
		streams = append(streams, st)
		return nil
	})
	if err != nil {
		return err
	}
	budget := maxTrimPerRun
	for _, st := range streams {
		if st.statusAt(now) == "" {
			if err := tx.DeleteBucket(recordsBucket(st.ID)); err != nil {
				return err
			}
			if err := tx.Delete(bucketStreams, st.ARN); err != nil {
				return err
			}
			continue
		}
		changed := false
		if status := st.statusAt(now); status != st.Status {
			st.Status, st.DueMS = status, 0
			changed = true
		}
		// Delete expired records, oldest first, noting per shard how far it is trimmed.
		var expiredKeys []string
		err := tx.ForEach(recordsBucket(st.ID), "", func(k string, value []byte) error {
			if budget == 0 {
				return store.ErrStop
			}
			var rec recordRec
			if err := json.Unmarshal(value, &rec); err != nil {
				return err
			}
			if !expired(&rec, now) {
				return store.ErrStop
			}
			n, _ := parseSeq(k)
			for i := range st.Shards {
				sh := &st.Shards[i]
				if n >= sh.Start && (sh.open() || n <= sh.End) {
					sh.Trimmed = max(sh.Trimmed, n)
				}
			}
			expiredKeys = append(expiredKeys, k)
			budget--
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range expiredKeys {
			if err := tx.Delete(recordsBucket(st.ID), k); err != nil {
				return err
			}
		}
		// Drop closed shards past retention, keeping the newest shard whatever its age.
		kept := st.Shards[:0]
		for i, sh := range st.Shards {
			if i < len(st.Shards)-1 && shardExpired(&sh, now) {
				continue
			}
			kept = append(kept, sh)
		}
		if len(expiredKeys) > 0 || len(kept) != len(st.Shards) {
			changed = true
		}
		st.Shards = kept
		if changed {
			if err := tx.Put(bucketStreams, st.ARN, st); err != nil {
				return err
			}
		}
	}
	return nil
}
