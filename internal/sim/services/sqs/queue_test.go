package sqs

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

func TestSQS_createQueueIdempotentAndConflicting(t *testing.T) {
	e := newEnv(t, envOptions{})
	url := e.createQueue("orders", map[string]string{"VisibilityTimeout": "45", "DelaySeconds": "0"})
	if want := e.srv.URL + "/000000000000/orders"; url != want {
		t.Fatalf("QueueUrl = %s, want %s", url, want)
	}
	// Same attributes (numbers compared as numbers): the same URL.
	if again := e.createQueue("orders", map[string]string{"VisibilityTimeout": "045"}); again != url {
		t.Fatalf("idempotent CreateQueue answered %s", again)
	}
	// No attributes: the existing queue.
	if again := e.createQueue("orders", nil); again != url {
		t.Fatalf("CreateQueue without attributes answered %s", again)
	}
	_, err := e.client.CreateQueue(ctx(t), &awssqs.CreateQueueInput{
		QueueName: aws.String("orders"), Attributes: map[string]string{"VisibilityTimeout": "60"},
	})
	var exists *sqstypes.QueueNameExists
	if !errors.As(err, &exists) {
		t.Fatalf("want QueueNameExists, got %v", err)
	}
	wantCode(t, err, "QueueAlreadyExists")
	if !strings.Contains(err.Error(), "VisibilityTimeout") {
		t.Errorf("error does not name the attribute: %v", err)
	}
}

func TestSQS_createQueueValidation(t *testing.T) {
	e := newEnv(t, envOptions{})
	cases := []struct {
		name  string
		attrs map[string]string
		code  string
	}{
		{"bad name!", nil, "InvalidParameterValue"},
		{strings.Repeat("a", 81), nil, "InvalidParameterValue"},
		{"standard.fifo", nil, "InvalidParameterValue"},
		{"nofifo", map[string]string{"FifoQueue": "true"}, "InvalidParameterValue"},
		{"vt", map[string]string{"VisibilityTimeout": "43201"}, "InvalidAttributeValue"},
		{"delay", map[string]string{"DelaySeconds": "901"}, "InvalidAttributeValue"},
		{"size-low", map[string]string{"MaximumMessageSize": "1023"}, "InvalidAttributeValue"},
		{"size-high", map[string]string{"MaximumMessageSize": "1048577"}, "InvalidAttributeValue"},
		{"retention", map[string]string{"MessageRetentionPeriod": "59"}, "InvalidAttributeValue"},
		{"retention2", map[string]string{"MessageRetentionPeriod": "1209601"}, "InvalidAttributeValue"},
		{"wait", map[string]string{"ReceiveMessageWaitTimeSeconds": "21"}, "InvalidAttributeValue"},
		{"notanumber", map[string]string{"VisibilityTimeout": "ten"}, "InvalidAttributeValue"},
		{"unknown", map[string]string{"Color": "blue"}, "InvalidAttributeName"},
		{"readonly", map[string]string{"QueueArn": "x"}, "InvalidAttributeName"},
		{"cbd", map[string]string{"ContentBasedDeduplication": "true"}, "InvalidAttributeName"},
		{"redrive", map[string]string{"RedrivePolicy": `{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:nope","maxReceiveCount":3}`}, "InvalidParameterValue"},
	}
	for _, c := range cases {
		_, err := e.client.CreateQueue(ctx(t), &awssqs.CreateQueueInput{QueueName: aws.String(c.name), Attributes: c.attrs})
		if got := apiCode(err); got != c.code {
			t.Errorf("CreateQueue(%q, %v): code %q, want %s (%v)", c.name, c.attrs, got, c.code, err)
		}
	}
	// The largest sizes AWS allows are accepted: 1 MiB messages since 2025.
	e.createQueue("max", map[string]string{"MaximumMessageSize": "1048576", "MessageRetentionPeriod": "1209600", "VisibilityTimeout": "43200"})
	e.createQueue(strings.Repeat("f", 75)+".fifo", map[string]string{"FifoQueue": "true"})
}

