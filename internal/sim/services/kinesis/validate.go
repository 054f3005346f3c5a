package kinesis

import (
	"fmt"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// validation collects request-validation failures into AWS's single ValidationException:
// "2 validation errors detected: Value 'x' at 'streamName' failed to satisfy constraint: ...; ...".
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
	case blobValue:
		shown = fmt.Sprintf("'java.nio.HeapByteBuffer[pos=0 lim=%d cap=%d]'", int(value), int(value))
	default:
		shown = fmt.Sprintf("'%v'", value)
	}
	*v = append(*v, fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s", shown, member, constraint))
}

// blobValue is how AWS shows a blob in a validation message: by its length.
type blobValue int

func (v validation) err() *awswire.Error {
	if len(v) == 0 {
		return nil
	}
	noun := "error"
	if len(v) > 1 {
		noun = "errors"
	}
	return kinesisError("ValidationException", "%d validation %s detected: %s", len(v), noun, strings.Join(v, "; "))
}

const (
	constraintNotNull = "Member must not be null"
	patternName       = "[a-zA-Z0-9_.-]+"
	patternHashKey    = `0|([1-9]\d{0,38})`
	patternSeq        = `0|([1-9]\d{0,128})`
	patternARN        = `arn:aws.*:kinesis:.*:\d{12}:stream/\S+`
)

func constraintPattern(p string) string {
	return "Member must satisfy regular expression pattern: " + p
}

func constraintMaxLen(n int) string {
	return fmt.Sprintf("Member must have length less than or equal to %d", n)
}

func constraintMinLen(n int) string {
	return fmt.Sprintf("Member must have length greater than or equal to %d", n)
}

func constraintMin(n int) string {
	return fmt.Sprintf("Member must have value greater than or equal to %d", n)
}

func constraintMax(n int) string {
	return fmt.Sprintf("Member must have value less than or equal to %d", n)
}

func constraintEnum(values ...string) string {
	return "Member must satisfy enum value set: [" + strings.Join(values, ", ") + "]"
}

// streamRef validates StreamName and StreamARN against the model's patterns.
func (v *validation) streamRef(name, arn *string) {
	if name != nil {
		v.name(name, "streamName")
	}
	v.arn(arn, "streamARN")
}

// arn validates a stream ARN member.
func (v *validation) arn(arn *string, member string) {
	switch {
	case arn == nil:
	case len(*arn) < 1:
		v.fail(arn, member, constraintMinLen(1))
	case len(*arn) > 2048:
		v.fail(arn, member, constraintMaxLen(2048))
	case !streamARNRE.MatchString(*arn):
		v.fail(arn, member, constraintPattern(patternARN))
	}
}

// name validates a StreamName or ShardId member.
func (v *validation) name(value *string, member string) {
	switch {
	case value == nil:
	case len(*value) < 1:
		v.fail(value, member, constraintMinLen(1))
	case len(*value) > 128:
		v.fail(value, member, constraintMaxLen(128))
	case !streamNameRE.MatchString(*value):
		v.fail(value, member, constraintPattern(patternName))
	}
}

// required reports a missing required member.
func (v *validation) required(present bool, member string) bool {
	if !present {
		v.fail(nil, member, constraintNotNull)
	}
	return present
}

func (v *validation) intRange(value *int32, member string, lo, hi int) {
	if value == nil {
		return
	}
	if int(*value) < lo {
		v.fail(value, member, constraintMin(lo))
	} else if hi > 0 && int(*value) > hi {
		v.fail(value, member, constraintMax(hi))
	}
}
