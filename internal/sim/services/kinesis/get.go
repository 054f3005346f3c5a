package kinesis

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Reading records: GetShardIterator turns a starting position into an iterator, GetRecords
// reads from an iterator and returns the next one. Both read the committed store; the only
// in-memory facts they need (the shard's last counter, whether it is closed, its children) are
// copied under the read lock into a shardView first.

const (
	maxGetRecords      = 10000
	maxGetRecordsBytes = 10 << 20 // GetRecords returns up to 10 MiB (GetRecords reference)
)

// shardView is what a read needs to know about a shard, copied out of the in-memory state.
type shardView struct {
	stream      string
	incarnation uint64
	id          string
	index       int
	createdMS   int64
	bucket      string
	last        uint64
	closed      bool
	retentionMS int64
	children    []ChildShard
}

func viewOf(st *stream, sh *shard) shardView {
	v := shardView{
		stream: st.rec.Name, incarnation: st.rec.Incarnation, id: sh.id, index: sh.rec.Index,
		createdMS: sh.rec.CreatedMS, bucket: sh.recordsBucket(st.rec.Incarnation), last: sh.last,
		closed: !sh.open(), retentionMS: st.retention().Milliseconds(),
	}
	if v.closed {
		v.children = []ChildShard{}
		for _, c := range st.children(sh) {
			parents := []string{c.rec.Parent}
			if c.rec.AdjacentParent != "" {
				parents = append(parents, c.rec.AdjacentParent)
			}
			v.children = append(v.children, ChildShard{ShardID: c.id, ParentShards: parents,
				HashKeyRange: HashKeyRange{StartingHashKey: c.rec.StartHash, EndingHashKey: c.rec.EndHash}})
		}
	}
	return v
}

// readResult is a page of a shard.
type readResult struct {
	records []recordRec
	next    uint64 // the counter to read from next
	behind  int64  // ms between now and the first record not returned; 0 when caught up
}

// read returns up to limit unexpired records whose counter is at least pos.
func (s *Service) read(v shardView, pos uint64, limit int, nowMS int64) (readResult, error) {
	res := readResult{next: pos}
	cutoff := nowMS - v.retentionMS
	size := 0
	fn := func(key string, value []byte) error {
		counter, err := strconv.ParseUint(key, 10, 64)
		if err != nil {
			return err
		}
		var r recordRec
		if err := json.Unmarshal(value, &r); err != nil {
			return err
		}
		if r.ArrivalMS < cutoff { // expired: trimmed for every reader, even if still stored
			res.next = counter + 1
			return nil
		}
		if len(res.records) == limit || (len(res.records) > 0 && size+len(r.Data) > maxGetRecordsBytes) {
			res.behind = max(0, nowMS-r.ArrivalMS)
			return store.ErrStop
		}
		size += len(r.Data)
		res.records = append(res.records, r)
		res.next = counter + 1
		return nil
	}
	err := s.store.View(func(tx *store.Tx) error {
		if pos == 0 {
			return tx.ForEach(v.bucket, "", fn)
		}
		return tx.ForEachAfter(v.bucket, store.SeqKey(pos-1), fn)
	})
	return res, err
}

// firstAt is the counter of the first unexpired record that arrived at or after atMS, or the
// counter after the shard's last record if none did.
func (s *Service) firstAt(v shardView, atMS, nowMS int64) (uint64, error) {
	pos := v.last + 1
	cutoff := nowMS - v.retentionMS
	err := s.store.View(func(tx *store.Tx) error {
		return tx.ForEach(v.bucket, "", func(key string, value []byte) error {
			var r struct {
				ArrivalMS int64 `json:"t"`
			}
			if err := json.Unmarshal(value, &r); err != nil {
				return err
			}
			if r.ArrivalMS < atMS || r.ArrivalMS < cutoff {
				return nil
			}
			counter, err := strconv.ParseUint(key, 10, 64)
			pos = counter
			if err != nil {
				return err
			}
			return store.ErrStop
		})
	})
	return pos, err
}

// GetShardIteratorInput is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetShardIterator.html
type GetShardIteratorInput struct {
	StreamName             *string            `json:"StreamName"`
	StreamARN              *string            `json:"StreamARN"`
	ShardID                *string            `json:"ShardId"`
	ShardIteratorType      *string            `json:"ShardIteratorType"`
	StartingSequenceNumber *string            `json:"StartingSequenceNumber"`
	Timestamp              *awswire.Timestamp `json:"Timestamp"`
}

