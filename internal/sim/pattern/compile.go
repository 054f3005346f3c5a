package pattern

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// dialect holds what differs between EventBridge event patterns and SNS
// filter policies.
type dialect struct {
	nums numFormat
	// numericExact: plain numbers in a leaf array match by value (SNS), not by
	// their literal text (EventBridge, Lambda).
	numericExact bool
	// orFallback: "$or" that is not an array of two or more objects free of
	// operator names is an ordinary key (documented for SNS), not an error.
	orFallback bool
	// noWildcard: the "wildcard" operator is not available (SNS documents none).
	noWildcard bool
	// flat: nested objects are refused (SNS MessageAttributes scope).
	flat bool
	// maxKeys and maxCombinations are SNS's documented policy limits; 0 means
	// no limit.
	maxKeys         int
	maxCombinations int
}

var eventBridge = &dialect{nums: eventBridgeNumbers}

// operatorNames are the match-expression keywords. Inside a "$or" branch they
// cannot be used as field names.
var operatorNames = map[string]bool{
	"prefix": true, "suffix": true, "equals-ignore-case": true, "wildcard": true,
	"anything-but": true, "numeric": true, "cidr": true, "exists": true,
}

const orKey = "$or"

type compiler struct {
	d *dialect
}

func compileWith(src string, d *dialect) (*Pattern, error) {
	doc, err := parseDocument(src)
	if err != nil {
		return nil, &Error{Reason: "Filter is not valid JSON: " + err.Error()}
	}
	if doc.kind != jObject {
		return nil, &Error{Reason: "Filter is not an object"}
	}
	c := compiler{d: d}
	root, err := c.object(doc, "", false)
	if err != nil {
		return nil, err
	}
	if d.maxKeys > 0 {
		if n := countKeys(root); n > d.maxKeys {
			return nil, &Error{Reason: fmt.Sprintf("Filter policy can not have more than %d keys", d.maxKeys)}
		}
	}
	if d.maxCombinations > 0 {
		if combinations(root, d.maxCombinations) > d.maxCombinations {
			return nil, &Error{Reason: fmt.Sprintf("Filter policy is too complex: the total combination of values must not exceed %d", d.maxCombinations)}
		}
	}
	return &Pattern{root: root}, nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func errAt(path, format string, args ...any) error {
	return &Error{Reason: fmt.Sprintf(format, args...), Path: path}
}

// object compiles a pattern object. inOr is true inside a "$or" branch.
func (c *compiler) object(v *jvalue, path string, inOr bool) (*objNode, error) {
	if len(v.keys) == 0 {
		return nil, errAt(path, "Empty objects are not allowed")
	}
	o := &objNode{}
	for i, key := range v.keys {
		val := v.vals[i]
		if key == orKey && (!c.d.orFallback || isOrExpression(val)) {
			group, err := c.or(val, path)
			if err != nil {
				return nil, err
			}
			o.ors = append(o.ors, group)
			continue
		}
		fpath := join(path, key)
		if inOr && operatorNames[key] {
			return nil, errAt(fpath, "%q is a reserved keyword and cannot be used as a field name inside %s", key, orKey)
		}
		f := &fieldNode{name: key}
		switch val.kind {
		case jObject:
			if c.d.flat {
				return nil, errAt(fpath, "Filter policy scope MessageAttributes does not support nested filter policy")
			}
			child, err := c.object(val, fpath, inOr)
			if err != nil {
				return nil, err
			}
			f.child = child
		case jArray:
			leaf, err := c.leafArray(val, fpath)
			if err != nil {
				return nil, err
			}
			f.leaf = leaf
		default:
			return nil, errAt(fpath, "%q must be an object or an array", key)
		}
		o.setField(f)
	}
	return o, nil
}

// setField adds f. AWS documents that when a key appears more than once the
// last one is used; when both occurrences are objects their fields are
// combined, as AWS's matcher (aws/event-ruler) does.
func (o *objNode) setField(f *fieldNode) {
	for i, old := range o.fields {
		if old.name != f.name {
			continue
		}
		if old.child != nil && f.child != nil {
			for _, nf := range f.child.fields {
				old.child.setField(nf)
			}
			old.child.ors = append(old.child.ors, f.child.ors...)
			return
		}
		o.fields[i] = f
		return
	}
	o.fields = append(o.fields, f)
}

// isOrExpression reports whether SNS would read "$or": val as the OR
// operator: an array of at least two objects, none of which uses an operator
// name as a key.
func isOrExpression(val *jvalue) bool {
	if val.kind != jArray || len(val.elems) < 2 {
		return false
	}
	for _, el := range val.elems {
		if el.kind != jObject {
			return false
		}
		for _, k := range el.keys {
			if operatorNames[k] {
				return false
			}
		}
	}
	return true
}

func (c *compiler) or(val *jvalue, path string) ([]*objNode, error) {
	at := join(path, orKey)
	if val.kind != jArray {
		return nil, errAt(at, "%s must be an array of at least 2 objects", orKey)
	}
	if len(val.elems) < 2 {
		return nil, errAt(at, "There must be at least 2 objects in a %s relationship", orKey)
	}
	group := make([]*objNode, 0, len(val.elems))
	for _, el := range val.elems {
		if el.kind != jObject {
			return nil, errAt(at, "Only JSON objects are allowed in the array of a %s relationship", orKey)
		}
		branch, err := c.object(el, path, true)
		if err != nil {
			return nil, err
		}
		group = append(group, branch)
	}
	return group, nil
}

// leafArray compiles the array of match values of one field.
func (c *compiler) leafArray(v *jvalue, path string) ([]matcher, error) {
	if len(v.elems) == 0 {
		return nil, errAt(path, "Empty arrays are not allowed")
	}
	ms := make([]matcher, 0, len(v.elems))
	for _, el := range v.elems {
		var m matcher
		switch el.kind {
		case jString:
			m = exactMatcher{kind: leafString, s: el.s}
		case jNumber:
			m = c.exactNumber(el.s)
		case jBool:
			if el.b {
				m = exactMatcher{kind: leafTrue}
			} else {
				m = exactMatcher{kind: leafFalse}
			}
		case jNull:
			m = exactMatcher{kind: leafNull}
		case jObject:
			var err error
			if m, err = c.operator(el, path); err != nil {
				return nil, err
			}
		default:
			return nil, errAt(path, "Match value must be String, number, true, false, or null")
		}
		ms = append(ms, m)
	}
	return ms, nil
}

func (c *compiler) exactNumber(lit string) matcher {
	if !c.d.numericExact {
		return exactMatcher{kind: leafNumber, s: lit}
	}
	u, ok := c.d.nums.fixed(lit)
	return numberEqualMatcher{lit: lit, units: u, ok: ok, f: c.d.nums}
}

// operator compiles a match expression such as {"prefix": "us-"}.
func (c *compiler) operator(v *jvalue, path string) (matcher, error) {
	if len(v.keys) == 0 {
		return nil, errAt(path, "Match expression name not found")
	}
	if len(v.keys) > 1 {
		return nil, errAt(path, "Only one key allowed in match expression")
	}
	name, arg := v.keys[0], v.vals[0]
	switch name {
	case "prefix", "suffix":
		s, fold, err := c.affix(name, arg, path)
		if err != nil {
			return nil, err
		}
		if name == "prefix" {
			return prefixMatcher{s: s, fold: fold}, nil
		}
		return suffixMatcher{s: s, fold: fold}, nil
	case "equals-ignore-case":
		if arg.kind != jString {
			return nil, errAt(path, "equals-ignore-case match pattern must be a string")
		}
		return equalsIgnoreCaseMatcher{s: arg.s}, nil
	case "wildcard":
		if c.d.noWildcard {
			break
		}
		if arg.kind != jString {
			return nil, errAt(path, "wildcard match pattern must be a string")
		}
		w, err := parseWildcard(arg.s)
		if err != nil {
			return nil, errAt(path, "%s", err.Error())
		}
		return wildcardMatcher{w: w}, nil
	case "exists":
		if arg.kind != jBool {
			return nil, errAt(path, "exists match pattern must be either true or false.")
		}
		return existsMatcher{want: arg.b}, nil
	case "cidr":
		if arg.kind != jString {
			return nil, errAt(path, "cidr match pattern must be a string")
		}
		p, err := parseCIDR(arg.s)
		if err != nil {
			return nil, errAt(path, "%s", err.Error())
		}
		return cidrMatcher{p: p}, nil
	case "numeric":
		return c.numeric(arg, path)
	case "anything-but":
		return c.anythingBut(arg, path)
	}
	return nil, errAt(path, "Unrecognized match type %s", name)
}

// affix reads the operand of prefix or suffix: a string, or
// {"equals-ignore-case": string}.
func (c *compiler) affix(op string, arg *jvalue, path string) (string, bool, error) {
	switch arg.kind {
	case jString:
		return arg.s, false, nil
	case jObject:
		if len(arg.keys) == 0 {
			return "", false, errAt(path, "%s expression name not found", op)
		}
		if len(arg.keys) > 1 {
			return "", false, errAt(path, "Only one key allowed in match expression")
		}
		if arg.keys[0] != "equals-ignore-case" {
			return "", false, errAt(path, "Unsupported %s pattern: %s", op, arg.keys[0])
		}
		if arg.vals[0].kind != jString {
			return "", false, errAt(path, "equals-ignore-case match pattern must be a string")
		}
		return arg.vals[0].s, true, nil
	}
	return "", false, errAt(path, "%s match pattern must be a string", op)
}

// parseCIDR accepts an IPv4 or IPv6 CIDR block such as 10.0.0.0/24.
func parseCIDR(s string) (netip.Prefix, error) {
	addr, bits, ok := strings.Cut(s, "/")
	if !ok || strings.Contains(bits, "/") {
		return netip.Prefix{}, fmt.Errorf("Malformed CIDR, one '/' required")
	}
	digits := strings.TrimPrefix(bits, "-")
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return netip.Prefix{}, fmt.Errorf("Malformed CIDR, mask bits must be an integer")
	}
	if digits != bits {
		return netip.Prefix{}, fmt.Errorf("Malformed CIDR, mask bits must not be negative")
	}
	n, err := strconv.Atoi(digits)
	if err != nil { // too many digits for an int: certainly too many bits
		n = 1 << 30
	}
	ip, perr := netip.ParseAddr(addr)
	if perr != nil || ip.Zone() != "" {
		return netip.Prefix{}, fmt.Errorf("Invalid IP address: %s", addr)
	}
	if ip.Is4() && n > 32 {
		return netip.Prefix{}, fmt.Errorf("IPv4 mask bits must be between 0 and 32")
	}
	if !ip.Is4() && n > 128 {
		return netip.Prefix{}, fmt.Errorf("IPv6 mask bits must be between 0 and 128")
	}
	return netip.PrefixFrom(ip, n).Masked(), nil
}

