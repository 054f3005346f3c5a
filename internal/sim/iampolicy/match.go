package iampolicy

import "strings"

// wildcard matches s against pattern, where * matches any run of characters (also none) and ?
// exactly one. It compares bytes: callers lower-case both sides for case-insensitive matching.
func wildcard(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// actionMatch: action names and service prefixes are case-insensitive.
func actionMatch(pattern, action string) bool {
	return wildcard(strings.ToLower(pattern), strings.ToLower(action))
}

// arnMatch compares an ARN with a pattern part by part (arn, partition, service, region,
// account, resource), each part case-sensitively with wildcards, as ArnLike and the Resource
// element do: a wildcard in the region part cannot swallow the account. The resource part is
// the rest of the ARN, colons included. A pattern with fewer than six parts matches its last
// part against the rest of the ARN; "*" matches anything.
func arnMatch(pattern, arn string) bool {
	if pattern == "*" {
		return true
	}
	pp := strings.SplitN(pattern, ":", 6)
	ap := strings.SplitN(arn, ":", 6)
	if len(ap) < 6 || len(pp) < 2 {
		return pattern == arn
	}
	last := len(pp) - 1
	for i := 0; i < last; i++ {
		if !wildcard(pp[i], ap[i]) {
			return false
		}
	}
	return wildcard(pp[last], strings.Join(ap[last:], ":"))
}

// substitute replaces the policy variables of a 2012-10-17 document — ${key}, and the escapes
// ${*}, ${?}, ${$} — with their values. ok is false when a variable is not in the context:
// the element holding it then matches nothing. A default (${key, 'value'}) is honoured.
func substitute(s string, ctx map[string]string, version string) (string, bool) {
	if version != versionCurrent || !strings.Contains(s, "${") {
		return s, true
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), true
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String(), true
		}
		b.WriteString(s[:i])
		name := s[i+2 : i+j]
		s = s[i+j+1:]
		switch name {
		case "*", "?", "$":
			b.WriteString(literal(name))
			continue
		}
		key, def, hasDefault := strings.Cut(name, ",")
		key = strings.ToLower(strings.TrimSpace(key))
		if v, ok := ctx[key]; ok {
			b.WriteString(literal(v))
			continue
		}
		def = strings.TrimSpace(def)
		if hasDefault && len(def) >= 2 && def[0] == '\'' && def[len(def)-1] == '\'' {
			b.WriteString(literal(def[1 : len(def)-1]))
			continue
		}
		return "", false
	}
}

// resourceMatch matches a Resource/NotResource value (with its variables) against an ARN.
func resourceMatch(pattern, resource string, ctx map[string]string, version string) bool {
	p, ok := substitute(pattern, ctx, version)
	if !ok {
		return false
	}
	return arnMatch(p, literal(resource))
}

// A '*' or '?' that a variable puts in a pattern is a plain character, not a wildcard: both
// the pattern's literal characters and the string it is matched with carry them as two
// control characters that no ARN or condition value holds, so they only match each other.
const (
	literalStar     = '\x00'
	literalQuestion = '\x01'
)

var literalReplacer = strings.NewReplacer("*", string(rune(literalStar)), "?", string(rune(literalQuestion)))

func literal(s string) string {
	if !strings.ContainsAny(s, "*?") {
		return s
	}
	return literalReplacer.Replace(s)
}
