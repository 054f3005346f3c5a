package pattern

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

type matchCase struct {
	name    string
	pattern string
	event   string
	want    bool
}

func runMatchCases(t *testing.T, compile func(string) (*Pattern, error), cases []matchCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := compile(tc.pattern)
			if err != nil {
				t.Fatalf("compile %s: %v", tc.pattern, err)
			}
			got, err := p.Match([]byte(tc.event))
			if err != nil {
				t.Fatalf("match: %v", err)
			}
			if got != tc.want {
				t.Errorf("pattern %s\nevent   %s\ngot %v, want %v", tc.pattern, tc.event, got, tc.want)
			}
		})
	}
}

// ec2Event is the example event of "Amazon EventBridge event patterns"
// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html).
const ec2Event = `{
  "version": "0",
  "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification",
  "source": "aws.ec2",
  "account": "111122223333",
  "time": "2017-12-22T18:43:48Z",
  "region": "us-west-1",
  "resources": ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
  "detail": {"instance-id": "i-1234567890abcdef0", "state": "terminated"}
}`

// macieEvent is the (truncated) Macie example of the same page.
const macieEvent = `{
  "version": "0",
  "detail-type": "Macie Alert",
  "source": "aws.macie",
  "resources": [
    "arn:aws:macie:us-east-1:123456789012:trigger/trigger_id/alert/alert_id",
    "arn:aws:macie:us-east-1:123456789012:trigger/trigger_id"
  ],
  "detail": {
    "notification-type": "ALERT_CREATED",
    "tags": ["Custom_Alert", "Insider"],
    "risk-score": 80,
    "trigger": {"alert-type": "basic", "risk": 8}
  }
}`

// TestEventPatternBasics uses the examples of "Amazon EventBridge event patterns"
// (eb-event-patterns).
func TestEventPatternBasics(t *testing.T) {
	termination := `{"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"], "detail": {"state": ["terminated"]}}`
	runMatchCases(t, Compile, []matchCase{
		{"doc: termination pattern matches", termination, ec2Event, true},
		{"doc: other state", termination, strings.Replace(ec2Event, `"terminated"`, `"running"`, 1), false},
		{"doc: missing nested object", termination, `{"source": "aws.ec2", "detail-type": "EC2 Instance State-change Notification"}`, false},
		{"doc: missing top-level field", termination, `{"detail-type": "EC2 Instance State-change Notification", "detail": {"state": "terminated"}}`, false},
		{"doc: two match values, first", `{"source": ["aws.ec2", "aws.fargate"]}`, `{"source": "aws.ec2"}`, true},
		{"doc: two match values, second", `{"source": ["aws.ec2", "aws.fargate"]}`, `{"source": "aws.fargate"}`, true},
		{"doc: two match values, neither", `{"source": ["aws.ec2", "aws.fargate"]}`, `{"source": "aws.s3"}`, false},
		{"strings are case sensitive", `{"source": ["aws.ec2"]}`, `{"source": "AWS.EC2"}`, false},
		{"no normalisation of strings", `{"source": ["aws.ec2"]}`, `{"source": "aws.ec2 "}`, false},
		{"doc: macie value matching", `{"source": ["aws.macie"], "detail-type": ["Macie Alert"], "detail": {"risk-score": [80], "trigger": {"risk": [8]}}}`, macieEvent, true},
		{"doc: macie other risk", `{"source": ["aws.macie"], "detail": {"trigger": {"risk": [9]}}}`, macieEvent, false},
		{"doc: numbers by string representation 300 vs 300.0", `{"n": [300]}`, `{"n": 300.0}`, false},
		{"doc: numbers by string representation 300 vs 3.0e2", `{"n": [300]}`, `{"n": 3.0e2}`, false},
		{"number literal equal", `{"n": [3.0e2]}`, `{"n": 3.0e2}`, true},
		{"number does not match its string", `{"n": [300]}`, `{"n": "300"}`, false},
		{"string does not match number", `{"n": ["300"]}`, `{"n": 300}`, false},
		{"true", `{"b": [true]}`, `{"b": true}`, true},
		{"true vs false", `{"b": [true]}`, `{"b": false}`, false},
		{"true vs string", `{"b": [true]}`, `{"b": "true"}`, false},
		{"false", `{"b": [false]}`, `{"b": false}`, true},
		{"pattern field is a leaf, event value an object", `{"detail": ["x"]}`, `{"detail": {"a": "x"}}`, false},
		{"pattern object, event scalar", `{"detail": {"state": ["x"]}}`, `{"detail": "x"}`, false},
		{"deep nesting", `{"a": {"b": {"c": {"d": ["x"]}}}}`, `{"a": {"b": {"c": {"d": "x", "e": 1}}}}`, true},
		{"event not an object", `{"a": ["x"]}`, `"x"`, false},
		{"event null", `{"a": ["x"]}`, `null`, false},
		{"unicode field names and values", `{"été": ["ünïcødé ✓"]}`, `{"été": "ünïcødé ✓"}`, true},
	})
}

// TestNullAndEmpty uses "Matching null values and empty strings in Amazon
// EventBridge" (eb-event-patterns-null-values).
func TestNullAndEmpty(t *testing.T) {
	ev := `{"version": "0", "detail-type": "EC2 Instance Launch Successful", "source": "aws.autoscaling",
	        "resources": [], "detail": {"eventVersion": "", "responseElements": null}}`
	runMatchCases(t, Compile, []matchCase{
		{"doc: empty string", `{"detail": {"eventVersion": [""]}}`, ev, true},
		{"doc: null", `{"detail": {"responseElements": [null]}}`, ev, true},
		{"doc: empty string does not match null", `{"detail": {"responseElements": [""]}}`, ev, false},
		{"null does not match empty string", `{"detail": {"eventVersion": [null]}}`, ev, false},
		{"null does not match a missing field", `{"detail": {"missing": [null]}}`, ev, false},
		{"empty string does not match a missing field", `{"detail": {"missing": [""]}}`, ev, false},
		{"null exists", `{"detail": {"responseElements": [{"exists": true}]}}`, ev, true},
		{"null is not absent", `{"detail": {"responseElements": [{"exists": false}]}}`, ev, false},
		{"empty event array matches no value", `{"resources": ["x"]}`, ev, false},
		{"empty event array counts as absent", `{"resources": [{"exists": false}]}`, ev, true},
		{"empty event array does not exist", `{"resources": [{"exists": true}]}`, ev, false},
	})
}

