package sqs

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// MD5OfMessageAttributes vectors computed by moto 5.2.1 (an independent implementation, checked
// against AWS by its own tests) for the same attributes.
func TestMD5OfAttributes_vectors(t *testing.T) {
	cases := []struct {
		attrs MessageBodyAttributeMap
		want  string
	}{
		{MessageBodyAttributeMap{"timestamp": {DataType: "Number", StringValue: "1493147359900"}}, "235c5c510d26fb653d073faed50ae77c"},
		{MessageBodyAttributeMap{"blob": {DataType: "Binary", BinaryValue: []byte{1, 2, 3}}}, "c39dad10e6d6152f1861cc7696680368"},
		{MessageBodyAttributeMap{
			"color":  {DataType: "String", StringValue: "blue"},
			"count":  {DataType: "Number", StringValue: "42"},
			"blob":   {DataType: "Binary", BinaryValue: []byte{1, 2, 3}},
			"custom": {DataType: "String.note", StringValue: "é ünïcode"},
		}, "826ab904297cf93785303925b4c3c46a"},
	}
	for _, c := range cases {
		if got := md5OfAttributes(c.attrs); got != c.want {
			t.Errorf("md5OfAttributes(%v) = %s, want %s", c.attrs, got, c.want)
		}
	}
	if md5OfAttributes(nil) != "" {
		t.Error("no attributes must give no digest")
	}
}

