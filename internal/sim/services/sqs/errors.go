package sqs

import (
	"fmt"
	"net/http"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// Every error SQS answers, built in one place. Code is the JSON protocol's shape name (sent as
// __type "com.amazonaws.sqs#<Code>"), QueryCode the awsQuery code that the JSON protocol repeats in
// the x-amzn-query-error header and that query clients see in <Code>. Codes, statuses and query
// codes come from the awsQueryError traits in sqs@v1.53.0 schemas/schemas.go; errors outside the
// model (InvalidParameterValue, MissingParameter) use their query code for both. Texts are AWS's
// where known (API reference, SDK issues quoting AWS answers).

func sqsError(status int, code, queryCode, format string, args ...any) *awswire.Error {
	if queryCode == "" {
		queryCode = code
	}
	return &awswire.Error{Status: status, Code: code, QueryCode: queryCode, Message: fmt.Sprintf(format, args...)}
}

// queueDoesNotExistQuery is the query code of QueueDoesNotExist; query clients get a longer text.
const queueDoesNotExistQuery = "AWS.SimpleQueueService.NonExistentQueue"

func errQueueDoesNotExist() *awswire.Error {
	return sqsError(http.StatusBadRequest, "QueueDoesNotExist", queueDoesNotExistQuery, "The specified queue does not exist.")
}

func errQueueNameExists(attribute string) *awswire.Error {
	return sqsError(http.StatusBadRequest, "QueueNameExists", "QueueAlreadyExists",
		"A queue already exists with the same name and a different value for attribute %s", attribute)
}

func errQueueDeletedRecently() *awswire.Error {
	return sqsError(http.StatusBadRequest, "QueueDeletedRecently", "AWS.SimpleQueueService.QueueDeletedRecently",
		"You must wait 60 seconds after deleting a queue before you can create another with the same name.")
}

func errPurgeQueueInProgress(name string) *awswire.Error {
	return sqsError(http.StatusForbidden, "PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress",
		"Only one PurgeQueue operation on %s is allowed every 60 seconds.", name)
}

func errInvalidParameterValue(format string, args ...any) *awswire.Error {
	return sqsError(http.StatusBadRequest, "InvalidParameterValue", "", format, args...)
}

// errInvalidValue is AWS's "Value X for parameter P is invalid. Reason: R." form.
func errInvalidValue(value any, parameter, reason string) *awswire.Error {
	return errInvalidParameterValue("Value %v for parameter %s is invalid. Reason: %s", value, parameter, reason)
}

func errMissingParameter(name string) *awswire.Error {
	return sqsError(http.StatusBadRequest, "MissingParameter", "", "The request must contain the parameter %s.", name)
}

func errInvalidAttributeName(format string, args ...any) *awswire.Error {
	return sqsError(http.StatusBadRequest, "InvalidAttributeName", "", format, args...)
}

func errUnknownAttribute(name string) *awswire.Error {
	return errInvalidAttributeName("Unknown Attribute %s.", name)
}

func errInvalidAttributeValue(name string) *awswire.Error {
	return sqsError(http.StatusBadRequest, "InvalidAttributeValue", "", "Invalid value for the parameter %s.", name)
}

func errReceiptHandleIsInvalid(handle string) *awswire.Error {
	return sqsError(http.StatusNotFound, "ReceiptHandleIsInvalid", "",
		"The input receipt handle \"%s\" is not a valid receipt handle.", handle)
}

// errReceiptHandleExpired is what FIFO queues answer to a handle whose visibility timeout passed
// (InvalidParameterValue, as quoted in awsdocs/aws-doc-sdk-examples#165 and aws/aws-sdk-js#1279).
func errReceiptHandleExpired(handle string) *awswire.Error {
	return errInvalidValue(handle, "ReceiptHandle", "The receipt handle has expired.")
}

// errNotAvailableForVisibilityChange is AWS's answer for a handle of a deleted message
// (quoted in aws/aws-sdk-net#1927).
func errNotAvailableForVisibilityChange(handle string) *awswire.Error {
	return errInvalidValue(handle, "ReceiptHandle", "Message does not exist or is not available for visibility timeout change.")
}

func errInvalidAddress(address string) *awswire.Error {
	return sqsError(http.StatusNotFound, "InvalidAddress", "", "The address %s is not valid for this endpoint.", address)
}

func errEmptyBatchRequest(entryType string) *awswire.Error {
	return sqsError(http.StatusBadRequest, "EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest",
		"There should be at least one %s in the request.", entryType)
}

func errTooManyEntriesInBatchRequest(n int) *awswire.Error {
	return sqsError(http.StatusBadRequest, "TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
		"Maximum number of entries per request are %d. You have sent %d.", maxBatchEntries, n)
}

func errInvalidBatchEntryID() *awswire.Error {
	return sqsError(http.StatusBadRequest, "InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId",
		"A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.")
}

func errBatchEntryIdsNotDistinct(id string) *awswire.Error {
	return sqsError(http.StatusBadRequest, "BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
		"Id %s repeated.", id)
}

func errBatchRequestTooLong(size int) *awswire.Error {
	return sqsError(http.StatusBadRequest, "BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong",
		"Batch requests cannot be longer than %d bytes. You have sent %d bytes.", maxMessageSize, size)
}

func errInvalidMessageContents(format string, args ...any) *awswire.Error {
	return sqsError(http.StatusBadRequest, "InvalidMessageContents", "", format, args...)
}

func errMessageTooLong(limit int) *awswire.Error {
	return errInvalidParameterValue("One or more parameters are invalid. Reason: Message must be shorter than %d bytes.", limit)
}

func errNotValidForQueueType(value any, parameter string) *awswire.Error {
	return errInvalidValue(value, parameter, "The request include parameter that is not valid for this queue type.")
}

// errUnknownOperation answers a target or action this simulator does not serve, in AWS's shape:
// UnknownOperationException for awsJson, InvalidAction for awsQuery.
func errUnknownOperation(op string) *awswire.Error {
	return sqsError(http.StatusBadRequest, "UnknownOperationException", "InvalidAction",
		"The action %s is not valid for this web service.", op)
}

// entryError turns an operation error into a batch result entry, as AWS reports per-entry
// failures: the awsQuery code and SenderFault true for caller mistakes.
func entryError(id string, e *awswire.Error) BatchResultErrorEntry {
	code := e.QueryCode
	if code == "" {
		code = e.Code
	}
	return BatchResultErrorEntry{ID: id, SenderFault: !e.Server, Code: code, Message: e.Message}
}
