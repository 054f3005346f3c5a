package dynamodb

import (
	"fmt"
	"strconv"
	"strings"
)

// exprCtx is what expressions of one request share: the placeholders, and which were used.
type exprCtx struct {
	names      map[string]string
	values     map[string]Value
	usedNames  map[string]bool
	usedValues map[string]bool
}

func newExprCtx(names map[string]string, values map[string]Value) *exprCtx {
	return &exprCtx{names: names, values: values, usedNames: map[string]bool{}, usedValues: map[string]bool{}}
}

// semErrs keeps the first semantic error of each kind while parsing goes on; AWS reports one of
// them by a fixed priority once the expression has parsed (the orders dynalite recorded).
type semErrs struct {
	reserved, unknownFunction, misusedFunction, section string
	attrName, attrVal, ref                              string // ref: the first of attrName and attrVal
	operand, distinct, function                         string
	pathOverlap, pathConflict                           string
	tooDeep                                             string
}

func setFirst(dst *string, msg string) {
	if *dst == "" {
		*dst = msg
	}
}

func firstOf(msgs ...string) string {
	for _, m := range msgs {
		if m != "" {
			return m
		}
	}
	return ""
}

// parseInfo tells what attributes an expression refers to at its top level.
type parseInfo struct {
	heads  map[string]bool // first elements of every path
	nested map[string]bool // first elements of paths longer than one element
}

type parser struct {
	src   string
	toks  []token
	pos   int
	ctx   *exprCtx
	sem   semErrs
	depth int
	info  parseInfo
}

// maxExprBytes is AWS's limit on an expression string: 4 KB (ServiceQuotas.html, "Expression
// parameters").
const maxExprBytes = 4096

// maxParseDepth bounds nesting of parentheses and NOT; far beyond any real expression, it only
// keeps hostile input from exhausting the stack.
const maxParseDepth = 100

func newParser(src string, ctx *exprCtx) *parser {
	return &parser{src: src, toks: lex(src), ctx: ctx,
		info: parseInfo{heads: map[string]bool{}, nested: map[string]bool{}}}
}

type syntaxError struct{ msg string }

func (e *syntaxError) Error() string { return e.msg }

func (p *parser) peek() token { return p.toks[p.pos] }

