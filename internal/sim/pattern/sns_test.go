package pattern

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func snsBody(policy string) (*Pattern, error) { return CompileSNS(policy, SNSMessageBody) }
func snsAttrs(policy string) (*Pattern, error) {
	return CompileSNS(policy, SNSMessageAttributes)
}

// attributes turns SNS message attributes into the event MatchValue expects,
// as the package documentation describes.
func attributes(t *testing.T, attrs map[string][2]string) map[string]any {
	t.Helper()
	ev := map[string]any{}
	for name, tv := range attrs {
		switch typ, val := tv[0], tv[1]; {
		case typ == "String":
			ev[name] = val
		case typ == "Number":
			ev[name] = json.Number(val)
		case strings.HasSuffix(typ, ".Array"):
			dec := json.NewDecoder(strings.NewReader(val))
			dec.UseNumber()
			var v any
			if err := dec.Decode(&v); err != nil {
				t.Fatalf("attribute %s: %v", name, err)
			}
			ev[name] = v
		}
	}
	return ev
}

// TestSNSNumericValueMatching uses SNS "Numeric value matching"
// (https://docs.aws.amazon.com/sns/latest/dg/numeric-value-matching.html).
func TestSNSNumericValueMatching(t *testing.T) {
	runMatchCases(t, snsBody, []matchCase{
		{"doc: exact 301.5", `{"price_usd": [{"numeric": ["=", 301.5]}]}`, `{"price_usd": 301.5}`, true},
		{"doc: exact 3.015e2", `{"price_usd": [{"numeric": ["=", 301.5]}]}`, `{"price_usd": 3.015e2}`, true},
		{"doc: anything-but 101", `{"price": [{"anything-but": [100, 500]}]}`, `{"price": 101}`, true},
		{"doc: anything-but 100.1", `{"price": [{"anything-but": [100, 500]}]}`, `{"price": 100.1}`, true},
		{"doc: anything-but [100, 50]", `{"price": [{"anything-but": [100, 500]}]}`, `{"price": [100, 50]}`, true},
		{"doc: anything-but 100", `{"price": [{"anything-but": [100, 500]}]}`, `{"price": 100}`, false},
		{"doc: negative", `{"price_usd": [{"numeric": ["<", 0]}]}`, `{"price_usd": -0.5}`, true},
		{"doc: negative, zero", `{"price_usd": [{"numeric": ["<", 0]}]}`, `{"price_usd": 0}`, false},
		{"doc: (0, 150]", `{"price_usd": [{"numeric": [">", 0, "<=", 150]}]}`, `{"price_usd": 150}`, true},
		{"doc: (0, 150], above", `{"price_usd": [{"numeric": [">", 0, "<=", 150]}]}`, `{"price_usd": 150.00001}`, false},
		{"five decimals: the sixth is dropped", `{"n": [{"numeric": ["=", 1]}]}`, `{"n": 1.000001}`, true},
		{"five decimals: the fifth counts", `{"n": [{"numeric": ["=", 1]}]}`, `{"n": 1.00001}`, false},
		{"range limit 1e9 inclusive", `{"n": [{"numeric": [">", 0]}]}`, `{"n": 1e9}`, true},
		{"above 1e9 never matches", `{"n": [{"numeric": [">", 0]}]}`, `{"n": 1000000000.5}`, false},
		{"plain numbers compare by value in SNS", `{"n": [300]}`, `{"n": 3.0e2}`, true},
		{"plain numbers, other value", `{"n": [300]}`, `{"n": 301}`, false},
		{"plain number out of SNS range compares as text", `{"n": [123456789012]}`, `{"n": 123456789012}`, true},
		{"plain number out of SNS range, other text", `{"n": [123456789012]}`, `{"n": 123456789012.0}`, false},
	})
}

