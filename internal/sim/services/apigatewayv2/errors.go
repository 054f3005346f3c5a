package apigatewayv2

import (
	"net/http"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// Errors as the apigatewayv2 model lists them (NotFoundException 404, BadRequestException 400,
// ConflictException 409; https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/), with the
// message forms the service uses ("Invalid API identifier specified ...").

func notFound(format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusNotFound, "NotFoundException", format, args...)
}

func badRequest(format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "BadRequestException", format, args...)
}

func conflict(format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusConflict, "ConflictException", format, args...)
}

func errAPINotFound(account, id string) *awswire.Error {
	return notFound("Invalid API identifier specified %s:%s", account, id)
}

func errIntegrationNotFound(id string) *awswire.Error {
	return notFound("Invalid Integration identifier specified %s", id)
}

func errRouteNotFound(id string) *awswire.Error {
	return notFound("Invalid Route identifier specified %s", id)
}

func errStageNotFound(name string) *awswire.Error {
	return notFound("Invalid stage identifier specified %s", name)
}

func errDeploymentNotFound(id string) *awswire.Error {
	return notFound("Invalid Deployment identifier specified %s", id)
}

func errUnknownOperation(r *http.Request) *awswire.Error {
	return awswire.Errorf(http.StatusNotFound, "UnknownOperationException",
		"The lambdatrigger simulator does not serve the API Gateway v2 operation at %s %s.", r.Method, r.URL.Path)
}
