package sqs

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// awsCLI is an AWS CLI binary found the way the brief orders it: $LAMBDATRIGGER_AWSCLI, then
// /usr/bin/aws when it is v2, then `aws` on PATH (v1: a real client nobody here wrote).
type awsCLI struct {
	path    string
	version string
}

func cliVersion(path string) (string, bool) {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(c, path, "--version").CombinedOutput()
	v := strings.TrimSpace(string(out))
	return v, err == nil && strings.HasPrefix(v, "aws-cli/")
}

func findAWSCLI() (awsCLI, string) {
	if p := os.Getenv("LAMBDATRIGGER_AWSCLI"); p != "" {
		if v, ok := cliVersion(p); ok {
			return awsCLI{p, v}, ""
		}
		return awsCLI{}, "LAMBDATRIGGER_AWSCLI=" + p + " does not run"
	}
	if v, ok := cliVersion("/usr/bin/aws"); ok && strings.HasPrefix(v, "aws-cli/2") {
		return awsCLI{"/usr/bin/aws", v}, ""
	}
	if p, err := exec.LookPath("aws"); err == nil {
		if v, ok := cliVersion(p); ok {
			return awsCLI{p, v}, ""
		}
	}
	return awsCLI{}, "no AWS CLI: set LAMBDATRIGGER_AWSCLI, install Debian's awscli (v2) or put aws (v1) on PATH"
}

func (c awsCLI) run(t *testing.T, endpoint string, args ...string) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	args = append([]string{"--endpoint-url", endpoint, "--region", "us-east-1", "--output", "json"}, args...)
	cmd := exec.CommandContext(ctx, c.path, args...)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	out := map[string]any{}
	if s := strings.TrimSpace(stdout.String()); s != "" {
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			t.Fatalf("aws %s answered %q", strings.Join(args, " "), s)
		}
	}
	return out
}

// The AWS CLI happy path. Debian 12's CLI v2 (2.9) still speaks awsQuery to SQS and the CLI v1 on
// PATH (botocore 1.43) speaks awsJson, so when both are present both protocols run.
// Each CLI command costs seconds of Python start-up, so the test runs beside the others.
func TestSQS_awsCLI(t *testing.T) {
	t.Parallel()
	cli, why := findAWSCLI()
	if cli.path == "" {
		t.Skip(why)
	}
	clis := []awsCLI{cli}
	if p, err := exec.LookPath("aws"); err == nil && p != cli.path {
		if v, ok := cliVersion(p); ok {
			clis = append(clis, awsCLI{p, v})
		}
	}
	e := newEnv(t, envOptions{})
	for i, c := range clis {
		t.Run(strings.Fields(c.version)[0], func(t *testing.T) {
			t.Parallel()
			name := []string{"cli-first", "cli-second"}[i]
			created := c.run(t, e.srv.URL, "sqs", "create-queue", "--queue-name", name, "--attributes", "VisibilityTimeout=60")
			url, _ := created["QueueUrl"].(string)
			if !strings.HasSuffix(url, "/000000000000/"+name) {
				t.Fatalf("create-queue: %v", created)
			}
			sent := c.run(t, e.srv.URL, "sqs", "send-message", "--queue-url", url, "--message-body", "hello from the CLI",
				"--message-attributes", `{"kind":{"DataType":"String","StringValue":"greeting"}}`)
			if sent["MD5OfMessageBody"] != md5Hex("hello from the CLI") ||
				sent["MD5OfMessageAttributes"] != md5OfAttributes(MessageBodyAttributeMap{"kind": {DataType: "String", StringValue: "greeting"}}) {
				t.Fatalf("send-message: %v", sent)
			}
			got := c.run(t, e.srv.URL, "sqs", "receive-message", "--queue-url", url, "--attribute-names", "All",
				"--message-attribute-names", "All", "--max-number-of-messages", "10")
			msgs, _ := got["Messages"].([]any)
			if len(msgs) != 1 {
				t.Fatalf("receive-message: %v", got)
			}
			m := msgs[0].(map[string]any)
			if m["Body"] != "hello from the CLI" || m["MessageId"] != sent["MessageId"] {
				t.Fatalf("message: %v", m)
			}
			if a, _ := m["Attributes"].(map[string]any); a["ApproximateReceiveCount"] != "1" {
				t.Fatalf("attributes: %v", m["Attributes"])
			}
			c.run(t, e.srv.URL, "sqs", "delete-message", "--queue-url", url, "--receipt-handle", m["ReceiptHandle"].(string))
			if a := e.attributes(url); a["ApproximateNumberOfMessages"] != "0" || a["ApproximateNumberOfMessagesNotVisible"] != "0" {
				t.Fatalf("after delete-message: %v", a)
			}
		})
	}
}
