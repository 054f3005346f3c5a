package sns

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// pendingARN is what Subscribe answers for a subscription awaiting confirmation, and
// pendingListARN what the List operations show in its place (SNS API reference).
const (
	pendingARN     = "pending confirmation"
	pendingListARN = "PendingConfirmation"
)

// tokenValidity: "Confirmation tokens are valid for two days" (Subscribe API reference).
const tokenValidity = 48 * time.Hour

// servedProtocols are the protocols the simulator delivers to; the rest of SNS's are refused.
var servedProtocols = map[string]bool{"sqs": true, "lambda": true, "http": true, "https": true}

var otherProtocols = map[string]bool{"email": true, "email-json": true, "sms": true, "application": true, "firehose": true}

// SubscribeInput: https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html
type SubscribeInput struct {
	TopicARN              string
	Protocol              string
	Endpoint              string
	Attributes            map[string]string
	ReturnSubscriptionARN bool
}

// SubscribeResult holds the subscription ARN, or "pending confirmation".
type SubscribeResult struct {
	XMLName         xml.Name `xml:"SubscribeResult"`
	SubscriptionARN string   `xml:"SubscriptionArn"`
}

func decodeSubscribe(form url.Values) (SubscribeInput, *awswire.Error) {
	in := SubscribeInput{
		TopicARN:   form.Get("TopicArn"),
		Protocol:   form.Get("Protocol"),
		Endpoint:   form.Get("Endpoint"),
		Attributes: queryAttributes(form, "Attributes"),
	}
	if e := checkTopicARN("TopicArn", in.TopicARN); e != nil {
		return in, e
	}
	if in.Protocol == "" {
		return in, errMissing("Protocol")
	}
	var e *awswire.Error
	in.ReturnSubscriptionARN, e = parseBoolMember("ReturnSubscriptionArn", form.Get("ReturnSubscriptionArn"))
	return in, e
}

// checkEndpoint validates a subscription's protocol and endpoint.
func checkEndpoint(protocol, endpoint string) *awswire.Error {
	if !servedProtocols[protocol] {
		if otherProtocols[protocol] {
			return errInvalidParameter("Protocol Reason: the lambdatrigger simulator does not deliver to %s endpoints (it serves sqs, lambda, http and https)", protocol)
		}
		return errInvalidParameter("Amazon SNS does not support this protocol string: %s", protocol)
	}
	if endpoint == "" {
		return errInvalidParameter("Endpoint")
	}
	switch protocol {
	case "sqs":
		if p := arnParts(endpoint); p == nil || p[2] != "sqs" || p[5] == "" || strings.Contains(p[5], ":") {
			return errInvalidParameter("SQS endpoint ARN")
		}
	case "lambda":
		if p := arnParts(endpoint); p == nil || p[2] != "lambda" || !strings.HasPrefix(p[5], "function:") || len(p[5]) == len("function:") {
			return errInvalidParameter("Lambda endpoint ARN")
		}
	default:
		return checkHTTPEndpoint(protocol, endpoint)
	}
	return nil
}

