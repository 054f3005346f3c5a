package pattern

import (
	"errors"
	"strings"
	"testing"
)

type invalidCase struct {
	name    string
	pattern string
	reason  string // expected Error.Reason (prefix match)
	path    string
}

func runInvalidCases(t *testing.T, compile func(string) (*Pattern, error), cases []invalidCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := compile(tc.pattern)
			if err == nil {
				t.Fatalf("pattern %s compiled (%v), want error %q", tc.pattern, p, tc.reason)
			}
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v is not *Error", err, err)
			}
			if !strings.HasPrefix(pe.Reason, tc.reason) {
				t.Errorf("pattern %s\nreason %q\nwant   %q", tc.pattern, pe.Reason, tc.reason)
			}
			if pe.Path != tc.path {
				t.Errorf("pattern %s: path %q, want %q", tc.pattern, pe.Path, tc.path)
			}
		})
	}
}

func TestInvalidPatterns(t *testing.T) {
	runInvalidCases(t, Compile, []invalidCase{
		// Document shape.
		{"not JSON", `{"a": [`, "Filter is not valid JSON", ""},
		{"trailing data", `{"a": ["x"]} {}`, "Filter is not valid JSON", ""},
		{"trailing comma (as in an old AWS example)", `{"time": [{"prefix": "2017-10-02"}],}`, "Filter is not valid JSON", ""},
		{"empty input", ``, "Filter is not valid JSON", ""},
		{"array", `[{"a": ["x"]}]`, "Filter is not an object", ""},
		{"string", `"x"`, "Filter is not an object", ""},
		{"null", `null`, "Filter is not an object", ""},
		{"empty object", `{}`, "Empty objects are not allowed", ""},
		{"empty nested object", `{"detail": {}}`, "Empty objects are not allowed", "detail"},
		{"too deep", strings.Repeat(`{"a":`, 300) + `["x"]` + strings.Repeat(`}`, 300), "Filter is not valid JSON", ""},
		// Fields.
		{"string leaf (buildkite's mistake)", `{"detail": {"pipeline": {"slug": "some-pipeline"}}}`, `"slug" must be an object or an array`, "detail.pipeline.slug"},
		{"number leaf", `{"a": 1}`, `"a" must be an object or an array`, "a"},
		{"null leaf", `{"a": null}`, `"a" must be an object or an array`, "a"},
		{"bool leaf", `{"a": true}`, `"a" must be an object or an array`, "a"},
		{"empty array", `{"source": []}`, "Empty arrays are not allowed", "source"},
		{"nested array", `{"a": [["x"]]}`, "Match value must be String, number, true, false, or null", "a"},
		// Operators.
		{"empty operator", `{"a": [{}]}`, "Match expression name not found", "a"},
		{"two keys in an operator", `{"a": [{"prefix": "x", "suffix": "y"}]}`, "Only one key allowed in match expression", "a"},
		{"unknown operator", `{"a": [{"contains": "x"}]}`, "Unrecognized match type contains", "a"},
		{"operator names are case sensitive", `{"a": [{"Prefix": "x"}]}`, "Unrecognized match type Prefix", "a"},
		{"prefix number", `{"a": [{"prefix": 1}]}`, "prefix match pattern must be a string", "a"},
		{"prefix list", `{"a": [{"prefix": ["x"]}]}`, "prefix match pattern must be a string", "a"},
		{"prefix null", `{"a": [{"prefix": null}]}`, "prefix match pattern must be a string", "a"},
		{"prefix unknown nested operator", `{"a": [{"prefix": {"wildcard": "x"}}]}`, "Unsupported prefix pattern: wildcard", "a"},
		{"prefix empty nested object", `{"a": [{"prefix": {}}]}`, "prefix expression name not found", "a"},
		{"prefix equals-ignore-case not string", `{"a": [{"prefix": {"equals-ignore-case": 1}}]}`, "equals-ignore-case match pattern must be a string", "a"},
		{"prefix two nested keys", `{"a": [{"prefix": {"equals-ignore-case": "x", "b": "y"}}]}`, "Only one key allowed in match expression", "a"},
		{"suffix number", `{"a": [{"suffix": 1}]}`, "suffix match pattern must be a string", "a"},
		{"suffix unknown nested operator", `{"a": [{"suffix": {"prefix": "x"}}]}`, "Unsupported suffix pattern: prefix", "a"},
		{"equals-ignore-case number", `{"a": [{"equals-ignore-case": 5}]}`, "equals-ignore-case match pattern must be a string", "a"},
		{"exists string", `{"a": [{"exists": "true"}]}`, "exists match pattern must be either true or false.", "a"},
		{"exists null", `{"a": [{"exists": null}]}`, "exists match pattern must be either true or false.", "a"},
		{"cidr number", `{"a": [{"cidr": 10}]}`, "cidr match pattern must be a string", "a"},
		{"cidr without mask", `{"a": [{"cidr": "10.0.0.0"}]}`, "Malformed CIDR, one '/' required", "a"},
		{"cidr two slashes", `{"a": [{"cidr": "10.0.0.0/8/8"}]}`, "Malformed CIDR, one '/' required", "a"},
		{"cidr mask not a number", `{"a": [{"cidr": "10.0.0.0/x"}]}`, "Malformed CIDR, mask bits must be an integer", "a"},
		{"cidr empty mask", `{"a": [{"cidr": "10.0.0.0/"}]}`, "Malformed CIDR, mask bits must be an integer", "a"},
		{"cidr negative mask", `{"a": [{"cidr": "10.0.0.0/-1"}]}`, "Malformed CIDR, mask bits must not be negative", "a"},
		{"cidr bad address", `{"a": [{"cidr": "10.0.0.256/8"}]}`, "Invalid IP address: 10.0.0.256", "a"},
		{"cidr hostname", `{"a": [{"cidr": "example.com/8"}]}`, "Invalid IP address: example.com", "a"},
		{"cidr IPv4 mask too long", `{"a": [{"cidr": "10.0.0.0/33"}]}`, "IPv4 mask bits must be between 0 and 32", "a"},
		{"cidr IPv6 mask too long", `{"a": [{"cidr": "2001:db8::/129"}]}`, "IPv6 mask bits must be between 0 and 128", "a"},
		{"cidr huge mask", `{"a": [{"cidr": "10.0.0.0/99999999999999999999"}]}`, "IPv4 mask bits must be between 0 and 32", "a"},
		{"cidr zone", `{"a": [{"cidr": "fe80::1%eth0/64"}]}`, "Invalid IP address: fe80::1%eth0", "a"},
		// Wildcard.
		{"wildcard number", `{"a": [{"wildcard": 1}]}`, "wildcard match pattern must be a string", "a"},
		{"wildcard consecutive stars", `{"a": [{"wildcard": "a**b"}]}`, "Consecutive wildcard characters at pos 1", "a"},
		{"wildcard bad escape", `{"a": [{"wildcard": "a\\b"}]}`, "Invalid escape character at pos 1", "a"},
		{"wildcard trailing backslash", `{"a": [{"wildcard": "ab\\"}]}`, "Invalid escape character at pos 2", "a"},
		// Numeric.
		{"numeric not an array", `{"a": [{"numeric": ">"}]}`, "Value of numeric must be an array.", "a"},
		{"numeric empty", `{"a": [{"numeric": []}]}`, "Invalid member in numeric match", "a"},
		{"numeric number first", `{"a": [{"numeric": [5, ">"]}]}`, "Invalid member in numeric match: 5", "a"},
		{"numeric unknown operator", `{"a": [{"numeric": ["!=", 5]}]}`, "Unrecognized numeric range operator: !=", "a"},
		{"numeric operator only", `{"a": [{"numeric": [">"]}]}`, "Value of > must be numeric", "a"},
		{"numeric string value", `{"a": [{"numeric": [">", "5"]}]}`, "Value of > must be numeric", "a"},
		{"numeric null value", `{"a": [{"numeric": ["=", null]}]}`, "Value of = must be numeric", "a"},
		{"numeric = with a second term", `{"a": [{"numeric": ["=", 5, "<", 6]}]}`, "Too many elements in numeric expression", "a"},
		{"numeric < with a second term", `{"a": [{"numeric": ["<", 10, ">", 0]}]}`, "Too many elements in numeric expression", "a"},
		{"numeric too many terms", `{"a": [{"numeric": [">", 0, "<", 5, "<", 6]}]}`, "Too many elements in numeric expression", "a"},
		{"numeric second operator not upper", `{"a": [{"numeric": [">", 0, ">", 5]}]}`, "Bad numeric range operator: >", "a"},
		{"numeric second operator =", `{"a": [{"numeric": [">", 0, "=", 5]}]}`, "Bad numeric range operator: =", "a"},
		{"numeric second term not a string", `{"a": [{"numeric": [">", 0, 5]}]}`, "Bad value in numeric range: 5", "a"},
		{"numeric missing upper value", `{"a": [{"numeric": [">", 0, "<"]}]}`, "Value of < must be numeric", "a"},
		{"numeric upper value string", `{"a": [{"numeric": [">", 0, "<", "5"]}]}`, "Value of < must be numeric", "a"},
		{"numeric empty range", `{"a": [{"numeric": [">", 5, "<", 5]}]}`, "Bottom must be less than top", "a"},
		{"numeric inverted range", `{"a": [{"numeric": [">=", 10, "<=", 1]}]}`, "Bottom must be less than top", "a"},
		{"numeric above range", `{"a": [{"numeric": [">", 5000000001]}]}`, "Value must be between -5.0E9 and 5.0E9, inclusive", "a"},
		{"numeric below range", `{"a": [{"numeric": ["<", -5.0000001e9]}]}`, "Value must be between -5.0E9 and 5.0E9, inclusive", "a"},
		{"numeric huge exponent", `{"a": [{"numeric": ["=", 1e999999999]}]}`, "Value must be between -5.0E9 and 5.0E9, inclusive", "a"},
		{"numeric two-operand range out of range", `{"a": [{"numeric": [">", 0, "<", 1e10]}]}`, "Value must be between -5.0E9 and 5.0E9, inclusive", "a"},
		// anything-but.
		{"anything-but null", `{"a": [{"anything-but": null}]}`, "Value of anything-but must be an array or single string/number value.", "a"},
		{"anything-but bool", `{"a": [{"anything-but": true}]}`, "Value of anything-but must be an array or single string/number value.", "a"},
		{"anything-but empty list", `{"a": [{"anything-but": []}]}`, "Empty arrays are not allowed", "a"},
		{"anything-but mixed list", `{"a": [{"anything-but": ["x", 1]}]}`, "Inside anything-but list, either all values are number or string", "a"},
		{"anything-but null in list", `{"a": [{"anything-but": ["x", null]}]}`, "Inside anything-but list, only strings and numbers are allowed, not null", "a"},
		{"anything-but object in list", `{"a": [{"anything-but": [{"prefix": "x"}]}]}`, "Inside anything-but list, only strings and numbers are allowed", "a"},
		{"anything-but number out of range", `{"a": [{"anything-but": [1, 6e9]}]}`, "Value must be between -5.0E9 and 5.0E9, inclusive", "a"},
		{"anything-but empty object", `{"a": [{"anything-but": {}}]}`, "Anything-But expression name not found", "a"},
		{"anything-but unsupported nested", `{"a": [{"anything-but": {"numeric": [">", 1]}}]}`, "Unsupported anything-but pattern: numeric", "a"},
		{"anything-but nested anything-but", `{"a": [{"anything-but": {"anything-but": "x"}}]}`, "Unsupported anything-but pattern: anything-but", "a"},
		{"anything-but nested two keys", `{"a": [{"anything-but": {"prefix": "x", "suffix": "y"}}]}`, "Only one key allowed in match expression", "a"},
		{"anything-but empty prefix", `{"a": [{"anything-but": {"prefix": ""}}]}`, "Null prefix/suffix not allowed", "a"},
		{"anything-but empty suffix in list", `{"a": [{"anything-but": {"suffix": [".png", ""]}}]}`, "Null prefix/suffix not allowed", "a"},
		{"anything-but prefix number", `{"a": [{"anything-but": {"prefix": 1}}]}`, "anything-but prefix values must be strings, not 1", "a"},
		{"anything-but equals-ignore-case number", `{"a": [{"anything-but": {"equals-ignore-case": [1]}}]}`, "anything-but equals-ignore-case values must be strings, not 1", "a"},
		{"anything-but prefix empty list", `{"a": [{"anything-but": {"prefix": []}}]}`, "Empty arrays are not allowed", "a"},
		{"anything-but bad wildcard", `{"a": [{"anything-but": {"wildcard": "a**"}}]}`, "Consecutive wildcard characters at pos 1", "a"},
		// $or.
		{"$or not an array", `{"$or": {"a": ["x"]}}`, "$or must be an array of at least 2 objects", "$or"},
		{"$or one object", `{"$or": [{"a": ["x"]}]}`, "There must be at least 2 objects in a $or relationship", "$or"},
		{"$or empty", `{"$or": []}`, "There must be at least 2 objects in a $or relationship", "$or"},
		{"$or with a string", `{"$or": [{"a": ["x"]}, "b"]}`, "Only JSON objects are allowed in the array of a $or relationship", "$or"},
		{"$or nested path", `{"detail": {"$or": [{"a": ["x"]}, "b"]}}`, "Only JSON objects are allowed in the array of a $or relationship", "detail.$or"},
		{"$or with an empty object", `{"$or": [{"a": ["x"]}, {}]}`, "Empty objects are not allowed", ""},
		{"$or branch with a bad leaf", `{"$or": [{"a": ["x"]}, {"b": []}]}`, "Empty arrays are not allowed", "b"},
		{"$or branch uses an operator name", `{"$or": [{"numeric": [">", 1]}, {"prefix": ["x"]}]}`, `"numeric" is a reserved keyword and cannot be used as a field name inside $or`, "numeric"},
		{"$or branch uses an operator name deeper", `{"$or": [{"a": ["x"]}, {"detail": {"exists": ["x"]}}]}`, `"exists" is a reserved keyword`, "detail.exists"},
	})
}

func TestOperatorNamesOutsideOrAreFields(t *testing.T) {
	// Outside "$or", a field may be called like an operator.
	runMatchCases(t, Compile, []matchCase{
		{"field named prefix", `{"prefix": ["x"]}`, `{"prefix": "x"}`, true},
		{"field named numeric, nested", `{"detail": {"numeric": [1]}}`, `{"detail": {"numeric": 1}}`, true},
	})
}
