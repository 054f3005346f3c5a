package kinesis

import (
	"bufio"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/simtest"
)

// A differential test against kinesalite (npm), an independent Kinesis emulator whose behaviour
// and messages were recorded against the real service. It runs only when
// LAMBDATRIGGER_KINESALITE names kinesalite's cli.js or a directory holding it (or holding
// node_modules/kinesalite), e.g. after `npm install kinesalite` in a temporary directory, and
// `node` is on PATH. kinesalite has no --host flag, so a small node wrapper makes it listen on
// 127.0.0.1.
func TestKinesis_differentialKinesalite(t *testing.T) {
	dir, reason := kinesaliteDir()
	if dir == "" {
		t.Skip("kinesalite differential test skipped: " + reason)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("kinesalite differential test skipped: node is not on PATH")
	}
	t.Parallel()
	theirs := startKinesalite(t, node, dir)
	h := newHarness(t, "", func(c *Config) { c.CreateDelay, c.UpdateDelay, c.DeleteDelay = -1, -1, -1 })
	ours := &kinesisTarget{name: "simulator", client: h.client}

	for n := int32(1); n <= 5; n++ {
		name := fmt.Sprint("ranges", n)
		want := describeShards(t, theirs, name, n)
		got := describeShards(t, ours, name, n)
		if want != got {
			t.Errorf("%d shards:\nkinesalite %s\nsimulator  %s", n, want, got)
		}
	}

	keys := []string{"a", "b", "partition-1", "user-42", "0", "hello", "kinesis", "\U0001F642", strings.Repeat("x", 256), "order#123", "Ω"}
	for _, target := range []*kinesisTarget{theirs, ours} {
		target.create(t, "routing", 4)
	}
	for _, k := range keys {
		a, b := theirs.put(t, "routing", k, nil), ours.put(t, "routing", k, nil)
		if *a.ShardId != *b.ShardId {
			t.Errorf("key %q: kinesalite routes to %s, simulator to %s", k, *a.ShardId, *b.ShardId)
		}
		// kinesalite writes AWS's sequence number layout too: ours must read its numbers.
		if p, err := parseSeq(*a.SequenceNumber); err != nil || shardID(p.shardIndex) != *a.ShardId {
			t.Errorf("kinesalite's sequence number %s does not parse as AWS's layout: %v %+v", *a.SequenceNumber, err, p)
		}
		if len(*b.SequenceNumber) != len(*a.SequenceNumber) || (*b.SequenceNumber)[:2] != (*a.SequenceNumber)[:2] {
			t.Errorf("sequence number shapes differ: kinesalite %s, simulator %s", *a.SequenceNumber, *b.SequenceNumber)
		}
	}
	for _, sh := range []string{shardID(1), shardID(2)} {
		a := strings.Join(datasOf(theirs.readAll(t, "routing", sh)), ",")
		b := strings.Join(datasOf(ours.readAll(t, "routing", sh)), ",")
		if a != b {
			t.Errorf("%s reads: kinesalite %q, simulator %q", sh, a, b)
		}
	}

	// Split then merge, and compare the shard maps.
	half := new(big.Int).Rsh(hashKeySpace, 2).String() // the middle of shard 0 of two
	for _, target := range []*kinesisTarget{theirs, ours} {
		target.create(t, "reshard", 2)
		target.put(t, "reshard", "a", aws.String("0"))
		_, err := target.client.SplitShard(ctx(), &kinesis.SplitShardInput{StreamName: aws.String("reshard"), ShardToSplit: aws.String(shardID(0)), NewStartingHashKey: aws.String(half)})
		if err != nil {
			t.Fatalf("%s SplitShard: %v", target.name, err)
		}
		target.waitActive(t, "reshard")
		_, err = target.client.MergeShards(ctx(), &kinesis.MergeShardsInput{StreamName: aws.String("reshard"), ShardToMerge: aws.String(shardID(3)), AdjacentShardToMerge: aws.String(shardID(1))})
		if err != nil {
			t.Fatalf("%s MergeShards: %v", target.name, err)
		}
		target.waitActive(t, "reshard")
	}
	if a, b := lineage(t, theirs, "reshard"), lineage(t, ours, "reshard"); a != b {
		t.Errorf("after split and merge:\nkinesalite %s\nsimulator  %s", a, b)
	} else {
		t.Logf("after split and merge, both: %s", a)
	}

	// Errors: the same code everywhere, the same text where we took kinesalite's (AWS's) text.
	type errCase struct {
		name     string
		sameText bool
		call     func(c *kinesis.Client) error
	}
	huge := new(big.Int).Add(maxHashKey, big.NewInt(1)).String()
	cases := []errCase{
		{"describe a missing stream", true, func(c *kinesis.Client) error {
			_, err := c.DescribeStream(ctx(), &kinesis.DescribeStreamInput{StreamName: aws.String("missing")})
			return err
		}},
		{"create an existing stream", true, func(c *kinesis.Client) error {
			_, err := c.CreateStream(ctx(), &kinesis.CreateStreamInput{StreamName: aws.String("routing"), ShardCount: aws.Int32(1)})
			return err
		}},
		{"ExplicitHashKey out of range", true, func(c *kinesis.Client) error {
			_, err := c.PutRecord(ctx(), &kinesis.PutRecordInput{StreamName: aws.String("routing"), PartitionKey: aws.String("k"), ExplicitHashKey: aws.String(huge), Data: []byte("x")})
			return err
		}},
		{"ExplicitHashKey out of range in PutRecords", true, func(c *kinesis.Client) error {
			_, err := c.PutRecords(ctx(), &kinesis.PutRecordsInput{StreamName: aws.String("routing"), Records: []types.PutRecordsRequestEntry{
				{PartitionKey: aws.String("k"), Data: []byte("x")}, {PartitionKey: aws.String("k"), ExplicitHashKey: aws.String(huge), Data: []byte("x")}}})
			return err
		}},
		{"a garbled iterator", true, func(c *kinesis.Client) error {
			_, err := c.GetRecords(ctx(), &kinesis.GetRecordsInput{ShardIterator: aws.String(strings.Repeat("A", 200))})
			return err
		}},
		{"an unknown shard", true, func(c *kinesis.Client) error {
			_, err := c.GetShardIterator(ctx(), &kinesis.GetShardIteratorInput{StreamName: aws.String("routing"), ShardId: aws.String(shardID(9)), ShardIteratorType: types.ShardIteratorTypeLatest})
			return err
		}},
		{"AT_SEQUENCE_NUMBER without a number", true, func(c *kinesis.Client) error {
			_, err := c.GetShardIterator(ctx(), &kinesis.GetShardIteratorInput{StreamName: aws.String("routing"), ShardId: aws.String(shardID(0)), ShardIteratorType: types.ShardIteratorTypeAtSequenceNumber})
			return err
		}},
		{"a split key outside the shard", true, func(c *kinesis.Client) error {
			_, err := c.SplitShard(ctx(), &kinesis.SplitShardInput{StreamName: aws.String("routing"), ShardToSplit: aws.String(shardID(1)), NewStartingHashKey: aws.String("1")})
			return err
		}},
		{"merging shards that do not touch", true, func(c *kinesis.Client) error {
			_, err := c.MergeShards(ctx(), &kinesis.MergeShardsInput{StreamName: aws.String("routing"), ShardToMerge: aws.String(shardID(0)), AdjacentShardToMerge: aws.String(shardID(2))})
			return err
		}},
		{"ListShards without a stream", true, func(c *kinesis.Client) error {
			_, err := c.ListShards(ctx(), &kinesis.ListShardsInput{})
			return err
		}},
		{"a bad stream name", true, func(c *kinesis.Client) error {
			_, err := c.DescribeStream(ctx(), &kinesis.DescribeStreamInput{StreamName: aws.String("bad name")})
			return err
		}},
		{"retention below 24 hours", true, func(c *kinesis.Client) error {
			_, err := c.DecreaseStreamRetentionPeriod(ctx(), &kinesis.DecreaseStreamRetentionPeriodInput{StreamName: aws.String("routing"), RetentionPeriodHours: aws.Int32(23)})
			return err
		}},
	}
	for _, c := range cases {
		a, b := c.call(theirs.client), c.call(ours.client)
		if apiCode(a) == "" || apiCode(a) != apiCode(b) {
			t.Errorf("%s: kinesalite %v, simulator %v", c.name, a, b)
			continue
		}
		t.Logf("%s: both %s %q", c.name, apiCode(a), apiMessage(a))
		if c.sameText && apiMessage(a) != apiMessage(b) {
			t.Errorf("%s: texts differ:\nkinesalite %q\nsimulator  %q", c.name, apiMessage(a), apiMessage(b))
		}
	}
}