func TestSQS_queueAttributes(t *testing.T) {
	e := newEnv(t, envOptions{})
	url := e.createQueue("attrs", nil)
	a := e.attributes(url)
	want := map[string]string{
		"QueueArn":                              "arn:aws:sqs:us-east-1:000000000000:attrs",
		"VisibilityTimeout":                     "30",
		"MaximumMessageSize":                    "1048576",
		"MessageRetentionPeriod":                "345600",
		"DelaySeconds":                          "0",
		"ReceiveMessageWaitTimeSeconds":         "0",
		"ApproximateNumberOfMessages":           "0",
		"ApproximateNumberOfMessagesNotVisible": "0",
		"ApproximateNumberOfMessagesDelayed":    "0",
		"CreatedTimestamp":                      fmt.Sprint(testStart.Unix()),
		"LastModifiedTimestamp":                 fmt.Sprint(testStart.Unix()),
		"SqsManagedSseEnabled":                  "true",
	}
	for k, v := range want {
		if a[k] != v {
			t.Errorf("%s = %q, want %q", k, a[k], v)
		}
	}
	if _, ok := a["FifoQueue"]; ok {
		t.Errorf("standard queue answers FifoQueue")
	}

	e.clock.Advance(10 * time.Second)
	_, err := e.client.SetQueueAttributes(ctx(t), &awssqs.SetQueueAttributesInput{
		QueueUrl: aws.String(url), Attributes: map[string]string{"VisibilityTimeout": "90", "DelaySeconds": "5", "Policy": `{"Version":"2012-10-17"}`},
	})
	if err != nil {
		t.Fatal(err)
	}
	a = e.attributes(url)
	if a["VisibilityTimeout"] != "90" || a["DelaySeconds"] != "5" || a["Policy"] == "" {
		t.Errorf("after SetQueueAttributes: %v", a)
	}
	if a["LastModifiedTimestamp"] != fmt.Sprint(testStart.Unix()+10) {
		t.Errorf("LastModifiedTimestamp = %s", a["LastModifiedTimestamp"])
	}
	_, err = e.client.SetQueueAttributes(ctx(t), &awssqs.SetQueueAttributesInput{
		QueueUrl: aws.String(url), Attributes: map[string]string{"ReceiveMessageWaitTimeSeconds": "30"},
	})
	wantCode(t, err, "InvalidAttributeValue")
	_, err = e.client.SetQueueAttributes(ctx(t), &awssqs.SetQueueAttributesInput{
		QueueUrl: aws.String(url), Attributes: map[string]string{"FifoQueue": "true"},
	})
	wantCode(t, err, "InvalidAttributeName")
	// An empty Policy removes it.
	if _, err := e.client.SetQueueAttributes(ctx(t), &awssqs.SetQueueAttributesInput{
		QueueUrl: aws.String(url), Attributes: map[string]string{"Policy": ""},
	}); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.attributes(url)["Policy"]; ok {
		t.Error("Policy still answered after it was cleared")
	}

	// Single names, and names the queue does not have.
	out, err := e.client.GetQueueAttributes(ctx(t), &awssqs.GetQueueAttributesInput{
		QueueUrl: aws.String(url), AttributeNames: []sqstypes.QueueAttributeName{"QueueArn", "FifoQueue"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Attributes) != 1 || out.Attributes["QueueArn"] == "" {
		t.Errorf("QueueArn+FifoQueue answered %v", out.Attributes)
	}
	_, err = e.client.GetQueueAttributes(ctx(t), &awssqs.GetQueueAttributesInput{
		QueueUrl: aws.String(url), AttributeNames: []sqstypes.QueueAttributeName{"Colour"},
	})
	var bad *sqstypes.InvalidAttributeName
	if !errors.As(err, &bad) {
		t.Errorf("unknown attribute: want InvalidAttributeName, got %v", err)
	}

	fifo := e.createQueue("attrs.fifo", map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true"})
	a = e.attributes(fifo)
	if a["FifoQueue"] != "true" || a["ContentBasedDeduplication"] != "true" || a["DeduplicationScope"] != "queue" || a["FifoThroughputLimit"] != "perQueue" {
		t.Errorf("FIFO attributes: %v", a)
	}
}

func TestSQS_getQueueUrlListAndDelete(t *testing.T) {
	e := newEnv(t, envOptions{})
	var urls []string
	for _, name := range []string{"beta", "alpha-1", "alpha-2", "alpha-3"} {
		urls = append(urls, e.createQueue(name, nil))
	}
	got, err := e.client.GetQueueUrl(ctx(t), &awssqs.GetQueueUrlInput{QueueName: aws.String("beta")})
	if err != nil || aws.ToString(got.QueueUrl) != urls[0] {
		t.Fatalf("GetQueueUrl = %v, %v", got, err)
	}
	_, err = e.client.GetQueueUrl(ctx(t), &awssqs.GetQueueUrlInput{QueueName: aws.String("gamma")})
	var missing *sqstypes.QueueDoesNotExist
	if !errors.As(err, &missing) {
		t.Fatalf("want QueueDoesNotExist, got %v", err)
	}
	wantCode(t, err, "AWS.SimpleQueueService.NonExistentQueue")

	list, err := e.client.ListQueues(ctx(t), &awssqs.ListQueuesInput{QueueNamePrefix: aws.String("alpha")})
	if err != nil || len(list.QueueUrls) != 3 || list.NextToken != nil {
		t.Fatalf("ListQueues(alpha) = %v, %v", list, err)
	}
	// Pagination with MaxResults, through the SDK's paginator.
	var paged []string
	pages := 0
	p := awssqs.NewListQueuesPaginator(e.client, &awssqs.ListQueuesInput{MaxResults: aws.Int32(3)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		pages++
		paged = append(paged, page.QueueUrls...)
	}
	if pages != 2 || len(paged) != 4 || !strings.HasSuffix(paged[0], "/alpha-1") || !strings.HasSuffix(paged[3], "/beta") {
		t.Fatalf("paged ListQueues: %d pages %v", pages, paged)
	}
	_, err = e.client.ListQueues(ctx(t), &awssqs.ListQueuesInput{MaxResults: aws.Int32(1001)})
	wantCode(t, err, "InvalidParameterValue")

	// The host of a QueueUrl does not matter, only its path.
	other := strings.Replace(urls[1], e.srv.URL, "http://sqs.us-east-1.amazonaws.com", 1)
	if _, err := e.client.DeleteQueue(ctx(t), &awssqs.DeleteQueueInput{QueueUrl: aws.String(other)}); err != nil {
		t.Fatal(err)
	}
	_, err = e.client.SendMessage(ctx(t), &awssqs.SendMessageInput{QueueUrl: aws.String(urls[1]), MessageBody: aws.String("x")})
	if !errors.As(err, &missing) {
		t.Fatalf("send to deleted queue: %v", err)
	}
	// The name is reserved for 60 seconds on the clock.
	_, err = e.client.CreateQueue(ctx(t), &awssqs.CreateQueueInput{QueueName: aws.String("alpha-1")})
	var recently *sqstypes.QueueDeletedRecently
	if !errors.As(err, &recently) {
		t.Fatalf("want QueueDeletedRecently, got %v", err)
	}
	e.clock.Advance(61 * time.Second)
	e.createQueue("alpha-1", nil)
	if got := e.receive(urls[1], 10).Messages; len(got) != 0 {
		t.Fatalf("re-created queue has old messages: %v", got)
	}
	_, err = e.client.GetQueueAttributes(ctx(t), &awssqs.GetQueueAttributesInput{QueueUrl: aws.String("not a url")})
	wantCode(t, err, "InvalidAddress")
}

func TestSQS_tags(t *testing.T) {
	e := newEnv(t, envOptions{})
	out, err := e.client.CreateQueue(ctx(t), &awssqs.CreateQueueInput{QueueName: aws.String("tagged"), Tags: map[string]string{"team": "a"}})
	if err != nil {
		t.Fatal(err)
	}
	url := out.QueueUrl
	if _, err := e.client.TagQueue(ctx(t), &awssqs.TagQueueInput{QueueUrl: url, Tags: map[string]string{"env": "dev", "team": "b"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.UntagQueue(ctx(t), &awssqs.UntagQueueInput{QueueUrl: url, TagKeys: []string{"env"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := e.client.ListQueueTags(ctx(t), &awssqs.ListQueueTagsInput{QueueUrl: url})
	if err != nil || len(tags.Tags) != 1 || tags.Tags["team"] != "b" {
		t.Fatalf("ListQueueTags = %v, %v", tags.Tags, err)
	}
	_, err = e.client.TagQueue(ctx(t), &awssqs.TagQueueInput{QueueUrl: url, Tags: map[string]string{"aws:x": "y"}})
	wantCode(t, err, "InvalidParameterValue")
}

func TestSQS_purgeQueue(t *testing.T) {
	e := newEnv(t, envOptions{})
	url := e.createQueue("purge", nil)
	for i := range 3 {
		e.send(url, fmt.Sprint(i))
	}
	e.receive(url, 1)
	if _, err := e.client.PurgeQueue(ctx(t), &awssqs.PurgeQueueInput{QueueUrl: aws.String(url)}); err != nil {
		t.Fatal(err)
	}
	a := e.attributes(url)
	if a["ApproximateNumberOfMessages"] != "0" || a["ApproximateNumberOfMessagesNotVisible"] != "0" {
		t.Fatalf("after purge: %v", a)
	}
	_, err := e.client.PurgeQueue(ctx(t), &awssqs.PurgeQueueInput{QueueUrl: aws.String(url)})
	var inProgress *sqstypes.PurgeQueueInProgress
	if !errors.As(err, &inProgress) {
		t.Fatalf("second purge within 60 s: %v", err)
	}
	e.clock.Advance(60 * time.Second)
	e.send(url, "after")
	if _, err := e.client.PurgeQueue(ctx(t), &awssqs.PurgeQueueInput{QueueUrl: aws.String(url)}); err != nil {
		t.Fatal(err)
	}
}