func TestSQS_sendReceiveDeleteWithAttributes(t *testing.T) {
	e := newEnv(t, envOptions{})
	url := e.createQueue("work", nil)
	attrs := map[string]sqstypes.MessageAttributeValue{
		"color":    {DataType: aws.String("String"), StringValue: aws.String("blue")},
		"count":    {DataType: aws.String("Number"), StringValue: aws.String("42")},
		"blob":     {DataType: aws.String("Binary"), BinaryValue: []byte{1, 2, 3}},
		"custom":   {DataType: aws.String("String.note"), StringValue: aws.String("é ünïcode")},
		"trace.id": {DataType: aws.String("String"), StringValue: aws.String("t-1")},
	}
	// The SDK checks MD5OfMessageBody of SendMessage and MD5OfBody of ReceiveMessage itself: a
	// wrong digest fails these calls.
	body := `{"hello":"wörld","n":1}` + "\t\n"
	sent, err := e.client.SendMessage(ctx(t), &awssqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(body), MessageAttributes: attrs})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(sent.MD5OfMessageBody) != md5Hex(body) || aws.ToString(sent.MD5OfMessageAttributes) == "" || aws.ToString(sent.MessageId) == "" {
		t.Fatalf("SendMessage answered %+v", sent)
	}
	if sent.SequenceNumber != nil {
		t.Error("standard queue answered a SequenceNumber")
	}

	e.clock.Advance(2 * time.Second)
	out, err := e.client.ReceiveMessage(ctx(t), &awssqs.ReceiveMessageInput{
		QueueUrl: aws.String(url), MaxNumberOfMessages: 10,
		MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{"All"},
		MessageAttributeNames:       []string{"All"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Messages) != 1 {
		t.Fatalf("received %d messages", len(out.Messages))
	}
	m := out.Messages[0]
	if aws.ToString(m.Body) != body || aws.ToString(m.MessageId) != aws.ToString(sent.MessageId) {
		t.Fatalf("received %+v", m)
	}
	if aws.ToString(m.MD5OfMessageAttributes) != aws.ToString(sent.MD5OfMessageAttributes) || len(m.MessageAttributes) != 5 {
		t.Fatalf("attributes: %s %v", aws.ToString(m.MD5OfMessageAttributes), m.MessageAttributes)
	}
	if b := m.MessageAttributes["blob"].BinaryValue; string(b) != "\x01\x02\x03" {
		t.Errorf("binary attribute came back as %v", b)
	}
	sentAt := strconv.FormatInt(testStart.UnixMilli(), 10)
	firstAt := strconv.FormatInt(testStart.Add(2*time.Second).UnixMilli(), 10)
	for k, v := range map[string]string{
		"SentTimestamp": sentAt, "ApproximateFirstReceiveTimestamp": firstAt,
		"ApproximateReceiveCount": "1", "SenderId": "000000000000",
	} {
		if m.Attributes[k] != v {
			t.Errorf("attribute %s = %q, want %q", k, m.Attributes[k], v)
		}
	}
	if _, ok := m.Attributes["MessageGroupId"]; ok {
		t.Error("MessageGroupId answered for a message without one")
	}

	// A subset of attributes: the digest covers only what is answered.
	e.clock.Advance(31 * time.Second)
	out, err = e.client.ReceiveMessage(ctx(t), &awssqs.ReceiveMessageInput{
		QueueUrl: aws.String(url), MessageAttributeNames: []string{"trace.*", "color", "count"},
		MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{"ApproximateReceiveCount"},
	})
	if err != nil || len(out.Messages) != 1 {
		t.Fatalf("second receive: %v %v", out, err)
	}
	m = out.Messages[0]
	if len(m.MessageAttributes) != 3 || len(m.Attributes) != 1 || m.Attributes["ApproximateReceiveCount"] != "2" {
		t.Fatalf("subset: attrs %v system %v", m.MessageAttributes, m.Attributes)
	}
	sub := MessageBodyAttributeMap{
		"color": {DataType: "String", StringValue: "blue"}, "count": {DataType: "Number", StringValue: "42"},
		"trace.id": {DataType: "String", StringValue: "t-1"},
	}
	if aws.ToString(m.MD5OfMessageAttributes) != md5OfAttributes(sub) {
		t.Errorf("subset digest %s, want %s", aws.ToString(m.MD5OfMessageAttributes), md5OfAttributes(sub))
	}
	// No attributes asked: none answered, and no digest.
	e.clock.Advance(31 * time.Second)
	out, err = e.client.ReceiveMessage(ctx(t), &awssqs.ReceiveMessageInput{QueueUrl: aws.String(url)})
	if err != nil || len(out.Messages) != 1 || out.Messages[0].MessageAttributes != nil || out.Messages[0].MD5OfMessageAttributes != nil || out.Messages[0].Attributes != nil {
		t.Fatalf("plain receive: %+v %v", out, err)
	}

	if _, err := e.client.DeleteMessage(ctx(t), &awssqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: out.Messages[0].ReceiptHandle}); err != nil {
		t.Fatal(err)
	}
	// Deleting again (the message is gone) succeeds, as on AWS.
	if _, err := e.client.DeleteMessage(ctx(t), &awssqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: out.Messages[0].ReceiptHandle}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Hour)
	if got := e.receive(url, 10).Messages; len(got) != 0 {
		t.Fatalf("deleted message came back: %v", got)
	}
	_, err = e.client.DeleteMessage(ctx(t), &awssqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: aws.String("garbage")})
	var invalid *sqstypes.ReceiptHandleIsInvalid
	if !errors.As(err, &invalid) {
		t.Fatalf("garbage handle: %v", err)
	}
}

