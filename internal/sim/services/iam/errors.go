package iam

import (
	"net/http"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// Every error IAM answers is built here. Codes and statuses are those of the aws-sdk-go-v2 iam
// module's response snapshots (v1.66.0, response_snapshot/<Exception>.error.snap); the texts
// are AWS's where they are known, and say so where a text is the simulator's own.

// errNoSuchEntity is NoSuchEntityException: 404, NoSuchEntity.
func errNoSuchEntity(format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusNotFound, "NoSuchEntity", format, args...)
}

func errNoSuchRole(name string) *awswire.Error {
	return errNoSuchEntity("The role with name %s cannot be found.", name)
}

func errNoSuchRolePolicy(name string) *awswire.Error {
	return errNoSuchEntity("The role policy with name %s cannot be found.", name)
}

func errNoSuchPolicy(arn string) *awswire.Error {
	return errNoSuchEntity("Policy %s was not found.", arn)
}

func errNotAttachable(arn string) *awswire.Error {
	return errNoSuchEntity("Policy %s does not exist or is not attachable.", arn)
}

func errNoSuchPolicyVersion(arn, version string) *awswire.Error {
	return errNoSuchEntity("Policy %s version %s does not exist or is not attachable.", arn, version)
}

// errEntityAlreadyExists is EntityAlreadyExistsException: 409, EntityAlreadyExists.
func errEntityAlreadyExists(format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusConflict, "EntityAlreadyExists", format, args...)
}

// errDeleteConflict is DeleteConflictException: 409, DeleteConflict.
func errDeleteConflict(msg string) *awswire.Error {
	return awswire.Errorf(http.StatusConflict, "DeleteConflict", "%s", msg)
}

// errMalformedPolicy is MalformedPolicyDocumentException: 400, MalformedPolicyDocument.
func errMalformedPolicy(msg string) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "MalformedPolicyDocument", "%s", msg)
}

// errLimitExceeded is LimitExceededException: 409, LimitExceeded.
func errLimitExceeded(format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusConflict, "LimitExceeded", format, args...)
}

// errInvalidInput is InvalidInputException: 400, InvalidInput.
func errInvalidInput(format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "InvalidInput", format, args...)
}

// errValidation is the ValidationError AWS's front end answers for a member that breaks its
// model's constraints (not modelled as an exception in the SDK; clients see the code).
func errValidation(member, value, constraint string) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "ValidationError",
		"1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, member, constraint)
}

func errMissing(member string) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "ValidationError",
		"1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member)
}

// errServiceFailure is ServiceFailureException: 500, ServiceFailure.
func errServiceFailure(err error) *awswire.Error {
	return &awswire.Error{Status: http.StatusInternalServerError, Code: "ServiceFailure", Message: err.Error(), Server: true}
}

// errUnservedAction answers an IAM action the simulator does not serve: InvalidAction, the
// code AWS gives unknown actions, with a text that says why.
func errUnservedAction(action string) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "InvalidAction",
		"The action %s is not served by the simulated IAM (only roles, role policies and managed policies are).", action)
}
