package diagnostics

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// AsyncSourceThing names the async source resource's object in diagnostics.
const AsyncSourceThing = "Lambda Async Event Source"

// AsyncSourceError is a failed call while wiring or unwiring an asynchronous event source. S3's
// "Unable to validate the following destination configurations" gets its own explanation: it is the
// function's permission that S3 could not see.
func AsyncSourceError(action, id string, err error) diag.Diagnostic {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "Unable to validate the following destination configurations"):
		return diag.NewErrorDiagnostic("Error "+titleCase(action)+" "+AsyncSourceThing,
			fmt.Sprintf("While %s %s (%s), S3 refused the notification configuration because the function's "+
				"resource policy does not let s3.amazonaws.com invoke it from this bucket (the provider added that "+
				"permission first and retried while it propagated). Check that the function and the statement still "+
				"exist, then apply again.\n\nOriginal Error: %s", action, AsyncSourceThing, id, err))
	case strings.Contains(msg, "overlap") || strings.Contains(msg, "ambiguously defined"):
		return diag.NewErrorDiagnostic("Overlapping S3 Notification Configurations",
			fmt.Sprintf("While %s %s (%s), S3 refused the notification configuration: another configuration on "+
				"the bucket shares an event type and its prefix and suffix filters overlap with this one. Make the "+
				"filter_prefix or filter_suffix of one of them disjoint, or use different event types.\n\nOriginal Error: %s",
				action, AsyncSourceThing, id, err))
	}
	return APIError(action, AsyncSourceThing, id, err)
}

// AsyncSourceOneSource is a configuration without exactly one source block.
func AsyncSourceOneSource(n int) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Exactly One Event Source Required",
		fmt.Sprintf("The configuration has %d of the blocks s3, sns, eventbridge and cloudwatch_logs. Keep exactly one: "+
			"each lambdatrigger_async_source wires one source; use one resource per source.", n))
}

// AsyncSourceS3Overlap is a notification configuration that S3 would refuse next to another one on
// the bucket (other is its id, or a description when it is within this resource).
func AsyncSourceS3Overlap(p path.Path, bucket, other, event, otherEvent string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(p, "Overlapping S3 Notification Configurations",
		fmt.Sprintf("S3 refuses two notification configurations on bucket %s that share an event type (%s and %s) "+
			"when their prefix and suffix filters can match the same key; %s already does. Make filter_prefix or "+
			"filter_suffix disjoint from it, or use another event type.", bucket, event, otherEvent, other))
}

// AsyncSourceEventsOverlap is an s3 block listing event types that include one another.
func AsyncSourceEventsOverlap(p path.Path, a, b string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(p, "Overlapping S3 Event Types",
		fmt.Sprintf("%s and %s overlap: S3 refuses a configuration that lists an event twice. Keep only the "+
			"wildcard, or only the specific types.", a, b))
}

// AsyncSourceLogsFilterLimit is a log group that already has its two subscription filters.
func AsyncSourceLogsFilterLimit(p path.Path, group string, limit int, others []string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(p, "Too Many Subscription Filters",
		fmt.Sprintf("Log group %s already has %d subscription filters (%s), the most CloudWatch Logs allows. Remove "+
			"one of them, or reuse its filter_name to replace it.", group, limit, strings.Join(others, ", ")))
}

// AsyncSourceConflict is two attributes of a block that cannot be set together.
func AsyncSourceConflict(p path.Path, summary, detail string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(p, summary, detail)
}

// AsyncSourceBadImportID is an import ID in none of the documented forms.
func AsyncSourceBadImportID(id string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Invalid Import ID",
		fmt.Sprintf("%q is not an async source import ID. Use s3|<bucket>|<configuration id>, sns|<subscription ARN>, "+
			"eventbridge|<rule ARN>|<target id> or cloudwatch_logs|<log group>|<filter name>.\n\nOriginal Error: %s", id, err))
}
