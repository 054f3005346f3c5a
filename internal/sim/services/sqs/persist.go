package sqs

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Store layout, all under the top-level bucket "sqs":
//
//	sqs/queues            <account>/<name> -> queueRecord
//	sqs/deleted           <account>/<name> -> epoch ms of DeleteQueue (QueueDeletedRecently)
//	sqs/q/<id>/meta       <seq>            -> msgMeta (everything about a message but its body)
//	sqs/q/<id>/body       <seq>            -> the body, raw
//	sqs/q/<id>/state      <seq>            -> msgState, once the message was received (or moved)
//	sqs/q/<id>/dedup      <dedup key>      -> dedupRecord (FIFO, five minutes)
//	sqs/q/<id>/seq        "hwm"            -> highest sequence number used (FIFO SequenceNumber)
//
// Bodies live apart from metadata so a receive rewrites only the small state record, and the
// index can be rebuilt at start without reading bodies.
const (
	bucketQueues  = "sqs/queues"
	bucketDeleted = "sqs/deleted"
	hwmKey        = "hwm"
)

func queueKey(account, name string) string { return account + "/" + name }

func bucketOf(id string) string            { return "sqs/q/" + id }
func metaBucket(id string) string          { return "sqs/q/" + id + "/meta" }
func bodyBucket(id string) string          { return "sqs/q/" + id + "/body" }
func stateBucket(id string) string         { return "sqs/q/" + id + "/state" }
func dedupBucket(id string) string         { return "sqs/q/" + id + "/dedup" }
func seqBucket(id string) string           { return "sqs/q/" + id + "/seq" }
func seqKey(seq uint64) string             { return store.SeqKey(seq) }
func parseSeqKey(k string) (uint64, error) { return strconv.ParseUint(k, 10, 64) }

// queueRecord is a queue as stored.
type queueRecord struct {
	ID         string            `json:"id"`
	Account    string            `json:"account"`
	Name       string            `json:"name"`
	FIFO       bool              `json:"fifo"`
	Attributes map[string]string `json:"attributes"`
	Tags       map[string]string `json:"tags,omitempty"`
	Created    int64             `json:"created"`  // epoch seconds
	Modified   int64             `json:"modified"` // epoch seconds
	LastPurge  int64             `json:"lastPurge,omitempty"`
}

// msgMeta is a message as sent, without its body.
type msgMeta struct {
	ID        string                  `json:"id"`
	Sent      int64                   `json:"sent"`            // SentTimestamp, epoch ms
	Enq       int64                   `json:"enq"`             // retention counts from here, epoch ms
	Avail     int64                   `json:"avail,omitempty"` // end of a standard message's delay
	Group     string                  `json:"grp,omitempty"`
	Dedup     string                  `json:"ddp,omitempty"`
	SeqNumber string                  `json:"sqn,omitempty"`
	Attrs     MessageBodyAttributeMap `json:"attrs,omitempty"`
	Trace     string                  `json:"trace,omitempty"` // AWSTraceHeader
	Sender    string                  `json:"sender"`
	DLQSource string                  `json:"dlq,omitempty"` // DeadLetterQueueSourceArn
	MD5Body   string                  `json:"md5"`
	Size      int                     `json:"size"`
}

// msgState is a message's receive state.
type msgState struct {
	RC    int    `json:"rc"`
	Vis   int64  `json:"vis"`
	Tok   uint64 `json:"tok"`
	First int64  `json:"first,omitempty"`
	Since int64  `json:"since,omitempty"`
}

func stateOf(e *entry) msgState {
	return msgState{RC: e.rc, Vis: e.vis, Tok: e.tok, First: e.first, Since: e.since}
}

// dedupRecord is a stored FIFO deduplication id.
type dedupRecord struct {
	At        int64  `json:"at"`
	MessageID string `json:"id"`
	SeqNumber string `json:"sqn,omitempty"`
}

func putHWM(tx *store.Tx, id string, seq uint64) error {
	if data, err := tx.GetRaw(seqBucket(id), hwmKey); err == nil {
		if cur, err := strconv.ParseUint(string(data), 10, 64); err == nil && cur >= seq {
			return nil
		}
	}
	return tx.PutRaw(seqBucket(id), hwmKey, []byte(strconv.FormatUint(seq, 10)))
}

func deleteMessage(tx *store.Tx, id string, seq uint64) error {
	k := seqKey(seq)
	return errors.Join(tx.Delete(metaBucket(id), k), tx.Delete(bodyBucket(id), k), tx.Delete(stateBucket(id), k))
}

// load rebuilds every queue's index from the store. State records whose message is gone (a
// delete that raced a receive) and expired deduplication ids are removed; they are harmless but
// would accumulate.
func (s *Service) load() error {
	var recs []queueRecord
	err := s.store.View(func(tx *store.Tx) error {
		return tx.ForEach(bucketQueues, "", func(_ string, v []byte) error {
			var rec queueRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return err
			}
			recs = append(recs, rec)
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("loading SQS queues: %w", err)
	}
	now := s.nowMS()
	for _, rec := range recs {
		q := newQueue(rec, s.queueARN(rec.Account, rec.Name))
		var orphans, stale []string // state without a message; deduplication ids past five minutes
		err := s.store.View(func(tx *store.Tx) error {
			if data, err := tx.GetRaw(seqBucket(q.id), hwmKey); err == nil {
				q.nextSeq, _ = strconv.ParseUint(string(data), 10, 64)
			}
			if err := tx.ForEach(metaBucket(q.id), "", func(k string, v []byte) error {
				seq, err := parseSeqKey(k)
				if err != nil {
					return nil
				}
				meta := new(msgMeta)
				if err := json.Unmarshal(v, meta); err != nil {
					return fmt.Errorf("message %s: %w", k, err)
				}
				q.insert(&entry{seq: seq, meta: meta, vis: meta.Avail})
				q.nextSeq = max(q.nextSeq, seq)
				return nil
			}); err != nil {
				return err
			}
			if err := tx.ForEach(stateBucket(q.id), "", func(k string, v []byte) error {
				seq, _ := parseSeqKey(k)
				e := q.bySeq[seq]
				if e == nil {
					orphans = append(orphans, k)
					return nil
				}
				var st msgState
				if err := json.Unmarshal(v, &st); err != nil {
					return fmt.Errorf("message state %s: %w", k, err)
				}
				e.rc, e.vis, e.tok, e.first, e.since = st.RC, st.Vis, st.Tok, st.First, st.Since
				return nil
			}); err != nil {
				return err
			}
			return tx.ForEach(dedupBucket(q.id), "", func(k string, v []byte) error {
				var d dedupRecord
				if json.Unmarshal(v, &d) == nil && now < d.At+dedupWindow.Milliseconds() {
					q.dedup[k] = &dedupEntry{at: d.At, messageID: d.MessageID, seqNumber: d.SeqNumber}
				} else {
					stale = append(stale, k)
				}
				return nil
			})
		})
		if err != nil {
			return fmt.Errorf("loading SQS queue %s: %w", rec.Name, err)
		}
		if len(orphans) > 0 || len(stale) > 0 {
			if err := s.store.Update(func(tx *store.Tx) error {
				for _, k := range orphans {
					if err := tx.Delete(stateBucket(q.id), k); err != nil {
						return err
					}
				}
				for _, k := range stale {
					if err := tx.Delete(dedupBucket(q.id), k); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				return fmt.Errorf("cleaning SQS queue %s: %w", rec.Name, err)
			}
		}
		s.queues[queueKey(rec.Account, rec.Name)] = q
	}
	return nil
}
