package dynamodb

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	streamtypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

// streamItem converts an item of a stream record for comparison with a DynamoDB item.
func streamItem(it map[string]streamtypes.AttributeValue) map[string]types.AttributeValue {
	if it == nil {
		return nil
	}
	out := map[string]types.AttributeValue{}
	for k, v := range it {
		out[k] = streamValue(v)
	}
	return out
}

func streamValue(v streamtypes.AttributeValue) types.AttributeValue {
	switch v := v.(type) {
	case *streamtypes.AttributeValueMemberS:
		return s(v.Value)
	case *streamtypes.AttributeValueMemberN:
		return n(v.Value)
	case *streamtypes.AttributeValueMemberM:
		return &types.AttributeValueMemberM{Value: streamItem(v.Value)}
	}
	return nil
}

func TestStreams_recordsPerViewType(t *testing.T) {
	v1 := map[string]types.AttributeValue{"pk": s("a"), "v": n("1")}
	v2 := map[string]types.AttributeValue{"pk": s("a"), "v": n("2")}
	k := map[string]types.AttributeValue{"pk": s("a")}
	for _, tc := range []struct {
		view     types.StreamViewType
		newImage [3]map[string]types.AttributeValue // INSERT, MODIFY, REMOVE
		oldImage [3]map[string]types.AttributeValue
	}{
		{types.StreamViewTypeKeysOnly, [3]map[string]types.AttributeValue{}, [3]map[string]types.AttributeValue{}},
		{types.StreamViewTypeNewImage, [3]map[string]types.AttributeValue{v1, v2, nil}, [3]map[string]types.AttributeValue{}},
		{types.StreamViewTypeOldImage, [3]map[string]types.AttributeValue{}, [3]map[string]types.AttributeValue{nil, v1, v2}},
		{types.StreamViewTypeNewAndOldImages, [3]map[string]types.AttributeValue{v1, v2, nil}, [3]map[string]types.AttributeValue{nil, v1, v2}},
	} {
		t.Run(string(tc.view), func(t *testing.T) {
			h := newHarness(t, "")
			d := h.createTable("views", "", tc.view)
			h.put("views", v1)
			if _, err := h.db.UpdateItem(ctx(), &dynamodb.UpdateItemInput{TableName: aws.String("views"), Key: k,
				UpdateExpression: aws.String("SET v = :two"), ExpressionAttributeValues: map[string]types.AttributeValue{":two": n("2")}}); err != nil {
				t.Fatal(err)
			}
			if _, err := h.db.DeleteItem(ctx(), &dynamodb.DeleteItemInput{TableName: aws.String("views"), Key: k}); err != nil {
				t.Fatal(err)
			}
			recs := h.records(*d.LatestStreamArn)
			if len(recs) != 3 {
				t.Fatalf("%d records, want 3", len(recs))
			}
			prev := ""
			for i, r := range recs {
				want := []streamtypes.OperationType{"INSERT", "MODIFY", "REMOVE"}[i]
				if r.EventName != want || *r.EventSource != "aws:dynamodb" || *r.EventVersion != "1.1" || *r.AwsRegion != "us-east-1" || len(*r.EventID) != 32 {
					t.Errorf("record %d: %s %s %s %s %s", i, r.EventName, *r.EventSource, *r.EventVersion, *r.AwsRegion, *r.EventID)
				}
				sr := r.Dynamodb
				wantItem(t, "Keys", streamItem(sr.Keys), k)
				wantItem(t, string(want)+" NewImage", streamItem(sr.NewImage), tc.newImage[i])
				wantItem(t, string(want)+" OldImage", streamItem(sr.OldImage), tc.oldImage[i])
				if string(sr.StreamViewType) != string(tc.view) || *sr.SizeBytes < 1 || !sr.ApproximateCreationDateTime.Equal(testStart.Add(time.Second)) {
					t.Errorf("record %d: view %s, size %d, time %v", i, sr.StreamViewType, *sr.SizeBytes, sr.ApproximateCreationDateTime)
				}
				if seq := *sr.SequenceNumber; len(seq) != 21 || seq <= prev {
					t.Errorf("record %d: sequence number %s after %s", i, seq, prev)
				}
				prev = *sr.SequenceNumber
			}
		})
	}
}

