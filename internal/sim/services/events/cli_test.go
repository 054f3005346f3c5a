package events

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// awsCLI finds an AWS CLI to drive the service with: $LAMBDATRIGGER_AWSCLI, else /usr/bin/aws
// when it is version 2 (Debian's awscli), else the aws on PATH (v1 is a real client too).
func awsCLI(t *testing.T) string {
	t.Helper()
	version := func(path string) (string, bool) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, path, "--version").CombinedOutput()
		return string(out), err == nil
	}
	if p := os.Getenv("LAMBDATRIGGER_AWSCLI"); p != "" {
		if _, ok := version(p); ok {
			return p
		}
	}
	if v, ok := version("/usr/bin/aws"); ok && strings.HasPrefix(v, "aws-cli/2") {
		return "/usr/bin/aws"
	}
	if p, err := exec.LookPath("aws"); err == nil {
		if _, ok := version(p); ok {
			return p
		}
	}
	t.Skip("no AWS CLI found: set LAMBDATRIGGER_AWSCLI, or install Debian's awscli (v2) or the aws CLI v1")
	return ""
}

// runCLI runs one aws command against endpoint and returns its standard output.
func runCLI(t *testing.T, cli, endpoint string, args ...string) string {
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
	return string(out)
}

func TestEvents_awsCLI(t *testing.T) {
	cli := awsCLI(t)
	h := newHarness(t, "")
	out := runCLI(t, cli, h.srv.URL, "events", "put-rule", "--name", "cli-rule", "--event-pattern", `{"source":["cli.test"]}`)
	if !strings.Contains(out, "arn:aws:events:us-east-1:000000000000:rule/cli-rule") {
		t.Fatalf("put-rule answered %s", out)
	}
	out = runCLI(t, cli, h.srv.URL, "events", "put-targets", "--rule", "cli-rule", "--targets", "Id=fn,Arn="+lambdaARN)
	if !strings.Contains(out, `"FailedEntryCount": 0`) {
		t.Fatalf("put-targets answered %s", out)
	}
	out = runCLI(t, cli, h.srv.URL, "events", "put-events", "--entries", `[{"Source":"cli.test","DetailType":"cli","Detail":"{\"from\":\"cli\"}"}]`)
	if !strings.Contains(out, `"FailedEntryCount": 0`) || !strings.Contains(out, "EventId") {
		t.Fatalf("put-events answered %s", out)
	}
	h.settle()
	got := h.lambda.to(lambdaARN)
	if len(got) != 1 || !strings.Contains(string(got[0].Body), `"detail":{"from":"cli"}`) {
		t.Fatalf("the CLI's event reached the target %d times: %v", len(got), got)
	}
	out = runCLI(t, cli, h.srv.URL, "events", "list-targets-by-rule", "--rule", "cli-rule")
	if !strings.Contains(out, lambdaARN) {
		t.Fatalf("list-targets-by-rule answered %s", out)
	}
}