// TestSNSStringAndKeyMatching uses SNS "String value matching", "Key matching"
// and "AND/OR logic", with message bodies.
func TestSNSStringAndKeyMatching(t *testing.T) {
	runMatchCases(t, snsBody, []matchCase{
		{"doc: exact rugby", `{"customer_interests": ["rugby", "tennis"]}`, `{"customer_interests": "rugby"}`, true},
		{"doc: exact baseball", `{"customer_interests": ["rugby", "tennis"]}`, `{"customer_interests": "baseball"}`, false},
		{"doc: prefix bas", `{"customer_interests": [{"prefix": "bas"}]}`, `{"customer_interests": "basketball"}`, true},
		{"doc: prefix rugby", `{"customer_interests": [{"prefix": "bas"}]}`, `{"customer_interests": "rugby"}`, false},
		{"doc: anything-but list", `{"customer_interests": [{"anything-but": ["rugby", "tennis"]}]}`, `{"customer_interests": ["rugby", "baseball"]}`, true},
		{"doc: anything-but prefix order-", `{"event": [{"anything-but": {"prefix": "order-"}}]}`, `{"event": "order_number"}`, true},
		{"doc: anything-but prefix order-cancelled", `{"event": [{"anything-but": {"prefix": "order-"}}]}`, `{"event": "order-cancelled"}`, false},
		{"doc: cidr 10.0.0.255", `{"source_ip": [{"cidr": "10.0.0.0/24"}]}`, `{"source_ip": "10.0.0.255"}`, true},
		{"doc: exists true", `{"store": [{"exists": true}]}`, `{"store": "fans", "customer_interests": ["baseball", "basketball"]}`, true},
		{"doc: exists true, missing", `{"store": [{"exists": true}]}`, `{"customer_interests": ["baseball", "basketball"]}`, false},
		{"doc: exists false, missing", `{"store": [{"exists": false}]}`, `{"customer_interests": ["baseball", "basketball"]}`, true},
		{"doc: AND", `{"customer_interests": ["rugby"], "price_usd": [{"numeric": [">", 100]}]}`, `{"customer_interests": "rugby", "price_usd": 101}`, true},
		{"doc: AND, one fails", `{"customer_interests": ["rugby"], "price_usd": [{"numeric": [">", 100]}]}`, `{"customer_interests": "rugby", "price_usd": 100}`, false},
		{"$or operator", `{"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}]}`, `{"source": "aws.cloudwatch", "namespace": "AWS/EC2"}`, true},
		{"$or with one object is a plain key", `{"$or": [{"prefix": "x"}]}`, `{"$or": "xyz"}`, true},
		{"$or with operator names is a plain key", `{"$or": [{"numeric": [">", 1]}, {"prefix": "abc"}]}`, `{"$or": "abcd"}`, true},
		{"$or as a nested key", `{"$or": {"a": ["x"]}}`, `{"$or": {"a": "x"}}`, true},
		{"nested body policy", `{"store": {"city": ["Seattle"]}}`, `{"store": {"city": "Seattle"}}`, true},
		{"equals-ignore-case", `{"a": [{"equals-ignore-case": "X"}]}`, `{"a": "x"}`, true},
		{"suffix", `{"a": [{"suffix": "-prod"}]}`, `{"a": "db-prod"}`, true},
	})
}

