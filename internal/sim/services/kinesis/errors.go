package kinesis

import (
	"net/http"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// Every error Kinesis answers, built in one place. Codes and statuses are those of the kinesis
// model (kinesis@v1.56.13 response_snapshot/*.error.snap: a bare "__type" and "message", status
// 400). Texts are AWS's where known: from AWS's API reference, or from kinesalite, whose messages
// were recorded against the real service; texts marked "ours" were not found in AWS's own words.

func kinesisError(code, format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, code, format, args...)
}

func errStreamNotFound(name, account string) *awswire.Error {
	return kinesisError("ResourceNotFoundException", "Stream %s under account %s not found.", name, account)
}

func errStreamExists(name, account string) *awswire.Error {
	return kinesisError("ResourceInUseException", "Stream %s under account %s already exists.", name, account)
}

func errStreamNotActive(name, account, status string) *awswire.Error {
	return kinesisError("ResourceInUseException", "Stream %s under account %s not ACTIVE, instead in state %s", name, account, status)
}

// errShardNotFound is the text of SplitShard, MergeShards and ListShards.
func errShardNotFound(shard, stream, account string) *awswire.Error {
	return kinesisError("ResourceNotFoundException", "Could not find shard %s in stream %s under account %s.", shard, stream, account)
}

// errShardDoesNotExist is the text of GetShardIterator and GetRecords.
func errShardDoesNotExist(shard, stream, account string) *awswire.Error {
	return kinesisError("ResourceNotFoundException", "Shard %s in stream %s under account %s does not exist", shard, stream, account)
}

func errInvalidArgument(format string, args ...any) *awswire.Error {
	return kinesisError("InvalidArgumentException", format, args...)
}

func errInvalidIterator() *awswire.Error {
	return errInvalidArgument("Invalid ShardIterator.")
}

func errExpiredIterator(created, now string) *awswire.Error {
	return kinesisError("ExpiredIteratorException",
		"Iterator expired. The iterator was created at time %s while right now it is %s which is further in the future than the tolerated delay of %d milliseconds.",
		created, now, iteratorLifetime.Milliseconds())
}

func errExpiredNextToken() *awswire.Error {
	// ours: AWS documents the code (tokens expire after 300 seconds), not the text.
	return kinesisError("ExpiredNextTokenException", "The NextToken has expired. NextTokens expire after 300 seconds.")
}

func errInvalidNextToken() *awswire.Error {
	return errInvalidArgument("Invalid NextToken.")
}

func errLimitExceeded(format string, args ...any) *awswire.Error {
	return kinesisError("LimitExceededException", format, args...)
}

func errShardLimit(account, region string, current, limit, adding int) *awswire.Error {
	return errLimitExceeded("This request would exceed the shard limit for the account %s in %s. Current shard count for the account: %d. Limit: %d. Number of additional shards that would have resulted from this request: %d. Refer to the AWS Service Limits page (http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits and how to request higher limits.",
		account, region, current, limit, adding)
}

func errOnDemand(name, account string) *awswire.Error {
	return kinesisError("ValidationException", "Request is invalid. Stream %s under account %s is in On-Demand mode.", name, account)
}

// errThroughput is the text AWS puts in PutRecords' per-record ErrorMessage and in the
// exception: the account, the stream and the shard (PutRecordsResultEntry reference).
func errThroughput(shard, stream, account string) *awswire.Error {
	return kinesisError("ProvisionedThroughputExceededException", "Rate exceeded for shard %s in stream %s under account %s.", shard, stream, account)
}

func errInternal(err error) *awswire.Error {
	return &awswire.Error{Status: http.StatusInternalServerError, Code: "InternalFailureException", Message: "Internal service failure: " + err.Error(), Server: true}
}

func errShuttingDown() *awswire.Error {
	return &awswire.Error{Status: http.StatusServiceUnavailable, Code: "InternalFailureException", Message: "The Kinesis simulator is shutting down.", Server: true}
}

func errUnknownOperation(op string) *awswire.Error {
	return kinesisError("UnknownOperationException", "Operation %q is not supported by the lambdatrigger Kinesis simulator.", op)
}
