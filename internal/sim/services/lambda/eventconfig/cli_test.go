package eventconfig_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// awsCLI finds an AWS CLI: $LAMBDATRIGGER_AWSCLI, else /usr/bin/aws when it is v2, else `aws` on
// PATH (v1 is a real client nobody here wrote).
func awsCLI(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("LAMBDATRIGGER_AWSCLI"); p != "" {
		return p
	}
	if out, err := exec.Command("/usr/bin/aws", "--version").CombinedOutput(); err == nil && strings.HasPrefix(string(out), "aws-cli/2") {
		return "/usr/bin/aws"
	}
	if p, err := exec.LookPath("aws"); err == nil {
		return p
	}
	t.Skip("no AWS CLI: set LAMBDATRIGGER_AWSCLI, or install awscli")
	return ""
}

func TestCLIPutAndGet(t *testing.T) {
	cli := awsCLI(t)
	h := start(t, t.TempDir())
	h.createFunction(t, "clifn", false)
	run := func(args ...string) []byte {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, cli, append(args, "--endpoint-url", h.srv.URL, "--region", "us-east-1", "--output", "json")...)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	run("lambda", "put-function-event-invoke-config", "--function-name", "clifn", "--maximum-retry-attempts", "1",
		"--destination-config", `{"OnFailure":{"Destination":"arn:aws:sqs:us-east-1:000000000000:q"}}`)
	var got struct {
		FunctionArn          string
		MaximumRetryAttempts int
		DestinationConfig    struct{ OnFailure struct{ Destination string } }
	}
	if err := json.Unmarshal(run("lambda", "get-function-event-invoke-config", "--function-name", "clifn"), &got); err != nil {
		t.Fatal(err)
	}
	if got.FunctionArn != fnARN+"clifn:$LATEST" || got.MaximumRetryAttempts != 1 || got.DestinationConfig.OnFailure.Destination != "arn:aws:sqs:us-east-1:000000000000:q" {
		t.Errorf("CLI read back %+v", got)
	}
}
