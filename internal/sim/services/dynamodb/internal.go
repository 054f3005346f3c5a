package dynamodb

import (
	"errors"
	"fmt"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// The in-process API of the event-source-mapping poller (internal/sim/esm). It reads the same
// committed state as GetRecords, without iterators (no expiry): the poller keeps its own
// checkpoint, the sequence number of the last record it processed in a shard, and asks for what
// follows it. See doc.go for how a poller walks a stream's shards.

var (
	// ErrStreamNotFound: no stream has that ARN (or it was disabled more than 24 hours ago).
	ErrStreamNotFound = errors.New("dynamodb: stream not found")
	// ErrShardNotFound: the stream has no such shard (or its records have all expired).
	ErrShardNotFound = errors.New("dynamodb: shard not found")
	// ErrBadSequenceNumber: the checkpoint is not a sequence number of that shard.
	ErrBadSequenceNumber = errors.New("dynamodb: not a sequence number of this shard")
)

// StreamInfo describes a stream for the poller.
type StreamInfo struct {
	StreamARN      string
	StreamLabel    string
	TableName      string
	StreamViewType string
	// Status is ENABLING, ENABLED, DISABLING or DISABLED; a disabled stream stays readable.
	Status    string
	CreatedAt time.Time
}

// StreamShard is one shard with its lineage. A closed shard has Closed set and an
// EndingSequenceNumber; its child names it as ParentShardID.
type StreamShard struct {
	ShardID                string
	ParentShardID          string
	StartingSequenceNumber string
	EndingSequenceNumber   string
	Closed                 bool
	CreatedAt              time.Time
	ClosedAt               time.Time
}

// DescribeStreamInternal describes the stream with that ARN.
func (s *Service) DescribeStreamInternal(streamARN string) (StreamInfo, error) {
	var out StreamInfo
	err := s.internalStream(streamARN, func(tx *store.Tx, st *streamRec, now int64) error {
		out = StreamInfo{StreamARN: st.ARN, StreamLabel: st.Label, TableName: st.TableName, StreamViewType: st.ViewType,
			Status: st.statusAt(now), CreatedAt: time.UnixMilli(st.CreatedMS)}
		return nil
	})
	return out, err
}

// LatestStreamARNInternal is the ARN of a table's latest stream ("" if it never had one), as
// DescribeTable's LatestStreamArn; enabled reports whether that stream captures writes.
func (s *Service) LatestStreamARNInternal(tableName string) (arn string, enabled bool, err error) {
	err = s.store.View(func(tx *store.Tx) error {
		t, err := getTable(tx, tableName, s.nowMS())
		if err != nil || t == nil {
			return err
		}
		arn, enabled = t.LatestStreamARN, t.StreamEnabled
		return nil
	})
	return arn, enabled, err
}

// StreamShardsInternal lists the stream's shards that have not expired, oldest first, with
// their lineage.
func (s *Service) StreamShardsInternal(streamARN string) ([]StreamShard, error) {
	var out []StreamShard
	err := s.internalStream(streamARN, func(tx *store.Tx, st *streamRec, now int64) error {
		for i := range st.Shards {
			sh := &st.Shards[i]
			if shardExpired(sh, now) {
				continue
			}
			w := wireShard(sh)
			info := StreamShard{ShardID: sh.ID, ParentShardID: sh.Parent, StartingSequenceNumber: w.SequenceNumberRange.StartingSequenceNumber,
				EndingSequenceNumber: w.SequenceNumberRange.EndingSequenceNumber, Closed: !sh.open(), CreatedAt: time.UnixMilli(sh.CreatedMS)}
			if info.Closed {
				info.ClosedAt = time.UnixMilli(sh.ClosedMS)
			}
			out = append(out, info)
		}
		return nil
	})
	return out, err
}

// ReadStreamInternal returns up to max records (at most 1,000) of the shard that follow afterSeq
// ("" means from the oldest unexpired record), in sequence order, in the shape Lambda's event
// carries them (EventSourceARN set). Records that expired are skipped silently, as a real poller
// whose checkpoint fell behind the 24-hour retention loses them. A closed shard is finished once
// ReadStreamInternal returns nothing after its EndingSequenceNumber.
func (s *Service) ReadStreamInternal(streamARN, shardID, afterSeq string, max int) ([]StreamRecord, error) {
	var out []StreamRecord
	err := s.internalStream(streamARN, func(tx *store.Tx, st *streamRec, now int64) error {
		sh := liveShard(st, shardID, now)
		if sh == nil {
			return fmt.Errorf("%w: %s", ErrShardNotFound, shardID)
		}
		pos, err := internalPosition(sh, afterSeq)
		if err != nil {
			return err
		}
		if max <= 0 || max > maxGetRecords {
			max = maxGetRecords
		}
		res, err := s.readShard(tx, st, sh, pos, max, now, true)
		if err != nil {
			return err
		}
		out = res.records
		for i := range out {
			out[i].EventSourceARN = st.ARN
		}
		return nil
	})
	return out, err
}

// PositionInternal turns an event source mapping's StartingPosition into a checkpoint for
// ReadStreamInternal: "TRIM_HORIZON" gives "" (everything unexpired), "LATEST" the sequence
// number of the shard's newest record (so only later ones are read; "" if it has none).
func (s *Service) PositionInternal(streamARN, shardID, startingPosition string) (string, error) {
	var out string
	err := s.internalStream(streamARN, func(tx *store.Tx, st *streamRec, now int64) error {
		sh := liveShard(st, shardID, now)
		if sh == nil {
			return fmt.Errorf("%w: %s", ErrShardNotFound, shardID)
		}
		switch startingPosition {
		case "TRIM_HORIZON":
		case "LATEST":
			out = seqString(latest(sh))
		default:
			return fmt.Errorf("dynamodb: unknown starting position %q", startingPosition)
		}
		return nil
	})
	return out, err
}

// CompareSequenceNumbers orders two sequence numbers of this service: -1, 0 or +1.
func CompareSequenceNumbers(a, b string) int {
	na, _ := parseSeq(a)
	nb, _ := parseSeq(b)
	switch {
	case na < nb:
		return -1
	case na > nb:
		return 1
	}
	return 0
}

func internalPosition(sh *shardRec, afterSeq string) (uint64, error) {
	if afterSeq == "" {
		return sh.Start - 1, nil
	}
	n, ok := parseSeq(afterSeq)
	if !ok || n+1 < sh.Start || (!sh.open() && n > sh.End) {
		return 0, fmt.Errorf("%w: %s in %s", ErrBadSequenceNumber, afterSeq, sh.ID)
	}
	return n, nil
}

func (s *Service) internalStream(streamARN string, fn func(tx *store.Tx, st *streamRec, now int64) error) error {
	return s.store.View(func(tx *store.Tx) error {
		now := s.nowMS()
		st, err := liveStream(tx, streamARN, now)
		if err != nil {
			return err
		}
		if st == nil {
			return fmt.Errorf("%w: %s", ErrStreamNotFound, streamARN)
		}
		return fn(tx, st, now)
	})
}
