package diagnostics

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/smithy-go"
)

func TestAsyncSourceError(t *testing.T) {
	s3Err := func(msg string) error {
		return fmt.Errorf("operation error S3: PutBucketNotificationConfiguration: %w", &smithy.GenericAPIError{Code: "InvalidArgument", Message: msg})
	}
	for _, tc := range []struct {
		err           error
		summary, want string
	}{
		{s3Err("Unable to validate the following destination configurations"), "Error Creating Lambda Async Event Source", "resource policy does not let s3.amazonaws.com"},
		{s3Err("Configurations overlap. Configurations on the same bucket cannot share a common event type."), "Overlapping S3 Notification Configurations", "filter_prefix"},
		{s3Err("something else"), "Error Creating Lambda Async Event Source", "Original Error"},
	} {
		d := AsyncSourceError("creating", "s3|photos|x", tc.err)
		if d.Summary() != tc.summary || !strings.Contains(d.Detail(), tc.want) || !strings.HasSuffix(d.Detail(), tc.err.Error()) {
			t.Errorf("AsyncSourceError(%v) = %q / %q", tc.err, d.Summary(), d.Detail())
		}
	}
}
