package pattern

import (
	"encoding/json"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"
)

// objNode is a pattern object: every field must match (AND), and in every
// "$or" group at least one branch must match the same event object.
type objNode struct {
	fields []*fieldNode
	ors    [][]*objNode
}

// fieldNode is one key of a pattern object: either a nested object (child) or
// a leaf array of match values (leaf), any of which may match (OR).
type fieldNode struct {
	name  string
	child *objNode
	leaf  []matcher
}

// match evaluates o against the event value v; present is false when the
// field that should hold v is missing.
//
// Arrays in the event are transparent: a pattern object matches an array if it
// matches one of its elements, and all the fields it names are then taken
// from that same element (AWS's "array-consistent" matching). A missing value,
// a scalar, an empty array or an array of scalars has no fields, so only
// fields that accept absence ({"exists": false}) can match it.
func (o *objNode) match(v any, present bool) bool {
	if present {
		if arr, ok := v.([]any); ok && len(arr) > 0 {
			for _, el := range arr {
				if o.match(el, true) {
					return true
				}
			}
			return false
		}
	}
	m, _ := v.(map[string]any)
	if !present {
		m = nil
	}
	for _, f := range o.fields {
		fv, ok := m[f.name]
		if f.child != nil {
			if !f.child.match(fv, ok) {
				return false
			}
			continue
		}
		if !matchLeafField(f.leaf, fv, ok) {
			return false
		}
	}
	for _, group := range o.ors {
		matched := false
		for _, branch := range group {
			if branch.match(v, present) {
				matched = true
				break
			}
		}
		if !matched {
			return false
		}
	}
	return true
}

// matchLeafField applies a leaf array to a field. The field's leaf values are
// the scalars it holds, looking through arrays (at any depth); objects are not
// leaves. A field with no leaf values counts as absent: AWS documents that
// {"exists": false} matches a field whose value is an object, "because it is
// not a leaf node".
func matchLeafField(ms []matcher, v any, present bool) bool {
	if !present || !eachLeaf(v, func(leaf) bool { return true }) {
		for _, m := range ms {
			if e, ok := m.(existsMatcher); ok && !e.want {
				return true
			}
		}
		return false
	}
	return eachLeaf(v, func(l leaf) bool {
		for _, m := range ms {
			if m.matchLeaf(l) {
				return true
			}
		}
		return false
	})
}

type leafKind uint8

const (
	leafString leafKind = iota + 1
	leafNumber
	leafTrue
	leafFalse
	leafNull
)

// leaf is a scalar event value. For numbers s is the literal as written (the
// event must be decoded with json.Decoder.UseNumber to keep it).
type leaf struct {
	kind leafKind
	s    string
}

// eachLeaf calls fn for every scalar in v, looking through arrays, and stops
// at the first call that returns true.
func eachLeaf(v any, fn func(leaf) bool) bool {
	switch t := v.(type) {
	case []any:
		for _, el := range t {
			if eachLeaf(el, fn) {
				return true
			}
		}
		return false
	case map[string]any:
		return false
	case string:
		return fn(leaf{kind: leafString, s: t})
	case nil:
		return fn(leaf{kind: leafNull})
	case bool:
		if t {
			return fn(leaf{kind: leafTrue})
		}
		return fn(leaf{kind: leafFalse})
	case json.Number:
		return fn(leaf{kind: leafNumber, s: string(t)})
	case float64:
		return fn(leaf{kind: leafNumber, s: strconv.FormatFloat(t, 'g', -1, 64)})
	case float32:
		return fn(leaf{kind: leafNumber, s: strconv.FormatFloat(float64(t), 'g', -1, 32)})
	case int:
		return fn(leaf{kind: leafNumber, s: strconv.FormatInt(int64(t), 10)})
	case int64:
		return fn(leaf{kind: leafNumber, s: strconv.FormatInt(t, 10)})
	case int32:
		return fn(leaf{kind: leafNumber, s: strconv.FormatInt(int64(t), 10)})
	case uint64:
		return fn(leaf{kind: leafNumber, s: strconv.FormatUint(t, 10)})
	case uint:
		return fn(leaf{kind: leafNumber, s: strconv.FormatUint(uint64(t), 10)})
	case uint32:
		return fn(leaf{kind: leafNumber, s: strconv.FormatUint(uint64(t), 10)})
	default:
		return false // not a JSON value: never matches
	}
}

// matcher is one element of a leaf array.
type matcher interface {
	matchLeaf(l leaf) bool
}

// exactMatcher matches a string, a number by its literal text (EventBridge:
// "300, 300.0, and 3.0e2 are not considered equal"), true, false or null.
type exactMatcher struct {
	kind leafKind
	s    string
}

func (m exactMatcher) matchLeaf(l leaf) bool { return l.kind == m.kind && l.s == m.s }

