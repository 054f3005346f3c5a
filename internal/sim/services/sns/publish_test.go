package sns

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
)

func TestSNS_publishValidation(t *testing.T) {
	h := newHarness(t)
	topicARN := h.createTopic(t, "p", nil)
	big := strings.Repeat("x", defaultMaximumMessageSize)
	for _, in := range []*sns.PublishInput{
		{TopicArn: aws.String(topicARN), Message: aws.String("")},
		{TopicArn: aws.String(topicARN), Message: aws.String(big + "y")}, // one byte over 256 KiB
		{TopicArn: aws.String(topicARN), Message: aws.String(big[:defaultMaximumMessageSize-4]), // attributes count too
			MessageAttributes: map[string]types.MessageAttributeValue{"abc": strAttr("de")}},
		{TopicArn: aws.String(topicARN), Message: aws.String("m"), Subject: aws.String("")},
		{TopicArn: aws.String(topicARN), Message: aws.String("m"), Subject: aws.String("line\nbreak")},
		{TopicArn: aws.String(topicARN), Message: aws.String("m"), Subject: aws.String(strings.Repeat("s", 100))},
		{TopicArn: aws.String(topicARN), Message: aws.String("m"), MessageStructure: aws.String("xml")},
		{TopicArn: aws.String(topicARN), TargetArn: aws.String(topicARN), Message: aws.String("m")},
		{PhoneNumber: aws.String("+15555550100"), Message: aws.String("m")},
		{TopicArn: aws.String("not-an-arn"), Message: aws.String("m")},
		{Message: aws.String("m")},
	} {
		_, err := h.client.Publish(ctx, in)
		var ip *types.InvalidParameterException
		if !errors.As(err, &ip) {
			t.Errorf("Publish %.40q: %v, want InvalidParameterException", aws.ToString(in.Message), err)
		}
	}
	for name, attr := range map[string]types.MessageAttributeValue{
		"bad type":    {DataType: aws.String("Date"), StringValue: aws.String("x")},
		"empty":       {DataType: aws.String("String"), StringValue: aws.String("")},
		"nan":         {DataType: aws.String("Number"), StringValue: aws.String("twelve")},
		"array":       {DataType: aws.String("String.Array"), StringValue: aws.String(`not an array`)},
		"AWS.reserve": {DataType: aws.String("String"), StringValue: aws.String("x")},
	} {
		_, err := h.client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topicARN), Message: aws.String("m"),
			MessageAttributes: map[string]types.MessageAttributeValue{name: attr}})
		var ipv *types.InvalidParameterValueException
		if !errors.As(err, &ipv) {
			t.Errorf("attribute %q: %v, want InvalidParameterValueException", name, err)
		}
	}
	_, err := h.client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String("arn:aws:sns:us-east-1:000000000000:missing"), Message: aws.String("m")})
	var nf *types.NotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("Publish to a missing topic: %v, want NotFoundException", err)
	}

	// Exactly 256 KiB is accepted; TargetArn naming a topic works like TopicArn.
	if _, err := h.client.Publish(ctx, &sns.PublishInput{TargetArn: aws.String(topicARN), Message: aws.String(big)}); err != nil {
		t.Errorf("256 KiB message: %v", err)
	}
	// MaximumMessageSize raises the limit to 1 MiB ("Publishing large messages with Amazon SNS").
	h.client.SetTopicAttributes(ctx, &sns.SetTopicAttributesInput{TopicArn: aws.String(topicARN),
		AttributeName: aws.String("MaximumMessageSize"), AttributeValue: aws.String("1048576")})
	h.subscribe(t, topicARN, "sqs", queueARN("large"), map[string]string{"RawMessageDelivery": "true"})
	large := strings.Repeat("L", maxMaximumMessageSize)
	if _, err := h.client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topicARN), Message: aws.String(large)}); err != nil {
		t.Fatalf("1 MiB message on a topic allowing it: %v", err)
	}
	if m := h.sqs.waitCalls(t, 1)[0]; len(m.Body) != maxMaximumMessageSize {
		t.Errorf("delivered %d bytes", len(m.Body))
	}
	// Such a topic refuses HTTP/S subscriptions.
	_, err = h.client.Subscribe(ctx, &sns.SubscribeInput{TopicArn: aws.String(topicARN), Protocol: aws.String("http"), Endpoint: aws.String("http://127.0.0.1:9/")})
	var ip *types.InvalidParameterException
	if !errors.As(err, &ip) {
		t.Errorf("http subscription on a 1 MiB topic: %v, want InvalidParameterException", err)
	}
}