// TestArrays uses "Arrays in Amazon EventBridge event patterns"
// (eb-event-patterns-arrays) and event-ruler's array-consistency examples.
func TestArrays(t *testing.T) {
	resources := `{"resources": [
	   "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
	   "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f",
	   "arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f"]}`
	employees := `{"employees": [
	   {"firstName": "John", "lastName": "Doe"},
	   {"firstName": "Anna", "lastName": "Smith"},
	   {"firstName": "Peter", "lastName": "Jones"}]}`
	runMatchCases(t, Compile, []matchCase{
		{"doc: intersection not empty", resources, `{"resources": [
		   "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate",
		   "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"]}`, true},
		{"doc: intersection empty", resources, `{"resources": ["arn:aws:ec2:us-east-1:999999999999:instance/i-b188560f"]}`, false},
		{"scalar pattern value, array event", `{"tags": ["Insider"]}`, `{"tags": ["Custom_Alert", "Insider"]}`, true},
		{"nested event arrays are flattened", `{"tags": ["c"]}`, `{"tags": [["a", "b"], ["c"]]}`, true},
		{"array of objects: one element", `{"employees": {"firstName": ["Anna"]}}`, employees, true},
		{"array of objects: same element", `{"employees": {"firstName": ["Anna"], "lastName": ["Smith"]}}`, employees, true},
		{"array of objects: fields from different elements do not combine", `{"employees": {"firstName": ["Anna"], "lastName": ["Jones"]}}`, employees, false},
		{"arrays of arrays of objects", `{"employees": {"firstName": ["Peter"], "lastName": ["Jones"]}}`, `{"employees": [[{"firstName": "John", "lastName": "Doe"}], [{"firstName": "Peter", "lastName": "Jones"}]]}`, true},
		{"nested arrays stay consistent", `{"u": {"t": {"k": ["color"], "v": ["blue"]}}}`, `{"u": [{"t": [{"k": "color"}, {"v": "blue"}]}]}`, false},
		{"nested arrays, same inner element", `{"u": {"t": {"k": ["color"], "v": ["blue"]}}}`, `{"u": [{"t": [{"k": "color", "v": "blue"}]}]}`, true},
		{"numeric over an array", `{"vals": [{"numeric": [">", 0, "<", 10]}]}`, `{"vals": [100, 5, 200]}`, true},
		{"numeric over an array, none in range", `{"vals": [{"numeric": [">", 0, "<", 10]}]}`, `{"vals": [100, 200]}`, false},
		{"prefix over an array", `{"tags": [{"prefix": "ad"}]}`, `{"tags": ["user", "admin"]}`, true},
		{"array holding only objects has no leaf value", `{"d": ["x"]}`, `{"d": [{"a": "x"}]}`, false},
		{"mixed array: scalars are leaves", `{"d": ["x"]}`, `{"d": [{"a": 1}, "x"]}`, true},
	})
}

// TestPrefixSuffix uses the prefix and suffix examples of "Comparison operators
// for use in event patterns" (eb-create-pattern-operators).
func TestPrefixSuffix(t *testing.T) {
	runMatchCases(t, Compile, []matchCase{
		{"doc: prefix", `{"time": [{"prefix": "2017-10-02"}]}`, `{"time": "2017-10-02T18:43:48Z"}`, true},
		{"doc: prefix no", `{"time": [{"prefix": "2017-10-02"}]}`, `{"time": "2017-10-03T18:43:48Z"}`, false},
		{"doc: region in the US", `{"Region": [{"prefix": "us-"}]}`, `{"Region": "us-east-1"}`, true},
		{"prefix is case sensitive", `{"Region": [{"prefix": "us-"}]}`, `{"Region": "US-EAST-1"}`, false},
		{"prefix equal to the value", `{"a": [{"prefix": "abc"}]}`, `{"a": "abc"}`, true},
		{"prefix longer than the value", `{"a": [{"prefix": "abcd"}]}`, `{"a": "abc"}`, false},
		{"empty prefix matches any string", `{"a": [{"prefix": ""}]}`, `{"a": "abc"}`, true},
		{"empty prefix does not match a number", `{"a": [{"prefix": ""}]}`, `{"a": 1}`, false},
		{"prefix does not match numbers", `{"a": [{"prefix": "12"}]}`, `{"a": 123}`, false},
		{"prefix does not match null", `{"a": [{"prefix": "n"}]}`, `{"a": null}`, false},
		{"prefix missing field", `{"a": [{"prefix": "x"}]}`, `{"b": "x"}`, false},
		{"doc: prefix ignore case EventB", `{"detail": {"service": [{"prefix": {"equals-ignore-case": "EventB"}}]}}`, `{"detail": {"service": "EventBridge"}}`, true},
		{"doc: prefix ignore case EVENTB", `{"detail": {"service": [{"prefix": {"equals-ignore-case": "EventB"}}]}}`, `{"detail": {"service": "EVENTBRIDGE"}}`, true},
		{"doc: prefix ignore case eventb", `{"detail": {"service": [{"prefix": {"equals-ignore-case": "EventB"}}]}}`, `{"detail": {"service": "eventbus"}}`, true},
		{"prefix ignore case no", `{"detail": {"service": [{"prefix": {"equals-ignore-case": "EventB"}}]}}`, `{"detail": {"service": "Event"}}`, false},
		{"prefix ignore case non-ASCII", `{"a": [{"prefix": {"equals-ignore-case": "ÉTÉ"}}]}`, `{"a": "étéhiver"}`, true},
		{"doc: suffix", `{"FileName": [{"suffix": ".png"}]}`, `{"FileName": "image.png"}`, true},
		{"doc: suffix no", `{"FileName": [{"suffix": ".png"}]}`, `{"FileName": "image.jpg"}`, false},
		{"suffix is case sensitive", `{"FileName": [{"suffix": ".png"}]}`, `{"FileName": "image.PNG"}`, false},
		{"doc: suffix ignore case .PNG", `{"detail": {"FileName": [{"suffix": {"equals-ignore-case": ".png"}}]}}`, `{"detail": {"FileName": "image.PNG"}}`, true},
		{"doc: suffix ignore case tBridge", `{"service": [{"suffix": {"equals-ignore-case": "tBridge"}}]}`, `{"service": "EVENTBRIDGE"}`, true},
		{"suffix ignore case too short", `{"a": [{"suffix": {"equals-ignore-case": "abcd"}}]}`, `{"a": "bcd"}`, false},
		{"suffix ignore case multibyte", `{"a": [{"suffix": {"equals-ignore-case": "ÇA"}}]}`, `{"a": "voilà ça"}`, true},
		{"suffix does not match numbers", `{"a": [{"suffix": "3"}]}`, `{"a": 123}`, false},
	})
}

