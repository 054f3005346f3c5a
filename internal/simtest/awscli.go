package simtest

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// FindAWSCLI returns the AWS CLI the tests drive the simulator with — a real client nobody here
// wrote: $LAMBDATRIGGER_AWSCLI if set, else /usr/bin/aws when it is version 2 (Debian's awscli
// package), else the `aws` on PATH (version 1 is a real client too). When none runs, path is ""
// and reason says what to install.
func FindAWSCLI() (path, reason string) {
	works := func(p string) (string, bool) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, p, "--version").CombinedOutput()
		return string(out), err == nil && strings.HasPrefix(string(out), "aws-cli/")
	}
	if p := os.Getenv("LAMBDATRIGGER_AWSCLI"); p != "" {
		if _, ok := works(p); ok {
			return p, ""
		}
		return "", "LAMBDATRIGGER_AWSCLI=" + p + " does not run"
	}
	if v, ok := works("/usr/bin/aws"); ok && strings.HasPrefix(v, "aws-cli/2") {
		return "/usr/bin/aws", ""
	}
	if p, err := exec.LookPath("aws"); err == nil {
		if _, ok := works(p); ok {
			return p, ""
		}
	}
	return "", "no AWS CLI found: set LAMBDATRIGGER_AWSCLI, or install Debian's awscli (v2) or the aws CLI v1"
}

// AWSCLI is FindAWSCLI for a test: it skips the test, saying why, when there is no CLI.
func AWSCLI(t testing.TB) string {
	t.Helper()
	path, reason := FindAWSCLI()
	if path == "" {
		t.Skip(reason)
	}
	return path
}
