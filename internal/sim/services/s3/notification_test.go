package s3

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

const (
	queueARN = "arn:aws:sqs:us-east-1:123456789012:uploads"
	topicARN = "arn:aws:sns:us-east-1:123456789012:uploads-topic"
	fnARN    = "arn:aws:lambda:us-east-1:123456789012:function:thumbnail"
)

func asErr[T error](err error, target *T) bool { return errors.As(err, target) }

// putNotification puts a configuration document through the wire, failing the test on an error.
func (e *env) putNotification(t *testing.T, bucket, inner string) {
	t.Helper()
	resp, body := e.raw(http.MethodPut, "/"+bucket+"?notification",
		`<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`+inner+`</NotificationConfiguration>`, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("put notification: %d %s", resp.StatusCode, body)
	}
}

// decodeEvent reads a delivered notification with aws-lambda-go, as a function handler would.
func decodeEvent(t *testing.T, m deliver.Message) events.S3EventRecord {
	t.Helper()
	var ev events.S3Event
	if err := json.Unmarshal(m.Body, &ev); err != nil {
		t.Fatalf("%v: %s", err, m.Body)
	}
	if len(ev.Records) != 1 {
		t.Fatalf("records: %s", m.Body)
	}
	return ev.Records[0]
}

func TestS3_notificationConfigurationRoundTrip(t *testing.T) {
	e := newEnv(t)
	c := e.client
	mustCreateBucket(t, c, "media")
	e.policy.allow(fnARN, "arn:aws:s3:::media")
	empty, err := c.GetBucketNotificationConfiguration(ctx(), &awss3.GetBucketNotificationConfigurationInput{Bucket: aws.String("media")})
	if err != nil || len(empty.LambdaFunctionConfigurations)+len(empty.QueueConfigurations)+len(empty.TopicConfigurations) != 0 || empty.EventBridgeConfiguration != nil {
		t.Fatalf("empty: %v %+v", err, empty)
	}
	conf := &types.NotificationConfiguration{
		LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{{
			Id: aws.String("thumbs"), LambdaFunctionArn: aws.String(fnARN), Events: []types.Event{types.EventS3ObjectCreated},
			Filter: &types.NotificationConfigurationFilter{Key: &types.S3KeyFilter{FilterRules: []types.FilterRule{
				{Name: types.FilterRuleNamePrefix, Value: aws.String("images/")}, {Name: types.FilterRuleNameSuffix, Value: aws.String(".jpg")}}}},
		}},
		QueueConfigurations: []types.QueueConfiguration{{
			QueueArn: aws.String(queueARN), Events: []types.Event{types.EventS3ObjectRemoved},
		}},
		TopicConfigurations: []types.TopicConfiguration{{
			Id: aws.String("logs"), TopicArn: aws.String(topicARN), Events: []types.Event{types.EventS3ObjectCreatedPut},
			Filter: &types.NotificationConfigurationFilter{Key: &types.S3KeyFilter{FilterRules: []types.FilterRule{{Name: "Prefix", Value: aws.String("logs/")}}}},
		}},
		EventBridgeConfiguration: &types.EventBridgeConfiguration{},
	}
	if _, err := c.PutBucketNotificationConfiguration(ctx(), &awss3.PutBucketNotificationConfigurationInput{Bucket: aws.String("media"), NotificationConfiguration: conf}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetBucketNotificationConfiguration(ctx(), &awss3.GetBucketNotificationConfigurationInput{Bucket: aws.String("media")})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.LambdaFunctionConfigurations) != 1 || len(got.QueueConfigurations) != 1 || len(got.TopicConfigurations) != 1 || got.EventBridgeConfiguration == nil {
		t.Fatalf("got %+v", got)
	}
	l := got.LambdaFunctionConfigurations[0]
	rules := l.Filter.Key.FilterRules
	if aws.ToString(l.Id) != "thumbs" || aws.ToString(l.LambdaFunctionArn) != fnARN || l.Events[0] != types.EventS3ObjectCreated ||
		len(rules) != 2 || rules[0].Name != "Prefix" || aws.ToString(rules[0].Value) != "images/" || rules[1].Name != "Suffix" {
		t.Fatalf("lambda config %+v rules %+v", l, rules)
	}
	// S3 names a configuration that had no Id: base64 of a UUID.
	qid := aws.ToString(got.QueueConfigurations[0].Id)
	if raw, err := base64.StdEncoding.DecodeString(qid); err != nil || len(raw) != 36 {
		t.Fatalf("assigned id %q", qid)
	}
	if aws.ToString(got.TopicConfigurations[0].TopicArn) != topicARN {
		t.Fatalf("topic %+v", got.TopicConfigurations[0])
	}
	// The policy was asked about this function, S3's principal, this bucket and account.
	if len(e.policy.calls) != 1 || e.policy.calls[0] != fnARN+" s3.amazonaws.com arn:aws:s3:::media 123456789012" {
		t.Fatalf("policy calls %v", e.policy.calls)
	}
	// The queue and the topic got S3's test event when they were configured.
	for _, svc := range []string{"sqs", "sns"} {
		msgs := e.recorder(svc).messages()
		if len(msgs) != 1 {
			t.Fatalf("%s: %d messages", svc, len(msgs))
		}
		var te map[string]string
		if err := json.Unmarshal(msgs[0].Body, &te); err != nil {
			t.Fatal(err)
		}
		if te["Service"] != "Amazon S3" || te["Event"] != "s3:TestEvent" || te["Bucket"] != "media" || te["RequestId"] == "" || te["HostId"] == "" ||
			te["Time"] != "2025-03-14T15:09:26.535Z" || len(te) != 6 {
			t.Fatalf("%s test event %s", svc, msgs[0].Body)
		}
		if msgs[0].Principal != "s3.amazonaws.com" || msgs[0].SourceARN != "arn:aws:s3:::media" || msgs[0].SourceAccount != testAccount {
			t.Fatalf("%s test event from %+v", svc, msgs[0])
		}
	}
	if len(e.recorder("lambda").messages()) != 0 {
		t.Fatal("Lambda got a test event; S3 sends none to functions")
	}

	// The PUT replaces the whole configuration; an empty one removes it.
	if _, err := c.PutBucketNotificationConfiguration(ctx(), &awss3.PutBucketNotificationConfigurationInput{Bucket: aws.String("media"),
		NotificationConfiguration: &types.NotificationConfiguration{QueueConfigurations: conf.QueueConfigurations}}); err != nil {
		t.Fatal(err)
	}
	got, _ = c.GetBucketNotificationConfiguration(ctx(), &awss3.GetBucketNotificationConfigurationInput{Bucket: aws.String("media")})
	if len(got.LambdaFunctionConfigurations) != 0 || len(got.TopicConfigurations) != 0 || len(got.QueueConfigurations) != 1 || got.EventBridgeConfiguration != nil {
		t.Fatalf("after replace %+v", got)
	}
	if _, err := c.PutBucketNotificationConfiguration(ctx(), &awss3.PutBucketNotificationConfigurationInput{Bucket: aws.String("media"),
		NotificationConfiguration: &types.NotificationConfiguration{}}); err != nil {
		t.Fatal(err)
	}
	resp, body := e.raw(http.MethodGet, "/media?notification", "", nil)
	if resp.StatusCode != 200 || !strings.HasSuffix(body, `<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></NotificationConfiguration>`) {
		t.Fatalf("after clearing: %s", body)
	}
	if _, err := c.GetBucketNotificationConfiguration(ctx(), &awss3.GetBucketNotificationConfigurationInput{Bucket: aws.String("nobucket")}); errorCode(err) != "NoSuchBucket" {
		t.Fatalf("missing bucket: %v", err)
	}
}

