package eventconfig

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// Lambda's model names the message member "Message" for ResourceNotFoundException and
// ServiceException, "message" for the others (response_snapshot/<Exception>.error.snap).
func lambdaError(status int, code, format string, args ...any) *awswire.Error {
	e := awswire.Errorf(status, code, format, args...)
	if code == "ResourceNotFoundException" || code == "ServiceException" {
		e.MessageKey = "Message"
	}
	return e
}

func invalidParameter(format string, args ...any) *awswire.Error {
	return lambdaError(http.StatusBadRequest, "InvalidParameterValueException", format, args...)
}

// noConfig is Get/Update/Delete of a config that does not exist.
func noConfig(functionARN string) *awswire.Error {
	return lambdaError(http.StatusNotFound, "ResourceNotFoundException", "The function %s doesn't have an EventInvokeConfig", functionARN)
}

// roleDenied is AWS's answer when the execution role may not reach a destination (the text AWS
// shows for an on-failure SQS destination: "The function's execution role does not have
// permissions to call SendMessage on arn:aws:sqs:...").
func roleDenied(verb, arn string) *awswire.Error {
	return invalidParameter("The function's execution role does not have permissions to call %s on %s", verb, arn)
}

func internalError(err error) *awswire.Error {
	e := lambdaError(http.StatusInternalServerError, "ServiceException", "%v", err)
	e.Server = true
	return e
}

// validation collects ValidationException messages in AWS's (Coral's) form.
type validation struct{ errs []string }

func (v *validation) add(format string, args ...any) {
	v.errs = append(v.errs, fmt.Sprintf(format, args...))
}

func (v *validation) between(member string, value *int32, lowest, highest int) {
	switch {
	case value == nil:
	case int(*value) < lowest:
		v.add("Value '%d' at '%s' failed to satisfy constraint: Member must have value greater than or equal to %d", *value, member, lowest)
	case int(*value) > highest:
		v.add("Value '%d' at '%s' failed to satisfy constraint: Member must have value less than or equal to %d", *value, member, highest)
	}
}

func (v *validation) err() *awswire.Error {
	switch len(v.errs) {
	case 0:
		return nil
	case 1:
		return awswire.Errorf(http.StatusBadRequest, "ValidationException", "1 validation error detected: %s", v.errs[0])
	default:
		return awswire.Errorf(http.StatusBadRequest, "ValidationException", "%d validation errors detected: %s", len(v.errs), strings.Join(v.errs, "; "))
	}
}