// numeric compiles {"numeric": [op, value]} or
// {"numeric": [">"|">=", low, "<"|"<=", high]}.
func (c *compiler) numeric(arg *jvalue, path string) (matcher, error) {
	if arg.kind != jArray {
		return nil, errAt(path, "Value of numeric must be an array.")
	}
	el := arg.elems
	if len(el) == 0 {
		return nil, errAt(path, "Invalid member in numeric match: the array is empty")
	}
	if el[0].kind != jString {
		return nil, errAt(path, "Invalid member in numeric match: %s", el[0].text())
	}
	m := numericMatcher{f: c.d.nums}
	op := el[0].s
	switch op {
	case "=", "<", "<=", ">", ">=":
	default:
		return nil, errAt(path, "Unrecognized numeric range operator: %s", op)
	}
	if len(el) < 2 {
		return nil, errAt(path, "Value of %s must be numeric", op)
	}
	v, err := c.numericValue(op, el[1], path)
	if err != nil {
		return nil, err
	}
	switch op {
	case "=":
		m.hasLo, m.lo, m.hasHi, m.hi = true, v, true, v
	case "<", "<=":
		m.hasHi, m.hi, m.hiOpen = true, v, op == "<"
	case ">", ">=":
		m.hasLo, m.lo, m.loOpen = true, v, op == ">"
	}
	if len(el) == 2 {
		return m, nil
	}
	if op != ">" && op != ">=" || len(el) > 4 {
		return nil, errAt(path, "Too many elements in numeric expression")
	}
	if el[2].kind != jString {
		return nil, errAt(path, "Bad value in numeric range: %s", el[2].text())
	}
	op2 := el[2].s
	if op2 != "<" && op2 != "<=" {
		return nil, errAt(path, "Bad numeric range operator: %s", op2)
	}
	if len(el) < 4 {
		return nil, errAt(path, "Value of %s must be numeric", op2)
	}
	hi, err := c.numericValue(op2, el[3], path)
	if err != nil {
		return nil, err
	}
	if hi <= m.lo {
		return nil, errAt(path, "Bottom must be less than top")
	}
	m.hasHi, m.hi, m.hiOpen = true, hi, op2 == "<"
	return m, nil
}