// TestEqualsIgnoreCase uses eb-create-pattern-operators ("Name is Alice").
func TestEqualsIgnoreCase(t *testing.T) {
	p := `{"Name": [{"equals-ignore-case": "alice"}]}`
	runMatchCases(t, Compile, []matchCase{
		{"doc: Alice", p, `{"Name": "Alice"}`, true},
		{"ALICE", p, `{"Name": "ALICE"}`, true},
		{"alice", p, `{"Name": "alice"}`, true},
		{"longer", p, `{"Name": "Alicia"}`, false},
		{"number", `{"n": [{"equals-ignore-case": "1"}]}`, `{"n": 1}`, false},
		{"unicode folding", `{"a": [{"equals-ignore-case": "straße"}]}`, `{"a": "STRAẞE"}`, true},
		{"array", p, `{"Name": ["bob", "ALICE"]}`, true},
	})
}

// TestAnythingBut uses the anything-but examples of
// eb-create-pattern-operators and SNS "Numeric value matching".
func TestAnythingBut(t *testing.T) {
	runMatchCases(t, Compile, []matchCase{
		{"doc: string, other value", `{"detail": {"state": [{"anything-but": "initializing"}]}}`, `{"detail": {"state": "running"}}`, true},
		{"doc: string, excluded value", `{"detail": {"state": [{"anything-but": "initializing"}]}}`, `{"detail": {"state": "initializing"}}`, false},
		{"missing field never matches", `{"detail": {"state": [{"anything-but": "initializing"}]}}`, `{"detail": {}}`, false},
		{"null matches a string anything-but", `{"command": [{"anything-but": ["no-message"]}]}`, `{"command": null}`, true},
		{"number matches a string anything-but", `{"a": [{"anything-but": "x"}]}`, `{"a": 5}`, true},
		{"boolean matches a string anything-but", `{"a": [{"anything-but": "true"}]}`, `{"a": true}`, true},
		{"object value is not a leaf", `{"a": [{"anything-but": "x"}]}`, `{"a": {"b": "y"}}`, false},
		{"doc: number, other value", `{"detail": {"x-limit": [{"anything-but": 123}]}}`, `{"detail": {"x-limit": 124}}`, true},
		{"doc: number, excluded value", `{"detail": {"x-limit": [{"anything-but": 123}]}}`, `{"detail": {"x-limit": 123}}`, false},
		{"number excluded by value", `{"x": [{"anything-but": 123}]}`, `{"x": 1.23e2}`, false},
		{"string matches a numeric anything-but", `{"x": [{"anything-but": 123}]}`, `{"x": "123"}`, true},
		{"doc: string list, other", `{"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}}`, `{"detail": {"state": "running"}}`, true},
		{"doc: string list, excluded", `{"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}}`, `{"detail": {"state": "overloaded"}}`, false},
		{"doc: number list, other", `{"detail": {"x-limit": [{"anything-but": [100, 200, 300]}]}}`, `{"detail": {"x-limit": 150}}`, true},
		{"doc: number list, excluded", `{"detail": {"x-limit": [{"anything-but": [100, 200, 300]}]}}`, `{"detail": {"x-limit": 200}}`, false},
		{"number list, excluded written differently", `{"x": [{"anything-but": [100, 200, 300]}]}`, `{"x": 300.0}`, false},
		{"sns doc: [100, 500] vs 101", `{"price": [{"anything-but": [100, 500]}]}`, `{"price": 101}`, true},
		{"sns doc: [100, 500] vs 100.1", `{"price": [{"anything-but": [100, 500]}]}`, `{"price": 100.1}`, true},
		{"sns doc: [100, 500] vs [100, 50]", `{"price": [{"anything-but": [100, 500]}]}`, `{"price": [100, 50]}`, true},
		{"sns doc: [100, 500] vs 100", `{"price": [{"anything-but": [100, 500]}]}`, `{"price": 100}`, false},
		{"array of only excluded values", `{"price": [{"anything-but": [100, 500]}]}`, `{"price": [100, 500]}`, false},
		{"doc: prefix, other", `{"detail": {"state": [{"anything-but": {"prefix": "init"}}]}}`, `{"detail": {"state": "running"}}`, true},
		{"doc: prefix, excluded", `{"detail": {"state": [{"anything-but": {"prefix": "init"}}]}}`, `{"detail": {"state": "initializing"}}`, false},
		{"doc: region not in the US", `{"Region": [{"anything-but": {"prefix": "us-"}}]}`, `{"Region": "eu-west-1"}`, true},
		{"prefix list", `{"Region": [{"anything-but": {"prefix": ["us-", "eu-"]}}]}`, `{"Region": "eu-west-1"}`, false},
		{"prefix: number passes", `{"a": [{"anything-but": {"prefix": "1"}}]}`, `{"a": 123}`, true},
		{"prefix: null passes", `{"a": [{"anything-but": {"suffix": "x"}}]}`, `{"a": null}`, true},
		{"prefix: missing fails", `{"a": [{"anything-but": {"suffix": "x"}}]}`, `{"b": "y"}`, false},
		{"doc: suffix, other", `{"FileName": [{"anything-but": {"suffix": ".png"}}]}`, `{"FileName": "a.txt"}`, true},
		{"doc: suffix, excluded", `{"FileName": [{"anything-but": {"suffix": ".png"}}]}`, `{"FileName": "a.png"}`, false},
		{"doc: ignore case, excluded", `{"state": [{"anything-but": {"equals-ignore-case": "initializing"}}]}`, `{"state": "INITIALIZING"}`, false},
		{"doc: ignore case, other", `{"state": [{"anything-but": {"equals-ignore-case": "initializing"}}]}`, `{"state": "running"}`, true},
		{"ignore case list", `{"state": [{"anything-but": {"equals-ignore-case": ["initializing", "stopped"]}}]}`, `{"state": "Stopped"}`, false},
		{"doc: wildcard, excluded", `{"FilePath": [{"anything-but": {"wildcard": "*/lib/*"}}]}`, `{"FilePath": "/usr/lib/x.so"}`, false},
		{"doc: wildcard, other", `{"FilePath": [{"anything-but": {"wildcard": "*/lib/*"}}]}`, `{"FilePath": "/usr/bin/x"}`, true},
		{"wildcard list", `{"FilePath": [{"anything-but": {"wildcard": ["*/lib/*", "*/bin/*"]}}]}`, `{"FilePath": "/usr/bin/x"}`, false},
		{"anything-but or exact", `{"a": [{"anything-but": "x"}, "x"]}`, `{"a": "x"}`, true},
	})
}

