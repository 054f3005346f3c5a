package kinesis

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Expected shards come from Python's hashlib.md5 over uniform ranges, computed outside this
// package: md5(key) as a 128-bit big-endian integer, divided by floor(2^128/n).
func TestKinesis_partitionKeyRouting(t *testing.T) {
	h := newHarness(t, "")
	h.createStream("three", 3)
	h.createStream("four", 4)
	cases := []struct {
		key          string
		three, four  int
		explicitHash string
	}{
		{key: "a", three: 0, four: 0},
		{key: "b", three: 1, four: 2},
		{key: "partition-1", three: 1, four: 2},
		{key: "user-42", three: 1, four: 1},
		{key: "0", three: 2, four: 3},
		{key: "hello", three: 1, four: 1},
		{key: "kinesis", three: 2, four: 3},
		{key: "\U0001F642", three: 1, four: 1},
		{key: strings.Repeat("x", 256), three: 2, four: 3},
	}
	for _, c := range cases {
		for stream, want := range map[string]int{"three": c.three, "four": c.four} {
			out := h.put(stream, c.key, "d")
			if got := *out.ShardId; got != shardID(want) {
				t.Errorf("%s: key %q went to %s, want %s", stream, c.key, got, shardID(want))
			}
		}
	}
	// md5("a") = 16955237001963240173058271559858726497, and the hash key is what routes.
	if got := partitionHash("a").String(); got != "16955237001963240173058271559858726497" {
		t.Errorf("md5 hash key of a: %s", got)
	}
	// ExplicitHashKey overrides the partition key; boundaries are inclusive.
	for hash, want := range map[string]string{
		"0": shardID(0), "113427455640312821154458202477256070484": shardID(0),
		"113427455640312821154458202477256070485": shardID(1), "340282366920938463463374607431768211455": shardID(2),
	} {
		out, err := h.client.PutRecord(ctx(), &kinesis.PutRecordInput{StreamName: aws.String("three"), PartitionKey: aws.String("a"), ExplicitHashKey: aws.String(hash), Data: []byte("x")})
		if err != nil || *out.ShardId != want {
			t.Errorf("ExplicitHashKey %s: %v %v, want %s", hash, err, out, want)
		}
	}
	_, err := h.client.PutRecord(ctx(), &kinesis.PutRecordInput{StreamName: aws.String("three"), PartitionKey: aws.String("a"), ExplicitHashKey: aws.String("340282366920938463463374607431768211456"), Data: []byte("x")})
	wantCode(t, err, "InvalidArgumentException")
	_, err = h.client.PutRecord(ctx(), &kinesis.PutRecordInput{StreamName: aws.String("three"), PartitionKey: aws.String("a"), ExplicitHashKey: aws.String("12a"), Data: []byte("x")})
	wantCode(t, err, "ValidationException")
}

