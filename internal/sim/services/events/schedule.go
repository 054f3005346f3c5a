package events

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// A schedule is a parsed ScheduleExpression: rate(N unit) or cron(min hour dom month dow year).
// Rules: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
// and https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rate-expressions.html.
// All times are UTC and the precision is one minute, as on AWS.
type schedule interface {
	// next is the first fire time strictly after t; ok is false when there is none (a cron
	// whose years have all passed).
	next(t time.Time) (time.Time, bool)
}

var errSchedule = errors.New("invalid schedule expression")

// parseSchedule parses a ScheduleExpression; every error is errSchedule (AWS gives no reason).
func parseSchedule(expr string) (schedule, error) {
	switch {
	case strings.HasPrefix(expr, "rate(") && strings.HasSuffix(expr, ")"):
		return parseRate(expr[len("rate(") : len(expr)-1])
	case strings.HasPrefix(expr, "cron(") && strings.HasSuffix(expr, ")"):
		return parseCron(expr[len("cron(") : len(expr)-1])
	}
	return nil, errSchedule
}

// rateSchedule fires every period, counted from the time the rule was created ("A rate
// expression starts when you create the scheduled event rule"); next is given the previous fire
// time (or the creation time) so the cadence does not drift.
type rateSchedule struct{ period time.Duration }

func (r rateSchedule) next(t time.Time) (time.Time, bool) { return t.Add(r.period), true }

func parseRate(body string) (schedule, error) {
	fields := strings.Fields(body)
	if len(fields) != 2 {
		return nil, errSchedule
	}
	n, err := strconv.Atoi(fields[0])
	if err != nil || n <= 0 || fields[0][0] == '+' || n > 1_000_000 {
		return nil, errSchedule
	}
	// "If the value is equal to 1, then the unit must be singular. If the value is greater
	// than 1, the unit must be plural."
	unit := fields[1]
	singular := map[string]time.Duration{"minute": time.Minute, "hour": time.Hour, "day": 24 * time.Hour}
	var d time.Duration
	if n == 1 {
		d = singular[unit]
	} else if strings.HasSuffix(unit, "s") {
		d = singular[strings.TrimSuffix(unit, "s")]
	}
	if d == 0 {
		return nil, errSchedule
	}
	return rateSchedule{period: time.Duration(n) * d}, nil
}

// cronSchedule is a six-field AWS cron expression. Day-of-week counts 1=SUN..7=SAT.
type cronSchedule struct {
	minutes, hours, months, years set
	dom                           domSpec
	dow                           dowSpec
}

// set is a bitmap of allowed values (years are offset by 1970).
type set []bool

type domSpec struct {
	any      bool // "?"
	days     set  // plain values
	last     bool // "L"
	lastWeek bool // "LW": last weekday of the month
	nearest  int  // "nW": weekday nearest day n, 0 if unused
}

type dowSpec struct {
	any   bool // "?"
	days  set  // plain values 1..7
	lastN int  // "nL": last day n of the month, 0 if unused
	nth   int  // "n#k": with nthK
	nthK  int
}

const (
	minYear = 1970
	maxYear = 2199
)

