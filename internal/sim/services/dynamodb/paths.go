package dynamodb

import (
	"sort"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// getPath returns the value at a document path of an item, if there is one.
func getPath(it Item, p docPath) (Value, bool) {
	if len(p) == 0 {
		return Value{}, false
	}
	v, ok := it[p[0].name]
	if !ok {
		return Value{}, false
	}
	for _, e := range p[1:] {
		if e.index >= 0 {
			if v.k != kindL || e.index >= len(v.l) {
				return Value{}, false
			}
			v = v.l[e.index]
		} else {
			if v.k != kindM {
				return Value{}, false
			}
			if v, ok = v.m[e.name]; !ok {
				return Value{}, false
			}
		}
	}
	if isTombstone(v) {
		return Value{}, false
	}
	return v, true
}

// projNode is a tree of projected paths: a leaf takes the whole value; inner nodes take members
// (of a map) or elements (of a list).
type projNode struct {
	leaf    bool
	names   map[string]*projNode
	indexes map[int]*projNode
}

func buildProjection(paths []docPath) *projNode {
	root := &projNode{}
	for _, p := range paths {
		n := root
		for _, e := range p {
			if n.leaf {
				break
			}
			var child *projNode
			if e.index >= 0 {
				if n.indexes == nil {
					n.indexes = map[int]*projNode{}
				}
				if child = n.indexes[e.index]; child == nil {
					child = &projNode{}
					n.indexes[e.index] = child
				}
			} else {
				if n.names == nil {
					n.names = map[string]*projNode{}
				}
				if child = n.names[e.name]; child == nil {
					child = &projNode{}
					n.names[e.name] = child
				}
			}
			n = child
		}
		n.leaf, n.names, n.indexes = true, nil, nil
	}
	return root
}

// project returns the parts of an item that the paths select, as ProjectionExpression and
// UPDATED_OLD/UPDATED_NEW do: list elements keep their order and close up, and a path that
// selects nothing adds nothing.
func project(it Item, paths []docPath) Item {
	root := buildProjection(paths)
	out := Item{}
	for name, child := range root.names {
		if v, ok := it[name]; ok {
			if pv, ok := projectValue(v, child); ok {
				out[name] = pv
			}
		}
	}
	return out
}

func projectValue(v Value, n *projNode) (Value, bool) {
	if n.leaf {
		return v.clone(), true
	}
	switch {
	case v.k == kindM && n.names != nil:
		m := map[string]Value{}
		for name, child := range n.names {
			if e, ok := v.m[name]; ok {
				if pv, ok := projectValue(e, child); ok {
					m[name] = pv
				}
			}
		}
		if len(m) == 0 {
			return Value{}, false
		}
		return mapValue(m), true
	case v.k == kindL && n.indexes != nil:
		idx := make([]int, 0, len(n.indexes))
		for i := range n.indexes {
			idx = append(idx, i)
		}
		sort.Ints(idx)
		var l []Value
		for _, i := range idx {
			if i < len(v.l) {
				if pv, ok := projectValue(v.l[i], n.indexes[i]); ok {
					l = append(l, pv)
				}
			}
		}
		if len(l) == 0 {
			return Value{}, false
		}
		return listValue(l), true
	}
	return Value{}, false
}

// A removed list element stays in place as a tombstone until the whole update has run, so that
// every index of one update expression refers to the list as it was ("REMOVE a[0], a[2]").
func tombstone() Value         { return Value{bad: "removed"} }
func isTombstone(v Value) bool { return v.k == kindInvalid && v.bad == "removed" }

type modOp uint8

const (
	opKeep modOp = iota
	opSet
	opRemove
)

// modifier decides what becomes of the value at a path (cur, if exists).
type modifier func(cur Value, exists bool) (Value, modOp, *awswire.Error)

// modifyPath applies fn at path p of it. Every element but the last must exist and be a map (for a
// name) or a list (for an index); otherwise the path is invalid for update. Setting a list index
// past the end appends, as AWS documents for SET.
func modifyPath(it Item, p docPath, fn modifier) *awswire.Error {
	name := p[0].name
	if len(p) == 1 {
		cur, ok := it[name]
		nv, op, e := fn(cur, ok)
		if e != nil {
			return e
		}
		switch op {
		case opSet:
			it[name] = nv
		case opRemove:
			delete(it, name)
		}
		return nil
	}
	top, ok := it[name]
	if !ok {
		return errInvalidUpdatePath()
	}
	nv, e := modifyValue(top, p[1:], fn)
	if e != nil {
		return e
	}
	it[name] = nv
	return nil
}

func modifyValue(c Value, rest docPath, fn modifier) (Value, *awswire.Error) {
	e := rest[0]
	if e.index >= 0 {
		if c.k != kindL {
			return c, errInvalidUpdatePath()
		}
		in := e.index < len(c.l)
		if len(rest) > 1 {
			if !in || isTombstone(c.l[e.index]) {
				return c, errInvalidUpdatePath()
			}
			nv, err := modifyValue(c.l[e.index], rest[1:], fn)
			if err != nil {
				return c, err
			}
			c.l[e.index] = nv
			return c, nil
		}
		var cur Value
		exists := in && !isTombstone(c.l[e.index])
		if exists {
			cur = c.l[e.index]
		}
		nv, op, err := fn(cur, exists)
		if err != nil {
			return c, err
		}
		switch {
		case op == opSet && in:
			c.l[e.index] = nv
		case op == opSet:
			c.l = append(c.l, nv)
		case op == opRemove && exists:
			c.l[e.index] = tombstone()
		}
		return c, nil
	}
	if c.k != kindM {
		return c, errInvalidUpdatePath()
	}
	if len(rest) > 1 {
		child, ok := c.m[e.name]
		if !ok {
			return c, errInvalidUpdatePath()
		}
		nv, err := modifyValue(child, rest[1:], fn)
		if err != nil {
			return c, err
		}
		c.m[e.name] = nv
		return c, nil
	}
	cur, exists := c.m[e.name]
	nv, op, err := fn(cur, exists)
	if err != nil {
		return c, err
	}
	switch op {
	case opSet:
		c.m[e.name] = nv
	case opRemove:
		delete(c.m, e.name)
	}
	return c, nil
}

// compact drops the tombstones left by REMOVE of list elements.
func compact(it Item) {
	for name, v := range it {
		it[name] = compactValue(v)
	}
}

func compactValue(v Value) Value {
	switch v.k {
	case kindL:
		kept := v.l[:0]
		for _, e := range v.l {
			if !isTombstone(e) {
				kept = append(kept, compactValue(e))
			}
		}
		v.l = kept
	case kindM:
		for name, e := range v.m {
			v.m[name] = compactValue(e)
		}
	}
	return v
}

// depthOf is how deeply lists and maps nest in v (a scalar is 0).
func depthOf(v Value) int {
	d := 0
	switch v.k {
	case kindL:
		for _, e := range v.l {
			d = max(d, depthOf(e))
		}
		return d + 1
	case kindM:
		for _, e := range v.m {
			d = max(d, depthOf(e))
		}
		return d + 1
	}
	return 0
}
