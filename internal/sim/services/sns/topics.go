package sns

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"strconv"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// CreateTopicInput: https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html
type CreateTopicInput struct {
	Name                 string
	Attributes           map[string]string
	Tags                 []Tag
	DataProtectionPolicy string
}

// CreateTopicResult is CreateTopic's answer.
type CreateTopicResult struct {
	XMLName  xml.Name `xml:"CreateTopicResult"`
	TopicARN string   `xml:"TopicArn"`
}

func decodeCreateTopic(form url.Values) (CreateTopicInput, *awswire.Error) {
	in := CreateTopicInput{
		Name:                 form.Get("Name"),
		Attributes:           queryAttributes(form, "Attributes"),
		Tags:                 queryTags(form, "Tags"),
		DataProtectionPolicy: form.Get("DataProtectionPolicy"),
	}
	if _, ok := optional(form, "Name"); !ok {
		return in, errMissing("Name")
	}
	return in, nil
}

// CreateTopic creates a topic, or returns the existing one of that name when the request asks
// for the same attributes and tags (CreateTopic is idempotent).
func (s *Service) CreateTopic(_ context.Context, in CreateTopicInput) (*CreateTopicResult, *awswire.Error) {
	fifo, e := parseBoolMember("Attributes", in.Attributes["FifoTopic"])
	if e != nil {
		return nil, errInvalidParameter("Attributes Reason: FifoTopic must be true or false")
	}
	switch {
	case fifo && !fifoTopicNameRE.MatchString(in.Name):
		return nil, errInvalidParameter("Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.")
	case !fifo && !topicNameRE.MatchString(in.Name):
		return nil, errInvalidParameter("Topic Name")
	}
	if e := validateTags(in.Tags); e != nil {
		return nil, e
	}
	t := &topic{
		ARN:                  s.topicARN(in.Name),
		Name:                 in.Name,
		FIFO:                 fifo,
		Attributes:           map[string]string{},
		Tags:                 map[string]string{},
		DataProtectionPolicy: in.DataProtectionPolicy,
		Created:              s.cfg.Clock.Now(),
	}
	for k, v := range in.Attributes {
		if k == "FifoTopic" {
			continue
		}
		if e := validateTopicAttribute(t, k, v, nil); e != nil {
			return nil, e
		}
		if v != "" {
			t.Attributes[k] = v
		}
	}
	for _, tag := range in.Tags {
		t.Tags[tag.Key] = tag.Value
	}
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		var old topic
		switch err := tx.Get(bucketTopics, t.ARN, &old); {
		case err == nil:
			if e := sameTopic(&old, t, in); e != nil {
				return e
			}
			return nil
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		return tx.Put(bucketTopics, t.ARN, t)
	})
	if err != nil {
		return nil, internal(err)
	}
	return &CreateTopicResult{TopicARN: t.ARN}, nil
}

// sameTopic decides whether CreateTopic on an existing name succeeds: every attribute and tag
// the request gives must already hold.
func sameTopic(old, req *topic, in CreateTopicInput) *awswire.Error {
	if old.FIFO != req.FIFO {
		return errInvalidParameter("Attributes Reason: Topic already exists with different attributes")
	}
	have := topicAttributes(old)
	for k, v := range in.Attributes {
		if k == "FifoTopic" {
			continue
		}
		if have[k] != v {
			return errInvalidParameter("Attributes Reason: Topic already exists with different attributes")
		}
	}
	if len(in.Tags) > 0 && !maps.Equal(old.Tags, req.Tags) {
		return errInvalidParameter("Tags Reason: Topic already exists with different tags")
	}
	return nil
}

