package kinesis

import (
	"context"
	"math/big"
	"sort"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Resharding. SplitShard, MergeShards and UpdateShardCount check their request at once, move the
// stream to UPDATING and answer; UpdateDelay later (transitions.go) the reshard happens: parents
// close, with EndingSequenceNumber set to their last record's sequence number (or to their
// starting one if they never got a record), and children open with ParentShardId (and, for a
// merge, AdjacentParentShardId). Writes go to the parents until then, as on AWS, where "read and
// write operations continue to work while the stream is in the UPDATING state".

// SplitShardInput is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_SplitShard.html
type SplitShardInput struct {
	StreamName         *string `json:"StreamName"`
	StreamARN          *string `json:"StreamARN"`
	ShardToSplit       *string `json:"ShardToSplit"`
	NewStartingHashKey *string `json:"NewStartingHashKey"`
}

// SplitShard splits an open shard in two at NewStartingHashKey.
func (s *Service) SplitShard(_ context.Context, in *SplitShardInput) (*struct{}, *awswire.Error) {
	var v validation
	v.streamRef(in.StreamName, in.StreamARN)
	if v.required(in.ShardToSplit != nil, "shardToSplit") {
		v.name(in.ShardToSplit, "shardToSplit")
	}
	if v.required(in.NewStartingHashKey != nil, "newStartingHashKey") && !hashKeyRE.MatchString(*in.NewStartingHashKey) {
		v.fail(in.NewStartingHashKey, "newStartingHashKey", constraintPattern(patternHashKey))
	}
	if e := v.err(); e != nil {
		return nil, e
	}
	name, e := s.resolveStream(in.StreamName, in.StreamARN)
	if e != nil {
		return nil, e
	}
	key, _ := parseHashKey(*in.NewStartingHashKey)
	return nil, s.reshard(name, func(st *stream) (*reshardRec, int, *awswire.Error) {
		sh := st.shardByID(*in.ShardToSplit)
		if sh == nil {
			return nil, 0, errShardNotFound(*in.ShardToSplit, name, s.cfg.AccountID)
		}
		if !sh.open() {
			return nil, 0, errInvalidArgument("Shard %s in stream %s under account %s has already been merged or split, and thus is not eligible for merging or splitting.", sh.id, name, s.cfg.AccountID)
		}
		lowest := new(big.Int).Add(sh.start, big.NewInt(1))
		if key.Cmp(lowest) <= 0 || key.Cmp(sh.end) >= 0 {
			return nil, 0, errInvalidArgument("NewStartingHashKey %s used in SplitShard() on shard %s in stream %s under account %s is not both greater than one plus the shard's StartingHashKey %s and less than the shard's EndingHashKey %s.",
				*in.NewStartingHashKey, sh.id, name, s.cfg.AccountID, sh.rec.StartHash, sh.rec.EndHash)
		}
		return &reshardRec{Kind: "split", Shard: sh.id, NewStartKey: key.String()}, 1, nil
	})
}

// MergeShardsInput is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_MergeShards.html
type MergeShardsInput struct {
	StreamName           *string `json:"StreamName"`
	StreamARN            *string `json:"StreamARN"`
	ShardToMerge         *string `json:"ShardToMerge"`
	AdjacentShardToMerge *string `json:"AdjacentShardToMerge"`
}

// MergeShards merges two open shards whose hash key ranges touch.
func (s *Service) MergeShards(_ context.Context, in *MergeShardsInput) (*struct{}, *awswire.Error) {
	var v validation
	v.streamRef(in.StreamName, in.StreamARN)
	if v.required(in.ShardToMerge != nil, "shardToMerge") {
		v.name(in.ShardToMerge, "shardToMerge")
	}
	if v.required(in.AdjacentShardToMerge != nil, "adjacentShardToMerge") {
		v.name(in.AdjacentShardToMerge, "adjacentShardToMerge")
	}
	if e := v.err(); e != nil {
		return nil, e
	}
	name, e := s.resolveStream(in.StreamName, in.StreamARN)
	if e != nil {
		return nil, e
	}
	return nil, s.reshard(name, func(st *stream) (*reshardRec, int, *awswire.Error) {
		a, b := st.shardByID(*in.ShardToMerge), st.shardByID(*in.AdjacentShardToMerge)
		switch {
		case a == nil:
			return nil, 0, errShardNotFound(*in.ShardToMerge, name, s.cfg.AccountID)
		case b == nil:
			return nil, 0, errShardNotFound(*in.AdjacentShardToMerge, name, s.cfg.AccountID)
		}
		for _, sh := range []*shard{a, b} {
			if !sh.open() {
				return nil, 0, errInvalidArgument("Shard %s in stream %s under account %s has already been merged or split, and thus is not eligible for merging or splitting.", sh.id, name, s.cfg.AccountID)
			}
		}
		if !adjacent(a, b) {
			return nil, 0, errInvalidArgument("Shards %s and %s in stream %s under account %s are not an adjacent pair of shards eligible for merging", a.id, b.id, name, s.cfg.AccountID)
		}
		return &reshardRec{Kind: "merge", Shard: a.id, Adjacent: b.id}, -1, nil
	})
}

func adjacent(a, b *shard) bool {
	one := big.NewInt(1)
	return new(big.Int).Add(a.end, one).Cmp(b.start) == 0 || new(big.Int).Add(b.end, one).Cmp(a.start) == 0
}

// UpdateShardCountInput is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateShardCount.html
type UpdateShardCountInput struct {
	StreamName       *string `json:"StreamName"`
	StreamARN        *string `json:"StreamARN"`
	TargetShardCount *int32  `json:"TargetShardCount"`
	ScalingType      *string `json:"ScalingType"`
}

// UpdateShardCountOutput is the answer of UpdateShardCount.
type UpdateShardCountOutput struct {
	StreamName        string `json:"StreamName"`
	StreamARN         string `json:"StreamARN"`
	CurrentShardCount int    `json:"CurrentShardCount"`
	TargetShardCount  int    `json:"TargetShardCount"`
}

// UpdateShardCount rescales the stream to TargetShardCount shards with uniform hash key ranges,
// within AWS's default limits: at most double, at least half, ten times per rolling 24 hours,
// 10,000 shards per stream (UpdateShardCount reference).
func (s *Service) UpdateShardCount(_ context.Context, in *UpdateShardCountInput) (*UpdateShardCountOutput, *awswire.Error) {
	var v validation
	v.streamRef(in.StreamName, in.StreamARN)
	if v.required(in.TargetShardCount != nil, "targetShardCount") {
		v.intRange(in.TargetShardCount, "targetShardCount", 1, 0)
	}
	if v.required(in.ScalingType != nil, "scalingType") && *in.ScalingType != "UNIFORM_SCALING" {
		v.fail(in.ScalingType, "scalingType", constraintEnum("UNIFORM_SCALING"))
	}
	if e := v.err(); e != nil {
		return nil, e
	}
	name, e := s.resolveStream(in.StreamName, in.StreamARN)
	if e != nil {
		return nil, e
	}
	target := int(*in.TargetShardCount)
	out := &UpdateShardCountOutput{StreamName: name, StreamARN: s.streamARN(name), TargetShardCount: target}
	return out, s.reshard(name, func(st *stream) (*reshardRec, int, *awswire.Error) {
		current := st.openShards()
		out.CurrentShardCount = current
		nowMS := s.nowMS()
		recent := 0
		for _, t := range st.rec.ScaledMS {
			if nowMS-t < 24*3600*1000 {
				recent++
			}
		}
		// ours: the limits are AWS's (UpdateShardCount reference); the texts are not.
		switch {
		case target > 2*current:
			return nil, 0, errLimitExceeded("UpdateShardCount cannot scale up over double your current open shard count. Current open shard count: %d Target shard count: %d", current, target)
		case 2*target < current:
			return nil, 0, errLimitExceeded("UpdateShardCount cannot scale down below half your current open shard count. Current open shard count: %d Target shard count: %d", current, target)
		case target > 10000:
			return nil, 0, errLimitExceeded("UpdateShardCount cannot scale up to more than 10000 shards in a stream. Target shard count: %d", target)
		case recent >= 10:
			return nil, 0, errLimitExceeded("UpdateShardCount cannot be called more than 10 times per rolling 24-hour period for stream %s under account %s.", name, s.cfg.AccountID)
		}
		return &reshardRec{Kind: "scale", Target: target}, target - current, nil
	})
}

// reshard validates a reshard against the stream (plan, in the committer) and stores it as the
// stream's pending UPDATING change; growth is the change in open shards, for the shard quota.
func (s *Service) reshard(name string, plan func(st *stream) (*reshardRec, int, *awswire.Error)) *awswire.Error {
	return s.exec(func(tx *store.Tx) (func(), *awswire.Error) {
		st := s.streams[name]
		if st == nil {
			return nil, errStreamNotFound(name, s.cfg.AccountID)
		}
		if st.rec.Mode == modeOnDemand {
			return nil, errOnDemand(name, s.cfg.AccountID)
		}
		if st.rec.Status != statusActive {
			return nil, errStreamNotActive(name, s.cfg.AccountID, st.rec.Status)
		}
		p, growth, e := plan(st)
		if e != nil {
			return nil, e
		}
		if growth > 0 {
			open := 0
			for _, other := range s.streams {
				if other.rec.Mode != modeOnDemand {
					open += other.openShards()
				}
			}
			if open+growth > s.cfg.ShardQuota {
				return nil, errShardLimit(s.cfg.AccountID, s.cfg.Region, open, s.cfg.ShardQuota, growth)
			}
		}
		nowMS := s.nowMS()
		rec := st.rec.clone()
		if p.Kind == "scale" {
			kept := rec.ScaledMS[:0]
			for _, t := range rec.ScaledMS {
				if nowMS-t < 24*3600*1000 {
					kept = append(kept, t)
				}
			}
			rec.ScaledMS = append(kept, nowMS)
		}
		if s.cfg.UpdateDelay == 0 {
			applyReshard(&rec, st, *p, nowMS)
		} else {
			rec.Status = statusUpdating
			rec.Pending = p
			rec.DueMS = nowMS + s.cfg.UpdateDelay.Milliseconds()
		}
		if err := tx.Put(bucketStreams, name, rec); err != nil {
			return nil, errInternal(err)
		}
		s.log.Info("reshard accepted", "stream", name, "kind", p.Kind)
		return s.replaceStream(st, rec), nil
	})
}

// resharder applies splits and merges to a stream's stored form at one instant.
type resharder struct {
	rec *streamRec
	st  *stream // for the counters of the shards that close
	at  int64
}

// applyReshard changes rec (a clone of st.rec) as p says, at time at.
func applyReshard(rec *streamRec, st *stream, p reshardRec, at int64) {
	r := &resharder{rec: rec, st: st, at: at}
	switch p.Kind {
	case "split":
		if i := r.find(p.Shard); i >= 0 {
			r.split(i, mustBig(p.NewStartKey))
		}
	case "merge":
		a, b := r.find(p.Shard), r.find(p.Adjacent)
		if a >= 0 && b >= 0 {
			r.merge(a, b)
		}
	case "scale":
		r.scale(p.Target)
	}
}

func (r *resharder) find(id string) int {
	index, ok := parseShardID(id)
	if !ok {
		return -1
	}
	for i, sh := range r.rec.Shards {
		if sh.Index == index && sh.ClosedMS == 0 {
			return i
		}
	}
	return -1
}

// close ends shard i: its EndingSequenceNumber is its last record's, or its start if empty.
func (r *resharder) close(i int) {
	sh := &r.rec.Shards[i]
	last, lastMS := uint64(0), sh.CreatedMS
	if mem := r.st.shardByIndex(sh.Index); mem != nil && mem.last > 0 {
		last, lastMS = mem.last, mem.lastMS
	}
	sh.ClosedMS = r.at
	sh.EndSeq = seqParts{shardCreated: sh.CreatedMS / 1000, shardIndex: sh.Index, counter: last, recordTime: lastMS / 1000}.String()
}

func (r *resharder) add(parent, adjacentParent string, start, end *big.Int) int {
	r.rec.Shards = append(r.rec.Shards, shardRec{
		Index: r.rec.NextShardIndex, Parent: parent, AdjacentParent: adjacentParent,
		StartHash: start.String(), EndHash: end.String(), CreatedMS: r.at,
	})
	r.rec.NextShardIndex++
	return len(r.rec.Shards) - 1
}

func (r *resharder) split(i int, key *big.Int) (left, right int) {
	sh := r.rec.Shards[i]
	r.close(i)
	id := shardID(sh.Index)
	left = r.add(id, "", mustBig(sh.StartHash), new(big.Int).Sub(key, big.NewInt(1)))
	right = r.add(id, "", key, mustBig(sh.EndHash))
	return left, right
}

func (r *resharder) merge(a, b int) int {
	sa, sb := r.rec.Shards[a], r.rec.Shards[b]
	start, end := mustBig(sa.StartHash), mustBig(sb.EndHash)
	if mustBig(sb.StartHash).Cmp(start) < 0 {
		start, end = mustBig(sb.StartHash), mustBig(sa.EndHash)
	}
	r.close(a)
	r.close(b)
	return r.add(shardID(sa.Index), shardID(sb.Index), start, end)
}

// scale reshapes the open shards into n uniform ranges the way UpdateShardCount does on AWS,
// by splits and merges ("this can cause short-lived shards to be created"): first every open
// shard that straddles a target boundary is split at it, then the pieces inside each target
// range are merged pairwise, left to right, until one is left. Every child thus has one parent
// (split) or two adjacent ones (merge), so lineage stays what consumers expect.
func (r *resharder) scale(n int) {
	targets := uniformRanges(n)
	for _, t := range targets[1:] {
		boundary := t[0]
		for i := range r.rec.Shards {
			sh := r.rec.Shards[i]
			if sh.ClosedMS != 0 {
				continue
			}
			if mustBig(sh.StartHash).Cmp(boundary) < 0 && boundary.Cmp(mustBig(sh.EndHash)) <= 0 {
				r.split(i, boundary)
				break
			}
		}
	}
	for _, t := range targets {
		for {
			var inside []int
			for i, sh := range r.rec.Shards {
				if sh.ClosedMS == 0 && mustBig(sh.StartHash).Cmp(t[0]) >= 0 && mustBig(sh.EndHash).Cmp(t[1]) <= 0 {
					inside = append(inside, i)
				}
			}
			if len(inside) < 2 {
				break
			}
			sort.Slice(inside, func(x, y int) bool {
				return mustBig(r.rec.Shards[inside[x]].StartHash).Cmp(mustBig(r.rec.Shards[inside[y]].StartHash)) < 0
			})
			r.merge(inside[0], inside[1])
		}
	}
}
