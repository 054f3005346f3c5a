package sns

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

// TestSNS_awsCLIHappyPath drives the simulator with the real AWS CLI: create-topic, subscribe,
// publish.
func TestSNS_awsCLIHappyPath(t *testing.T) {
	cli, reason := simtest.FindAWSCLI()
	if cli == "" {
		t.Skip(reason)
	}
	h := newHarness(t)
	run := func(args ...string) map[string]any {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, cli, append([]string{"--endpoint-url", h.url, "--region", "us-east-1", "--output", "json"}, args...)...)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_CONFIG_FILE=/dev/null",
			"AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=", "AWS_DEFAULT_REGION=us-east-1")
		out, err := cmd.Output()
		if err != nil {
			stderr := ""
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = string(ee.Stderr)
			}
			t.Fatalf("%s %v: %v\n%s%s", cli, args, err, out, stderr)
		}
		var v map[string]any
		if len(strings.TrimSpace(string(out))) > 0 {
			if err := json.Unmarshal(out, &v); err != nil {
				t.Fatalf("%v: %v\n%s", args, err, out)
			}
		}
		return v
	}
	topic := run("sns", "create-topic", "--name", "cli-topic")["TopicArn"].(string)
	if topic != "arn:aws:sns:us-east-1:000000000000:cli-topic" {
		t.Fatalf("TopicArn %q", topic)
	}
	sub := run("sns", "subscribe", "--topic-arn", topic, "--protocol", "sqs", "--notification-endpoint", queueARN("cli-q"),
		"--return-subscription-arn")["SubscriptionArn"].(string)
	if !strings.HasPrefix(sub, topic+":") {
		t.Fatalf("SubscriptionArn %q", sub)
	}
	msgID := run("sns", "publish", "--topic-arn", topic, "--message", "hello from the CLI", "--subject", "cli",
		"--message-attributes", `{"k":{"DataType":"String","StringValue":"v"}}`)["MessageId"].(string)
	env := envelopeOf(t, h.sqs.waitCalls(t, 1)[0])
	if env["MessageId"] != msgID || env["Message"] != "hello from the CLI" || env["Subject"] != "cli" {
		t.Fatalf("delivered %v", env)
	}
	subs := run("sns", "list-subscriptions-by-topic", "--topic-arn", topic)["Subscriptions"].([]any)
	if len(subs) != 1 || subs[0].(map[string]any)["SubscriptionArn"] != sub {
		t.Fatalf("subscriptions %v", subs)
	}
}
