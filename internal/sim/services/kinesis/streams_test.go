package kinesis

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

func TestKinesis_streamLifecycle(t *testing.T) {
	h := newHarness(t, "")
	_, err := h.client.CreateStream(ctx(), &kinesis.CreateStreamInput{
		StreamName: aws.String("orders"), ShardCount: aws.Int32(3), Tags: map[string]string{"team": "a"},
	})
	if err != nil {
		t.Fatal(err)
	}
	// CREATING: described, but without shards; writes do not find it.
	d, err := h.client.DescribeStream(ctx(), &kinesis.DescribeStreamInput{StreamName: aws.String("orders")})
	if err != nil {
		t.Fatal(err)
	}
	if d.StreamDescription.StreamStatus != types.StreamStatusCreating || len(d.StreamDescription.Shards) != 0 {
		t.Fatalf("new stream: status %s with %d shards, want CREATING with none", d.StreamDescription.StreamStatus, len(d.StreamDescription.Shards))
	}
	_, err = h.client.PutRecord(ctx(), &kinesis.PutRecordInput{StreamName: aws.String("orders"), PartitionKey: aws.String("k"), Data: []byte("x")})
	var notFound *types.ResourceNotFoundException
	if !errors.As(err, &notFound) {
		t.Fatalf("PutRecord on a CREATING stream: %v, want ResourceNotFoundException", err)
	}
	_, err = h.client.AddTagsToStream(ctx(), &kinesis.AddTagsToStreamInput{StreamName: aws.String("orders"), Tags: map[string]string{"b": "c"}})
	wantCode(t, err, "ResourceInUseException")

	h.clock.Advance(199 * time.Millisecond)
	h.waitStatus("orders", types.StreamStatusCreating)
	h.clock.Advance(time.Millisecond)
	sum := h.waitStatus("orders", types.StreamStatusActive)
	if *sum.OpenShardCount != 3 || *sum.RetentionPeriodHours != 24 || *sum.MaxRecordSizeInKiB != 1024 ||
		*sum.StreamARN != "arn:aws:kinesis:us-east-1:000000000000:stream/orders" || sum.EncryptionType != types.EncryptionTypeNone ||
		sum.StreamModeDetails.StreamMode != types.StreamModeProvisioned {
		t.Fatalf("summary: %+v", sum)
	}

	// AWS's own three-shard example (DescribeStream CLI example) has exactly these ranges.
	d, err = h.client.DescribeStream(ctx(), &kinesis.DescribeStreamInput{StreamARN: sum.StreamARN})
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]string{
		{"0", "113427455640312821154458202477256070484"},
		{"113427455640312821154458202477256070485", "226854911280625642308916404954512140969"},
		{"226854911280625642308916404954512140970", "340282366920938463463374607431768211455"},
	}
	if len(d.StreamDescription.Shards) != 3 {
		t.Fatalf("shards: %+v", d.StreamDescription.Shards)
	}
	for i, sh := range d.StreamDescription.Shards {
		if *sh.ShardId != fmt.Sprintf("shardId-%012d", i) || *sh.HashKeyRange.StartingHashKey != want[i][0] || *sh.HashKeyRange.EndingHashKey != want[i][1] {
			t.Errorf("shard %d: %s %s..%s, want %v", i, *sh.ShardId, *sh.HashKeyRange.StartingHashKey, *sh.HashKeyRange.EndingHashKey, want[i])
		}
		seq := *sh.SequenceNumberRange.StartingSequenceNumber
		if len(seq) != 56 || !strings.HasPrefix(seq, "49") || sh.SequenceNumberRange.EndingSequenceNumber != nil {
			t.Errorf("shard %d sequence range: %+v", i, sh.SequenceNumberRange)
		}
	}
	// Pagination of DescribeStream.
	d, err = h.client.DescribeStream(ctx(), &kinesis.DescribeStreamInput{StreamName: aws.String("orders"), Limit: aws.Int32(2)})
	if err != nil || len(d.StreamDescription.Shards) != 2 || !*d.StreamDescription.HasMoreShards {
		t.Fatalf("DescribeStream Limit 2: %v %+v", err, d)
	}
	d, err = h.client.DescribeStream(ctx(), &kinesis.DescribeStreamInput{StreamName: aws.String("orders"), ExclusiveStartShardId: aws.String("shardId-000000000001")})
	if err != nil || len(d.StreamDescription.Shards) != 1 || *d.StreamDescription.Shards[0].ShardId != "shardId-000000000002" || *d.StreamDescription.HasMoreShards {
		t.Fatalf("DescribeStream after shard 1: %v %+v", err, d)
	}

	tags, err := h.client.ListTagsForStream(ctx(), &kinesis.ListTagsForStreamInput{StreamName: aws.String("orders")})
	if err != nil || len(tags.Tags) != 1 || *tags.Tags[0].Key != "team" {
		t.Fatalf("tags: %v %+v", err, tags)
	}

	_, err = h.client.CreateStream(ctx(), &kinesis.CreateStreamInput{StreamName: aws.String("orders"), ShardCount: aws.Int32(1)})
	var inUse *types.ResourceInUseException
	if !errors.As(err, &inUse) || apiMessage(err) != "Stream orders under account 000000000000 already exists." {
		t.Fatalf("second CreateStream: %v", err)
	}

	if _, err := h.client.DeleteStream(ctx(), &kinesis.DeleteStreamInput{StreamName: aws.String("orders")}); err != nil {
		t.Fatal(err)
	}
	h.waitStatus("orders", types.StreamStatusDeleting)
	h.clock.Advance(time.Second)
	_, err = h.client.DescribeStreamSummary(ctx(), &kinesis.DescribeStreamSummaryInput{StreamName: aws.String("orders")})
	if !errors.As(err, &notFound) || apiMessage(err) != "Stream orders under account 000000000000 not found." {
		t.Fatalf("deleted stream: %v", err)
	}
	// The name is free again, and the new stream has none of the old one's records.
	h.createStream("orders", 1)
}

