package kinesis

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
)

// The poller's API: walk a stream across a split without iterators, parents before children.
func TestKinesis_internalReadAcrossSplit(t *testing.T) {
	h := newHarness(t, "")
	arn := "arn:aws:kinesis:us-east-1:000000000000:stream/s"
	if _, err := h.svc.ListShardsInternal(arn); !errors.Is(err, ErrStreamNotFound) {
		t.Fatalf("before creation: %v", err)
	}
	if _, err := h.client.CreateStream(ctx(), &kinesis.CreateStreamInput{StreamName: aws.String("s"), ShardCount: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.ListShardsInternal(arn); !errors.Is(err, ErrStreamNotReady) {
		t.Fatalf("while CREATING: %v", err)
	}
	h.clock.Advance(time.Second)
	info, err := h.svc.DescribeInternal(arn)
	if err != nil || info.Status != statusActive || info.RetentionHours != 24 || info.StreamName != "s" {
		t.Fatalf("DescribeInternal: %v %+v", err, info)
	}
	h.put("s", "a", "one")
	latest, err := h.svc.PositionInternal(arn, shardID(0), "LATEST", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(time.Second)
	tsCheckpoint := h.clock.Now()
	h.put("s", "a", "two")
	if _, err := h.client.SplitShard(ctx(), &kinesis.SplitShardInput{StreamName: aws.String("s"), ShardToSplit: aws.String(shardID(0)), NewStartingHashKey: aws.String("170141183460469231731687303715884105728")}); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(time.Second)
	h.put("s", "a", "three")

	shards, err := h.svc.ListShardsInternal(arn)
	if err != nil || len(shards) != 3 {
		t.Fatalf("ListShardsInternal: %v %+v", err, shards)
	}
	parent := shards[0]
	if !parent.Closed || parent.EndingSequenceNumber == "" || shards[1].ParentShardID != shardID(0) || shards[2].ParentShardID != shardID(0) || shards[1].Closed {
		t.Fatalf("lineage: %+v", shards)
	}

	read := func(shard, after string) []string {
		recs, err := h.svc.ReadInternal(arn, shard, after, 10)
		if err != nil {
			t.Fatalf("ReadInternal(%s, %s): %v", shard, after, err)
		}
		var out []string
		for _, r := range recs {
			out = append(out, string(r.Data))
		}
		return out
	}
	if got := strings.Join(read(shardID(0), ""), ","); got != "one,two" {
		t.Fatalf("parent from the trim horizon: %s", got)
	}
	if got := strings.Join(read(shardID(0), latest), ","); got != "two" {
		t.Fatalf("parent after LATEST taken before two: %s", got)
	}
	// Retrying from a record: the checkpoint just before it reads it again.
	recsParent, _ := h.svc.ReadInternal(arn, shardID(0), "", 10)
	before, err := CheckpointBefore(recsParent[1].SequenceNumber)
	if err != nil || strings.Join(read(shardID(0), before), ",") != "two" {
		t.Fatalf("CheckpointBefore(two): %v %v", err, read(shardID(0), before))
	}
	if first, err := CheckpointBefore(recsParent[0].SequenceNumber); err != nil || strings.Join(read(shardID(0), first), ",") != "one,two" {
		t.Fatalf("CheckpointBefore(one): %v", err)
	}
	atTS, err := h.svc.PositionInternal(arn, shardID(0), "AT_TIMESTAMP", tsCheckpoint)
	if err != nil || strings.Join(read(shardID(0), atTS), ",") != "two" {
		t.Fatalf("AT_TIMESTAMP: %v %s", err, read(shardID(0), atTS))
	}
	// The parent is finished: nothing after its EndingSequenceNumber.
	if got := read(shardID(0), parent.EndingSequenceNumber); len(got) != 0 {
		t.Fatalf("after the parent's end: %v", got)
	}
	if got := strings.Join(read(shardID(1), ""), ","); got != "three" {
		t.Fatalf("left child: %s", got)
	}
	recs, _ := h.svc.ReadInternal(arn, shardID(1), "", 10)
	if len(recs) != 1 || recs[0].PartitionKey != "a" || !recs[0].ApproximateArrivalTimestamp.Equal(h.clock.Now()) {
		t.Fatalf("record: %+v", recs)
	}
	if _, err := h.svc.ReadInternal(arn, shardID(1), parent.EndingSequenceNumber, 10); !errors.Is(err, ErrBadSequenceNumber) {
		t.Fatalf("another shard's sequence number: %v", err)
	}
	if _, err := h.svc.ReadInternal(arn, "shardId-000000000042", "", 10); !errors.Is(err, ErrShardNotFound) {
		t.Fatalf("unknown shard: %v", err)
	}
	if CompareSequenceNumbers(recs[0].SequenceNumber, parent.EndingSequenceNumber) <= 0 {
		t.Errorf("the child's first record does not sort after the parent's last (%s, %s)", recs[0].SequenceNumber, parent.EndingSequenceNumber)
	}
}
