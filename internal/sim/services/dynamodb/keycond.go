package dynamodb

import (
	"bytes"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// keyCond is a Query's key condition: the partition key value, and an optional condition on the
// sort key.
type keyCond struct {
	hash      Value
	rangeOp   string // "", =, <, <=, >, >=, BETWEEN, begins_with
	rangeVals []Value
}

// keyPart is the condition on one key attribute, with the attribute as its first operand.
type keyPart struct {
	op   string
	vals []Value
}

var flipped = map[string]string{"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

// buildKeyCond checks a parsed KeyConditionExpression and turns it into a keyCond, with the
// messages dynalite recorded against DynamoDB.
func buildKeyCond(c *cond, sc schema) (*keyCond, *awswire.Error) {
	parts := map[string]keyPart{}
	if e := collectKeyParts(c, parts); e != nil {
		return nil, e
	}
	hash, ok := parts[sc.Hash.Name]
	if !ok {
		return nil, errValidation("Query condition missed key schema element: %s", sc.Hash.Name)
	}
	if sc.Range == nil && len(parts) > 1 {
		return nil, errValidation("Query key condition not supported")
	}
	for name := range parts {
		if !sc.isKey(name) {
			missing := sc.Hash.Name
			if sc.Range != nil {
				missing = sc.Range.Name
			}
			return nil, errValidation("Query condition missed key schema element: %s", missing)
		}
	}
	if hash.op != "=" {
		return nil, errValidation("Query key condition not supported")
	}
	kc := &keyCond{hash: hash.vals[0]}
	if e := checkKeyCondValues(sc.Hash, hash.vals); e != nil {
		return nil, e
	}
	if sc.Range != nil {
		if r, ok := parts[sc.Range.Name]; ok {
			if e := checkKeyCondValues(*sc.Range, r.vals); e != nil {
				return nil, e
			}
			kc.rangeOp, kc.rangeVals = r.op, r.vals
		}
	}
	return kc, nil
}

func checkKeyCondValues(a keyAttr, vals []Value) *awswire.Error {
	for _, v := range vals {
		if v.k != a.Type {
			return errValidation("One or more parameter values were invalid: Condition parameter type does not match schema type")
		}
		if (v.k == kindS && v.s == "") || (v.k == kindB && len(v.b) == 0) {
			return errValidation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: %s", a.Name)
		}
	}
	return nil
}

func collectKeyParts(c *cond, parts map[string]keyPart) *awswire.Error {
	switch c.kind {
	case cAnd:
		if e := collectKeyParts(c.a, parts); e != nil {
			return e
		}
		return collectKeyParts(c.b, parts)
	case cOr:
		return errValidation("Invalid operator used in KeyConditionExpression: OR")
	case cNot:
		return errValidation("Invalid operator used in KeyConditionExpression: NOT")
	case cIn:
		return errValidation("Invalid operator used in KeyConditionExpression: IN")
	case cCompare:
		if c.op == "<>" {
			return errValidation("Invalid operator used in KeyConditionExpression: <>")
		}
	case cFunc:
		if c.op != "begins_with" {
			return errValidation("Invalid operator used in KeyConditionExpression: %s", c.op)
		}
	}
	name := strings.ToUpper(c.op)
	if c.kind == cFunc {
		name = c.op
	}
	if (c.kind == cBetween || c.kind == cFunc) && c.args[0].kind != oPath {
		return errValidation("Invalid condition in KeyConditionExpression: %s operator must have the key attribute as its first operand", name)
	}
	attr, at := "", -1
	var vals []Value
	for i, o := range c.args {
		switch o.kind {
		case oPath:
			if attr != "" {
				return errValidation("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition")
			}
			if len(o.path) > 1 {
				return errValidation("KeyConditionExpressions cannot have conditions on nested attributes")
			}
			attr, at = o.path[0].name, i
		case oFunc:
			return errValidation("KeyConditionExpressions cannot contain nested operations")
		default:
			vals = append(vals, o.val)
		}
	}
	if attr == "" {
		return errValidation("Invalid condition in KeyConditionExpression: No key attribute specified")
	}
	if _, dup := parts[attr]; dup {
		return errValidation("KeyConditionExpressions must only contain one condition per key")
	}
	op := c.op
	if c.kind == cCompare && at != 0 {
		op = flipped[op]
	}
	parts[attr] = keyPart{op: op, vals: vals}
	return nil
}

// matchRange reports whether a sort key value satisfies the key condition.
func (kc *keyCond) matchRange(v Value) bool {
	if kc.rangeOp == "" {
		return true
	}
	if kc.rangeOp == "begins_with" {
		p := kc.rangeVals[0]
		if v.k != p.k {
			return false
		}
		if v.k == kindS {
			return strings.HasPrefix(v.s, p.s)
		}
		return bytes.HasPrefix(v.b, p.b)
	}
	n, ok := compareScalars(v, kc.rangeVals[0])
	if !ok {
		return false
	}
	switch kc.rangeOp {
	case "=":
		return n == 0
	case "<":
		return n < 0
	case "<=":
		return n <= 0
	case ">":
		return n > 0
	case ">=":
		return n >= 0
	case "BETWEEN":
		m, ok := compareScalars(v, kc.rangeVals[1])
		return ok && n >= 0 && m <= 0
	}
	return false
}

// seek is where a forward Query starts in the store: just after `after` (a key or a key prefix).
func (kc *keyCond) seek(sc schema) (after string, inclusive bool) {
	prefix := partitionPrefix(kc.hash)
	if sc.Range == nil {
		return prefix, true // the one item of the partition has exactly this key
	}
	if kc.rangeOp == "" {
		return prefix, false
	}
	bound := kc.rangeVals[0]
	switch kc.rangeOp {
	case ">":
		return prefix + string(appendKeyValue(nil, bound)), false
	case ">=", "=", "BETWEEN":
		return prefix + string(appendKeyValue(nil, bound)), true
	case "begins_with":
		if bound.k == kindS {
			return prefix + string(appendEscaped(nil, []byte(bound.s))), false
		}
		return prefix + string(appendEscaped(nil, bound.b)), false
	}
	return prefix, false
}
