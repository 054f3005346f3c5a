package pattern

import (
	"fmt"
	"strings"
)

// wildcard is a compiled "wildcard" operand: literal segments separated by
// unescaped '*' characters, each '*' standing for any run of characters,
// including none.
type wildcard struct {
	segs []string // len(segs) == number of '*' + 1
}

// parseWildcard applies AWS's rules for wildcard values: any number of '*' but
// never two in a row; "\*" is a literal '*', "\\" a literal '\'; a backslash
// before anything else is an error.
func parseWildcard(s string) (*wildcard, error) {
	w := &wildcard{}
	var cur strings.Builder
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '*':
			if i+1 < len(s) && s[i+1] == '*' {
				return nil, fmt.Errorf("Consecutive wildcard characters at pos %d", i)
			}
			w.segs = append(w.segs, cur.String())
			cur.Reset()
		case '\\':
			if i+1 < len(s) && (s[i+1] == '*' || s[i+1] == '\\') {
				cur.WriteByte(s[i+1])
				i++
				continue
			}
			return nil, fmt.Errorf("Invalid escape character at pos %d", i)
		default:
			cur.WriteByte(s[i])
		}
	}
	w.segs = append(w.segs, cur.String())
	return w, nil
}

// match reports whether s matches. With only '*' as a metacharacter, taking
// the leftmost occurrence of each middle segment is always correct, so this is
// linear in len(s) per segment and cannot blow up.
func (w *wildcard) match(s string) bool {
	n := len(w.segs)
	if n == 1 {
		return s == w.segs[0]
	}
	first, last := w.segs[0], w.segs[n-1]
	if !strings.HasPrefix(s, first) {
		return false
	}
	s = s[len(first):]
	for _, seg := range w.segs[1 : n-1] {
		i := strings.Index(s, seg)
		if i < 0 {
			return false
		}
		s = s[i+len(seg):]
	}
	return strings.HasSuffix(s, last)
}