// TestNumeric uses the numeric examples of eb-create-pattern-operators,
// the event-ruler README event and the Lambda filtering examples.
func TestNumeric(t *testing.T) {
	doc := `{"detail": {
	  "c-count": [{"numeric": [">", 0, "<=", 5]}],
	  "d-count": [{"numeric": ["<", 10]}],
	  "x-limit": [{"numeric": ["=", 3.018e2]}]}}`
	ev := `{"detail": {"c-count": 5, "d-count": 3, "x-limit": 301.8}}`
	runMatchCases(t, Compile, []matchCase{
		{"doc: all three", doc, ev, true},
		{"doc: c-count 0 is not > 0", doc, `{"detail": {"c-count": 0, "d-count": 3, "x-limit": 301.8}}`, false},
		{"doc: c-count 5.000001", doc, `{"detail": {"c-count": 5.000001, "d-count": 3, "x-limit": 301.8}}`, false},
		{"doc: d-count 10", doc, `{"detail": {"c-count": 1, "d-count": 10, "x-limit": 301.8}}`, false},
		{"doc: x-limit written 301.80", doc, `{"detail": {"c-count": 1, "d-count": 9.99, "x-limit": 301.80}}`, true},
		{"= by value", `{"n": [{"numeric": ["=", 300]}]}`, `{"n": 3.0e2}`, true},
		{"= by value, 300.0", `{"n": [{"numeric": ["=", 300]}]}`, `{"n": 300.0}`, true},
		{"= other", `{"n": [{"numeric": ["=", 300]}]}`, `{"n": 300.000001}`, false},
		{"beyond six decimals is dropped", `{"n": [{"numeric": ["=", 300]}]}`, `{"n": 300.0000001}`, true},
		{"<= inclusive", `{"n": [{"numeric": ["<=", 5]}]}`, `{"n": 5}`, true},
		{"< exclusive", `{"n": [{"numeric": ["<", 5]}]}`, `{"n": 5}`, false},
		{">= inclusive", `{"n": [{"numeric": [">=", 5]}]}`, `{"n": 5}`, true},
		{"> exclusive", `{"n": [{"numeric": [">", 5]}]}`, `{"n": 5}`, false},
		{"> 5 vs 5.000001", `{"n": [{"numeric": [">", 5]}]}`, `{"n": 5.000001}`, true},
		{">= 0 < 1, lower edge", `{"n": [{"numeric": [">=", 0, "<", 1]}]}`, `{"n": 0}`, true},
		{">= 0 < 1, upper edge", `{"n": [{"numeric": [">=", 0, "<", 1]}]}`, `{"n": 1}`, false},
		{">= 0 < 1, -0", `{"n": [{"numeric": [">=", 0, "<", 1]}]}`, `{"n": -0}`, true},
		{"negative range", `{"n": [{"numeric": [">", -10.5, "<=", -1]}]}`, `{"n": -10.4}`, true},
		{"negative range below", `{"n": [{"numeric": [">", -10.5, "<=", -1]}]}`, `{"n": -10.5}`, false},
		{"negative floors past the bound", `{"n": [{"numeric": [">=", -1]}]}`, `{"n": -1.0000001}`, false},
		{"string is not a number", `{"n": [{"numeric": [">", 0]}]}`, `{"n": "5"}`, false},
		{"null is not a number", `{"n": [{"numeric": [">", 0]}]}`, `{"n": null}`, false},
		{"missing", `{"n": [{"numeric": [">", 0]}]}`, `{}`, false},
		{"upper limit inclusive", `{"n": [{"numeric": [">", 0]}]}`, `{"n": 5.0e9}`, true},
		{"above the documented range", `{"n": [{"numeric": [">", 0]}]}`, `{"n": 5000000000.1}`, false},
		{"far above the documented range", `{"n": [{"numeric": [">", 0]}]}`, `{"n": 1e300}`, false},
		{"lower limit inclusive", `{"n": [{"numeric": ["<", 0]}]}`, `{"n": -5e9}`, true},
		{"below the documented range", `{"n": [{"numeric": ["<", 0]}]}`, `{"n": -5.000000001e9}`, false},
		{"tiny", `{"n": [{"numeric": [">", 0]}]}`, `{"n": 1e-7}`, false},
		{"tiny but counted", `{"n": [{"numeric": [">", 0]}]}`, `{"n": 1e-6}`, true},
		{"huge negative exponent", `{"n": [{"numeric": ["=", 0]}]}`, `{"n": 1e-999999999999}`, true},
		{"one of several numeric", `{"n": [{"numeric": ["<", 0]}, {"numeric": [">", 100]}]}`, `{"n": 101}`, true},
		{"lambda doc: Temperature in (50, 60]", `{"data": {"Temperature": [{"numeric": [">", 50, "<=", 60]}]}}`, `{"data": {"Temperature": 55}}`, true},
		{"lambda doc: Temperature 50", `{"data": {"Temperature": [{"numeric": [">", 50, "<=", 60]}]}}`, `{"data": {"Temperature": 50}}`, false},
		{"lambda doc: Price is 100", `{"Price": [{"numeric": ["=", 100]}]}`, `{"Price": 100}`, true},
		{"lambda doc: Price between 10 and 20", `{"Price": [{"numeric": [">", 10, "<=", 20]}]}`, `{"Price": 20}`, true},
	})
}

