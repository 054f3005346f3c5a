package logs

import (
	"context"
	"fmt"
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

func TestLogs_awsCLI(t *testing.T) {
	cli := awsCLI(t)
	h := newHarness(t, "")
	runCLI(t, cli, h.srv.URL, "logs", "create-log-group", "--log-group-name", "/cli/app")
	runCLI(t, cli, h.srv.URL, "logs", "create-log-stream", "--log-group-name", "/cli/app", "--log-stream-name", "main")
	ts := h.clock.Now().UnixMilli()
	runCLI(t, cli, h.srv.URL, "logs", "put-log-events", "--log-group-name", "/cli/app", "--log-stream-name", "main",
		"--log-events", fmt.Sprintf("timestamp=%d,message=hello-from-cli", ts), fmt.Sprintf("timestamp=%d,message=ERROR-boom", ts+1))
	out := runCLI(t, cli, h.srv.URL, "logs", "get-log-events", "--log-group-name", "/cli/app", "--log-stream-name", "main", "--start-from-head")
	if !strings.Contains(out, "hello-from-cli") || !strings.Contains(out, "ERROR-boom") {
		t.Fatalf("get-log-events answered %s", out)
	}
	out = runCLI(t, cli, h.srv.URL, "logs", "filter-log-events", "--log-group-name", "/cli/app", "--filter-pattern", "ERROR")
	if !strings.Contains(out, "ERROR-boom") || strings.Contains(out, "hello-from-cli") {
		t.Fatalf("filter-log-events answered %s", out)
	}
}
