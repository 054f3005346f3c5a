package pattern

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Pattern is a compiled event pattern or filter policy. It is immutable and
// safe for concurrent use.
type Pattern struct {
	root *objNode
}

// Error is why a pattern was rejected. Reason is worded like the reason AWS
// gives; EventBridge puts it after "Event pattern is not valid. Reason: ".
type Error struct {
	Reason string
	// Path is the dotted path of the field the problem is in, if any.
	Path string
}

func (e *Error) Error() string {
	if e.Path == "" {
		return e.Reason
	}
	return fmt.Sprintf("%s (at %q)", e.Reason, e.Path)
}

// Compile parses and validates an EventBridge event pattern (also the syntax of
// EventBridge Pipes filters and Lambda event source mapping FilterCriteria
// patterns). A pattern AWS would refuse returns an *Error.
func Compile(pattern string) (*Pattern, error) {
	return compileWith(pattern, eventBridge)
}

// SNSScope is the value of an SNS subscription's FilterPolicyScope attribute.
type SNSScope string

const (
	// SNSMessageAttributes applies the policy to the message attributes. It is
	// AWS's default when FilterPolicyScope is not set; the empty SNSScope means
	// the same.
	SNSMessageAttributes SNSScope = "MessageAttributes"
	// SNSMessageBody applies the policy to the JSON message body.
	SNSMessageBody SNSScope = "MessageBody"
)

// CompileSNS parses and validates an SNS subscription filter policy for the
// given scope. See the package documentation for how SNS differs from
// EventBridge and for how to present message attributes to Match.
func CompileSNS(policy string, scope SNSScope) (*Pattern, error) {
	d := &dialect{
		nums:            snsNumbers,
		numericExact:    true,
		orFallback:      true,
		noWildcard:      true,
		maxKeys:         5,
		maxCombinations: 150,
	}
	switch scope {
	case "", SNSMessageAttributes:
		d.flat = true
	case SNSMessageBody:
	default:
		return nil, &Error{Reason: fmt.Sprintf("Invalid FilterPolicyScope %q: must be MessageAttributes or MessageBody", string(scope))}
	}
	return compileWith(policy, d)
}

// Match reports whether the JSON event matches. The error is non-nil only when
// event is not a single valid JSON value.
func (p *Pattern) Match(event []byte) (bool, error) {
	dec := json.NewDecoder(bytes.NewReader(event))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return false, fmt.Errorf("pattern: event is not valid JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return false, errors.New("pattern: event has data after its JSON value")
	}
	return p.MatchValue(v), nil
}

// MatchValue reports whether an already decoded event matches. The event must
// be made of map[string]any, []any, string, bool, nil and json.Number, as
// json.Decoder produces with UseNumber; number literals matter because
// EventBridge compares plain numbers by their text. Go numeric types are
// accepted too but lose the literal (3.0e2 reads as 300); values of any other
// type never match.
func (p *Pattern) MatchValue(event any) bool {
	if p == nil || p.root == nil {
		return false
	}
	return p.root.match(event, true)
}