func TestStreams_noRecordWithoutAChange(t *testing.T) {
	h := newHarness(t, "")
	d := h.createTable("quiet", "", types.StreamViewTypeNewAndOldImages)
	item := map[string]types.AttributeValue{"pk": s("a"), "v": n("1"), "ss": &types.AttributeValueMemberSS{Value: []string{"x", "y"}}}
	h.put("quiet", item)
	one := map[string]types.AttributeValue{":one": n("1.0")}
	for _, tc := range []struct {
		name string
		call func() error
		code string
	}{
		{"failed conditional put", func() error {
			_, err := h.db.PutItem(ctx(), &dynamodb.PutItemInput{TableName: aws.String("quiet"), Item: key("a"), ConditionExpression: aws.String("attribute_not_exists(pk)")})
			return err
		}, "ConditionalCheckFailedException"},
		{"failed conditional update", func() error {
			_, err := h.db.UpdateItem(ctx(), &dynamodb.UpdateItemInput{TableName: aws.String("quiet"), Key: key("a"), UpdateExpression: aws.String("SET v = :one"),
				ConditionExpression: aws.String("v > :one"), ExpressionAttributeValues: one})
			return err
		}, "ConditionalCheckFailedException"},
		{"failed conditional delete", func() error {
			_, err := h.db.DeleteItem(ctx(), &dynamodb.DeleteItemInput{TableName: aws.String("quiet"), Key: key("a"), ConditionExpression: aws.String("v <> :one"), ExpressionAttributeValues: one})
			return err
		}, "ConditionalCheckFailedException"},
		{"identical put (sets in another order)", func() error {
			_, err := h.db.PutItem(ctx(), &dynamodb.PutItemInput{TableName: aws.String("quiet"),
				Item: map[string]types.AttributeValue{"pk": s("a"), "v": n("1.00"), "ss": &types.AttributeValueMemberSS{Value: []string{"y", "x"}}}})
			return err
		}, ""},
		{"update to the same value", func() error {
			_, err := h.db.UpdateItem(ctx(), &dynamodb.UpdateItemInput{TableName: aws.String("quiet"), Key: key("a"), UpdateExpression: aws.String("SET v = :one REMOVE nothing"), ExpressionAttributeValues: one})
			return err
		}, ""},
		{"update without an expression", func() error {
			_, err := h.db.UpdateItem(ctx(), &dynamodb.UpdateItemInput{TableName: aws.String("quiet"), Key: key("a")})
			return err
		}, ""},
		{"delete of an absent item", func() error {
			_, err := h.db.DeleteItem(ctx(), &dynamodb.DeleteItemInput{TableName: aws.String("quiet"), Key: key("nothing")})
			return err
		}, ""},
		{"failed batch", func() error {
			_, err := h.db.BatchWriteItem(ctx(), &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{
				"quiet": {{PutRequest: &types.PutRequest{Item: key("b")}}, {PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{"x": s("no key")}}}}}})
			return err
		}, "ValidationException"},
	} {
		err := tc.call()
		if tc.code == "" && err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if tc.code != "" {
			wantCode(t, err, tc.code)
		}
		if recs := h.records(*d.LatestStreamArn); len(recs) != 1 {
			t.Fatalf("after %s: %d records, want only the first INSERT", tc.name, len(recs))
		}
	}
	// A batch that succeeds records each change.
	if _, err := h.db.BatchWriteItem(ctx(), &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{
		"quiet": {{PutRequest: &types.PutRequest{Item: key("b")}}, {DeleteRequest: &types.DeleteRequest{Key: key("a")}}}}}); err != nil {
		t.Fatal(err)
	}
	recs := h.records(*d.LatestStreamArn)
	if len(recs) != 3 || recs[1].EventName != "INSERT" || recs[2].EventName != "REMOVE" {
		t.Fatalf("after a batch: %d records", len(recs))
	}
}