func kinesaliteDir() (string, string) {
	p := os.Getenv("LAMBDATRIGGER_KINESALITE")
	if p == "" {
		return "", "set LAMBDATRIGGER_KINESALITE to kinesalite's cli.js or its install directory (npm install kinesalite in a temporary directory)"
	}
	if strings.HasSuffix(p, ".js") {
		p = filepath.Dir(p)
	}
	for _, d := range []string{p, filepath.Join(p, "node_modules", "kinesalite")} {
		if _, err := os.Stat(filepath.Join(d, "db", "index.js")); err == nil {
			return d, ""
		}
	}
	return "", "LAMBDATRIGGER_KINESALITE=" + os.Getenv("LAMBDATRIGGER_KINESALITE") + " holds no kinesalite"
}

const kinesaliteWrapper = `
const kinesalite = require(process.argv[1]);
const server = kinesalite({createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 1000});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`

func startKinesalite(t *testing.T, node, dir string) *kinesisTarget {
	t.Helper()
	cmd := exec.Command(node, "-e", kinesaliteWrapper, dir)
	cmd.Env = append(os.Environ(), "AWS_ACCOUNT_ID=000000000000", "AWS_REGION=us-east-1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	port := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		port <- strings.TrimSpace(line)
	}()
	var p string
	select {
	case p = <-port:
	case <-time.After(20 * time.Second):
		t.Fatal("kinesalite did not start")
	}
	if p == "" {
		t.Fatal("kinesalite did not print its port")
	}
	client := kinesis.New(kinesis.Options{
		BaseEndpoint: aws.String("http://127.0.0.1:" + p), Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""), RetryMaxAttempts: 1, HTTPClient: simtest.HTTPClient(),
	})
	return &kinesisTarget{name: "kinesalite", client: client}
}

