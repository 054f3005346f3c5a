package dynamodb

import (
	"context"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// ListStreamsInput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_ListStreams.html
type ListStreamsInput struct {
	TableName               *string
	Limit                   *int32
	ExclusiveStartStreamArn *string
}

// Stream: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Stream.html
type Stream struct {
	StreamArn   string
	StreamLabel string
	TableName   string
}

// ListStreamsOutput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_ListStreams.html#API_streams_ListStreams_ResponseSyntax
type ListStreamsOutput struct {
	Streams                []Stream
	LastEvaluatedStreamArn *string `json:",omitempty"`
}

// ListStreams lists the streams that exist (enabled, or disabled less than 24 hours ago), by
// table and then age, optionally of one table; up to Limit (1-100, default 100).
func (s *Service) ListStreams(_ context.Context, in *ListStreamsInput) (*ListStreamsOutput, *awswire.Error) {
	var v validation
	v.optionalTableName(in.TableName, "tableName")
	v.intRange(in.Limit, "limit", 1, 100)
	v.streamARN(in.ExclusiveStartStreamArn, "exclusiveStartStreamArn", false)
	if e := v.err(); e != nil {
		return nil, e
	}
	limit := 100
	if in.Limit != nil {
		limit = int(*in.Limit)
	}
	out := &ListStreamsOutput{Streams: []Stream{}}
	e := s.view(func(tx *store.Tx) *awswire.Error {
		now := s.nowMS()
		more := false
		err := tx.ForEachAfter(bucketStreams, deref(in.ExclusiveStartStreamArn), func(arn string, value []byte) error {
			st, err := liveStream(tx, arn, now)
			if err != nil || st == nil || (in.TableName != nil && st.TableName != *in.TableName) {
				return err
			}
			if len(out.Streams) == limit {
				more = true
				return store.ErrStop
			}
			out.Streams = append(out.Streams, Stream{StreamArn: st.ARN, StreamLabel: st.Label, TableName: st.TableName})
			return nil
		})
		if err != nil {
			return errInternal(err)
		}
		if more {
			last := out.Streams[len(out.Streams)-1].StreamArn
			out.LastEvaluatedStreamArn = &last
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}

// DescribeStreamInput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_DescribeStream.html
type DescribeStreamInput struct {
	StreamArn             *string
	Limit                 *int32
	ExclusiveStartShardId *string
	ShardFilter           *ShardFilter
}

// ShardFilter: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_ShardFilter.html
type ShardFilter struct {
	Type    *string
	ShardId *string
}

// SequenceNumberRange: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_SequenceNumberRange.html
type SequenceNumberRange struct {
	StartingSequenceNumber string `json:",omitempty"`
	EndingSequenceNumber   string `json:",omitempty"`
}

// Shard: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Shard.html
type Shard struct {
	ShardId             string
	ParentShardId       string `json:",omitempty"`
	SequenceNumberRange SequenceNumberRange
}

// StreamDescription: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamDescription.html
type StreamDescription struct {
	CreationRequestDateTime awswire.Timestamp
	KeySchema               []KeySchemaElement
	LastEvaluatedShardId    *string `json:",omitempty"`
	Shards                  []Shard
	StreamArn               string
	StreamLabel             string
	StreamStatus            string
	StreamViewType          string
	TableName               string
}

// DescribeStreamOutput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_DescribeStream.html#API_streams_DescribeStream_ResponseSyntax
type DescribeStreamOutput struct {
	StreamDescription StreamDescription
}

// DescribeStream describes a stream and its shards, oldest first, without the shards whose
// records have all expired; ShardFilter CHILD_SHARDS gives the children of one shard.
func (s *Service) DescribeStream(_ context.Context, in *DescribeStreamInput) (*DescribeStreamOutput, *awswire.Error) {
	var v validation
	v.streamARN(in.StreamArn, "streamArn", true)
	v.intRange(in.Limit, "limit", 1, 100)
	v.shardID(in.ExclusiveStartShardId, "exclusiveStartShardId", false)
	if in.ShardFilter != nil {
		v.enum(in.ShardFilter.Type, "shardFilter.type", "CHILD_SHARDS")
		v.shardID(in.ShardFilter.ShardId, "shardFilter.shardId", false)
	}
	if e := v.err(); e != nil {
		return nil, e
	}
	limit := 100
	if in.Limit != nil {
		limit = int(*in.Limit)
	}
	var out DescribeStreamOutput
	e := s.view(func(tx *store.Tx) *awswire.Error {
		now := s.nowMS()
		st, err := liveStream(tx, *in.StreamArn, now)
		if err != nil {
			return errInternal(err)
		}
		if st == nil {
			return errStreamNotFound(*in.StreamArn)
		}
		d := StreamDescription{
			CreationRequestDateTime: timestamp(st.CreatedMS), KeySchema: st.KeySchema, Shards: []Shard{},
			StreamArn: st.ARN, StreamLabel: st.Label, StreamStatus: st.statusAt(now), StreamViewType: st.ViewType,
			TableName: st.TableName,
		}
		started := in.ExclusiveStartShardId == nil
		for i := range st.Shards {
			sh := &st.Shards[i]
			if !started {
				started = sh.ID == *in.ExclusiveStartShardId
				continue
			}
			if shardExpired(sh, now) {
				continue
			}
			if f := in.ShardFilter; f != nil && f.ShardId != nil && sh.Parent != *f.ShardId {
				continue
			}
			if len(d.Shards) == limit {
				last := d.Shards[len(d.Shards)-1].ShardId
				d.LastEvaluatedShardId = &last
				break
			}
			d.Shards = append(d.Shards, wireShard(sh))
		}
		out.StreamDescription = d
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &out, nil
}

func wireShard(sh *shardRec) Shard {
	w := Shard{ShardId: sh.ID, ParentShardId: sh.Parent, SequenceNumberRange: SequenceNumberRange{StartingSequenceNumber: seqString(sh.Start)}}
	if !sh.open() {
		w.SequenceNumberRange.EndingSequenceNumber = seqString(sh.End)
	}
	return w
}

// GetShardIteratorInput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html
type GetShardIteratorInput struct {
	StreamArn         *string
	ShardId           *string
	ShardIteratorType *string
	SequenceNumber    *string
	Timestamp         *awswire.Timestamp
}

// GetShardIteratorOutput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html#API_streams_GetShardIterator_ResponseSyntax
type GetShardIteratorOutput struct {
	ShardIterator *string `json:",omitempty"`
}

// GetShardIterator returns an iterator at TRIM_HORIZON (the oldest unexpired record), LATEST
// (after the newest), AT_ or AFTER_SEQUENCE_NUMBER, or AT_TIMESTAMP. A sequence number behind
// the trim horizon answers TrimmedDataAccessException.
func (s *Service) GetShardIterator(_ context.Context, in *GetShardIteratorInput) (*GetShardIteratorOutput, *awswire.Error) {
	var v validation
	v.streamARN(in.StreamArn, "streamArn", true)
	v.shardID(in.ShardId, "shardId", true)
	if in.ShardIteratorType == nil {
		v.fail(nil, "shardIteratorType", constraintNotNull)
	}
	v.enum(in.ShardIteratorType, "shardIteratorType", "TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", "AT_TIMESTAMP")
	if in.SequenceNumber != nil && (len(*in.SequenceNumber) < 21 || len(*in.SequenceNumber) > 40) {
		v.fail(in.SequenceNumber, "sequenceNumber", "Member must have length greater than or equal to 21, Member must have length less than or equal to 40")
	}
	if e := v.err(); e != nil {
		return nil, e
	}
	kind := *in.ShardIteratorType
	var seq uint64
	switch kind {
	case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER":
		if in.SequenceNumber == nil {
			// ours
			return nil, errValidation("A SequenceNumber is required for ShardIteratorType %s", kind)
		}
		n, ok := parseSeq(*in.SequenceNumber)
		if !ok {
			return nil, errValidation("Invalid SequenceNumber: %s", *in.SequenceNumber) // ours
		}
		seq = n
	case "AT_TIMESTAMP":
		if in.Timestamp == nil {
			return nil, errValidation("A Timestamp is required for ShardIteratorType AT_TIMESTAMP") // ours
		}
	}
	var it string
	e := s.view(func(tx *store.Tx) *awswire.Error {
		now := s.nowMS()
		st, err := liveStream(tx, *in.StreamArn, now)
		if err != nil {
			return errInternal(err)
		}
		if st == nil {
			return errStreamNotFound(*in.StreamArn)
		}
		sh := liveShard(st, *in.ShardId, now)
		if sh == nil {
			return errShardNotFound(*in.ShardId, *in.StreamArn)
		}
		var pos uint64
		switch kind {
		case "TRIM_HORIZON":
			if pos, err = trimHorizon(tx, st, sh, now); err != nil {
				return errInternal(err)
			}
		case "LATEST":
			pos = latest(sh)
		case "AT_TIMESTAMP":
			if pos, err = atTimestamp(tx, st, sh, int64(float64(*in.Timestamp)*1000), now); err != nil {
				return errInternal(err)
			}
		default:
			upper := sh.End
			if sh.open() {
				if upper, err = currentSeq(tx); err != nil {
					return errInternal(err)
				}
			}
			if seq < sh.Start || seq > upper {
				// ours: AWS's text for a sequence number outside the shard was not found.
				return errValidation("Invalid SequenceNumber %s for ShardId %s", *in.SequenceNumber, sh.ID)
			}
			gone, err := recordExpired(tx, st, seq, now)
			if err != nil {
				return errInternal(err)
			}
			if seq <= sh.Trimmed || gone {
				return errTrimmed()
			}
			pos = seq - 1
			if kind == "AFTER_SEQUENCE_NUMBER" {
				pos = seq
			}
		}
		it = s.encodeIterator(iteratorState{Stream: st.ARN, Shard: sh.ID, Pos: pos, CreatedMS: now})
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &GetShardIteratorOutput{ShardIterator: &it}, nil
}

// GetRecordsInput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html
type GetRecordsInput struct {
	ShardIterator *string
	Limit         *int32
}

// GetRecordsOutput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html#API_streams_GetRecords_ResponseSyntax
type GetRecordsOutput struct {
	Records           []StreamRecord
	NextShardIterator *string `json:",omitempty"`
}

// maxGetRecords: "GetRecords can retrieve a maximum of 1 MB of data or 1000 stream records"
// (GetRecords reference).
const maxGetRecords = 1000

// GetRecords reads the records after an iterator's position. NextShardIterator is absent once a
// closed shard has been read to its end.
func (s *Service) GetRecords(_ context.Context, in *GetRecordsInput) (*GetRecordsOutput, *awswire.Error) {
	var v validation
	if in.ShardIterator == nil {
		v.fail(nil, "shardIterator", constraintNotNull)
	} else if len(*in.ShardIterator) < 1 || len(*in.ShardIterator) > 2048 {
		v.fail("...", "shardIterator", "Member must have length less than or equal to 2048")
	}
	v.intRange(in.Limit, "limit", 1, 0)
	if e := v.err(); e != nil {
		return nil, e
	}
	state, ok := s.decodeIterator(*in.ShardIterator)
	if !ok {
		return nil, errInvalidIterator()
	}
	limit := maxGetRecords
	if in.Limit != nil && int(*in.Limit) < limit {
		limit = int(*in.Limit)
	}
	out := &GetRecordsOutput{Records: []StreamRecord{}}
	e := s.view(func(tx *store.Tx) *awswire.Error {
		now := s.nowMS()
		if now-state.CreatedMS > iteratorLifetime.Milliseconds() {
			return errExpiredIterator()
		}
		st, err := liveStream(tx, state.Stream, now)
		if err != nil {
			return errInternal(err)
		}
		if st == nil {
			return errStreamNotFound(state.Stream)
		}
		sh := liveShard(st, state.Shard, now)
		if sh == nil {
			return errTrimmed()
		}
		res, err := s.readShard(tx, st, sh, state.Pos, limit, now, false)
		if err != nil {
			return errInternal(err)
		}
		if res.trimmed {
			return errTrimmed()
		}
		out.Records = append(out.Records, res.records...)
		if !sh.open() && !res.more {
			return nil // a closed shard read to its end
		}
		next := s.encodeIterator(iteratorState{Stream: st.ARN, Shard: sh.ID, Pos: res.last, CreatedMS: now})
		out.NextShardIterator = &next
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}

// streamARN validates a stream ARN member (length 37-1024).
func (v *validation) streamARN(arn *string, member string, required bool) {
	switch {
	case arn == nil:
		if required {
			v.fail(nil, member, constraintNotNull)
		}
	case len(*arn) < 37:
		v.fail(arn, member, constraintMinLen(37))
	case len(*arn) > 1024:
		v.fail(arn, member, constraintMaxLen(1024))
	case !strings.HasPrefix(*arn, "arn:"):
		v.fail(arn, member, "Member must satisfy regular expression pattern: arn:.*")
	}
}

// shardID validates a shard ID member (length 28-65).
func (v *validation) shardID(id *string, member string, required bool) {
	switch {
	case id == nil:
		if required {
			v.fail(nil, member, constraintNotNull)
		}
	case len(*id) < 28:
		v.fail(id, member, constraintMinLen(28))
	case len(*id) > 65:
		v.fail(id, member, constraintMaxLen(65))
	}
}
