package diagnostics

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

func TestAPIError(t *testing.T) {
	err := fmt.Errorf("operation error Lambda: CreateFunction: %w",
		&smithy.GenericAPIError{Code: "InvalidParameterValueException", Message: "bad memory"})
	d := APIError("creating", "Lambda Function", "echo", err)
	if d.Summary() != "Error Creating Lambda Function" {
		t.Errorf("summary = %q", d.Summary())
	}
	if !strings.Contains(d.Detail(), "(echo)") || !strings.Contains(d.Detail(), "fix the value") ||
		!strings.HasSuffix(d.Detail(), "Original Error: "+err.Error()) {
		t.Errorf("detail = %q", d.Detail())
	}
}

func TestHint(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&smithy.GenericAPIError{Code: "ResourceConflictException"}, "in progress"},
		{&smithy.GenericAPIError{Code: "AccessDeniedException"}, "credentials"},
		{&smithy.GenericAPIError{Code: "TooManyRequestsException"}, "throttled"},
		{fmt.Errorf("send: %w", &net.OpError{Op: "dial", Err: errors.New("connection refused")}), "simulator"},
		{errors.New("something else"), "fix its cause"},
	} {
		if got := Hint(tc.err); !strings.Contains(got, tc.want) {
			t.Errorf("Hint(%v) = %q, want it to mention %q", tc.err, got, tc.want)
		}
	}
}

func TestConfigureError(t *testing.T) {
	d := ConfigureError(errors.New("boom"))
	if d.Summary() != "Unable To Configure AWS Clients" || !strings.HasSuffix(d.Detail(), "Original Error: boom") {
		t.Errorf("got %q / %q", d.Summary(), d.Detail())
	}
}

func TestPackageUnreadable(t *testing.T) {
	d := PackageUnreadable(path.Root("filename"), errors.New("no such file"))
	if d.Summary() != "Unable To Read Deployment Package" || !strings.Contains(d.Detail(), "Check that filename names") ||
		!strings.HasSuffix(d.Detail(), "Original Error: no such file") {
		t.Errorf("got %q / %q", d.Summary(), d.Detail())
	}
}