// validateTopicAttribute checks one settable topic attribute. subs is the topic's current
// subscriptions when known (SetTopicAttributes), for MaximumMessageSize's rule.
func validateTopicAttribute(t *topic, name, value string, subs []subscription) *awswire.Error {
	switch name {
	case "DisplayName":
		if len(value) > 100 {
			return errInvalidParameter("DisplayName")
		}
	case "Policy":
		if value != "" && !json.Valid([]byte(value)) {
			return errInvalidParameter("Policy Error: the policy is not valid JSON")
		}
	case "DeliveryPolicy":
		if value != "" {
			if _, e := parseTopicDeliveryPolicy(value); e != nil {
				return e
			}
		}
	case "TracingConfig":
		if value != "PassThrough" && value != "Active" {
			return errInvalidParameter("Attributes Reason: TracingConfig must be PassThrough or Active")
		}
		if value == "Active" && t.FIFO {
			return errInvalidParameter("Attributes Reason: TracingConfig Active is only supported on standard topics")
		}
	case "SignatureVersion":
		if value != "1" && value != "2" {
			return errInvalidParameter("SignatureVersion")
		}
	case "ContentBasedDeduplication":
		if !t.FIFO {
			return errInvalidParameter("Attributes Reason: ContentBasedDeduplication can only be set for FIFO topics")
		}
		if value != "true" && value != "false" {
			return errInvalidParameter("ContentBasedDeduplication")
		}
	case "FifoThroughputScope":
		if !t.FIFO {
			return errInvalidParameter("Attributes Reason: FifoThroughputScope can only be set for FIFO topics")
		}
		if value != "Topic" && value != "MessageGroup" {
			return errInvalidParameter("FifoThroughputScope")
		}
	case "MaximumMessageSize":
		n, err := strconv.Atoi(value)
		if err != nil || n < minMaximumMessageSize || n > maxMaximumMessageSize {
			return errInvalidParameter("MaximumMessageSize: must be an integer between %d and %d", minMaximumMessageSize, maxMaximumMessageSize)
		}
		if n > defaultMaximumMessageSize {
			if len(subs) > largeMessageMaxSubscriptions {
				return errInvalidParameter("MaximumMessageSize: a topic with a MaximumMessageSize above 256 KiB can have at most %d subscriptions", largeMessageMaxSubscriptions)
			}
			for _, sub := range subs {
				if !largeMessageProtocols[sub.Protocol] {
					return errInvalidParameter("MaximumMessageSize: a topic with a MaximumMessageSize above 256 KiB supports only sqs, lambda and firehose subscriptions (it has a %s subscription)", sub.Protocol)
				}
			}
		}
	case "ArchivePolicy":
		return errInvalidParameter("Attributes Reason: ArchivePolicy: the lambdatrigger simulator does not implement message archiving and replay")
	case "KmsMasterKeyId":
		// Kept and returned; the simulator stores messages unencrypted either way.
	default:
		if !feedbackAttributes[name] {
			return errInvalidParameter("AttributeName")
		}
	}
	return nil
}

// Message size limits ("Publishing large messages with Amazon SNS", large-message-payloads):
// topics accept 256 KiB unless MaximumMessageSize (1,024 to 1,048,576) says otherwise; a topic
// above 256 KiB supports at most 100 subscriptions, all Firehose, SQS or Lambda.
const (
	defaultMaximumMessageSize    = 262144
	minMaximumMessageSize        = 1024
	maxMaximumMessageSize        = 1048576
	largeMessageMaxSubscriptions = 100
)

var largeMessageProtocols = map[string]bool{"sqs": true, "lambda": true, "firehose": true}

// feedbackAttributes are the delivery-status logging attributes: stored and returned; the
// simulator writes no CloudWatch Logs for them.
var feedbackAttributes = map[string]bool{}

func init() {
	for _, p := range []string{"HTTP", "Firehose", "Lambda", "Application", "SQS"} {
		feedbackAttributes[p+"SuccessFeedbackRoleArn"] = true
		feedbackAttributes[p+"SuccessFeedbackSampleRate"] = true
		feedbackAttributes[p+"FailureFeedbackRoleArn"] = true
	}
}

// maxMessageSize is the topic's publish limit in bytes.
func (t *topic) maxMessageSize() int {
	if n, err := strconv.Atoi(t.Attributes["MaximumMessageSize"]); err == nil {
		return n
	}
	return defaultMaximumMessageSize
}

func (t *topic) contentBasedDedup() bool { return t.Attributes["ContentBasedDeduplication"] == "true" }

// topicAttributes is what GetTopicAttributes answers apart from the subscription counts.
func topicAttributes(t *topic) map[string]string {
	out := map[string]string{
		"TopicArn":                t.ARN,
		"Owner":                   ownerOf(t.ARN),
		"DisplayName":             "",
		"Policy":                  defaultTopicPolicy(t.ARN),
		"EffectiveDeliveryPolicy": effectiveTopicDeliveryPolicy(t),
		"SubscriptionsDeleted":    strconv.Itoa(t.SubscriptionsDeleted),
	}
	if t.FIFO {
		out["FifoTopic"] = "true"
		out["ContentBasedDeduplication"] = "false"
	}
	maps.Copy(out, t.Attributes)
	return out
}

