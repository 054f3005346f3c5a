package esm

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// Lambda's model names the message member "Message" for ResourceNotFoundException,
// ResourceInUseException and ServiceException, "message" for the others
// (response_snapshot/<Exception>.error.snap of aws-sdk-go-v2/service/lambda v1.115.0).
func lambdaError(status int, code, format string, args ...any) *awswire.Error {
	e := awswire.Errorf(status, code, format, args...)
	switch code {
	case "ResourceNotFoundException", "ResourceInUseException", "ServiceException":
		e.MessageKey = "Message"
	}
	e.Server = status >= 500 // WriteRestJSONError answers "Type": "Service" for these, "User" otherwise
	return e
}

func invalidParameter(format string, args ...any) *awswire.Error {
	return lambdaError(http.StatusBadRequest, "InvalidParameterValueException", format, args...)
}

// notFound is AWS's answer for a UUID that names no mapping.
func notFound() *awswire.Error {
	return lambdaError(http.StatusNotFound, "ResourceNotFoundException", "The resource you requested does not exist.")
}

// inUse is AWS's answer for an update or delete while the mapping is changing state.
func inUse(verb string) *awswire.Error {
	return lambdaError(http.StatusBadRequest, "ResourceInUseException", "Cannot %s the event source mapping because it is in use.", verb)
}

// duplicate is AWS's 409 for a second mapping of the same source and function. SQS and the
// streams word it differently (texts as AWS answers them, quoted in aws/chalice#2146,
// DataBiosphere/azul#3399 for SQS and tmobile/jazz#74 for Kinesis).
func duplicate(kind, sourceARN, function, uuid string) *awswire.Error {
	if kind == KindSQS {
		return lambdaError(http.StatusConflict, "ResourceConflictException",
			`An event source mapping with SQS arn (" %s ") and function (" %s ") already exists. Please update or delete the existing mapping with UUID %s`,
			sourceARN, function, uuid)
	}
	return lambdaError(http.StatusConflict, "ResourceConflictException",
		"The event source arn (%s) and function (%s) provided mapping already exists. Please update or delete the existing mapping with UUID %s",
		sourceARN, function, uuid)
}

// roleDenied is InvalidParameterValueException "The provided execution role does not have
// permissions to call ReceiveMessage on SQS" (SEMANTICS.md C1).
func roleDenied(action, service string) *awswire.Error {
	return invalidParameter("The provided execution role does not have permissions to call %s on %s", action, service)
}

func internalError(err error) *awswire.Error {
	return lambdaError(http.StatusInternalServerError, "ServiceException", "%v", err)
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
		return lambdaError(http.StatusBadRequest, "ValidationException", "1 validation error detected: %s", v.errs[0])
	default:
		return lambdaError(http.StatusBadRequest, "ValidationException", "%d validation errors detected: %s", len(v.errs), strings.Join(v.errs, "; "))
	}
}
