package dynamodb

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// evalCond evaluates a condition against an item (nil or empty for an item that does not exist).
// Comparisons with a missing attribute, or between different types, are false; "<>" is their
// negation (Expressions.OperatorsAndFunctions.html).
func evalCond(c *cond, it Item) bool {
	switch c.kind {
	case cAnd:
		return evalCond(c.a, it) && evalCond(c.b, it)
	case cOr:
		return evalCond(c.a, it) || evalCond(c.b, it)
	case cNot:
		return !evalCond(c.a, it)
	case cCompare:
		a, aok := evalOperand(c.args[0], it)
		b, bok := evalOperand(c.args[1], it)
		switch c.op {
		case "=":
			return aok && bok && equal(a, b)
		case "<>":
			return !(aok && bok && equal(a, b))
		}
		if !aok || !bok {
			return false
		}
		n, ok := compareScalars(a, b)
		if !ok {
			return false
		}
		switch c.op {
		case "<":
			return n < 0
		case "<=":
			return n <= 0
		case ">":
			return n > 0
		case ">=":
			return n >= 0
		}
	case cBetween:
		v, ok1 := evalOperand(c.args[0], it)
		lo, ok2 := evalOperand(c.args[1], it)
		hi, ok3 := evalOperand(c.args[2], it)
		if !ok1 || !ok2 || !ok3 {
			return false
		}
		n1, ok1 := compareScalars(v, lo)
		n2, ok2 := compareScalars(v, hi)
		return ok1 && ok2 && n1 >= 0 && n2 <= 0
	case cIn:
		v, ok := evalOperand(c.args[0], it)
		if !ok {
			return false
		}
		for _, o := range c.args[1:] {
			if w, ok := evalOperand(o, it); ok && equal(v, w) {
				return true
			}
		}
	case cFunc:
		return evalFunction(c.op, c.args, it)
	}
	return false
}

func evalFunction(name string, args []*operand, it Item) bool {
	switch name {
	case "attribute_exists":
		_, ok := evalOperand(args[0], it)
		return ok
	case "attribute_not_exists":
		_, ok := evalOperand(args[0], it)
		return !ok
	case "attribute_type":
		v, ok := evalOperand(args[0], it)
		t, tok := evalOperand(args[1], it)
		return ok && tok && t.k == kindS && v.k.String() == t.s
	case "begins_with":
		v, ok := evalOperand(args[0], it)
		p, pok := evalOperand(args[1], it)
		if !ok || !pok || v.k != p.k {
			return false
		}
		switch v.k {
		case kindS:
			return strings.HasPrefix(v.s, p.s)
		case kindB:
			return bytes.HasPrefix(v.b, p.b)
		}
	case "contains":
		v, ok := evalOperand(args[0], it)
		x, xok := evalOperand(args[1], it)
		if !ok || !xok {
			return false
		}
		return contains(v, x)
	}
	return false
}

// contains is the contains() function: a substring of a string or binary, a member of a set,
// or an element of a list.
func contains(v, x Value) bool {
	switch v.k {
	case kindS:
		return x.k == kindS && strings.Contains(v.s, x.s)
	case kindB:
		return x.k == kindB && bytes.Contains(v.b, x.b)
	case kindSS:
		return x.k == kindS && memberOf(v.ss, x.s)
	case kindNS:
		return x.k == kindN && memberOf(v.ss, x.s)
	case kindBS:
		if x.k != kindB {
			return false
		}
		for _, b := range v.bs {
			if bytes.Equal(b, x.b) {
				return true
			}
		}
	case kindL:
		for _, e := range v.l {
			if equal(e, x) {
				return true
			}
		}
	}
	return false
}

func memberOf(set []string, s string) bool {
	for _, m := range set {
		if m == s {
			return true
		}
	}
	return false
}

// evalOperand resolves an operand of a condition against an item.
func evalOperand(o *operand, it Item) (Value, bool) {
	switch o.kind {
	case oValue:
		return o.val, o.val.k != kindInvalid
	case oPath:
		return getPath(it, o.path)
	case oFunc:
		if o.fn == "size" && len(o.args) == 1 {
			v, ok := evalOperand(o.args[0], it)
			if !ok {
				return Value{}, false
			}
			if n, ok := sizeOf(v); ok {
				return numValue(strconv.Itoa(n)), true
			}
		}
	}
	return Value{}, false
}

