package dynamodb

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// TestInternal_pollerWalksShardsInOrder reads a stream the way the event-source-mapping poller
// will: shard by shard, parents first, with its own checkpoint, and checks the records decode as
// the event Lambda delivers.
func TestInternal_pollerWalksShardsInOrder(t *testing.T) {
	h := newHarness(t, "")
	h.createTable("polled", "", types.StreamViewTypeNewAndOldImages)
	arn, enabled, err := h.svc.LatestStreamARNInternal("polled")
	if err != nil || !enabled || arn == "" {
		t.Fatalf("LatestStreamARNInternal: %q %v %v", arn, enabled, err)
	}
	info, err := h.svc.DescribeStreamInternal(arn)
	if err != nil || info.Status != "ENABLED" || info.StreamViewType != "NEW_AND_OLD_IMAGES" || info.TableName != "polled" {
		t.Fatalf("DescribeStreamInternal: %+v, %v", info, err)
	}
	shards, _ := h.svc.StreamShardsInternal(arn)
	latest, err := h.svc.PositionInternal(arn, shards[0].ShardID, "LATEST")
	if err != nil {
		t.Fatal(err)
	}
	h.put("polled", key("a"))
	h.put("polled", key("b"))
	h.clock.Advance(5 * time.Hour)
	h.put("polled", key("c"))

	shards, err = h.svc.StreamShardsInternal(arn)
	if err != nil || len(shards) != 2 || !shards[0].Closed || shards[1].ParentShardID != shards[0].ShardID {
		t.Fatalf("StreamShardsInternal: %+v, %v", shards, err)
	}
	// From LATEST (taken before the writes) the poller sees them all, parent before child.
	var got []string
	checkpoint := latest
	for _, sh := range shards {
		for {
			recs, err := h.svc.ReadStreamInternal(arn, sh.ShardID, checkpoint, 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) == 0 {
				break
			}
			r := recs[0]
			if r.EventSourceARN != arn {
				t.Errorf("EventSourceARN %q", r.EventSourceARN)
			}
			// The record is a Lambda DynamoDB event record.
			b, _ := json.Marshal(r)
			var ev events.DynamoDBEventRecord
			if err := json.Unmarshal(b, &ev); err != nil {
				t.Fatalf("decoding %s as a Lambda event record: %v", b, err)
			}
			if ev.EventName != "INSERT" || ev.EventSourceArn != arn || ev.Change.SequenceNumber != r.Dynamodb.SequenceNumber || ev.Change.NewImage["pk"].String() == "" {
				t.Errorf("event record %+v from %s", ev, b)
			}
			got = append(got, ev.Change.Keys["pk"].String())
			checkpoint = r.Dynamodb.SequenceNumber
		}
		checkpoint = ""
	}
	if len(got) != 3 || got[0] != "a" || got[1] != "b" || got[2] != "c" {
		t.Errorf("poller read %v", got)
	}
	// TRIM_HORIZON is "", and a checkpoint of another shard is refused.
	if p, _ := h.svc.PositionInternal(arn, shards[0].ShardID, "TRIM_HORIZON"); p != "" {
		t.Errorf("TRIM_HORIZON = %q", p)
	}
	last, _ := h.svc.ReadStreamInternal(arn, shards[1].ShardID, "", 10)
	if _, err := h.svc.ReadStreamInternal(arn, shards[0].ShardID, last[0].Dynamodb.SequenceNumber, 10); !errors.Is(err, ErrBadSequenceNumber) {
		t.Errorf("checkpoint of another shard: %v", err)
	}
	if _, err := h.svc.ReadStreamInternal(arn, "shardId-nope", "", 10); !errors.Is(err, ErrShardNotFound) {
		t.Errorf("unknown shard: %v", err)
	}
	if _, err := h.svc.StreamShardsInternal(arn + "x"); !errors.Is(err, ErrStreamNotFound) {
		t.Errorf("unknown stream: %v", err)
	}
	// Expired records are skipped silently.
	h.clock.Advance(25 * time.Hour)
	if recs, err := h.svc.ReadStreamInternal(arn, shards[1].ShardID, "", 10); err != nil || len(recs) != 0 {
		t.Errorf("after 25 hours: %v, %v", recs, err)
	}
	if CompareSequenceNumbers(last[0].Dynamodb.SequenceNumber, latest) != 1 {
		t.Error("CompareSequenceNumbers")
	}
}