func TestS3_notificationLambdaPermission(t *testing.T) {
	e := newEnv(t)
	mustCreateBucket(t, e.client, "guarded")
	doc := `<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CloudFunctionConfiguration><Id>f</Id>` +
		`<CloudFunction>` + fnARN + `</CloudFunction><Event>s3:ObjectCreated:*</Event></CloudFunctionConfiguration></NotificationConfiguration>`
	resp, body := e.raw(http.MethodPut, "/guarded?notification", doc, nil)
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<Error><Code>InvalidArgument</Code><Message>Unable to validate the following destination configurations</Message>` +
		`<ArgumentName1>` + fnARN + `, null</ArgumentName1><ArgumentValue1>Not authorized to invoke function [` + fnARN + `]</ArgumentValue1>` +
		`<RequestId>` + resp.Header.Get("X-Amz-Request-Id") + `</RequestId><HostId>` + resp.Header.Get("X-Amz-Id-2") + `</HostId></Error>`
	if resp.StatusCode != 400 || body != want {
		t.Fatalf("%d\n%s\nwant\n%s", resp.StatusCode, body, want)
	}
	// The SDK surfaces it as InvalidArgument, and nothing was stored.
	_, err := e.client.PutBucketNotificationConfiguration(ctx(), &awss3.PutBucketNotificationConfigurationInput{Bucket: aws.String("guarded"),
		NotificationConfiguration: &types.NotificationConfiguration{LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{{
			LambdaFunctionArn: aws.String(fnARN), Events: []types.Event{types.EventS3ObjectCreated}}}}})
	if errorCode(err) != "InvalidArgument" || !strings.Contains(err.Error(), "Unable to validate the following destination configurations") {
		t.Fatalf("sdk: %v", err)
	}
	// A permission for another bucket does not count.
	e.policy.allow(fnARN, "arn:aws:s3:::other")
	if resp, _ := e.raw(http.MethodPut, "/guarded?notification", doc, nil); resp.StatusCode != 400 {
		t.Fatalf("permission for another bucket accepted: %d", resp.StatusCode)
	}
	got, _ := e.client.GetBucketNotificationConfiguration(ctx(), &awss3.GetBucketNotificationConfigurationInput{Bucket: aws.String("guarded")})
	if len(got.LambdaFunctionConfigurations) != 0 {
		t.Fatal("a refused configuration was stored")
	}
	// With the permission (what lambda:AddPermission with principal s3.amazonaws.com and this
	// bucket's ARN as SourceArn gives), the same PUT succeeds.
	e.policy.allow(fnARN, "arn:aws:s3:::guarded")
	if resp, body := e.raw(http.MethodPut, "/guarded?notification", doc, nil); resp.StatusCode != 200 {
		t.Fatalf("with permission: %d %s", resp.StatusCode, body)
	}
	// Without a LambdaPolicy at all every Lambda destination is refused.
	e.svc.cfg.LambdaPolicy = nil
	if resp, _ := e.raw(http.MethodPut, "/guarded?notification", doc, nil); resp.StatusCode != 400 {
		t.Fatalf("nil policy accepted: %d", resp.StatusCode)
	}
}

func TestS3_notificationDestinationFailures(t *testing.T) {
	e := newEnv(t)
	mustCreateBucket(t, e.client, "dests")
	missingQ := "arn:aws:sqs:us-east-1:123456789012:missing"
	deniedQ := "arn:aws:sqs:us-east-1:123456789012:locked"
	missingT := "arn:aws:sns:us-east-1:123456789012:gone"
	e.recorder("sqs").set(func(r *recorder) { r.missing[missingQ] = true; r.denied[deniedQ] = true })
	e.recorder("sns").set(func(r *recorder) { r.missing[missingT] = true })
	doc := `<NotificationConfiguration>` +
		`<QueueConfiguration><Queue>` + missingQ + `</Queue><Event>s3:ObjectCreated:Put</Event></QueueConfiguration>` +
		`<TopicConfiguration><Topic>` + missingT + `</Topic><Event>s3:ObjectCreated:Copy</Event></TopicConfiguration>` +
		`<CloudFunctionConfiguration><CloudFunction>` + fnARN + `</CloudFunction><Event>s3:ObjectRemoved:*</Event></CloudFunctionConfiguration>` +
		`<QueueConfiguration><Queue>` + deniedQ + `</Queue><Event>s3:ObjectCreated:Post</Event></QueueConfiguration>` +
		`</NotificationConfiguration>`
	resp, body := e.raw(http.MethodPut, "/dests?notification", doc, nil)
	for _, want := range []string{
		"<ArgumentName1>" + missingQ + "</ArgumentName1><ArgumentValue1>The destination queue does not exist</ArgumentValue1>",
		"<ArgumentName2>" + missingT + "</ArgumentName2><ArgumentValue2>The destination topic does not exist</ArgumentValue2>",
		"<ArgumentName3>" + fnARN + ", null</ArgumentName3><ArgumentValue3>Not authorized to invoke function [" + fnARN + "]</ArgumentValue3>",
		"<ArgumentName4>" + deniedQ + "</ArgumentName4><ArgumentValue4>Permissions on the destination queue do not allow S3 to publish notifications from this bucket</ArgumentValue4>",
	} {
		if resp.StatusCode != 400 || !strings.Contains(body, want) {
			t.Fatalf("%d %s\nlacks %s", resp.StatusCode, body, want)
		}
	}
	fifo := "arn:aws:sqs:us-east-1:123456789012:ordered.fifo"
	resp, body = e.raw(http.MethodPut, "/dests?notification", `<NotificationConfiguration><QueueConfiguration><Queue>`+fifo+
		`</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration></NotificationConfiguration>`, nil)
	if resp.StatusCode != 400 || !strings.Contains(body, "<ArgumentName1>"+fifo+"</ArgumentName1>") {
		t.Fatalf("FIFO queue: %d %s", resp.StatusCode, body)
	}
	// x-amz-skip-destination-validation stores them unchecked, without test events.
	before := len(e.recorder("sqs").messages())
	resp, body = e.raw(http.MethodPut, "/dests?notification", doc, map[string]string{"X-Amz-Skip-Destination-Validation": "true"})
	if resp.StatusCode != 200 || len(e.recorder("sqs").messages()) != before {
		t.Fatalf("skip validation: %d %s", resp.StatusCode, body)
	}
	got, _ := e.client.GetBucketNotificationConfiguration(ctx(), &awss3.GetBucketNotificationConfigurationInput{Bucket: aws.String("dests")})
	if len(got.QueueConfigurations) != 2 || len(got.LambdaFunctionConfigurations) != 1 {
		t.Fatalf("stored %+v", got)
	}
}

func TestS3_notificationDocumentValidation(t *testing.T) {
	e := newEnv(t)
	mustCreateBucket(t, e.client, "rules")
	q := func(events, filter string) string {
		return `<QueueConfiguration><Queue>` + queueARN + `</Queue>` + events + filter + `</QueueConfiguration>`
	}
	ev := func(names ...string) string {
		var b strings.Builder
		for _, n := range names {
			b.WriteString("<Event>" + n + "</Event>")
		}
		return b.String()
	}
	filter := func(rules ...[2]string) string {
		var b strings.Builder
		b.WriteString("<Filter><S3Key>")
		for _, r := range rules {
			b.WriteString("<FilterRule><Name>" + r[0] + "</Name><Value>" + r[1] + "</Value></FilterRule>")
		}
		b.WriteString("</S3Key></Filter>")
		return b.String()
	}
	for _, tc := range []struct {
		name, doc, code, text string
	}{
		{"unknown event", q(ev("s3:ObjectCreated:Upload"), ""), "InvalidArgument", "<Message>The event is not supported for notifications</Message><ArgumentName>Event</ArgumentName><ArgumentValue>s3:ObjectCreated:Upload</ArgumentValue>"},
		{"test event is not configurable", q(ev("s3:TestEvent"), ""), "InvalidArgument", "The event is not supported for notifications"},
		{"no event", q("", ""), "MalformedXML", ""},
		{"bad rule name", q(ev("s3:ObjectCreated:*"), filter([2]string{"middle", "x"})), "InvalidArgument", "filter rule name must be either prefix or suffix"},
		{"two prefixes", q(ev("s3:ObjectCreated:*"), filter([2]string{"prefix", "a"}, [2]string{"Prefix", "b"})), "InvalidArgument", "Cannot specify more than one prefix rule in a filter."},
		{"not an ARN", `<QueueConfiguration><Queue>uploads</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration>`, "InvalidArgument",
			"<Message>The ARN could not be parsed</Message><ArgumentName>Queue</ArgumentName><ArgumentValue>uploads</ArgumentValue>"},
		{"topic ARN for a queue", `<QueueConfiguration><Queue>` + topicARN + `</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration>`, "InvalidArgument", "<ArgumentName>Queue</ArgumentName>"},
		{"not a function", `<CloudFunctionConfiguration><CloudFunction>arn:aws:lambda:us-east-1:123456789012:layer:x</CloudFunction><Event>s3:ObjectCreated:*</Event></CloudFunctionConfiguration>`, "InvalidArgument", "<ArgumentName>CloudFunction</ArgumentName>"},
		{"same event twice", q(ev("s3:ObjectRemoved:*"), "") + q(ev("s3:ObjectRemoved:*"), ""), "InvalidArgument",
			"<Message>Configurations overlap. Configurations on the same bucket cannot share a common event type.</Message><ArgumentName>Event</ArgumentName><ArgumentValue>s3:ObjectRemoved:*, s3:ObjectRemoved:*</ArgumentValue>"},
		{"wildcard covers", q(ev("s3:ObjectCreated:*"), "") + q(ev("s3:ObjectCreated:Put"), ""), "InvalidArgument", "Configurations overlap."},
		{"overlapping prefixes", q(ev("s3:ObjectCreated:*"), filter([2]string{"prefix", "images/"})) + q(ev("s3:ObjectCreated:Put"), filter([2]string{"prefix", "images/2024/"})),
			"InvalidArgument", "<Message>Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.</Message>"},
		{"filter against none", q(ev("s3:ObjectCreated:*"), filter([2]string{"suffix", ".jpg"})) + q(ev("s3:ObjectCreated:*"), ""), "InvalidArgument", "ambiguously defined"},
		{"unknown element", `<Whatever/>`, "MalformedXML", ""},
		{"not XML", `<NotificationConfiguration>`, "MalformedXML", ""},
	} {
		doc := tc.doc
		if !strings.HasPrefix(doc, "<NotificationConfiguration>") {
			doc = "<NotificationConfiguration>" + doc + "</NotificationConfiguration>"
		}
		resp, body := e.raw(http.MethodPut, "/rules?notification", doc, nil)
		if resp.StatusCode != 400 || !strings.Contains(body, "<Code>"+tc.code+"</Code>") || !strings.Contains(body, tc.text) {
			t.Errorf("%s: %d %s", tc.name, resp.StatusCode, body)
		}
	}
	if resp, body := e.raw(http.MethodPut, "/rules?notification", `<Delete><QueueConfiguration/></Delete>`, nil); resp.StatusCode != 400 || !strings.Contains(body, "MalformedXML") {
		t.Errorf("another document element: %d %s", resp.StatusCode, body)
	}
	// Valid: the same event for disjoint prefixes, or disjoint suffixes, or different events.
	e.putNotification(t, "rules",
		q(ev("s3:ObjectCreated:*"), filter([2]string{"prefix", "images/"}, [2]string{"suffix", ".jpg"}))+
			q(ev("s3:ObjectCreated:*"), filter([2]string{"prefix", "images/"}, [2]string{"suffix", ".png"}))+
			q(ev("s3:ObjectCreated:Put"), filter([2]string{"prefix", "logs/"}))+
			q(ev("s3:ObjectRemoved:*"), ""))
}

// TestS3_notificationFilterSelects puts objects and checks which configurations fire, and the
// exact event records.
func TestS3_notificationFilterSelects(t *testing.T) {
	e := newEnv(t)
	c := e.client
	mustCreateBucket(t, c, "photos")
	e.policy.allow(fnARN, "arn:aws:s3:::photos")
	e.putNotification(t, "photos",
		`<CloudFunctionConfiguration><Id>jpg-thumbs</Id><CloudFunction>`+fnARN+`</CloudFunction><Event>s3:ObjectCreated:*</Event>`+
			`<Filter><S3Key><FilterRule><Name>prefix</Name><Value>images/</Value></FilterRule><FilterRule><Name>suffix</Name><Value>.jpg</Value></FilterRule></S3Key></Filter></CloudFunctionConfiguration>`+
			`<QueueConfiguration><Id>removals</Id><Queue>`+queueARN+`</Queue><Event>s3:ObjectRemoved:Delete</Event></QueueConfiguration>`+
			`<QueueConfiguration><Id>spaced</Id><Queue>`+queueARN+`</Queue><Event>s3:ObjectCreated:Put</Event>`+
			`<Filter><S3Key><FilterRule><Name>prefix</Name><Value>my+folder/</Value></FilterRule></S3Key></Filter></QueueConfiguration>`)
	for _, k := range []string{"images/a.jpg", "images/a.png", "docs/b.jpg", "images/sub/c d(1).jpg", "my folder/x.txt"} {
		if _, err := c.PutObject(ctx(), &awss3.PutObjectInput{Bucket: aws.String("photos"), Key: aws.String(k), Body: strings.NewReader("data:" + k)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.CopyObject(ctx(), &awss3.CopyObjectInput{Bucket: aws.String("photos"), Key: aws.String("images/copy.jpg"), CopySource: aws.String("photos/docs/b.jpg")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteObject(ctx(), &awss3.DeleteObjectInput{Bucket: aws.String("photos"), Key: aws.String("docs/b.jpg")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteObjects(ctx(), &awss3.DeleteObjectsInput{Bucket: aws.String("photos"), Delete: &types.Delete{Objects: []types.ObjectIdentifier{
		{Key: aws.String("images/a.png")}, {Key: aws.String("never-existed")}}}}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "events", func() bool {
		return len(e.recorder("lambda").objectEvents()) == 3 && len(e.recorder("sqs").objectEvents()) == 3
	})
	time.Sleep(20 * time.Millisecond) // and no more
	var fnEvents []string
	for _, m := range e.recorder("lambda").objectEvents() {
		r := decodeEvent(t, m)
		fnEvents = append(fnEvents, r.EventName+" "+r.S3.Object.Key)
		if m.TargetARN != fnARN || m.Principal != "s3.amazonaws.com" || m.SourceARN != "arn:aws:s3:::photos" || m.SourceAccount != testAccount {
			t.Fatalf("delivery %+v", m)
		}
	}
	if strings.Join(fnEvents, ", ") != "ObjectCreated:Put images/a.jpg, ObjectCreated:Put images/sub/c+d%281%29.jpg, ObjectCreated:Copy images/copy.jpg" {
		t.Fatalf("function got %v", fnEvents)
	}
	var qEvents []string
	for _, m := range e.recorder("sqs").objectEvents() {
		r := decodeEvent(t, m)
		qEvents = append(qEvents, r.EventName+" "+r.S3.Object.Key+" "+r.S3.ConfigurationID)
	}
	if strings.Join(qEvents, ", ") != "ObjectCreated:Put my+folder/x.txt spaced, ObjectRemoved:Delete docs/b.jpg removals, ObjectRemoved:Delete images/a.png removals" {
		t.Fatalf("queue got %v", qEvents)
	}

	// One record in full.
	m := e.recorder("lambda").objectEvents()[1]
	r := decodeEvent(t, m)
	if r.EventVersion != "2.1" || r.EventSource != "aws:s3" || r.AWSRegion != "us-east-1" || !r.EventTime.Equal(testStart) ||
		r.PrincipalID.PrincipalID != "AWS:AKIDTEST" || r.RequestParameters.SourceIPAddress != "127.0.0.1" ||
		r.ResponseElements["x-amz-request-id"] == "" || r.ResponseElements["x-amz-id-2"] == "" ||
		r.S3.SchemaVersion != "1.0" || r.S3.ConfigurationID != "jpg-thumbs" || r.S3.Bucket.Name != "photos" ||
		r.S3.Bucket.Arn != "arn:aws:s3:::photos" || r.S3.Bucket.OwnerIdentity.PrincipalID == "" ||
		r.S3.Object.URLDecodedKey != "images/sub/c d(1).jpg" || r.S3.Object.Size != int64(len("data:images/sub/c d(1).jpg")) ||
		r.S3.Object.ETag == "" || strings.Contains(r.S3.Object.ETag, `"`) || len(r.S3.Object.Sequencer) != 18 {
		t.Fatalf("record %+v\n%s", r, m.Body)
	}
	// The body's fields and their order are S3's.
	wantPrefix := `{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1","eventTime":"2025-03-14T15:09:26.535Z","eventName":"ObjectCreated:Put","userIdentity":{"principalId":"AWS:AKIDTEST"},"requestParameters":{"sourceIPAddress":"127.0.0.1"},"responseElements":{"x-amz-request-id":"`
	if !strings.HasPrefix(string(m.Body), wantPrefix) || !strings.Contains(string(m.Body), `"object":{"key":"images/sub/c+d%281%29.jpg","size":26,"eTag":"`) {
		t.Fatalf("body %s", m.Body)
	}
	// A removal record has the key and sequencer only, and sequencers of one key increase.
	del := e.recorder("sqs").objectEvents()[1]
	if !strings.Contains(string(del.Body), `"object":{"key":"docs/b.jpg","sequencer":"`) {
		t.Fatalf("delete body %s", del.Body)
	}
}