var monthNames = map[string]int{"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12}
var dayNames = map[string]int{"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}

func parseCron(body string) (schedule, error) {
	f := strings.Fields(body)
	if len(f) != 6 {
		return nil, errSchedule
	}
	var c cronSchedule
	var err error
	if c.minutes, err = parseField(f[0], 0, 59, nil); err != nil {
		return nil, err
	}
	if c.hours, err = parseField(f[1], 0, 23, nil); err != nil {
		return nil, err
	}
	if c.months, err = parseField(f[3], 1, 12, monthNames); err != nil {
		return nil, err
	}
	if c.years, err = parseField(f[5], minYear, maxYear, nil); err != nil {
		return nil, err
	}
	if c.dom, err = parseDOM(f[2]); err != nil {
		return nil, err
	}
	if c.dow, err = parseDOW(f[4]); err != nil {
		return nil, err
	}
	// "You can't specify the Day-of-month and Day-of-week fields in the same cron expression.
	// If you specify a value or a * (asterisk) in one of the fields, you must use a ? (question
	// mark) in the other."
	if c.dom.any == c.dow.any {
		return nil, errSchedule
	}
	return c, nil
}

// parseField parses a list of "*", "v", "a-b", "x/step" items for a field of [lo, hi].
func parseField(s string, lo, hi int, names map[string]int) (set, error) {
	out := make(set, hi-lo+1)
	for _, item := range strings.Split(s, ",") {
		if err := addItem(out, item, lo, hi, names); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func addItem(out set, item string, lo, hi int, names map[string]int) error {
	rng, stepStr, hasStep := strings.Cut(item, "/")
	step := 1
	if hasStep {
		n, err := strconv.Atoi(stepStr)
		if err != nil || n <= 0 || n > hi-lo+1 || stepStr[0] == '+' {
			return errSchedule
		}
		step = n
	}
	from, to := lo, hi
	switch {
	case rng == "*":
	case strings.Contains(rng, "-"):
		a, b, _ := strings.Cut(rng, "-")
		var err error
		if from, err = value(a, lo, hi, names); err != nil {
			return err
		}
		if to, err = value(b, lo, hi, names); err != nil {
			return err
		}
		if from > to {
			return errSchedule
		}
	default:
		v, err := value(rng, lo, hi, names)
		if err != nil {
			return err
		}
		from = v
		if !hasStep {
			to = v
		}
	}
	for v := from; v <= to; v += step {
		out[v-lo] = true
	}
	return nil
}

func value(s string, lo, hi int, names map[string]int) (int, error) {
	if v, ok := names[strings.ToUpper(s)]; ok {
		return v, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < lo || v > hi || s == "" || s[0] == '+' || s[0] == '-' {
		return 0, errSchedule
	}
	return v, nil
}

func parseDOM(s string) (domSpec, error) {
	switch {
	case s == "?":
		return domSpec{any: true}, nil
	case s == "L":
		return domSpec{last: true}, nil
	case s == "LW":
		return domSpec{lastWeek: true}, nil
	case strings.HasSuffix(s, "W"):
		v, err := value(strings.TrimSuffix(s, "W"), 1, 31, nil)
		if err != nil {
			return domSpec{}, err
		}
		return domSpec{nearest: v}, nil
	}
	days, err := parseField(s, 1, 31, nil)
	return domSpec{days: days}, err
}

func parseDOW(s string) (dowSpec, error) {
	switch {
	case s == "?":
		return dowSpec{any: true}, nil
	case s == "L":
		// "L" alone in day-of-week is its last day, Saturday.
		days := make(set, 7)
		days[6] = true
		return dowSpec{days: days}, nil
	case strings.HasSuffix(s, "L"):
		v, err := value(strings.TrimSuffix(s, "L"), 1, 7, dayNames)
		if err != nil {
			return dowSpec{}, err
		}
		return dowSpec{lastN: v}, nil
	case strings.Contains(s, "#"):
		// "If you use the '#' character, you can define only one expression in the
		// day-of-week field."
		d, k, _ := strings.Cut(s, "#")
		v, err := value(d, 1, 7, dayNames)
		if err != nil {
			return dowSpec{}, err
		}
		n, err := value(k, 1, 5, nil)
		if err != nil {
			return dowSpec{}, err
		}
		return dowSpec{nth: v, nthK: n}, nil
	}
	days, err := parseField(s, 1, 7, dayNames)
	return dowSpec{days: days}, err
}

func (c cronSchedule) next(t time.Time) (time.Time, bool) {
	t = t.UTC().Truncate(time.Minute).Add(time.Minute)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	for ; day.Year() <= maxYear; day = day.AddDate(0, 0, 1) {
		if day.Year() < minYear {
			day = time.Date(minYear, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
			continue
		}
		if !c.years[day.Year()-minYear] {
			// Skip to the last day of this year; the loop's step moves to January 1st.
			day = time.Date(day.Year(), 12, 31, 0, 0, 0, 0, time.UTC)
			continue
		}
		if !c.months[int(day.Month())-1] {
			day = time.Date(day.Year(), day.Month()+1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
			continue
		}
		if !c.dayMatches(day) {
			continue
		}
		for h := 0; h < 24; h++ {
			if !c.hours[h] {
				continue
			}
			for m := 0; m < 60; m++ {
				if !c.minutes[m] {
					continue
				}
				at := day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
				if !at.Before(t) {
					return at, true
				}
			}
		}
	}
	return time.Time{}, false
}

func (c cronSchedule) dayMatches(day time.Time) bool {
	last := time.Date(day.Year(), day.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	d := day.Day()
	if !c.dom.any {
		switch {
		case c.dom.last:
			return d == last
		case c.dom.lastWeek:
			return d == nearestWeekday(day, last, last)
		case c.dom.nearest > 0:
			if c.dom.nearest > last {
				return false
			}
			return d == nearestWeekday(day, c.dom.nearest, last)
		default:
			return c.dom.days[d-1]
		}
	}
	wd := int(day.Weekday()) + 1 // 1=SUN..7=SAT
	switch {
	case c.dow.lastN > 0:
		return wd == c.dow.lastN && d+7 > last
	case c.dow.nth > 0:
		return wd == c.dow.nth && (d-1)/7+1 == c.dow.nthK
	default:
		return c.dow.days[wd-1]
	}
}

// nearestWeekday is the weekday (Mon-Fri) nearest to day n of day's month, never crossing
// into another month (Quartz's W rule, which AWS follows).
func nearestWeekday(day time.Time, n, last int) int {
	target := time.Date(day.Year(), day.Month(), n, 0, 0, 0, 0, time.UTC)
	switch target.Weekday() {
	case time.Saturday:
		if n == 1 {
			return 3 // Monday the 3rd
		}
		return n - 1
	case time.Sunday:
		if n == last {
			return n - 2 // Friday
		}
		return n + 1
	}
	return n
}
