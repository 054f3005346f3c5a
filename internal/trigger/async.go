package trigger

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Asynchronous invocation (InvocationType=Event) and its event invoke configuration (SEMANTICS.md B;
// API_PutFunctionEventInvokeConfig).
const (
	MaximumRetryAttemptsMin     = 0
	MaximumRetryAttemptsMax     = 2
	MaximumRetryAttemptsDefault = 2 // what Lambda does when no configuration says otherwise

	MaximumEventAgeMin     = 60    // seconds
	MaximumEventAgeMax     = 21600 // seconds (6 hours)
	MaximumEventAgeDefault = 21600 // seconds: events are kept 6 hours unless configured otherwise

	// QualifierMaxLength bounds the Qualifier parameter: a version number, $LATEST, or an alias name.
	QualifierMaxLength = 128
)

// AsyncRetryDelays are AWS's waits after a function error before the 2nd and the 3rd attempt:
// about one minute, then about two. Throttles and system errors follow another backoff (1 s up to
// 5 min, bounded by the event age) and do not spend these retries.
var AsyncRetryDelays = [MaximumRetryAttemptsMax]time.Duration{time.Minute, 2 * time.Minute}

// Destination is an ARN service an asynchronous invocation record can be sent to.
type Destination struct {
	Service   string // the ARN's service, e.g. "sqs"
	Kind      string // what it is, with its article, for messages, e.g. "an SQS queue"
	Action    string // what the execution role must allow, e.g. "sqs:SendMessage"
	OnSuccess bool   // accepted as an on-success destination
	OnFailure bool   // accepted as an on-failure destination
}

// Destinations are the targets of DestinationConfig: SQS, SNS, Lambda and EventBridge on success
// and on failure, S3 buckets on failure only.
var Destinations = []Destination{
	{Service: "sqs", Kind: "an SQS queue", Action: "sqs:SendMessage", OnSuccess: true, OnFailure: true},
	{Service: "sns", Kind: "an SNS topic", Action: "sns:Publish", OnSuccess: true, OnFailure: true},
	{Service: "lambda", Kind: "a Lambda function", Action: "lambda:InvokeFunction", OnSuccess: true, OnFailure: true},
	{Service: "events", Kind: "an EventBridge event bus", Action: "events:PutEvents", OnSuccess: true, OnFailure: true},
	{Service: "s3", Kind: "an S3 bucket", Action: "s3:PutObject", OnFailure: true},
}

// LookupDestination finds the destination row of an ARN service.
func LookupDestination(service string) (Destination, bool) {
	for _, d := range Destinations {
		if d.Service == service {
			return d, true
		}
	}
	return Destination{}, false
}

// DestinationServices lists the services accepted on success (onFailure false) or on failure.
func DestinationServices(onFailure bool) []string {
	var out []string
	for _, d := range Destinations {
		if (onFailure && d.OnFailure) || (!onFailure && d.OnSuccess) {
			out = append(out, d.Service)
		}
	}
	return out
}

var (
	arnPattern            = regexp.MustCompile(`^arn:(aws[a-zA-Z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$`)
	queueOrTopicPattern   = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,256}(\.fifo)?$`)
	eventBusPattern       = regexp.MustCompile(`^event-bus/[/.\-_A-Za-z0-9]{1,256}$`)
	bucketPattern         = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	functionQualifiedPart = regexp.MustCompile(`^function:[a-zA-Z0-9_-]{1,64}(:(\$LATEST|[a-zA-Z0-9_-]{1,128}))?$`)
	functionNameOrARN     = regexp.MustCompile(`^(arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?[a-zA-Z0-9_-]{1,64}$`)
	versionPattern        = regexp.MustCompile(`^[0-9]+$`)
	aliasPattern          = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)
)

// arnParts is an ARN split into its parts.
type arnParts struct {
	Partition, Service, Region, Account, Resource string
}

// splitARN splits arn:<partition>:<service>:<region>:<account>:<resource>.
func splitARN(arn string) (arnParts, bool) {
	m := arnPattern.FindStringSubmatch(arn)
	if m == nil {
		return arnParts{}, false
	}
	return arnParts{Partition: m[1], Service: m[2], Region: m[3], Account: m[4], Resource: m[5]}, true
}

// ValidateDestinationARN checks a destination's ARN: its form, and that its service is accepted on
// success or (onFailure) on failure.
func ValidateDestinationARN(arn string, onFailure bool) error {
	a, ok := splitARN(arn)
	if !ok {
		return fmt.Errorf("%q is not an ARN (arn:aws:<service>:<region>:<account>:<resource>)", arn)
	}
	which := "on-success"
	if onFailure {
		which = "on-failure"
	}
	d, ok := LookupDestination(a.Service)
	if !ok {
		return fmt.Errorf("%q is a %s ARN; an %s destination must be one of: %s", arn, a.Service, which,
			strings.Join(DestinationServices(onFailure), ", "))
	}
	if (onFailure && !d.OnFailure) || (!onFailure && !d.OnSuccess) {
		return fmt.Errorf("%q is %s; Lambda accepts %s only as an on-failure destination", arn, d.Kind, d.Kind)
	}
	regional := a.Region != "" && a.Account != ""
	var formOK bool
	switch a.Service {
	case "sqs", "sns":
		formOK = regional && queueOrTopicPattern.MatchString(a.Resource)
	case "lambda":
		formOK = regional && functionQualifiedPart.MatchString(a.Resource)
	case "events":
		formOK = regional && eventBusPattern.MatchString(a.Resource)
	case "s3":
		formOK = a.Region == "" && a.Account == "" && bucketPattern.MatchString(a.Resource)
	}
	if !formOK {
		return fmt.Errorf("%q is not the ARN of %s, which looks like %s", arn, d.Kind, destinationExample(a.Service))
	}
	return nil
}

func destinationExample(service string) string {
	switch service {
	case "sqs":
		return "arn:aws:sqs:us-east-1:123456789012:my-queue"
	case "sns":
		return "arn:aws:sns:us-east-1:123456789012:my-topic"
	case "lambda":
		return "arn:aws:lambda:us-east-1:123456789012:function:my-function"
	case "events":
		return "arn:aws:events:us-east-1:123456789012:event-bus/default"
	default:
		return "arn:aws:s3:::my-bucket"
	}
}

// IsFIFODestination reports whether arn names a FIFO queue or topic: Lambda accepts it in the
// configuration, but delivery to it fails (DestinationDeliveryFailures).
func IsFIFODestination(arn string) bool {
	a, ok := splitARN(arn)
	return ok && (a.Service == "sqs" || a.Service == "sns") && strings.HasSuffix(a.Resource, ".fifo")
}

// DescribeDestination is a destination's short name for people: "sqs:orders-dlq", "events:default",
// "lambda:notify", "s3:failed-events".
func DescribeDestination(arn string) string {
	a, ok := splitARN(arn)
	if !ok {
		return arn
	}
	name := a.Resource
	switch a.Service {
	case "lambda":
		name = strings.TrimPrefix(name, "function:")
	case "events":
		name = strings.TrimPrefix(name, "event-bus/")
	}
	return a.Service + ":" + name
}

// ValidateFunctionNameOrARN checks FunctionName as the event invoke config operations take it
// without a qualifier: my-function, 123456789012:function:my-function, or the function's ARN.
func ValidateFunctionNameOrARN(s string) error {
	if !functionNameOrARN.MatchString(s) {
		return fmt.Errorf("%q is not a function name (my-function), partial ARN (123456789012:function:my-function) "+
			"or function ARN (arn:aws:lambda:us-east-1:123456789012:function:my-function)", s)
	}
	return nil
}

// ValidateQualifier checks a qualifier: $LATEST, a version number, or an alias name (which is not
// all digits), at most 128 characters.
func ValidateQualifier(q string) error {
	switch {
	case q == VersionLatest:
		return nil
	case q == "" || len(q) > QualifierMaxLength:
		return fmt.Errorf("qualifier must be 1 to %d characters long, got %d", QualifierMaxLength, len(q))
	case versionPattern.MatchString(q):
		if n, err := strconv.ParseUint(q, 10, 64); err != nil || n == 0 {
			return fmt.Errorf("qualifier %q is not a published version: versions are numbered from 1", q)
		}
		return nil
	case aliasPattern.MatchString(q):
		return nil
	}
	return fmt.Errorf("qualifier %q must be $LATEST, a version number, or an alias name of letters, digits, hyphens and underscores", q)
}

// AsyncBehavior describes in one line what Lambda does with an event under an event invoke
// configuration, e.g. "on error: 2 retries after ~1 min and ~2 min; events older than 1h expire;
// failures -> sqs:orders-dlq; successes -> events:default". Empty destinations are unset.
func AsyncBehavior(retries, maxAgeSeconds int64, onSuccess, onFailure string) string {
	var b strings.Builder
	b.WriteString("on error: ")
	switch {
	case retries <= 0:
		b.WriteString("no retries")
	case retries == 1:
		fmt.Fprintf(&b, "1 retry after %s", approx(AsyncRetryDelays[0]))
	default:
		fmt.Fprintf(&b, "%d retries after %s and %s", retries, approx(AsyncRetryDelays[0]), approx(AsyncRetryDelays[1]))
	}
	age := FormatSeconds(maxAgeSeconds)
	if onFailure == "" {
		fmt.Fprintf(&b, "; events older than %s dropped", age)
	} else {
		fmt.Fprintf(&b, "; events older than %s expire; failures -> %s", age, DescribeDestination(onFailure))
	}
	if onSuccess != "" {
		fmt.Fprintf(&b, "; successes -> %s", DescribeDestination(onSuccess))
	}
	return b.String()
}

func approx(d time.Duration) string { return fmt.Sprintf("~%d min", int(d/time.Minute)) }

// FormatSeconds writes a duration compactly: 21600 -> "6h", 5400 -> "1h30m", 90 -> "1m30s", 60 -> "1m".
func FormatSeconds(s int64) string {
	if s <= 0 {
		return "0s"
	}
	h, m, sec := s/3600, s%3600/60, s%60
	var b strings.Builder
	if h > 0 {
		fmt.Fprintf(&b, "%dh", h)
	}
	if m > 0 {
		fmt.Fprintf(&b, "%dm", m)
	}
	if sec > 0 {
		fmt.Fprintf(&b, "%ds", sec)
	}
	return b.String()
}
