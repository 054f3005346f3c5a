package diagnostics

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// PollMappingThing names the poll mapping resource's object in diagnostics.
const PollMappingThing = "Lambda Event Source Mapping"

// pollPolicies are the AWS managed policies that grant what Lambda's pollers call on each source.
var pollPolicies = map[string]string{
	"sqs":      "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
	"kinesis":  "arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole",
	"dynamodb": "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole",
}

// PollMappingError is a failed event source mapping call. When Lambda refused the mapping because
// the function's execution role may not read the source, the detail names the policy to attach.
func PollMappingError(action, id, sourceKind string, err error) diag.Diagnostic {
	msg := err.Error()
	if !strings.Contains(msg, "execution role does not have permissions") {
		return APIError(action, PollMappingThing, id, err)
	}
	policy := pollPolicies[sourceKind]
	if policy == "" {
		policy = "a policy that allows reading the event source"
	}
	return diag.NewErrorDiagnostic(
		"Error "+titleCase(action)+" "+PollMappingThing,
		fmt.Sprintf("While %s %s (%s), Lambda refused the mapping: the function's execution role may not read the "+
			"event source, and Lambda checks it when the mapping is created. Attach %s (or grant the same actions) "+
			"to the function's role, then apply again.\n\nOriginal Error: %s", action, PollMappingThing, id, policy, err),
	)
}

var existingUUID = regexp.MustCompile(`UUID\s+([0-9a-fA-F-]{36})`)

// ExistingMappingUUID reads the UUID out of Lambda's 409 "... provided mapping already exists. Please
// update or delete the existing mapping with UUID <uuid>".
func ExistingMappingUUID(msg string) string {
	if m := existingUUID.FindStringSubmatch(msg); m != nil {
		return m[1]
	}
	return ""
}

// PollMappingExists is a create refused because the function already has a mapping of the source.
func PollMappingExists(source, function, uuid string, err error) diag.Diagnostic {
	what := "Import the existing mapping"
	if uuid != "" {
		what = fmt.Sprintf("Import the existing mapping (terraform import <address> %s)", uuid)
	}
	return diag.NewErrorDiagnostic(
		"Poll Mapping Already Exists",
		fmt.Sprintf("Function %s already has a mapping of %s, and Lambda allows one per pair. %s, or delete it, "+
			"then apply again.\n\nOriginal Error: %s", function, source, what, err),
	)
}

// PollMappingRule is a configuration Lambda would refuse: one of its cross-field rules, checked at plan time.
func PollMappingRule(attr path.Path, message string) diag.Diagnostic {
	if first, _, _ := strings.Cut(message, " "); !strings.Contains(first, "_") {
		message = strings.ToUpper(message[:1]) + message[1:] // a sentence, unless it opens with an attribute name
	}
	return diag.NewAttributeErrorDiagnostic(attr, "Invalid Poll Mapping Configuration",
		message+". Lambda would refuse the mapping with InvalidParameterValueException; fix "+
			attr.String()+" and plan again.")
}

// PollMappingImportID is an import ID that is not a mapping's UUID.
func PollMappingImportID(id string) diag.Diagnostic {
	return diag.NewErrorDiagnostic(
		"Invalid Import ID",
		fmt.Sprintf("Import an event source mapping by its UUID (aws lambda list-event-source-mappings shows it), "+
			"for example 14e0db71-5d35-4eb5-b481-8945cf9d10c2; got %q.", id),
	)
}