func ownerOf(arn string) string {
	if p := arnParts(arn); p != nil {
		return p[4]
	}
	return ""
}

// defaultTopicPolicy is the access policy AWS gives a new topic: the owner account may do
// everything. The simulator stores policies but does not evaluate them.
func defaultTopicPolicy(arn string) string {
	return fmt.Sprintf(`{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID","Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:GetTopicAttributes","SNS:SetTopicAttributes","SNS:AddPermission","SNS:RemovePermission","SNS:DeleteTopic","SNS:Subscribe","SNS:ListSubscriptionsByTopic","SNS:Publish"],"Resource":"%s","Condition":{"StringEquals":{"AWS:SourceOwner":"%s"}}}]}`,
		arn, ownerOf(arn))
}

// DeleteTopicInput: https://docs.aws.amazon.com/sns/latest/api/API_DeleteTopic.html
type DeleteTopicInput struct{ TopicARN string }

func decodeDeleteTopic(form url.Values) (DeleteTopicInput, *awswire.Error) {
	in := DeleteTopicInput{TopicARN: form.Get("TopicArn")}
	return in, checkTopicARN("TopicArn", in.TopicARN)
}

// DeleteTopic deletes a topic and its subscriptions. Deleting a topic that does not exist
// succeeds, as on AWS. Deliveries already in flight find their subscription gone and are dropped.
func (s *Service) DeleteTopic(_ context.Context, in DeleteTopicInput) (*noResult, *awswire.Error) {
	var subARNs []string
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		subARNs = subARNs[:0]
		subs, err := topicSubscriptions(tx, in.TopicARN)
		if err != nil {
			return err
		}
		for _, sub := range subs {
			subARNs = append(subARNs, sub.ARN)
			if err := deleteSubscription(tx, &sub); err != nil {
				return err
			}
		}
		if err := tx.Delete(bucketStats, in.TopicARN); err != nil {
			return err
		}
		if err := tx.DeleteBucket(sequenceBucket(in.TopicARN)); err != nil {
			return err
		}
		var dedup []string
		if err := tx.ForEach(bucketDedup, in.TopicARN+"\n", func(k string, _ []byte) error {
			dedup = append(dedup, k)
			return nil
		}); err != nil {
			return err
		}
		for _, k := range dedup {
			if err := tx.Delete(bucketDedup, k); err != nil {
				return err
			}
		}
		return tx.Delete(bucketTopics, in.TopicARN)
	})
	if err != nil {
		return nil, internal(err)
	}
	for _, arn := range subARNs {
		s.forgetFilter(arn)
	}
	return nil, nil
}

// ListTopicsInput: https://docs.aws.amazon.com/sns/latest/api/API_ListTopics.html
type ListTopicsInput struct{ NextToken string }

// ListTopicsResult is one page of topics.
type ListTopicsResult struct {
	XMLName xml.Name `xml:"ListTopicsResult"`
	Topics  struct {
		Members []topicMember `xml:"member"`
	} `xml:"Topics"`
	NextToken string `xml:"NextToken,omitempty"`
}

type topicMember struct {
	TopicARN string `xml:"TopicArn"`
}

func decodeListTopics(form url.Values) (ListTopicsInput, *awswire.Error) {
	return ListTopicsInput{NextToken: form.Get("NextToken")}, nil
}

// ListTopics lists topics in ARN order, 100 a page.
func (s *Service) ListTopics(_ context.Context, in ListTopicsInput) (*ListTopicsResult, *awswire.Error) {
	out := &ListTopicsResult{}
	out.Topics.Members = []topicMember{}
	var e *awswire.Error
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		out.NextToken, e = page(tx, bucketTopics, "", in.NextToken, func(k string, _ []byte) error {
			out.Topics.Members = append(out.Topics.Members, topicMember{TopicARN: k})
			return nil
		})
		return nil
	})
	if err != nil {
		return nil, internal(err)
	}
	if e != nil {
		return nil, e
	}
	return out, nil
}

