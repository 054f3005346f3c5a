package sns

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"
)

func TestSNS_subscriptionLifecycle(t *testing.T) {
	h := newHarness(t)
	topicARN := h.createTopic(t, "subs", nil)
	other := h.createTopic(t, "other", nil)
	qSub := h.subscribe(t, topicARN, "sqs", queueARN("q"), nil)
	// Subscribe is idempotent for the same endpoint.
	if again := h.subscribe(t, topicARN, "sqs", queueARN("q"), nil); again != qSub {
		t.Fatalf("second Subscribe = %q, want %q", again, qSub)
	}
	_, err := h.client.Subscribe(ctx, &sns.SubscribeInput{TopicArn: aws.String(topicARN), Protocol: aws.String("sqs"),
		Endpoint: aws.String(queueARN("q")), Attributes: map[string]string{"RawMessageDelivery": "true"}})
	var ip *types.InvalidParameterException
	if !errors.As(err, &ip) {
		t.Fatalf("Subscribe again with other attributes: %v, want InvalidParameterException", err)
	}
	lSub := h.subscribe(t, topicARN, "lambda", functionARN("f"), nil)
	h.subscribe(t, other, "sqs", queueARN("q2"), nil)

	attrs, err := h.client.GetSubscriptionAttributes(ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(qSub)})
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{
		"SubscriptionArn": qSub, "TopicArn": topicARN, "Protocol": "sqs", "Endpoint": queueARN("q"), "Owner": testAccount,
		"PendingConfirmation": "false", "ConfirmationWasAuthenticated": "true", "RawMessageDelivery": "false",
	} {
		if attrs.Attributes[k] != want {
			t.Errorf("%s = %q, want %q", k, attrs.Attributes[k], want)
		}
	}

	byTopic, err := h.client.ListSubscriptionsByTopic(ctx, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(topicARN)})
	if err != nil {
		t.Fatal(err)
	}
	if len(byTopic.Subscriptions) != 2 {
		t.Fatalf("ListSubscriptionsByTopic: %d subscriptions, want 2", len(byTopic.Subscriptions))
	}
	all, err := h.client.ListSubscriptions(ctx, &sns.ListSubscriptionsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Subscriptions) != 3 {
		t.Fatalf("ListSubscriptions: %d, want 3", len(all.Subscriptions))
	}

	if _, err := h.client.Unsubscribe(ctx, &sns.UnsubscribeInput{SubscriptionArn: aws.String(lSub)}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.GetSubscriptionAttributes(ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(lSub)})
	var nf *types.NotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("GetSubscriptionAttributes after Unsubscribe: %v, want NotFoundException", err)
	}
	_, err = h.client.Unsubscribe(ctx, &sns.UnsubscribeInput{SubscriptionArn: aws.String(lSub)})
	if !errors.As(err, &nf) {
		t.Fatalf("second Unsubscribe: %v, want NotFoundException", err)
	}
	ta, _ := h.client.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(topicARN)})
	if ta.Attributes["SubscriptionsConfirmed"] != "1" || ta.Attributes["SubscriptionsDeleted"] != "1" {
		t.Errorf("topic counts: %v", ta.Attributes)
	}

	// Deleting the topic deletes its subscriptions.
	h.client.DeleteTopic(ctx, &sns.DeleteTopicInput{TopicArn: aws.String(topicARN)})
	all, _ = h.client.ListSubscriptions(ctx, &sns.ListSubscriptionsInput{})
	if len(all.Subscriptions) != 1 || aws.ToString(all.Subscriptions[0].TopicArn) != other {
		t.Fatalf("after DeleteTopic: %+v", all.Subscriptions)
	}
	_, err = h.client.ListSubscriptionsByTopic(ctx, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(topicARN)})
	if !errors.As(err, &nf) {
		t.Fatalf("ListSubscriptionsByTopic of a deleted topic: %v, want NotFoundException", err)
	}
}

func TestSNS_subscribeValidation(t *testing.T) {
	h := newHarness(t)
	topicARN := h.createTopic(t, "t", nil)
	fifo := h.createTopic(t, "f.fifo", map[string]string{"FifoTopic": "true"})
	for _, tc := range []struct {
		topic, protocol, endpoint string
		attrs                     map[string]string
	}{
		{topicARN, "http", "http://example.com/hook", nil},       // not loopback
		{topicARN, "https", "https://10.0.0.1/hook", nil},        // not loopback
		{topicARN, "http", "http://169.254.169.254/latest", nil}, // not loopback
		{topicARN, "http", "https://127.0.0.1/hook", nil},        // scheme does not match protocol
		{topicARN, "smtp", "a@b.c", nil},                         // no such protocol
		{topicARN, "email", "a@b.c", nil},                        // not served
		{topicARN, "sqs", "my-queue", nil},                       // not an ARN
		{topicARN, "lambda", "arn:aws:sqs:us-east-1:000000000000:q", nil},
		{topicARN, "sqs", queueARN("q.fifo"), nil}, // FIFO queue on a standard topic
		{fifo, "lambda", functionARN("f"), nil},    // FIFO topics deliver to SQS only
		{topicARN, "sqs", queueARN("q"), map[string]string{"DeliveryPolicy": `{"healthyRetryPolicy":{"numRetries":1}}`}},
		{topicARN, "sqs", queueARN("q"), map[string]string{"Bogus": "1"}},
		{topicARN, "sqs", queueARN("q"), map[string]string{"RedrivePolicy": `{"deadLetterTargetArn":"not-an-arn"}`}},
	} {
		_, err := h.client.Subscribe(ctx, &sns.SubscribeInput{TopicArn: aws.String(tc.topic), Protocol: aws.String(tc.protocol),
			Endpoint: aws.String(tc.endpoint), Attributes: tc.attrs})
		var ip *types.InvalidParameterException
		if !errors.As(err, &ip) {
			t.Errorf("Subscribe %s %s %v: %v, want InvalidParameterException", tc.protocol, tc.endpoint, tc.attrs, err)
		}
	}
	_, err := h.client.Subscribe(ctx, &sns.SubscribeInput{TopicArn: aws.String("arn:aws:sns:us-east-1:000000000000:missing"),
		Protocol: aws.String("sqs"), Endpoint: aws.String(queueARN("q"))})
	var nf *types.NotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("Subscribe to a missing topic: %v, want NotFoundException", err)
	}
	// Loopback hosts are accepted.
	for _, ep := range []string{"http://localhost:1/x", "http://127.0.0.2:1/x", "http://[::1]:1/x"} {
		out, err := h.client.Subscribe(ctx, &sns.SubscribeInput{TopicArn: aws.String(topicARN), Protocol: aws.String("http"), Endpoint: aws.String(ep)})
		if err != nil || aws.ToString(out.SubscriptionArn) != "pending confirmation" {
			t.Errorf("Subscribe %s: %v %v", ep, out, err)
		}
	}
}
