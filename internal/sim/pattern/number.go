package pattern

// numFormat is how a dialect compares numbers in "numeric" and anything-but
// matching: as fixed-point values with a given number of decimal places, within
// a symmetric range. AWS documents these limits:
//
//   - EventBridge (and Lambda filtering, which uses EventBridge's rules): values
//     between -5.0e9 and +5.0e9 inclusive, 15 digits of precision, six digits to
//     the right of the decimal point.
//   - SNS filter policies: -10^9 to 10^9, five digits of accuracy after the
//     decimal point.
type numFormat struct {
	decimals int   // digits kept to the right of the decimal point
	limit    int64 // largest magnitude allowed, in units of 10^-decimals
	text     string
}

var (
	eventBridgeNumbers = numFormat{decimals: 6, limit: 5_000_000_000 * 1_000_000, text: "-5.0E9 and 5.0E9"}
	snsNumbers         = numFormat{decimals: 5, limit: 1_000_000_000 * 100_000, text: "-1.0E9 and 1.0E9"}
)

// maxInt64Digits is how many decimal digits always fit in an int64.
const maxInt64Digits = 18

// fixed converts a JSON number literal into a count of 10^-decimals units,
// rounding toward negative infinity (digits beyond the documented precision
// are dropped). ok is false if lit is not a JSON number or lies outside the
// documented range. It never allocates big numbers, so hostile exponents such
// as 1e999999999 are cheap.
func (f numFormat) fixed(lit string) (units int64, ok bool) {
	i := 0
	neg := false
	if i < len(lit) && lit[i] == '-' {
		neg = true
		i++
	}
	// Integer part: "0" or [1-9][0-9]*.
	intStart := i
	for i < len(lit) && isDigit(lit[i]) {
		i++
	}
	intPart := lit[intStart:i]
	if intPart == "" || (len(intPart) > 1 && intPart[0] == '0') {
		return 0, false
	}
	fracPart := ""
	if i < len(lit) && lit[i] == '.' {
		i++
		fs := i
		for i < len(lit) && isDigit(lit[i]) {
			i++
		}
		fracPart = lit[fs:i]
		if fracPart == "" {
			return 0, false
		}
	}
	exp := 0
	if i < len(lit) && (lit[i] == 'e' || lit[i] == 'E') {
		i++
		expNeg := false
		if i < len(lit) && (lit[i] == '+' || lit[i] == '-') {
			expNeg = lit[i] == '-'
			i++
		}
		es := i
		for i < len(lit) && isDigit(lit[i]) {
			if exp < 1_000_000 { // saturate: anything this large is out of range or zero anyway
				exp = exp*10 + int(lit[i]-'0')
			}
			i++
		}
		if i == es {
			return 0, false
		}
		if expNeg {
			exp = -exp
		}
	}
	if i != len(lit) {
		return 0, false
	}

	// value = digits × 10^(exp - len(fracPart)); we want floor(value × 10^decimals).
	digits := trimLeadingZeros(intPart + fracPart)
	if digits == "" {
		return 0, true // zero, including -0
	}
	shift := exp - len(fracPart) + f.decimals
	var mag int64    // magnitude, truncated toward zero
	dropped := false // nonzero digits were truncated
	if shift >= 0 {
		if len(digits)+shift > maxInt64Digits {
			return 0, false
		}
		mag = parseDigits(digits)
		for ; shift > 0; shift-- {
			mag *= 10
		}
	} else {
		keep := len(digits) + shift
		if keep <= 0 {
			dropped = true // 0 < value < one unit
		} else {
			head, tail := digits[:keep], digits[keep:]
			if len(head) > maxInt64Digits {
				return 0, false
			}
			mag = parseDigits(head)
			dropped = trimLeadingZeros(tail) != ""
		}
	}
	if mag > f.limit || (mag == f.limit && dropped) {
		return 0, false
	}
	if neg {
		if dropped {
			mag++ // floor of a negative number moves away from zero
		}
		return -mag, true
	}
	return mag, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func trimLeadingZeros(s string) string {
	for len(s) > 0 && s[0] == '0' {
		s = s[1:]
	}
	return s
}

// parseDigits parses at most maxInt64Digits decimal digits.
func parseDigits(s string) int64 {
	var n int64
	for i := 0; i < len(s); i++ {
		n = n*10 + int64(s[i]-'0')
	}
	return n
}
