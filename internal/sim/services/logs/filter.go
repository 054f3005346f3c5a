package logs

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// A filterPattern is a compiled CloudWatch Logs filter pattern; see doc.go for the subset
// implemented. The zero value (the empty pattern) matches every event.
type filterPattern struct {
	// Unstructured patterns.
	all     []string // every one must appear
	any     []string // at least one must appear (the ?term form)
	exclude []string // none may appear
	// JSON patterns.
	json jsonExpr
}

func (p *filterPattern) match(message string) bool {
	if p.json != nil {
		dec := json.NewDecoder(strings.NewReader(message))
		dec.UseNumber()
		var doc any
		if dec.Decode(&doc) != nil {
			return false
		}
		return p.json.eval(doc)
	}
	for _, t := range p.all {
		if !strings.Contains(message, t) {
			return false
		}
	}
	for _, t := range p.exclude {
		if strings.Contains(message, t) {
			return false
		}
	}
	if len(p.any) == 0 {
		return true
	}
	for _, t := range p.any {
		if strings.Contains(message, t) {
			return true
		}
	}
	return false
}

// compileFilter compiles a pattern, answering InvalidParameterException for what is not valid
// or not supported.
func (s *Service) compileFilter(text string) (*filterPattern, *awswire.Error) {
	s.filtersMu.Lock()
	p, ok := s.filters[text]
	s.filtersMu.Unlock()
	if ok {
		return p, nil
	}
	p, err := parseFilterPattern(text)
	if err != nil {
		return nil, errInvalidParameter("Invalid filter pattern: %v", err)
	}
	s.filtersMu.Lock()
	if len(s.filters) > 1000 {
		clear(s.filters)
	}
	s.filters[text] = p
	s.filtersMu.Unlock()
	return p, nil
}

func parseFilterPattern(text string) (*filterPattern, error) {
	t := strings.TrimSpace(text)
	switch {
	case t == "" || t == `""`:
		return &filterPattern{}, nil
	case strings.HasPrefix(t, "{"):
		if !strings.HasSuffix(t, "}") {
			return nil, fmt.Errorf("a JSON filter pattern must end with }")
		}
		p := &jsonParser{src: t[1 : len(t)-1]}
		expr, err := p.parse()
		if err != nil {
			return nil, err
		}
		return &filterPattern{json: expr}, nil
	case strings.HasPrefix(t, "["):
		return nil, fmt.Errorf("space-delimited filter patterns ([...]) are not supported by the lambdatrigger simulator")
	case strings.HasPrefix(t, "%"):
		return nil, fmt.Errorf("regular-expression filter patterns (%%...%%) are not supported by the lambdatrigger simulator")
	}
	return parseTerms(t)
}

// parseTerms reads "term", "\"quoted phrase\"", "?term" and "-term" tokens.
func parseTerms(t string) (*filterPattern, error) {
	p := &filterPattern{}
	for i := 0; i < len(t); {
		if t[i] == ' ' || t[i] == '\t' {
			i++
			continue
		}
		kind := byte(0)
		if t[i] == '?' || t[i] == '-' {
			kind = t[i]
			i++
		}
		var term string
		if i < len(t) && t[i] == '"' {
			end := i + 1
			var b strings.Builder
			for ; end < len(t) && t[end] != '"'; end++ {
				if t[end] == '\\' && end+1 < len(t) {
					end++
				}
				b.WriteByte(t[end])
			}
			if end >= len(t) {
				return nil, fmt.Errorf("unterminated quoted term")
			}
			term = b.String()
			i = end + 1
		} else {
			start := i
			for i < len(t) && t[i] != ' ' && t[i] != '\t' {
				c := t[i]
				if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
					return nil, fmt.Errorf("invalid character %q in term %q: enclose terms with non-alphanumeric characters in double quotes", c, t[start:])
				}
				i++
			}
			term = t[start:i]
		}
		if term == "" {
			return nil, fmt.Errorf("empty term")
		}
		switch kind {
		case '?':
			p.any = append(p.any, term)
		case '-':
			p.exclude = append(p.exclude, term)
		default:
			p.all = append(p.all, term)
		}
	}
	if len(p.any) > 0 && (len(p.all) > 0 || len(p.exclude) > 0) {
		return nil, fmt.Errorf("mixing ?term alternatives with other terms is not supported by the lambdatrigger simulator")
	}
	return p, nil
}

