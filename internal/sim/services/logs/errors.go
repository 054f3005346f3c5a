package logs

import (
	"fmt"
	"net/http"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// Every error CloudWatch Logs answers, with AWS's codes and texts (the codes of the
// cloudwatchlogs model: bare "__type", status 400).

func errInvalidParameter(format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "InvalidParameterException", format, args...)
}

// errConstraint is AWS's request-validation shape; CloudWatch Logs reports it as
// InvalidParameterException.
func errConstraint(value any, member, constraint string) *awswire.Error {
	return errInvalidParameter("1 validation error detected: Value '%v' at '%s' failed to satisfy constraint: %s", value, member, constraint)
}

func errGroupNotFound() *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "ResourceNotFoundException", "The specified log group does not exist.")
}

func errStreamNotFound() *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "ResourceNotFoundException", "The specified log stream does not exist.")
}

func errFilterNotFound() *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "ResourceNotFoundException", "The specified subscription filter does not exist.")
}

func errGroupExists() *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "ResourceAlreadyExistsException", "The specified log group already exists")
}

func errStreamExists() *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "ResourceAlreadyExistsException", "The specified log stream already exists")
}

func errLimitExceeded() *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "LimitExceededException", "Resource limit exceeded.")
}

func errLambdaNotAllowed() *awswire.Error {
	return errInvalidParameter("Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.")
}

func errInternal(err error) *awswire.Error {
	return &awswire.Error{Status: http.StatusInternalServerError, Code: "ServiceUnavailableException", Message: fmt.Sprintf("internal error: %v", err), Server: true}
}
