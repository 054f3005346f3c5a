package iampolicy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Effect is a statement's Effect.
type Effect string

// The two effects IAM knows; the element is case-sensitive.
const (
	EffectAllow Effect = "Allow"
	EffectDeny  Effect = "Deny"
)

// Policy is a parsed policy document.
type Policy struct {
	// Name labels the policy in explanations (an inline policy's name or a managed policy's
	// ARN); Parse leaves it empty, the caller sets it.
	Name       string
	Version    string
	ID         string
	Statements []Statement
}

// Statement is one statement of a policy. Exactly one of Actions/NotActions is set (nil for
// the other), and for identity policies one of Resources/NotResources.
type Statement struct {
	Sid          string
	Effect       Effect
	Actions      []string
	NotActions   []string
	Resources    []string
	NotResources []string
	// HasNotAction and HasNotResource tell an absent element from an empty list.
	HasNotAction   bool
	HasNotResource bool
	// Principal and NotPrincipal are kept raw (trust policies); evaluation does not use them.
	Principal    json.RawMessage
	NotPrincipal json.RawMessage
	Conditions   []Condition
}

// Error is a document IAM refuses: MalformedPolicyDocument with Message.
type Error struct{ Message string }

func (e *Error) Error() string { return "MalformedPolicyDocument: " + e.Message }

func malformed(format string, args ...any) *Error {
	return &Error{Message: fmt.Sprintf(format, args...)}
}

// IAM's texts for refused documents. "Syntax errors in policy." is what IAM answers for any
// structural problem (an unknown element, a wrong JSON type).
const (
	msgSyntax        = "Syntax errors in policy."
	msgNoActions     = "Policy statement must contain actions."
	msgNoResources   = "Policy statement must contain resources."
	msgPrincipal     = "Policy document should not specify a principal."
	msgVendor        = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
	msgOneColon      = "Actions/Condition can contain only one colon."
	msgSidUnique     = "Statement IDs (SID) in a single policy must be unique."
	msgSidAlnum      = "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"
	msgMissingPrinc  = "Missing required field Principal"
	msgProhibitedRes = "Has prohibited field Resource."
	msgVersion       = "Policy document must be version 2012-10-17 or greater."
	versionCurrent   = "2012-10-17"
	versionLegacy    = "2008-10-17"
)

// kind is what a document is for: permissions (identity) or a role's trust policy.
type kind int

const (
	identityPolicy kind = iota
	trustPolicy
)

// Parse parses an identity-based policy document (an inline role policy or a managed policy).
// It returns *Error for a document IAM would refuse.
func Parse(doc string) (*Policy, error) { return parse(doc, identityPolicy) }

// ParseTrust parses a role trust policy (AssumeRolePolicyDocument): every statement names a
// Principal and none a Resource.
func ParseTrust(doc string) (*Policy, error) { return parse(doc, trustPolicy) }

func parse(doc string, k kind) (*Policy, error) {
	// json.Valid also refuses trailing text after the document.
	if !json.Valid([]byte(doc)) || firstByte(json.RawMessage(doc)) != '{' {
		return nil, malformed(msgSyntax)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(doc), &top); err != nil {
		return nil, malformed(msgSyntax)
	}
	p := &Policy{}
	for key, raw := range top {
		switch key {
		case "Version":
			if err := json.Unmarshal(raw, &p.Version); err != nil {
				return nil, malformed(msgSyntax)
			}
		case "Id":
			if err := json.Unmarshal(raw, &p.ID); err != nil {
				return nil, malformed(msgSyntax)
			}
		case "Statement":
		default:
			return nil, malformed(msgSyntax)
		}
	}
	switch p.Version {
	case "":
		p.Version = versionLegacy // IAM's default when the element is omitted
	case versionCurrent, versionLegacy:
	default:
		return nil, malformed(msgVersion)
	}
	rawStmts, ok := top["Statement"]
	if !ok {
		return nil, malformed(msgSyntax)
	}
	var list []json.RawMessage
	if t := firstByte(rawStmts); t == '{' {
		list = []json.RawMessage{rawStmts}
	} else if err := json.Unmarshal(rawStmts, &list); err != nil || t != '[' {
		return nil, malformed(msgSyntax)
	}
	sids := map[string]bool{}
	for _, raw := range list {
		st, err := parseStatement(raw, k)
		if err != nil {
			return nil, err
		}
		if st.Sid != "" {
			if sids[st.Sid] {
				return nil, malformed(msgSidUnique)
			}
			sids[st.Sid] = true
		}
		p.Statements = append(p.Statements, st)
	}
	return p, nil
}