func (c *compiler) numericValue(op string, v *jvalue, path string) (int64, error) {
	if v.kind != jNumber {
		return 0, errAt(path, "Value of %s must be numeric", op)
	}
	u, ok := c.d.nums.fixed(v.s)
	if !ok {
		return 0, errAt(path, "Value must be between %s, inclusive", c.d.nums.text)
	}
	return u, nil
}

// anythingBut compiles the operand of anything-but: a string, a number, a
// non-empty list of only strings or only numbers, or an object
// {"prefix"|"suffix"|"equals-ignore-case"|"wildcard": string or list of strings}.
func (c *compiler) anythingBut(arg *jvalue, path string) (matcher, error) {
	m := anythingButMatcher{f: c.d.nums}
	switch arg.kind {
	case jString:
		m.strs = []string{arg.s}
		return m, nil
	case jNumber:
		u, err := c.anythingButNumber(arg, path)
		if err != nil {
			return nil, err
		}
		m.nums = []int64{u}
		return m, nil
	case jArray:
		if len(arg.elems) == 0 {
			return nil, errAt(path, "Empty arrays are not allowed")
		}
		var strs, nums int
		for _, el := range arg.elems {
			switch el.kind {
			case jString:
				strs++
				m.strs = append(m.strs, el.s)
			case jNumber:
				nums++
				u, err := c.anythingButNumber(el, path)
				if err != nil {
					return nil, err
				}
				m.nums = append(m.nums, u)
			default:
				return nil, errAt(path, "Inside anything-but list, only strings and numbers are allowed, not %s", el.text())
			}
		}
		if strs > 0 && nums > 0 {
			return nil, errAt(path, "Inside anything-but list, either all values are number or string, mixed type is not supported")
		}
		return m, nil
	case jObject:
		return c.anythingButObject(arg, path)
	}
	return nil, errAt(path, "Value of anything-but must be an array or single string/number value.")
}

