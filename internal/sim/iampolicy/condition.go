package iampolicy

import (
	"bytes"
	"encoding/json"
	"math"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Condition is one operator applied to one context key, e.g. StringEquals on aws:SourceArn.
type Condition struct {
	// Operator is the base operator, e.g. "StringLike", without qualifier or IfExists.
	Operator string
	// IfExists: a missing key makes the condition true.
	IfExists bool
	// Qualifier is "", "ForAnyValue" or "ForAllValues".
	Qualifier string
	Key       string // lower-cased: condition keys are case-insensitive
	Values    []string
}

// operators are the condition operators IAM documents ("IAM JSON policy elements: Condition
// operators"); the bool says whether the operator is a negation.
var operators = map[string]bool{
	"StringEquals": false, "StringNotEquals": true, "StringEqualsIgnoreCase": false,
	"StringNotEqualsIgnoreCase": true, "StringLike": false, "StringNotLike": true,
	"NumericEquals": false, "NumericNotEquals": true, "NumericLessThan": false,
	"NumericLessThanEquals": false, "NumericGreaterThan": false, "NumericGreaterThanEquals": false,
	"DateEquals": false, "DateNotEquals": true, "DateLessThan": false, "DateLessThanEquals": false,
	"DateGreaterThan": false, "DateGreaterThanEquals": false,
	"Bool": false, "BinaryEquals": false, "IpAddress": false, "NotIpAddress": true,
	"ArnEquals": false, "ArnLike": false, "ArnNotEquals": true, "ArnNotLike": true,
	"Null": false,
}

// parseConditions reads a Condition element: {"Operator": {"key": value | [values]}}. An
// operator IAM does not know makes the document malformed, as IAM refuses it at upload.
func parseConditions(raw json.RawMessage) ([]Condition, error) {
	if firstByte(raw) != '{' {
		return nil, malformed(msgSyntax)
	}
	var block map[string]json.RawMessage
	if json.Unmarshal(raw, &block) != nil {
		return nil, malformed(msgSyntax)
	}
	var out []Condition
	for op, body := range block {
		c := Condition{}
		base := op
		if q, rest, ok := strings.Cut(base, ":"); ok {
			if q != "ForAnyValue" && q != "ForAllValues" {
				return nil, malformed(msgSyntax)
			}
			c.Qualifier, base = q, rest
		}
		if b, ok := strings.CutSuffix(base, "IfExists"); ok && b != "Null" {
			c.IfExists, base = true, b
		}
		if _, known := operators[base]; !known {
			return nil, malformed(msgSyntax)
		}
		c.Operator = base
		if firstByte(body) != '{' {
			return nil, malformed(msgSyntax)
		}
		var keys map[string]json.RawMessage
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if dec.Decode(&keys) != nil {
			return nil, malformed(msgSyntax)
		}
		for key, v := range keys {
			values, err := conditionValues(v)
			if err != nil {
				return nil, err
			}
			cc := c
			cc.Key = strings.ToLower(key)
			cc.Values = values
			out = append(out, cc)
		}
	}
	// A fixed order, so explanations and tests do not depend on map iteration.
	sort.Slice(out, func(i, j int) bool {
		if out[i].Operator != out[j].Operator {
			return out[i].Operator < out[j].Operator
		}
		return out[i].Key < out[j].Key
	})
	return out, nil
}

// conditionValues reads a condition's value: a string, number or boolean, or a list of them.
func conditionValues(raw json.RawMessage) ([]string, error) {
	one := func(r json.RawMessage) (string, bool) {
		dec := json.NewDecoder(bytes.NewReader(r))
		dec.UseNumber()
		var v any
		if dec.Decode(&v) != nil {
			return "", false
		}
		switch x := v.(type) {
		case string:
			return x, true
		case json.Number:
			return x.String(), true
		case bool:
			return strconv.FormatBool(x), true
		}
		return "", false
	}
	if firstByte(raw) == '[' {
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) != nil {
			return nil, malformed(msgSyntax)
		}
		out := make([]string, 0, len(list))
		for _, r := range list {
			s, ok := one(r)
			if !ok {
				return nil, malformed(msgSyntax)
			}
			out = append(out, s)
		}
		return out, nil
	}
	s, ok := one(raw)
	if !ok {
		return nil, malformed(msgSyntax)
	}
	return []string{s}, nil
}

