package dynamodb

import (
	"encoding/json"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// The read side of DynamoDB Streams, shared by GetRecords and the internal API of the
// event-source-mapping poller.

// StreamRecord is one stream record in the shape of GetRecords' Record, which is also the shape
// of a record in the event Lambda receives from a DynamoDB stream (with EventSourceARN, which
// only the internal API fills in).
type StreamRecord struct {
	AWSRegion      string           `json:"awsRegion"`
	Dynamodb       StreamRecordData `json:"dynamodb"`
	EventID        string           `json:"eventID"`
	EventName      string           `json:"eventName"`
	EventSource    string           `json:"eventSource"`
	EventVersion   string           `json:"eventVersion"`
	EventSourceARN string           `json:"eventSourceARN,omitempty"`
}

// StreamRecordData is the dynamodb member of a record (StreamRecord in AWS's model:
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamRecord.html).
type StreamRecordData struct {
	// ApproximateCreationDateTime is in epoch seconds, "rounded down to the closest second".
	ApproximateCreationDateTime awswire.Timestamp
	Keys                        Item
	NewImage                    Item `json:",omitempty"`
	OldImage                    Item `json:",omitempty"`
	SequenceNumber              string
	SizeBytes                   int64
	StreamViewType              string
}

// CreatedAt is when the record was written (to the millisecond, unlike the rounded wire field).
func (r *StreamRecord) CreatedAt() time.Time {
	return time.UnixMilli(int64(float64(r.Dynamodb.ApproximateCreationDateTime) * 1000))
}

func (s *Service) wireRecord(st *streamRec, seq uint64, rec *recordRec) StreamRecord {
	return StreamRecord{
		AWSRegion: s.cfg.Region, EventID: rec.EventID, EventName: rec.EventName,
		EventSource: "aws:dynamodb", EventVersion: "1.1",
		Dynamodb: StreamRecordData{
			ApproximateCreationDateTime: awswire.Timestamp(rec.CreatedMS / 1000),
			Keys:                        rec.Keys, NewImage: rec.NewImage, OldImage: rec.OldImage,
			SequenceNumber: seqString(seq), SizeBytes: rec.SizeBytes, StreamViewType: st.ViewType,
		},
	}
}

func expired(rec *recordRec, nowMS int64) bool {
	return nowMS >= rec.CreatedMS+retention.Milliseconds()
}

// readResult is what one read of a shard found.
type readResult struct {
	records []StreamRecord
	last    uint64 // the position after the read: the last record returned (or skipped)
	trimmed bool   // the position is behind the trim horizon
	more    bool   // the read stopped at its limit, not at the end of what the shard holds
}

// readShard reads up to limit records (and at most maxPageBytes) of a shard after position pos.
// A position behind the trim horizon is trimmed, unless skipExpired (the poller's choice: it
// loses those records silently, as a real poller whose checkpoint fell behind does).
func (s *Service) readShard(tx *store.Tx, st *streamRec, sh *shardRec, pos uint64, limit int, nowMS int64, skipExpired bool) (readResult, error) {
	res := readResult{last: pos}
	if pos < sh.Trimmed {
		if !skipExpired {
			res.trimmed = true
			return res, nil
		}
		pos, res.last = sh.Trimmed, sh.Trimmed
	}
	if pos < sh.Start-1 {
		pos = sh.Start - 1
	}
	bytes := 0
	first := true
	err := tx.ForEachAfter(recordsBucket(st.ID), seqString(pos), func(k string, value []byte) error {
		n, ok := parseSeq(k)
		if !ok || (sh.End != 0 && n > sh.End) {
			return store.ErrStop
		}
		var rec recordRec
		if err := json.Unmarshal(value, &rec); err != nil {
			return err
		}
		if expired(&rec, nowMS) {
			if !skipExpired && first {
				res.trimmed = true
				return store.ErrStop
			}
			res.last = n
			return nil
		}
		first = false
		res.records = append(res.records, s.wireRecord(st, n, &rec))
		res.last = n
		bytes += int(rec.SizeBytes)
		if len(res.records) >= limit || bytes >= maxPageBytes {
			res.more = true
			return store.ErrStop
		}
		return nil
	})
	return res, err
}

// trimHorizon is the position before the shard's oldest unexpired record.
func trimHorizon(tx *store.Tx, st *streamRec, sh *shardRec, nowMS int64) (uint64, error) {
	pos := max(sh.Start-1, sh.Trimmed)
	err := tx.ForEachAfter(recordsBucket(st.ID), seqString(pos), func(k string, value []byte) error {
		n, ok := parseSeq(k)
		if !ok || (sh.End != 0 && n > sh.End) {
			return store.ErrStop
		}
		var rec recordRec
		if err := json.Unmarshal(value, &rec); err != nil {
			return err
		}
		if !expired(&rec, nowMS) {
			return store.ErrStop
		}
		pos = n
		return nil
	})
	return pos, err
}

// latest is the position after the shard's newest record.
func latest(sh *shardRec) uint64 {
	switch {
	case !sh.open():
		return sh.End
	case sh.Last != 0:
		return sh.Last
	}
	return sh.Start - 1
}

// atTimestamp is the position before the shard's first record written at or after atMS.
func atTimestamp(tx *store.Tx, st *streamRec, sh *shardRec, atMS, nowMS int64) (uint64, error) {
	pos := latest(sh)
	start := max(sh.Start-1, sh.Trimmed)
	err := tx.ForEachAfter(recordsBucket(st.ID), seqString(start), func(k string, value []byte) error {
		n, ok := parseSeq(k)
		if !ok || (sh.End != 0 && n > sh.End) {
			return store.ErrStop
		}
		var rec recordRec
		if err := json.Unmarshal(value, &rec); err != nil {
			return err
		}
		if rec.CreatedMS >= atMS && !expired(&rec, nowMS) {
			pos = n - 1
			return store.ErrStop
		}
		return nil
	})
	return pos, err
}

// recordExpired reports whether the record with counter n of a stream is gone or past retention.
func recordExpired(tx *store.Tx, st *streamRec, n uint64, nowMS int64) (bool, error) {
	var rec recordRec
	err := tx.Get(recordsBucket(st.ID), seqString(n), &rec)
	if err == store.ErrNotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return expired(&rec, nowMS), nil
}

// liveStream finds a stream that exists at nowMS.
func liveStream(tx *store.Tx, arn string, nowMS int64) (*streamRec, error) {
	st, err := getStream(tx, arn)
	if err != nil || st == nil || st.statusAt(nowMS) == "" {
		return nil, err
	}
	return st, nil
}

// liveShard finds a shard of st that has not expired.
func liveShard(st *streamRec, id string, nowMS int64) *shardRec {
	sh := st.shard(id)
	if sh == nil || shardExpired(sh, nowMS) {
		return nil
	}
	return sh
}
