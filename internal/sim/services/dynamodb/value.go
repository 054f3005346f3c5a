package dynamodb

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode/utf16"
)

// kind is the data type of an AttributeValue.
type kind uint8

const (
	kindInvalid kind = iota // undecodable: empty or more than one type (see Value.bad)
	kindS
	kindN
	kindB
	kindSS
	kindNS
	kindBS
	kindM
	kindL
	kindNULL
	kindBOOL
)

var kindNames = [...]string{"", "S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"}

func (k kind) String() string { return kindNames[k] }

func kindByName(name string) (kind, bool) {
	for k, n := range kindNames {
		if n != "" && n == name {
			return kind(k), true
		}
	}
	return kindInvalid, false
}

// Value is one DynamoDB AttributeValue. Numbers (N and the members of NS) are kept as canonical
// decimal strings once validated (number.go), so equal numbers have equal strings.
type Value struct {
	k   kind
	s   string   // S, N
	b   []byte   // B
	ss  []string // SS, NS
	bs  [][]byte // BS
	m   map[string]Value
	l   []Value
	t   bool   // BOOL
	bad string // kindInvalid: "empty" or "multi"
}

// Item is a DynamoDB item (or a key, or an image): attribute name -> value.
type Item map[string]Value

func numValue(n string) Value   { return Value{k: kindN, s: n} }
func binValue(b []byte) Value   { return Value{k: kindB, b: b} }
func listValue(l []Value) Value { return Value{k: kindL, l: l} }
func mapValue(m map[string]Value) Value {
	return Value{k: kindM, m: m}
}

// wireValue is the JSON shape of an AttributeValue; pointers tell an absent member from an empty one.
type wireValue struct {
	S    *string                     `json:"S"`
	N    *string                     `json:"N"`
	B    *[]byte                     `json:"B"`
	SS   *[]string                   `json:"SS"`
	NS   *[]string                   `json:"NS"`
	BS   *[][]byte                   `json:"BS"`
	M    *map[string]json.RawMessage `json:"M"`
	L    *[]json.RawMessage          `json:"L"`
	NULL *bool                       `json:"NULL"`
	BOOL *bool                       `json:"BOOL"`
}

// maxDecodeDepth bounds the recursion of decoding (AWS allows 32 levels of nesting; a deeper
// document is rejected by validation, this only keeps hostile input from exhausting the stack).
const maxDecodeDepth = 64

// UnmarshalJSON decodes an AttributeValue. A value with no type or several types decodes into
// kindInvalid, which validation reports in AWS's words; only malformed JSON is an error here.
func (v *Value) UnmarshalJSON(data []byte) error {
	return v.decode(data, 0)
}

func (v *Value) decode(data []byte, depth int) error {
	if depth > maxDecodeDepth {
		return fmt.Errorf("attribute values nested more than %d levels", maxDecodeDepth)
	}
	var w wireValue
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*v = Value{}
	n := 0
	set := func(k kind) {
		n++
		v.k = k
	}
	if w.S != nil {
		set(kindS)
		v.s = *w.S
	}
	if w.N != nil {
		set(kindN)
		v.s = *w.N
	}
	if w.B != nil {
		set(kindB)
		v.b = *w.B
		if v.b == nil {
			v.b = []byte{}
		}
	}
	if w.SS != nil {
		set(kindSS)
		v.ss = *w.SS
	}
	if w.NS != nil {
		set(kindNS)
		v.ss = *w.NS
	}
	if w.BS != nil {
		set(kindBS)
		v.bs = *w.BS
	}
	if w.M != nil {
		set(kindM)
		v.m = make(map[string]Value, len(*w.M))
		for name, raw := range *w.M {
			var e Value
			if err := e.decode(raw, depth+1); err != nil {
				return err
			}
			v.m[name] = e
		}
	}
	if w.L != nil {
		set(kindL)
		v.l = make([]Value, len(*w.L))
		for i, raw := range *w.L {
			if err := v.l[i].decode(raw, depth+1); err != nil {
				return err
			}
		}
	}
	if w.NULL != nil {
		set(kindNULL)
		v.t = *w.NULL
	}
	if w.BOOL != nil {
		set(kindBOOL)
		v.t = *w.BOOL
	}
	switch {
	case n == 0:
		*v = Value{bad: "empty"}
	case n > 1:
		*v = Value{bad: "multi"}
	}
	return nil
}

// MarshalJSON encodes the value in the awsJson AttributeValue shape.
func (v Value) MarshalJSON() ([]byte, error) {
	return v.appendJSON(nil), nil
}

// MarshalJSON encodes an item with its attributes in name order (AWS does not promise an order).
func (it Item) MarshalJSON() ([]byte, error) {
	return appendItemJSON(nil, it), nil
}

func appendItemJSON(buf []byte, it Item) []byte {
	names := make([]string, 0, len(it))
	for name := range it {
		names = append(names, name)
	}
	sort.Strings(names)
	buf = append(buf, '{')
	for i, name := range names {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendJSONString(buf, name)
		buf = append(buf, ':')
		buf = it[name].appendJSON(buf)
	}
	return append(buf, '}')
}