// TestCIDR uses "IP address matching" of eb-create-pattern-operators and the
// SNS "String value matching" page.
func TestCIDR(t *testing.T) {
	v4 := `{"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/24"}]}}`
	ev := func(ip string) string { return `{"detail": {"sourceIPAddress": ` + ip + `}}` }
	v6 := `{"ip": [{"cidr": "2001:db8::/32"}]}`
	runMatchCases(t, Compile, []matchCase{
		{"sns doc: 10.0.0.0", v4, ev(`"10.0.0.0"`), true},
		{"sns doc: 10.0.0.255", v4, ev(`"10.0.0.255"`), true},
		{"sns doc: 10.1.1.0", v4, ev(`"10.1.1.0"`), false},
		{"10.0.0.24", v4, ev(`"10.0.0.24"`), true},
		{"just above", v4, ev(`"10.0.1.0"`), false},
		{"just below", v4, ev(`"9.255.255.255"`), false},
		{"not an IP", v4, ev(`"10.0.0.x"`), false},
		{"leading zeros are not an IPv4 address", v4, ev(`"010.0.0.1"`), false},
		{"a number is not an IP", v4, ev(`10`), false},
		{"IPv6 is not in an IPv4 block", v4, ev(`"::ffff:10.0.0.1"`), false},
		{"in an array", v4, ev(`["192.168.0.1", "10.0.0.7"]`), true},
		{"base address is masked", `{"ip": [{"cidr": "10.0.0.5/24"}]}`, `{"ip": "10.0.0.1"}`, true},
		{"/32", `{"ip": [{"cidr": "10.0.0.5/32"}]}`, `{"ip": "10.0.0.5"}`, true},
		{"/32 other", `{"ip": [{"cidr": "10.0.0.5/32"}]}`, `{"ip": "10.0.0.6"}`, false},
		{"/0 is every IPv4 address", `{"ip": [{"cidr": "0.0.0.0/0"}]}`, `{"ip": "255.255.255.255"}`, true},
		{"/31 upper", `{"ip": [{"cidr": "192.168.1.0/31"}]}`, `{"ip": "192.168.1.1"}`, true},
		{"/31 outside", `{"ip": [{"cidr": "192.168.1.0/31"}]}`, `{"ip": "192.168.1.2"}`, false},
		{"IPv6 first", v6, `{"ip": "2001:db8::"}`, true},
		{"IPv6 last", v6, `{"ip": "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"}`, true},
		{"IPv6 uppercase expanded", v6, `{"ip": "2001:0DB8:0000:0000:0000:0000:0000:0001"}`, true},
		{"IPv6 outside", v6, `{"ip": "2001:db9::1"}`, false},
		{"IPv4 is not in an IPv6 block", `{"ip": [{"cidr": "::/0"}]}`, `{"ip": "10.0.0.1"}`, false},
		{"zoned address", v6, `{"ip": "2001:db8::1%eth0"}`, false},
	})
}

