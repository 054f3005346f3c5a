package dynamodb

import (
	"bytes"
	"encoding/json"
	"sort"
	"testing"
)

func TestNumber_canonicalFormAndLimits(t *testing.T) {
	for _, tc := range []struct {
		in, want, msg string
	}{
		{"1.50", "1.5", ""},
		{"-0", "0", ""},
		{"+007", "7", ""},
		{"1e3", "1000", ""},
		{"1.25E-2", "0.0125", ""},
		{".5", "0.5", ""},
		{"5.", "5", ""},
		{"0e999999999999", "0", ""},
		{"12345678901234567890123456789012345678", "12345678901234567890123456789012345678", ""},
		{"123456789012345678901234567890123456789", "", msgTooPrecise},
		{"1000000000000000000000000000000000000000", "1000000000000000000000000000000000000000", ""}, // 1 significant digit
		{"9.9999999999999999999999999999999999999E+125", "", ""},
		{"1E+126", "", msgOverflow},
		{"1E-130", "", ""},
		{"1E-131", "", msgUnderflow},
		{"", "", msgNotANumber},
		{"abc", "", msgNumberFormat + "abc"},
		{"1.2.3", "", msgNumberFormat + "1.2.3"},
		{"1e", "", msgNumberFormat + "1e"},
		{"--1", "", msgNumberFormat + "--1"},
		{"0x10", "", msgNumberFormat + "0x10"},
		{" 1", "", msgNumberFormat + " 1"},
	} {
		d, msg := parseNumber(tc.in)
		if msg != tc.msg {
			t.Errorf("parseNumber(%q): message %q, want %q", tc.in, msg, tc.msg)
			continue
		}
		if msg == "" && tc.want != "" && d.String() != tc.want {
			t.Errorf("parseNumber(%q) = %s, want %s", tc.in, d.String(), tc.want)
		}
	}
}

