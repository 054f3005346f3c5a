package functionurl_test

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// awsCLI finds the AWS CLI as the brief says: $LAMBDATRIGGER_AWSCLI, else /usr/bin/aws when it is
// v2, else `aws` on PATH; the test is skipped when none runs.
func awsCLI(t *testing.T) string {
	t.Helper()
	candidates := []string{}
	if p := os.Getenv("LAMBDATRIGGER_AWSCLI"); p != "" {
		candidates = append(candidates, p)
	}
	if out, err := exec.Command("/usr/bin/aws", "--version").CombinedOutput(); err == nil && strings.HasPrefix(string(out), "aws-cli/2") {
		candidates = append(candidates, "/usr/bin/aws")
	}
	if p, err := exec.LookPath("aws"); err == nil {
		candidates = append(candidates, p)
	}
	for _, c := range candidates {
		if err := exec.Command(c, "--version").Run(); err == nil {
			return c
		}
	}
	t.Skip("no working AWS CLI: set LAMBDATRIGGER_AWSCLI, or install Debian's awscli (v2) or the v1 CLI")
	return ""
}

func runCLI(t *testing.T, cli, endpoint string, args ...string) []byte {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(c, cli, append(args, "--endpoint-url", endpoint, "--region", region, "--output", "json")...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=")
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("%s %v: %v\n%s", cli, args, err, stderr)
	}
	return out
}

// TestCLI_createFunctionURLConfig: the AWS CLI creates a URL and a plain net/http GET calls it.
func TestCLI_createFunctionURLConfig(t *testing.T) {
	cli := awsCLI(t)
	h := startTemp(t)
	h.createFunction(t, "url-cli")
	h.allowPublic(t, "url-cli", "url", "invoke")
	out := runCLI(t, cli, h.endpoint, "lambda", "create-function-url-config", "--function-name", "url-cli", "--auth-type", "NONE")
	var cfg struct {
		FunctionUrl string
		AuthType    string
	}
	if err := json.Unmarshal(out, &cfg); err != nil || cfg.AuthType != "NONE" {
		t.Fatalf("CLI output %s: %v", out, err)
	}
	u, err := url.Parse(cfg.FunctionUrl)
	if err != nil || !strings.HasSuffix(u.Hostname(), ".lambda-url.us-east-1.localhost") {
		t.Fatalf("FunctionUrl %q", cfg.FunctionUrl)
	}
	ev, _ := echo(t, h.request(t, fnURL{host: u.Host}, "GET", "/from-cli", nil))
	if ev.RawPath != "/from-cli" {
		t.Errorf("rawPath %q", ev.RawPath)
	}
}