// Subscribe subscribes an endpoint. SQS and Lambda subscriptions in the simulated account are
// confirmed at once; http/https ones stay pending until the endpoint confirms with the token SNS
// POSTs to it (a SubscriptionConfirmation request, sent by the delivery workers).
func (s *Service) Subscribe(_ context.Context, in SubscribeInput) (*SubscribeResult, *awswire.Error) {
	if e := checkEndpoint(in.Protocol, in.Endpoint); e != nil {
		return nil, e
	}
	now := s.cfg.Clock.Now().UTC()
	sub := &subscription{
		ARN:        in.TopicARN + ":" + awswire.NewUUID(),
		TopicARN:   in.TopicARN,
		Protocol:   in.Protocol,
		Endpoint:   in.Endpoint,
		Owner:      s.cfg.AccountID,
		Attributes: map[string]string{},
		Created:    now,
	}
	if in.Protocol == "http" || in.Protocol == "https" {
		sub.Pending = true
		sub.Token = newToken()
	}
	// FilterPolicyScope first: the policy is validated for the scope it will have.
	if v, ok := in.Attributes["FilterPolicyScope"]; ok {
		if e := validateSubscriptionAttribute(sub, "FilterPolicyScope", v); e != nil {
			return nil, e
		}
		if v != "" {
			sub.Attributes["FilterPolicyScope"] = v
		}
	}
	for k, v := range in.Attributes {
		if k == "FilterPolicyScope" {
			continue
		}
		if e := validateSubscriptionAttribute(sub, k, v); e != nil {
			return nil, e
		}
		if v != "" {
			sub.Attributes[k] = v
		}
	}

	var (
		result  string
		confirm *delivery
	)
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		t, err := getTopic(tx, in.TopicARN)
		if err != nil {
			return err
		}
		subs, err := topicSubscriptions(tx, t.ARN)
		if err != nil {
			return err
		}
		if e := checkTopicAcceptsSubscription(t, sub, subs); e != nil {
			return e
		}
		for i := range subs {
			old := &subs[i]
			if old.Protocol != sub.Protocol || old.Endpoint != sub.Endpoint {
				continue
			}
			// Subscribe is idempotent for the same endpoint and attributes.
			have := subscriptionAttributes(t, old)
			for k, v := range in.Attributes {
				if have[k] != v {
					return errInvalidParameter("Attributes Reason: Subscription already exists with different attributes")
				}
			}
			if !old.Pending {
				result = old.ARN
				return nil
			}
			// Still pending: send the confirmation request again, as SNS does.
			sub = old
			confirm, err = s.newConfirmation(tx, t, sub, now)
			return err
		}
		if err := tx.Put(bucketSubs, sub.ARN, sub); err != nil {
			return err
		}
		if sub.Pending {
			if err := tx.Put(bucketTokens, sub.Token, &tokenRecord{SubscriptionARN: sub.ARN, TopicARN: t.ARN, Expires: now.Add(tokenValidity)}); err != nil {
				return err
			}
			confirm, err = s.newConfirmation(tx, t, sub, now)
			return err
		}
		result = sub.ARN
		return nil
	})
	if err != nil {
		return nil, internal(err)
	}
	if confirm != nil {
		s.sched.add(confirm)
		result = pendingARN
		if in.ReturnSubscriptionARN {
			result = sub.ARN
		}
	}
	return &SubscribeResult{SubscriptionARN: result}, nil
}

// checkTopicAcceptsSubscription applies the topic-level rules: FIFO topics deliver to SQS only;
// a FIFO queue needs a FIFO topic; a topic above 256 KiB takes 100 SQS/Lambda/Firehose
// subscriptions at most.
func checkTopicAcceptsSubscription(t *topic, sub *subscription, subs []subscription) *awswire.Error {
	if t.FIFO && sub.Protocol != "sqs" {
		return errInvalidParameter("Endpoint Reason: FIFO topics deliver only to Amazon SQS queues, not to %s endpoints", sub.Protocol)
	}
	if !t.FIFO && sub.Protocol == "sqs" && strings.HasSuffix(sub.Endpoint, ".fifo") {
		return errInvalidParameter("Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics")
	}
	if t.maxMessageSize() > defaultMaximumMessageSize {
		if !largeMessageProtocols[sub.Protocol] {
			return errInvalidParameter("Endpoint Reason: a topic with a MaximumMessageSize above 256 KiB supports only sqs, lambda and firehose subscriptions")
		}
		if len(subs) >= largeMessageMaxSubscriptions {
			return errInvalidParameter("Endpoint Reason: a topic with a MaximumMessageSize above 256 KiB supports at most %d subscriptions", largeMessageMaxSubscriptions)
		}
	}
	return nil
}

// newConfirmation stores the delivery that POSTs a SubscriptionConfirmation to an http/https
// endpoint.
func (s *Service) newConfirmation(tx *store.Tx, t *topic, sub *subscription, now time.Time) (*delivery, error) {
	d := &delivery{
		Kind: kindConfirmation, TopicARN: t.ARN, SubARN: sub.ARN, Protocol: sub.Protocol, Endpoint: sub.Endpoint,
		Token: sub.Token, ConfirmID: awswire.NewUUID(), NextAt: now,
	}
	return d, putNewDelivery(tx, d)
}

// ConfirmSubscriptionInput: https://docs.aws.amazon.com/sns/latest/api/API_ConfirmSubscription.html
type ConfirmSubscriptionInput struct {
	TopicARN                  string
	Token                     string
	AuthenticateOnUnsubscribe bool
}

// ConfirmSubscriptionResult holds the confirmed subscription's ARN.
type ConfirmSubscriptionResult struct {
	XMLName         xml.Name `xml:"ConfirmSubscriptionResult"`
	SubscriptionARN string   `xml:"SubscriptionArn"`
}

