package events

import (
	"context"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/simtest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

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
	cli := simtest.AWSCLI(t)
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