func TestKinesis_onDemandStartsWithFourShards(t *testing.T) {
	h := newHarness(t, "")
	_, err := h.client.CreateStream(ctx(), &kinesis.CreateStreamInput{
		StreamName: aws.String("od"), StreamModeDetails: &types.StreamModeDetails{StreamMode: types.StreamModeOnDemand},
	})
	if err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(time.Second)
	sum := h.waitStatus("od", types.StreamStatusActive)
	if *sum.OpenShardCount != 4 || sum.StreamModeDetails.StreamMode != types.StreamModeOnDemand {
		t.Fatalf("on-demand summary: %+v", sum)
	}
	_, err = h.client.UpdateShardCount(ctx(), &kinesis.UpdateShardCountInput{StreamName: aws.String("od"), TargetShardCount: aws.Int32(8), ScalingType: types.ScalingTypeUniformScaling})
	wantCode(t, err, "ValidationException")
	// A provisioned stream needs its ShardCount.
	_, err = h.client.CreateStream(ctx(), &kinesis.CreateStreamInput{StreamName: aws.String("p")})
	wantCode(t, err, "InvalidArgumentException")
}

func TestKinesis_listStreamsPages(t *testing.T) {
	h := newHarness(t, "")
	for _, n := range []string{"c", "a", "b"} {
		h.createStream(n, 1)
	}
	out, err := h.client.ListStreams(ctx(), &kinesis.ListStreamsInput{Limit: aws.Int32(2)})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(out.StreamNames, ",") != "a,b" || !*out.HasMoreStreams || out.NextToken == nil ||
		len(out.StreamSummaries) != 2 || *out.StreamSummaries[1].StreamARN != "arn:aws:kinesis:us-east-1:000000000000:stream/b" ||
		out.StreamSummaries[0].StreamStatus != types.StreamStatusActive {
		t.Fatalf("first page: %+v", out)
	}
	out, err = h.client.ListStreams(ctx(), &kinesis.ListStreamsInput{NextToken: out.NextToken})
	if err != nil || strings.Join(out.StreamNames, ",") != "c" || *out.HasMoreStreams {
		t.Fatalf("second page: %v %+v", err, out)
	}
	out, err = h.client.ListStreams(ctx(), &kinesis.ListStreamsInput{ExclusiveStartStreamName: aws.String("a")})
	if err != nil || strings.Join(out.StreamNames, ",") != "b,c" {
		t.Fatalf("after a: %v %+v", err, out)
	}
}

