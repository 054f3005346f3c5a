package invlog

import (
	"encoding/json"
	"fmt"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Annotate adds what the asynchronous model decided about one attempt to its record: why it will
// be retried, and on the last attempt where the event finally went (empty arguments leave the
// record's value). A record still queued for the writer is changed in place; a committed one is
// rewritten. The newest matching record wins.
func (l *Log) Annotate(requestID string, attempt int, retryReason, destination string) error {
	set := func(rec *Record) {
		if retryReason != "" {
			rec.RetryReason = retryReason
		}
		if destination != "" {
			rec.Destination = destination
		}
	}
	l.mu.Lock()
	for i := len(l.pending) - 1; i >= 0; i-- {
		if rec := l.pending[i]; rec.RequestID == requestID && rec.Attempt == attempt {
			set(rec)
			l.mu.Unlock()
			return nil
		}
	}
	l.mu.Unlock()
	if err := l.Flush(); err != nil {
		return err
	}
	return l.st.Update(func(tx *store.Tx) error {
		var key string
		var found Record
		// The attempt is among the newest records: walk back from the end to the first match.
		err := tx.ForEachReverse(bucket, func(k string, v []byte) error {
			var rec Record
			if err := json.Unmarshal(v, &rec); err != nil {
				return err
			}
			if rec.RequestID == requestID && rec.Attempt == attempt {
				key, found = k, rec
				return store.ErrStop
			}
			return nil
		})
		if err != nil {
			return err
		}
		if key == "" {
			return fmt.Errorf("invocation log: no record of attempt %d of %s", attempt, requestID)
		}
		set(&found)
		return tx.Put(bucket, key, found)
	})
}
