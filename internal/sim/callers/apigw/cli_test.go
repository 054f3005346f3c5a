package apigw_test

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

// awsCLI finds the AWS CLI: LAMBDATRIGGER_AWSCLI, else /usr/bin/aws when it is v2, else aws on PATH.
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
	t.Skip("no AWS CLI: set LAMBDATRIGGER_AWSCLI, or install Debian's awscli (v2) or the v1 CLI")
	return ""
}

func runCLI(t *testing.T, cli, endpoint string, args ...string) []byte {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(c, cli, append(args, "--endpoint-url", endpoint, "--region", "us-east-1", "--output", "json")...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=")
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("%s %v: %v\n%s", cli, args, err, msg)
	}
	return out
}

// TestCLI_quickCreateHTTPAPIAndCurl: the AWS CLI quick-creates an HTTP API for a function and
// grants API Gateway the permission; curl calls it by Host and by path.
func TestCLI_quickCreateHTTPAPIAndCurl(t *testing.T) {
	cli := awsCLI(t)
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl is not installed")
	}
	c := startChain(t)
	fnARN := c.createFunction(t, "cli-echo")
	var api struct{ ApiId, ApiEndpoint string }
	if err := json.Unmarshal(runCLI(t, cli, c.url, "apigatewayv2", "create-api", "--name", "x", "--protocol-type", "HTTP", "--target", fnARN), &api); err != nil || api.ApiId == "" {
		t.Fatalf("create-api output: %+v %v", api, err)
	}
	runCLI(t, cli, c.url, "lambda", "add-permission", "--function-name", "cli-echo", "--statement-id", "apigw",
		"--action", "lambda:InvokeFunction", "--principal", "apigateway.amazonaws.com",
		"--source-arn", "arn:aws:execute-api:us-east-1:000000000000:"+api.ApiId+"/*/$default")

	u, err := url.Parse(api.ApiEndpoint)
	if err != nil || u.Hostname() != api.ApiId+".execute-api.localhost" {
		t.Fatalf("apiEndpoint %q", api.ApiEndpoint)
	}
	for _, args := range [][]string{
		{"--resolve", u.Hostname() + ":" + u.Port() + ":127.0.0.1", api.ApiEndpoint + "/hi?from=curl"},
		{c.url + "/restapis/" + api.ApiId + "/$default/_user_request_/hi?from=curl"},
	} {
		cctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		out, err := exec.CommandContext(cctx, curl, append([]string{"-sS", "--fail"}, args...)...).Output()
		cancel()
		if err != nil {
			t.Fatalf("curl %v: %v", args, err)
		}
		var ev map[string]any
		if err := json.Unmarshal(out, &ev); err != nil || ev["rawPath"] != "/hi" || ev["rawQueryString"] != "from=curl" || ev["version"] != "2.0" {
			t.Fatalf("curl %v got %s", args, out)
		}
	}
}