// TestExists uses the exists examples of eb-create-pattern-operators (and its
// older version, eb-event-patterns-content-based-filtering).
func TestExists(t *testing.T) {
	notCCount := `{"detail": {"c-count": [{"exists": false}]}}`
	runMatchCases(t, Compile, []matchCase{
		{"doc: exists false, field missing", notCCount,
			`{"detail-type": ["EC2 Instance State-change Notification"], "detail": {"state": ["initializing", "running"]}}`, true},
		{"doc: exists false, field not a leaf", notCCount,
			`{"detail": {"state": ["initializing", "running"], "c-count": {"c1": 100}}}`, true},
		{"exists false, field present", notCCount, `{"detail": {"c-count": 1}}`, false},
		{"exists false, parent missing", notCCount, `{"source": "x"}`, true},
		{"exists false, parent not an object", notCCount, `{"detail": "x"}`, true},
		{"doc: exists true", `{"detail": {"state": [{"exists": true}]}}`,
			`{"version": "0", "detail": {"instance-id": "i-abcd1111", "state": "pending"}}`, true},
		{"doc: exists true, field missing", `{"detail": {"state": [{"exists": true}]}}`,
			`{"detail": {"c-count": {"c1": 100}}}`, false},
		{"exists true, field not a leaf", `{"detail": {"c-count": [{"exists": true}]}}`, `{"detail": {"c-count": {"c1": 100}}}`, false},
		{"exists true, false value", `{"a": [{"exists": true}]}`, `{"a": false}`, true},
		{"exists true, empty string", `{"a": [{"exists": true}]}`, `{"a": ""}`, true},
		{"exists true, array", `{"a": [{"exists": true}]}`, `{"a": ["x"]}`, true},
		{"exists false, array of objects", `{"a": [{"exists": false}]}`, `{"a": [{"b": 1}]}`, true},
		{"exists false or a value", `{"a": [{"exists": false}, "x"]}`, `{"a": "x"}`, true},
		{"exists false or a value, missing", `{"a": [{"exists": false}, "x"]}`, `{}`, true},
		{"exists false or a value, other", `{"a": [{"exists": false}, "x"]}`, `{"a": "y"}`, false},
		{"exists false in object arrays, judged per element", `{"d": {"a": [{"exists": false}], "b": [{"exists": true}]}}`, `{"d": [{"a": 1}, {"b": 2}]}`, true},
		{"exists false in object arrays, no element fits", `{"d": {"a": [{"exists": false}], "b": [{"exists": true}]}}`, `{"d": [{"a": 1, "b": 2}]}`, false},
		{"exists false with an empty event array", `{"d": {"a": [{"exists": false}]}}`, `{"d": []}`, true},
		{"exists true with an empty event array", `{"d": {"a": [{"exists": true}]}}`, `{"d": []}`, false},
		{"lambda doc: ProductName does not exist", `{"ProductName": [{"exists": false}]}`, `{"Name": "x"}`, true},
	})
}

// TestWildcard uses "Wildcard matching" of eb-create-pattern-operators and
// AWS's rules for escaping.
func TestWildcard(t *testing.T) {
	busArn := `{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:*:event-bus/*"}]}`
	runMatchCases(t, Compile, []matchCase{
		{"doc: event bus arn", busArn, `{"EventBusArn": "arn:aws:events:us-east-1:123456789012:event-bus/default"}`, true},
		{"doc: event bus arn, other region", busArn, `{"EventBusArn": "arn:aws:events:us-west-2:123456789012:event-bus/default"}`, false},
		{"doc: dir/*.png", `{"FileName": [{"wildcard": "dir/*.png"}]}`, `{"FileName": "dir/a/b.png"}`, true},
		{"doc: dir/*.png, other folder", `{"FileName": [{"wildcard": "dir/*.png"}]}`, `{"FileName": "other/b.png"}`, false},
		{"star matches empty", `{"a": [{"wildcard": "ab*cd"}]}`, `{"a": "abcd"}`, true},
		{"star alone matches any string", `{"a": [{"wildcard": "*"}]}`, `{"a": ""}`, true},
		{"star alone does not match numbers", `{"a": [{"wildcard": "*"}]}`, `{"a": 1}`, false},
		{"no star is exact", `{"a": [{"wildcard": "abc"}]}`, `{"a": "abcd"}`, false},
		{"leading star", `{"a": [{"wildcard": "*.jar"}]}`, `{"a": "x/y.jar"}`, true},
		{"trailing star", `{"a": [{"wildcard": "Simple*"}]}`, `{"a": "SimpleService"}`, true},
		{"readme: Simple*Service", `{"a": [{"wildcard": "Simple*Service"}]}`, `{"a": "SimpleNotificationService"}`, true},
		{"segments must not overlap", `{"a": [{"wildcard": "ab*ba"}]}`, `{"a": "aba"}`, false},
		{"repeated segments", `{"a": [{"wildcard": "*a*a*a*"}]}`, `{"a": "xaxaxa"}`, true},
		{"repeated segments, too few", `{"a": [{"wildcard": "*a*a*a*"}]}`, `{"a": "xaxa"}`, false},
		{"escaped star is literal", `{"a": [{"wildcard": "a\\*b"}]}`, `{"a": "a*b"}`, true},
		{"escaped star does not match other text", `{"a": [{"wildcard": "a\\*b"}]}`, `{"a": "axxb"}`, false},
		{"escaped backslash", `{"a": [{"wildcard": "a\\\\b"}]}`, `{"a": "a\\b"}`, true},
		{"escaped star next to a wildcard", `{"a": [{"wildcard": "\\**"}]}`, `{"a": "*abc"}`, true},
		{"escaped star next to a wildcard, no star", `{"a": [{"wildcard": "\\**"}]}`, `{"a": "abc"}`, false},
		{"case sensitive", `{"a": [{"wildcard": "A*"}]}`, `{"a": "abc"}`, false},
		{"multibyte", `{"a": [{"wildcard": "é*ü"}]}`, `{"a": "éàü"}`, true},
	})
}

