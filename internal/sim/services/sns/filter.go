package sns

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/pattern"
)

// Subscription filter policies ("Amazon SNS message filtering", message-filtering.html) are
// compiled by internal/sim/pattern's SNS dialect, which applies SNS's documented differences
// from EventBridge patterns (numbers by value within ±10^9 with five decimals, at most five keys
// and 150 combinations, no nesting in the MessageAttributes scope, no wildcard operator). This
// file decides what the policy is matched against:
//
//   - MessageAttributes scope (the default): one JSON object of the message attributes: String
//     as its string, Number as a number, String.Array as its decoded array; Binary attributes
//     are left out ("Amazon SNS ignores message attributes with the Binary data type").
//   - MessageBody scope: the message body, which must be a JSON object; a body that is not
//     JSON matches nothing.

// maxFilterPolicySize: "The maximum size of a filter policy is 256 KB."
const maxFilterPolicySize = 256 * 1024

type cachedFilter struct {
	policy string
	scope  string
	p      *pattern.Pattern
}

// compileFilterPolicy validates a policy for a scope ("" means MessageAttributes).
func compileFilterPolicy(policy, scope string) (*pattern.Pattern, *awswire.Error) {
	if len(policy) > maxFilterPolicySize {
		return nil, errInvalidParameter("FilterPolicy: Filter policy is too long (more than 256 KB)")
	}
	p, err := pattern.CompileSNS(policy, pattern.SNSScope(scope))
	if err != nil {
		var pe *pattern.Error
		if errors.As(err, &pe) {
			return nil, errInvalidParameter("FilterPolicy: %s", pe.Error())
		}
		return nil, errInvalidParameter("FilterPolicy: %v", err)
	}
	return p, nil
}

// filterFor returns the compiled filter policy of sub, or nil when it has none. Policies were
// validated when set, so a compile failure here (a policy stored by an older simulator with
// different rules) drops every message, and says so in the log.
func (s *Service) filterFor(sub *subscription) *pattern.Pattern {
	policy := sub.Attributes["FilterPolicy"]
	if policy == "" {
		return nil
	}
	scope := sub.Attributes["FilterPolicyScope"]
	s.filterMu.Lock()
	c, ok := s.filters[sub.ARN]
	s.filterMu.Unlock()
	if ok && c.policy == policy && c.scope == scope {
		return c.p
	}
	p, e := compileFilterPolicy(policy, scope)
	if e != nil {
		s.log.Warn("stored filter policy no longer compiles; the subscription receives nothing", "subscription", sub.ARN, "error", e.Message)
		p = nil
	}
	s.filterMu.Lock()
	s.filters[sub.ARN] = cachedFilter{policy: policy, scope: scope, p: p}
	s.filterMu.Unlock()
	if p == nil {
		return neverMatch
	}
	return p
}

// neverMatch stands for a policy that cannot be compiled.
var neverMatch = &pattern.Pattern{}

func (s *Service) forgetFilter(subARN string) {
	s.filterMu.Lock()
	delete(s.filters, subARN)
	s.filterMu.Unlock()
}

// matches reports whether a message passes sub's filter policy; body is the message body this
// subscription would receive.
func (s *Service) matches(sub *subscription, m *message, body string) bool {
	p := s.filterFor(sub)
	if p == nil {
		return true
	}
	if sub.Attributes["FilterPolicyScope"] == "MessageBody" {
		v, ok := decodeJSON([]byte(body))
		if !ok {
			return false
		}
		if _, isObject := v.(map[string]any); !isObject {
			return false
		}
		return p.MatchValue(v)
	}
	return p.MatchValue(attributesForFilter(m.Attrs))
}

// attributesForFilter presents message attributes to a MessageAttributes-scope policy.
func attributesForFilter(attrs map[string]attribute) map[string]any {
	out := make(map[string]any, len(attrs))
	for name, a := range attrs {
		switch baseType(a.DataType) {
		case "String":
			if a.DataType == "String.Array" {
				if v, ok := decodeJSON([]byte(a.StringValue)); ok {
					out[name] = v
				}
				continue
			}
			out[name] = a.StringValue
		case "Number":
			out[name] = numberLiteral(a.StringValue)
		}
	}
	return out
}

// decodeJSON decodes one JSON value, keeping number literals.
func decodeJSON(b []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, false
	}
	return v, true
}
