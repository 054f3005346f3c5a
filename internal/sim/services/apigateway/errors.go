package apigateway

import (
	"fmt"
	"net/http"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// API Gateway's errors: the X-Amzn-ErrorType code and {"message": ...}, statuses as the API
// reference lists them (https://docs.aws.amazon.com/apigateway/latest/api/CommonErrors.html and
// each operation's Errors section). Messages follow the service's texts where known.

func notFound(format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusNotFound, "NotFoundException", format, args...)
}

func badRequest(format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "BadRequestException", format, args...)
}

func conflict(format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusConflict, "ConflictException", format, args...)
}

func errRestAPINotFound(id string) *awswire.Error {
	return notFound("Invalid API identifier specified %s", id)
}

func errResourceNotFound() *awswire.Error { return notFound("Invalid Resource identifier specified") }
func errMethodNotFound() *awswire.Error   { return notFound("Invalid Method identifier specified") }
func errIntegrationNotFound() *awswire.Error {
	return notFound("No integration defined for method")
}
func errStageNotFound() *awswire.Error { return notFound("Invalid Stage identifier specified") }
func errDeploymentNotFound() *awswire.Error {
	return notFound("Invalid Deployment identifier specified")
}

func errUnknownOperation(r *http.Request) *awswire.Error {
	return awswire.Errorf(http.StatusNotFound, "UnknownOperationException",
		"The lambdatrigger simulator does not serve the API Gateway operation at %s %s.", r.Method, r.URL.Path)
}

func errSerialization(err error) *awswire.Error {
	return badRequest("%s", fmt.Sprintf("Could not parse request body into json: %v", err))
}
