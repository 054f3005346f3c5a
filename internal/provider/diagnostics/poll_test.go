package diagnostics

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

func TestPollMappingError(t *testing.T) {
	denied := &smithy.GenericAPIError{Code: "InvalidParameterValueException", Message: "The provided execution role does not have permissions to call ReceiveMessage on SQS"}
	d := PollMappingError("creating", "sqs:orders -> f", "sqs", denied)
	if d.Summary() != "Error Creating Lambda Event Source Mapping" ||
		!strings.Contains(d.Detail(), "Attach arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole") ||
		!strings.HasSuffix(d.Detail(), "Original Error: "+denied.Error()) {
		t.Errorf("role refusal: %q / %q", d.Summary(), d.Detail())
	}
	other := errors.New("boom")
	if d := PollMappingError("deleting", "u", "", other); !strings.HasSuffix(d.Detail(), "Original Error: boom") || strings.Contains(d.Detail(), "Attach") {
		t.Errorf("other error: %q", d.Detail())
	}
}

func TestPollMappingRule(t *testing.T) {
	d := PollMappingRule(path.Root("batch_size"), "batch size 11 is too large for a FIFO queue: at most 10")
	if !strings.HasPrefix(d.Detail(), "Batch size 11") || !strings.Contains(d.Detail(), "fix batch_size") {
		t.Errorf("detail = %q", d.Detail())
	}
	d = PollMappingRule(path.Root("scaling_config"), "scaling_config applies to SQS queues only")
	if !strings.HasPrefix(d.Detail(), "scaling_config applies") {
		t.Errorf("an attribute name keeps its case: %q", d.Detail())
	}
}

func TestPollMappingExists(t *testing.T) {
	err := errors.New("... Please update or delete the existing mapping with UUID 14e0db71-5d35-4eb5-b481-8945cf9d10c2")
	d := PollMappingExists("arn:aws:sqs:us-east-1:1:q", "f", ExistingMappingUUID(err.Error()), err)
	if !strings.Contains(d.Detail(), "terraform import <address> 14e0db71-5d35-4eb5-b481-8945cf9d10c2") {
		t.Errorf("detail = %q", d.Detail())
	}
}
