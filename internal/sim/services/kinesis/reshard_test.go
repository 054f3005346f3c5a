package kinesis

import (
	"errors"
	"math/big"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

func shardMap(shards []types.Shard) map[string]types.Shard {
	out := map[string]types.Shard{}
	for _, sh := range shards {
		out[*sh.ShardId] = sh
	}
	return out
}

// Split shard 0 of a one-shard stream, then merge the two children back: the parents close with
// their last record's sequence number, the children name their parents, records move to the
// children, and a reader of a closed parent is sent on to them.
func TestKinesis_splitThenMergeLineage(t *testing.T) {
	h := newHarness(t, "")
	h.createStream("s", 1)
	before := h.put("s", "a", "before-split")
	half := new(big.Int).Rsh(hashKeySpace, 1).String() // 2^127
	_, err := h.client.SplitShard(ctx(), &kinesis.SplitShardInput{StreamName: aws.String("s"), ShardToSplit: aws.String(shardID(0)), NewStartingHashKey: aws.String(half)})
	if err != nil {
		t.Fatal(err)
	}
	h.waitStatus("s", types.StreamStatusUpdating)
	// While UPDATING: other reshards are refused, writes still go to the parent.
	_, err = h.client.SplitShard(ctx(), &kinesis.SplitShardInput{StreamName: aws.String("s"), ShardToSplit: aws.String(shardID(0)), NewStartingHashKey: aws.String("5")})
	var inUse *types.ResourceInUseException
	if !errors.As(err, &inUse) || apiMessage(err) != "Stream s under account 000000000000 not ACTIVE, instead in state UPDATING" {
		t.Fatalf("split while UPDATING: %v", err)
	}
	during := h.put("s", "b", "during-update")
	if *during.ShardId != shardID(0) {
		t.Fatalf("write during UPDATING went to %s", *during.ShardId)
	}
	h.clock.Advance(time.Second)
	h.waitStatus("s", types.StreamStatusActive)

	shards := shardMap(h.shards("s"))
	parent, left, right := shards[shardID(0)], shards[shardID(1)], shards[shardID(2)]
	if len(shards) != 3 || parent.SequenceNumberRange.EndingSequenceNumber == nil {
		t.Fatalf("after split: %+v", shards)
	}
	if *parent.SequenceNumberRange.EndingSequenceNumber != *during.SequenceNumber {
		t.Fatalf("parent's EndingSequenceNumber %s, want its last record's %s", *parent.SequenceNumberRange.EndingSequenceNumber, *during.SequenceNumber)
	}
	for _, c := range []types.Shard{left, right} {
		if aws.ToString(c.ParentShardId) != shardID(0) || c.AdjacentParentShardId != nil || c.SequenceNumberRange.EndingSequenceNumber != nil {
			t.Fatalf("child after split: %+v", c)
		}
	}
	if *left.HashKeyRange.StartingHashKey != "0" || *left.HashKeyRange.EndingHashKey != new(big.Int).Sub(new(big.Int).Rsh(hashKeySpace, 1), big.NewInt(1)).String() ||
		*right.HashKeyRange.StartingHashKey != half || *right.HashKeyRange.EndingHashKey != maxHashKey.String() {
		t.Fatalf("child ranges: %+v %+v", left.HashKeyRange, right.HashKeyRange)
	}
	after := h.put("s", "a", "after-split") // md5("a") is low: the left child
	if *after.ShardId != shardID(1) {
		t.Fatalf("write after split went to %s", *after.ShardId)
	}

	// Reading the closed parent to its end: records, then no next iterator and the children.
	out, err := h.client.GetRecords(ctx(), &kinesis.GetRecordsInput{ShardIterator: aws.String(h.iterator("s", shardID(0), types.ShardIteratorTypeTrimHorizon, nil, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(datas(out.Records), ",") != "before-split,during-update" || out.NextShardIterator != nil || len(out.ChildShards) != 2 {
		t.Fatalf("closed parent: %v next=%v children=%+v", datas(out.Records), out.NextShardIterator, out.ChildShards)
	}
	if *out.ChildShards[0].ShardId != shardID(1) || strings.Join(out.ChildShards[0].ParentShards, ",") != shardID(0) {
		t.Fatalf("child shards: %+v", out.ChildShards)
	}
	// LATEST on a closed shard is its end.
	end, err := h.client.GetRecords(ctx(), &kinesis.GetRecordsInput{ShardIterator: aws.String(h.iterator("s", shardID(0), types.ShardIteratorTypeLatest, nil, nil))})
	if err != nil || len(end.Records) != 0 || end.NextShardIterator != nil || len(end.ChildShards) != 2 {
		t.Fatalf("LATEST of a closed shard: %v %+v", err, end)
	}
	_ = before

	// Merge the children back.
	_, err = h.client.MergeShards(ctx(), &kinesis.MergeShardsInput{StreamName: aws.String("s"), ShardToMerge: aws.String(shardID(0)), AdjacentShardToMerge: aws.String(shardID(1))})
	wantCode(t, err, "InvalidArgumentException") // shard 0 is closed
	_, err = h.client.MergeShards(ctx(), &kinesis.MergeShardsInput{StreamName: aws.String("s"), ShardToMerge: aws.String(shardID(1)), AdjacentShardToMerge: aws.String(shardID(2))})
	if err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(time.Second)
	shards = shardMap(h.shards("s"))
	merged := shards[shardID(3)]
	if aws.ToString(merged.ParentShardId) != shardID(1) || aws.ToString(merged.AdjacentParentShardId) != shardID(2) ||
		*merged.HashKeyRange.StartingHashKey != "0" || *merged.HashKeyRange.EndingHashKey != maxHashKey.String() {
		t.Fatalf("merged shard: %+v", merged)
	}
	if *shards[shardID(1)].SequenceNumberRange.EndingSequenceNumber != *after.SequenceNumber {
		t.Fatalf("left child's end %s, want %s", *shards[shardID(1)].SequenceNumberRange.EndingSequenceNumber, *after.SequenceNumber)
	}
	// The right child never got a record: it ends where it started.
	if r := shards[shardID(2)].SequenceNumberRange; *r.EndingSequenceNumber != *r.StartingSequenceNumber {
		t.Fatalf("empty child's range: %+v", r)
	}
	if got := h.put("s", "zz", "merged"); *got.ShardId != shardID(3) {
		t.Fatalf("write after merge went to %s", *got.ShardId)
	}
	open, err := h.client.ListShards(ctx(), &kinesis.ListShardsInput{StreamName: aws.String("s"), ShardFilter: &types.ShardFilter{Type: types.ShardFilterTypeAtLatest}})
	if err != nil || len(open.Shards) != 1 || *open.Shards[0].ShardId != shardID(3) {
		t.Fatalf("AT_LATEST: %v %+v", err, open)
	}
	// Not adjacent: shard 3 covers everything, there is nothing left to merge with.
	_, err = h.client.MergeShards(ctx(), &kinesis.MergeShardsInput{StreamName: aws.String("s"), ShardToMerge: aws.String(shardID(3)), AdjacentShardToMerge: aws.String(shardID(9))})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = h.client.SplitShard(ctx(), &kinesis.SplitShardInput{StreamName: aws.String("s"), ShardToSplit: aws.String(shardID(3)), NewStartingHashKey: aws.String("1")})
	wantCode(t, err, "InvalidArgumentException") // must be above StartingHashKey + 1

	// Once the closed shards' records have all expired, they are no longer listed.
	h.clock.Advance(24*time.Hour + time.Second)
	if got := h.shards("s"); len(got) != 1 || *got[0].ShardId != shardID(3) {
		t.Fatalf("after the retention period: %+v", got)
	}
}

// UpdateShardCount reshapes the stream into uniform ranges through splits and merges whose
// lineage is consistent: every closed shard's range is covered by its children, every child's
// parents exist and are closed.
func TestKinesis_updateShardCountUniform(t *testing.T) {
	h := newHarness(t, "")
	h.createStream("s", 2)
	for _, target := range []int32{4, 3, 5, 3} {
		out, err := h.client.UpdateShardCount(ctx(), &kinesis.UpdateShardCountInput{StreamName: aws.String("s"), TargetShardCount: aws.Int32(target), ScalingType: types.ScalingTypeUniformScaling})
		if err != nil {
			t.Fatalf("UpdateShardCount %d: %v", target, err)
		}
		if *out.TargetShardCount != target || *out.StreamName != "s" {
			t.Fatalf("answer: %+v", out)
		}
		h.waitStatus("s", types.StreamStatusUpdating)
		h.clock.Advance(time.Second)
		sum := h.waitStatus("s", types.StreamStatusActive)
		if *sum.OpenShardCount != target {
			t.Fatalf("after scaling to %d: %d open shards", target, *sum.OpenShardCount)
		}
		all := h.shards("s")
		var open []types.Shard
		byID := shardMap(all)
		for _, sh := range all {
			if sh.SequenceNumberRange.EndingSequenceNumber == nil {
				open = append(open, sh)
			}
			for _, p := range []*string{sh.ParentShardId, sh.AdjacentParentShardId} {
				if p == nil {
					continue
				}
				if parent, ok := byID[*p]; !ok || parent.SequenceNumberRange.EndingSequenceNumber == nil {
					t.Fatalf("%s's parent %s is missing or open", *sh.ShardId, *p)
				}
			}
		}
		sort.Slice(open, func(i, j int) bool {
			return mustBig(*open[i].HashKeyRange.StartingHashKey).Cmp(mustBig(*open[j].HashKeyRange.StartingHashKey)) < 0
		})
		for i, r := range uniformRanges(int(target)) {
			if *open[i].HashKeyRange.StartingHashKey != r[0].String() || *open[i].HashKeyRange.EndingHashKey != r[1].String() {
				t.Fatalf("target %d, open shard %d: %s..%s, want %s..%s", target, i,
					*open[i].HashKeyRange.StartingHashKey, *open[i].HashKeyRange.EndingHashKey, r[0], r[1])
			}
		}
	}
	_, err := h.client.UpdateShardCount(ctx(), &kinesis.UpdateShardCountInput{StreamName: aws.String("s"), TargetShardCount: aws.Int32(7), ScalingType: types.ScalingTypeUniformScaling})
	wantCode(t, err, "LimitExceededException") // more than double
	_, err = h.client.UpdateShardCount(ctx(), &kinesis.UpdateShardCountInput{StreamName: aws.String("s"), TargetShardCount: aws.Int32(1), ScalingType: types.ScalingTypeUniformScaling})
	wantCode(t, err, "LimitExceededException") // less than half
	// Four scalings above and six more make the ten AWS allows in 24 hours.
	for i := 0; i < 6; i++ {
		if _, err := h.client.UpdateShardCount(ctx(), &kinesis.UpdateShardCountInput{StreamName: aws.String("s"), TargetShardCount: aws.Int32(3), ScalingType: types.ScalingTypeUniformScaling}); err != nil {
			t.Fatalf("scaling %d: %v", i+5, err)
		}
		h.clock.Advance(time.Second)
	}
	_, err = h.client.UpdateShardCount(ctx(), &kinesis.UpdateShardCountInput{StreamName: aws.String("s"), TargetShardCount: aws.Int32(3), ScalingType: types.ScalingTypeUniformScaling})
	wantCode(t, err, "LimitExceededException") // the eleventh in 24 hours
}

// ListShards' filters and pages, on a stream that was split: shard 0 (closed at T2), shards 1
// and 2 (open since T2).
func TestKinesis_listShardsFiltersAndPages(t *testing.T) {
	h := newHarness(t, "")
	h.createStream("s", 1)
	t1 := h.clock.Now()
	if _, err := h.client.SplitShard(ctx(), &kinesis.SplitShardInput{StreamName: aws.String("s"), ShardToSplit: aws.String(shardID(0)), NewStartingHashKey: aws.String("1000")}); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(time.Second)
	t2 := h.clock.Now().Add(-800 * time.Millisecond) // the split took effect 200 ms after the request
	h.clock.Advance(time.Minute)
	ids := func(filter *types.ShardFilter) string {
		out, err := h.client.ListShards(ctx(), &kinesis.ListShardsInput{StreamName: aws.String("s"), ShardFilter: filter})
		if err != nil {
			t.Fatalf("ListShards %+v: %v", filter, err)
		}
		var s []string
		for _, sh := range out.Shards {
			s = append(s, (*sh.ShardId)[len(*sh.ShardId)-1:])
		}
		return strings.Join(s, ",")
	}
	cases := []struct {
		filter *types.ShardFilter
		want   string
	}{
		{nil, "0,1,2"},
		{&types.ShardFilter{Type: types.ShardFilterTypeFromTrimHorizon}, "0,1,2"},
		{&types.ShardFilter{Type: types.ShardFilterTypeAtTrimHorizon}, "0"},
		{&types.ShardFilter{Type: types.ShardFilterTypeAtLatest}, "1,2"},
		{&types.ShardFilter{Type: types.ShardFilterTypeAfterShardId, ShardId: aws.String(shardID(0))}, "1,2"},
		{&types.ShardFilter{Type: types.ShardFilterTypeAtTimestamp, Timestamp: aws.Time(t1)}, "0"},
		{&types.ShardFilter{Type: types.ShardFilterTypeAtTimestamp, Timestamp: aws.Time(h.clock.Now())}, "1,2"},
		{&types.ShardFilter{Type: types.ShardFilterTypeFromTimestamp, Timestamp: aws.Time(t2.Add(time.Second))}, "1,2"},
		{&types.ShardFilter{Type: types.ShardFilterTypeFromTimestamp, Timestamp: aws.Time(t1)}, "0,1,2"},
	}
	for _, c := range cases {
		if got := ids(c.filter); got != c.want {
			t.Errorf("filter %+v: %s, want %s", c.filter, got, c.want)
		}
	}
	// Pages of one, through NextToken; a token is good for 300 seconds.
	page, err := h.client.ListShards(ctx(), &kinesis.ListShardsInput{StreamName: aws.String("s"), MaxResults: aws.Int32(1)})
	if err != nil || len(page.Shards) != 1 || page.NextToken == nil {
		t.Fatalf("first page: %v %+v", err, page)
	}
	page, err = h.client.ListShards(ctx(), &kinesis.ListShardsInput{NextToken: page.NextToken, MaxResults: aws.Int32(1)})
	if err != nil || len(page.Shards) != 1 || *page.Shards[0].ShardId != shardID(1) || page.NextToken == nil {
		t.Fatalf("second page: %v %+v", err, page)
	}
	_, err = h.client.ListShards(ctx(), &kinesis.ListShardsInput{StreamName: aws.String("s"), NextToken: page.NextToken})
	wantCode(t, err, "InvalidArgumentException")
	h.clock.Advance(301 * time.Second)
	_, err = h.client.ListShards(ctx(), &kinesis.ListShardsInput{NextToken: page.NextToken})
	var expired *types.ExpiredNextTokenException
	if !errors.As(err, &expired) {
		t.Fatalf("a token 301 seconds old: %v", err)
	}
}
