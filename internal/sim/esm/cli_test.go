package esm_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
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

func TestCLI_createGetListDelete(t *testing.T) {
	cli := awsCLI(t)
	h := start(t, t.TempDir())
	h.createFunction(t, "clifn", testfn.ESMBatch)
	_, arn := h.createQueue(t, "cliq", nil)
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
	var m struct {
		UUID, State, EventSourceArn, FunctionArn string
		BatchSize                                int
	}
	if err := json.Unmarshal(run("lambda", "create-event-source-mapping", "--function-name", "clifn", "--event-source-arn", arn, "--batch-size", "5"), &m); err != nil {
		t.Fatal(err)
	}
	if m.State != "Creating" || m.BatchSize != 5 || m.EventSourceArn != arn || m.FunctionArn != fnARN+"clifn" {
		t.Fatalf("create answered %+v", m)
	}
	h.waitState(t, m.UUID, "Enabled")
	var list struct{ EventSourceMappings []struct{ UUID string } }
	if err := json.Unmarshal(run("lambda", "list-event-source-mappings", "--function-name", "clifn"), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.EventSourceMappings) != 1 || list.EventSourceMappings[0].UUID != m.UUID {
		t.Fatalf("list answered %+v", list)
	}
	if err := json.Unmarshal(run("lambda", "delete-event-source-mapping", "--uuid", m.UUID), &m); err != nil || m.State != "Deleting" {
		t.Fatalf("delete answered %+v %v", m, err)
	}
}