// jsonExpr is a compiled JSON filter expression.
type jsonExpr interface {
	eval(doc any) bool
}

type andExpr []jsonExpr
type orExpr []jsonExpr

func (a andExpr) eval(doc any) bool {
	for _, e := range a {
		if !e.eval(doc) {
			return false
		}
	}
	return true
}

func (o orExpr) eval(doc any) bool {
	for _, e := range o {
		if e.eval(doc) {
			return true
		}
	}
	return false
}

type selectorStep struct {
	name    string
	index   int
	isIndex bool
}

type comparison struct {
	path []selectorStep
	op   string // = != < > <= >= or IS TRUE/FALSE/NULL, NOT EXISTS
	// literal
	str     string
	num     float64
	numText string
	isNum   bool
}

func (c *comparison) lookup(doc any) (any, bool) {
	cur := doc
	for _, st := range c.path {
		if st.isIndex {
			arr, ok := cur.([]any)
			if !ok || st.index >= len(arr) {
				return nil, false
			}
			cur = arr[st.index]
			continue
		}
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = obj[st.name]; !ok {
			return nil, false
		}
	}
	return cur, true
}

func (c *comparison) eval(doc any) bool {
	v, ok := c.lookup(doc)
	switch c.op {
	case "NOT EXISTS":
		return !ok
	case "IS NULL":
		return ok && v == nil
	case "IS TRUE":
		b, isBool := v.(bool)
		return ok && isBool && b
	case "IS FALSE":
		b, isBool := v.(bool)
		return ok && isBool && !b
	}
	if !ok {
		return false
	}
	if n, isNum := v.(json.Number); isNum && c.isNum {
		f, err := n.Float64()
		if err != nil {
			return false
		}
		switch c.op {
		case "=":
			return f == c.num
		case "!=":
			return f != c.num
		case "<":
			return f < c.num
		case ">":
			return f > c.num
		case "<=":
			return f <= c.num
		case ">=":
			return f >= c.num
		}
		return false
	}
	var text string
	switch x := v.(type) {
	case string:
		text = x
	case json.Number:
		text = x.String()
	case bool:
		text = strconv.FormatBool(x)
	default:
		return false
	}
	lit := c.str
	if c.isNum {
		lit = c.numText
	}
	switch c.op {
	case "=":
		return wildcardMatch(lit, text)
	case "!=":
		return !wildcardMatch(lit, text)
	}
	return false
}

// wildcardMatch matches text against a literal in which * stands for any run of characters.
func wildcardMatch(pattern, text string) bool {
	if !strings.Contains(pattern, "*") {
		return pattern == text
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(text, parts[0]) {
		return false
	}
	text = text[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(text, mid)
		if i < 0 {
			return false
		}
		text = text[i+len(mid):]
	}
	return strings.HasSuffix(text, last) && len(text) >= len(last)
}

// jsonParser parses the inside of { ... }.
type jsonParser struct {
	src string
	pos int
}

func (p *jsonParser) parse() (jsonExpr, error) {
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos != len(p.src) {
		return nil, fmt.Errorf("unexpected %q", p.src[p.pos:])
	}
	return e, nil
}

func (p *jsonParser) space() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t' || p.src[p.pos] == '\n') {
		p.pos++
	}
}

func (p *jsonParser) consume(tok string) bool {
	p.space()
	if strings.HasPrefix(p.src[p.pos:], tok) {
		p.pos += len(tok)
		return true
	}
	return false
}

