package sns

import (
	"fmt"
	"net/http"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// Every error SNS answers is built here. Codes and statuses are those of the aws-sdk-go-v2 sns
// module's response snapshots (response_snapshot/<Exception>.error.snap); texts follow what AWS
// answers where it is known, and say so where the text is the simulator's own.

// errInvalidParameter is InvalidParameterException: 400, code InvalidParameter. AWS prefixes
// its texts with "Invalid parameter: ".
func errInvalidParameter(format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "InvalidParameter", "Invalid parameter: "+format, args...)
}

// errInvalidParameterValue is InvalidParameterValueException, whose wire code is
// ParameterValueInvalid (used for malformed message attributes).
func errInvalidParameterValue(format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "ParameterValueInvalid", format, args...)
}

// errNotFound is NotFoundException: 404, code NotFound.
func errNotFound(what string) *awswire.Error {
	return awswire.Errorf(http.StatusNotFound, "NotFound", "%s does not exist", what)
}

func errTopicNotFound() *awswire.Error        { return errNotFound("Topic") }
func errSubscriptionNotFound() *awswire.Error { return errNotFound("Subscription") }

// errResourceNotFound is ResourceNotFoundException (tagging operations): 404, ResourceNotFound.
func errResourceNotFound() *awswire.Error {
	return awswire.Errorf(http.StatusNotFound, "ResourceNotFound", "Resource does not exist")
}

// errTagLimitExceeded: a topic holds at most 50 tags.
func errTagLimitExceeded() *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "TagLimitExceeded", "Could not complete request: tag quota of per resource exceeded")
}

// errTagPolicy is TagPolicyException, for tag keys or values AWS refuses.
func errTagPolicy(format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "TagPolicy", format, args...)
}

// The PublishBatch errors, with the texts of the SNS API reference.
func errEmptyBatch() *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "EmptyBatchRequest", "The batch request doesn't contain any entries.")
}

func errTooManyEntries() *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "TooManyEntriesInBatchRequest", "The batch request contains more entries than permissible.")
}

func errBatchIDsNotDistinct() *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id.")
}

func errInvalidBatchEntryID() *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "InvalidBatchEntryId", "The Id of a batch entry in a batch request doesn't abide by the specification.")
}

func errBatchTooLong(limit int) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "BatchRequestTooLong",
		"The length of all the messages put together is more than the limit (%d bytes).", limit)
}

// errInternal is InternalErrorException: 500, code InternalError.
func errInternal(err error) *awswire.Error {
	return &awswire.Error{Status: http.StatusInternalServerError, Code: "InternalError", Message: err.Error(), Server: true}
}

// errUnknownAction answers an Action SNS does not have, or one the simulator does not serve.
// AWS answers unknown actions with InvalidAction; the simulator says which it is.
func errUnknownAction(action string, known bool) *awswire.Error {
	if known {
		return awswire.Errorf(http.StatusBadRequest, "InvalidAction",
			"The action %s is not supported by the lambdatrigger simulator's SNS (it serves topics, subscriptions, publishing and tags).", action)
	}
	return awswire.Errorf(http.StatusBadRequest, "InvalidAction", "The action %s is not valid for this web service.", action)
}

// errMissing answers a request without a required member. The SDKs check required members
// before sending, so only hand-written requests see it; AWS's code for it is ValidationError.
func errMissing(member string) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "ValidationError",
		"1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", lowerFirst(member))
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return fmt.Sprintf("%c%s", s[0]|0x20, s[1:])
}
