package urlconfig

import (
	"net/http"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// Lambda's errors in its restJson shape. The message member is "message" or "Message" as each
// exception's model names it (aws-sdk-go-v2/service/lambda response_snapshot/<Exception>.error.snap).

func errNotFound(format string, args ...any) *awswire.Error {
	e := awswire.Errorf(http.StatusNotFound, "ResourceNotFoundException", format, args...)
	return e.WithMessageKey("Message")
}

func errConflict(format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusConflict, "ResourceConflictException", format, args...).WithMessageKey("message")
}

func errInvalidParameter(format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "InvalidParameterValueException", format, args...).WithMessageKey("message")
}

// errValidation is the restJson ValidationException AWS answers for model constraint violations.
func errValidation(format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "ValidationException", format, args...).WithMessageKey("message")
}
