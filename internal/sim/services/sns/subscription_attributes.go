package sns

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"maps"
	"net/url"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// validateSubscriptionAttribute checks one settable subscription attribute against sub (whose
// FilterPolicyScope and FilterPolicy are the current ones).
func validateSubscriptionAttribute(sub *subscription, name, value string) *awswire.Error {
	switch name {
	case "FilterPolicy":
		if value == "" {
			return nil
		}
		_, e := compileFilterPolicy(value, sub.Attributes["FilterPolicyScope"])
		return e
	case "FilterPolicyScope":
		if value != "" && value != "MessageAttributes" && value != "MessageBody" {
			return errInvalidParameter("FilterPolicyScope: Invalid filter policy scope: %s. Valid values are MessageAttributes and MessageBody", value)
		}
		if fp := sub.Attributes["FilterPolicy"]; fp != "" {
			if _, e := compileFilterPolicy(fp, value); e != nil {
				return errInvalidParameter("FilterPolicyScope: the subscription's filter policy is not valid for scope %s (%s)", value, e.Message)
			}
		}
	case "RawMessageDelivery":
		if value != "true" && value != "false" {
			return errInvalidParameter("RawMessageDelivery: must be true or false")
		}
		if value == "true" && sub.Protocol == "lambda" {
			return errInvalidParameter("Delivery protocol [lambda] does not support raw message delivery.")
		}
	case "RedrivePolicy":
		if value == "" {
			return nil
		}
		var rp struct {
			DeadLetterTargetARN string `json:"deadLetterTargetArn"`
		}
		if err := json.Unmarshal([]byte(value), &rp); err != nil {
			return errInvalidParameter("RedrivePolicy: Invalid RedrivePolicy: the policy is not valid JSON")
		}
		if p := arnParts(rp.DeadLetterTargetARN); p == nil || p[2] != "sqs" {
			return errInvalidParameter("RedrivePolicy: deadLetterTargetArn is not the ARN of an Amazon SQS queue")
		}
		fifoTopic := strings.HasSuffix(sub.TopicARN, ".fifo")
		if fifoTopic != strings.HasSuffix(rp.DeadLetterTargetARN, ".fifo") {
			return errInvalidParameter("RedrivePolicy: the dead-letter queue must be a FIFO queue for a FIFO topic and a standard queue for a standard topic")
		}
	case "DeliveryPolicy":
		if sub.Protocol != "http" && sub.Protocol != "https" {
			return errInvalidParameter("DeliveryPolicy: only HTTP/S subscriptions take a delivery policy; SNS's policies for %s are fixed", sub.Protocol)
		}
		if value != "" {
			if _, e := parseSubscriptionDeliveryPolicy(value); e != nil {
				return e
			}
		}
	case "SubscriptionRoleArn":
		return errInvalidParameter("SubscriptionRoleArn Reason: only Firehose subscriptions take a role, and the simulator does not serve them")
	case "ReplayPolicy":
		return errInvalidParameter("ReplayPolicy Reason: the lambdatrigger simulator does not implement message archiving and replay")
	default:
		return errInvalidParameter("AttributeName")
	}
	return nil
}

// GetSubscriptionAttributesInput: https://docs.aws.amazon.com/sns/latest/api/API_GetSubscriptionAttributes.html
type GetSubscriptionAttributesInput struct{ SubscriptionARN string }

// GetSubscriptionAttributesResult holds the subscription's attributes.
type GetSubscriptionAttributesResult struct {
	XMLName    xml.Name     `xml:"GetSubscriptionAttributesResult"`
	Attributes attributeMap `xml:"Attributes"`
}

func decodeGetSubscriptionAttributes(form url.Values) (GetSubscriptionAttributesInput, *awswire.Error) {
	in := GetSubscriptionAttributesInput{SubscriptionARN: form.Get("SubscriptionArn")}
	if in.SubscriptionARN == "" {
		return in, errMissing("SubscriptionArn")
	}
	if subscriptionTopic(in.SubscriptionARN) == "" {
		return in, errInvalidParameter("SubscriptionArn")
	}
	return in, nil
}

