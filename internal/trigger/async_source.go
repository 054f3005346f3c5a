package trigger

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// Asynchronous event sources wired by lambdatrigger_async_source: S3, SNS, EventBridge and CloudWatch
// Logs (SEMANTICS.md D). Pure checks and wording; the provider does the calls.

// S3EventTypes are the event types an S3 notification configuration accepts.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
var S3EventTypes = []string{
	"s3:TestEvent",
	"s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy",
	"s3:ObjectCreated:CompleteMultipartUpload",
	"s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated",
	"s3:ObjectRestore:*", "s3:ObjectRestore:Post", "s3:ObjectRestore:Completed", "s3:ObjectRestore:Delete",
	"s3:ReducedRedundancyLostObject",
	"s3:Replication:*", "s3:Replication:OperationFailedReplication", "s3:Replication:OperationMissedThreshold",
	"s3:Replication:OperationReplicatedAfterThreshold", "s3:Replication:OperationNotTracked",
	"s3:LifecycleExpiration:*", "s3:LifecycleExpiration:Delete", "s3:LifecycleExpiration:DeleteMarkerCreated",
	"s3:LifecycleTransition", "s3:IntelligentTiering",
	"s3:ObjectTagging:*", "s3:ObjectTagging:Put", "s3:ObjectTagging:Delete",
	"s3:ObjectAcl:Put",
}

// S3FilterValueMaxLength bounds a prefix or suffix filter rule (an object key is at most 1024 bytes).
const S3FilterValueMaxLength = 1024

// EventBridge target retry policy bounds (eb-rule-retry-policy).
const (
	EventBridgeRetryAttemptsMax = 185
	EventBridgeEventAgeMin      = 60
	EventBridgeEventAgeMax      = 86400
)

// CloudWatchLogsFiltersPerGroup is the number of subscription filters a log group may have.
const CloudWatchLogsFiltersPerGroup = 2

var scheduleExpression = regexp.MustCompile(`^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(\S+ \S+ \S+ \S+ \S+ \S+\))$`)

// ValidateS3EventType checks one S3 event type.
func ValidateS3EventType(e string) error {
	for _, known := range S3EventTypes {
		if e == known {
			return nil
		}
	}
	return fmt.Errorf("%q is not an S3 event type (e.g. s3:ObjectCreated:*, s3:ObjectRemoved:Delete)", e)
}

// S3EventsOverlap reports whether two S3 event types share events: equal, or one is the other's
// wildcard (s3:ObjectCreated:* and s3:ObjectCreated:Put).
func S3EventsOverlap(a, b string) bool {
	if a == b {
		return true
	}
	family := func(e string) (string, bool) {
		if strings.HasSuffix(e, ":*") {
			return strings.TrimSuffix(e, "*"), true
		}
		return e, false
	}
	fa, wa := family(a)
	fb, wb := family(b)
	return (wa && strings.HasPrefix(b, fa)) || (wb && strings.HasPrefix(a, fb))
}

// S3FiltersOverlap reports whether two prefix/suffix filters can match the same key: S3 refuses two
// configurations with a shared event type whose filters overlap so.
func S3FiltersOverlap(prefixA, suffixA, prefixB, suffixB string) bool {
	prefixes := strings.HasPrefix(prefixA, prefixB) || strings.HasPrefix(prefixB, prefixA)
	suffixes := strings.HasSuffix(suffixA, suffixB) || strings.HasSuffix(suffixB, suffixA)
	return prefixes && suffixes
}

// ValidateScheduleExpression checks an EventBridge schedule expression: rate(N unit) or cron(6 fields).
func ValidateScheduleExpression(s string) error {
	if !scheduleExpression.MatchString(s) {
		return fmt.Errorf("%q is not a schedule expression: use rate(5 minutes) or cron(0 12 * * ? *)", s)
	}
	return nil
}

// ValidateJSONObject checks that s is a JSON object (an event pattern, a filter policy).
func ValidateJSONObject(s string) error {
	var v map[string]any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return fmt.Errorf("not a JSON object: %v", err)
	}
	return nil
}

// AsyncSourceStatementID is the deterministic statement id of the permission an async source adds:
// the same inputs give the same id, so a replacement or a re-apply never collides with a stranger's
// statement, and two sources of one function never share one (SEMANTICS.md E, pain point 6).
func AsyncSourceStatementID(service, sourceARN, function, qualifier string) string {
	sum := sha256.Sum256([]byte(service + "\n" + sourceARN + "\n" + function + "\n" + qualifier))
	return "lambdatrigger-" + hex.EncodeToString(sum[:])[:24]
}

// AsyncSourceBehavior joins what the source does ("s3:ObjectCreated:* under photos/uploads/*.jpg")
// with what Lambda does under the function's event invoke configuration.
func AsyncSourceBehavior(source string, retries, maxAgeSeconds int64, onSuccess, onFailure string) string {
	return source + " -> " + InvocationEvent + "; " + AsyncBehavior(retries, maxAgeSeconds, onSuccess, onFailure)
}

// S3SourceDescription is "s3:ObjectCreated:*,s3:ObjectRemoved:* under bucket/prefix*suffix".
func S3SourceDescription(bucket string, events []string, prefix, suffix string) string {
	return strings.Join(events, ",") + " under " + bucket + "/" + prefix + "*" + suffix
}

// SNSSourceDescription is "sns:topic[ filtered on MessageAttributes]; SNS retries deliveries for ~23 days".
func SNSSourceDescription(topic string, filtered bool, scope string) string {
	s := "sns:" + topic
	if filtered {
		if scope == "" {
			scope = "MessageAttributes"
		}
		s += " filtered on " + scope
	}
	return s + " (SNS retries failed deliveries for ~23 days)"
}

// EventBridgeSourceDescription is "events:rule (pattern|rate(5 minutes)), EventBridge retries N times
// for T[, then dlq]".
func EventBridgeSourceDescription(rule, what string, retries, maxAgeSeconds int64, dlq string) string {
	s := "events:" + rule
	if what != "" {
		s += " (" + what + ")"
	}
	s += fmt.Sprintf(" (EventBridge retries %d times within %s", retries, FormatSeconds(maxAgeSeconds))
	if dlq != "" {
		s += ", then -> " + DescribeDestination(dlq)
	}
	return s + ")"
}

// LogsSourceDescription is `logs:group filter "pattern"`.
func LogsSourceDescription(group, pattern string) string {
	if pattern == "" {
		return "logs:" + group + " (every event)"
	}
	return "logs:" + group + " matching " + fmt.Sprintf("%q", pattern)
}