func (v Value) appendJSON(buf []byte) []byte {
	buf = append(buf, '{')
	buf = appendJSONString(buf, v.k.String())
	buf = append(buf, ':')
	switch v.k {
	case kindS, kindN:
		buf = appendJSONString(buf, v.s)
	case kindB:
		buf = appendBase64(buf, v.b)
	case kindSS, kindNS:
		buf = append(buf, '[')
		for i, s := range v.ss {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendJSONString(buf, s)
		}
		buf = append(buf, ']')
	case kindBS:
		buf = append(buf, '[')
		for i, b := range v.bs {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendBase64(buf, b)
		}
		buf = append(buf, ']')
	case kindM:
		buf = appendItemJSON(buf, v.m)
	case kindL:
		buf = append(buf, '[')
		for i, e := range v.l {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = e.appendJSON(buf)
		}
		buf = append(buf, ']')
	case kindNULL, kindBOOL:
		if v.t {
			buf = append(buf, "true"...)
		} else {
			buf = append(buf, "false"...)
		}
	default:
		buf = append(buf, "null"...)
	}
	return append(buf, '}')
}

// appendJSONString appends s as a JSON string: plain ASCII directly (the common case), anything
// else through encoding/json, which escapes and repairs exactly as a decoder expects.
func appendJSONString(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s)
			return append(buf, b...)
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}

func appendBase64(buf []byte, b []byte) []byte {
	buf = append(buf, '"')
	buf = base64.StdEncoding.AppendEncode(buf, b)
	return append(buf, '"')
}

// maxNesting is AWS's limit on nested lists and maps: "DynamoDB supports nested attributes up to
// 32 levels deep" (ServiceQuotas.html, "Nested attribute depth").
const maxNesting = 32

// validateValue checks v as AWS validates a request's AttributeValue and canonicalizes its numbers
// in place. It returns AWS's message, or "". Texts are those dynalite recorded against DynamoDB.
func validateValue(v *Value) string {
	return validateValueDepth(v, 1)
}

func validateValueDepth(v *Value, depth int) string {
	switch v.k {
	case kindInvalid:
		if v.bad == "multi" {
			return "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
		}
		return "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
	case kindN:
		d, msg := parseNumber(v.s)
		if msg != "" {
			return msg
		}
		v.s = d.String()
	case kindNULL:
		if !v.t {
			return "One or more parameter values were invalid: Null attribute value types must have the value of true"
		}
	case kindSS:
		if len(v.ss) == 0 {
			return "One or more parameter values were invalid: An string set  may not be empty"
		}
		if hasDuplicate(v.ss) {
			return "One or more parameter values were invalid: Input collection [" + strings.Join(v.ss, ", ") + "] contains duplicates."
		}
	case kindNS:
		if len(v.ss) == 0 {
			return "One or more parameter values were invalid: An number set  may not be empty"
		}
		canon := make([]string, len(v.ss))
		for i, n := range v.ss {
			d, msg := parseNumber(n)
			if msg != "" {
				return msg
			}
			canon[i] = d.String()
		}
		v.ss = canon
		if hasDuplicate(v.ss) {
			return "Input collection contains duplicates"
		}
	case kindBS:
		if len(v.bs) == 0 {
			return "One or more parameter values were invalid: Binary sets should not be empty"
		}
		strs := make([]string, len(v.bs))
		for i, b := range v.bs {
			strs[i] = string(b)
		}
		if hasDuplicate(strs) {
			shown := make([]string, len(v.bs))
			for i, b := range v.bs {
				shown[i] = base64.StdEncoding.EncodeToString(b)
			}
			return "One or more parameter values were invalid: Input collection [" + strings.Join(shown, ", ") + "]of type BS contains duplicates."
		}
	case kindM, kindL:
		if depth > maxNesting {
			return "Nesting Levels have exceeded supported limits"
		}
		for name, e := range v.m {
			if msg := validateValueDepth(&e, depth+1); msg != "" {
				return msg
			}
			v.m[name] = e
		}
		for i := range v.l {
			if msg := validateValueDepth(&v.l[i], depth+1); msg != "" {
				return msg
			}
		}
	}
	return ""
}

// validateItem validates every attribute of a request's item, key or value map.
func validateItem(it Item) string {
	for name, v := range it {
		if msg := validateValue(&v); msg != "" {
			return msg
		}
		it[name] = v
	}
	return ""
}

func hasDuplicate(ss []string) bool {
	seen := make(map[string]struct{}, len(ss))
	for _, s := range ss {
		if _, ok := seen[s]; ok {
			return true
		}
		seen[s] = struct{}{}
	}
	return false
}