// GetTopicAttributesInput: https://docs.aws.amazon.com/sns/latest/api/API_GetTopicAttributes.html
type GetTopicAttributesInput struct{ TopicARN string }

// GetTopicAttributesResult holds the topic's attributes.
type GetTopicAttributesResult struct {
	XMLName    xml.Name     `xml:"GetTopicAttributesResult"`
	Attributes attributeMap `xml:"Attributes"`
}

func decodeGetTopicAttributes(form url.Values) (GetTopicAttributesInput, *awswire.Error) {
	in := GetTopicAttributesInput{TopicARN: form.Get("TopicArn")}
	return in, checkTopicARN("TopicArn", in.TopicARN)
}

// GetTopicAttributes answers the topic's attributes, with the subscription counts.
func (s *Service) GetTopicAttributes(_ context.Context, in GetTopicAttributesInput) (*GetTopicAttributesResult, *awswire.Error) {
	var attrs map[string]string
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		t, err := getTopic(tx, in.TopicARN)
		if err != nil {
			return err
		}
		subs, err := topicSubscriptions(tx, t.ARN)
		if err != nil {
			return err
		}
		confirmed, pending := 0, 0
		for _, sub := range subs {
			if sub.Pending {
				pending++
			} else {
				confirmed++
			}
		}
		attrs = topicAttributes(t)
		attrs["SubscriptionsConfirmed"] = strconv.Itoa(confirmed)
		attrs["SubscriptionsPending"] = strconv.Itoa(pending)
		return nil
	})
	if err != nil {
		return nil, internal(err)
	}
	return &GetTopicAttributesResult{Attributes: toAttributeMap(attrs)}, nil
}

// SetTopicAttributesInput: https://docs.aws.amazon.com/sns/latest/api/API_SetTopicAttributes.html
type SetTopicAttributesInput struct {
	TopicARN       string
	AttributeName  string
	AttributeValue string
}

func decodeSetTopicAttributes(form url.Values) (SetTopicAttributesInput, *awswire.Error) {
	in := SetTopicAttributesInput{TopicARN: form.Get("TopicArn"), AttributeName: form.Get("AttributeName"), AttributeValue: form.Get("AttributeValue")}
	if e := checkTopicARN("TopicArn", in.TopicARN); e != nil {
		return in, e
	}
	if in.AttributeName == "" {
		return in, errMissing("AttributeName")
	}
	return in, nil
}

// SetTopicAttributes sets one attribute; an empty value removes an optional one.
func (s *Service) SetTopicAttributes(_ context.Context, in SetTopicAttributesInput) (*noResult, *awswire.Error) {
	if in.AttributeName == "FifoTopic" {
		return nil, errInvalidParameter("AttributeName Reason: FifoTopic can only be set when the topic is created")
	}
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		t, err := getTopic(tx, in.TopicARN)
		if err != nil {
			return err
		}
		subs, err := topicSubscriptions(tx, t.ARN)
		if err != nil {
			return err
		}
		removable := in.AttributeValue == "" && removableTopicAttribute(in.AttributeName)
		if !removable {
			if e := validateTopicAttribute(t, in.AttributeName, in.AttributeValue, subs); e != nil {
				return e
			}
		}
		if in.AttributeValue == "" {
			delete(t.Attributes, in.AttributeName)
		} else {
			t.Attributes[in.AttributeName] = in.AttributeValue
		}
		return tx.Put(bucketTopics, t.ARN, t)
	})
	if err != nil {
		return nil, internal(err)
	}
	return nil, nil
}

// removableTopicAttribute: attributes an empty value removes (DisplayName, policies, the KMS
// key, the delivery-status attributes). The others have a value at all times.
func removableTopicAttribute(name string) bool {
	switch name {
	case "DisplayName", "Policy", "DeliveryPolicy", "KmsMasterKeyId":
		return true
	}
	return feedbackAttributes[name]
}

// getTopic reads a topic or returns NotFound.
func getTopic(tx *store.Tx, arn string) (*topic, error) {
	var t topic
	if err := tx.Get(bucketTopics, arn, &t); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, errTopicNotFound()
		}
		return nil, err
	}
	if t.Attributes == nil {
		t.Attributes = map[string]string{}
	}
	if t.Tags == nil {
		t.Tags = map[string]string{}
	}
	return &t, nil
}
