package dynamodb

import (
	"context"
	"encoding/json"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/simtest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func runCLI(t *testing.T, cli, endpoint string, args ...string) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, cli, append([]string{"--endpoint-url", endpoint, "--region", "us-east-1", "--output", "json"}, args...)...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=", "AWS_EC2_METADATA_DISABLED=true")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	var v map[string]any
	if len(strings.TrimSpace(string(out))) > 0 {
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatalf("aws %s printed %s: %v", strings.Join(args, " "), out, err)
		}
	}
	return v
}

// TestDynamoDB_awsCLI is the happy path with a real client nobody here wrote: create-table (with a
// stream), put-item, get-item, and the record through dynamodbstreams get-records.
func TestDynamoDB_awsCLI(t *testing.T) {
	cli := simtest.AWSCLI(t)
	h := newHarness(t, "", func(c *Config) { c.CreateDelay = -1 })
	url := h.srv.URL
	created := runCLI(t, cli, url, "dynamodb", "create-table", "--table-name", "clitable",
		"--attribute-definitions", "AttributeName=id,AttributeType=S", "--key-schema", "AttributeName=id,KeyType=HASH",
		"--billing-mode", "PAY_PER_REQUEST", "--stream-specification", "StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES")
	streamARN, _ := created["TableDescription"].(map[string]any)["LatestStreamArn"].(string)
	if streamARN == "" {
		t.Fatalf("create-table answered %v", created)
	}
	runCLI(t, cli, url, "dynamodb", "put-item", "--table-name", "clitable",
		"--item", `{"id":{"S":"cli-1"},"n":{"N":"42"},"tags":{"SS":["a","b"]}}`, "--condition-expression", "attribute_not_exists(id)")
	got := runCLI(t, cli, url, "dynamodb", "get-item", "--table-name", "clitable", "--key", `{"id":{"S":"cli-1"}}`, "--consistent-read")
	if b, _ := json.Marshal(got["Item"]); !strings.Contains(string(b), `"N":"42"`) {
		t.Fatalf("get-item answered %v", got)
	}
	// Each CLI v2 start costs a second or more: the shard ID comes from the SDK instead.
	shardID := *h.shardOf(streamARN).ShardId
	it := runCLI(t, cli, url, "dynamodbstreams", "get-shard-iterator", "--stream-arn", streamARN, "--shard-id", shardID, "--shard-iterator-type", "TRIM_HORIZON")
	recs := runCLI(t, cli, url, "dynamodbstreams", "get-records", "--shard-iterator", it["ShardIterator"].(string))
	list := recs["Records"].([]any)
	if len(list) != 1 {
		t.Fatalf("get-records answered %v", recs)
	}
	r := list[0].(map[string]any)
	if r["eventName"] != "INSERT" || r["eventSource"] != "aws:dynamodb" {
		t.Fatalf("record %v", r)
	}
}