func TestKinesis_createStreamLimits(t *testing.T) {
	h := newHarness(t, "", func(c *Config) { c.ShardQuota = 10 })
	for i := 0; i < 5; i++ {
		if _, err := h.client.CreateStream(ctx(), &kinesis.CreateStreamInput{StreamName: aws.String(fmt.Sprint("s", i)), ShardCount: aws.Int32(1)}); err != nil {
			t.Fatal(err)
		}
	}
	// AWS: no more than five streams CREATING at once.
	_, err := h.client.CreateStream(ctx(), &kinesis.CreateStreamInput{StreamName: aws.String("s5"), ShardCount: aws.Int32(1)})
	wantCode(t, err, "LimitExceededException")
	h.clock.Advance(time.Second)
	// The account's shard quota: 5 open, quota 10.
	_, err = h.client.CreateStream(ctx(), &kinesis.CreateStreamInput{StreamName: aws.String("big"), ShardCount: aws.Int32(6)})
	wantCode(t, err, "LimitExceededException")
	if !strings.Contains(apiMessage(err), "Current shard count for the account: 5. Limit: 10.") {
		t.Errorf("shard quota message: %s", apiMessage(err))
	}
	limits, err := h.client.DescribeLimits(ctx(), &kinesis.DescribeLimitsInput{})
	if err != nil || *limits.ShardLimit != 10 || *limits.OpenShardCount != 5 || *limits.OnDemandStreamCountLimit != 50 {
		t.Fatalf("DescribeLimits: %v %+v", err, limits)
	}
}

func TestKinesis_retentionPeriodBounds(t *testing.T) {
	h := newHarness(t, "")
	h.createStream("r", 1)
	inc := func(hours int32) error {
		_, err := h.client.IncreaseStreamRetentionPeriod(ctx(), &kinesis.IncreaseStreamRetentionPeriodInput{StreamName: aws.String("r"), RetentionPeriodHours: aws.Int32(hours)})
		return err
	}
	dec := func(hours int32) error {
		_, err := h.client.DecreaseStreamRetentionPeriod(ctx(), &kinesis.DecreaseStreamRetentionPeriodInput{StreamName: aws.String("r"), RetentionPeriodHours: aws.Int32(hours)})
		return err
	}
	wantCode(t, inc(8761), "InvalidArgumentException")
	wantCode(t, dec(23), "InvalidArgumentException")
	if err := inc(8760); err != nil {
		t.Fatal(err)
	}
	wantCode(t, inc(100), "InvalidArgumentException") // shorter than now: use Decrease
	if err := dec(48); err != nil {
		t.Fatal(err)
	}
	wantCode(t, dec(72), "InvalidArgumentException")
	if got := *h.waitStatus("r", types.StreamStatusActive).RetentionPeriodHours; got != 48 {
		t.Fatalf("retention %d, want 48", got)
	}
}

func TestKinesis_tags(t *testing.T) {
	h := newHarness(t, "")
	h.createStream("t", 1)
	arn := "arn:aws:kinesis:us-east-1:000000000000:stream/t"
	tags := map[string]string{}
	for i := 0; i < 50; i++ {
		tags[fmt.Sprintf("k%02d", i)] = "v"
	}
	if _, err := h.client.AddTagsToStream(ctx(), &kinesis.AddTagsToStreamInput{StreamARN: aws.String(arn), Tags: tags}); err != nil {
		t.Fatal(err)
	}
	_, err := h.client.AddTagsToStream(ctx(), &kinesis.AddTagsToStreamInput{StreamName: aws.String("t"), Tags: map[string]string{"one-more": "v"}})
	wantCode(t, err, "InvalidArgumentException")
	page, err := h.client.ListTagsForStream(ctx(), &kinesis.ListTagsForStreamInput{StreamName: aws.String("t"), Limit: aws.Int32(10), ExclusiveStartTagKey: aws.String("k09")})
	if err != nil || len(page.Tags) != 10 || *page.Tags[0].Key != "k10" || !*page.HasMoreTags {
		t.Fatalf("tag page: %v %+v", err, page)
	}
	if _, err := h.client.RemoveTagsFromStream(ctx(), &kinesis.RemoveTagsFromStreamInput{StreamName: aws.String("t"), TagKeys: []string{"k00", "absent"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.TagResource(ctx(), &kinesis.TagResourceInput{ResourceARN: aws.String(arn), Tags: map[string]string{"k00": "back"}}); err != nil {
		t.Fatal(err)
	}
	all, err := h.client.ListTagsForResource(ctx(), &kinesis.ListTagsForResourceInput{ResourceARN: aws.String(arn)})
	if err != nil || len(all.Tags) != 50 || *all.Tags[0].Key != "k00" || *all.Tags[0].Value != "back" {
		t.Fatalf("ListTagsForResource: %v %+v", err, all)
	}
}