type kinesisTarget struct {
	name   string
	client *kinesis.Client
}

func (k *kinesisTarget) create(t *testing.T, name string, shards int32) {
	t.Helper()
	if _, err := k.client.CreateStream(ctx(), &kinesis.CreateStreamInput{StreamName: aws.String(name), ShardCount: aws.Int32(shards)}); err != nil {
		t.Fatalf("%s CreateStream: %v", k.name, err)
	}
	k.waitActive(t, name)
}

func (k *kinesisTarget) waitActive(t *testing.T, name string) {
	t.Helper()
	for i := 0; i < 200; i++ {
		out, err := k.client.DescribeStream(ctx(), &kinesis.DescribeStreamInput{StreamName: aws.String(name)})
		if err != nil {
			t.Fatalf("%s DescribeStream: %v", k.name, err)
		}
		if out.StreamDescription.StreamStatus == types.StreamStatusActive {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s: stream %s never became ACTIVE", k.name, name)
}

func (k *kinesisTarget) put(t *testing.T, stream, key string, hash *string) *kinesis.PutRecordOutput {
	t.Helper()
	out, err := k.client.PutRecord(ctx(), &kinesis.PutRecordInput{StreamName: aws.String(stream), PartitionKey: aws.String(key), ExplicitHashKey: hash, Data: []byte("data:" + key)})
	if err != nil {
		t.Fatalf("%s PutRecord: %v", k.name, err)
	}
	return out
}

func (k *kinesisTarget) readAll(t *testing.T, stream, shard string) []types.Record {
	t.Helper()
	it, err := k.client.GetShardIterator(ctx(), &kinesis.GetShardIteratorInput{StreamName: aws.String(stream), ShardId: aws.String(shard), ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
	if err != nil {
		t.Fatalf("%s GetShardIterator: %v", k.name, err)
	}
	out, err := k.client.GetRecords(ctx(), &kinesis.GetRecordsInput{ShardIterator: it.ShardIterator})
	if err != nil {
		t.Fatalf("%s GetRecords: %v", k.name, err)
	}
	return out.Records
}

func datasOf(recs []types.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = *r.PartitionKey + "=" + string(r.Data)
	}
	return out
}

func describeShards(t *testing.T, k *kinesisTarget, name string, n int32) string {
	t.Helper()
	k.create(t, name, n)
	out, err := k.client.DescribeStream(ctx(), &kinesis.DescribeStreamInput{StreamName: aws.String(name)})
	if err != nil {
		t.Fatalf("%s DescribeStream: %v", k.name, err)
	}
	var b strings.Builder
	for _, sh := range out.StreamDescription.Shards {
		fmt.Fprintf(&b, "%s[%s..%s] ", *sh.ShardId, *sh.HashKeyRange.StartingHashKey, *sh.HashKeyRange.EndingHashKey)
	}
	return b.String()
}

func lineage(t *testing.T, k *kinesisTarget, name string) string {
	t.Helper()
	out, err := k.client.DescribeStream(ctx(), &kinesis.DescribeStreamInput{StreamName: aws.String(name)})
	if err != nil {
		t.Fatalf("%s DescribeStream: %v", k.name, err)
	}
	var b strings.Builder
	for _, sh := range out.StreamDescription.Shards {
		fmt.Fprintf(&b, "%s(parent=%s adjacent=%s closed=%v %s..%s) ", *sh.ShardId, aws.ToString(sh.ParentShardId), aws.ToString(sh.AdjacentParentShardId),
			sh.SequenceNumberRange.EndingSequenceNumber != nil, *sh.HashKeyRange.StartingHashKey, *sh.HashKeyRange.EndingHashKey)
	}
	return b.String()
}
