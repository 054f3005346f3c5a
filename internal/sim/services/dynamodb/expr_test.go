package dynamodb

import (
	"encoding/json"
	"testing"
)

// item decodes an item from its wire JSON and validates it, as a request's item is.
func item(t *testing.T, js string) Item {
	t.Helper()
	var it Item
	if err := json.Unmarshal([]byte(js), &it); err != nil {
		t.Fatalf("decoding %s: %v", js, err)
	}
	if msg := validateItem(it); msg != "" {
		t.Fatalf("validating %s: %s", js, msg)
	}
	return it
}

func itemJSON(it Item) string {
	b, _ := json.Marshal(it)
	return string(b)
}

// The item the condition table tests evaluate against.
const condItem = `{
	"id": {"S": "item-1"},
	"n": {"N": "10"}, "neg": {"N": "-2.5"}, "s": {"S": "hello world"}, "b": {"B": "AQID"},
	"t": {"BOOL": true}, "nul": {"NULL": true},
	"ss": {"SS": ["red", "green"]}, "ns": {"NS": ["1", "2"]}, "bs": {"BS": ["AQ==", "Ag=="]},
	"l": {"L": [{"S": "a"}, {"N": "5"}, {"M": {"deep": {"S": "x"}}}]},
	"m": {"M": {"inr": {"N": "3"}, "nm": {"S": "bob"}, "lst": {"L": [{"N": "1"}, {"N": "2"}]}}},
	"status": {"S": "open"}, "dash-name": {"S": "d"}
}`

// values are the placeholders the condition table tests use.
const condValues = `{
	":ten": {"N": "10"}, ":five": {"N": "5.0"}, ":twenty": {"N": "20"}, ":hello": {"S": "hello"}, ":world": {"S": "world"},
	":red": {"S": "red"}, ":blue": {"S": "blue"}, ":one": {"N": "1"}, ":three": {"N": "3"}, ":b1": {"B": "AQ=="},
	":S": {"S": "S"}, ":N": {"S": "N"}, ":SS": {"S": "SS"}, ":M": {"S": "M"}, ":L": {"S": "L"}, ":NULL": {"S": "NULL"},
	":BOOL": {"S": "BOOL"}, ":B": {"S": "B"}, ":true": {"BOOL": true}, ":a": {"S": "a"}, ":open": {"S": "open"},
	":list": {"L": [{"N": "1"}, {"N": "2"}]}, ":x": {"S": "x"}, ":bob": {"S": "bob"}, ":eleven": {"S": "hello world"}
}`

func parseValues(t *testing.T) map[string]Value {
	t.Helper()
	return map[string]Value(item(t, condValues))
}

