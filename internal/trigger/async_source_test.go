package trigger

import (
	"strings"
	"testing"
)

func TestS3EventsOverlap(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"s3:ObjectCreated:*", "s3:ObjectCreated:Put", true},
		{"s3:ObjectCreated:Put", "s3:ObjectCreated:*", true},
		{"s3:ObjectCreated:Put", "s3:ObjectCreated:Put", true},
		{"s3:ObjectCreated:Put", "s3:ObjectCreated:Post", false},
		{"s3:ObjectCreated:*", "s3:ObjectRemoved:*", false},
		{"s3:ObjectRestore:*", "s3:ObjectRemoved:Delete", false},
	}
	for _, c := range cases {
		if got := S3EventsOverlap(c.a, c.b); got != c.want {
			t.Errorf("S3EventsOverlap(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestS3FiltersOverlap(t *testing.T) {
	cases := []struct {
		pa, sa, pb, sb string
		want           bool
	}{
		{"photos/", "", "photos/2024/", "", true},
		{"", "", "anything/", ".jpg", true},
		{"a/", "", "b/", "", false},
		{"photos/", ".jpg", "photos/", ".png", false},
		{"photos/", ".jpg", "", "large.jpg", true},
	}
	for _, c := range cases {
		if got := S3FiltersOverlap(c.pa, c.sa, c.pb, c.sb); got != c.want {
			t.Errorf("S3FiltersOverlap(%q, %q, %q, %q) = %v, want %v", c.pa, c.sa, c.pb, c.sb, got, c.want)
		}
	}
}

func TestValidateS3EventType(t *testing.T) {
	if err := ValidateS3EventType("s3:ObjectCreated:*"); err != nil {
		t.Errorf("s3:ObjectCreated:* refused: %v", err)
	}
	if err := ValidateS3EventType("s3:ObjectMade"); err == nil {
		t.Error("s3:ObjectMade accepted")
	}
}

func TestValidateScheduleExpression(t *testing.T) {
	for _, ok := range []string{"rate(1 minute)", "rate(5 minutes)", "cron(0 12 * * ? *)"} {
		if err := ValidateScheduleExpression(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"every 5 minutes", "rate(5)", "cron(0 12 * * ?)"} {
		if err := ValidateScheduleExpression(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestAsyncSourceStatementID(t *testing.T) {
	a := AsyncSourceStatementID(ServiceS3, "arn:aws:s3:::b", "f", "|x")
	if a != AsyncSourceStatementID(ServiceS3, "arn:aws:s3:::b", "f", "|x") {
		t.Error("the statement id is not deterministic")
	}
	if a == AsyncSourceStatementID(ServiceS3, "arn:aws:s3:::b", "f", "|y") {
		t.Error("two sources of one function on one bucket share a statement id")
	}
	if !strings.HasPrefix(a, "lambdatrigger-") || len(a) > 100 {
		t.Errorf("statement id %q is not lambdatrigger-<hash> within 100 characters", a)
	}
}

func TestAsyncSourceBehavior(t *testing.T) {
	got := AsyncSourceBehavior(S3SourceDescription("photos", []string{"s3:ObjectCreated:*"}, "uploads/", ".jpg"), 2, 21600, "", "arn:aws:sqs:us-east-1:123456789012:thumbs-dlq")
	want := "s3:ObjectCreated:* under photos/uploads/*.jpg -> Event; on error: 2 retries after ~1 min and ~2 min; events older than 6h expire; failures -> sqs:thumbs-dlq"
	if got != want {
		t.Errorf("behavior\n got %s\nwant %s", got, want)
	}
}