func TestNumber_compareAndAdd(t *testing.T) {
	ordered := []string{"-1E+125", "-100", "-10.5", "-10", "-0.001", "0", "0.000000000001", "0.1", "1", "1.0000001", "9", "10", "10.5", "1E+125"}
	for i := range ordered {
		for j := range ordered {
			a, _ := parseNumber(ordered[i])
			b, _ := parseNumber(ordered[j])
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := a.Cmp(b); got != want {
				t.Errorf("Cmp(%s, %s) = %d, want %d", ordered[i], ordered[j], got, want)
			}
			// The store's key encoding sorts the same way.
			ka, kb := appendNumberKey(nil, a.String()), appendNumberKey(nil, b.String())
			if got := bytes.Compare(ka, kb); got != want {
				t.Errorf("key order of %s, %s = %d, want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
	for _, tc := range []struct {
		a, b     string
		subtract bool
		want     string
		msg      string
	}{
		{"1", "2", false, "3", ""},
		{"0.1", "0.2", false, "0.3", ""},
		{"10", "0.001", true, "9.999", ""},
		{"-5", "5", false, "0", ""},
		{"99999999999999999999999999999999999999", "1", false, "100000000000000000000000000000000000000", ""},
		{"99999999999999999999999999999999999999", "0.1", false, "", msgTooPrecise},
		{"12345678901234567890123456789012345678", "0", false, "12345678901234567890123456789012345678", ""},
		{"9E+125", "9E+125", false, "", msgOverflow},
	} {
		got, msg := addNumbers(tc.a, tc.b, tc.subtract)
		if got != tc.want || msg != tc.msg {
			t.Errorf("addNumbers(%s, %s, %v) = %q, %q; want %q, %q", tc.a, tc.b, tc.subtract, got, msg, tc.want, tc.msg)
		}
	}
}

func TestValue_decodeAndValidate(t *testing.T) {
	for _, tc := range []struct {
		json, msg, canon string
	}{
		{`{"S":"x"}`, "", `{"S":"x"}`},
		{`{"N":"01.10"}`, "", `{"N":"1.1"}`},
		{`{"B":"AAE="}`, "", `{"B":"AAE="}`},
		{`{"NS":["1","1.0"]}`, "Input collection contains duplicates", ""},
		{`{"SS":["a","a"]}`, "One or more parameter values were invalid: Input collection [a, a] contains duplicates.", ""},
		{`{"SS":[]}`, "One or more parameter values were invalid: An string set  may not be empty", ""},
		{`{"NS":[]}`, "One or more parameter values were invalid: An number set  may not be empty", ""},
		{`{"BS":[]}`, "One or more parameter values were invalid: Binary sets should not be empty", ""},
		{`{"NULL":false}`, "One or more parameter values were invalid: Null attribute value types must have the value of true", ""},
		{`{}`, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes", ""},
		{`{"S":"a","N":"1"}`, "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes", ""},
		{`{"M":{"a":{"L":[{"N":"2.0"},{"NULL":true},{"BOOL":false}]}}}`, "", `{"M":{"a":{"L":[{"N":"2"},{"NULL":true},{"BOOL":false}]}}}`},
		{`{"L":[{}]}`, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes", ""},
	} {
		var v Value
		if err := json.Unmarshal([]byte(tc.json), &v); err != nil {
			t.Errorf("decode %s: %v", tc.json, err)
			continue
		}
		if msg := validateValue(&v); msg != tc.msg {
			t.Errorf("validate %s: %q, want %q", tc.json, msg, tc.msg)
			continue
		}
		if tc.canon != "" {
			if got, _ := json.Marshal(v); string(got) != tc.canon {
				t.Errorf("canonical %s = %s, want %s", tc.json, got, tc.canon)
			}
		}
	}
	deep := `{"N":"1"}`
	for i := 0; i < maxNesting+1; i++ {
		deep = `{"L":[` + deep + `]}`
	}
	var v Value
	if err := json.Unmarshal([]byte(deep), &v); err != nil {
		t.Fatal(err)
	}
	if msg := validateValue(&v); msg != "Nesting Levels have exceeded supported limits" {
		t.Errorf("33 levels: %q", msg)
	}
}

func TestValue_equalAndSize(t *testing.T) {
	a := mapValue(map[string]Value{"s": {k: kindSS, ss: []string{"x", "y"}}})
	b := mapValue(map[string]Value{"s": {k: kindSS, ss: []string{"y", "x"}}})
	if !equal(a, b) {
		t.Error("sets in different order should be equal")
	}
	if equal(numValue("1"), Value{k: kindS, s: "1"}) {
		t.Error("N 1 and S 1 should differ")
	}
	// Sizes per CapacityUnitCalculations.html.
	it := Item{"name": {k: kindS, s: "abc"}, "n": numValue("12345"), "b": {k: kindBOOL}, "l": listValue([]Value{numValue("1")})}
	want := (4 + 3) + (1 + 1 + 3) + (1 + 1) + (1 + 3 + 1 + 2)
	if got := itemSize(it); got != want {
		t.Errorf("itemSize = %d, want %d", got, want)
	}
}

func TestKeys_storeOrder(t *testing.T) {
	sc := schema{Hash: keyAttr{Name: "pk", Type: kindS}, Range: &keyAttr{Name: "sk", Type: kindS}}
	sorts := []string{"", "\x00", "\x00\x00", "\x00a", "a", "a\x00", "ab", "b"}
	var keys []string
	for _, v := range sorts {
		keys = append(keys, sc.storeKey(Item{"pk": {k: kindS, s: "p"}, "sk": {k: kindS, s: v}}))
	}
	if !sort.StringsAreSorted(keys) {
		t.Errorf("string sort keys out of order: %q", keys)
	}
	// A partition's prefix never prefixes another partition's keys.
	k1 := sc.storeKey(Item{"pk": {k: kindS, s: "a"}, "sk": {k: kindS, s: "x"}})
	if bytes.HasPrefix([]byte(k1), []byte(partitionPrefix(Value{k: kindS, s: "a\x00"}))) {
		t.Error("partition prefixes overlap")
	}
}
