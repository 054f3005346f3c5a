package dynamodb

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// Every error DynamoDB and DynamoDB Streams answer, built in one place. Codes and statuses are those
// of the models (dynamodb@v1.74.0 and dynamodbstreams@v1.47.0 response_snapshot/*.error.snap:
// status 400, 500 for InternalServerError). __type carries the namespace
// "com.amazonaws.dynamodb.v20120810#" (JSONService.Namespace). Texts are AWS's where known: from the
// API reference, or as dynalite and moto recorded them against DynamoDB; texts marked "ours" were
// not found in AWS's own words.

func ddbError(code, format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, code, format, args...)
}

func errValidation(format string, args ...any) *awswire.Error {
	return ddbError("ValidationException", format, args...)
}

// errTableNotFound is the answer of data-plane operations on a missing (or CREATING, or
// DELETING) table.
func errTableNotFound() *awswire.Error {
	return ddbError("ResourceNotFoundException", "Requested resource not found")
}

// errTableNotFoundNamed is the answer of DescribeTable, UpdateTable and DeleteTable.
func errTableNotFoundNamed(name string) *awswire.Error {
	return ddbError("ResourceNotFoundException", "Requested resource not found: Table: %s not found", name)
}

func errTableExists(name string) *awswire.Error {
	return ddbError("ResourceInUseException", "Table already exists: %s", name)
}

// errTableInUse: "Attempt to change a resource which is still in use: Table is being created: t"
// (dynalite); "being updated" and "being deleted" follow the same form.
func errTableInUse(name, doing string) *awswire.Error {
	return ddbError("ResourceInUseException", "Attempt to change a resource which is still in use: Table is being %s: %s", doing, name)
}

func errConditionalCheckFailed(old Item) *awswire.Error {
	e := ddbError("ConditionalCheckFailedException", "The conditional request failed")
	if old != nil {
		e = e.WithField("Item", old)
	}
	return e
}

// errThroughputExceeded is the text of the ProvisionedThroughputExceededException reference entry.
func errThroughputExceeded() *awswire.Error {
	return ddbError("ProvisionedThroughputExceededException",
		"The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.")
}

func errItemTooLarge() *awswire.Error {
	return errValidation("Item size has exceeded the maximum allowed size")
}

func errUpdatedItemTooLarge() *awswire.Error {
	return errValidation("Item size to update has exceeded the maximum allowed size")
}

// Update-expression evaluation errors (dynalite's recorded texts).

func errInvalidUpdatePath() *awswire.Error {
	return errValidation("The document path provided in the update expression is invalid for update")
}

func errMissingAttribute() *awswire.Error {
	return errValidation("The provided expression refers to an attribute that does not exist in the item")
}

func errIncorrectDataType() *awswire.Error {
	return errValidation("An operand in the update expression has an incorrect data type")
}

func errUnsupported(what string) *awswire.Error {
	// ours: a feature the simulator does not implement is refused, never silently ignored.
	return errValidation("%s is not supported by the lambdatrigger DynamoDB simulator", what)
}

// Streams errors.

func errStreamNotFound(arn string) *awswire.Error {
	// ours: the form of the DynamoDB messages, "Requested resource not found: ...".
	return ddbError("ResourceNotFoundException", "Requested resource not found: Stream: %s not found", arn)
}

func errShardNotFound(shard, arn string) *awswire.Error {
	// ours
	return ddbError("ResourceNotFoundException", "Requested resource not found: Shard: %s in Stream: %s not found", shard, arn)
}

// errTrimmed: the TrimmedDataAccessException reference entry.
func errTrimmed() *awswire.Error {
	return ddbError("TrimmedDataAccessException", "The operation attempted to read past the oldest stream record in a shard.")
}

// errExpiredIterator: the message botocore documents for ExpiredIteratorException.
func errExpiredIterator() *awswire.Error {
	return ddbError("ExpiredIteratorException", "The provided iterator exceeds the maximum age allowed.")
}

func errInvalidIterator() *awswire.Error {
	// ours
	return errValidation("Invalid ShardIterator")
}

func errInternal(err error) *awswire.Error {
	return &awswire.Error{Status: http.StatusInternalServerError, Code: "InternalServerError", Message: "Internal server error: " + err.Error(), Server: true}
}

func errUnknownOperation(op string) *awswire.Error {
	return ddbError("UnknownOperationException", "Operation %q is not supported by the lambdatrigger DynamoDB simulator.", op)
}

// validation collects model-constraint failures into AWS's single ValidationException:
// "2 validation errors detected: Value 'x' at 'tableName' failed to satisfy constraint: ...; ...".
type validation []string

func (v *validation) fail(value any, member, constraint string) {
	shown := "null"
	switch value := value.(type) {
	case nil:
	case *string:
		if value != nil {
			shown = "'" + *value + "'"
		}
	case *int32:
		if value != nil {
			shown = fmt.Sprintf("'%d'", *value)
		}
	case *int64:
		if value != nil {
			shown = fmt.Sprintf("'%d'", *value)
		}
	default:
		shown = fmt.Sprintf("'%v'", value)
	}
	*v = append(*v, fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s", shown, member, constraint))
}

func (v validation) err() *awswire.Error {
	if len(v) == 0 {
		return nil
	}
	noun := "error"
	if len(v) > 1 {
		noun = "errors"
	}
	return errValidation("%d validation %s detected: %s", len(v), noun, strings.Join(v, "; "))
}

const (
	constraintNotNull = "Member must not be null"
	patternTableName  = "[a-zA-Z0-9_.-]+"
)

func (v *validation) tableName(name *string, member string) {
	switch {
	case name == nil:
		v.fail(nil, member, constraintNotNull)
	case len(*name) < 3:
		v.fail(name, member, constraintMinLen(3))
	case len(*name) > 255:
		v.fail(name, member, constraintMaxLen(255))
	case !validTableName(*name):
		v.fail(name, member, "Member must satisfy regular expression pattern: "+patternTableName)
	}
}

// tableRef validates a TableName member of an operation that also accepts a table ARN
// (length 1-1024).
func (v *validation) tableRef(name *string) {
	switch {
	case name == nil:
		v.fail(nil, "tableName", constraintNotNull)
	case strings.HasPrefix(*name, "arn:"):
		if len(*name) > 1024 {
			v.fail(name, "tableName", constraintMaxLen(1024))
		}
	default:
		v.tableName(name, "tableName")
	}
}

// optionalTableName validates a table name that may be absent (ListTables' ExclusiveStartTableName).
func (v *validation) optionalTableName(name *string, member string) {
	if name != nil {
		v.tableName(name, member)
	}
}

func validTableName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

func (v *validation) enum(value *string, member string, values ...string) {
	if value == nil {
		return
	}
	for _, ok := range values {
		if *value == ok {
			return
		}
	}
	v.fail(value, member, "Member must satisfy enum value set: ["+strings.Join(values, ", ")+"]")
}

func (v *validation) intRange(value *int32, member string, lo, hi int) {
	if value == nil {
		return
	}
	if int(*value) < lo {
		v.fail(value, member, fmt.Sprintf("Member must have value greater than or equal to %d", lo))
	} else if hi > 0 && int(*value) > hi {
		v.fail(value, member, fmt.Sprintf("Member must have value less than or equal to %d", hi))
	}
}

func constraintMaxLen(n int) string {
	return fmt.Sprintf("Member must have length less than or equal to %d", n)
}

func constraintMinLen(n int) string {
	return fmt.Sprintf("Member must have length greater than or equal to %d", n)
}
