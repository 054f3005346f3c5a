package pattern

import "testing"

func TestFixed(t *testing.T) {
	cases := []struct {
		lit   string
		f     numFormat
		units int64
		ok    bool
	}{
		{"0", eventBridgeNumbers, 0, true},
		{"-0", eventBridgeNumbers, 0, true},
		{"0.0", eventBridgeNumbers, 0, true},
		{"1", eventBridgeNumbers, 1_000_000, true},
		{"301.8", eventBridgeNumbers, 301_800_000, true},
		{"3.018e2", eventBridgeNumbers, 301_800_000, true},
		{"3018E-1", eventBridgeNumbers, 301_800_000, true},
		{"0.3", eventBridgeNumbers, 300_000, true}, // exact, unlike 0.3 * 1e6 in float64
		{"0.1234567", eventBridgeNumbers, 123_456, true},
		{"-0.1234567", eventBridgeNumbers, -123_457, true}, // floor
		{"-0.123456", eventBridgeNumbers, -123_456, true},
		{"1e-7", eventBridgeNumbers, 0, true},
		{"-1e-7", eventBridgeNumbers, -1, true},
		{"5e9", eventBridgeNumbers, 5_000_000_000_000_000, true},
		{"5000000000.000000", eventBridgeNumbers, 5_000_000_000_000_000, true},
		{"5000000000.0000001", eventBridgeNumbers, 0, false},
		{"-5e9", eventBridgeNumbers, -5_000_000_000_000_000, true},
		{"-5000000000.0000001", eventBridgeNumbers, 0, false},
		{"5000000001", eventBridgeNumbers, 0, false},
		{"1e10", eventBridgeNumbers, 0, false},
		{"123456789012345678901234567890", eventBridgeNumbers, 0, false},
		{"0.000000000000000000000000001", eventBridgeNumbers, 0, true},
		{"0e999999999999999999", eventBridgeNumbers, 0, true},
		{"1e999999999999999999", eventBridgeNumbers, 0, false},
		{"1e-999999999999999999", eventBridgeNumbers, 0, true},
		{"1E+3", eventBridgeNumbers, 1_000_000_000, true},
		{"1e9", snsNumbers, 100_000_000_000_000, true},
		{"1.000001", snsNumbers, 100_000, true},
		{"1000000000.5", snsNumbers, 0, false},
		// Not JSON numbers.
		{"", eventBridgeNumbers, 0, false},
		{"-", eventBridgeNumbers, 0, false},
		{"01", eventBridgeNumbers, 0, false},
		{"1.", eventBridgeNumbers, 0, false},
		{".5", eventBridgeNumbers, 0, false},
		{"1e", eventBridgeNumbers, 0, false},
		{"1e+", eventBridgeNumbers, 0, false},
		{"+1", eventBridgeNumbers, 0, false},
		{"NaN", eventBridgeNumbers, 0, false},
		{"Inf", eventBridgeNumbers, 0, false},
		{"1x", eventBridgeNumbers, 0, false},
		{"0x10", eventBridgeNumbers, 0, false},
	}
	for _, tc := range cases {
		u, ok := tc.f.fixed(tc.lit)
		if ok != tc.ok || (ok && u != tc.units) {
			t.Errorf("fixed(%q, %d decimals) = %d, %v; want %d, %v", tc.lit, tc.f.decimals, u, ok, tc.units, tc.ok)
		}
	}
}

func TestParseWildcard(t *testing.T) {
	cases := []struct {
		in   string
		segs []string
		err  string
	}{
		{"abc", []string{"abc"}, ""},
		{"*", []string{"", ""}, ""},
		{"a*b*c", []string{"a", "b", "c"}, ""},
		{`a\*b`, []string{"a*b"}, ""},
		{`a\\b`, []string{`a\b`}, ""},
		{`a\\*b`, []string{`a\`, "b"}, ""},
		{`\**`, []string{"*", ""}, ""},
		{"a**", nil, "Consecutive wildcard characters at pos 1"},
		{`a\b`, nil, "Invalid escape character at pos 1"},
		{`\`, nil, "Invalid escape character at pos 0"},
	}
	for _, tc := range cases {
		w, err := parseWildcard(tc.in)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("parseWildcard(%q) error = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseWildcard(%q): %v", tc.in, err)
			continue
		}
		if len(w.segs) != len(tc.segs) {
			t.Errorf("parseWildcard(%q) = %q, want %q", tc.in, w.segs, tc.segs)
			continue
		}
		for i := range w.segs {
			if w.segs[i] != tc.segs[i] {
				t.Errorf("parseWildcard(%q) = %q, want %q", tc.in, w.segs, tc.segs)
				break
			}
		}
	}
}

func TestFoldAffixes(t *testing.T) {
	cases := []struct {
		s, affix       string
		prefix, suffix bool
	}{
		{"EventBridge", "eventb", true, false},
		{"EventBridge", "BRIDGE", false, true},
		{"ab", "abc", false, false},
		{"", "", true, true},
		{"x", "", true, true},
		{"ÉTÉ", "été", true, true},
		{"Kelvin", "\u212aelvin", true, true}, // KELVIN SIGN folds to k
	}
	for _, tc := range cases {
		if got := hasPrefixFold(tc.s, tc.affix); got != tc.prefix {
			t.Errorf("hasPrefixFold(%q, %q) = %v", tc.s, tc.affix, got)
		}
		if got := hasSuffixFold(tc.s, tc.affix); got != tc.suffix {
			t.Errorf("hasSuffixFold(%q, %q) = %v", tc.s, tc.affix, got)
		}
	}
}