func (p *parser) peekAt(n int) token {
	if p.pos+n < len(p.toks) {
		return p.toks[p.pos+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.pos]
	if p.pos < len(p.toks)-1 {
		p.pos++
	}
	return t
}

// syntaxErr reports the current token as AWS does: the token, and the source from the token
// before it to the token after it ("token: \":\", near: \"hits : incr\"").
func (p *parser) syntaxErr() error {
	cur := p.toks[p.pos]
	start := cur.start
	if p.pos > 0 {
		start = p.toks[p.pos-1].start
	}
	end := cur.end
	if cur.kind != tEOF && p.pos+1 < len(p.toks) && p.toks[p.pos+1].kind != tEOF {
		end = p.toks[p.pos+1].end
	}
	if cur.kind == tEOF {
		end = len(p.src)
	}
	return &syntaxError{fmt.Sprintf("Syntax error; token: %q, near: %q", cur.text, p.src[start:end])}
}

func (p *parser) expect(k tokKind) error {
	if p.peek().kind != k {
		return p.syntaxErr()
	}
	p.next()
	return nil
}

// Keywords of the condition and update grammars; in a path position they are syntax errors.
var conditionKeywords = []string{"AND", "OR", "NOT", "BETWEEN", "IN"}
var updateClauses = []string{"SET", "REMOVE", "ADD", "DELETE"}

func (p *parser) isKeyword(t token) bool {
	for _, kw := range conditionKeywords {
		if t.isKeyword(kw) {
			return true
		}
	}
	for _, kw := range updateClauses {
		if t.isKeyword(kw) {
			return true
		}
	}
	return false
}

func validNameStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func (p *parser) resolveName(placeholder string) string {
	name, ok := p.ctx.names[placeholder]
	if !ok {
		msg := "An expression attribute name used in the document path is not defined; attribute name: " + placeholder
		setFirst(&p.sem.attrName, msg)
		setFirst(&p.sem.ref, msg)
		return placeholder
	}
	p.ctx.usedNames[placeholder] = true
	return name
}

func (p *parser) resolveValue(placeholder string) Value {
	v, ok := p.ctx.values[placeholder]
	if !ok {
		msg := "An expression attribute value used in expression is not defined; attribute value: " + placeholder
		setFirst(&p.sem.attrVal, msg)
		setFirst(&p.sem.ref, msg)
		return Value{}
	}
	p.ctx.usedValues[placeholder] = true
	return v
}

// pathName reads a name element of a path: a word or a #placeholder.
func (p *parser) pathName() (string, error) {
	t := p.peek()
	switch {
	case t.kind == tWord && validNameStart(t.text[0]) && !p.isKeyword(t):
		p.next()
		if isReserved(t.text) {
			setFirst(&p.sem.reserved, "Attribute name is a reserved keyword; reserved keyword: "+t.text)
		}
		return t.text, nil
	case t.kind == tName:
		p.next()
		return p.resolveName(t.text), nil
	}
	return "", p.syntaxErr()
}

// parsePath reads a document path: name ( '.' name | '[' index ']' )*.
func (p *parser) parsePath() (docPath, error) {
	first, err := p.pathName()
	if err != nil {
		return nil, err
	}
	path := docPath{{name: first, index: -1}}
	for {
		switch p.peek().kind {
		case tDot:
			p.next()
			name, err := p.pathName()
			if err != nil {
				return nil, err
			}
			path = append(path, pathElem{name: name, index: -1})
		case tLBracket:
			p.next()
			t := p.peek()
			if t.kind != tWord || !allDigits(t.text) {
				return nil, p.syntaxErr()
			}
			idx, err := strconv.Atoi(t.text)
			if err != nil || idx > 1<<24 {
				return nil, p.syntaxErr()
			}
			p.next()
			if err := p.expect(tRBracket); err != nil {
				return nil, err
			}
			path = append(path, pathElem{index: idx})
		default:
			if len(path) > maxNesting {
				// ours: AWS's text for a path nested too deeply was not found.
				setFirst(&p.sem.tooDeep, fmt.Sprintf("The document path has too many nesting levels; nesting levels: %d", len(path)))
			}
			p.info.heads[path[0].name] = true
			if len(path) > 1 {
				p.info.nested[path[0].name] = true
			}
			return path, nil
		}
	}
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxParseDepth {
		return p.syntaxErr()
	}
	return nil
}

// ---- condition expressions ----

// parseCondition parses a condition, filter or key condition expression. The message returned is
// AWS's, without the "Invalid ConditionExpression: " prefix the caller adds.
func parseCondition(src string, ctx *exprCtx) (*cond, parseInfo, string) {
	if msg := exprPrecheck(src); msg != "" {
		return nil, parseInfo{}, msg
	}
	p := newParser(src, ctx)
	c, err := p.parseOr()
	if err == nil && p.peek().kind != tEOF {
		err = p.syntaxErr()
	}
	if err != nil {
		return nil, p.info, err.Error()
	}
	if c.kind == cFunc && c.op == "size" {
		setFirst(&p.sem.misusedFunction, "The function is not allowed to be used this way in an expression; function: size")
	}
	s := p.sem
	if msg := firstOf(s.unknownFunction, s.misusedFunction, s.reserved, s.ref, s.operand, s.distinct, s.function, s.tooDeep); msg != "" {
		return nil, p.info, msg
	}
	return c, p.info, ""
}

func exprPrecheck(src string) string {
	if src == "" {
		return "The expression can not be empty;"
	}
	if len(src) > maxExprBytes {
		// ours: the limit is AWS's, the wording is not confirmed.
		return fmt.Sprintf("Expression size has exceeded the maximum allowed size; expression size: %d", len(src))
	}
	return ""
}

func (p *parser) parseOr() (*cond, error) {
	a, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	for p.peek().isKeyword("OR") {
		p.next()
		b, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		p.checkMisusedSize(a, b)
		a = &cond{kind: cOr, a: a, b: b}
	}
	return a, nil
}

func (p *parser) parseAnd() (*cond, error) {
	a, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	for p.peek().isKeyword("AND") {
		p.next()
		b, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		p.checkMisusedSize(a, b)
		a = &cond{kind: cAnd, a: a, b: b}
	}
	return a, nil
}

func (p *parser) parseNot() (*cond, error) {
	if p.peek().isKeyword("NOT") {
		p.next()
		if err := p.enter(); err != nil {
			return nil, err
		}
		c, err := p.parseNot()
		p.depth--
		if err != nil {
			return nil, err
		}
		p.checkMisusedSize(c)
		return &cond{kind: cNot, a: c}, nil
	}
	return p.parsePrimary()
}

func (p *parser) checkMisusedSize(cs ...*cond) {
	for _, c := range cs {
		if c.kind == cFunc && c.op == "size" {
			setFirst(&p.sem.misusedFunction, "The function is not allowed to be used this way in an expression; function: size")
		}
	}
}

var comparators = map[tokKind]string{tEq: "=", tNe: "<>", tLt: "<", tLe: "<=", tGt: ">", tGe: ">="}

func (p *parser) parsePrimary() (*cond, error) {
	if p.peek().kind == tLParen {
		p.next()
		if err := p.enter(); err != nil {
			return nil, err
		}
		c, err := p.parseOr()
		p.depth--
		if err != nil {
			return nil, err
		}
		if err := p.expect(tRParen); err != nil {
			return nil, err
		}
		return c, nil
	}
	left, err := p.parseOperand()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if op, ok := comparators[t.kind]; ok {
		p.next()
		right, err := p.parseOperand()
		if err != nil {
			return nil, err
		}
		p.checkMisusedFunction(left, right)
		p.checkDistinct(op, left, right)
		return &cond{kind: cCompare, op: op, args: []*operand{left, right}}, nil
	}
	switch {
	case t.isKeyword("BETWEEN"):
		p.next()
		lo, err := p.parseOperand()
		if err != nil {
			return nil, err
		}
		if !p.peek().isKeyword("AND") {
			return nil, p.syntaxErr()
		}
		p.next()
		hi, err := p.parseOperand()
		if err != nil {
			return nil, err
		}
		p.checkMisusedFunction(left, lo, hi)
		p.checkBetween(lo, hi)
		return &cond{kind: cBetween, op: "BETWEEN", args: []*operand{left, lo, hi}}, nil
	case t.isKeyword("IN"):
		p.next()
		if err := p.expect(tLParen); err != nil {
			return nil, err
		}
		args := []*operand{left}
		for {
			o, err := p.parseOperand()
			if err != nil {
				return nil, err
			}
			args = append(args, o)
			if p.peek().kind != tComma {
				break
			}
			p.next()
		}
		if err := p.expect(tRParen); err != nil {
			return nil, err
		}
		p.checkMisusedFunction(args...)
		return &cond{kind: cIn, op: "IN", args: args}, nil
	}
	if left.kind == oFunc {
		return &cond{kind: cFunc, op: left.fn, args: left.args}, nil
	}
	return nil, p.syntaxErr()
}

// parseOperand reads an operand of a condition: a path, a placeholder, or a function call.
func (p *parser) parseOperand() (*operand, error) {
	t := p.peek()
	switch t.kind {
	case tValue:
		p.next()
		return &operand{kind: oValue, val: p.resolveValue(t.text)}, nil
	case tWord:
		if p.peekAt(1).kind == tLParen && !p.isKeyword(t) {
			return p.parseCall(p.parseOperand, p.checkConditionFunction)
		}
	}
	path, err := p.parsePath()
	if err != nil {
		return nil, err
	}
	return &operand{kind: oPath, path: path}, nil
}

// parseCall reads name '(' args ')' with the given argument reader, then checks the call.
func (p *parser) parseCall(arg func() (*operand, error), check func(name string, args []*operand)) (*operand, error) {
	name := p.next().text
	p.next() // (
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	var args []*operand
	if p.peek().kind != tRParen {
		for {
			o, err := arg()
			if err != nil {
				return nil, err
			}
			args = append(args, o)
			if p.peek().kind != tComma {
				break
			}
			p.next()
		}
	}
	if err := p.expect(tRParen); err != nil {
		return nil, err
	}
	check(name, args)
	return &operand{kind: oFunc, fn: name, args: args}, nil
}

// conditionFunctions are the functions of condition expressions and their operand counts.
var conditionFunctions = map[string]int{
	"attribute_exists": 1, "attribute_not_exists": 1, "attribute_type": 2,
	"begins_with": 2, "contains": 2, "size": 1,
}

var validTypeNames = map[string]bool{"S": true, "N": true, "B": true, "NULL": true, "SS": true, "BOOL": true, "L": true, "BS": true, "NS": true, "M": true}

func (p *parser) checkConditionFunction(name string, args []*operand) {
	p.checkMisusedFunction(args...)
	want, ok := conditionFunctions[name]
	if !ok {
		setFirst(&p.sem.unknownFunction, "Invalid function name; function: "+name)
		return
	}
	if len(args) != want {
		setFirst(&p.sem.operand, fmt.Sprintf("Incorrect number of operands for operator or function; operator or function: %s, number of operands: %d", name, len(args)))
		return
	}
	if len(args) == 2 {
		p.checkDistinct(name, args[0], args[1])
	}
	badType := func(k kind) {
		setFirst(&p.sem.function, fmt.Sprintf("Incorrect operand type for operator or function; operator or function: %s, operand type: %s", name, k))
	}
	switch name {
	case "attribute_exists", "attribute_not_exists":
		if args[0].kind != oPath {
			setFirst(&p.sem.function, "Operator or function requires a document path; operator or function: "+name)
		}
	case "begins_with":
		for _, a := range args {
			if k := a.staticKind(); k != kindInvalid && k != kindS && k != kindB {
				badType(k)
				return
			}
		}
	case "attribute_type":
		k := args[1].staticKind()
		if k != kindS {
			shown := k.String()
			if k == kindInvalid {
				shown = "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}"
			}
			setFirst(&p.sem.function, fmt.Sprintf("Incorrect operand type for operator or function; operator or function: %s, operand type: %s", name, shown))
			return
		}
		if !validTypeNames[args[1].val.s] {
			setFirst(&p.sem.function, "Invalid attribute type name found; type: "+args[1].val.s+", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}")
		}
	case "size":
		if k := args[0].staticKind(); k == kindN || k == kindBOOL || k == kindNULL {
			badType(k)
		}
	}
}

func (p *parser) checkMisusedFunction(args ...*operand) {
	for _, a := range args {
		if a.kind == oFunc && a.fn != "size" {
			setFirst(&p.sem.misusedFunction, "The function is not allowed to be used this way in an expression; function: "+a.fn)
			return
		}
	}
}

func (p *parser) checkDistinct(op string, a, b *operand) {
	if a.kind == oPath && b.kind == oPath && a.path.equal(b.path) {
		setFirst(&p.sem.distinct, fmt.Sprintf("The first operand must be distinct from the remaining operands for this operator or function; operator: %s, first operand: %s", op, a.path))
	}
}

func (p *parser) checkBetween(lo, hi *operand) {
	if lo.kind != oValue || hi.kind != oValue || lo.val.k == kindInvalid || hi.val.k == kindInvalid {
		return
	}
	shown := "lower bound operand: AttributeValue: " + describe(lo.val) + ", upper bound operand: AttributeValue: " + describe(hi.val)
	if lo.val.k != hi.val.k {
		setFirst(&p.sem.function, "The BETWEEN operator requires same data type for lower and upper bounds; "+shown)
		return
	}
	if c, ok := compareScalars(lo.val, hi.val); ok && c > 0 {
		setFirst(&p.sem.function, "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "+shown)
	}
}

// ---- update expressions ----

// parseUpdate parses an update expression (Expressions.UpdateExpressions.html).
func parseUpdate(src string, ctx *exprCtx) (*update, parseInfo, string) {
	if msg := exprPrecheck(src); msg != "" {
		return nil, parseInfo{}, msg
	}
	p := newParser(src, ctx)
	u, err := p.parseUpdateClauses()
	if err != nil {
		return nil, p.info, err.Error()
	}
	paths := u.paths()
	for i := range paths {
		for j := 0; j < i; j++ {
			p.checkOverlap(paths[j], paths[i])
		}
	}
	s := p.sem
	if msg := firstOf(s.reserved, s.unknownFunction, s.section, s.attrName, s.attrVal, s.pathOverlap, s.pathConflict, s.operand, s.function, s.tooDeep); msg != "" {
		return nil, p.info, msg
	}
	return u, p.info, ""
}

func (p *parser) parseUpdateClauses() (*update, error) {
	u := &update{}
	seen := map[string]bool{}
	for {
		t := p.peek()
		clause := ""
		for _, c := range updateClauses {
			if t.isKeyword(c) {
				clause = c
			}
		}
		if clause == "" {
			return nil, p.syntaxErr()
		}
		if seen[clause] {
			setFirst(&p.sem.section, `The "`+clause+`" section can only be used once in an update expression;`)
		}
		seen[clause] = true
		p.next()
		for {
			a, err := p.parseUpdateAction(clause)
			if err != nil {
				return nil, err
			}
			u.actions = append(u.actions, a)
			if p.peek().kind != tComma {
				break
			}
			p.next()
		}
		if p.peek().kind == tEOF {
			return u, nil
		}
	}
}

// operandTypeNames are the names AWS gives types in ADD and DELETE operand errors.
var operandTypeNames = map[kind]string{kindS: "STRING", kindN: "NUMBER", kindB: "BINARY", kindNULL: "NULL", kindBOOL: "BOOLEAN", kindL: "LIST", kindM: "MAP"}

func (p *parser) parseUpdateAction(clause string) (updateAction, error) {
	path, err := p.parsePath()
	if err != nil {
		return updateAction{}, err
	}
	a := updateAction{clause: clause, path: path}
	switch clause {
	case "SET":
		if err := p.expect(tEq); err != nil {
			return a, err
		}
		if a.value, err = p.parseSetValue(); err != nil {
			return a, err
		}
	case "ADD", "DELETE":
		t := p.peek()
		if t.kind != tValue {
			return a, p.syntaxErr()
		}
		p.next()
		a.value = &operand{kind: oValue, val: p.resolveValue(t.text)}
		k := a.value.val.k
		if name, bad := operandTypeNames[k]; bad && !(clause == "ADD" && k == kindN) {
			setFirst(&p.sem.operand, "Incorrect operand type for operator or function; operator: "+clause+", operand type: "+name)
		}
	}
	return a, nil
}

// parseSetValue reads SET's right-hand side: operand [ ('+' | '-') operand ].
func (p *parser) parseSetValue() (*operand, error) {
	a, err := p.parseSetOperand()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if t.kind != tPlus && t.kind != tMinus {
		return a, nil
	}
	p.next()
	b, err := p.parseSetOperand()
	if err != nil {
		return nil, err
	}
	for _, o := range []*operand{a, b} {
		if k := o.staticKind(); k != kindInvalid && k != kindN {
			setFirst(&p.sem.function, fmt.Sprintf("Incorrect operand type for operator or function; operator or function: %s, operand type: %s", t.text, k))
			break
		}
	}
	return &operand{kind: oArith, fn: t.text, args: []*operand{a, b}}, nil
}

func (p *parser) parseSetOperand() (*operand, error) {
	t := p.peek()
	switch t.kind {
	case tValue:
		p.next()
		return &operand{kind: oValue, val: p.resolveValue(t.text)}, nil
	case tWord:
		if p.peekAt(1).kind == tLParen && !p.isKeyword(t) {
			return p.parseCall(p.parseSetValue, p.checkUpdateFunction)
		}
	}
	path, err := p.parsePath()
	if err != nil {
		return nil, err
	}
	return &operand{kind: oPath, path: path}, nil
}

var updateFunctions = map[string]int{"if_not_exists": 2, "list_append": 2}

func (p *parser) checkUpdateFunction(name string, args []*operand) {
	want, ok := updateFunctions[name]
	if !ok {
		setFirst(&p.sem.unknownFunction, "Invalid function name; function: "+name)
		return
	}
	if len(args) != want {
		setFirst(&p.sem.function, fmt.Sprintf("Incorrect number of operands for operator or function; operator or function: %s, number of operands: %d", name, len(args)))
		return
	}
	switch name {
	case "if_not_exists":
		if args[0].kind != oPath {
			setFirst(&p.sem.function, "Operator or function requires a document path; operator or function: "+name)
		}
	case "list_append":
		for _, a := range args {
			if k := a.staticKind(); k != kindInvalid && k != kindL {
				setFirst(&p.sem.function, fmt.Sprintf("Incorrect operand type for operator or function; operator or function: %s, operand type: %s", name, k))
				return
			}
		}
	}
}

// checkOverlap reports two paths of one update (or projection) that overlap: one a prefix of the
// other, or equal; or that conflict: the same prefix continued once by a name and once by an index.
func (p *parser) checkOverlap(one, two docPath) {
	for i := 0; i < len(one) && i < len(two); i++ {
		if one.isIndex(i) != two.isIndex(i) {
			setFirst(&p.sem.pathConflict, "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: "+one.String()+", path two: "+two.String())
			return
		}
		if one[i] != two[i] {
			return
		}
	}
	setFirst(&p.sem.pathOverlap, "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: "+one.String()+", path two: "+two.String())
}

// ---- projection expressions ----

// parseProjection parses a projection expression: paths separated by commas.
func parseProjection(src string, ctx *exprCtx) ([]docPath, parseInfo, string) {
	if msg := exprPrecheck(src); msg != "" {
		return nil, parseInfo{}, msg
	}
	p := newParser(src, ctx)
	var paths []docPath
	for {
		path, err := p.parsePath()
		if err != nil {
			return nil, p.info, err.Error()
		}
		paths = append(paths, path)
		if p.peek().kind != tComma {
			break
		}
		p.next()
	}
	if p.peek().kind != tEOF {
		return nil, p.info, p.syntaxErr().Error()
	}
	for i := range paths {
		for j := 0; j < i; j++ {
			p.checkOverlap(paths[j], paths[i])
		}
	}
	s := p.sem
	if msg := firstOf(s.reserved, s.attrName, s.pathOverlap, s.pathConflict, s.tooDeep); msg != "" {
		return nil, p.info, msg
	}
	return paths, p.info, ""
}

// isReserved reports whether a bare attribute name is one of DynamoDB's reserved words
// (case-insensitive, ReservedWords.html).
func isReserved(name string) bool {
	_, ok := reservedWords[strings.ToUpper(name)]
	return ok
}