// numberEqualMatcher is SNS's exact number match: equal in value within SNS's
// precision. A literal outside SNS's numeric range falls back to its text.
type numberEqualMatcher struct {
	lit   string
	units int64
	ok    bool
	f     numFormat
}

func (m numberEqualMatcher) matchLeaf(l leaf) bool {
	if l.kind != leafNumber {
		return false
	}
	if m.ok {
		u, ok := m.f.fixed(l.s)
		return ok && u == m.units
	}
	return l.s == m.lit
}

type existsMatcher struct{ want bool }

// matchLeaf is only called for a present leaf value.
func (m existsMatcher) matchLeaf(leaf) bool { return m.want }

type prefixMatcher struct {
	s    string
	fold bool
}

func (m prefixMatcher) matchLeaf(l leaf) bool {
	if l.kind != leafString {
		return false
	}
	if m.fold {
		return hasPrefixFold(l.s, m.s)
	}
	return strings.HasPrefix(l.s, m.s)
}

type suffixMatcher struct {
	s    string
	fold bool
}

func (m suffixMatcher) matchLeaf(l leaf) bool {
	if l.kind != leafString {
		return false
	}
	if m.fold {
		return hasSuffixFold(l.s, m.s)
	}
	return strings.HasSuffix(l.s, m.s)
}

type equalsIgnoreCaseMatcher struct{ s string }

func (m equalsIgnoreCaseMatcher) matchLeaf(l leaf) bool {
	return l.kind == leafString && strings.EqualFold(l.s, m.s)
}

type wildcardMatcher struct{ w *wildcard }

func (m wildcardMatcher) matchLeaf(l leaf) bool { return l.kind == leafString && m.w.match(l.s) }

type cidrMatcher struct{ p netip.Prefix }

func (m cidrMatcher) matchLeaf(l leaf) bool {
	if l.kind != leafString {
		return false
	}
	a, err := netip.ParseAddr(l.s)
	return err == nil && m.p.Contains(a)
}

// numericMatcher is a "numeric" expression: an optional lower and an optional
// upper bound, in the dialect's fixed-point units. Only JSON numbers inside the
// documented range can match.
type numericMatcher struct {
	f              numFormat
	hasLo, hasHi   bool
	lo, hi         int64
	loOpen, hiOpen bool
}

func (m numericMatcher) matchLeaf(l leaf) bool {
	if l.kind != leafNumber {
		return false
	}
	u, ok := m.f.fixed(l.s)
	if !ok {
		return false
	}
	if m.hasLo && (u < m.lo || (m.loOpen && u == m.lo)) {
		return false
	}
	if m.hasHi && (u > m.hi || (m.hiOpen && u == m.hi)) {
		return false
	}
	return true
}

// anythingButMatcher matches every present leaf value that is not excluded.
// Only strings can be excluded by string operands (so a number, true, false or
// null always passes a string anything-but), and only numbers, compared by
// value, by numeric operands.
type anythingButMatcher struct {
	strs     []string // exact strings
	nums     []int64  // numbers, in f's units
	f        numFormat
	fold     []string // equals-ignore-case
	prefixes []string
	suffixes []string
	wilds    []*wildcard
}

func (m anythingButMatcher) matchLeaf(l leaf) bool { return !m.excludes(l) }

func (m anythingButMatcher) excludes(l leaf) bool {
	switch l.kind {
	case leafNumber:
		if len(m.nums) == 0 {
			return false
		}
		u, ok := m.f.fixed(l.s)
		if !ok {
			return false
		}
		for _, n := range m.nums {
			if n == u {
				return true
			}
		}
		return false
	case leafString:
		for _, s := range m.strs {
			if l.s == s {
				return true
			}
		}
		for _, s := range m.fold {
			if strings.EqualFold(l.s, s) {
				return true
			}
		}
		for _, p := range m.prefixes {
			if strings.HasPrefix(l.s, p) {
				return true
			}
		}
		for _, p := range m.suffixes {
			if strings.HasSuffix(l.s, p) {
				return true
			}
		}
		for _, w := range m.wilds {
			if w.match(l.s) {
				return true
			}
		}
	}
	return false
}

// hasPrefixFold reports whether s begins with prefix under Unicode simple case
// folding. Simple folding maps one rune to one rune, so the prefix of s to
// compare has as many runes as prefix.
func hasPrefixFold(s, prefix string) bool {
	n := utf8.RuneCountInString(prefix)
	i := 0
	for ; n > 0; n-- {
		if i >= len(s) {
			return false
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return strings.EqualFold(s[:i], prefix)
}

// hasSuffixFold is hasPrefixFold for the end of s.
func hasSuffixFold(s, suffix string) bool {
	n := utf8.RuneCountInString(suffix)
	i := len(s)
	for ; n > 0; n-- {
		if i <= 0 {
			return false
		}
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return strings.EqualFold(s[i:], suffix)
}