// TestOr uses "$or" examples of eb-create-pattern-operators and the event-ruler
// README.
func TestOr(t *testing.T) {
	flatOr := `{"$or": [
	  {"c-count": [{"numeric": [">", 0, "<=", 5]}]},
	  {"d-count": [{"numeric": ["<", 10]}]},
	  {"x-limit": [{"numeric": ["=", 3.018e2]}]}]}`
	nestedOr := `{"detail": {"$or": [
	  {"c-count": [{"numeric": [">", 0, "<=", 5]}]},
	  {"d-count": [{"numeric": ["<", 10]}]},
	  {"x-limit": [{"numeric": ["=", 3.018e2]}]}]}}`
	andOr := `{"source": ["aws.cloudwatch"], "$or": [
	  {"metricName": ["CPUUtilization", "ReadLatency"]},
	  {"namespace": ["AWS/EC2", "AWS/ES"]}]}`
	parallel := `{"$or": [{"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}],
	  "detail": {"$or": [{"source": ["aws.cloudwatch"]}, {"detail-type": ["CloudWatch Alarm State Change"]}]}}`
	nested := `{"source": ["aws.cloudwatch"], "$or": [
	  {"metricName": ["CPUUtilization", "ReadLatency"]},
	  {"metricType": ["MetricType"], "namespace": ["AWS/EC2", "AWS/ES"],
	   "$or": [{"metricId": [1234]}, {"spaceId": [1000]}]},
	  {"scope": ["Service"]}]}`
	runMatchCases(t, Compile, []matchCase{
		{"doc: first branch", flatOr, `{"c-count": 3}`, true},
		{"doc: third branch", flatOr, `{"c-count": 30, "x-limit": 301.8}`, true},
		{"doc: no branch", flatOr, `{"c-count": 30, "d-count": 10}`, false},
		{"doc: nested", nestedOr, `{"detail": {"d-count": 1}}`, true},
		{"doc: nested, fields at the wrong level", nestedOr, `{"d-count": 1}`, false},
		{"and with or", andOr, `{"source": "aws.cloudwatch", "namespace": "AWS/ES"}`, true},
		{"and with or, and fails", andOr, `{"source": "aws.ec2", "namespace": "AWS/ES"}`, false},
		{"and with or, or fails", andOr, `{"source": "aws.cloudwatch", "namespace": "AWS/S3"}`, false},
		{"parallel or", parallel, `{"namespace": "AWS/EC2", "detail": {"detail-type": "CloudWatch Alarm State Change"}}`, true},
		{"parallel or, second fails", parallel, `{"namespace": "AWS/EC2", "detail": {"source": "aws.ec2"}}`, false},
		{"nested or, inner branch", nested, `{"source": "aws.cloudwatch", "metricType": "MetricType", "namespace": "AWS/EC2", "spaceId": 1000}`, true},
		{"nested or, inner fails", nested, `{"source": "aws.cloudwatch", "metricType": "MetricType", "namespace": "AWS/EC2", "spaceId": 1001}`, false},
		{"nested or, other branch", nested, `{"source": "aws.cloudwatch", "scope": "Service"}`, true},
		{"or with exists false", `{"$or": [{"a": [{"exists": false}]}, {"a": ["x"]}]}`, `{"b": 1}`, true},
		{"or branch with nested object", `{"$or": [{"detail": {"a": ["x"]}}, {"detail": {"b": ["y"]}}]}`, `{"detail": {"b": "y"}}`, true},
		{"or over an array of objects stays in one element", `{"d": {"k": ["1"], "$or": [{"a": ["x"]}, {"b": ["y"]}]}}`, `{"d": [{"k": "1"}, {"a": "x"}]}`, false},
		{"or over an array of objects, same element", `{"d": {"k": ["1"], "$or": [{"a": ["x"]}, {"b": ["y"]}]}}`, `{"d": [{"k": "2", "a": "x"}, {"k": "1", "b": "y"}]}`, true},
		{"two $or keys must both hold", `{"$or": [{"a": ["1"]}, {"b": ["1"]}], "$or": [{"c": ["1"]}, {"d": ["1"]}]}`, `{"a": "1", "d": "1"}`, true},
		{"two $or keys, second fails", `{"$or": [{"a": ["1"]}, {"b": ["1"]}], "$or": [{"c": ["1"]}, {"d": ["1"]}]}`, `{"a": "1"}`, false},
	})
}

// TestComplexExample is "Complex example with multiple matching" of the
// content-filtering page, with the event-ruler README event.
func TestComplexExample(t *testing.T) {
	p := `{
	  "time": [{"prefix": "2017-10-02"}],
	  "detail": {
	    "state": [{"anything-but": "initializing"}],
	    "c-count": [{"numeric": [">", 0, "<=", 5]}],
	    "d-count": [{"numeric": ["<", 10]}],
	    "x-limit": [{"anything-but": [100, 200, 300]}],
	    "source-ip": [{"cidr": "10.0.0.0/8"}]}}`
	ev := `{
	  "version": "0", "id": "ddddd4-aaaa-7777-4444-345dd43cc333",
	  "detail-type": "EC2 Instance State-change Notification", "source": "aws.ec2",
	  "account": "012345679012", "time": "2017-10-02T16:24:49Z", "region": "us-east-1",
	  "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
	  "detail": {"c-count": 5, "d-count": 3, "x-limit": 301.8, "source-ip": "10.0.0.33",
	             "instance-id": "i-000000aaaaaa00000", "state": "running"}}`
	runMatchCases(t, Compile, []matchCase{
		{"matches", p, ev, true},
		{"state initializing", p, strings.Replace(ev, `"running"`, `"initializing"`, 1), false},
		{"x-limit excluded", p, strings.Replace(ev, `301.8`, `300`, 1), false},
		{"source-ip outside", p, strings.Replace(ev, `10.0.0.33`, `11.0.0.33`, 1), false},
		{"another day", p, strings.Replace(ev, `2017-10-02`, `2017-10-03`, 1), false},
	})
}

