package dynamodb

import (
	"math/big"
	"strconv"
	"strings"
)

// DynamoDB numbers are decimals of up to 38 significant digits, positive magnitudes from 1E-130
// to 9.9999999999999999999999999999999999999E+125 and the same negative range (the Number entry
// of HowItWorks.NamingRulesDataTypes.html). They are kept as canonical decimal strings and
// compared and added exactly; never as float64.

// decimal is a parsed number: 0.digits × 10^exp, with no leading or trailing zeros in digits
// ("" is zero).
type decimal struct {
	neg    bool
	digits string
	exp    int
}

const (
	maxDigits = 38
	maxExp    = 126  // 0.999…×10^126 = 9.99…E+125
	minExp    = -129 // 0.1×10^-129 = 1E-130
)

// Number messages are those dynalite recorded against DynamoDB.
const (
	msgNotANumber   = "The parameter cannot be converted to a numeric value"
	msgOverflow     = "Number overflow. Attempting to store a number with magnitude larger than supported range"
	msgUnderflow    = "Number underflow. Attempting to store a number with magnitude smaller than supported range"
	msgTooPrecise   = "Attempting to store more than 38 significant digits in a Number"
	msgNumberFormat = "The parameter cannot be converted to a numeric value: "
)

// parseNumber parses a number as Java's BigDecimal reads one (optional sign, digits with an
// optional point, optional exponent) and checks DynamoDB's range and precision. It returns AWS's
// message for an invalid number.
func parseNumber(s string) (decimal, string) {
	if s == "" {
		return decimal{}, msgNotANumber
	}
	var d decimal
	i := 0
	if s[0] == '+' || s[0] == '-' {
		d.neg = s[0] == '-'
		i++
	}
	var mant strings.Builder
	point := -1
	digits := 0
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			mant.WriteByte(c)
			digits++
		case c == '.' && point < 0:
			point = digits
		default:
			goto exponent
		}
	}
exponent:
	if digits == 0 {
		return decimal{}, msgNumberFormat + s
	}
	if point < 0 {
		point = digits
	}
	e := 0
	if i < len(s) {
		if s[i] != 'e' && s[i] != 'E' {
			return decimal{}, msgNumberFormat + s
		}
		rest := s[i+1:]
		if rest == "" {
			return decimal{}, msgNumberFormat + s
		}
		for j := 0; j < len(rest); j++ {
			c := rest[j]
			if !(c >= '0' && c <= '9') && !(j == 0 && (c == '+' || c == '-')) {
				return decimal{}, msgNumberFormat + s
			}
		}
		if rest == "+" || rest == "-" {
			return decimal{}, msgNumberFormat + s
		}
		v, err := strconv.ParseInt(rest, 10, 32)
		if err != nil {
			// An exponent beyond int32 is out of any range; keep its sign.
			if strings.HasPrefix(rest, "-") {
				v = -1 << 30
			} else {
				v = 1 << 30
			}
		}
		e = int(v)
	}
	m := mant.String()
	lead := 0
	for lead < len(m) && m[lead] == '0' {
		lead++
	}
	m = m[lead:]
	point -= lead
	m = strings.TrimRight(m, "0")
	if m == "" {
		return decimal{}, ""
	}
	d.digits = m
	d.exp = point + e
	switch {
	case d.exp > maxExp:
		return decimal{}, msgOverflow
	case d.exp < minExp:
		return decimal{}, msgUnderflow
	case len(d.digits) > maxDigits:
		return decimal{}, msgTooPrecise
	}
	return d, ""
}

func (d decimal) isZero() bool { return d.digits == "" }

// String is the canonical form: plain notation, no exponent, no superfluous zeros.
func (d decimal) String() string {
	if d.isZero() {
		return "0"
	}
	var b strings.Builder
	if d.neg {
		b.WriteByte('-')
	}
	n := len(d.digits)
	switch {
	case d.exp <= 0:
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", -d.exp))
		b.WriteString(d.digits)
	case d.exp >= n:
		b.WriteString(d.digits)
		b.WriteString(strings.Repeat("0", d.exp-n))
	default:
		b.WriteString(d.digits[:d.exp])
		b.WriteByte('.')
		b.WriteString(d.digits[d.exp:])
	}
	return b.String()
}

// Cmp compares two decimals: -1, 0 or +1.
func (d decimal) Cmp(o decimal) int {
	ds, os := d.sign(), o.sign()
	if ds != os {
		if ds < os {
			return -1
		}
		return 1
	}
	if ds == 0 {
		return 0
	}
	c := 0
	switch {
	case d.exp != o.exp:
		if d.exp < o.exp {
			c = -1
		} else {
			c = 1
		}
	default:
		c = strings.Compare(d.digits, o.digits)
	}
	if ds < 0 {
		c = -c
	}
	return c
}

func (d decimal) sign() int {
	switch {
	case d.isZero():
		return 0
	case d.neg:
		return -1
	}
	return 1
}

// scaled returns d as an integer and a scale: d = i × 10^-scale.
func (d decimal) scaled() (*big.Int, int) {
	if d.isZero() {
		return new(big.Int), 0
	}
	i, _ := new(big.Int).SetString(d.digits, 10)
	if d.neg {
		i.Neg(i)
	}
	return i, len(d.digits) - d.exp
}

// addNumbers adds (or subtracts) two canonical numbers exactly, with AWS's range checks on the result.
func addNumbers(a, b string, subtract bool) (string, string) {
	da, msg := parseNumber(a)
	if msg != "" {
		return "", msg
	}
	db, msg := parseNumber(b)
	if msg != "" {
		return "", msg
	}
	ia, sa := da.scaled()
	ib, sb := db.scaled()
	s := max(sa, sb)
	ia.Mul(ia, pow10(s-sa))
	ib.Mul(ib, pow10(s-sb))
	if subtract {
		ia.Sub(ia, ib)
	} else {
		ia.Add(ia, ib)
	}
	r, msg := parseNumber(ia.String() + "E" + strconv.Itoa(-s))
	if msg != "" {
		return "", msg
	}
	return r.String(), ""
}

func pow10(n int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// appendNumberKey appends an encoding of a number whose byte order is its numeric order, so
// items sort by a numeric sort key in the store: a sign byte, the exponent, the digits, and a
// terminator (bytes inverted for negative numbers). The encoding is prefix-free.
func appendNumberKey(buf []byte, s string) []byte {
	d, msg := parseNumber(s)
	if msg != "" || d.isZero() {
		return append(buf, 0x80)
	}
	e := uint16(d.exp + 512)
	if !d.neg {
		buf = append(buf, 0xC0, byte(e>>8), byte(e))
		buf = append(buf, d.digits...)
		return append(buf, 0x00)
	}
	e = 0xFFFF - e
	buf = append(buf, 0x40, byte(e>>8), byte(e))
	for i := 0; i < len(d.digits); i++ {
		buf = append(buf, '9'-d.digits[i]+'0')
	}
	return append(buf, 0xFF)
}
