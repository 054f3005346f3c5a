package sns

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"
)

func TestSNS_topicLifecycle(t *testing.T) {
	h := newHarness(t)
	arn := h.createTopic(t, "orders", map[string]string{"DisplayName": "Orders"})
	if want := "arn:aws:sns:us-east-1:000000000000:orders"; arn != want {
		t.Fatalf("TopicArn = %q, want %q", arn, want)
	}
	// CreateTopic is idempotent for the same attributes...
	if again := h.createTopic(t, "orders", map[string]string{"DisplayName": "Orders"}); again != arn {
		t.Fatalf("second CreateTopic = %q, want %q", again, arn)
	}
	// ...and refuses different ones.
	_, err := h.client.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("orders"), Attributes: map[string]string{"DisplayName": "Other"}})
	var ip *types.InvalidParameterException
	if !errors.As(err, &ip) {
		t.Fatalf("CreateTopic with other attributes: %v, want InvalidParameterException", err)
	}

	got, err := h.client.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	a := got.Attributes
	for k, want := range map[string]string{
		"TopicArn": arn, "Owner": testAccount, "DisplayName": "Orders", "SubscriptionsConfirmed": "0",
		"SubscriptionsPending": "0", "SubscriptionsDeleted": "0",
	} {
		if a[k] != want {
			t.Errorf("attribute %s = %q, want %q", k, a[k], want)
		}
	}
	if !strings.Contains(a["Policy"], `"Resource":"`+arn+`"`) || !strings.Contains(a["EffectiveDeliveryPolicy"], `"numRetries":3`) {
		t.Errorf("Policy/EffectiveDeliveryPolicy: %q / %q", a["Policy"], a["EffectiveDeliveryPolicy"])
	}
	if _, ok := a["MaximumMessageSize"]; ok {
		t.Errorf("MaximumMessageSize is returned only when set; got %q", a["MaximumMessageSize"])
	}

	if _, err := h.client.SetTopicAttributes(ctx, &sns.SetTopicAttributesInput{TopicArn: aws.String(arn), AttributeName: aws.String("MaximumMessageSize"), AttributeValue: aws.String("1048576")}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.SetTopicAttributes(ctx, &sns.SetTopicAttributesInput{TopicArn: aws.String(arn), AttributeName: aws.String("MaximumMessageSize"), AttributeValue: aws.String("1048577")})
	if !errors.As(err, &ip) {
		t.Fatalf("MaximumMessageSize above 1 MiB: %v, want InvalidParameterException", err)
	}
	_, err = h.client.SetTopicAttributes(ctx, &sns.SetTopicAttributesInput{TopicArn: aws.String(arn), AttributeName: aws.String("Bogus"), AttributeValue: aws.String("x")})
	if !errors.As(err, &ip) {
		t.Fatalf("unknown attribute: %v, want InvalidParameterException", err)
	}
	got, _ = h.client.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
	if got.Attributes["MaximumMessageSize"] != "1048576" {
		t.Fatalf("MaximumMessageSize = %q", got.Attributes["MaximumMessageSize"])
	}

	if _, err := h.client.DeleteTopic(ctx, &sns.DeleteTopicInput{TopicArn: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
	var nf *types.NotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("GetTopicAttributes after delete: %v, want NotFoundException", err)
	}
	// Deleting a topic that is gone succeeds, as on AWS.
	if _, err := h.client.DeleteTopic(ctx, &sns.DeleteTopicInput{TopicArn: aws.String(arn)}); err != nil {
		t.Fatalf("second DeleteTopic: %v", err)
	}
}

func TestSNS_createTopicValidation(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct {
		name  string
		attrs map[string]string
	}{
		{"has space", nil},
		{"dotted.fifo", nil}, // .fifo without FifoTopic
		{"standard", map[string]string{"FifoTopic": "true"}}, // FifoTopic without .fifo
		{strings.Repeat("a", 257), nil},
		{"t", map[string]string{"ContentBasedDeduplication": "true"}}, // FIFO only
		{"t", map[string]string{"SignatureVersion": "3"}},
		{"t", map[string]string{"ArchivePolicy": `{"MessageRetentionPeriod":"30"}`}},
		{"t", map[string]string{"DeliveryPolicy": `{"http":{"defaultHealthyRetryPolicy":{"numRetries":101}}}`}},
	} {
		_, err := h.client.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(tc.name), Attributes: tc.attrs})
		var ip *types.InvalidParameterException
		if !errors.As(err, &ip) {
			t.Errorf("CreateTopic(%.20q, %v): %v, want InvalidParameterException", tc.name, tc.attrs, err)
		}
	}
	fifo := h.createTopic(t, "events.fifo", map[string]string{"FifoTopic": "true", "ContentBasedDeduplication": "true"})
	got, err := h.client.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(fifo)})
	if err != nil {
		t.Fatal(err)
	}
	if got.Attributes["FifoTopic"] != "true" || got.Attributes["ContentBasedDeduplication"] != "true" {
		t.Fatalf("FIFO attributes: %v", got.Attributes)
	}
}