func TestS3_eventKeyEncoding(t *testing.T) {
	for key, want := range map[string]string{
		"red flower.jpg":       "red+flower.jpg",
		"a/b/c.txt":            "a/b/c.txt",
		"dt=2024-01-01/x.json": "dt%3D2024-01-01/x.json",
		"x+y&z:w.txt":          "x%2By%26z%3Aw.txt",
		"ü.txt":                "%C3%BC.txt",
		"star*_.-":             "star*_.-",
		"tilde~(1)!'":          "tilde%7E%281%29%21%27",
	} {
		if got := eventKey(key); got != want {
			t.Errorf("eventKey(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestS3_notificationEventBridge(t *testing.T) {
	e := newEnv(t)
	mustCreateBucket(t, e.client, "ebus")
	e.putNotification(t, "ebus", `<EventBridgeConfiguration></EventBridgeConfiguration>`)
	if _, err := e.client.PutObject(ctx(), &awss3.PutObjectInput{Bucket: aws.String("ebus"), Key: aws.String("a b.txt"), Body: strings.NewReader("12345")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.DeleteObject(ctx(), &awss3.DeleteObjectInput{Bucket: aws.String("ebus"), Key: aws.String("a b.txt")}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "EventBridge events", func() bool { return len(e.recorder("events").messages()) == 2 })
	msgs := e.recorder("events").messages()
	var created, deleted map[string]any
	json.Unmarshal(msgs[0].Body, &created)
	json.Unmarshal(msgs[1].Body, &deleted)
	if msgs[0].TargetARN != "arn:aws:events:us-east-1:123456789012:event-bus/default" || created["detail-type"] != "Object Created" || created["source"] != "aws.s3" {
		t.Fatalf("created %s", msgs[0].Body)
	}
	obj := created["detail"].(map[string]any)["object"].(map[string]any)
	if obj["key"] != "a b.txt" || obj["size"] != float64(5) || created["detail"].(map[string]any)["reason"] != "PutObject" {
		t.Fatalf("created detail %s", msgs[0].Body)
	}
	if deleted["detail-type"] != "Object Deleted" || deleted["detail"].(map[string]any)["deletion-type"] != "Permanently Deleted" {
		t.Fatalf("deleted %s", msgs[1].Body)
	}
}

// TestS3_notificationRetry: a receiver that fails gets the notification again on the clock.
func TestS3_notificationRetry(t *testing.T) {
	e := newEnv(t)
	mustCreateBucket(t, e.client, "retry")
	e.putNotification(t, "retry", `<QueueConfiguration><Queue>`+queueARN+`</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration>`)
	q := e.recorder("sqs")
	q.set(func(r *recorder) { r.failNext = 2 })
	if _, err := e.client.PutObject(ctx(), &awss3.PutObjectInput{Bucket: aws.String("retry"), Key: aws.String("k"), Body: strings.NewReader("v")}); err != nil {
		t.Fatal(err)
	}
	// First attempt fails; the worker parks on a 1 s timer.
	waitFor(t, "the retry timer", func() bool { return e.clock.Pending() == 1 })
	if len(q.objectEvents()) != 0 {
		t.Fatal("delivered despite the failure")
	}
	e.clock.Advance(999 * time.Millisecond)
	time.Sleep(20 * time.Millisecond)
	q.set(func(r *recorder) {
		if r.failNext != 1 {
			t.Fatalf("retried early (failNext %d)", r.failNext)
		}
	})
	if len(q.objectEvents()) != 0 {
		t.Fatal("delivered early")
	}
	e.clock.Advance(time.Millisecond)
	// Second attempt fails too; the next retry is 2 s later.
	waitFor(t, "the second failure", func() bool { q.mu.Lock(); defer q.mu.Unlock(); return q.failNext == 0 })
	waitFor(t, "the second retry timer", func() bool { return e.clock.Pending() == 1 })
	e.clock.Advance(2 * time.Second)
	waitFor(t, "delivery", func() bool { return len(q.objectEvents()) == 1 })
	waitFor(t, "an empty outbox", func() bool { return e.outboxLen() == 0 })
}

func (e *env) outboxLen() int {
	n := 0
	e.st.View(func(tx *store.Tx) error { n = tx.Count(outboxBucket); return nil })
	return n
}