func TestSQS_sendValidation(t *testing.T) {
	e := newEnv(t, envOptions{})
	url := e.createQueue("validate", map[string]string{"MaximumMessageSize": "1024"})
	big := e.createQueue("big", nil)
	send := func(q, body string, attrs map[string]sqstypes.MessageAttributeValue, mutate func(*awssqs.SendMessageInput)) error {
		in := &awssqs.SendMessageInput{QueueUrl: aws.String(q), MessageBody: aws.String(body), MessageAttributes: attrs}
		if mutate != nil {
			mutate(in)
		}
		_, err := e.client.SendMessage(ctx(t), in)
		return err
	}
	str := func(v string) sqstypes.MessageAttributeValue {
		return sqstypes.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(v)}
	}
	if err := send(url, strings.Repeat("x", 1024), nil, nil); err != nil {
		t.Fatalf("1024 bytes into a 1024-byte queue: %v", err)
	}
	wantCode(t, send(url, strings.Repeat("x", 1025), nil, nil), "InvalidParameterValue")
	// Attributes count towards the size: 1000 + len("k")+len("String")+len(17 x "v") = 1024.
	if err := send(url, strings.Repeat("x", 1000), map[string]sqstypes.MessageAttributeValue{"k": str(strings.Repeat("v", 17))}, nil); err != nil {
		t.Fatalf("exactly 1024 with attributes: %v", err)
	}
	wantCode(t, send(url, strings.Repeat("x", 1000), map[string]sqstypes.MessageAttributeValue{"k": str(strings.Repeat("v", 18))}, nil), "InvalidParameterValue")
	// The 2025 limit: 1 MiB.
	if err := send(big, strings.Repeat("x", 1<<20), nil, nil); err != nil {
		t.Fatalf("1 MiB message: %v", err)
	}
	wantCode(t, send(big, strings.Repeat("x", 1<<20+1), nil, nil), "InvalidParameterValue")

	var contents *sqstypes.InvalidMessageContents
	if err := send(big, "bad \x01 char", nil, nil); !errors.As(err, &contents) {
		t.Errorf("control character: %v", err)
	}
	many := map[string]sqstypes.MessageAttributeValue{}
	for i := range 11 {
		many[fmt.Sprint("a", i)] = str("v")
	}
	for name, attrs := range map[string]map[string]sqstypes.MessageAttributeValue{
		"eleven":       many,
		"reserved":     {"AWS.thing": str("v")},
		"dot-start":    {".x": str("v")},
		"double-dot":   {"a..b": str("v")},
		"bad-char":     {"a b": str("v")},
		"bad-type":     {"a": {DataType: aws.String("Text"), StringValue: aws.String("v")}},
		"empty-value":  {"a": {DataType: aws.String("String"), StringValue: aws.String("")}},
		"not-a-number": {"a": {DataType: aws.String("Number"), StringValue: aws.String("12x")}},
		"no-binary":    {"a": {DataType: aws.String("Binary")}},
	} {
		if err := send(big, "x", attrs, nil); apiCode(err) != "InvalidParameterValue" {
			t.Errorf("%s: %v", name, err)
		}
	}
	wantCode(t, send(big, "x", nil, func(in *awssqs.SendMessageInput) { in.DelaySeconds = 901 }), "InvalidParameterValue")
	wantCode(t, send(big, "x", nil, func(in *awssqs.SendMessageInput) { in.MessageDeduplicationId = aws.String("d") }), "InvalidParameterValue")
	// Fair queues: standard queues take a MessageGroupId and answer it.
	if err := send(big, "fair", nil, func(in *awssqs.SendMessageInput) { in.MessageGroupId = aws.String("tenant-1") }); err != nil {
		t.Fatalf("MessageGroupId on a standard queue: %v", err)
	}
	if _, err := e.client.SendMessage(ctx(t), &awssqs.SendMessageInput{QueueUrl: aws.String(big), MessageBody: aws.String("trace"),
		MessageSystemAttributes: map[string]sqstypes.MessageSystemAttributeValue{
			"AWSTraceHeader": {DataType: aws.String("String"), StringValue: aws.String("Root=1-5759e988-bd862e3fe1be46a994272793")},
		}}); err != nil {
		t.Fatal(err)
	}
	_, err := e.client.ReceiveMessage(ctx(t), &awssqs.ReceiveMessageInput{QueueUrl: aws.String(big), MaxNumberOfMessages: 11})
	wantCode(t, err, "InvalidParameterValue")
	_, err = e.client.ReceiveMessage(ctx(t), &awssqs.ReceiveMessageInput{QueueUrl: aws.String(big), WaitTimeSeconds: 21})
	wantCode(t, err, "InvalidParameterValue")
	_, err = e.client.ReceiveMessage(ctx(t), &awssqs.ReceiveMessageInput{QueueUrl: aws.String(big), VisibilityTimeout: 43201})
	wantCode(t, err, "InvalidParameterValue")

	var group, trace string
	for _, m := range e.receive(big, 10).Messages {
		switch aws.ToString(m.Body) {
		case "fair":
			group = m.Attributes["MessageGroupId"]
		case "trace":
			trace = m.Attributes["AWSTraceHeader"]
		}
	}
	if group != "tenant-1" || trace != "Root=1-5759e988-bd862e3fe1be46a994272793" {
		t.Errorf("MessageGroupId %q, AWSTraceHeader %q", group, trace)
	}
}

