package sns

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"
)

func strAttr(v string) types.MessageAttributeValue {
	return types.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(v)}
}

// TestSNS_filterPolicyMessageAttributes follows AWS's example message and policies
// (example-filter-policies): String, String.Array and Number attributes.
func TestSNS_filterPolicyMessageAttributes(t *testing.T) {
	h := newHarness(t)
	topicARN := h.createTopic(t, "shop", nil)
	policy := `{
	   "store": ["example_corp"],
	   "event": [{"anything-but": "order_cancelled"}],
	   "customer_interests": ["rugby", "football", "baseball"],
	   "price_usd": [{"numeric": [">=", 100]}]
	}`
	subARN := h.subscribe(t, topicARN, "sqs", queueARN("filtered"), map[string]string{"FilterPolicy": policy})

	publish := func(body string, attrs map[string]types.MessageAttributeValue) {
		t.Helper()
		if _, err := h.client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topicARN), Message: aws.String(body), MessageAttributes: attrs}); err != nil {
			t.Fatal(err)
		}
	}
	matching := map[string]types.MessageAttributeValue{
		"customer_interests": {DataType: aws.String("String.Array"), StringValue: aws.String(`["soccer", "rugby", "hockey"]`)},
		"store":              strAttr("example_corp"),
		"event":              strAttr("order_placed"),
		"price_usd":          {DataType: aws.String("Number"), StringValue: aws.String("210.75")},
	}
	// Dropped: each message breaks one condition.
	for key, bad := range map[string]types.MessageAttributeValue{
		"store":              strAttr("other_corp"),
		"event":              strAttr("order_cancelled"),
		"customer_interests": {DataType: aws.String("String.Array"), StringValue: aws.String(`["soccer"]`)},
		"price_usd":          {DataType: aws.String("Number"), StringValue: aws.String("99.5")},
	} {
		attrs := map[string]types.MessageAttributeValue{}
		for k, v := range matching {
			attrs[k] = v
		}
		attrs[key] = bad
		publish("dropped "+key, attrs)
	}
	publish("no attributes", nil)
	publish("kept", matching)

	got := h.sqs.waitCalls(t, 1)
	h.sqs.never(t, 1)
	if !strings.Contains(string(got[0].Body), `"Message" : "kept"`) {
		t.Fatalf("delivered %s", got[0].Body)
	}
	st, _ := h.svc.Stats(topicARN)
	if st.MessagesPublished != 6 || st.NotificationsFilteredOut != 5 {
		t.Errorf("stats: %+v", st)
	}

	// The policy is echoed with its default scope.
	attrs, err := h.client.GetSubscriptionAttributes(ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(subARN)})
	if err != nil {
		t.Fatal(err)
	}
	if attrs.Attributes["FilterPolicy"] != policy || attrs.Attributes["FilterPolicyScope"] != "MessageAttributes" {
		t.Errorf("attributes: %v", attrs.Attributes)
	}
}

func TestSNS_filterPolicyMessageBody(t *testing.T) {
	h := newHarness(t)
	topicARN := h.createTopic(t, "bodies", nil)
	subARN := h.subscribe(t, topicARN, "lambda", functionARN("f"), map[string]string{
		"FilterPolicyScope": "MessageBody",
		"FilterPolicy":      `{"detail": {"state": [{"prefix": "run"}]}}`,
	})
	for _, body := range []string{
		`{"detail":{"state":"stopped"}}`,
		`not json at all`,
		`["detail"]`,
		`{"detail":{"state":"running"}}`,
	} {
		if _, err := h.client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topicARN), Message: aws.String(body),
			MessageAttributes: map[string]types.MessageAttributeValue{"detail": strAttr("ignored in body scope")}}); err != nil {
			t.Fatal(err)
		}
	}
	got := h.lambda.waitCalls(t, 1)
	h.lambda.never(t, 1)
	if !strings.Contains(string(got[0].Body), `running`) {
		t.Fatalf("delivered %s", got[0].Body)
	}

	// Changing the scope back to MessageAttributes is refused while the policy is nested.
	_, err := h.client.SetSubscriptionAttributes(ctx, &sns.SetSubscriptionAttributesInput{SubscriptionArn: aws.String(subARN),
		AttributeName: aws.String("FilterPolicyScope"), AttributeValue: aws.String("MessageAttributes")})
	var ip *types.InvalidParameterException
	if !errors.As(err, &ip) {
		t.Errorf("nested policy with MessageAttributes scope: %v, want InvalidParameterException", err)
	}
}

func TestSNS_filterPolicyValidation(t *testing.T) {
	h := newHarness(t)
	topicARN := h.createTopic(t, "v", nil)
	subARN := h.subscribe(t, topicARN, "sqs", queueARN("q"), nil)
	for _, policy := range []string{
		`not json`,
		`{"a": {"b": ["nested"]}}`, // nested in the MessageAttributes scope
		`{"a": [{"wildcard": "x*"}]}`,
		`{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}`, // six keys
		`{"a": [{"numeric": [">", 2000000000]}]}`,                       // beyond ±10^9
	} {
		_, err := h.client.SetSubscriptionAttributes(ctx, &sns.SetSubscriptionAttributesInput{SubscriptionArn: aws.String(subARN),
			AttributeName: aws.String("FilterPolicy"), AttributeValue: aws.String(policy)})
		var ip *types.InvalidParameterException
		if !errors.As(err, &ip) {
			t.Errorf("FilterPolicy %s: %v, want InvalidParameterException", policy, err)
		}
	}
	// An empty value removes the policy.
	for _, v := range []string{`{"a":["x"]}`, ``} {
		if _, err := h.client.SetSubscriptionAttributes(ctx, &sns.SetSubscriptionAttributesInput{SubscriptionArn: aws.String(subARN),
			AttributeName: aws.String("FilterPolicy"), AttributeValue: aws.String(v)}); err != nil {
			t.Fatal(err)
		}
	}
	attrs, _ := h.client.GetSubscriptionAttributes(ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(subARN)})
	if _, ok := attrs.Attributes["FilterPolicy"]; ok {
		t.Errorf("FilterPolicy still set: %v", attrs.Attributes)
	}
	if _, err := h.client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topicARN), Message: aws.String("m")}); err != nil {
		t.Fatal(err)
	}
	h.sqs.waitCalls(t, 1)
}