func TestCondition_evaluation(t *testing.T) {
	it := item(t, condItem)
	names := map[string]string{"#st": "status", "#d": "dash-name", "#m": "m", "#dot": "a.b"}
	for _, tc := range []struct {
		expr string
		want bool
	}{
		{"n = :ten", true},
		{"n = :five", false},
		{"n <> :five", true},
		{"absent <> :five", true},
		{"absent = :five", false},
		{"n > :five", true},
		{"n >= :ten", true},
		{"n < :twenty", true},
		{"n <= :five", false},
		{"neg < :one", true},
		{"s > :hello", true},
		{"s < :world", true},
		{"n < :hello", false}, // different types never order
		{"n BETWEEN :five AND :twenty", true},
		{"n BETWEEN :one AND :five", false},
		{"n between :ten and :ten", true},
		{"n IN (:one, :ten)", true},
		{"n IN (:one, :three)", false},
		{"attribute_exists(n)", true},
		{"attribute_exists(absent)", false},
		{"attribute_not_exists(absent)", true},
		{"attribute_exists(m.inr)", true},
		{"attribute_exists(m.nope)", false},
		{"attribute_exists(l[2].deep)", true},
		{"attribute_exists(l[3])", false},
		{"attribute_exists(m.lst[1])", true},
		{"attribute_type(n, :N)", true},
		{"attribute_type(ss, :SS)", true},
		{"attribute_type(m, :M)", true},
		{"attribute_type(l, :L)", true},
		{"attribute_type(nul, :NULL)", true},
		{"attribute_type(t, :BOOL)", true},
		{"attribute_type(b, :B)", true},
		{"attribute_type(s, :N)", false},
		{"begins_with(s, :hello)", true},
		{"begins_with(s, :world)", false},
		{"begins_with(b, :b1)", true},
		{"begins_with(n, :hello)", false},
		{"contains(s, :world)", true},
		{"contains(ss, :red)", true},
		{"contains(ss, :blue)", false},
		{"contains(ns, :one)", true},
		{"contains(bs, :b1)", true},
		{"contains(l, :a)", true},
		{"contains(l, :five)", true}, // 5.0 is 5
		{"contains(m.lst, :one)", true},
		{"size(s) = :eleven", false},
		{"size(s) > :ten", true},
		{"size(ss) = :one", false},
		{"size(l) = :three", true},
		{"size(m) = :three", true},
		{"size(b) = :three", true},
		{"size(absent) = :one", false},
		{"m.inr = :three", true},
		{"m.lst[0] = :one", true},
		{"l[1] = :five", true},
		{"m.nm = :bob AND n = :ten", true},
		{"m.nm = :bob AND n = :five", false},
		{"m.nm = :x OR n = :ten", true},
		{"NOT n = :five", true},
		{"not (n = :ten)", false},
		{"(n = :five OR n = :ten) AND NOT (s = :hello)", true},
		{"n = :five OR n = :ten AND s = :hello", false}, // AND binds tighter than OR
		{"(n = :five OR n = :ten) AND s = :hello", false},
		{"#st = :open", true},
		{"#d = :a", false},
		{"#m.inr = :three", true},
		{"attribute_not_exists(#dot)", true},
		{"t = :true", true},
		{"m.lst = :list", true},
		{"ss = :red", false},
	} {
		ctx := newExprCtx(names, parseValues(t))
		c, _, msg := parseCondition(tc.expr, ctx)
		if msg != "" {
			t.Errorf("%s: parse error %s", tc.expr, msg)
			continue
		}
		if got := evalCond(c, it); got != tc.want {
			t.Errorf("%s = %v, want %v", tc.expr, got, tc.want)
		}
	}
}

