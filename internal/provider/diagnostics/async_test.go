package diagnostics

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/smithy-go"
)

func TestAsyncInvokeConfigError(t *testing.T) {
	denied := fmt.Errorf("operation error Lambda: PutFunctionEventInvokeConfig: %w", &smithy.GenericAPIError{
		Code:    "InvalidParameterValueException",
		Message: "The function's execution role does not have permissions to call SendMessage on arn:aws:sqs:us-east-1:123456789012:q",
	})
	d := AsyncInvokeConfigError("creating", "orders", denied)
	if d.Summary() != "Error Creating Lambda Function Event Invoke Config" {
		t.Errorf("summary = %q", d.Summary())
	}
	if !strings.Contains(d.Detail(), "Allow the role sqs:SendMessage on arn:aws:sqs:us-east-1:123456789012:q, then apply again") ||
		!strings.HasSuffix(d.Detail(), "Original Error: "+denied.Error()) {
		t.Errorf("detail = %q", d.Detail())
	}

	vague := &smithy.GenericAPIError{Code: "InvalidParameterValueException", Message: "The function's execution role does not have permissions"}
	if d := AsyncInvokeConfigError("updating", "orders", vague); !strings.Contains(d.Detail(), "s3:PutObject for an S3 bucket") {
		t.Errorf("detail without a destination = %q", d.Detail())
	}

	other := errors.New("connection reset")
	if d := AsyncInvokeConfigError("reading", "orders:live", other); !strings.Contains(d.Detail(), "(orders:live)") ||
		strings.Contains(d.Detail(), "execution role") {
		t.Errorf("detail of another error = %q", d.Detail())
	}
}

func TestAsyncInvokeConfigImportID(t *testing.T) {
	d := AsyncInvokeConfigImportID("a:b:c:d:e", errors.New("too many parts"))
	if d.Summary() != "Invalid Import ID" || !strings.Contains(d.Detail(), "FUNCTION_NAME:QUALIFIER") ||
		!strings.HasSuffix(d.Detail(), "Original Error: too many parts") {
		t.Errorf("got %q / %q", d.Summary(), d.Detail())
	}
}