// GetShardIteratorOutput is the answer of GetShardIterator.
type GetShardIteratorOutput struct {
	ShardIterator string `json:"ShardIterator"`
}

var iteratorTypes = []string{"AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", "TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"}

// GetShardIterator hands out an iterator: TRIM_HORIZON (the oldest unexpired record), LATEST
// (just after the newest; for a closed shard, its end), AT_ or AFTER_SEQUENCE_NUMBER, or
// AT_TIMESTAMP (the first record that arrived at or after Timestamp).
func (s *Service) GetShardIterator(_ context.Context, in *GetShardIteratorInput) (*GetShardIteratorOutput, *awswire.Error) {
	var v validation
	v.streamRef(in.StreamName, in.StreamARN)
	if v.required(in.ShardID != nil, "shardId") {
		v.name(in.ShardID, "shardId")
	}
	if v.required(in.ShardIteratorType != nil, "shardIteratorType") && !contains(iteratorTypes, *in.ShardIteratorType) {
		v.fail(in.ShardIteratorType, "shardIteratorType", constraintEnum(iteratorTypes...))
	}
	if in.StartingSequenceNumber != nil && !seqNumberRE.MatchString(*in.StartingSequenceNumber) {
		v.fail(in.StartingSequenceNumber, "startingSequenceNumber", constraintPattern(patternSeq))
	}
	if e := v.err(); e != nil {
		return nil, e
	}
	name, e := s.resolveStream(in.StreamName, in.StreamARN)
	if e != nil {
		return nil, e
	}
	kind, shardArg := *in.ShardIteratorType, *in.ShardID
	var view shardView
	e = s.withStream(name, func(st *stream) *awswire.Error {
		sh := st.shardByID(shardArg)
		if sh == nil || st.expired(sh, s.nowMS()) {
			return errShardDoesNotExist(shardArg, name, s.cfg.AccountID)
		}
		view = viewOf(st, sh)
		return nil
	})
	if e != nil {
		return nil, e
	}
	pos, e := s.startPosition(view, kind, in.StartingSequenceNumber, in.Timestamp)
	if e != nil {
		return nil, e
	}
	it := shardIterator{incarnation: view.incarnation, stream: view.stream, shardIndex: view.index, position: pos, issuedMS: s.nowMS()}
	return &GetShardIteratorOutput{ShardIterator: s.encodeIterator(it)}, nil
}

// startPosition turns an iterator type and its argument into the counter to read from.
func (s *Service) startPosition(v shardView, kind string, seq *string, ts *awswire.Timestamp) (uint64, *awswire.Error) {
	bySeq := kind == "AT_SEQUENCE_NUMBER" || kind == "AFTER_SEQUENCE_NUMBER"
	switch {
	case bySeq && seq == nil:
		return 0, errInvalidArgument("Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified %s and no StartingSequenceNumber.", kind)
	case !bySeq && kind != "AT_TIMESTAMP" && seq != nil:
		return 0, errInvalidArgument("Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified %s and also a StartingSequenceNumber.", kind)
	}
	switch kind {
	case "TRIM_HORIZON":
		return 0, nil
	case "LATEST":
		return v.last + 1, nil
	case "AT_TIMESTAMP":
		nowMS := s.nowMS()
		if ts == nil {
			return 0, errInvalidArgument("Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.")
		}
		atMS := timestampMS(*ts)
		if atMS > nowMS {
			return 0, errInvalidArgument("The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. timestampInMillis: %d, currentTimestampInMillis: %d", atMS, nowMS)
		}
		pos, err := s.firstAt(v, atMS, nowMS)
		if err != nil {
			return 0, errInternal(err)
		}
		return pos, nil
	}
	p, err := parseSeq(*seq)
	switch {
	case err != nil:
		return 0, errInvalidArgument("StartingSequenceNumber %s used in GetShardIterator on shard %s in stream %s under account %s is invalid.", *seq, v.id, v.stream, s.cfg.AccountID)
	case p.shardIndex != v.index:
		return 0, errInvalidArgument("Invalid StartingSequenceNumber. It encodes %s, while it was used in a call to a shard with %s", shardID(p.shardIndex), v.id)
	case p.shardCreated != v.createdMS/1000:
		return 0, errInvalidArgument("StartingSequenceNumber %s used in GetShardIterator on shard %s in stream %s under account %s is invalid because it did not come from this stream.", *seq, v.id, v.stream, s.cfg.AccountID)
	}
	if kind == "AFTER_SEQUENCE_NUMBER" {
		return p.counter + 1, nil
	}
	return p.counter, nil
}