func (p *jsonParser) or() (jsonExpr, error) {
	var terms orExpr
	for {
		e, err := p.and()
		if err != nil {
			return nil, err
		}
		terms = append(terms, e)
		if !p.consume("||") {
			break
		}
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return terms, nil
}

func (p *jsonParser) and() (jsonExpr, error) {
	var terms andExpr
	for {
		e, err := p.unary()
		if err != nil {
			return nil, err
		}
		terms = append(terms, e)
		if !p.consume("&&") {
			break
		}
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return terms, nil
}

func (p *jsonParser) unary() (jsonExpr, error) {
	if p.consume("(") {
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if !p.consume(")") {
			return nil, fmt.Errorf("missing )")
		}
		return e, nil
	}
	return p.comparison()
}

func (p *jsonParser) comparison() (jsonExpr, error) {
	p.space()
	if !p.consume("$") {
		return nil, fmt.Errorf("a JSON filter condition must start with a $ selector")
	}
	c := &comparison{}
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case '.':
			p.pos++
			start := p.pos
			for p.pos < len(p.src) && isSelectorChar(p.src[p.pos]) {
				p.pos++
			}
			if p.pos == start {
				return nil, fmt.Errorf("empty field name in selector")
			}
			c.path = append(c.path, selectorStep{name: p.src[start:p.pos]})
			continue
		case '[':
			end := strings.IndexByte(p.src[p.pos:], ']')
			if end < 0 {
				return nil, fmt.Errorf("missing ] in selector")
			}
			n, err := strconv.Atoi(p.src[p.pos+1 : p.pos+end])
			if err != nil || n < 0 {
				return nil, fmt.Errorf("only numeric array indexes are supported in selectors")
			}
			c.path = append(c.path, selectorStep{index: n, isIndex: true})
			p.pos += end + 1
			continue
		}
		break
	}
	if len(c.path) == 0 {
		return nil, fmt.Errorf("a selector must name a field")
	}
	p.space()
	for _, op := range []string{"IS TRUE", "IS FALSE", "IS NULL", "NOT EXISTS"} {
		if p.consume(op) {
			c.op = op
			return c, nil
		}
	}
	for _, op := range []string{"!=", "<=", ">=", "=", "<", ">"} {
		if p.consume(op) {
			c.op = op
			break
		}
	}
	if c.op == "" {
		return nil, fmt.Errorf("expected an operator after the selector")
	}
	p.space()
	if p.pos >= len(p.src) {
		return nil, fmt.Errorf("missing value after %s", c.op)
	}
	if p.src[p.pos] == '"' {
		end := p.pos + 1
		var b strings.Builder
		for ; end < len(p.src) && p.src[end] != '"'; end++ {
			if p.src[end] == '\\' && end+1 < len(p.src) {
				end++
			}
			b.WriteByte(p.src[end])
		}
		if end >= len(p.src) {
			return nil, fmt.Errorf("unterminated string")
		}
		c.str = b.String()
		p.pos = end + 1
	} else {
		start := p.pos
		for p.pos < len(p.src) && isValueChar(p.src[p.pos]) {
			p.pos++
		}
		word := p.src[start:p.pos]
		if word == "" {
			return nil, fmt.Errorf("missing value after %s", c.op)
		}
		if f, err := strconv.ParseFloat(word, 64); err == nil && json.Valid([]byte(word)) {
			c.isNum, c.num, c.numText = true, f, word
		} else {
			c.str = word
		}
	}
	if !c.isNum && c.op != "=" && c.op != "!=" {
		return nil, fmt.Errorf("%s compares numbers only", c.op)
	}
	return c, nil
}

func isSelectorChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '@'
}

func isValueChar(c byte) bool {
	return isSelectorChar(c) || c == '.' || c == '*' || c == ':' || c == '/' || c == '+'
}