// shardOf is the only shard of a stream.
func (h *harness) shardOf(arn string) streamtypes.Shard {
	h.t.Helper()
	d, err := h.streams.DescribeStream(ctx(), &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn)})
	if err != nil {
		h.t.Fatal(err)
	}
	if len(d.StreamDescription.Shards) != 1 {
		h.t.Fatalf("%d shards, want 1", len(d.StreamDescription.Shards))
	}
	return d.StreamDescription.Shards[0]
}

func (h *harness) iterator(arn, shard string, kind streamtypes.ShardIteratorType, seq *string, at *time.Time) (*string, error) {
	out, err := h.streams.GetShardIterator(ctx(), &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(arn), ShardId: aws.String(shard),
		ShardIteratorType: kind, SequenceNumber: seq, Timestamp: at})
	if err != nil {
		return nil, err
	}
	return out.ShardIterator, nil
}

func values(recs []streamtypes.Record) string {
	var out []string
	for _, r := range recs {
		out = append(out, r.Dynamodb.Keys["pk"].(*streamtypes.AttributeValueMemberS).Value)
	}
	return strings.Join(out, ",")
}

func TestStreams_iteratorTypes(t *testing.T) {
	h := newHarness(t, "")
	arn := *h.createTable("iters", "", types.StreamViewTypeKeysOnly).LatestStreamArn
	for _, k := range []string{"a", "b", "c"} {
		h.put("iters", key(k))
	}
	h.clock.Advance(time.Minute)
	h.put("iters", key("d"))
	shard := *h.shardOf(arn).ShardId
	all := h.records(arn)
	seqB := all[1].Dynamodb.SequenceNumber
	afterB := testStart.Add(time.Second + time.Minute)
	for _, tc := range []struct {
		kind streamtypes.ShardIteratorType
		seq  *string
		at   *time.Time
		want string
	}{
		{streamtypes.ShardIteratorTypeTrimHorizon, nil, nil, "a,b,c,d"},
		{streamtypes.ShardIteratorTypeLatest, nil, nil, ""},
		{streamtypes.ShardIteratorTypeAtSequenceNumber, seqB, nil, "b,c,d"},
		{streamtypes.ShardIteratorTypeAfterSequenceNumber, seqB, nil, "c,d"},
		{streamtypes.ShardIteratorTypeAtTimestamp, nil, &afterB, "d"},
	} {
		it, err := h.iterator(arn, shard, tc.kind, tc.seq, tc.at)
		if err != nil {
			t.Fatalf("%s: %v", tc.kind, err)
		}
		if got := values(h.readAll(it)); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.kind, got, tc.want)
		}
	}
	// LATEST sees what comes later; the iterator it hands back picks up from there.
	it, _ := h.iterator(arn, shard, streamtypes.ShardIteratorTypeLatest, nil, nil)
	h.put("iters", key("e"))
	out, err := h.streams.GetRecords(ctx(), &dynamodbstreams.GetRecordsInput{ShardIterator: it, Limit: aws.Int32(1)})
	if err != nil || values(out.Records) != "e" || out.NextShardIterator == nil {
		t.Fatalf("LATEST then a write: %v, %v", out, err)
	}
	h.put("iters", key("f"))
	out, err = h.streams.GetRecords(ctx(), &dynamodbstreams.GetRecordsInput{ShardIterator: out.NextShardIterator})
	if err != nil || values(out.Records) != "f" {
		t.Fatalf("next iterator: %v, %v", out, err)
	}
	// Limit.
	it, _ = h.iterator(arn, shard, streamtypes.ShardIteratorTypeTrimHorizon, nil, nil)
	out, err = h.streams.GetRecords(ctx(), &dynamodbstreams.GetRecordsInput{ShardIterator: it, Limit: aws.Int32(2)})
	if err != nil || values(out.Records) != "a,b" {
		t.Fatalf("Limit 2: %v, %v", out, err)
	}
	// Iterators expire after 15 minutes.
	h.clock.Advance(15*time.Minute + time.Second)
	_, err = h.streams.GetRecords(ctx(), &dynamodbstreams.GetRecordsInput{ShardIterator: it})
	var expired *streamtypes.ExpiredIteratorException
	if !errors.As(err, &expired) {
		t.Fatalf("GetRecords with an old iterator: %v", err)
	}
	_, err = h.streams.GetRecords(ctx(), &dynamodbstreams.GetRecordsInput{ShardIterator: aws.String(arn + "|1|Zm9yZ2Vk")})
	wantCode(t, err, "ValidationException")
	_, err = h.iterator(arn, "shardId-00000000000000000000-00000000", streamtypes.ShardIteratorTypeLatest, nil, nil)
	wantCode(t, err, "ResourceNotFoundException")
	_, err = h.iterator(arn+"x", shard, streamtypes.ShardIteratorTypeLatest, nil, nil)
	var rnf *streamtypes.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Fatalf("GetShardIterator of an unknown stream: %v", err)
	}
}

