package sns

import (
	"encoding/base64"
	"encoding/json"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
)

// Message attributes ("Amazon SNS message attributes", sns-message-attributes.html): a name, a
// data type (String, String.Array, Number or Binary, optionally with a custom ".label" as in
// SQS) and a value. Names: up to 256 characters of letters, digits, '_', '-' and '.', not
// starting or ending with '.', without "..", not starting with "AWS." or "Amazon.".

var (
	attributeNameRE = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,256}$`)
	// numberRE is a decimal number as SQS and SNS accept it (a sign, digits, a point, an exponent).
	numberRE = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)
	// jsonNumberRE is a JSON number literal.
	jsonNumberRE = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)
)

// numberLiteral spells a Number attribute value as a JSON number for filter matching.
func numberLiteral(v string) json.Number {
	if jsonNumberRE.MatchString(v) {
		return json.Number(v)
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return json.Number("0")
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
}

// baseType is the data type without a custom label: "String.Array" and "String.foo" are
// "String".
func baseType(dataType string) string {
	t, _, _ := strings.Cut(dataType, ".")
	return t
}

func validateMessageAttributes(attrs map[string]attribute) *awswire.Error {
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	sort.Strings(names) // report the same attribute first every time
	for _, name := range names {
		a := attrs[name]
		lower := strings.ToLower(name)
		if !attributeNameRE.MatchString(name) || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".") ||
			strings.Contains(name, "..") || strings.HasPrefix(lower, "aws.") || strings.HasPrefix(lower, "amazon.") {
			return errInvalidParameterValue("The message attribute name '%s' is invalid.", name)
		}
		switch baseType(a.DataType) {
		case "String", "Number":
			if a.StringValue == "" {
				return errInvalidParameterValue("The message attribute '%s' must contain non-empty message attribute value for message attribute type '%s'.", name, a.DataType)
			}
		case "Binary":
			if len(a.BinaryValue) == 0 {
				return errInvalidParameterValue("The message attribute '%s' must contain non-empty message attribute value for message attribute type '%s'.", name, a.DataType)
			}
		default:
			return errInvalidParameterValue("The message attribute '%s' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.", name)
		}
		switch {
		case baseType(a.DataType) == "Number":
			if !numberRE.MatchString(a.StringValue) {
				return errInvalidParameterValue("The message attribute '%s' with type 'Number' has an invalid numeric value '%s'.", name, a.StringValue)
			}
		case a.DataType == "String.Array":
			var arr []any
			if err := json.Unmarshal([]byte(a.StringValue), &arr); err != nil {
				return errInvalidParameterValue("The message attribute '%s' with type 'String.Array' must be a JSON array of strings, numbers, true, false and null.", name)
			}
			for _, el := range arr {
				switch el.(type) {
				case map[string]any, []any:
					return errInvalidParameterValue("The message attribute '%s' with type 'String.Array' must be a JSON array of strings, numbers, true, false and null.", name)
				}
			}
		}
	}
	return nil
}

// attributesSize is what message attributes add to a message's size: name, type and value.
func attributesSize(attrs map[string]attribute) int {
	n := 0
	for name, a := range attrs {
		n += len(name) + len(a.DataType) + len(a.StringValue) + len(a.BinaryValue)
	}
	return n
}

// envelopeAttribute is an attribute in a JSON envelope or a Lambda event: {"Type":..,"Value":..};
// Binary values are base64.
type envelopeAttribute struct {
	Type  string `json:"Type"`
	Value string `json:"Value"`
}

func toEnvelopeAttributes(attrs map[string]attribute) map[string]envelopeAttribute {
	out := make(map[string]envelopeAttribute, len(attrs))
	for name, a := range attrs {
		v := a.StringValue
		if baseType(a.DataType) == "Binary" {
			v = base64.StdEncoding.EncodeToString(a.BinaryValue)
		}
		out[name] = envelopeAttribute{Type: a.DataType, Value: v}
	}
	return out
}

// toDeliverAttributes turns message attributes into SQS message attributes (raw delivery).
func toDeliverAttributes(attrs map[string]attribute) map[string]deliver.Attribute {
	if len(attrs) == 0 {
		return nil
	}
	out := make(map[string]deliver.Attribute, len(attrs))
	for name, a := range attrs {
		out[name] = deliver.Attribute{DataType: a.DataType, StringValue: a.StringValue, BinaryValue: a.BinaryValue}
	}
	return out
}
