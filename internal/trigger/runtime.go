package trigger

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Runtime is a Lambda-managed runtime identifier that CreateFunction accepts for a .zip package.
type Runtime struct {
	ID string
	// Custom runtimes (OS-only, provided.*) run the package's `bootstrap` executable; the handler is
	// passed to it as _HANDLER and means whatever the bootstrap makes of it.
	Custom bool
	// EndOfSupport is the runtime's deprecation date (zero when none is announced). Some months after
	// it, AWS blocks creating functions with the runtime, then updating them; the exact dates vary.
	EndOfSupport time.Time
}

// Deprecated reports whether the runtime has reached its end of support at the given time.
func (r Runtime) Deprecated(at time.Time) bool {
	return !r.EndOfSupport.IsZero() && !at.Before(r.EndOfSupport)
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Runtimes lists the identifiers of the Lambda API's Runtime enum that can still create functions
// (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html). Runtimes deprecated before 2025
// are left out: AWS no longer creates or updates functions with them. Identifiers without a date are
// in the API model but their deprecation is not yet announced.
var Runtimes = []Runtime{
	{ID: "provided.al2023", Custom: true, EndOfSupport: day(2029, time.June, 30)},
	{ID: "provided.al2", Custom: true, EndOfSupport: day(2026, time.June, 30)},

	{ID: "nodejs26.x"},
	{ID: "nodejs24.x", EndOfSupport: day(2028, time.April, 30)},
	{ID: "nodejs22.x", EndOfSupport: day(2027, time.April, 30)},
	{ID: "nodejs20.x", EndOfSupport: day(2026, time.April, 30)},
	{ID: "nodejs18.x", EndOfSupport: day(2025, time.September, 1)},

	{ID: "python3.15"},
	{ID: "python3.14", EndOfSupport: day(2029, time.June, 30)},
	{ID: "python3.13", EndOfSupport: day(2029, time.June, 30)},
	{ID: "python3.12", EndOfSupport: day(2028, time.October, 31)},
	{ID: "python3.11", EndOfSupport: day(2026, time.June, 30)},
	{ID: "python3.10", EndOfSupport: day(2026, time.June, 30)},
	{ID: "python3.9", EndOfSupport: day(2025, time.December, 15)},

	{ID: "java25", EndOfSupport: day(2029, time.June, 30)},
	{ID: "java21", EndOfSupport: day(2029, time.June, 30)},
	{ID: "java17.al2023"},
	{ID: "java17", EndOfSupport: day(2026, time.June, 30)},
	{ID: "java11.al2023"},
	{ID: "java11", EndOfSupport: day(2026, time.June, 30)},
	{ID: "java8.al2023"},
	{ID: "java8.al2", EndOfSupport: day(2026, time.June, 30)},

	{ID: "dotnet10", EndOfSupport: day(2028, time.November, 14)},
	{ID: "dotnet8", EndOfSupport: day(2026, time.November, 10)},

	{ID: "ruby4.0"},
	{ID: "ruby3.4", EndOfSupport: day(2028, time.March, 31)},
	{ID: "ruby3.3", EndOfSupport: day(2027, time.March, 31)},
	{ID: "ruby3.2", EndOfSupport: day(2026, time.March, 31)},
}

// LookupRuntime returns the runtime with the given identifier.
func LookupRuntime(id string) (Runtime, bool) {
	for _, r := range Runtimes {
		if r.ID == id {
			return r, true
		}
	}
	return Runtime{}, false
}

// RuntimeIDs returns every identifier in Runtimes, sorted.
func RuntimeIDs() []string {
	ids := make([]string, 0, len(Runtimes))
	for _, r := range Runtimes {
		ids = append(ids, r.ID)
	}
	sort.Strings(ids)
	return ids
}

// ValidateRuntime checks that id names a runtime that can create functions.
func ValidateRuntime(id string) error {
	if _, ok := LookupRuntime(id); ok {
		return nil
	}
	return fmt.Errorf("%q is not a Lambda runtime that can create functions; use one of: %s", id, strings.Join(RuntimeIDs(), ", "))
}