func TestSQS_visibilityTimeout(t *testing.T) {
	e := newEnv(t, envOptions{})
	url := e.createQueue("vis", map[string]string{"VisibilityTimeout": "30"})
	e.send(url, "one")
	first := e.receive(url, 1).Messages
	if len(first) != 1 {
		t.Fatal("nothing received")
	}
	if got := e.receive(url, 1).Messages; len(got) != 0 {
		t.Fatal("an in-flight message was received again")
	}
	a := e.attributes(url)
	if a["ApproximateNumberOfMessages"] != "0" || a["ApproximateNumberOfMessagesNotVisible"] != "1" {
		t.Fatalf("counts while in flight: %v", a)
	}
	e.clock.Advance(29 * time.Second)
	if got := e.receive(url, 1).Messages; len(got) != 0 {
		t.Fatal("visible before its timeout")
	}
	e.clock.Advance(time.Second)
	second := e.receive(url, 1).Messages
	if len(second) != 1 || second[0].Attributes["ApproximateReceiveCount"] != "2" {
		t.Fatalf("after the timeout: %+v", second)
	}
	if aws.ToString(second[0].ReceiptHandle) == aws.ToString(first[0].ReceiptHandle) {
		t.Fatal("a new receive must give a new receipt handle")
	}
	// A per-receive VisibilityTimeout.
	e.clock.Advance(30 * time.Second)
	out, err := e.client.ReceiveMessage(ctx(t), &awssqs.ReceiveMessageInput{QueueUrl: aws.String(url), VisibilityTimeout: 5})
	if err != nil || len(out.Messages) != 1 {
		t.Fatalf("receive with VisibilityTimeout 5: %v %v", out, err)
	}
	e.clock.Advance(5 * time.Second)
	third := e.receive(url, 1).Messages
	if len(third) != 1 {
		t.Fatal("VisibilityTimeout of the receive not applied")
	}

	// ChangeMessageVisibility: extend, then 0 makes it visible at once.
	h := third[0].ReceiptHandle
	if _, err := e.client.ChangeMessageVisibility(ctx(t), &awssqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(url), ReceiptHandle: h, VisibilityTimeout: 100}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(60 * time.Second)
	if got := e.receive(url, 1).Messages; len(got) != 0 {
		t.Fatal("extended visibility not honoured")
	}
	_, err = e.client.ChangeMessageVisibility(ctx(t), &awssqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(url), ReceiptHandle: h, VisibilityTimeout: 43200})
	wantCode(t, err, "InvalidParameterValue") // 12 hours in all, counted from the receive
	if _, err := e.client.ChangeMessageVisibility(ctx(t), &awssqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(url), ReceiptHandle: h, VisibilityTimeout: 0}); err != nil {
		t.Fatal(err)
	}
	fourth := e.receive(url, 1).Messages
	if len(fourth) != 1 || fourth[0].Attributes["ApproximateReceiveCount"] != "5" {
		t.Fatalf("after visibility 0: %+v", fourth)
	}
	// A standard queue: an older handle still deletes, and a visibility change with an expired
	// handle succeeds without effect.
	if _, err := e.client.ChangeMessageVisibility(ctx(t), &awssqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(url), ReceiptHandle: first[0].ReceiptHandle, VisibilityTimeout: 600}); err != nil {
		t.Fatalf("expired handle: %v", err)
	}
	if _, err := e.client.DeleteMessage(ctx(t), &awssqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: first[0].ReceiptHandle}); err != nil {
		t.Fatal(err)
	}
	if a := e.attributes(url); a["ApproximateNumberOfMessagesNotVisible"] != "0" || a["ApproximateNumberOfMessages"] != "0" {
		t.Fatalf("old handle did not delete: %v", a)
	}
	_, err = e.client.ChangeMessageVisibility(ctx(t), &awssqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(url), ReceiptHandle: h, VisibilityTimeout: 10})
	wantCode(t, err, "InvalidParameterValue") // the message does not exist any more
}

