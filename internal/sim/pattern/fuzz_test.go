package pattern

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// FuzzCompileMatch checks that compiling never panics, that every refusal is
// an *Error, and that matching a compiled pattern never panics and agrees
// between Match and MatchValue.
func FuzzCompileMatch(f *testing.F) {
	seeds := [][2]string{
		{`{"source": ["aws.ec2"], "detail": {"state": ["terminated"]}}`, ec2Event},
		{`{"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}], "x-limit": [{"numeric": ["=", 3.018e2]}]}}`, `{"detail": {"c-count": 5, "x-limit": 301.8}}`},
		{`{"a": [{"anything-but": {"wildcard": ["*/lib/*", "x\\*"]}}]}`, `{"a": ["/usr/lib/a", "x*"]}`},
		{`{"a": [{"prefix": {"equals-ignore-case": "ÉT"}}, {"suffix": "z"}]}`, `{"a": "été"}`},
		{`{"ip": [{"cidr": "2001:db8::/32"}, {"cidr": "10.0.0.0/8"}]}`, `{"ip": ["10.1.2.3", "::1"]}`},
		{`{"$or": [{"a": [{"exists": false}]}, {"b": [null, true, 1e-7]}]}`, `{"b": [[null]]}`},
		{`{"d": {"a": ["x"], "$or": [{"b": ["y"]}, {"c": [{"wildcard": "*a*b*"}]}]}}`, `{"d": [{"a": "x", "c": "xaxb"}, 1, []]}`},
		{`{"n": [{"numeric": [">=", -5e9, "<", 5e9]}]}`, `{"n": 1e999999999}`},
		{`{"n": [{"anything-but": [1, 2.5]}]}`, `{"n": -0.0000001}`},
		{`{"a": []}`, `{}`},
		{`{"a": [{"wildcard": "a**"}]}`, `[]`},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, event string) {
		compilers := []func(string) (*Pattern, error){
			Compile,
			func(s string) (*Pattern, error) { return CompileSNS(s, SNSMessageBody) },
			func(s string) (*Pattern, error) { return CompileSNS(s, SNSMessageAttributes) },
		}
		for _, compile := range compilers {
			p, err := compile(pattern)
			if err != nil {
				var pe *Error
				if !errors.As(err, &pe) {
					t.Fatalf("refusal is %T, not *Error: %v", err, err)
				}
				if p != nil {
					t.Fatal("pattern returned with an error")
				}
				continue
			}
			got, err := p.Match([]byte(event))
			if err != nil {
				continue
			}
			// MatchValue on a UseNumber decoding must agree with Match.
			dec := json.NewDecoder(strings.NewReader(event))
			dec.UseNumber()
			var v any
			if err := dec.Decode(&v); err != nil {
				t.Fatalf("Match accepted an event the decoder refuses: %v", err)
			}
			if p.MatchValue(v) != got {
				t.Fatal("Match and MatchValue disagree")
			}
			// Go float64 numbers lose their literal but must not panic.
			var fv any
			if json.Unmarshal([]byte(event), &fv) == nil {
				_ = p.MatchValue(fv)
			}
		}
	})
}
