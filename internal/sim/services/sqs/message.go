package sqs

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// Limits of messages and batches. AWS raised the message size to 1 MiB in 2025: the SQS API model
// in sqs@v1.53.0 says "The maximum size is 1 MiB or 1,048,576 bytes" (SendMessage), MaximumMessageSize
// "from 1,024 bytes (1 KiB) to 1,048,576 bytes (1 MiB). Default: 1,048,576", and for batches "The
// maximum allowed individual message size and the maximum total payload size ... are both 1 MiB".
const (
	maxMessageSize    = 1 << 20
	minMessageSizeCap = 1024
	maxBatchEntries   = 10
	maxAttributes     = 10 // quotas-messages: "A message can contain up to 10 metadata attributes."
	maxDelaySeconds   = 900
	maxVisibility     = 43200 // 12 hours
	maxWaitSeconds    = 20
	maxBatchIDLength  = 80
	dedupWindow       = 5 * time.Minute
	maxFIFOIDLength   = 128
)

// checkBody enforces the allowed characters of a message body (API_SendMessage: #x9 | #xA | #xD |
// #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF).
func checkBody(body string) *awswire.Error {
	if r, ok := invalidRune(body); ok {
		return errInvalidMessageContents("Invalid binary character '#x%X' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF", r)
	}
	return nil
}

func invalidRune(s string) (rune, bool) {
	for _, r := range s {
		switch {
		case r == 0x9 || r == 0xA || r == 0xD:
		case r >= 0x20 && r <= 0xD7FF:
		case r >= 0xE000 && r <= 0xFFFD:
		case r >= 0x10000 && r <= 0x10FFFF:
		default:
			return r, true
		}
	}
	return 0, false
}

// checkAttributes validates user message attributes the way the developer guide describes them
// (sqs-message-metadata): at most 10; names of [A-Za-z0-9_.-], up to 256 characters, not starting
// with AWS./Amazon. (any case), not starting or ending with a period, no successive periods; a type
// of String, Number or Binary with an optional ".label"; a non-empty value of the matching kind.
// It returns the attributes' size, which counts towards the message size limit.
func checkAttributes(attrs MessageBodyAttributeMap) (int, *awswire.Error) {
	if len(attrs) > maxAttributes {
		return 0, errInvalidParameterValue("Number of message attributes [%d] exceeds the allowed maximum [%d].", len(attrs), maxAttributes)
	}
	size := 0
	for name, a := range attrs {
		if e := checkAttributeName(name); e != nil {
			return 0, e
		}
		if a.DataType == "" {
			return 0, errInvalidParameterValue("The message (user) attribute '%s' must contain a non-empty message attribute type.", name)
		}
		if len(a.DataType) > 256 {
			return 0, errInvalidParameterValue("Message (user) attribute '%s' type must be shorter than 256 bytes.", name)
		}
		base := attributeBaseType(a.DataType)
		if base == "" {
			return 0, errInvalidParameterValue("The type of message (user) attribute '%s' is invalid. You must use only the following supported type prefixes: Binary, Number, String.", name)
		}
		size += len(name) + len(a.DataType)
		switch base {
		case "Binary":
			if len(a.BinaryValue) == 0 {
				return 0, errInvalidParameterValue("The message (user) attribute '%s' must contain a non-empty message attribute value for message attribute type '%s'.", name, base)
			}
			size += len(a.BinaryValue)
		default:
			if a.StringValue == "" {
				return 0, errInvalidParameterValue("The message (user) attribute '%s' must contain a non-empty message attribute value for message attribute type '%s'.", name, base)
			}
			if r, bad := invalidRune(a.StringValue); bad {
				return 0, errInvalidParameterValue("Message (user) attribute '%s' contains the invalid character '#x%X'.", name, r)
			}
			if base == "Number" && !isSQSNumber(a.StringValue) {
				return 0, errInvalidParameterValue("Can't cast the value of message (user) attribute '%s' to a number.", name)
			}
			size += len(a.StringValue)
		}
	}
	return size, nil
}

func checkAttributeName(name string) *awswire.Error {
	switch {
	case name == "":
		return errInvalidParameterValue("The request must contain non-empty message (user) attribute names.")
	case len(name) > 256:
		return errInvalidParameterValue("Message (user) attribute name must be shorter than 256 bytes.")
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.') {
			return errInvalidParameterValue("Message (user) attribute name '%s' can only contain upper and lower case characters, digits, periods, hyphens and underscores.", name)
		}
	}
	lower := strings.ToLower(name)
	if strings.HasPrefix(lower, "aws.") || strings.HasPrefix(lower, "amazon.") || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".") {
		return errInvalidParameterValue("You can't use message attribute names beginning with AWS. or Amazon. These strings are reserved for internal use. Additionally, they cannot start or end with '.'.")
	}
	if strings.Contains(name, "..") {
		return errInvalidParameterValue("Message (user) attribute name '%s' can not contain successive periods.", name)
	}
	return nil
}

