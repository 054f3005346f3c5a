package sns

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// findAWSCLI returns the AWS CLI to test with: $LAMBDATRIGGER_AWSCLI, else /usr/bin/aws when it
// is v2 (Debian's awscli package), else `aws` on PATH (v1 is a real client too). The reason is
// set when none works.
func findAWSCLI() (path, reason string) {
	works := func(p string) (string, bool) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, p, "--version").CombinedOutput()
		return string(out), err == nil && strings.HasPrefix(string(out), "aws-cli/")
	}
	if p := os.Getenv("LAMBDATRIGGER_AWSCLI"); p != "" {
		if _, ok := works(p); ok {
			return p, ""
		}
		return "", "LAMBDATRIGGER_AWSCLI=" + p + " does not run"
	}
	if v, ok := works("/usr/bin/aws"); ok && strings.HasPrefix(v, "aws-cli/2") {
		return "/usr/bin/aws", ""
	}
	if p, err := exec.LookPath("aws"); err == nil {
		if _, ok := works(p); ok {
			return p, ""
		}
	}
	return "", "no AWS CLI found (set LAMBDATRIGGER_AWSCLI, or install Debian's awscli for v2)"
}

// TestSNS_awsCLIHappyPath drives the simulator with the real AWS CLI: create-topic, subscribe,
// publish.
func TestSNS_awsCLIHappyPath(t *testing.T) {
	cli, reason := findAWSCLI()
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