func TestSNS_publishBatch(t *testing.T) {
	h := newHarness(t)
	topicARN := h.createTopic(t, "batch", nil)
	h.subscribe(t, topicARN, "sqs", queueARN("b"), map[string]string{"RawMessageDelivery": "true"})
	out, err := h.client.PublishBatch(ctx, &sns.PublishBatchInput{TopicArn: aws.String(topicARN), PublishBatchRequestEntries: []types.PublishBatchRequestEntry{
		{Id: aws.String("ok-1"), Message: aws.String("one")},
		{Id: aws.String("bad"), Message: aws.String("two"), MessageDeduplicationId: aws.String("not on standard topics")},
		{Id: aws.String("ok-2"), Message: aws.String("three"), MessageAttributes: map[string]types.MessageAttributeValue{"a": strAttr("b")}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Successful) != 2 || len(out.Failed) != 1 {
		t.Fatalf("successful %+v failed %+v", out.Successful, out.Failed)
	}
	if f := out.Failed[0]; aws.ToString(f.Id) != "bad" || aws.ToString(f.Code) != "InvalidParameter" || !f.SenderFault {
		t.Errorf("failed entry: %+v", f)
	}
	got := h.sqs.waitCalls(t, 2)
	h.sqs.never(t, 2)
	bodies := []string{string(got[0].Body), string(got[1].Body)}
	if fmt.Sprint(bodies) != "[one three]" && fmt.Sprint(bodies) != "[three one]" {
		t.Errorf("delivered %v", bodies)
	}

	var tooMany []types.PublishBatchRequestEntry
	for i := range 11 {
		tooMany = append(tooMany, types.PublishBatchRequestEntry{Id: aws.String(fmt.Sprint("e", i)), Message: aws.String("m")})
	}
	for _, tc := range []struct {
		entries []types.PublishBatchRequestEntry
		check   func(error) bool
	}{
		{tooMany, func(err error) bool { var e *types.TooManyEntriesInBatchRequestException; return errors.As(err, &e) }},
		{[]types.PublishBatchRequestEntry{{Id: aws.String("x"), Message: aws.String("1")}, {Id: aws.String("x"), Message: aws.String("2")}},
			func(err error) bool { var e *types.BatchEntryIdsNotDistinctException; return errors.As(err, &e) }},
		{[]types.PublishBatchRequestEntry{{Id: aws.String("no spaces allowed"), Message: aws.String("1")}},
			func(err error) bool { var e *types.InvalidBatchEntryIdException; return errors.As(err, &e) }},
		{[]types.PublishBatchRequestEntry{{Id: aws.String("a"), Message: aws.String(strings.Repeat("x", 200000))}, {Id: aws.String("b"), Message: aws.String(strings.Repeat("x", 200000))}},
			func(err error) bool { var e *types.BatchRequestTooLongException; return errors.As(err, &e) }},
	} {
		_, err := h.client.PublishBatch(ctx, &sns.PublishBatchInput{TopicArn: aws.String(topicARN), PublishBatchRequestEntries: tc.entries})
		if !tc.check(err) {
			t.Errorf("PublishBatch with %d entries: %v", len(tc.entries), err)
		}
	}
	// An empty batch never leaves the SDK (it validates required members), so send it by hand.
	_, e := h.svc.PublishBatch(context.Background(), PublishBatchInput{TopicARN: topicARN})
	if e == nil || e.Code != "EmptyBatchRequest" {
		t.Errorf("empty batch: %v", e)
	}
}

// TestSNS_receiveFromBus: other services publish to a topic through the bus.
func TestSNS_receiveFromBus(t *testing.T) {
	h := newHarness(t)
	topicARN := h.createTopic(t, "from-s3", nil)
	h.subscribe(t, topicARN, "sqs", queueARN("q"), nil)
	if err := h.bus.Deliver(ctx, deliver.Message{TargetARN: topicARN, Body: []byte(`{"Records":[]}`), Principal: "s3.amazonaws.com"}); err != nil {
		t.Fatal(err)
	}
	env := envelopeOf(t, h.sqs.waitCalls(t, 1)[0])
	if env["Message"] != `{"Records":[]}` {
		t.Errorf("envelope: %v", env)
	}
	err := h.bus.Deliver(ctx, deliver.Message{TargetARN: "arn:aws:sns:us-east-1:000000000000:nope", Body: []byte("x")})
	if !errors.Is(err, deliver.ErrNoTarget) {
		t.Errorf("publishing to a missing topic through the bus: %v, want ErrNoTarget", err)
	}
}