// attributeBaseType is String, Number or Binary for a valid type ("Number.float" is a Number).
func attributeBaseType(dataType string) string {
	for _, base := range []string{"String", "Number", "Binary"} {
		if dataType == base || strings.HasPrefix(dataType, base+".") {
			return base
		}
	}
	return ""
}

// isSQSNumber accepts what SQS's Number type holds: a decimal number, up to 38 digits of precision.
func isSQSNumber(s string) bool {
	f, ok := new(big.Float).SetString(strings.TrimSpace(s))
	if !ok || f.IsInf() {
		return false
	}
	digits := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	return digits <= 38
}

// checkSystemAttributes validates MessageSystemAttributes on send: only AWSTraceHeader, a String.
func checkSystemAttributes(attrs map[string]MessageSystemAttributeValue) *awswire.Error {
	for name, a := range attrs {
		if name != "AWSTraceHeader" {
			return errInvalidParameterValue("Message system attribute name '%s' is invalid.", name)
		}
		if a.DataType != "String" || a.StringValue == "" {
			return errInvalidParameterValue("Message system attribute '%s' must contain a non-empty value of type 'String'.", name)
		}
	}
	return nil
}

// checkFIFOID validates MessageGroupId / MessageDeduplicationId: 1 to 128 alphanumeric and
// punctuation characters (API_SendMessage).
func checkFIFOID(value, parameter string) *awswire.Error {
	ok := len(value) >= 1 && len(value) <= maxFIFOIDLength
	for i := 0; ok && i < len(value); i++ {
		c := value[i]
		ok = c > 0x20 && c < 0x7f
	}
	if !ok {
		return errInvalidValue(value, parameter, parameter+" can only include alphanumeric and punctuation characters. 1 to 128 in length.")
	}
	return nil
}

func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// contentDeduplicationID is the id content-based deduplication derives: the SHA-256 of the body
// (not of the attributes), as API_SendMessage describes.
func contentDeduplicationID(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])
}

// md5OfAttributes is MD5OfMessageAttributes exactly as SQS computes it and as SDKs that check it
// recompute it (developer guide, "Calculating the MD5 message digest for message attributes"):
// attributes sorted by name; for each, the name and the data type as 4-byte big-endian length plus
// UTF-8 bytes, one transport-type byte (1 string, 2 binary, 3 string list, 4 binary list) and the
// value as length plus bytes. "" when there are no attributes (SQS then omits the member).
func md5OfAttributes(attrs MessageBodyAttributeMap) string {
	if len(attrs) == 0 {
		return ""
	}
	names := make([]string, 0, len(attrs))
	for name := range attrs {
		names = append(names, name)
	}
	sort.Strings(names)
	h := md5.New()
	for _, name := range names {
		a := attrs[name]
		writeLengthPrefixed(h, []byte(name))
		writeLengthPrefixed(h, []byte(a.DataType))
		switch {
		case attributeBaseType(a.DataType) == "Binary" || (a.StringValue == "" && a.BinaryValue != nil):
			h.Write([]byte{2})
			writeLengthPrefixed(h, a.BinaryValue)
		case a.StringValue != "":
			h.Write([]byte{1})
			writeLengthPrefixed(h, []byte(a.StringValue))
		case len(a.StringListValues) > 0:
			h.Write([]byte{3})
			for _, v := range a.StringListValues {
				writeLengthPrefixed(h, []byte(v))
			}
		case len(a.BinaryListValues) > 0:
			h.Write([]byte{4})
			for _, v := range a.BinaryListValues {
				writeLengthPrefixed(h, v)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func writeLengthPrefixed(h hash.Hash, b []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(b)))
	h.Write(n[:])
	h.Write(b)
}

// selectAttributes is the subset of a message's attributes a receive asked for: names, "All",
// ".*" or "prefix.*" (API_ReceiveMessage MessageAttributeNames).
func selectAttributes(attrs MessageBodyAttributeMap, names []string) MessageBodyAttributeMap {
	if len(attrs) == 0 || len(names) == 0 {
		return nil
	}
	out := MessageBodyAttributeMap{}
	for _, want := range names {
		switch {
		case want == "All" || want == ".*":
			return attrs
		case strings.HasSuffix(want, ".*"):
			prefix := strings.TrimSuffix(want, "*")
			for name, a := range attrs {
				if strings.HasPrefix(name, prefix) {
					out[name] = a
				}
			}
		default:
			if a, ok := attrs[want]; ok {
				out[want] = a
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