func TestStreams_retentionUnderManualClock(t *testing.T) {
	h := newHarness(t, "")
	arn := *h.createTable("retain", "", types.StreamViewTypeKeysOnly).LatestStreamArn
	h.put("retain", key("old"))
	shard := *h.shardOf(arn).ShardId
	oldSeq := h.records(arn)[0].Dynamodb.SequenceNumber
	early, _ := h.iterator(arn, shard, streamtypes.ShardIteratorTypeTrimHorizon, nil, nil)
	h.clock.Advance(12 * time.Hour)
	h.put("retain", key("new"))
	h.clock.Advance(12 * time.Hour) // "old" is now 24 hours old
	if got := values(h.records(arn)); got != "new" {
		t.Errorf("TRIM_HORIZON after 24 hours: %s, want new", got)
	}
	_, err := h.iterator(arn, shard, streamtypes.ShardIteratorTypeAtSequenceNumber, oldSeq, nil)
	var trimmed *streamtypes.TrimmedDataAccessException
	if !errors.As(err, &trimmed) {
		t.Fatalf("AT_SEQUENCE_NUMBER of a trimmed record: %v", err)
	}
	// An iterator from before the trim (renewed so that it has not expired) points at trimmed data.
	early2 := h.svc.encodeIterator(mustDecode(t, h.svc, *early, h.svc.nowMS()))
	_, err = h.streams.GetRecords(ctx(), &dynamodbstreams.GetRecordsInput{ShardIterator: &early2})
	if !errors.As(err, &trimmed) {
		t.Fatalf("GetRecords behind the trim horizon: %v", err)
	}
	// The janitor removes the expired record; the answers stay the same.
	h.svc.cleanup()
	if got := values(h.records(arn)); got != "new" {
		t.Errorf("after cleanup: %s", got)
	}
	_, err = h.streams.GetRecords(ctx(), &dynamodbstreams.GetRecordsInput{ShardIterator: &early2})
	if !errors.As(err, &trimmed) {
		t.Fatalf("GetRecords behind the trim horizon after cleanup: %v", err)
	}
	var left int
	h.store.View(func(tx *storeTx) error { left = tx.Count(recordsBucket(mustStream(t, h, arn).ID)); return nil })
	if left != 1 {
		t.Errorf("%d records left in the store, want 1", left)
	}
}

func mustDecode(t *testing.T, s *Service, it string, nowMS int64) iteratorState {
	st, ok := s.decodeIterator(it)
	if !ok {
		t.Fatal("cannot decode iterator")
	}
	st.CreatedMS = nowMS
	return st
}

func mustStream(t *testing.T, h *harness, arn string) *streamRec {
	var st *streamRec
	h.store.View(func(tx *storeTx) error {
		var err error
		st, err = getStream(tx, arn)
		return err
	})
	if st == nil {
		t.Fatalf("stream %s not stored", arn)
	}
	return st
}