// GetSubscriptionAttributes answers a subscription's attributes.
func (s *Service) GetSubscriptionAttributes(_ context.Context, in GetSubscriptionAttributesInput) (*GetSubscriptionAttributesResult, *awswire.Error) {
	var attrs map[string]string
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		sub, err := getSubscription(tx, in.SubscriptionARN)
		if err != nil {
			return err
		}
		t, err := getTopic(tx, sub.TopicARN)
		if err != nil {
			t = &topic{ARN: sub.TopicARN, Attributes: map[string]string{}}
		}
		attrs = subscriptionAttributes(t, sub)
		return nil
	})
	if err != nil {
		return nil, internal(err)
	}
	return &GetSubscriptionAttributesResult{Attributes: toAttributeMap(attrs)}, nil
}

func subscriptionAttributes(t *topic, sub *subscription) map[string]string {
	authenticated := !sub.Pending && (sub.Protocol == "sqs" || sub.Protocol == "lambda" || sub.Authenticated)
	out := map[string]string{
		"SubscriptionArn":              sub.ARN,
		"TopicArn":                     sub.TopicARN,
		"Protocol":                     sub.Protocol,
		"Endpoint":                     sub.Endpoint,
		"Owner":                        sub.Owner,
		"PendingConfirmation":          boolString(sub.Pending),
		"ConfirmationWasAuthenticated": boolString(authenticated),
		"RawMessageDelivery":           "false",
	}
	maps.Copy(out, sub.Attributes)
	if out["FilterPolicy"] != "" && out["FilterPolicyScope"] == "" {
		out["FilterPolicyScope"] = "MessageAttributes"
	}
	if sub.Protocol == "http" || sub.Protocol == "https" {
		out["EffectiveDeliveryPolicy"] = effectiveSubscriptionDeliveryPolicy(t, sub)
	}
	return out
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// SetSubscriptionAttributesInput: https://docs.aws.amazon.com/sns/latest/api/API_SetSubscriptionAttributes.html
type SetSubscriptionAttributesInput struct {
	SubscriptionARN string
	AttributeName   string
	AttributeValue  string
}

func decodeSetSubscriptionAttributes(form url.Values) (SetSubscriptionAttributesInput, *awswire.Error) {
	in := SetSubscriptionAttributesInput{SubscriptionARN: form.Get("SubscriptionArn"), AttributeName: form.Get("AttributeName"), AttributeValue: form.Get("AttributeValue")}
	if in.SubscriptionARN == "" {
		return in, errMissing("SubscriptionArn")
	}
	if subscriptionTopic(in.SubscriptionARN) == "" {
		return in, errInvalidParameter("SubscriptionArn")
	}
	if in.AttributeName == "" {
		return in, errMissing("AttributeName")
	}
	return in, nil
}

// SetSubscriptionAttributes sets one attribute; an empty FilterPolicy, RedrivePolicy or
// DeliveryPolicy removes it.
func (s *Service) SetSubscriptionAttributes(_ context.Context, in SetSubscriptionAttributesInput) (*noResult, *awswire.Error) {
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		sub, err := getSubscription(tx, in.SubscriptionARN)
		if err != nil {
			return err
		}
		if e := validateSubscriptionAttribute(sub, in.AttributeName, in.AttributeValue); e != nil {
			return e
		}
		if in.AttributeValue == "" {
			delete(sub.Attributes, in.AttributeName)
		} else {
			sub.Attributes[in.AttributeName] = in.AttributeValue
		}
		return tx.Put(bucketSubs, sub.ARN, sub)
	})
	if err != nil {
		return nil, internal(err)
	}
	s.forgetFilter(in.SubscriptionARN)
	return nil, nil
}
