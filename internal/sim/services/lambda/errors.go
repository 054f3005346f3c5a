package lambda

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
)

// Lambda's models name the message member "message" for some exceptions and "Message" for others;
// clients read the one the model names (response_snapshot/<Exception>.error.snap in the SDK).
var messageKeys = map[string]string{
	"ResourceNotFoundException": "Message",
	"ServiceException":          "Message",
	"InvalidRuntimeException":   "Message",
	"InvalidZipFileException":   "Message",
	"ResourceNotReadyException": "message",
}

func lambdaError(status int, code, format string, args ...any) *awswire.Error {
	e := awswire.Errorf(status, code, format, args...)
	if key, ok := messageKeys[code]; ok {
		e.MessageKey = key
	}
	return e
}

func invalidParameter(format string, args ...any) *awswire.Error {
	return lambdaError(http.StatusBadRequest, "InvalidParameterValueException", format, args...)
}

func notFound(format string, args ...any) *awswire.Error {
	return lambdaError(http.StatusNotFound, "ResourceNotFoundException", format, args...)
}

func functionNotFound(arn string) *awswire.Error { return notFound("Function not found: %s", arn) }

func conflict(format string, args ...any) *awswire.Error {
	return lambdaError(http.StatusConflict, "ResourceConflictException", format, args...)
}

func preconditionFailed() *awswire.Error {
	return lambdaError(http.StatusPreconditionFailed, "PreconditionFailedException",
		"The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
}

// tooLarge is the error AWS's front end answers for an oversized request body: the common
// RequestEntityTooLargeException (413), not the model's RequestTooLargeException. Every public
// report of an oversized Invoke shows this code and message.
func tooLarge(limit int, operation string) *awswire.Error {
	return awswire.Errorf(http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException",
		"Request must be smaller than %d bytes for the %s operation", limit, operation)
}

func internalError(err error) *awswire.Error {
	e := lambdaError(http.StatusInternalServerError, "ServiceException", "%v", err)
	e.Server = true
	return e
}

// updateInProgress is AWS's answer to a change while the previous one is still being applied.
func updateInProgress(arn string) *awswire.Error {
	return conflict("The operation cannot be performed at this time. An update is in progress for resource: %s", arn)
}

// notInState is AWS's answer to an invoke or change of a function that is not Active.
func notInState(state string) *awswire.Error {
	return conflict("The operation cannot be performed at this time. The function is currently in the following state: %s", state)
}

// fromInvoke maps an invocation failure to the wire.
func fromInvoke(e *invoke.Error) *awswire.Error {
	out := lambdaError(e.Status, e.Code, "%s", e.Message)
	if e.Status >= 500 {
		out.Server = true
	}
	if e.Reason != "" {
		out = out.WithField("Reason", e.Reason)
	}
	if e.RetryAfter > 0 {
		secs := int(e.RetryAfter.Seconds())
		if secs < 1 {
			secs = 1
		}
		out.Headers = map[string]string{"Retry-After": fmt.Sprint(secs)}
	}
	return out
}

// validation collects constraint violations the way AWS's front end reports them:
// "2 validation errors detected: Value '0' at 'timeout' failed to satisfy constraint: ...; Value ...".
type validation struct{ errs []string }

func (v *validation) add(format string, args ...any) {
	v.errs = append(v.errs, fmt.Sprintf(format, args...))
}

func (v *validation) minInt(member string, value *int32, lowest int) {
	if value != nil && int(*value) < lowest {
		v.add("Value '%d' at '%s' failed to satisfy constraint: Member must have value greater than or equal to %d", *value, member, lowest)
	}
}

func (v *validation) maxInt(member string, value *int32, highest int) {
	if value != nil && int(*value) > highest {
		v.add("Value '%d' at '%s' failed to satisfy constraint: Member must have value less than or equal to %d", *value, member, highest)
	}
}

func (v *validation) maxLen(member string, value *string, highest int) {
	if value != nil && len(*value) > highest {
		v.add("Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", *value, member, highest)
	}
}

func (v *validation) pattern(member, value, pattern string) {
	v.add("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", value, member, pattern)
}

func (v *validation) enum(member, value string, allowed ...string) {
	v.add("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]", value, member, strings.Join(allowed, ", "))
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
