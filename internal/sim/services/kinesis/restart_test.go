package kinesis

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// A restart keeps streams, shards, records and the sequence counters, resumes a pending
// transition, and honours iterators handed out before it.
func TestKinesis_restartKeepsEverything(t *testing.T) {
	h := newHarness(t, t.TempDir())
	h.createStream("s", 2)
	var last [2]string
	for i := 0; i < 10; i++ {
		out := h.put("s", fmt.Sprint("k", i), fmt.Sprint("r", i))
		last[mustIndex(t, *out.ShardId)] = *out.SequenceNumber
	}
	it := h.iterator("s", shardID(0), types.ShardIteratorTypeTrimHorizon, nil, nil)
	// A stream still CREATING and a split still UPDATING when the simulator stops.
	if _, err := h.client.CreateStream(ctx(), &kinesis.CreateStreamInput{StreamName: aws.String("young"), ShardCount: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.SplitShard(ctx(), &kinesis.SplitShardInput{StreamName: aws.String("s"), ShardToSplit: aws.String(shardID(1)), NewStartingHashKey: aws.String("300000000000000000000000000000000000000")}); err != nil {
		t.Fatal(err)
	}

	h.restart()

	h.waitStatus("s", types.StreamStatusUpdating)
	h.waitStatus("young", types.StreamStatusCreating)
	recs := h.readAll(it)
	if len(recs) == 0 {
		t.Fatal("the iterator from before the restart read nothing")
	}
	// The pending transitions finish on the clock, as they would have without the restart.
	h.clock.Advance(time.Second)
	deadline := time.Now().Add(5 * time.Second)
	for h.svc.pendingTransitions() > 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond) // the scheduler fires without anyone asking
	}
	if n := h.svc.pendingTransitions(); n != 0 {
		t.Fatalf("%d transitions still pending after their due time", n)
	}
	h.waitStatus("young", types.StreamStatusActive)
	shards := shardMap(h.shards("s"))
	if len(shards) != 4 || shards[shardID(1)].SequenceNumberRange.EndingSequenceNumber == nil {
		t.Fatalf("split after restart: %+v", shards)
	}
	if got := *shards[shardID(1)].SequenceNumberRange.EndingSequenceNumber; got != last[1] {
		t.Fatalf("shard 1 ends at %s, want its last record from before the restart %s", got, last[1])
	}
	// Sequence numbers keep increasing in the shard that stayed open.
	out, err := h.client.PutRecord(ctx(), &kinesis.PutRecordInput{StreamName: aws.String("s"), PartitionKey: aws.String("x"), ExplicitHashKey: aws.String("0"), Data: []byte("after")})
	if err != nil {
		t.Fatal(err)
	}
	if *out.ShardId != shardID(0) || CompareSequenceNumbers(*out.SequenceNumber, last[0]) <= 0 {
		t.Fatalf("after restart: %s %s, want above %s", *out.ShardId, *out.SequenceNumber, last[0])
	}
	all := h.readAll(h.iterator("s", shardID(0), types.ShardIteratorTypeTrimHorizon, nil, nil))
	if len(all) != len(recs)+1 || string(all[len(all)-1].Data) != "after" {
		t.Fatalf("shard 0 after restart: %v", datas(all))
	}
}

func (s *Service) pendingTransitions() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := 0
	for _, st := range s.streams {
		if st.rec.DueMS != 0 {
			n++
		}
	}
	return n
}

func mustIndex(t *testing.T, id string) int {
	n, ok := parseShardID(id)
	if !ok {
		t.Fatalf("bad shard id %s", id)
	}
	return n
}

// A deleted stream's records are gone from the store, and a new stream of the same name starts
// empty even if the old one was deleted in the middle of things.
func TestKinesis_deleteRemovesData(t *testing.T) {
	h := newHarness(t, t.TempDir())
	h.createStream("s", 1)
	it := h.iterator("s", shardID(0), types.ShardIteratorTypeTrimHorizon, nil, nil)
	h.put("s", "k", "old")
	if _, err := h.client.DeleteStream(ctx(), &kinesis.DeleteStreamInput{StreamName: aws.String("s"), EnforceConsumerDeletion: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	h.restart()
	h.clock.Advance(time.Second)
	h.createStream("s", 1)
	if got := h.readAll(h.iterator("s", shardID(0), types.ShardIteratorTypeTrimHorizon, nil, nil)); len(got) != 0 {
		t.Fatalf("new stream reads the old one's records: %v", datas(got))
	}
	_, err := h.client.GetRecords(ctx(), &kinesis.GetRecordsInput{ShardIterator: aws.String(it)})
	var notFound *types.ResourceNotFoundException
	if !errors.As(err, &notFound) {
		t.Fatalf("the old stream's iterator: %v", err)
	}
	var keys int
	h.store.View(func(tx *storeTx) error {
		keys = tx.Count(bucketCounters)
		return nil
	})
	if keys != 0 {
		t.Fatalf("%d shard counters stored, want 0 (the new stream has no records)", keys)
	}
}

// Requests the SDK cannot send: unknown operations, bodies that are not JSON.
func TestKinesis_rawRequests(t *testing.T) {
	h := newHarness(t, "")
	post := func(target, body string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", target)
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260302/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=x")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, body := post("Kinesis_20131202.SubscribeToShard", "{}")
	if status != 400 || !strings.Contains(body, `"__type":"UnknownOperationException"`) {
		t.Fatalf("unknown operation: %d %s", status, body)
	}
	status, body = post("", "{}") // signed for kinesis, no target
	if status != 400 || !strings.Contains(body, "UnknownOperationException") {
		t.Fatalf("no target: %d %s", status, body)
	}
	status, body = post("Kinesis_20131202.DescribeStream", "{not json")
	if status != 400 || !strings.Contains(body, "SerializationException") {
		t.Fatalf("bad JSON: %d %s", status, body)
	}
	status, body = post("Kinesis_20131202.DescribeStream", `{"StreamName":"bad name!","Limit":0}`)
	want := `2 validation errors detected: Value 'bad name!' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`
	if status != 400 || !strings.Contains(body, `"__type":"ValidationException"`) || !strings.Contains(body, want) {
		t.Fatalf("validation: %d %s", status, body)
	}
	status, body = post("Kinesis_20131202.PutRecord", `{"StreamName":"s","Data":"eA=="}`)
	if status != 400 || !strings.Contains(body, "Value null at 'partitionKey' failed to satisfy constraint: Member must not be null") {
		t.Fatalf("missing partition key: %d %s", status, body)
	}
	status, body = post("Kinesis_20131202.DescribeStreamSummary", `{"StreamARN":"arn:aws:kinesis:eu-west-1:000000000000:stream/s"}`)
	if status != 400 || !strings.Contains(body, "ResourceNotFoundException") {
		t.Fatalf("ARN of another region: %d %s", status, body)
	}
}