// TestSNSAttributes applies policies to message attributes, presented as the
// package documentation describes.
func TestSNSAttributes(t *testing.T) {
	cases := []struct {
		name   string
		policy string
		attrs  map[string][2]string
		want   bool
	}{
		{"doc: String rugby", `{"customer_interests": ["rugby", "tennis"]}`, map[string][2]string{"customer_interests": {"String", "rugby"}}, true},
		{"doc: Number 3.015e2", `{"price_usd": [{"numeric": ["=", 301.5]}]}`, map[string][2]string{"price_usd": {"Number", "3.015e2"}}, true},
		{"doc: Number.Array [100, 50]", `{"price": [{"anything-but": [100, 500]}]}`, map[string][2]string{"price": {"Number.Array", "[100, 50]"}}, true},
		{"doc: Number 100", `{"price": [{"anything-but": [100, 500]}]}`, map[string][2]string{"price": {"Number", "100"}}, false},
		{"doc: String.Array", `{"customer_interests": [{"anything-but": ["rugby", "tennis"]}]}`, map[string][2]string{"customer_interests": {"String.Array", `["rugby", "baseball"]`}}, true},
		{"doc: key exists", `{"store": [{"exists": true}]}`, map[string][2]string{"store": {"String", "fans"}, "customer_interests": {"String.Array", `["baseball", "basketball"]`}}, true},
		{"doc: key does not exist", `{"store": [{"exists": false}]}`, map[string][2]string{"customer_interests": {"String.Array", `["baseball", "basketball"]`}}, true},
		{"Binary attributes are left out", `{"blob": [{"exists": false}]}`, map[string][2]string{"blob": {"Binary", "AAEC"}}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := snsAttrs(tc.policy)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.MatchValue(attributes(t, tc.attrs)); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestSNSConstraints uses "Filter policy constraints in Amazon SNS".
func TestSNSConstraints(t *testing.T) {
	// "3 x 1 x 2 = 6" is the documented example.
	docExample := `{"key_a": ["value_one", "value_two", "value_three"], "key_b": ["value_one"], "key_c": ["value_one", "value_two"]}`
	if _, err := snsAttrs(docExample); err != nil {
		t.Errorf("doc example: %v", err)
	}
	values := func(n int) string {
		var vs []string
		for i := 0; i < n; i++ {
			vs = append(vs, fmt.Sprintf(`"v%d"`, i))
		}
		return "[" + strings.Join(vs, ",") + "]"
	}
	// 150 combinations is allowed, 151 is not.
	if _, err := snsAttrs(`{"a": ` + values(150) + `}`); err != nil {
		t.Errorf("150 combinations: %v", err)
	}
	if _, err := snsAttrs(`{"a": ` + values(15) + `, "b": ` + values(10) + `}`); err != nil {
		t.Errorf("15 x 10: %v", err)
	}
	// Five keys are allowed.
	if _, err := snsAttrs(`{"a": ["1"], "b": ["1"], "c": ["1"], "d": ["1"], "e": ["1"]}`); err != nil {
		t.Errorf("five keys: %v", err)
	}
	runInvalidCases(t, snsAttrs, []invalidCase{
		{"151 combinations", `{"a": ` + values(151) + `}`, "Filter policy is too complex", ""},
		{"product over 150", `{"a": ` + values(16) + `, "b": ` + values(10) + `}`, "Filter policy is too complex", ""},
		{"$or branches add up", `{"a": ` + values(10) + `, "$or": [{"b": ` + values(10) + `}, {"c": ` + values(6) + `}]}`, "Filter policy is too complex", ""},
		{"six keys", `{"a": ["1"], "b": ["1"], "c": ["1"], "d": ["1"], "e": ["1"], "f": ["1"]}`, "Filter policy can not have more than 5 keys", ""},
		{"nested in attribute scope", `{"store": {"city": ["Seattle"]}}`, "Filter policy scope MessageAttributes does not support nested filter policy", "store"},
		{"numeric beyond 1e9", `{"n": [{"numeric": [">", 1000000001]}]}`, "Value must be between -1.0E9 and 1.0E9, inclusive", "n"},
		{"anything-but beyond 1e9", `{"n": [{"anything-but": [2e9]}]}`, "Value must be between -1.0E9 and 1.0E9, inclusive", "n"},
		{"no wildcard in SNS", `{"a": [{"wildcard": "x*"}]}`, "Unrecognized match type wildcard", "a"},
		{"no anything-but wildcard in SNS", `{"a": [{"anything-but": {"wildcard": "x*"}}]}`, "Unsupported anything-but pattern: wildcard", "a"},
		{"empty array", `{"a": []}`, "Empty arrays are not allowed", "a"},
		{"not an object", `["a"]`, "Filter is not an object", ""},
	})
	runInvalidCases(t, snsBody, []invalidCase{
		{"body: six keys across nesting", `{"a": {"b": ["1"], "c": ["1"]}, "d": {"e": ["1"], "f": ["1"], "g": ["1"], "h": ["1"]}}`, "Filter policy can not have more than 5 keys", ""},
		{"body: nested product", `{"a": {"b": ` + values(20) + `, "c": ` + values(8) + `}}`, "Filter policy is too complex", ""},
	})
	if _, err := CompileSNS(`{"a": ["x"]}`, "Attributes"); err == nil {
		t.Error("unknown scope accepted")
	}
	if _, err := CompileSNS(`{"a": {"b": ["x"]}}`, ""); err == nil {
		t.Error("the default scope is MessageAttributes, which refuses nesting")
	}
}
