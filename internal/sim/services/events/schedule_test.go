package events

import (
	"testing"
	"time"
)

func TestSchedule_next(t *testing.T) {
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		expr, from, want string
	}{
		{"rate(1 minute)", "2026-03-02T10:00:30Z", "2026-03-02T10:01:30Z"},
		{"rate(2 hours)", "2026-03-02T10:00:00Z", "2026-03-02T12:00:00Z"},
		{"rate(3 days)", "2026-03-02T10:00:00Z", "2026-03-05T10:00:00Z"},
		{"cron(0 10 * * ? *)", "2026-03-02T10:00:00Z", "2026-03-03T10:00:00Z"},
		{"cron(15 12 * * ? *)", "2026-03-02T10:00:00Z", "2026-03-02T12:15:00Z"},
		{"cron(0/15 * * * ? *)", "2026-03-02T10:07:10Z", "2026-03-02T10:15:00Z"},
		{"cron(1/10 * * * ? *)", "2026-03-02T10:01:00Z", "2026-03-02T10:11:00Z"},
		{"cron(0 18 ? * MON-FRI *)", "2026-03-06T18:00:00Z", "2026-03-09T18:00:00Z"}, // Friday -> Monday
		{"cron(0 8 1 * ? *)", "2026-03-02T00:00:00Z", "2026-04-01T08:00:00Z"},
		{"cron(0 0 L * ? *)", "2026-02-01T00:00:00Z", "2026-02-28T00:00:00Z"},
		{"cron(0 0 L 2 ? 2028)", "2026-01-01T00:00:00Z", "2028-02-29T00:00:00Z"},
		{"cron(0 9 1W * ? *)", "2026-01-31T00:00:00Z", "2026-02-02T09:00:00Z"},  // Feb 1 2026 is a Sunday
		{"cron(0 9 15W * ? *)", "2026-03-01T00:00:00Z", "2026-03-16T09:00:00Z"}, // Mar 15 2026 is a Sunday
		{"cron(0 9 LW * ? *)", "2026-05-01T00:00:00Z", "2026-05-29T09:00:00Z"},  // May 31 2026 is a Sunday
		{"cron(0 9 ? * 6L *)", "2026-03-01T00:00:00Z", "2026-03-27T09:00:00Z"},  // last Friday
		{"cron(0 9 ? * 3#2 *)", "2026-03-01T00:00:00Z", "2026-03-10T09:00:00Z"}, // second Tuesday
		{"cron(0 9 ? * L *)", "2026-03-02T00:00:00Z", "2026-03-07T09:00:00Z"},   // Saturday
		{"cron(0 0 1 JAN,JUL ? *)", "2026-03-02T00:00:00Z", "2026-07-01T00:00:00Z"},
		{"cron(30 2 29 2 ? *)", "2026-03-01T00:00:00Z", "2028-02-29T02:30:00Z"},
	}
	for _, c := range cases {
		s, err := parseSchedule(c.expr)
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		got, ok := s.next(at(c.from))
		if !ok || !got.Equal(at(c.want)) {
			t.Errorf("%s after %s = %s (%v), want %s", c.expr, c.from, got.Format(time.RFC3339), ok, c.want)
		}
	}
	past, _ := parseSchedule("cron(0 0 1 1 ? 2020)")
	if _, ok := past.next(at("2026-01-01T00:00:00Z")); ok {
		t.Error("a cron whose years have passed has a next time")
	}
}

func TestSchedule_invalid(t *testing.T) {
	for _, expr := range []string{
		"rate(1 minutes)", "rate(2 minute)", "rate(0 minutes)", "rate(-1 minutes)", "rate(5 weeks)", "rate(5)", "rate(five minutes)",
		"cron(0 10 * * * *)",       // * in both day fields
		"cron(0 10 ? * ? *)",       // ? in both
		"cron(0 10 * * ?)",         // five fields
		"cron(60 10 * * ? *)",      // minute out of range
		"cron(0 24 * * ? *)",       // hour out of range
		"cron(0 10 32 * ? *)",      // day out of range
		"cron(0 10 ? * 8 *)",       // weekday out of range
		"cron(0 10 ? * 3#1,6#3 *)", // '#' with a list
		"cron(0 10 * * ? 1969)",    // year out of range
		"cron(0 10 5-1 * ? *)",     // reversed range
		"cron(0/0 10 * * ? *)",     // zero step
		"cron(0 10 * FOO ? *)",
		"cron()", "", "rate()", "cron(0 10 * * ? *", "at(2026-01-01T00:00:00)",
	} {
		if _, err := parseSchedule(expr); err == nil {
			t.Errorf("%q parsed", expr)
		}
	}
}

// FuzzParseSchedule checks that any expression either fails to parse or yields increasing
// fire times on minute boundaries.
func FuzzParseSchedule(f *testing.F) {
	for _, seed := range []string{"rate(5 minutes)", "rate(1 day)", "cron(0 10 * * ? *)", "cron(0/15 * ? * MON-FRI *)",
		"cron(0 9 ? * 6L *)", "cron(0 9 LW * ? *)", "cron(0 9 15W * ? 2027)", "cron(0 9 ? * 3#2 *)", "cron(5,10-20/3 1-5 1,15 JAN-MAR ? 2026-2030)"} {
		f.Add(seed)
	}
	start := time.Date(2026, 3, 2, 10, 0, 30, 0, time.UTC)
	f.Fuzz(func(t *testing.T, expr string) {
		s, err := parseSchedule(expr)
		if err != nil {
			return
		}
		prev := start
		for range 3 {
			next, ok := s.next(prev)
			if !ok {
				return
			}
			if !next.After(prev) {
				t.Fatalf("%q: next(%s) = %s is not later", expr, prev, next)
			}
			if _, isRate := s.(rateSchedule); !isRate && next.Second() != 0 {
				t.Fatalf("%q: cron fire time %s is not on a minute", expr, next)
			}
			prev = next
		}
	})
}