func TestSQS_delaySeconds(t *testing.T) {
	e := newEnv(t, envOptions{})
	url := e.createQueue("delayed", map[string]string{"DelaySeconds": "20"})
	e.send(url, "queue-delay")
	if _, err := e.client.SendMessage(ctx(t), &awssqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("own-delay"), DelaySeconds: 5}); err != nil {
		t.Fatal(err)
	}
	if a := e.attributes(url); a["ApproximateNumberOfMessagesDelayed"] != "2" || a["ApproximateNumberOfMessages"] != "0" {
		t.Fatalf("counts: %v", a)
	}
	if got := e.bodies(url, 10); len(got) != 0 {
		t.Fatalf("delayed messages received: %v", got)
	}
	e.clock.Advance(5 * time.Second)
	if got := e.bodies(url, 10); len(got) != 1 || got[0] != "own-delay" {
		t.Fatalf("after 5 s: %v", got)
	}
	e.clock.Advance(15 * time.Second)
	if got := e.bodies(url, 10); len(got) != 1 || got[0] != "queue-delay" {
		t.Fatalf("after 20 s: %v", got)
	}
	// The queue delay of a standard queue applies to messages sent after it changed, not before.
	e.send(url, "before-change")
	if _, err := e.client.SetQueueAttributes(ctx(t), &awssqs.SetQueueAttributesInput{QueueUrl: aws.String(url), Attributes: map[string]string{"DelaySeconds": "0"}}); err != nil {
		t.Fatal(err)
	}
	if got := e.bodies(url, 10); len(got) != 0 {
		t.Fatalf("standard delay applied retroactively: %v", got)
	}
}

func TestSQS_retention(t *testing.T) {
	e := newEnv(t, envOptions{})
	url := e.createQueue("short", map[string]string{"MessageRetentionPeriod": "60"})
	e.send(url, "old")
	e.clock.Advance(30 * time.Second)
	e.send(url, "new")
	e.clock.Advance(30 * time.Second)
	if got := e.bodies(url, 10); len(got) != 1 || got[0] != "new" {
		t.Fatalf("after 60 s: %v", got)
	}
	e.clock.Advance(31 * time.Second)
	if a := e.attributes(url); a["ApproximateNumberOfMessages"] != "0" || a["ApproximateNumberOfMessagesNotVisible"] != "0" {
		t.Fatalf("expired messages still counted: %v", a)
	}
	if got := e.bodies(url, 10); len(got) != 0 {
		t.Fatalf("expired message received: %v", got)
	}
}

