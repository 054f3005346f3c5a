package events

import (
	"fmt"
	"net/http"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// Every error EventBridge answers, with AWS's codes and texts. The codes are those of the
// eventbridge model (response_snapshot/*.error.snap: bare "__type", status 400).

func errValidation(format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "ValidationException", format, args...)
}

// errConstraint is the shape of AWS's request-validation failures.
func errConstraint(value any, member, constraint string) *awswire.Error {
	return errValidation("1 validation error detected: Value '%v' at '%s' failed to satisfy constraint: %s", value, member, constraint)
}

func errBusNotFound(bus string) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "ResourceNotFoundException", "Event bus %s does not exist.", bus)
}

func errRuleNotFound(rule, bus string) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "ResourceNotFoundException", "Rule %s does not exist on EventBus %s.", rule, bus)
}

func errResourceNotFound(arn string) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "ResourceNotFoundException", "Resource %s does not exist.", arn)
}

func errBusExists(bus string) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "ResourceAlreadyExistsException", "Event bus %s already exists.", bus)
}

func errInvalidPattern(reason string) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "InvalidEventPatternException", "Event pattern is not valid. Reason: %s", reason)
}

func errLimitExceeded(format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "LimitExceededException", format, args...)
}

func errRuleHasTargets() *awswire.Error {
	return errValidation("Rule can't be deleted since it has targets.")
}

func errInternal(err error) *awswire.Error {
	return &awswire.Error{Status: http.StatusInternalServerError, Code: "InternalException", Message: fmt.Sprintf("internal error: %v", err), Server: true}
}