// TestDuplicateKeys: "if you include a key more than once the last reference
// will be the one used" (eb-event-patterns-content-based-filtering).
func TestDuplicateKeys(t *testing.T) {
	p := `{"detail": {"location": [{"prefix": "us-"}], "location": [{"anything-but": "us-east"}]}}`
	merged := `{"detail": {"a": ["x"]}, "detail": {"b": ["y"]}}`
	runMatchCases(t, Compile, []matchCase{
		{"doc: only the last is used", p, `{"detail": {"location": "eu-west"}}`, true},
		{"doc: last excludes", p, `{"detail": {"location": "us-east"}}`, false},
		{"objects combine", merged, `{"detail": {"a": "x", "b": "y"}}`, true},
		{"objects combine, first part fails", merged, `{"detail": {"a": "z", "b": "y"}}`, false},
		{"leaf replaced by object", `{"a": ["x"], "a": {"b": ["y"]}}`, `{"a": {"b": "y"}}`, true},
	})
}

// TestLambdaExamples uses "Lambda event filtering" (invocation-eventfiltering).
func TestLambdaExamples(t *testing.T) {
	kinesis := `{"partitionKey": "1", "sequenceNumber": "49590338271490256608559692538361571095921575989136588898",
	  "data": {"City": "Seattle", "State": "WA", "Temperature": "46", "Month": "December", "Location": "Los Angeles"},
	  "approximateArrivalTimestamp": 1545084650.987}`
	dynamo := `{"dynamodb": {"Keys": {"Id": {"N": "101"}}, "NewImage": {"Message": {"S": "New item!"}, "Id": {"N": "101"}},
	  "SequenceNumber": "111", "SizeBytes": 26, "StreamViewType": "NEW_AND_OLD_IMAGES"}}`
	runMatchCases(t, Compile, []matchCase{
		{"doc: partitionKey and Location", `{"partitionKey": ["1"], "data": {"Location": ["Los Angeles"]}}`, kinesis, true},
		{"doc: Temperature is a string, not a number", `{"data": {"Temperature": [{"numeric": [">", 40]}]}}`, kinesis, false},
		{"doc: multi-level", `{"dynamodb": {"Keys": {"Id": {"N": ["101"]}}}}`, dynamo, true},
		{"doc: multi-level, other id", `{"dynamodb": {"Keys": {"Id": {"N": ["102"]}}}}`, dynamo, false},
		{"doc: a is 1 or 2", `{"a": [1, 2]}`, `{"a": 2}`, true},
		{"doc: a is 1 or 2, written 2.0", `{"a": [1, 2]}`, `{"a": 2.0}`, false},
		{"doc: Weather is anything but Raining", `{"Weather": [{"anything-but": ["Raining"]}]}`, `{"Weather": "Sunny"}`, true},
		{"doc: UserID is null", `{"UserID": [null]}`, `{"UserID": null}`, true},
		{"doc: LastName is empty", `{"LastName": [""]}`, `{"LastName": ""}`, true},
	})
}

func TestMatchValue(t *testing.T) {
	p, err := Compile(`{"a": [300], "b": [{"numeric": [">", 1]}], "c": ["x"]}`)
	if err != nil {
		t.Fatal(err)
	}
	if !p.MatchValue(map[string]any{"a": json.Number("300"), "b": json.Number("2"), "c": "x"}) {
		t.Error("json.Number event should match")
	}
	if p.MatchValue(map[string]any{"a": json.Number("300.0"), "b": json.Number("2"), "c": "x"}) {
		t.Error("300.0 should not match 300")
	}
	// Go numbers are accepted, without their literal.
	if !p.MatchValue(map[string]any{"a": 300.0, "b": 2, "c": "x"}) {
		t.Error("float64 300 should match 300")
	}
	if !p.MatchValue(map[string]any{"a": int64(300), "b": uint(5), "c": []any{"y", "x"}}) {
		t.Error("int types should match")
	}
	// Other types never match, and never panic.
	if p.MatchValue(map[string]any{"a": json.Number("300"), "b": json.Number("2"), "c": struct{}{}}) {
		t.Error("a struct must not match")
	}
	if p.MatchValue(map[string]string{"c": "x"}) {
		t.Error("map[string]string is not a decoded event")
	}
	if p.MatchValue(nil) {
		t.Error("nil event")
	}
	var nilPattern *Pattern
	if nilPattern.MatchValue(map[string]any{}) {
		t.Error("nil pattern")
	}
}

func TestMatchInvalidEvent(t *testing.T) {
	p, err := Compile(`{"a": ["x"]}`)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range []string{``, `{`, `{"a": "x"} {}`, `{"a": "x"}x`, `nope`} {
		if _, err := p.Match([]byte(ev)); err == nil {
			t.Errorf("Match(%q): want an error", ev)
		}
	}
	if ok, err := p.Match([]byte(" {\"a\": \"x\"}\n ")); err != nil || !ok {
		t.Errorf("whitespace around the event: %v %v", ok, err)
	}
}

func TestConcurrentUse(t *testing.T) {
	p, err := Compile(`{"a": [{"wildcard": "x*y"}, {"numeric": [">", 1]}]}`)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan bool)
	for i := 0; i < 8; i++ {
		go func() {
			for j := 0; j < 200; j++ {
				ok, err := p.Match([]byte(`{"a": ["xzy", 0]}`))
				if err != nil || !ok {
					t.Error("concurrent match failed")
				}
			}
			done <- true
		}()
	}
	for i := 0; i < 8; i++ {
		<-done
	}
}

func TestErrorType(t *testing.T) {
	_, err := Compile(`{"detail": {"state": []}}`)
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("want *Error, got %T %v", err, err)
	}
	if pe.Reason != "Empty arrays are not allowed" || pe.Path != "detail.state" {
		t.Errorf("got %+v", pe)
	}
	if got := pe.Error(); got != `Empty arrays are not allowed (at "detail.state")` {
		t.Errorf("Error() = %q", got)
	}
}
