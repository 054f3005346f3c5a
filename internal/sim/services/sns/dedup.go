package sns

import (
	"errors"
	"fmt"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// checkDedup applies FIFO deduplication inside the publish transaction. It returns the record of
// the earlier message when in.DedupID was seen within the interval; otherwise it assigns the
// sequence number and remembers the message.
func (s *Service) checkDedup(tx *store.Tx, t *topic, m *message, now time.Time) (*dedupRecord, error) {
	if err := sweepDedup(tx, now, 16); err != nil {
		return nil, err
	}
	scope := ""
	if t.Attributes["FifoThroughputScope"] == "MessageGroup" {
		scope = m.GroupID
	}
	key := t.ARN + "\n" + scope + "\n" + m.DedupID
	var old dedupRecord
	switch err := tx.Get(bucketDedup, key, &old); {
	case err == nil && now.Before(old.Expires):
		return &old, nil
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return nil, err
	}
	n, err := tx.NextSequence(sequenceBucket(t.ARN))
	if err != nil {
		return nil, err
	}
	m.SeqNumber = fmt.Sprintf("1%019d", n)
	rec := dedupRecord{MessageID: m.ID, SeqNumber: m.SeqNumber, Expires: now.Add(dedupInterval)}
	if err := tx.Put(bucketDedup, key, &rec); err != nil {
		return nil, err
	}
	return nil, tx.PutRaw(bucketDedupExpiry, fmt.Sprintf("%020d\n%s", rec.Expires.UnixNano(), key), nil)
}

// sequenceBucket holds a topic's FIFO sequence counter (store.Tx.NextSequence is per bucket).
func sequenceBucket(topicARN string) string { return bucketSequences + "/" + topicARN }

// sweepDedup forgets up to limit expired deduplication records, oldest first.
func sweepDedup(tx *store.Tx, now time.Time, limit int) error {
	var expired []string
	err := tx.ForEach(bucketDedupExpiry, "", func(k string, _ []byte) error {
		var ns int64
		if _, err := fmt.Sscanf(k[:20], "%d", &ns); err != nil || ns > now.UnixNano() || len(expired) == limit {
			return store.ErrStop
		}
		expired = append(expired, k)
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range expired {
		var rec dedupRecord
		key := k[21:]
		if err := tx.Get(bucketDedup, key, &rec); err == nil && !now.Before(rec.Expires) {
			if err := tx.Delete(bucketDedup, key); err != nil {
				return err
			}
		}
		if err := tx.Delete(bucketDedupExpiry, k); err != nil {
			return err
		}
	}
	return nil
}