// evalSetValue resolves the right-hand side of a SET action against the item as it was before
// the update.
func evalSetValue(o *operand, it Item) (Value, *awswire.Error) {
	switch o.kind {
	case oValue:
		return o.val.clone(), nil
	case oPath:
		v, ok := getPath(it, o.path)
		if !ok {
			return Value{}, errMissingAttribute()
		}
		return v.clone(), nil
	case oArith:
		a, e := evalSetValue(o.args[0], it)
		if e != nil {
			return Value{}, e
		}
		b, e := evalSetValue(o.args[1], it)
		if e != nil {
			return Value{}, e
		}
		if a.k != kindN || b.k != kindN {
			return Value{}, errIncorrectDataType()
		}
		n, msg := addNumbers(a.s, b.s, o.fn == "-")
		if msg != "" {
			return Value{}, errValidation("%s", msg)
		}
		return numValue(n), nil
	case oFunc:
		switch o.fn {
		case "if_not_exists":
			if v, ok := getPath(it, o.args[0].path); ok {
				return v.clone(), nil
			}
			return evalSetValue(o.args[1], it)
		case "list_append":
			a, e := evalSetValue(o.args[0], it)
			if e != nil {
				return Value{}, e
			}
			b, e := evalSetValue(o.args[1], it)
			if e != nil {
				return Value{}, e
			}
			if a.k != kindL || b.k != kindL {
				return Value{}, errIncorrectDataType()
			}
			l := make([]Value, 0, len(a.l)+len(b.l))
			return listValue(append(append(l, a.l...), b.l...)), nil
		}
	}
	return Value{}, errIncorrectDataType()
}

// applyUpdate runs an update expression on a copy of old (nil: the item does not exist yet and
// starts as its key). Every SET value is computed from the item as it was, then the actions run
// in order (Expressions.UpdateExpressions.html).
func applyUpdate(old, key Item, u *update) (Item, *awswire.Error) {
	base := old
	if base == nil {
		base = key
	}
	values := make([]Value, len(u.actions))
	for i, a := range u.actions {
		if a.clause == "SET" {
			v, e := evalSetValue(a.value, base)
			if e != nil {
				return nil, e
			}
			values[i] = v
		}
	}
	it := cloneItem(base)
	for i, a := range u.actions {
		var fn modifier
		switch a.clause {
		case "SET":
			v := values[i]
			fn = func(Value, bool) (Value, modOp, *awswire.Error) { return v, opSet, nil }
		case "REMOVE":
			fn = func(_ Value, exists bool) (Value, modOp, *awswire.Error) {
				if !exists {
					return Value{}, opKeep, nil
				}
				return Value{}, opRemove, nil
			}
		case "ADD":
			fn = addModifier(a.value.val)
		case "DELETE":
			fn = deleteModifier(a.value.val)
		}
		if e := modifyPath(it, a.path, fn); e != nil {
			return nil, e
		}
	}
	compact(it)
	return it, nil
}

// addModifier is ADD: a number is added to the attribute (absent counts as 0); a set's members
// are added to the set (absent counts as empty).
func addModifier(add Value) modifier {
	return func(cur Value, exists bool) (Value, modOp, *awswire.Error) {
		if !exists {
			return add.clone(), opSet, nil
		}
		if cur.k != add.k {
			return Value{}, opKeep, errIncorrectDataType()
		}
		switch add.k {
		case kindN:
			n, msg := addNumbers(cur.s, add.s, false)
			if msg != "" {
				return Value{}, opKeep, errValidation("%s", msg)
			}
			return numValue(n), opSet, nil
		case kindSS, kindNS:
			out := cur.clone()
			for _, s := range add.ss {
				if !memberOf(out.ss, s) {
					out.ss = append(out.ss, s)
				}
			}
			return out, opSet, nil
		case kindBS:
			out := cur.clone()
			for _, b := range add.bs {
				if !contains(out, binValue(b)) {
					out.bs = append(out.bs, append([]byte(nil), b...))
				}
			}
			return out, opSet, nil
		}
		return Value{}, opKeep, errIncorrectDataType()
	}
}

// deleteModifier is DELETE: the members are taken out of the set; an emptied set is removed,
// since DynamoDB has no empty sets.
func deleteModifier(del Value) modifier {
	return func(cur Value, exists bool) (Value, modOp, *awswire.Error) {
		if !exists {
			return Value{}, opKeep, nil
		}
		if cur.k != del.k {
			return Value{}, opKeep, errIncorrectDataType()
		}
		out := cur.clone()
		switch del.k {
		case kindSS, kindNS:
			kept := out.ss[:0]
			for _, s := range out.ss {
				if !memberOf(del.ss, s) {
					kept = append(kept, s)
				}
			}
			out.ss = kept
			if len(kept) == 0 {
				return Value{}, opRemove, nil
			}
		case kindBS:
			kept := out.bs[:0]
			for _, b := range out.bs {
				if !contains(del, binValue(b)) {
					kept = append(kept, b)
				}
			}
			out.bs = kept
			if len(kept) == 0 {
				return Value{}, opRemove, nil
			}
		default:
			return Value{}, opKeep, errIncorrectDataType()
		}
		return out, opSet, nil
	}
}