// GetRecordsInput is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetRecords.html
type GetRecordsInput struct {
	ShardIterator *string `json:"ShardIterator"`
	Limit         *int32  `json:"Limit"`
	StreamARN     *string `json:"StreamARN"`
}

// GetRecordsOutput is the answer of GetRecords.
type GetRecordsOutput struct {
	Records            []Record     `json:"Records"`
	NextShardIterator  *string      `json:"NextShardIterator,omitempty"`
	MillisBehindLatest int64        `json:"MillisBehindLatest"`
	ChildShards        []ChildShard `json:"ChildShards,omitempty"`
}

// GetRecords returns up to Limit records (10,000 and 10 MiB at most) from the iterator's
// position. Once a closed shard has been read to its end, NextShardIterator is null and
// ChildShards names the shards that continue it.
func (s *Service) GetRecords(_ context.Context, in *GetRecordsInput) (*GetRecordsOutput, *awswire.Error) {
	var v validation
	if v.required(in.ShardIterator != nil, "shardIterator") {
		switch n := len(*in.ShardIterator); {
		case n < 1:
			v.fail(in.ShardIterator, "shardIterator", constraintMinLen(1))
		case n > 512:
			v.fail(in.ShardIterator, "shardIterator", constraintMaxLen(512))
		}
	}
	v.intRange(in.Limit, "limit", 1, maxGetRecords)
	v.streamRef(nil, in.StreamARN)
	if e := v.err(); e != nil {
		return nil, e
	}
	it, err := s.decodeIterator(*in.ShardIterator)
	if err != nil {
		return nil, errInvalidIterator()
	}
	nowMS := s.nowMS()
	if nowMS-it.issuedMS > iteratorLifetime.Milliseconds() {
		return nil, errExpiredIterator(amzTime(it.issuedMS), amzTime(nowMS))
	}
	if in.StreamARN != nil && *in.StreamARN != s.streamARN(it.stream) {
		// ours: AWS's text for an iterator used with another stream's ARN was not found.
		return nil, errInvalidArgument("The ShardIterator does not belong to the stream %s.", *in.StreamARN)
	}
	var view shardView
	e := s.withStream(it.stream, func(st *stream) *awswire.Error {
		sh := st.shardByIndex(it.shardIndex)
		if st.rec.Incarnation != it.incarnation || sh == nil {
			return errShardDoesNotExist(shardID(it.shardIndex), it.stream, s.cfg.AccountID)
		}
		view = viewOf(st, sh)
		return nil
	})
	if e != nil {
		if e.Code == "ResourceNotFoundException" {
			e = errShardDoesNotExist(shardID(it.shardIndex), it.stream, s.cfg.AccountID)
		}
		return nil, e
	}
	if !s.throttle.allowReadCall(view.incarnation, view.index, nowMS) {
		return nil, errThroughput(view.id, view.stream, s.cfg.AccountID)
	}
	res, err := s.read(view, it.position, derefInt(in.Limit, maxGetRecords), nowMS)
	if err != nil {
		return nil, errInternal(err)
	}
	out := &GetRecordsOutput{Records: make([]Record, len(res.records)), MillisBehindLatest: res.behind}
	size := 0
	for i, r := range res.records {
		size += len(r.Data)
		out.Records[i] = Record{SequenceNumber: r.Seq, ApproximateArrivalTimestamp: timestamp(r.ArrivalMS), Data: r.Data, PartitionKey: r.PartitionKey}
	}
	s.throttle.readBytes(view.incarnation, view.index, size, nowMS)
	if view.closed && res.next > view.last {
		out.ChildShards = view.children
		return out, nil
	}
	next := s.encodeIterator(shardIterator{incarnation: view.incarnation, stream: view.stream, shardIndex: view.index, position: res.next, issuedMS: nowMS})
	out.NextShardIterator = &next
	return out, nil
}
