package dynamodb

import (
	"strconv"
	"strings"
)

// pathElem is one step of a document path: a map member (name) or a list element (index >= 0).
type pathElem struct {
	name  string
	index int // -1 for a name
}

// docPath is a resolved document path: expression attribute names already replaced.
type docPath []pathElem

func (p docPath) isIndex(i int) bool { return p[i].index >= 0 }

// String renders a path as AWS does in messages: [a, b, [0]].
func (p docPath) String() string {
	parts := make([]string, len(p))
	for i, e := range p {
		if e.index >= 0 {
			parts[i] = "[" + strconv.Itoa(e.index) + "]"
		} else {
			parts[i] = e.name
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func (p docPath) equal(o docPath) bool {
	if len(p) != len(o) {
		return false
	}
	for i := range p {
		if p[i] != o[i] {
			return false
		}
	}
	return true
}

type operandKind uint8

const (
	oPath  operandKind = iota
	oValue             // an expression attribute value
	oFunc              // size, if_not_exists, list_append, or a function misused as a value
	oArith             // a + b, a - b (update expressions)
)

// operand is a value in an expression: a document path, a placeholder's value, or a function
// (or arithmetic) of operands.
type operand struct {
	kind operandKind
	path docPath
	val  Value
	fn   string // function name, or "+" / "-"
	args []*operand
}

// staticKind is the type of an operand known before evaluation: that of a placeholder's value,
// N for size(...) and arithmetic, L for list_append; kindInvalid when unknown.
func (o *operand) staticKind() kind {
	switch o.kind {
	case oValue:
		return o.val.k
	case oArith:
		return kindN
	case oFunc:
		switch o.fn {
		case "size":
			return kindN
		case "list_append":
			return kindL
		}
	}
	return kindInvalid
}

type condKind uint8

const (
	cAnd condKind = iota
	cOr
	cNot
	cCompare // op is =, <>, <, <=, >, >=
	cBetween
	cIn
	cFunc // op is the function name
)

// cond is a parsed condition (ConditionExpression, FilterExpression, KeyConditionExpression).
type cond struct {
	kind condKind
	op   string
	a, b *cond
	args []*operand
}

// updateAction is one action of an update expression.
type updateAction struct {
	clause string // SET, REMOVE, ADD, DELETE
	path   docPath
	value  *operand // SET's value; ADD's and DELETE's placeholder
}

// update is a parsed update expression.
type update struct {
	actions []updateAction
}

// paths are the document paths the update changes (for UPDATED_OLD and UPDATED_NEW).
func (u *update) paths() []docPath {
	out := make([]docPath, len(u.actions))
	for i, a := range u.actions {
		out[i] = a.path
	}
	return out
}
