package s3

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// Every error this package answers, with S3's code, status and text. Codes and texts are those of
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html unless a comment says where
// else they come from. The extra elements (BucketName, Key, ArgumentName, ...) are the ones S3 adds
// to its <Error> document.

func errNoSuchBucket(bucket string) *awswire.Error {
	return awswire.Errorf(http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist").WithField("BucketName", bucket)
}

func errNoSuchKey(key string) *awswire.Error {
	return awswire.Errorf(http.StatusNotFound, "NoSuchKey", "The specified key does not exist.").WithField("Key", key)
}

func errNoSuchUpload(uploadID string) *awswire.Error {
	return awswire.Errorf(http.StatusNotFound, "NoSuchUpload",
		"The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.").
		WithField("UploadId", uploadID)
}

// errBucketAlreadyOwnedByYou is answered outside us-east-1; there S3 answers 200 for legacy
// compatibility (the BucketAlreadyOwnedByYou shape's documentation in the S3 model).
func errBucketAlreadyOwnedByYou(bucket string) *awswire.Error {
	return awswire.Errorf(http.StatusConflict, "BucketAlreadyOwnedByYou",
		"Your previous request to create the named bucket succeeded and you already own it.").WithField("BucketName", bucket)
}

func errBucketNotEmpty(bucket string) *awswire.Error {
	return awswire.Errorf(http.StatusConflict, "BucketNotEmpty", "The bucket you tried to delete is not empty").WithField("BucketName", bucket)
}

func errInvalidBucketName(bucket string) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "InvalidBucketName", "The specified bucket is not valid.").WithField("BucketName", bucket)
}

func errInvalidLocationConstraint(loc string) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "InvalidLocationConstraint", "The specified location-constraint is not valid").
		WithField("LocationConstraint", loc)
}

// errIllegalLocationConstraint: a LocationConstraint that differs from the region the request was
// signed for (or none, outside us-east-1).
func errIllegalLocationConstraint(loc string) *awswire.Error {
	if loc == "" {
		loc = "unspecified"
	}
	return awswire.Errorf(http.StatusBadRequest, "IllegalLocationConstraintException",
		"The %s location constraint is incompatible for the region specific endpoint this request was sent to.", loc)
}

func errMalformedXML() *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "MalformedXML",
		"The XML you provided was not well-formed or did not validate against our published schema")
}

func errInvalidArgument(message, name, value string) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "InvalidArgument", "%s", message).
		WithField("ArgumentName", name).WithField("ArgumentValue", value)
}

func errInvalidRequest(format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "InvalidRequest", format, args...)
}

func errEntityTooLarge(proposed, max int64) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size").
		WithField("ProposedSize", strconv.FormatInt(proposed, 10)).WithField("MaxSizeAllowed", strconv.FormatInt(max, 10))
}

func errEntityTooSmall(proposed, min int64) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.").
		WithField("ProposedSize", strconv.FormatInt(proposed, 10)).WithField("MinSizeAllowed", strconv.FormatInt(min, 10))
}

func errKeyTooLong(size int) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "KeyTooLongError", "Your key is too long").
		WithField("Size", strconv.Itoa(size)).WithField("MaxSizeAllowed", strconv.Itoa(maxKeyLength))
}

func errMetadataTooLarge(size int) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.").
		WithField("Size", strconv.Itoa(size)).WithField("MaxSizeAllowed", strconv.Itoa(maxMetadataSize))
}

func errMissingContentLength() *awswire.Error {
	return awswire.Errorf(http.StatusLengthRequired, "MissingContentLength", "You must provide the Content-Length HTTP header.")
}

func errIncompleteBody() *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "IncompleteBody",
		"You did not provide the number of bytes specified by the Content-Length HTTP header")
}

func errMalformedChunk(err error) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "IncompleteBody", "The aws-chunked request body is malformed: %v", err)
}

func errInvalidDigest(value string) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "InvalidDigest", "The Content-MD5 you specified is not valid.").WithField("Content-MD5", value)
}

func errBadDigest(expected, calculated string) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "BadDigest", "The Content-MD5 you specified did not match what we received.").
		WithField("ExpectedDigest", expected).WithField("CalculatedDigest", calculated)
}

func errBadChecksum(algorithm string) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "BadDigest", "The %s you specified did not match the calculated checksum.", algorithm)
}

func errInvalidChecksum(algorithm string) *awswire.Error {
	return errInvalidRequest("Value for x-amz-checksum-%s header is invalid.", strings.ToLower(algorithm))
}

func errMultipleChecksums() *awswire.Error {
	return errInvalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
}

func errMissingContentMD5() *awswire.Error {
	return errInvalidRequest("Missing required header for this request: Content-Md5.")
}

func errInvalidRange(requested string, size int64) *awswire.Error {
	return awswire.Errorf(http.StatusRequestedRangeNotSatisfiable, "InvalidRange", "The requested range is not satisfiable").
		WithField("RangeRequested", requested).WithField("ActualObjectSize", strconv.FormatInt(size, 10))
}

func errPreconditionFailed(condition string) *awswire.Error {
	return awswire.Errorf(http.StatusPreconditionFailed, "PreconditionFailed",
		"At least one of the pre-conditions you specified did not hold").WithField("Condition", condition)
}