// holds decides the condition against the (lower-cased) request context.
func (c Condition) holds(ctx map[string]string, version string) bool {
	v, present := ctx[c.Key]
	if c.Operator == "Null" {
		// "true": the key must be absent; "false": present.
		for _, want := range c.Values {
			if strings.EqualFold(want, "true") == !present {
				return true
			}
		}
		return false
	}
	negated := operators[c.Operator]
	if !present {
		switch {
		case c.IfExists:
			return true
		case c.Qualifier == "ForAllValues":
			return true // every value of an empty set matches
		case c.Qualifier == "ForAnyValue":
			return false
		}
		return negated
	}
	// One context value: the set qualifiers reduce to the plain comparison. Values are ORed.
	matched := false
	for _, want := range c.Values {
		want, ok := substitute(want, ctx, version)
		if !wildcardOperator(c.Operator) {
			want = literal(want) // a '*' in StringEquals is a plain character
		}
		if ok && compare(c.Operator, literal(v), want) {
			matched = true
			break
		}
	}
	if negated {
		return !matched
	}
	return matched
}

// wildcardOperator: the operators whose values take * and ? wildcards.
func wildcardOperator(op string) bool {
	return strings.HasPrefix(op, "Arn") || op == "StringLike" || op == "StringNotLike"
}

// compare is the positive form of op (StringNotEquals compares as StringEquals, and the caller
// negates) between the context value got and the policy value want.
func compare(op, got, want string) bool {
	switch op {
	case "StringEquals", "StringNotEquals":
		return got == want
	case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase":
		return strings.EqualFold(got, want)
	case "StringLike", "StringNotLike":
		return wildcard(want, got)
	case "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike":
		return arnMatch(want, got)
	case "Bool":
		return strings.EqualFold(got, want)
	case "BinaryEquals":
		return got == want // both base64 text
	case "IpAddress", "NotIpAddress":
		return ipIn(got, want)
	}
	if strings.HasPrefix(op, "Numeric") {
		a, err1 := strconv.ParseFloat(got, 64)
		b, err2 := strconv.ParseFloat(want, 64)
		if err1 != nil || err2 != nil || math.IsNaN(a) || math.IsNaN(b) {
			return false
		}
		return order(strings.TrimPrefix(op, "Numeric"), cmpFloat(a, b))
	}
	if strings.HasPrefix(op, "Date") {
		a, ok1 := parseDate(got)
		b, ok2 := parseDate(want)
		if !ok1 || !ok2 {
			return false
		}
		return order(strings.TrimPrefix(op, "Date"), a.Compare(b))
	}
	return false
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// order reads the suffix of a Numeric or Date operator against a comparison result.
func order(suffix string, c int) bool {
	switch suffix {
	case "Equals", "NotEquals":
		return c == 0
	case "LessThan":
		return c < 0
	case "LessThanEquals":
		return c <= 0
	case "GreaterThan":
		return c > 0
	case "GreaterThanEquals":
		return c >= 0
	}
	return false
}

// parseDate reads an ISO 8601 date or an epoch time in seconds, the two forms IAM's date
// operators take.
func parseDate(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0), true
	}
	return time.Time{}, false
}

// ipIn tells whether address got lies in want, a CIDR block or a single address.
func ipIn(got, want string) bool {
	addr, err := netip.ParseAddr(got)
	if err != nil {
		return false
	}
	if p, err := netip.ParsePrefix(want); err == nil {
		return p.Contains(addr)
	}
	w, err := netip.ParseAddr(want)
	return err == nil && w == addr
}
