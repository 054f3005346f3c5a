package dynamodb

import (
	"strings"
	"unicode/utf8"
)

// The expression language (Expressions.html and its subpages): condition, filter and key
// condition expressions share one grammar, update and projection expressions have their own.
// One lexer serves all three.

type tokKind uint8

const (
	tEOF      tokKind = iota
	tWord             // [A-Za-z0-9_]+: an attribute name, keyword, function name or list index
	tName             // #name: an expression attribute name
	tValue            // :name: an expression attribute value
	tLParen           // (
	tRParen           // )
	tLBracket         // [
	tRBracket         // ]
	tComma            // ,
	tDot              // .
	tEq               // =
	tNe               // <>
	tLt               // <
	tLe               // <=
	tGt               // >
	tGe               // >=
	tPlus             // +
	tMinus            // -
	tBad              // anything else
)

type token struct {
	kind       tokKind
	text       string
	start, end int
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

// lex splits an expression into tokens, ending with tEOF. It never fails: characters outside the
// language become tBad tokens, which the parser reports as AWS does ("Syntax error; token: ...").
func lex(src string) []token {
	var toks []token
	i := 0
	for {
		for i < len(src) && isSpace(src[i]) {
			i++
		}
		if i >= len(src) {
			return append(toks, token{kind: tEOF, text: "<EOF>", start: len(src), end: len(src)})
		}
		start := i
		c := src[i]
		kind := tBad
		switch {
		case isWordByte(c):
			for i < len(src) && isWordByte(src[i]) {
				i++
			}
			kind = tWord
		case c == '#' || c == ':':
			i++
			for i < len(src) && isWordByte(src[i]) {
				i++
			}
			if i > start+1 {
				kind = tName
				if c == ':' {
					kind = tValue
				}
			}
		case c == '<':
			i++
			kind = tLt
			if i < len(src) && src[i] == '=' {
				i++
				kind = tLe
			} else if i < len(src) && src[i] == '>' {
				i++
				kind = tNe
			}
		case c == '>':
			i++
			kind = tGt
			if i < len(src) && src[i] == '=' {
				i++
				kind = tGe
			}
		default:
			i++
			switch c {
			case '(':
				kind = tLParen
			case ')':
				kind = tRParen
			case '[':
				kind = tLBracket
			case ']':
				kind = tRBracket
			case ',':
				kind = tComma
			case '.':
				kind = tDot
			case '=':
				kind = tEq
			case '+':
				kind = tPlus
			case '-':
				kind = tMinus
			default:
				// One whole (possibly multi-byte) character.
				_, size := utf8.DecodeRuneInString(src[start:])
				i = start + size
			}
		}
		toks = append(toks, token{kind: kind, text: src[start:i], start: start, end: i})
	}
}

// isKeyword reports whether a word token is the keyword kw (keywords are case-insensitive).
func (t token) isKeyword(kw string) bool {
	return t.kind == tWord && strings.EqualFold(t.text, kw)
}