func decodeConfirmSubscription(form url.Values) (ConfirmSubscriptionInput, *awswire.Error) {
	in := ConfirmSubscriptionInput{TopicARN: form.Get("TopicArn"), Token: form.Get("Token")}
	if e := checkTopicARN("TopicArn", in.TopicARN); e != nil {
		return in, e
	}
	if in.Token == "" {
		return in, errMissing("Token")
	}
	var e *awswire.Error
	in.AuthenticateOnUnsubscribe, e = parseBoolMember("AuthenticateOnUnsubscribe", form.Get("AuthenticateOnUnsubscribe"))
	return in, e
}

// ConfirmSubscription confirms a pending subscription with the token SNS sent its endpoint.
// Confirming again with the same token answers the same ARN.
func (s *Service) ConfirmSubscription(_ context.Context, in ConfirmSubscriptionInput) (*ConfirmSubscriptionResult, *awswire.Error) {
	var arn string
	now := s.cfg.Clock.Now()
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		if _, err := getTopic(tx, in.TopicARN); err != nil {
			return err
		}
		var tok tokenRecord
		if err := tx.Get(bucketTokens, in.Token, &tok); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return errInvalidParameter("Token")
			}
			return err
		}
		if tok.TopicARN != in.TopicARN || !now.Before(tok.Expires) {
			return errInvalidParameter("Token")
		}
		sub, err := getSubscription(tx, tok.SubscriptionARN)
		if err != nil {
			return errInvalidParameter("Token")
		}
		if sub.Pending {
			sub.Pending = false
			sub.Authenticated = in.AuthenticateOnUnsubscribe
			if err := tx.Put(bucketSubs, sub.ARN, sub); err != nil {
				return err
			}
		}
		arn = sub.ARN
		return nil
	})
	if err != nil {
		return nil, internal(err)
	}
	return &ConfirmSubscriptionResult{SubscriptionARN: arn}, nil
}

// UnsubscribeInput: https://docs.aws.amazon.com/sns/latest/api/API_Unsubscribe.html
type UnsubscribeInput struct{ SubscriptionARN string }

func decodeUnsubscribe(form url.Values) (UnsubscribeInput, *awswire.Error) {
	in := UnsubscribeInput{SubscriptionARN: form.Get("SubscriptionArn")}
	if in.SubscriptionARN == "" {
		return in, errMissing("SubscriptionArn")
	}
	if subscriptionTopic(in.SubscriptionARN) == "" {
		return in, errInvalidParameter("SubscriptionArn")
	}
	return in, nil
}

// Unsubscribe deletes a subscription. Deliveries to it that are still pending are dropped.
// (SNS also POSTs an UnsubscribeConfirmation to http/https endpoints; the simulator does not.)
func (s *Service) Unsubscribe(_ context.Context, in UnsubscribeInput) (*noResult, *awswire.Error) {
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		sub, err := getSubscription(tx, in.SubscriptionARN)
		if err != nil {
			return err
		}
		if err := deleteSubscription(tx, sub); err != nil {
			return err
		}
		t, err := getTopic(tx, sub.TopicARN)
		if err != nil {
			return nil // the topic went first; nothing to count
		}
		t.SubscriptionsDeleted++
		return tx.Put(bucketTopics, t.ARN, t)
	})
	if err != nil {
		return nil, internal(err)
	}
	s.forgetFilter(in.SubscriptionARN)
	return nil, nil
}

// getSubscription reads a subscription or returns NotFound.
func getSubscription(tx *store.Tx, arn string) (*subscription, error) {
	var sub subscription
	if err := tx.Get(bucketSubs, arn, &sub); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, errSubscriptionNotFound()
		}
		return nil, err
	}
	if sub.Attributes == nil {
		sub.Attributes = map[string]string{}
	}
	return &sub, nil
}

// topicSubscriptions lists a topic's subscriptions, pending ones included.
func topicSubscriptions(tx *store.Tx, topicARN string) ([]subscription, error) {
	var out []subscription
	err := tx.ForEach(bucketSubs, topicARN+":", func(_ string, v []byte) error {
		var sub subscription
		if err := json.Unmarshal(v, &sub); err != nil {
			return err
		}
		if sub.Attributes == nil {
			sub.Attributes = map[string]string{}
		}
		out = append(out, sub)
		return nil
	})
	return out, err
}

// deleteSubscription removes a subscription and its confirmation token.
func deleteSubscription(tx *store.Tx, sub *subscription) error {
	if sub.Token != "" {
		if err := tx.Delete(bucketTokens, sub.Token); err != nil {
			return err
		}
	}
	return tx.Delete(bucketSubs, sub.ARN)
}
