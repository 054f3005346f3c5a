package kinesis

import (
	"errors"
	"fmt"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// The in-process API of the event-source-mapping poller (internal/sim/esm). It reads the same
// committed state as GetRecords, without iterators (no expiry, no throughput limits): the
// poller keeps its own checkpoint, the sequence number of the last record it processed, and asks
// for what follows it. See doc.go for how a poller walks a stream's shards.

var (
	// ErrStreamNotFound: no stream has that ARN (or it is being deleted).
	ErrStreamNotFound = errors.New("kinesis: stream not found")
	// ErrShardNotFound: the stream has no such shard (or its records have all expired).
	ErrShardNotFound = errors.New("kinesis: shard not found")
	// ErrBadSequenceNumber: the checkpoint is not a sequence number of that shard.
	ErrBadSequenceNumber = errors.New("kinesis: not a sequence number of this shard")
	// ErrStreamNotReady: the stream is still CREATING.
	ErrStreamNotReady = errors.New("kinesis: stream is not ACTIVE yet")
)

// StreamInfo describes a stream for the poller.
type StreamInfo struct {
	StreamName     string
	StreamARN      string
	Status         string // CREATING, ACTIVE, UPDATING (DELETING streams are ErrStreamNotFound)
	RetentionHours int
	CreatedAt      time.Time
}

// StreamShard is one shard with its lineage. A closed shard has an EndingSequenceNumber (its
// last record's) and Closed set; its children name it as ParentShardID or AdjacentParentShardID.
type StreamShard struct {
	ShardID                string
	ParentShardID          string
	AdjacentParentShardID  string
	StartingHashKey        string
	EndingHashKey          string
	StartingSequenceNumber string
	EndingSequenceNumber   string
	Closed                 bool
	CreatedAt              time.Time
	ClosedAt               time.Time
}

// StreamRecord is one record as a Kinesis event carries it (ApproximateArrivalTimestamp has
// millisecond precision).
type StreamRecord struct {
	SequenceNumber              string
	PartitionKey                string
	Data                        []byte
	ApproximateArrivalTimestamp time.Time
}

// DescribeInternal describes the stream with that ARN.
func (s *Service) DescribeInternal(streamARN string) (StreamInfo, error) {
	var out StreamInfo
	err := s.internalStream(streamARN, false, func(st *stream) error {
		out = StreamInfo{StreamName: st.rec.Name, StreamARN: s.streamARN(st.rec.Name), Status: st.rec.Status,
			RetentionHours: st.rec.RetentionHours, CreatedAt: time.UnixMilli(st.rec.CreatedMS)}
		return nil
	})
	return out, err
}

// ListShardsInternal lists the stream's unexpired shards, open and closed, oldest first.
func (s *Service) ListShardsInternal(streamARN string) ([]StreamShard, error) {
	var out []StreamShard
	err := s.internalStream(streamARN, true, func(st *stream) error {
		nowMS := s.nowMS()
		for _, sh := range st.shards {
			if st.expired(sh, nowMS) {
				continue
			}
			info := StreamShard{
				ShardID: sh.id, ParentShardID: sh.rec.Parent, AdjacentParentShardID: sh.rec.AdjacentParent,
				StartingHashKey: sh.rec.StartHash, EndingHashKey: sh.rec.EndHash,
				StartingSequenceNumber: sh.startSeq(), EndingSequenceNumber: sh.rec.EndSeq,
				Closed: !sh.open(), CreatedAt: time.UnixMilli(sh.rec.CreatedMS),
			}
			if info.Closed {
				info.ClosedAt = time.UnixMilli(sh.rec.ClosedMS)
			}
			out = append(out, info)
		}
		return nil
	})
	return out, err
}

// ReadInternal returns up to limit records of the shard that follow afterSeq ("" means from the
// oldest unexpired record), in sequence order. Records that expired are skipped silently, as a
// real poller whose checkpoint fell behind the retention period loses them. A closed shard is
// finished once ReadInternal returns nothing after its EndingSequenceNumber (or after a
// checkpoint equal to it).
func (s *Service) ReadInternal(streamARN, shardID, afterSeq string, limit int) ([]StreamRecord, error) {
	var view shardView
	err := s.internalStream(streamARN, true, func(st *stream) error {
		sh := st.shardByID(shardID)
		if sh == nil || st.expired(sh, s.nowMS()) {
			return fmt.Errorf("%w: %s", ErrShardNotFound, shardID)
		}
		view = viewOf(st, sh)
		return nil
	})
	if err != nil {
		return nil, err
	}
	pos := uint64(0)
	if afterSeq != "" {
		p, err := parseSeq(afterSeq)
		if err != nil || p.shardIndex != view.index || p.shardCreated != view.createdMS/1000 {
			return nil, fmt.Errorf("%w: %s in %s", ErrBadSequenceNumber, afterSeq, shardID)
		}
		pos = p.counter + 1
	}
	if limit <= 0 || limit > maxGetRecords {
		limit = maxGetRecords
	}
	res, err := s.read(view, pos, limit, s.nowMS())
	if err != nil {
		return nil, err
	}
	out := make([]StreamRecord, len(res.records))
	for i, r := range res.records {
		out[i] = StreamRecord{SequenceNumber: r.Seq, PartitionKey: r.PartitionKey, Data: r.Data, ApproximateArrivalTimestamp: time.UnixMilli(r.ArrivalMS)}
	}
	return out, nil
}

// PositionInternal turns an event source mapping's StartingPosition into a checkpoint for
// ReadInternal: "TRIM_HORIZON" gives "" (everything unexpired), "LATEST" the shard's newest
// record (so only later ones are read), "AT_TIMESTAMP" the point just before the first record
// that arrived at or after at.
func (s *Service) PositionInternal(streamARN, shardID, startingPosition string, at time.Time) (string, error) {
	var view shardView
	err := s.internalStream(streamARN, true, func(st *stream) error {
		sh := st.shardByID(shardID)
		if sh == nil || st.expired(sh, s.nowMS()) {
			return fmt.Errorf("%w: %s", ErrShardNotFound, shardID)
		}
		view = viewOf(st, sh)
		return nil
	})
	if err != nil {
		return "", err
	}
	var pos uint64
	switch startingPosition {
	case "TRIM_HORIZON":
		return "", nil
	case "LATEST":
		pos = view.last + 1
	case "AT_TIMESTAMP":
		if pos, err = s.firstAt(view, at.UnixMilli(), s.nowMS()); err != nil {
			return "", err
		}
	default:
		return "", fmt.Errorf("kinesis: unknown starting position %q", startingPosition)
	}
	// The checkpoint is "just before pos": counter pos-1, which is the shard's starting sequence
	// number when pos is 1.
	return seqParts{shardCreated: view.createdMS / 1000, shardIndex: view.index, counter: pos - 1, recordTime: view.createdMS / 1000}.String(), nil
}

// CheckpointBefore is the checkpoint from which ReadInternal returns the record with sequence
// number seq itself, and what follows it: how a poller retries from a record (Lambda's
// ReportBatchItemFailures checkpoints at the lowest failed sequence number and starts again there).
func CheckpointBefore(seq string) (string, error) {
	p, err := parseSeq(seq)
	if err != nil {
		return "", fmt.Errorf("%w: %s", ErrBadSequenceNumber, seq)
	}
	if p.counter == 0 {
		return "", nil // the shard's start: read from the beginning
	}
	p.counter--
	return p.String(), nil
}

// internalStream finds a stream by ARN for the internal API; needShards rejects CREATING.
func (s *Service) internalStream(streamARN string, needShards bool, fn func(st *stream) error) error {
	name, e := s.resolveStream(nil, &streamARN)
	if e != nil {
		return fmt.Errorf("%w: %s", ErrStreamNotFound, streamARN)
	}
	var err error
	e = s.withStream(name, func(st *stream) *awswire.Error {
		switch {
		case st.rec.Status == statusDeleting:
			err = fmt.Errorf("%w: %s", ErrStreamNotFound, streamARN)
		case needShards && st.rec.Status == statusCreating:
			err = fmt.Errorf("%w: %s", ErrStreamNotReady, streamARN)
		default:
			err = fn(st)
		}
		return nil
	})
	if e != nil {
		return fmt.Errorf("%w: %s", ErrStreamNotFound, streamARN)
	}
	return err
}
