package diagnostics

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/trigger"
)

// AsyncInvokeConfigThing names the resource's object in diagnostics.
const AsyncInvokeConfigThing = "Lambda Function Event Invoke Config"

// AsyncInvokeConfigError is a failed event invoke config call. When Lambda refused a destination
// because the function's execution role may not reach it, the detail names the permission to grant
// instead of the generic hint.
func AsyncInvokeConfigError(action, id string, err error) diag.Diagnostic {
	if !strings.Contains(err.Error(), "does not have permission") {
		return APIError(action, AsyncInvokeConfigThing, id, err)
	}
	what := "Allow the role to reach each destination (" + destinationGrants() + ")"
	if arn, iamAction, ok := deniedDestination(err.Error()); ok {
		what = "Allow the role " + iamAction + " on " + arn
	}
	return diag.NewErrorDiagnostic(
		"Error "+titleCase(action)+" "+AsyncInvokeConfigThing,
		fmt.Sprintf("While %s %s (%s), Lambda refused a destination: the function's execution role does not allow "+
			"sending to it. Lambda checks the role when the configuration is saved. %s, then apply again.\n\nOriginal Error: %s",
			action, AsyncInvokeConfigThing, id, what, err),
	)
}

// deniedDestination reads the destination and the IAM action out of Lambda's "... does not have
// permissions to call SendMessage on arn:aws:sqs:...".
func deniedDestination(msg string) (arn, action string, ok bool) {
	i := strings.LastIndex(msg, " on arn:")
	if i < 0 {
		return "", "", false
	}
	arn = strings.Fields(msg[i+len(" on "):])[0]
	arn = strings.TrimRight(arn, ".,;")
	parts := strings.SplitN(arn, ":", 4)
	if len(parts) < 3 {
		return "", "", false
	}
	d, found := trigger.LookupDestination(parts[2])
	if !found {
		return "", "", false
	}
	return arn, d.Action, true
}

func destinationGrants() string {
	var grants []string
	for _, d := range trigger.Destinations {
		grants = append(grants, fmt.Sprintf("%s for %s", d.Action, d.Kind))
	}
	return strings.Join(grants, ", ")
}

// AsyncInvokeConfigImportID is an import ID that names no event invoke config.
func AsyncInvokeConfigImportID(id string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic(
		"Invalid Import ID",
		fmt.Sprintf("Import an event invoke config by FUNCTION_NAME, FUNCTION_NAME:QUALIFIER, or the function's ARN "+
			"with or without its qualifier, for example my-function:live; got %q.\n\nOriginal Error: %s", id, err),
	)
}