func TestStreams_updateTableEnableDisable(t *testing.T) {
	h := newHarness(t, "")
	h.createTable("toggle", "", "")
	h.put("toggle", key("before"))
	enable := func() string {
		t.Helper()
		out, err := h.db.UpdateTable(ctx(), &dynamodb.UpdateTableInput{TableName: aws.String("toggle"),
			StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewImage}})
		if err != nil {
			t.Fatal(err)
		}
		h.clock.Advance(time.Second)
		return *out.TableDescription.LatestStreamArn
	}
	disable := func() error {
		_, err := h.db.UpdateTable(ctx(), &dynamodb.UpdateTableInput{TableName: aws.String("toggle"), StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(false)}})
		h.clock.Advance(time.Second)
		return err
	}
	first := enable()
	d, _ := h.streams.DescribeStream(ctx(), &dynamodbstreams.DescribeStreamInput{StreamArn: &first})
	if d.StreamDescription.StreamStatus != streamtypes.StreamStatusEnabled || *d.StreamDescription.TableName != "toggle" || d.StreamDescription.StreamViewType != streamtypes.StreamViewTypeNewImage {
		t.Errorf("first stream: %+v", d.StreamDescription)
	}
	h.put("toggle", key("one"))
	_, err := h.db.UpdateTable(ctx(), &dynamodb.UpdateTableInput{TableName: aws.String("toggle"),
		StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeKeysOnly}})
	wantError(t, err, "ValidationException", "Table already has an enabled stream: TableName: toggle")
	if err := disable(); err != nil {
		t.Fatal(err)
	}
	wantCode(t, disable(), "ValidationException")
	h.put("toggle", key("while-disabled"))
	second := enable()
	if second == first {
		t.Fatal("re-enabling reused the stream ARN")
	}
	h.put("toggle", key("two"))

	// The old stream: DISABLED, its shard closed, still readable to its end.
	d, _ = h.streams.DescribeStream(ctx(), &dynamodbstreams.DescribeStreamInput{StreamArn: &first})
	sh := d.StreamDescription.Shards[0]
	if d.StreamDescription.StreamStatus != streamtypes.StreamStatusDisabled || sh.SequenceNumberRange.EndingSequenceNumber == nil {
		t.Errorf("disabled stream: %s, shard %+v", d.StreamDescription.StreamStatus, sh.SequenceNumberRange)
	}
	it, _ := h.iterator(first, *sh.ShardId, streamtypes.ShardIteratorTypeTrimHorizon, nil, nil)
	out, err := h.streams.GetRecords(ctx(), &dynamodbstreams.GetRecordsInput{ShardIterator: it})
	if err != nil || values(out.Records) != "one" || out.NextShardIterator != nil {
		t.Errorf("reading the closed shard: %v, next %v, %v", values(out.Records), out.NextShardIterator, err)
	}
	if got := values(h.records(second)); got != "two" {
		t.Errorf("second stream: %s", got)
	}
	list, err := h.streams.ListStreams(ctx(), &dynamodbstreams.ListStreamsInput{TableName: aws.String("toggle")})
	if err != nil || len(list.Streams) != 2 || *list.Streams[0].StreamArn != first || *list.Streams[1].StreamArn != second {
		t.Errorf("ListStreams: %+v, %v", list, err)
	}
	// 24 hours after it was disabled the old stream is gone.
	h.clock.Advance(24 * time.Hour)
	_, err = h.streams.DescribeStream(ctx(), &dynamodbstreams.DescribeStreamInput{StreamArn: &first})
	wantCode(t, err, "ResourceNotFoundException")
	list, _ = h.streams.ListStreams(ctx(), &dynamodbstreams.ListStreamsInput{})
	if len(list.Streams) != 1 {
		t.Errorf("ListStreams after 24 hours: %+v", list.Streams)
	}
}