func TestSQS_longPolling(t *testing.T) {
	e := newEnv(t, envOptions{})
	url := e.createQueue("poll", nil)
	type result struct {
		out *awssqs.ReceiveMessageOutput
		err error
	}
	start := func(in *awssqs.ReceiveMessageInput) chan result {
		ch := make(chan result, 1)
		go func() {
			out, err := e.client.ReceiveMessage(ctx(t), in)
			ch <- result{out, err}
		}()
		return ch
	}
	// A waiting receive returns as soon as a message arrives, long before its 20 s.
	ch := start(&awssqs.ReceiveMessageInput{QueueUrl: aws.String(url), WaitTimeSeconds: 20})
	waitPending(t, e.clock, 1)
	e.send(url, "wake up")
	select {
	case r := <-ch:
		if r.err != nil || len(r.out.Messages) != 1 || aws.ToString(r.out.Messages[0].Body) != "wake up" {
			t.Fatalf("long poll answered %+v %v", r.out, r.err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("long poll did not return when a message arrived")
	}

	// Without a message it returns empty when the wait passes on the clock.
	ch = start(&awssqs.ReceiveMessageInput{QueueUrl: aws.String(url), WaitTimeSeconds: 3})
	waitPending(t, e.clock, 1)
	select {
	case <-ch:
		t.Fatal("returned before the wait passed")
	case <-time.After(50 * time.Millisecond):
	}
	e.clock.Advance(3 * time.Second)
	if r := <-ch; r.err != nil || len(r.out.Messages) != 0 {
		t.Fatalf("empty long poll: %+v %v", r.out, r.err)
	}

	// The queue's ReceiveMessageWaitTimeSeconds applies when the request has no WaitTimeSeconds,
	// and a message becoming visible (delay ending) wakes the poll.
	if _, err := e.client.SetQueueAttributes(ctx(t), &awssqs.SetQueueAttributesInput{QueueUrl: aws.String(url), Attributes: map[string]string{"ReceiveMessageWaitTimeSeconds": "20"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.SendMessage(ctx(t), &awssqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("later"), DelaySeconds: 10}); err != nil {
		t.Fatal(err)
	}
	ch = start(&awssqs.ReceiveMessageInput{QueueUrl: aws.String(url)})
	waitPending(t, e.clock, 1)
	e.clock.Advance(10 * time.Second)
	select {
	case r := <-ch:
		if r.err != nil || len(r.out.Messages) != 1 || aws.ToString(r.out.Messages[0].Body) != "later" {
			t.Fatalf("queue long poll answered %+v %v", r.out, r.err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("long poll did not wake when the delay ended")
	}
}

func TestSQS_batches(t *testing.T) {
	e := newEnv(t, envOptions{})
	url := e.createQueue("batch", nil)
	entry := func(id, body string) sqstypes.SendMessageBatchRequestEntry {
		return sqstypes.SendMessageBatchRequestEntry{Id: aws.String(id), MessageBody: aws.String(body)}
	}
	out, err := e.client.SendMessageBatch(ctx(t), &awssqs.SendMessageBatchInput{QueueUrl: aws.String(url), Entries: []sqstypes.SendMessageBatchRequestEntry{
		entry("ok-1", "first"),
		entry("bad", "control \x02 char"),
		{Id: aws.String("attr"), MessageBody: aws.String("x"), MessageAttributes: map[string]sqstypes.MessageAttributeValue{
			"AWS.reserved": {DataType: aws.String("String"), StringValue: aws.String("v")},
		}},
		{Id: aws.String("delay"), MessageBody: aws.String("x"), DelaySeconds: 1000},
		entry("ok_2", "second"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Successful) != 2 || aws.ToString(out.Successful[0].Id) != "ok-1" || aws.ToString(out.Successful[1].Id) != "ok_2" {
		t.Fatalf("Successful: %+v", out.Successful)
	}
	failed := map[string]string{}
	for _, f := range out.Failed {
		failed[aws.ToString(f.Id)] = aws.ToString(f.Code)
		if !f.SenderFault {
			t.Errorf("entry %s: SenderFault false", aws.ToString(f.Id))
		}
	}
	if failed["bad"] != "InvalidMessageContents" || failed["attr"] != "InvalidParameterValue" || failed["delay"] != "InvalidParameterValue" {
		t.Fatalf("Failed: %v", failed)
	}

	many := make([]sqstypes.SendMessageBatchRequestEntry, 11)
	for i := range many {
		many[i] = entry(fmt.Sprint("e", i), "x")
	}
	for _, c := range []struct {
		entries []sqstypes.SendMessageBatchRequestEntry
		code    string
	}{
		{many, "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"},
		{[]sqstypes.SendMessageBatchRequestEntry{entry("a", "x"), entry("a", "y")}, "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"},
		{[]sqstypes.SendMessageBatchRequestEntry{entry("has space", "x")}, "AWS.SimpleQueueService.InvalidBatchEntryId"},
		{[]sqstypes.SendMessageBatchRequestEntry{entry(strings.Repeat("i", 81), "x")}, "AWS.SimpleQueueService.InvalidBatchEntryId"},
		{[]sqstypes.SendMessageBatchRequestEntry{entry("a", strings.Repeat("x", 600_000)), entry("b", strings.Repeat("x", 600_000))}, "AWS.SimpleQueueService.BatchRequestTooLong"},
	} {
		_, err := e.client.SendMessageBatch(ctx(t), &awssqs.SendMessageBatchInput{QueueUrl: aws.String(url), Entries: c.entries})
		wantCode(t, err, c.code)
	}
	var tooMany *sqstypes.TooManyEntriesInBatchRequest
	if _, err := e.client.SendMessageBatch(ctx(t), &awssqs.SendMessageBatchInput{QueueUrl: aws.String(url), Entries: many}); !errors.As(err, &tooMany) {
		t.Errorf("want the typed TooManyEntriesInBatchRequest, got %T", err)
	}

	got := e.receive(url, 10).Messages
	if len(got) != 2 {
		t.Fatalf("received %d", len(got))
	}
	// One good handle, one garbage handle, one handle of a message already deleted.
	if _, err := e.client.DeleteMessage(ctx(t), &awssqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: got[1].ReceiptHandle}); err != nil {
		t.Fatal(err)
	}
	del, err := e.client.DeleteMessageBatch(ctx(t), &awssqs.DeleteMessageBatchInput{QueueUrl: aws.String(url), Entries: []sqstypes.DeleteMessageBatchRequestEntry{
		{Id: aws.String("good"), ReceiptHandle: got[0].ReceiptHandle},
		{Id: aws.String("garbage"), ReceiptHandle: aws.String("not-a-handle")},
		{Id: aws.String("gone"), ReceiptHandle: got[1].ReceiptHandle},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(del.Successful) != 2 || len(del.Failed) != 1 || aws.ToString(del.Failed[0].Id) != "garbage" || aws.ToString(del.Failed[0].Code) != "ReceiptHandleIsInvalid" {
		t.Fatalf("DeleteMessageBatch: %+v %+v", del.Successful, del.Failed)
	}

	e.send(url, "vis")
	v := e.receive(url, 1).Messages
	chg, err := e.client.ChangeMessageVisibilityBatch(ctx(t), &awssqs.ChangeMessageVisibilityBatchInput{QueueUrl: aws.String(url), Entries: []sqstypes.ChangeMessageVisibilityBatchRequestEntry{
		{Id: aws.String("now"), ReceiptHandle: v[0].ReceiptHandle, VisibilityTimeout: 0},
		{Id: aws.String("bad"), ReceiptHandle: aws.String("nope"), VisibilityTimeout: 10},
		{Id: aws.String("range"), ReceiptHandle: v[0].ReceiptHandle, VisibilityTimeout: 50000},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(chg.Successful) != 1 || len(chg.Failed) != 2 {
		t.Fatalf("ChangeMessageVisibilityBatch: %+v %+v", chg.Successful, chg.Failed)
	}
	if got := e.bodies(url, 1); len(got) != 1 || got[0] != "vis" {
		t.Fatalf("visibility 0 in a batch: %v", got)
	}
	// The SDK refuses empty batches itself; the service answers EmptyBatchRequest to others.
	for _, op := range []string{"SendMessageBatch", "DeleteMessageBatch", "ChangeMessageVisibilityBatch"} {
		status, h, out := postJSON(t, e, op, `{"QueueUrl":"`+url+`","Entries":[]}`)
		if status != 400 || out["__type"] != "com.amazonaws.sqs#EmptyBatchRequest" || h.Get("x-amzn-query-error") != "AWS.SimpleQueueService.EmptyBatchRequest;Sender" {
			t.Errorf("%s with no entries: %d %v", op, status, out)
		}
	}
}

// Concurrent senders and receivers: every message is delivered, none twice while in flight.
func TestSQS_concurrentSendReceive(t *testing.T) {
	e := newEnv(t, envOptions{})
	url := e.createQueue("busy", nil)
	const senders, perSender = 4, 25
	var wg sync.WaitGroup
	for s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perSender {
				if _, err := e.client.SendMessage(ctx(t), &awssqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(fmt.Sprint(s, "-", i))}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	var mu sync.Mutex
	seen := map[string]int{}
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				done := len(seen) == senders*perSender
				mu.Unlock()
				if done {
					return
				}
				out, err := e.client.ReceiveMessage(ctx(t), &awssqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 10})
				if err != nil {
					t.Error(err)
					return
				}
				for _, m := range out.Messages {
					mu.Lock()
					seen[aws.ToString(m.Body)]++
					mu.Unlock()
					if _, err := e.client.DeleteMessage(ctx(t), &awssqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: m.ReceiptHandle}); err != nil {
						t.Error(err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	for body, n := range seen {
		if n != 1 {
			t.Errorf("%s delivered %d times", body, n)
		}
	}
	if a := e.attributes(url); a["ApproximateNumberOfMessages"] != "0" || a["ApproximateNumberOfMessagesNotVisible"] != "0" {
		t.Fatalf("left over: %v", a)
	}
}
