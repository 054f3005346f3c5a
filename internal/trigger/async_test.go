package trigger

import (
	"strings"
	"testing"
)

func TestValidateDestinationARN(t *testing.T) {
	for _, tc := range []struct {
		arn       string
		onFailure bool
		want      string // "" for valid
	}{
		{"arn:aws:sqs:us-east-1:123456789012:orders-dlq", false, ""},
		{"arn:aws:sqs:us-east-1:123456789012:orders-dlq", true, ""},
		{"arn:aws:sns:eu-west-1:123456789012:results", false, ""},
		{"arn:aws:lambda:us-east-1:123456789012:function:notify", false, ""},
		{"arn:aws:lambda:us-east-1:123456789012:function:notify:live", true, ""},
		{"arn:aws:events:us-east-1:123456789012:event-bus/default", false, ""},
		{"arn:aws-cn:events:cn-north-1:123456789012:event-bus/orders", true, ""},
		{"arn:aws:s3:::failed-events", true, ""},
		{"arn:aws:s3:::failed-events", false, "only as an on-failure destination"},
		{"orders-dlq", true, "is not an ARN"},
		{"arn:aws:dynamodb:us-east-1:123456789012:table/t", true, "must be one of: sqs, sns, lambda, events, s3"},
		{"arn:aws:dynamodb:us-east-1:123456789012:table/t", false, "must be one of: sqs, sns, lambda, events"},
		{"arn:aws:events:us-east-1:123456789012:rule/r", false, "event-bus/default"},
		{"arn:aws:sqs:us-east-1:123456789012:has/slash", true, "not the ARN of an SQS queue"},
		{"arn:aws:sqs:::orders", true, "not the ARN of an SQS queue"},
		{"arn:aws:s3:us-east-1:123456789012:bucket", true, "arn:aws:s3:::my-bucket"},
		{"arn:aws:lambda:us-east-1:123456789012:layer:x", true, "not the ARN of a"},
	} {
		err := ValidateDestinationARN(tc.arn, tc.onFailure)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("ValidateDestinationARN(%q, %v) = %v, want nil", tc.arn, tc.onFailure, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("ValidateDestinationARN(%q, %v) = %v, want it to mention %q", tc.arn, tc.onFailure, err, tc.want)
		}
	}
}

func TestDestinationServices(t *testing.T) {
	if got := strings.Join(DestinationServices(false), ","); got != "sqs,sns,lambda,events" {
		t.Errorf("on success: %s", got)
	}
	if got := strings.Join(DestinationServices(true), ","); got != "sqs,sns,lambda,events,s3" {
		t.Errorf("on failure: %s", got)
	}
}

func TestIsFIFODestination(t *testing.T) {
	if !IsFIFODestination("arn:aws:sqs:us-east-1:123456789012:orders.fifo") || !IsFIFODestination("arn:aws:sns:us-east-1:123456789012:t.fifo") {
		t.Error("FIFO queue or topic not recognised")
	}
	if IsFIFODestination("arn:aws:sqs:us-east-1:123456789012:orders") || IsFIFODestination("arn:aws:s3:::x.fifo") {
		t.Error("standard queue or bucket taken for FIFO")
	}
}

func TestDescribeDestination(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:sqs:us-east-1:123456789012:orders-dlq":              "sqs:orders-dlq",
		"arn:aws:events:us-east-1:123456789012:event-bus/default":    "events:default",
		"arn:aws:lambda:us-east-1:123456789012:function:notify:live": "lambda:notify:live",
		"arn:aws:s3:::failed-events":                                 "s3:failed-events",
		"not-an-arn":                                                 "not-an-arn",
	} {
		if got := DescribeDestination(arn); got != want {
			t.Errorf("DescribeDestination(%q) = %q, want %q", arn, got, want)
		}
	}
}

func TestAsyncBehavior(t *testing.T) {
	const dlq = "arn:aws:sqs:us-east-1:123456789012:orders-dlq"
	const bus = "arn:aws:events:us-east-1:123456789012:event-bus/default"
	for _, tc := range []struct {
		retries, age         int64
		onSuccess, onFailure string
		want                 string
	}{
		{2, 3600, bus, dlq, "on error: 2 retries after ~1 min and ~2 min; events older than 1h expire; failures -> sqs:orders-dlq; successes -> events:default"},
		{2, 21600, "", "", "on error: 2 retries after ~1 min and ~2 min; events older than 6h dropped"},
		{1, 90, "", "", "on error: 1 retry after ~1 min; events older than 1m30s dropped"},
		{0, 5400, bus, "", "on error: no retries; events older than 1h30m dropped; successes -> events:default"},
	} {
		if got := AsyncBehavior(tc.retries, tc.age, tc.onSuccess, tc.onFailure); got != tc.want {
			t.Errorf("AsyncBehavior(%d, %d, %q, %q) =\n%q, want\n%q", tc.retries, tc.age, tc.onSuccess, tc.onFailure, got, tc.want)
		}
	}
}

func TestFormatSeconds(t *testing.T) {
	for s, want := range map[int64]string{60: "1m", 61: "1m1s", 3600: "1h", 3660: "1h1m", 21600: "6h", 0: "0s", 45: "45s"} {
		if got := FormatSeconds(s); got != want {
			t.Errorf("FormatSeconds(%d) = %q, want %q", s, got, want)
		}
	}
}

func TestValidateFunctionNameOrARN(t *testing.T) {
	for _, ok := range []string{"f", "my-function_1", "123456789012:function:f", "arn:aws:lambda:us-east-1:123456789012:function:f"} {
		if err := ValidateFunctionNameOrARN(ok); err != nil {
			t.Errorf("ValidateFunctionNameOrARN(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "has.dot", "f:1", "arn:aws:lambda:us-east-1:123456789012:function:f:1", strings.Repeat("x", 65)} {
		if err := ValidateFunctionNameOrARN(bad); err == nil {
			t.Errorf("ValidateFunctionNameOrARN(%q) accepted", bad)
		}
	}
}

func TestValidateQualifier(t *testing.T) {
	for _, ok := range []string{"$LATEST", "1", "42", "live", "blue-green_2"} {
		if err := ValidateQualifier(ok); err != nil {
			t.Errorf("ValidateQualifier(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "0", "$latest", "has space", strings.Repeat("a", 129)} {
		if err := ValidateQualifier(bad); err == nil {
			t.Errorf("ValidateQualifier(%q) accepted", bad)
		}
	}
}