func TestStreams_deleteTableDisablesStream(t *testing.T) {
	h := newHarness(t, "")
	arn := *h.createTable("dropped", "", types.StreamViewTypeKeysOnly).LatestStreamArn
	h.put("dropped", key("a"))
	if _, err := h.db.DeleteTable(ctx(), &dynamodb.DeleteTableInput{TableName: aws.String("dropped")}); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(time.Second)
	d, err := h.streams.DescribeStream(ctx(), &dynamodbstreams.DescribeStreamInput{StreamArn: &arn})
	if err != nil || d.StreamDescription.StreamStatus != streamtypes.StreamStatusDisabled {
		t.Fatalf("stream of a deleted table: %v, %v", d, err)
	}
	if got := values(h.records(arn)); got != "a" {
		t.Errorf("records of a deleted table's stream: %s", got)
	}
	// A stream closed before any write has an empty closed shard, which ends at once.
	empty := *h.createTable("empty", "", types.StreamViewTypeKeysOnly).LatestStreamArn
	if _, err := h.db.DeleteTable(ctx(), &dynamodb.DeleteTableInput{TableName: aws.String("empty")}); err != nil {
		t.Fatal(err)
	}
	sh := h.shardOf(empty)
	if sh.SequenceNumberRange.EndingSequenceNumber == nil {
		t.Fatalf("empty shard not closed: %+v", sh.SequenceNumberRange)
	}
	it, _ := h.iterator(empty, *sh.ShardId, streamtypes.ShardIteratorTypeTrimHorizon, nil, nil)
	out, err := h.streams.GetRecords(ctx(), &dynamodbstreams.GetRecordsInput{ShardIterator: it})
	if err != nil || len(out.Records) != 0 || out.NextShardIterator != nil {
		t.Errorf("reading an empty closed shard: %v, next %v, %v", out.Records, out.NextShardIterator, err)
	}
}

func TestStreams_shardRollsWithLineage(t *testing.T) {
	h := newHarness(t, "")
	arn := *h.createTable("rolls", "", types.StreamViewTypeKeysOnly).LatestStreamArn
	h.put("rolls", key("a"))
	h.clock.Advance(4 * time.Hour)
	h.put("rolls", key("b"))
	d, err := h.streams.DescribeStream(ctx(), &dynamodbstreams.DescribeStreamInput{StreamArn: &arn})
	if err != nil {
		t.Fatal(err)
	}
	shards := d.StreamDescription.Shards
	if len(shards) != 2 || shards[1].ParentShardId == nil || *shards[1].ParentShardId != *shards[0].ShardId ||
		shards[0].SequenceNumberRange.EndingSequenceNumber == nil || shards[1].SequenceNumberRange.EndingSequenceNumber != nil {
		t.Fatalf("shards after a roll: %+v", shards)
	}
	if got := values(h.records(arn)); got != "a,b" {
		t.Errorf("records across the roll: %s", got)
	}
	children, err := h.streams.DescribeStream(ctx(), &dynamodbstreams.DescribeStreamInput{StreamArn: &arn,
		ShardFilter: &streamtypes.ShardFilter{Type: streamtypes.ShardFilterTypeChildShards, ShardId: shards[0].ShardId}})
	if err != nil || len(children.StreamDescription.Shards) != 1 || *children.StreamDescription.Shards[0].ShardId != *shards[1].ShardId {
		t.Errorf("CHILD_SHARDS: %+v, %v", children, err)
	}
	page, err := h.streams.DescribeStream(ctx(), &dynamodbstreams.DescribeStreamInput{StreamArn: &arn, Limit: aws.Int32(1)})
	if err != nil || len(page.StreamDescription.Shards) != 1 || page.StreamDescription.LastEvaluatedShardId == nil {
		t.Fatalf("DescribeStream Limit 1: %+v, %v", page, err)
	}
	page, err = h.streams.DescribeStream(ctx(), &dynamodbstreams.DescribeStreamInput{StreamArn: &arn, ExclusiveStartShardId: page.StreamDescription.LastEvaluatedShardId})
	if err != nil || len(page.StreamDescription.Shards) != 1 || *page.StreamDescription.Shards[0].ShardId != *shards[1].ShardId {
		t.Fatalf("DescribeStream second page: %+v, %v", page, err)
	}
	// The parent expires 24 hours after it closed; the child stays.
	h.clock.Advance(24 * time.Hour)
	d, _ = h.streams.DescribeStream(ctx(), &dynamodbstreams.DescribeStreamInput{StreamArn: &arn})
	if len(d.StreamDescription.Shards) != 1 || *d.StreamDescription.Shards[0].ShardId != *shards[1].ShardId {
		t.Errorf("shards after 24 hours: %+v", d.StreamDescription.Shards)
	}
}
