package iam

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

// TestIAM_awsCLIHappyPath drives the simulated IAM with the real AWS CLI: create-role,
// put-role-policy, get-role-policy (which the CLI shows decoded, as JSON).
func TestIAM_awsCLIHappyPath(t *testing.T) {
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
	role := run("iam", "create-role", "--role-name", "cli-role", "--assume-role-policy-document", lambdaTrust)["Role"].(map[string]any)
	if role["Arn"] != "arn:aws:iam::000000000000:role/cli-role" {
		t.Fatalf("Role %v", role)
	}
	if trust, ok := role["AssumeRolePolicyDocument"].(map[string]any); !ok || trust["Version"] != "2012-10-17" {
		t.Fatalf("AssumeRolePolicyDocument as the CLI shows it: %#v", role["AssumeRolePolicyDocument"])
	}
	run("iam", "put-role-policy", "--role-name", "cli-role", "--policy-name", "send", "--policy-document", sendDoc)
	got := run("iam", "get-role-policy", "--role-name", "cli-role", "--policy-name", "send")
	doc, ok := got["PolicyDocument"].(map[string]any)
	if !ok || got["PolicyName"] != "send" || got["RoleName"] != "cli-role" {
		t.Fatalf("get-role-policy %v", got)
	}
	stmt := doc["Statement"].([]any)[0].(map[string]any)
	if stmt["Action"] != "sqs:SendMessage" || stmt["Resource"] != destQueue {
		t.Fatalf("PolicyDocument %v", doc)
	}
	if ok, reason := h.check(t, "arn:aws:iam::000000000000:role/cli-role", "sqs:SendMessage", destQueue); !ok {
		t.Fatalf("the CLI's policy does not allow: %s", reason)
	}
}