// equal reports whether two values are the same DynamoDB value; sets compare as sets.
func equal(a, b Value) bool {
	if a.k != b.k {
		return false
	}
	switch a.k {
	case kindS, kindN:
		return a.s == b.s
	case kindB:
		return bytes.Equal(a.b, b.b)
	case kindNULL, kindBOOL:
		return a.t == b.t
	case kindSS, kindNS:
		return sameStringSet(a.ss, b.ss)
	case kindBS:
		as, bs := make([]string, len(a.bs)), make([]string, len(b.bs))
		for i, x := range a.bs {
			as[i] = string(x)
		}
		for i, x := range b.bs {
			bs[i] = string(x)
		}
		return sameStringSet(as, bs)
	case kindL:
		if len(a.l) != len(b.l) {
			return false
		}
		for i := range a.l {
			if !equal(a.l[i], b.l[i]) {
				return false
			}
		}
		return true
	case kindM:
		return equalItems(a.m, b.m)
	}
	return false
}

func equalItems(a, b Item) bool {
	if len(a) != len(b) {
		return false
	}
	for name, av := range a {
		bv, ok := b[name]
		if !ok || !equal(av, bv) {
			return false
		}
	}
	return true
}

func sameStringSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := make(map[string]struct{}, len(a))
	for _, s := range a {
		seen[s] = struct{}{}
	}
	for _, s := range b {
		if _, ok := seen[s]; !ok {
			return false
		}
	}
	return true
}

// compareScalars orders two values of the same scalar type (S by UTF-8 bytes, N numerically,
// B by bytes); ok is false for any other pair, which no ordering comparison matches.
func compareScalars(a, b Value) (int, bool) {
	if a.k != b.k {
		return 0, false
	}
	switch a.k {
	case kindS:
		return strings.Compare(a.s, b.s), true
	case kindB:
		return bytes.Compare(a.b, b.b), true
	case kindN:
		da, msg1 := parseNumber(a.s)
		db, msg2 := parseNumber(b.s)
		if msg1 != "" || msg2 != "" {
			return 0, false
		}
		return da.Cmp(db), true
	}
	return 0, false
}

// clone deep-copies v, so that an update can change the copy of an item it read.
func (v Value) clone() Value {
	switch v.k {
	case kindB:
		v.b = append([]byte(nil), v.b...)
	case kindSS, kindNS:
		v.ss = append([]string(nil), v.ss...)
	case kindBS:
		bs := make([][]byte, len(v.bs))
		for i, b := range v.bs {
			bs[i] = append([]byte(nil), b...)
		}
		v.bs = bs
	case kindM:
		v.m = cloneItem(v.m)
	case kindL:
		l := make([]Value, len(v.l))
		for i, e := range v.l {
			l[i] = e.clone()
		}
		v.l = l
	}
	return v
}

func cloneItem(it Item) Item {
	if it == nil {
		return nil
	}
	out := make(Item, len(it))
	for name, v := range it {
		out[name] = v.clone()
	}
	return out
}

// Sizes follow "Item sizes and formats" (CapacityUnitCalculations.html): attribute names count
// their UTF-8 bytes; strings and binaries their bytes; a number about one byte per two
// significant digits plus one; NULL and BOOL one byte; a list or map 3 bytes of overhead plus
// one byte per element.

// itemSize is the size of an item as DynamoDB counts it against the 400 KB limit and capacity.
func itemSize(it Item) int {
	n := 0
	for name, v := range it {
		n += len(name) + valueSize(v)
	}
	return n
}

func valueSize(v Value) int {
	switch v.k {
	case kindS:
		return len(v.s)
	case kindB:
		return len(v.b)
	case kindN:
		return numberSize(v.s)
	case kindSS:
		n := 0
		for _, s := range v.ss {
			n += len(s)
		}
		return n
	case kindNS:
		n := 0
		for _, s := range v.ss {
			n += numberSize(s)
		}
		return n
	case kindBS:
		n := 0
		for _, b := range v.bs {
			n += len(b)
		}
		return n
	case kindNULL, kindBOOL:
		return 1
	case kindL:
		n := 3
		for _, e := range v.l {
			n += 1 + valueSize(e)
		}
		return n
	case kindM:
		n := 3
		for name, e := range v.m {
			n += 1 + len(name) + valueSize(e)
		}
		return n
	}
	return 0
}

func numberSize(s string) int {
	d, msg := parseNumber(s)
	if msg != "" {
		return len(s)
	}
	return 1 + (len(d.digits)+1)/2
}

// sizeOf is the size() function of expressions: characters of a string (UTF-16 units, as
// DynamoDB's Java strings count them), bytes of a binary, elements of a set, list or map.
func sizeOf(v Value) (int, bool) {
	switch v.k {
	case kindS:
		return len(utf16.Encode([]rune(v.s))), true
	case kindB:
		return len(v.b), true
	case kindSS, kindNS:
		return len(v.ss), true
	case kindBS:
		return len(v.bs), true
	case kindL:
		return len(v.l), true
	case kindM:
		return len(v.m), true
	}
	return 0, false
}

// describe renders a value the way AWS shows one in messages: {N:10}, {S:abc}.
func describe(v Value) string {
	switch v.k {
	case kindS, kindN:
		return "{" + v.k.String() + ":" + v.s + "}"
	case kindB:
		return "{B:" + base64.StdEncoding.EncodeToString(v.b) + "}"
	}
	return "{" + v.k.String() + "}"
}