func firstByte(raw json.RawMessage) byte {
	b := bytes.TrimLeft(raw, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

func parseStatement(raw json.RawMessage, k kind) (Statement, error) {
	var st Statement
	if firstByte(raw) != '{' {
		return st, malformed(msgSyntax)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return st, malformed(msgSyntax)
	}
	// Report problems in a fixed order, whatever the order of the JSON members.
	keys := make([]string, 0, len(fields))
	for key := range fields {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	var err error
	for _, key := range keys {
		v := fields[key]
		switch key {
		case "Sid":
			if json.Unmarshal(v, &st.Sid) != nil {
				return st, malformed(msgSyntax)
			}
			for _, c := range st.Sid {
				if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
					return st, malformed(msgSidAlnum)
				}
			}
		case "Effect":
			var e string
			if json.Unmarshal(v, &e) != nil || (e != string(EffectAllow) && e != string(EffectDeny)) {
				return st, malformed(msgSyntax)
			}
			st.Effect = Effect(e)
		case "Action":
			if st.Actions, err = stringOrList(v); err != nil {
				return st, err
			}
		case "NotAction":
			if st.NotActions, err = stringOrList(v); err != nil {
				return st, err
			}
			st.HasNotAction = true
		case "Resource":
			if st.Resources, err = stringOrList(v); err != nil {
				return st, err
			}
		case "NotResource":
			if st.NotResources, err = stringOrList(v); err != nil {
				return st, err
			}
			st.HasNotResource = true
		case "Principal":
			st.Principal = append(json.RawMessage(nil), v...)
		case "NotPrincipal":
			st.NotPrincipal = append(json.RawMessage(nil), v...)
		case "Condition":
			if st.Conditions, err = parseConditions(v); err != nil {
				return st, err
			}
		default:
			return st, malformed(msgSyntax)
		}
	}
	if st.Effect == "" {
		return st, malformed(msgSyntax)
	}
	_, hasAction := fields["Action"]
	if hasAction == st.HasNotAction {
		if !hasAction {
			return st, malformed(msgNoActions)
		}
		return st, malformed(msgSyntax) // both Action and NotAction
	}
	for _, a := range append(append([]string(nil), st.Actions...), st.NotActions...) {
		if err := checkAction(a); err != nil {
			return st, err
		}
	}
	_, hasResource := fields["Resource"]
	if hasResource && st.HasNotResource {
		return st, malformed(msgSyntax)
	}
	hasPrincipal := st.Principal != nil || st.NotPrincipal != nil
	switch k {
	case identityPolicy:
		if hasPrincipal {
			return st, malformed(msgPrincipal)
		}
		if !hasResource && !st.HasNotResource {
			return st, malformed(msgNoResources)
		}
		for _, r := range append(append([]string(nil), st.Resources...), st.NotResources...) {
			if r != "*" && !strings.HasPrefix(r, "arn:") {
				return st, malformed("Resource %s must be in ARN format or \"*\".", r)
			}
		}
	case trustPolicy:
		if !hasPrincipal {
			return st, malformed(msgMissingPrinc)
		}
		if hasResource || st.HasNotResource {
			return st, malformed(msgProhibitedRes)
		}
		if err := checkPrincipal(st.Principal); err != nil {
			return st, err
		}
		if err := checkPrincipal(st.NotPrincipal); err != nil {
			return st, err
		}
	}
	return st, nil
}

// stringOrList reads an element that is a string or a list of strings.
func stringOrList(raw json.RawMessage) ([]string, error) {
	switch firstByte(raw) {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return nil, malformed(msgSyntax)
		}
		return []string{s}, nil
	case '[':
		var l []string
		if json.Unmarshal(raw, &l) != nil {
			return nil, malformed(msgSyntax)
		}
		if l == nil {
			l = []string{}
		}
		return l, nil
	}
	return nil, malformed(msgSyntax)
}

// checkAction applies IAM's rule for Action/NotAction values: "*" or "vendor:action", the
// vendor made of letters, digits, '-' and '.'.
func checkAction(a string) error {
	if a == "*" {
		return nil
	}
	vendor, name, ok := strings.Cut(a, ":")
	if !ok {
		return malformed(msgVendor)
	}
	if strings.Contains(name, ":") {
		return malformed(msgOneColon)
	}
	if vendor == "" {
		return malformed(msgVendor)
	}
	for _, c := range vendor {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '*' || c == '?') {
			return malformed("Vendor %s is not valid", vendor)
		}
	}
	return nil
}

// checkPrincipal accepts "*" or an object whose members (AWS, Service, Federated,
// CanonicalUser) are strings or lists of strings.
func checkPrincipal(raw json.RawMessage) error {
	if raw == nil {
		return nil
	}
	if firstByte(raw) == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil || s != "*" {
			return malformed("Invalid principal in policy")
		}
		return nil
	}
	var m map[string]json.RawMessage
	if firstByte(raw) != '{' || json.Unmarshal(raw, &m) != nil {
		return malformed(msgSyntax)
	}
	for key, v := range m {
		switch key {
		case "AWS", "Service", "Federated", "CanonicalUser":
		default:
			return malformed("Invalid principal in policy")
		}
		if _, err := stringOrList(v); err != nil {
			return err
		}
	}
	return nil
}