func (c *compiler) anythingButNumber(v *jvalue, path string) (int64, error) {
	u, ok := c.d.nums.fixed(v.s)
	if !ok {
		return 0, errAt(path, "Value must be between %s, inclusive", c.d.nums.text)
	}
	return u, nil
}

func (c *compiler) anythingButObject(arg *jvalue, path string) (matcher, error) {
	m := anythingButMatcher{f: c.d.nums}
	if len(arg.keys) == 0 {
		return nil, errAt(path, "Anything-But expression name not found")
	}
	if len(arg.keys) > 1 {
		return nil, errAt(path, "Only one key allowed in match expression")
	}
	op, val := arg.keys[0], arg.vals[0]
	switch op {
	case "prefix", "suffix", "equals-ignore-case":
	case "wildcard":
		if !c.d.noWildcard {
			break
		}
		fallthrough
	default:
		return nil, errAt(path, "Unsupported anything-but pattern: %s", op)
	}
	var values []string
	switch val.kind {
	case jString:
		values = []string{val.s}
	case jArray:
		if len(val.elems) == 0 {
			return nil, errAt(path, "Empty arrays are not allowed")
		}
		for _, el := range val.elems {
			if el.kind != jString {
				return nil, errAt(path, "anything-but %s values must be strings, not %s", op, el.text())
			}
			values = append(values, el.s)
		}
	default:
		return nil, errAt(path, "anything-but %s values must be strings, not %s", op, val.text())
	}
	switch op {
	case "prefix", "suffix":
		for _, s := range values {
			if s == "" {
				return nil, errAt(path, "Null prefix/suffix not allowed")
			}
		}
		if op == "prefix" {
			m.prefixes = values
		} else {
			m.suffixes = values
		}
	case "equals-ignore-case":
		m.fold = values
	case "wildcard":
		for _, s := range values {
			w, err := parseWildcard(s)
			if err != nil {
				return nil, errAt(path, "%s", err.Error())
			}
			m.wilds = append(m.wilds, w)
		}
	}
	return m, nil
}

// countKeys counts the leaf fields of a policy, the "keys" of SNS's
// five-key limit. Fields in different "$or" branches count separately.
func countKeys(o *objNode) int {
	n := 0
	for _, f := range o.fields {
		if f.child != nil {
			n += countKeys(f.child)
		} else {
			n++
		}
	}
	for _, g := range o.ors {
		for _, b := range g {
			n += countKeys(b)
		}
	}
	return n
}

// combinations is SNS's "total combination of values": the product of the
// lengths of the leaf arrays; a "$or" contributes the sum over its branches,
// as if the policy were expanded into one policy per branch. The result
// saturates just above limit.
func combinations(o *objNode, limit int) int {
	total := 1
	mul := func(k int) {
		total *= k
		if total > limit {
			total = limit + 1
		}
	}
	for _, f := range o.fields {
		if f.child != nil {
			mul(combinations(f.child, limit))
		} else {
			mul(len(f.leaf))
		}
	}
	for _, g := range o.ors {
		sum := 0
		for _, b := range g {
			sum += combinations(b, limit)
			if sum > limit {
				sum = limit + 1
				break
			}
		}
		mul(sum)
	}
	return total
}
