package dynamodb

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	streamtypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

// TestRestart_keepsTablesItemsStreamsAndSequence writes concurrently to a durable store, restarts,
// and checks that everything acknowledged is there, that a transition begun before the restart
// completes after it, and that sequence numbers keep increasing.
func TestRestart_keepsTablesItemsStreamsAndSequence(t *testing.T) {
	h := newHarness(t, t.TempDir())
	arn := *h.createTable("durable", types.ScalarAttributeTypeN, types.StreamViewTypeNewAndOldImages).LatestStreamArn
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				if _, err := h.db.PutItem(ctx(), &dynamodb.PutItemInput{TableName: aws.String("durable"),
					Item: map[string]types.AttributeValue{"pk": s(fmt.Sprint("w", w)), "sk": n(fmt.Sprint(i))}}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	before := h.records(arn)
	// A table in CREATING across the restart.
	if _, err := h.db.CreateTable(ctx(), hashKeyTable("pending")); err != nil {
		t.Fatal(err)
	}
	h.restart()

	d, err := h.db.DescribeTable(ctx(), &dynamodb.DescribeTableInput{TableName: aws.String("durable")})
	if err != nil || *d.Table.ItemCount != 40 || *d.Table.LatestStreamArn != arn {
		t.Fatalf("after restart: %+v, %v", d, err)
	}
	out, err := h.db.Query(ctx(), &dynamodb.QueryInput{TableName: aws.String("durable"), KeyConditionExpression: aws.String("pk = :p"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": s("w2")}})
	if err != nil || out.Count != 10 {
		t.Fatalf("Query after restart: %v, %v", out, err)
	}
	after := h.records(arn)
	if len(before) != 40 || len(after) != 40 {
		t.Fatalf("%d records before, %d after", len(before), len(after))
	}
	h.put("durable", map[string]types.AttributeValue{"pk": s("late"), "sk": n("0")})
	recs := h.records(arn)
	if last, prev := *recs[len(recs)-1].Dynamodb.SequenceNumber, *before[len(before)-1].Dynamodb.SequenceNumber; last <= prev {
		t.Errorf("sequence number after restart %s <= %s", last, prev)
	}
	// An iterator handed out before a restart still works after it (the signing key is stored).
	sh := h.shardOf(arn)
	it, _ := h.iterator(arn, *sh.ShardId, streamtypes.ShardIteratorTypeLatest, nil, nil)
	h.restart()
	h.put("durable", map[string]types.AttributeValue{"pk": s("later"), "sk": n("0")})
	got, err := h.streams.GetRecords(ctx(), &dynamodbstreams.GetRecordsInput{ShardIterator: it})
	if err != nil || len(got.Records) != 1 {
		t.Fatalf("iterator across a restart: %v, %v", got, err)
	}
	h.clock.Advance(time.Second)
	pd, err := h.db.DescribeTable(ctx(), &dynamodb.DescribeTableInput{TableName: aws.String("pending")})
	if err != nil || pd.Table.TableStatus != types.TableStatusActive {
		t.Fatalf("table created before the restart: %v, %v", pd, err)
	}
}