func TestKinesis_everyIteratorType(t *testing.T) {
	h := newHarness(t, "")
	h.createStream("s", 1)
	shard := shardID(0)
	var seqs []string
	var times []time.Time
	for i := 0; i < 5; i++ {
		times = append(times, h.clock.Now())
		out := h.put("s", "k", fmt.Sprint("r", i))
		seqs = append(seqs, *out.SequenceNumber)
		if *out.ShardId != shard || out.EncryptionType != types.EncryptionTypeNone {
			t.Fatalf("PutRecord: %+v", out)
		}
		h.clock.Advance(10 * time.Second)
	}
	for i := 1; i < len(seqs); i++ {
		if CompareSequenceNumbers(seqs[i-1], seqs[i]) >= 0 || len(seqs[i]) != 56 {
			t.Fatalf("sequence numbers not increasing 56-digit numbers: %v", seqs)
		}
	}
	latest := h.iterator("s", shard, types.ShardIteratorTypeLatest, nil, nil)
	h.put("s", "k", "after-latest")
	cases := []struct {
		name string
		it   string
		want string
	}{
		{"TRIM_HORIZON", h.iterator("s", shard, types.ShardIteratorTypeTrimHorizon, nil, nil), "r0,r1,r2,r3,r4,after-latest"},
		{"LATEST", latest, "after-latest"},
		{"AT_SEQUENCE_NUMBER", h.iterator("s", shard, types.ShardIteratorTypeAtSequenceNumber, &seqs[2], nil), "r2,r3,r4,after-latest"},
		{"AFTER_SEQUENCE_NUMBER", h.iterator("s", shard, types.ShardIteratorTypeAfterSequenceNumber, &seqs[2], nil), "r3,r4,after-latest"},
		{"AT_TIMESTAMP", h.iterator("s", shard, types.ShardIteratorTypeAtTimestamp, nil, &times[3]), "r3,r4,after-latest"},
		{"AT_TIMESTAMP between records", h.iterator("s", shard, types.ShardIteratorTypeAtTimestamp, nil, aws.Time(times[1].Add(time.Second))), "r2,r3,r4,after-latest"},
		{"AT_SEQUENCE_NUMBER of the shard start", h.iterator("s", shard, types.ShardIteratorTypeAtSequenceNumber, h.shards("s")[0].SequenceNumberRange.StartingSequenceNumber, nil), "r0,r1,r2,r3,r4,after-latest"},
	}
	for _, c := range cases {
		if got := strings.Join(datas(h.readAll(c.it)), ","); got != c.want {
			t.Errorf("%s: read %s, want %s", c.name, got, c.want)
		}
	}

	// Limit, MillisBehindLatest, ApproximateArrivalTimestamp, and the next iterator.
	out, err := h.client.GetRecords(ctx(), &kinesis.GetRecordsInput{ShardIterator: aws.String(cases[0].it), Limit: aws.Int32(2)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Records) != 2 || out.NextShardIterator == nil || *out.MillisBehindLatest != h.clock.Now().Sub(times[2]).Milliseconds() {
		t.Fatalf("page of 2: %d records, next %v, behind %d", len(out.Records), out.NextShardIterator, *out.MillisBehindLatest)
	}
	if !out.Records[1].ApproximateArrivalTimestamp.Equal(times[1]) || *out.Records[0].SequenceNumber != seqs[0] || *out.Records[0].PartitionKey != "k" {
		t.Fatalf("record: %+v", out.Records[1])
	}
	rest := h.readAll(*out.NextShardIterator)
	if got := strings.Join(datas(rest), ","); got != "r2,r3,r4,after-latest" {
		t.Fatalf("after the page: %s", got)
	}
	caught, err := h.client.GetRecords(ctx(), &kinesis.GetRecordsInput{ShardIterator: aws.String(latest)})
	if err != nil || *caught.MillisBehindLatest != 0 || caught.NextShardIterator == nil {
		t.Fatalf("caught up: %v %+v", err, caught)
	}

	// Argument errors, with AWS's texts.
	_, err = h.client.GetShardIterator(ctx(), &kinesis.GetShardIteratorInput{StreamName: aws.String("s"), ShardId: aws.String(shard), ShardIteratorType: types.ShardIteratorTypeAtSequenceNumber})
	wantCode(t, err, "InvalidArgumentException")
	_, err = h.client.GetShardIterator(ctx(), &kinesis.GetShardIteratorInput{StreamName: aws.String("s"), ShardId: aws.String(shard), ShardIteratorType: types.ShardIteratorTypeAtTimestamp, Timestamp: aws.Time(h.clock.Now().Add(time.Hour))})
	wantCode(t, err, "InvalidArgumentException")
	_, err = h.client.GetShardIterator(ctx(), &kinesis.GetShardIteratorInput{StreamName: aws.String("s"), ShardId: aws.String("shardId-000000000007"), ShardIteratorType: types.ShardIteratorTypeLatest})
	var notFound *types.ResourceNotFoundException
	if !errors.As(err, &notFound) || apiMessage(err) != "Shard shardId-000000000007 in stream s under account 000000000000 does not exist" {
		t.Fatalf("unknown shard: %v", err)
	}
	_, err = h.client.GetRecords(ctx(), &kinesis.GetRecordsInput{ShardIterator: aws.String("AAAAAAAAAAEgarbage")})
	wantCode(t, err, "InvalidArgumentException")
	// A bare shard number is accepted, as AWS does.
	h.iterator("s", "0", types.ShardIteratorTypeLatest, nil, nil)
}

func TestKinesis_sequenceNumberOfAnotherShard(t *testing.T) {
	h := newHarness(t, "")
	h.createStream("two", 2)
	out, err := h.client.PutRecord(ctx(), &kinesis.PutRecordInput{StreamName: aws.String("two"), PartitionKey: aws.String("a"), Data: []byte("x"), ExplicitHashKey: aws.String("0")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.client.GetShardIterator(ctx(), &kinesis.GetShardIteratorInput{StreamName: aws.String("two"), ShardId: aws.String(shardID(1)),
		ShardIteratorType: types.ShardIteratorTypeAtSequenceNumber, StartingSequenceNumber: out.SequenceNumber})
	wantCode(t, err, "InvalidArgumentException")
	if want := "Invalid StartingSequenceNumber. It encodes shardId-000000000000, while it was used in a call to a shard with shardId-000000000001"; apiMessage(err) != want {
		t.Fatalf("message %q", apiMessage(err))
	}
}

func TestKinesis_iteratorExpiresAfterFiveMinutes(t *testing.T) {
	h := newHarness(t, "")
	h.createStream("s", 1)
	h.put("s", "k", "one")
	it := h.iterator("s", shardID(0), types.ShardIteratorTypeTrimHorizon, nil, nil)
	h.clock.Advance(5 * time.Minute)
	out, err := h.client.GetRecords(ctx(), &kinesis.GetRecordsInput{ShardIterator: aws.String(it)})
	if err != nil || len(out.Records) != 1 {
		t.Fatalf("at exactly five minutes: %v", err)
	}
	h.clock.Advance(time.Millisecond)
	_, err = h.client.GetRecords(ctx(), &kinesis.GetRecordsInput{ShardIterator: aws.String(it)})
	var expired *types.ExpiredIteratorException
	if !errors.As(err, &expired) {
		t.Fatalf("after five minutes: %v, want ExpiredIteratorException", err)
	}
	if !strings.Contains(apiMessage(err), "Iterator expired. The iterator was created at time Mon Mar 02 10:00:31 UTC 2026 while right now it is Mon Mar 02 10:05:31 UTC 2026") {
		t.Errorf("message: %s", apiMessage(err))
	}
	// The next iterator is fresh: issued when GetRecords answered.
	next := *out.NextShardIterator
	h.clock.Advance(4 * time.Minute)
	if _, err := h.client.GetRecords(ctx(), &kinesis.GetRecordsInput{ShardIterator: aws.String(next)}); err != nil {
		t.Fatalf("NextShardIterator 4 minutes later: %v", err)
	}
}

func TestKinesis_retentionTrimsRecords(t *testing.T) {
	h := newHarness(t, "")
	h.createStream("s", 1)
	h.put("s", "k", "old-1")
	h.put("s", "k", "old-2")
	h.clock.Advance(12 * time.Hour)
	h.put("s", "k", "mid")
	trim := func() string {
		return strings.Join(datas(h.readAll(h.iterator("s", shardID(0), types.ShardIteratorTypeTrimHorizon, nil, nil))), ",")
	}
	if got := trim(); got != "old-1,old-2,mid" {
		t.Fatalf("before expiry: %s", got)
	}
	h.clock.Advance(12 * time.Hour) // old records are exactly 24 hours old: not older than the retention yet
	oldIt := h.iterator("s", shardID(0), types.ShardIteratorTypeTrimHorizon, nil, nil)
	if got := trim(); got != "old-1,old-2,mid" {
		t.Fatalf("just before expiry: %s", got)
	}
	h.clock.Advance(time.Millisecond)
	if got := trim(); got != "mid" {
		t.Fatalf("after 24 hours: TRIM_HORIZON reads %s, want mid", got)
	}
	// An iterator made before the expiry skips the expired records too.
	if got := strings.Join(datas(h.readAll(oldIt)), ","); got != "mid" {
		t.Fatalf("older iterator: %s", got)
	}
	// Raising the retention does not bring expired records back.
	if _, err := h.client.IncreaseStreamRetentionPeriod(ctx(), &kinesis.IncreaseStreamRetentionPeriodInput{StreamName: aws.String("s"), RetentionPeriodHours: aws.Int32(48)}); err != nil {
		t.Fatal(err)
	}
	if got := trim(); got != "mid" {
		t.Fatalf("after raising retention: %s", got)
	}
	// The trim removed them from the store as well (it runs every minute of the Clock).
	h.clock.Advance(2 * time.Minute)
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := h.storedRecords("s", 0)
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d records still stored, want 1", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	// Decreasing the retention expires at once.
	if _, err := h.client.DecreaseStreamRetentionPeriod(ctx(), &kinesis.DecreaseStreamRetentionPeriodInput{StreamName: aws.String("s"), RetentionPeriodHours: aws.Int32(24)}); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(12 * time.Hour)
	if got := trim(); got != "" {
		t.Fatalf("after decreasing retention: %s", got)
	}
}

// storedRecords counts what the store holds for a shard, expired or not.
func (h *harness) storedRecords(stream string, index int) int {
	h.svc.mu.RLock()
	st := h.svc.streams[stream]
	bucket := st.shardByIndex(index).recordsBucket(st.rec.Incarnation)
	h.svc.mu.RUnlock()
	var n int
	if err := h.store.View(func(tx *store.Tx) error { n = tx.Count(bucket); return nil }); err != nil {
		h.t.Fatal(err)
	}
	return n
}

// Eight producers write 200 records each, concurrently, to a four-shard stream. Every shard's
// sequence numbers must strictly increase in read order, each producer's records must keep
// their order within a shard, and every acknowledged sequence number must be read back.
func TestKinesis_concurrentWritersKeepShardOrder(t *testing.T) {
	h := newHarness(t, "")
	h.createStream("s", 4)
	const writers, perWriter = 8, 200
	acked := make([][]string, writers)
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for n := 0; n < perWriter; n++ {
				out, err := h.client.PutRecord(ctx(), &kinesis.PutRecordInput{
					StreamName:   aws.String("s"),
					PartitionKey: aws.String(fmt.Sprintf("w%d-k%d", w, n%5)),
					Data:         []byte(fmt.Sprintf("%d:%d", w, n)),
				})
				if err != nil {
					errs <- err
					return
				}
				acked[w] = append(acked[w], *out.SequenceNumber)
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	read := map[string]bool{}
	total := 0
	for _, sh := range h.shards("s") {
		recs := h.readAll(h.iterator("s", *sh.ShardId, types.ShardIteratorTypeTrimHorizon, nil, nil))
		total += len(recs)
		lastPerWriter := map[int]int{}
		for i, r := range recs {
			if i > 0 && CompareSequenceNumbers(*recs[i-1].SequenceNumber, *r.SequenceNumber) >= 0 {
				t.Fatalf("%s: sequence numbers not increasing at %d: %s then %s", *sh.ShardId, i, *recs[i-1].SequenceNumber, *r.SequenceNumber)
			}
			var w, n int
			fmt.Sscanf(string(r.Data), "%d:%d", &w, &n)
			if last, ok := lastPerWriter[w]; ok && n <= last {
				t.Fatalf("%s: writer %d's record %d read after its record %d", *sh.ShardId, w, n, last)
			}
			lastPerWriter[w] = n
			read[*r.SequenceNumber] = true
		}
	}
	if total != writers*perWriter {
		t.Fatalf("read %d records, want %d", total, writers*perWriter)
	}
	for w, seqs := range acked {
		for _, s := range seqs {
			if !read[s] {
				t.Fatalf("writer %d's acknowledged record %s was not read back", w, s)
			}
		}
	}
}

func TestKinesis_putRecordsPartialFailure(t *testing.T) {
	h := newHarness(t, "", func(c *Config) { c.Throughput = DefaultThroughput() })
	h.createStream("s", 2)
	batch := func(n int, hash string) []types.PutRecordsRequestEntry {
		out := make([]types.PutRecordsRequestEntry, n)
		for i := range out {
			out[i] = types.PutRecordsRequestEntry{PartitionKey: aws.String("k"), ExplicitHashKey: aws.String(hash), Data: []byte(fmt.Sprint(i))}
		}
		return out
	}
	// Shard 0 takes 1,000 records a second: 500 + 499 fit, then 2 more for shard 0 only fit one.
	for _, n := range []int{500, 499} {
		out, err := h.client.PutRecords(ctx(), &kinesis.PutRecordsInput{StreamName: aws.String("s"), Records: batch(n, "0")})
		if err != nil || *out.FailedRecordCount != 0 {
			t.Fatalf("PutRecords %d: %v %+v", n, err, out)
		}
	}
	mixed := append(batch(2, "0"), batch(1, maxHashKey.String())...)
	out, err := h.client.PutRecords(ctx(), &kinesis.PutRecordsInput{StreamName: aws.String("s"), Records: mixed})
	if err != nil {
		t.Fatal(err)
	}
	if *out.FailedRecordCount != 1 || len(out.Records) != 3 {
		t.Fatalf("FailedRecordCount %d of %d", *out.FailedRecordCount, len(out.Records))
	}
	failed, ok0, ok1 := out.Records[1], out.Records[0], out.Records[2]
	if failed.ErrorCode == nil || *failed.ErrorCode != "ProvisionedThroughputExceededException" || failed.SequenceNumber != nil ||
		*failed.ErrorMessage != "Rate exceeded for shard shardId-000000000000 in stream s under account 000000000000." {
		t.Fatalf("failed entry: %+v", failed)
	}
	if ok0.ErrorCode != nil || *ok0.ShardId != shardID(0) || ok1.ErrorCode != nil || *ok1.ShardId != shardID(1) {
		t.Fatalf("successful entries: %+v %+v", ok0, ok1)
	}
	// PutRecord fails whole when throttled; the next second has room again.
	_, err = h.client.PutRecord(ctx(), &kinesis.PutRecordInput{StreamName: aws.String("s"), PartitionKey: aws.String("k"), ExplicitHashKey: aws.String("0"), Data: []byte("x")})
	var pte *types.ProvisionedThroughputExceededException
	if !errors.As(err, &pte) {
		t.Fatalf("throttled PutRecord: %v", err)
	}
	h.clock.Advance(time.Second)
	h.put("s", "a", "fits again")

	// A malformed entry fails the whole request, as on AWS, and nothing is written.
	before := h.storedRecords("s", 1)
	_, err = h.client.PutRecords(ctx(), &kinesis.PutRecordsInput{StreamName: aws.String("s"), Records: append(batch(1, maxHashKey.String()),
		types.PutRecordsRequestEntry{PartitionKey: aws.String("k"), ExplicitHashKey: aws.String(new(big.Int).Add(maxHashKey, big.NewInt(1)).String()), Data: []byte("x")})})
	wantCode(t, err, "InvalidArgumentException")
	if !strings.HasPrefix(apiMessage(err), "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1].") {
		t.Errorf("message: %s", apiMessage(err))
	}
	if after := h.storedRecords("s", 1); after != before {
		t.Fatalf("a rejected PutRecords stored %d records", after-before)
	}
}

func TestKinesis_readThroughputLimit(t *testing.T) {
	h := newHarness(t, "", func(c *Config) { c.Throughput = DefaultThroughput() })
	h.createStream("s", 1)
	it := h.iterator("s", shardID(0), types.ShardIteratorTypeTrimHorizon, nil, nil)
	for i := 0; i < 5; i++ {
		if _, err := h.client.GetRecords(ctx(), &kinesis.GetRecordsInput{ShardIterator: aws.String(it)}); err != nil {
			t.Fatalf("read %d: %v", i, err)
		}
	}
	_, err := h.client.GetRecords(ctx(), &kinesis.GetRecordsInput{ShardIterator: aws.String(it)})
	wantCode(t, err, "ProvisionedThroughputExceededException")
	h.clock.Advance(time.Second)
	if _, err := h.client.GetRecords(ctx(), &kinesis.GetRecordsInput{ShardIterator: aws.String(it)}); err != nil {
		t.Fatalf("next second: %v", err)
	}
}

func TestKinesis_recordSizeLimits(t *testing.T) {
	h := newHarness(t, "")
	h.createStream("s", 1)
	big1 := make([]byte, 1<<20)
	// 1 MiB of data plus the partition key is over the default 1 MiB record size.
	_, err := h.client.PutRecord(ctx(), &kinesis.PutRecordInput{StreamName: aws.String("s"), PartitionKey: aws.String("k"), Data: big1})
	wantCode(t, err, "ValidationException")
	if _, err := h.client.PutRecord(ctx(), &kinesis.PutRecordInput{StreamName: aws.String("s"), PartitionKey: aws.String("k"), Data: big1[:1<<20-1]}); err != nil {
		t.Fatalf("1 MiB record with its key: %v", err)
	}
	// Raised to 10 MiB (AWS's large records), a 2 MiB record fits.
	arn := "arn:aws:kinesis:us-east-1:000000000000:stream/s"
	if _, err := h.client.UpdateMaxRecordSize(ctx(), &kinesis.UpdateMaxRecordSizeInput{StreamARN: aws.String(arn), MaxRecordSizeInKiB: aws.Int32(10240)}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.PutRecord(ctx(), &kinesis.PutRecordInput{StreamName: aws.String("s"), PartitionKey: aws.String("k"), Data: make([]byte, 2<<20)}); err != nil {
		t.Fatalf("2 MiB record after UpdateMaxRecordSize: %v", err)
	}
	// PutRecords: 500 records at most.
	many := make([]types.PutRecordsRequestEntry, 501)
	for i := range many {
		many[i] = types.PutRecordsRequestEntry{PartitionKey: aws.String("k"), Data: []byte("x")}
	}
	_, err = h.client.PutRecords(ctx(), &kinesis.PutRecordsInput{StreamName: aws.String("s"), Records: many})
	wantCode(t, err, "ValidationException")
	_, err = h.client.PutRecord(ctx(), &kinesis.PutRecordInput{StreamName: aws.String("s"), PartitionKey: aws.String(strings.Repeat("é", 257)), Data: []byte("x")})
	wantCode(t, err, "ValidationException")
}