func TestSNS_listTopicsPaginates(t *testing.T) {
	h := newHarness(t)
	want := map[string]bool{}
	for i := range 105 {
		want[h.createTopic(t, fmt.Sprintf("t%03d", i), nil)] = true
	}
	var pages int
	got := map[string]bool{}
	p := sns.NewListTopicsPaginator(h.client, &sns.ListTopicsInput{})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, tp := range out.Topics {
			got[aws.ToString(tp.TopicArn)] = true
		}
	}
	if pages != 2 || len(got) != len(want) {
		t.Fatalf("pages=%d topics=%d, want 2 pages of 105 topics", pages, len(got))
	}
	_, err := h.client.ListTopics(ctx, &sns.ListTopicsInput{NextToken: aws.String("!!not-a-token")})
	var ip *types.InvalidParameterException
	if !errors.As(err, &ip) {
		t.Fatalf("bad NextToken: %v, want InvalidParameterException", err)
	}
}

func TestSNS_tags(t *testing.T) {
	h := newHarness(t)
	out, err := h.client.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("tagged"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}}})
	if err != nil {
		t.Fatal(err)
	}
	arn := out.TopicArn
	if _, err := h.client.TagResource(ctx, &sns.TagResourceInput{ResourceArn: arn, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("dev")}, {Key: aws.String("team"), Value: aws.String("b")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.UntagResource(ctx, &sns.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"env", "absent"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := h.client.ListTagsForResource(ctx, &sns.ListTagsForResourceInput{ResourceArn: arn})
	if err != nil {
		t.Fatal(err)
	}
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "team" || aws.ToString(tags.Tags[0].Value) != "b" {
		t.Fatalf("tags = %+v, want team=b", tags.Tags)
	}
	// CreateTopic with other tags for an existing name is refused.
	_, err = h.client.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("tagged"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("c")}}})
	var ip *types.InvalidParameterException
	if !errors.As(err, &ip) {
		t.Fatalf("CreateTopic with other tags: %v, want InvalidParameterException", err)
	}
	var many []types.Tag
	for i := range 51 {
		many = append(many, types.Tag{Key: aws.String(fmt.Sprintf("k%d", i)), Value: aws.String("v")})
	}
	_, err = h.client.TagResource(ctx, &sns.TagResourceInput{ResourceArn: arn, Tags: many})
	var tl *types.TagLimitExceededException
	if !errors.As(err, &tl) {
		t.Fatalf("51 tags: %v, want TagLimitExceededException", err)
	}
	_, err = h.client.ListTagsForResource(ctx, &sns.ListTagsForResourceInput{ResourceArn: aws.String("arn:aws:sns:us-east-1:000000000000:nope")})
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Fatalf("tags of a missing topic: %v, want ResourceNotFoundException", err)
	}
}

// TestSNS_unknownAction: an action SNS does not have, and one it has that the simulator does not
// serve, both answer InvalidAction with status 400 in SNS's XML error shape.
func TestSNS_unknownAction(t *testing.T) {
	h := newHarness(t)
	for _, action := range []string{"Frobnicate", "CreatePlatformApplication"} {
		resp, err := http.PostForm(h.srv.URL, url.Values{"Action": {action}, "Version": {Version}})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "<Code>InvalidAction</Code>") || !strings.Contains(string(body), "<ErrorResponse>") {
			t.Errorf("%s: %d %s", action, resp.StatusCode, body)
		}
	}
	// A successful response carries SNS's namespace and a request id.
	resp, err := http.PostForm(h.srv.URL, url.Values{"Action": {"ListTopics"}, "Version": {Version}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `<ListTopicsResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">`) || !strings.Contains(string(body), "<RequestId>") {
		t.Errorf("ListTopics: %s", body)
	}
}