// errNotModified is a 304 answer; S3 sends it without a body.
func errNotModified() *awswire.Error {
	return &awswire.Error{Status: http.StatusNotModified, Code: "NotModified", Message: "Not Modified"}
}

func errMethodNotAllowed(method, resourceType string) *awswire.Error {
	return awswire.Errorf(http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.").
		WithField("Method", method).WithField("ResourceType", resourceType)
}

// errNotImplemented answers what S3 serves but the simulator does not: an AWS-shaped refusal the
// SDKs surface as an error, never a silent success.
func errNotImplemented(what string) *awswire.Error {
	return awswire.Errorf(http.StatusNotImplemented, "NotImplemented",
		"The lambdatrigger simulator does not implement %s; see the README's support matrix.", what)
}

func errInvalidPart(partNumber int) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "InvalidPart",
		"One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.").
		WithField("PartNumber", strconv.Itoa(partNumber))
}

func errInvalidPartOrder() *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "InvalidPartOrder",
		"The list of parts was not in ascending order. Parts must be ordered by part number.")
}

func errInvalidCopySource() *awswire.Error {
	return errInvalidArgument("Invalid copy source object key", "x-amz-copy-source", "")
}

func errCopyToItself() *awswire.Error {
	return errInvalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
}

// Sub-resources a fresh bucket does not have (each GET's documented "not found" error).

func errNoSuchBucketPolicy(bucket string) *awswire.Error {
	return awswire.Errorf(http.StatusNotFound, "NoSuchBucketPolicy", "The bucket policy does not exist").WithField("BucketName", bucket)
}

func errNoSuchTagSet(bucket string) *awswire.Error {
	return awswire.Errorf(http.StatusNotFound, "NoSuchTagSet", "The TagSet does not exist").WithField("BucketName", bucket)
}

func errNoSuchCORSConfiguration(bucket string) *awswire.Error {
	return awswire.Errorf(http.StatusNotFound, "NoSuchCORSConfiguration", "The CORS configuration does not exist").WithField("BucketName", bucket)
}

func errNoSuchWebsiteConfiguration(bucket string) *awswire.Error {
	return awswire.Errorf(http.StatusNotFound, "NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration").
		WithField("BucketName", bucket)
}

func errNoSuchLifecycleConfiguration(bucket string) *awswire.Error {
	return awswire.Errorf(http.StatusNotFound, "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist").
		WithField("BucketName", bucket)
}

func errReplicationConfigurationNotFound(bucket string) *awswire.Error {
	return awswire.Errorf(http.StatusNotFound, "ReplicationConfigurationNotFoundError", "The replication configuration was not found").
		WithField("BucketName", bucket)
}

func errObjectLockConfigurationNotFound(bucket string) *awswire.Error {
	return awswire.Errorf(http.StatusNotFound, "ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket").
		WithField("BucketName", bucket)
}

// Notification configuration (PutBucketNotificationConfiguration). Texts as S3 answers them, seen
// in S3's raw responses quoted in public issue threads (minio/minio#2472 for the overlap error,
// a botocore debug log for the destination error) and in moto's S3 backend for the event error.

func errUnsupportedEvent(event string) *awswire.Error {
	return errInvalidArgument("The event is not supported for notifications", "Event", event)
}

func errFilterRuleName(name string) *awswire.Error {
	return errInvalidArgument("filter rule name must be either prefix or suffix", "FilterRule", name)
}

func errDuplicateFilterRule(name string) *awswire.Error {
	return errInvalidArgument(fmt.Sprintf("Cannot specify more than one %s rule in a filter.", name), "FilterRule", name)
}

func errUnparsableARN(element, arn string) *awswire.Error {
	return errInvalidArgument("The ARN could not be parsed", element, arn)
}

func errConfigurationsOverlap(eventA, eventB string) *awswire.Error {
	return errInvalidArgument("Configurations overlap. Configurations on the same bucket cannot share a common event type.",
		"Event", eventA+", "+eventB)
}

func errAmbiguousFilters() *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "InvalidArgument",
		"Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.")
}

// destinationFailure is one destination S3 could not validate: ArgumentName<n> is the ARN (a
// Lambda ARN followed by ", null", its absent invocation role) and ArgumentValue<n> the reason.
type destinationFailure struct {
	name, reason string
}

func errDestinationValidation(failures []destinationFailure) *awswire.Error {
	e := awswire.Errorf(http.StatusBadRequest, "InvalidArgument", "Unable to validate the following destination configurations")
	for i, f := range failures {
		n := strconv.Itoa(i + 1)
		e.WithField("ArgumentName"+n, f.name).WithField("ArgumentValue"+n, f.reason)
	}
	return e
}

func errAccessDenied() *awswire.Error {
	return awswire.Errorf(http.StatusForbidden, "AccessDenied", "Access Denied")
}

func errInternal(err error) *awswire.Error {
	return &awswire.Error{Status: http.StatusInternalServerError, Code: "InternalError",
		Message: "We encountered an internal error. Please try again. (" + err.Error() + ")", Server: true}
}
