package sns

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/url"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// ListSubscriptionsInput: https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptions.html
type ListSubscriptionsInput struct{ NextToken string }

// ListSubscriptionsByTopicInput: https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptionsByTopic.html
type ListSubscriptionsByTopicInput struct {
	TopicARN  string
	NextToken string
}

// ListSubscriptionsResult is one page of subscriptions.
type ListSubscriptionsResult struct {
	XMLName       xml.Name            `xml:"ListSubscriptionsResult"`
	Subscriptions subscriptionMembers `xml:"Subscriptions"`
	NextToken     string              `xml:"NextToken,omitempty"`
}

// ListSubscriptionsByTopicResult is one page of a topic's subscriptions.
type ListSubscriptionsByTopicResult struct {
	XMLName       xml.Name            `xml:"ListSubscriptionsByTopicResult"`
	Subscriptions subscriptionMembers `xml:"Subscriptions"`
	NextToken     string              `xml:"NextToken,omitempty"`
}

type subscriptionMembers struct {
	Members []subscriptionMember `xml:"member"`
}

type subscriptionMember struct {
	SubscriptionARN string `xml:"SubscriptionArn"`
	Owner           string `xml:"Owner"`
	Protocol        string `xml:"Protocol"`
	Endpoint        string `xml:"Endpoint"`
	TopicARN        string `xml:"TopicArn"`
}

func decodeListSubscriptions(form url.Values) (ListSubscriptionsInput, *awswire.Error) {
	return ListSubscriptionsInput{NextToken: form.Get("NextToken")}, nil
}

func decodeListSubscriptionsByTopic(form url.Values) (ListSubscriptionsByTopicInput, *awswire.Error) {
	in := ListSubscriptionsByTopicInput{TopicARN: form.Get("TopicArn"), NextToken: form.Get("NextToken")}
	return in, checkTopicARN("TopicArn", in.TopicARN)
}

// ListSubscriptions lists all subscriptions, 100 a page; pending ones show "PendingConfirmation".
func (s *Service) ListSubscriptions(_ context.Context, in ListSubscriptionsInput) (*ListSubscriptionsResult, *awswire.Error) {
	out := &ListSubscriptionsResult{}
	var e *awswire.Error
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		out.Subscriptions, out.NextToken, e = listSubscriptions(tx, "", in.NextToken)
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

// ListSubscriptionsByTopic lists one topic's subscriptions, 100 a page.
func (s *Service) ListSubscriptionsByTopic(_ context.Context, in ListSubscriptionsByTopicInput) (*ListSubscriptionsByTopicResult, *awswire.Error) {
	out := &ListSubscriptionsByTopicResult{}
	var e *awswire.Error
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		if _, err := getTopic(tx, in.TopicARN); err != nil {
			return err
		}
		out.Subscriptions, out.NextToken, e = listSubscriptions(tx, in.TopicARN+":", in.NextToken)
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

func listSubscriptions(tx *store.Tx, prefix, nextToken string) (subscriptionMembers, string, *awswire.Error) {
	out := subscriptionMembers{Members: []subscriptionMember{}}
	token, e := page(tx, bucketSubs, prefix, nextToken, func(_ string, v []byte) error {
		var sub subscription
		if err := json.Unmarshal(v, &sub); err != nil {
			return err
		}
		arn := sub.ARN
		if sub.Pending {
			arn = pendingListARN
		}
		out.Members = append(out.Members, subscriptionMember{SubscriptionARN: arn, Owner: sub.Owner, Protocol: sub.Protocol, Endpoint: sub.Endpoint, TopicARN: sub.TopicARN})
		return nil
	})
	return out, token, e
}