func TestCondition_errors(t *testing.T) {
	names := map[string]string{"#a": "a"}
	for _, tc := range []struct {
		expr, msg string
	}{
		{"", "The expression can not be empty;"},
		{"a = ", `Syntax error; token: "<EOF>", near: "= "`},
		{"a = :x :x", `Syntax error; token: ":x", near: ":x :x"`},
		{"= :x", `Syntax error; token: "=", near: "= :x"`},
		{"a = : x", `Syntax error; token: ":", near: "= : x"`},
		{"a ! :x", `Syntax error; token: "!", near: "a ! :x"`},
		{"a = AND", `Syntax error; token: "AND", near: "= AND"`},
		{"a BETWEEN :x", `Syntax error; token: "<EOF>", near: ":x"`},
		{"a IN ()", `Syntax error; token: ")", near: "()"`},
		{"(a = :x", `Syntax error; token: "<EOF>", near: ":x"`},
		{"1a = :x", `Syntax error; token: "1a", near: "1a ="`},
		{"a[x] = :x", `Syntax error; token: "x", near: "[x]"`},
		{"status = :x", "Attribute name is a reserved keyword; reserved keyword: status"},
		{"a.name = :x", "Attribute name is a reserved keyword; reserved keyword: name"},
		{"#b = :x", "An expression attribute name used in the document path is not defined; attribute name: #b"},
		{"a = :nope", "An expression attribute value used in expression is not defined; attribute value: :nope"},
		{"foo(a)", "Invalid function name; function: foo"},
		{"size(a)", "The function is not allowed to be used this way in an expression; function: size"},
		{"NOT size(a)", "The function is not allowed to be used this way in an expression; function: size"},
		{"contains(a, :x) = :x", "The function is not allowed to be used this way in an expression; function: contains"},
		{"begins_with(attribute_exists(a), :x)", "The function is not allowed to be used this way in an expression; function: attribute_exists"},
		{"attribute_exists(a, a)", "Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2"},
		{"begins_with(a)", "Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1"},
		{"a = a", "The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]"},
		{"contains(a, a)", "The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [a]"},
		{"attribute_exists(:x)", "Operator or function requires a document path; operator or function: attribute_exists"},
		{"begins_with(a, :n)", "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
		{"attribute_type(a, :n)", "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N"},
		{"attribute_type(a, :x)", "Invalid attribute type name found; type: x, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}"},
		{"size(:n) = :n", "Incorrect operand type for operator or function; operator or function: size, operand type: N"},
		{"a BETWEEN :x AND :n", "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {S:x}, upper bound operand: AttributeValue: {N:1}"},
		{"a BETWEEN :two AND :n", "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}"},
		// Priority: an unknown function outranks a reserved word, which outranks an undefined name.
		{"status = #b AND foo(a)", "Invalid function name; function: foo"},
		{"#b = :x AND status = :x", "Attribute name is a reserved keyword; reserved keyword: status"},
	} {
		values := map[string]Value{":x": {k: kindS, s: "x"}, ":n": numValue("1"), ":two": numValue("2")}
		_, _, msg := parseCondition(tc.expr, newExprCtx(names, values))
		if msg != tc.msg {
			t.Errorf("%q: got %q, want %q", tc.expr, msg, tc.msg)
		}
	}
}

func TestUpdate_apply(t *testing.T) {
	base := `{"pk":{"S":"k"},"n":{"N":"5"},"s":{"S":"x"},"l":{"L":[{"S":"a"},{"S":"b"},{"S":"c"}]},
		"m":{"M":{"a":{"N":"1"},"b":{"M":{"c":{"S":"d"}}}}},"ss":{"SS":["a","b"]},"ns":{"NS":["1","2"]},"bs":{"BS":["AQ=="]}}`
	values := `{":one":{"N":"1"},":half":{"N":"0.5"},":x":{"S":"new"},":l":{"L":[{"S":"z"}]},":ss":{"SS":["b","c"]},
		":ns":{"NS":["2","3"]},":bs":{"BS":["Ag=="]},":zero":{"N":"0"},":empty":{"L":[]},":all":{"SS":["a","b"]}}`
	for _, tc := range []struct {
		expr string
		want string // the attributes the test checks, as JSON of a partial item
		gone []string
		msg  string
	}{
		{expr: "SET n = n + :one", want: `{"n":{"N":"6"}}`},
		{expr: "SET n = n - :half", want: `{"n":{"N":"4.5"}}`},
		{expr: "SET n = :one + n", want: `{"n":{"N":"6"}}`},
		{expr: "SET c = if_not_exists(c, :zero) + :one", want: `{"c":{"N":"1"}}`},
		{expr: "SET n = if_not_exists(n, :zero) + :one", want: `{"n":{"N":"6"}}`},
		{expr: "SET l = list_append(l, :l)", want: `{"l":{"L":[{"S":"a"},{"S":"b"},{"S":"c"},{"S":"z"}]}}`},
		{expr: "SET l = list_append(:l, l)", want: `{"l":{"L":[{"S":"z"},{"S":"a"},{"S":"b"},{"S":"c"}]}}`},
		{expr: "SET q = list_append(if_not_exists(q, :empty), :l)", want: `{"q":{"L":[{"S":"z"}]}}`},
		{expr: "SET m.b.c = :x, m.e = :one", want: `{"m":{"M":{"a":{"N":"1"},"b":{"M":{"c":{"S":"new"}}},"e":{"N":"1"}}}}`},
		{expr: "SET l[1] = :x", want: `{"l":{"L":[{"S":"a"},{"S":"new"},{"S":"c"}]}}`},
		{expr: "SET l[10] = :x", want: `{"l":{"L":[{"S":"a"},{"S":"b"},{"S":"c"},{"S":"new"}]}}`},
		{expr: "SET s = n, n = s", want: `{"s":{"N":"5"},"n":{"S":"x"}}`}, // right-hand sides see the old item
		{expr: "REMOVE s, m.a", want: `{"m":{"M":{"b":{"M":{"c":{"S":"d"}}}}}}`, gone: []string{"s"}},
		{expr: "REMOVE l[0], l[2]", want: `{"l":{"L":[{"S":"b"}]}}`},
		{expr: "REMOVE l[7], nothing", want: `{"l":{"L":[{"S":"a"},{"S":"b"},{"S":"c"}]}}`},
		{expr: "ADD n :one", want: `{"n":{"N":"6"}}`},
		{expr: "ADD newn :one", want: `{"newn":{"N":"1"}}`},
		{expr: "ADD ss :ss", want: `{"ss":{"SS":["a","b","c"]}}`},
		{expr: "ADD ns :ns, newss :ss", want: `{"ns":{"NS":["1","2","3"]},"newss":{"SS":["b","c"]}}`},
		{expr: "ADD bs :bs", want: `{"bs":{"BS":["AQ==","Ag=="]}}`},
		{expr: "DELETE ss :ss", want: `{"ss":{"SS":["a"]}}`},
		{expr: "DELETE ss :all", gone: []string{"ss"}},
		{expr: "DELETE nothing :ss", gone: []string{"nothing"}},
		{expr: "SET s = :x REMOVE n ADD c :one DELETE ns :ns", want: `{"s":{"S":"new"},"c":{"N":"1"},"ns":{"NS":["1"]}}`, gone: []string{"n"}},
		{expr: "set s = :x remove n", want: `{"s":{"S":"new"}}`, gone: []string{"n"}},
		{expr: "SET n = s + :one", msg: "An operand in the update expression has an incorrect data type"},
		{expr: "SET n = absent + :one", msg: "The provided expression refers to an attribute that does not exist in the item"},
		{expr: "SET l = list_append(s, :l)", msg: "An operand in the update expression has an incorrect data type"},
		{expr: "SET x.y = :one", msg: "The document path provided in the update expression is invalid for update"},
		{expr: "SET s.y = :one", msg: "The document path provided in the update expression is invalid for update"},
		{expr: "SET m[0] = :one", msg: "The document path provided in the update expression is invalid for update"},
		{expr: "REMOVE x.y", msg: "The document path provided in the update expression is invalid for update"},
		{expr: "ADD s :one", msg: "An operand in the update expression has an incorrect data type"},
		{expr: "ADD ss :ns", msg: "An operand in the update expression has an incorrect data type"},
		{expr: "DELETE ss :ns", msg: "An operand in the update expression has an incorrect data type"},
	} {
		ctx := newExprCtx(nil, map[string]Value(item(t, values)))
		u, _, msg := parseUpdate(tc.expr, ctx)
		if msg != "" {
			t.Errorf("%s: parse error %s", tc.expr, msg)
			continue
		}
		old := item(t, base)
		got, e := applyUpdate(old, Item{"pk": old["pk"]}, u)
		if tc.msg != "" {
			if e == nil || e.Message != tc.msg {
				t.Errorf("%s: error %v, want %q", tc.expr, e, tc.msg)
			}
			continue
		}
		if e != nil {
			t.Errorf("%s: %v", tc.expr, e)
			continue
		}
		if tc.want != "" {
			for name, v := range item(t, tc.want) {
				if !equal(got[name], v) {
					t.Errorf("%s: %s = %s, want %s", tc.expr, name, itemJSON(Item{name: got[name]}), itemJSON(Item{name: v}))
				}
			}
		}
		for _, name := range tc.gone {
			if _, ok := got[name]; ok {
				t.Errorf("%s: %s still there", tc.expr, name)
			}
		}
		if !equal(item(t, base)["l"], old["l"]) || !equal(item(t, base)["m"], old["m"]) {
			t.Errorf("%s changed the old item", tc.expr)
		}
	}
}

func TestUpdate_errors(t *testing.T) {
	names := map[string]string{"#a": "a"}
	values := map[string]Value{":x": {k: kindS, s: "x"}, ":n": numValue("1"), ":ss": {k: kindSS, ss: []string{"a"}}, ":l": listValue(nil)}
	for _, tc := range []struct {
		expr, msg string
	}{
		{"", "The expression can not be empty;"},
		{"a = :x", `Syntax error; token: "a", near: "a ="`},
		{"INVALID SYNTAX HERE", `Syntax error; token: "INVALID", near: "INVALID SYNTAX"`},
		{"ADD hits : incr", `Syntax error; token: ":", near: "hits : incr"`},
		{"SET a = :x,", `Syntax error; token: "<EOF>", near: ","`},
		{"SET a :x", `Syntax error; token: ":x", near: "a :x"`},
		{"SET a = :x + :n + :n", `Syntax error; token: "+", near: ":n + :n"`},
		{"ADD a b", `Syntax error; token: "b", near: "a b"`},
		{"SET a = :x SET b = :x", `The "SET" section can only be used once in an update expression;`},
		{"SET a = :x, a = :n", "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"},
		{"SET a = :x REMOVE a.b", "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"},
		{"SET a.b = :x REMOVE a[0]", "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]"},
		{"SET b = :x, c = :x REMOVE name", "Attribute name is a reserved keyword; reserved keyword: name"},
		{"SET #b = :x", "An expression attribute name used in the document path is not defined; attribute name: #b"},
		{"SET a = :y", "An expression attribute value used in expression is not defined; attribute value: :y"},
		{"SET a = foo(a)", "Invalid function name; function: foo"},
		{"SET a = size(a)", "Invalid function name; function: size"},
		{"SET a = if_not_exists(a)", "Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1"},
		{"SET a = if_not_exists(:x, :x)", "Operator or function requires a document path; operator or function: if_not_exists"},
		{"SET a = list_append(:x, :l)", "Incorrect operand type for operator or function; operator or function: list_append, operand type: S"},
		{"SET a = :x + :n", "Incorrect operand type for operator or function; operator or function: +, operand type: S"},
		{"ADD a :x", "Incorrect operand type for operator or function; operator: ADD, operand type: STRING"},
		{"DELETE a :n", "Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER"},
		{"ADD a :l", "Incorrect operand type for operator or function; operator: ADD, operand type: LIST"},
	} {
		_, _, msg := parseUpdate(tc.expr, newExprCtx(names, values))
		if msg != tc.msg {
			t.Errorf("%q: got %q, want %q", tc.expr, msg, tc.msg)
		}
	}
}

func TestProjection(t *testing.T) {
	it := item(t, condItem)
	for _, tc := range []struct {
		expr, want, msg string
	}{
		{expr: "n, s", want: `{"n":{"N":"10"},"s":{"S":"hello world"}}`},
		{expr: "m.inr, l[1], l[2].deep", want: `{"l":{"L":[{"N":"5"},{"M":{"deep":{"S":"x"}}}]},"m":{"M":{"inr":{"N":"3"}}}}`},
		{expr: "absent, m.nothing, l[9]", want: `{}`},
		{expr: "#st", want: `{"status":{"S":"open"}}`},
		{expr: "n, n", msg: "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [n], path two: [n]"},
		{expr: "m, m.inr", msg: "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m], path two: [m, inr]"},
		{expr: "status", msg: "Attribute name is a reserved keyword; reserved keyword: status"},
		{expr: "n,", msg: `Syntax error; token: "<EOF>", near: ","`},
		{expr: "n s", msg: `Syntax error; token: "s", near: "n s"`},
	} {
		paths, _, msg := parseProjection(tc.expr, newExprCtx(map[string]string{"#st": "status"}, nil))
		if msg != tc.msg {
			t.Errorf("%q: message %q, want %q", tc.expr, msg, tc.msg)
			continue
		}
		if msg != "" {
			continue
		}
		if got := itemJSON(project(it, paths)); got != itemJSON(item(t, tc.want)) {
			t.Errorf("%q = %s, want %s", tc.expr, got, tc.want)
		}
	}
}
