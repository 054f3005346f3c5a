package kinesis

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// awsCLI finds an AWS CLI to drive the simulator with: $LAMBDATRIGGER_AWSCLI, else
// /usr/bin/aws when it is v2 (Debian's awscli), else `aws` on PATH. It reports the major version.
func awsCLI(t *testing.T) (path string, major int) {
	t.Helper()
	var candidates []string
	if p := os.Getenv("LAMBDATRIGGER_AWSCLI"); p != "" {
		candidates = append(candidates, p)
	}
	candidates = append(candidates, "/usr/bin/aws")
	if p, err := exec.LookPath("aws"); err == nil {
		candidates = append(candidates, p)
	}
	var reasons []string
	for _, c := range candidates {
		out, err := exec.Command(c, "--version").CombinedOutput()
		if err != nil {
			reasons = append(reasons, c+": "+err.Error())
			continue
		}
		v := string(out)
		switch {
		case strings.HasPrefix(v, "aws-cli/2"):
			return c, 2
		case strings.HasPrefix(v, "aws-cli/1") && c != "/usr/bin/aws":
			return c, 1
		}
		reasons = append(reasons, c+": "+strings.TrimSpace(v))
	}
	t.Skipf("no usable AWS CLI (set LAMBDATRIGGER_AWSCLI): %s", strings.Join(reasons, "; "))
	return "", 0
}

func TestKinesis_awsCLIHappyPath(t *testing.T) {
	cli, major := awsCLI(t)
	t.Parallel() // each CLI start takes seconds; let the other tests run meanwhile
	h := newHarness(t, "", func(c *Config) { c.CreateDelay = -1 })
	run := func(args ...string) map[string]any {
		t.Helper()
		c, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		args = append([]string{"--endpoint-url", h.srv.URL, "--region", "us-east-1", "--output", "json", "kinesis"}, args...)
		cmd := exec.CommandContext(c, cli, args...)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_CONFIG_FILE=/dev/null",
			"AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=", "AWS_DEFAULT_REGION=us-east-1")
		out, err := cmd.Output()
		if err != nil {
			stderr := ""
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = string(ee.Stderr)
			}
			t.Fatalf("aws %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr)
		}
		var v map[string]any
		if len(strings.TrimSpace(string(out))) > 0 {
			if err := json.Unmarshal(out, &v); err != nil {
				t.Fatalf("aws %s printed %q: %v", strings.Join(args, " "), out, err)
			}
		}
		return v
	}
	// Four CLI runs only: each one costs seconds of Python start-up on this machine.
	run("create-stream", "--stream-name", "cli", "--shard-count", "2")
	put := []string{"put-record", "--stream-name", "cli", "--partition-key", "a", "--data", "hello cli"}
	if major == 2 {
		put = append(put, "--cli-binary-format", "raw-in-base64-out")
	}
	rec := run(put...)
	shard, seq := rec["ShardId"].(string), rec["SequenceNumber"].(string)
	if shard != shardID(0) || len(seq) != 56 {
		t.Fatalf("put-record: %v", rec)
	}
	it := run("get-shard-iterator", "--stream-name", "cli", "--shard-id", shard, "--shard-iterator-type", "TRIM_HORIZON")["ShardIterator"].(string)
	got := run("get-records", "--shard-iterator", it)
	recs := got["Records"].([]any)
	if len(recs) != 1 {
		t.Fatalf("get-records: %v", got)
	}
	r := recs[0].(map[string]any)
	// The CLI prints blobs base64-encoded.
	if r["Data"] != "aGVsbG8gY2xp" || r["SequenceNumber"] != seq || r["PartitionKey"] != "a" {
		t.Fatalf("record: %v", r)
	}
	if _, ok := got["NextShardIterator"].(string); !ok {
		t.Fatalf("get-records without NextShardIterator: %v", got)
	}
	t.Logf("drove the simulator with %s (AWS CLI v%d)", cli, major)
}
