package logs

import (
	"context"
	"fmt"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/simtest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

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
	cli := simtest.AWSCLI(t)
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
