package sns

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// Delivery policies, from "Amazon SNS message delivery retries"
// (https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html):
//
//   - AWS managed endpoints (Lambda, SQS): 3 retries without delay, 2 retries 1 second apart, 10
//     retries with exponential backoff from 1 to 20 seconds, 100,000 retries 20 seconds apart
//     ("100,015 times, over 23 days"). Not configurable.
//   - HTTP/S: configurable per topic ("http.defaultHealthyRetryPolicy") or per subscription
//     ("healthyRetryPolicy"); the default is 3 retries 20 seconds apart, linear
//     ("By default, if the initial delivery of the message fails, Amazon SNS attempts up to three
//     retries with a delay between failed attempts set at 20 seconds"). numRetries 0..100,
//     minDelayTarget 1..maxDelayTarget, maxDelayTarget ..3,600, total retry time at most 3,600 s.
//
// The phases follow the initial attempt ("This phase occurs immediately after the initial
// delivery attempt"), so a policy of N retries makes at most N+1 attempts. AWS adds jitter; the
// simulator does not, so retries land at predictable instants under a manual clock.
type retryPolicy struct {
	MinDelayTarget     int    `json:"minDelayTarget"`
	MaxDelayTarget     int    `json:"maxDelayTarget"`
	NumRetries         int    `json:"numRetries"`
	NumMaxDelayRetries int    `json:"numMaxDelayRetries"`
	NumNoDelayRetries  int    `json:"numNoDelayRetries"`
	NumMinDelayRetries int    `json:"numMinDelayRetries"`
	BackoffFunction    string `json:"backoffFunction"`
}

// managedPolicy is the fixed policy toward SQS and Lambda.
var managedPolicy = retryPolicy{
	MinDelayTarget:     1,
	MaxDelayTarget:     20,
	NumRetries:         3 + 2 + 10 + 100000,
	NumNoDelayRetries:  3,
	NumMinDelayRetries: 2,
	NumMaxDelayRetries: 100000,
	BackoffFunction:    "exponential",
}

// defaultHTTPPolicy is the HTTP/S default.
var defaultHTTPPolicy = retryPolicy{MinDelayTarget: 20, MaxDelayTarget: 20, NumRetries: 3, BackoffFunction: "linear"}

// defaultContentType is what SNS sends HTTP/S endpoints unless a requestPolicy says otherwise.
const defaultContentType = "text/plain; charset=UTF-8"

// delay returns the wait before retry number n (1 for the first retry), or false when the policy
// has no retry n.
func (p retryPolicy) delay(n int) (time.Duration, bool) {
	if n < 1 || n > p.NumRetries {
		return 0, false
	}
	sec := func(f float64) time.Duration { return time.Duration(f * float64(time.Second)) }
	if n <= p.NumNoDelayRetries {
		return 0, true
	}
	n -= p.NumNoDelayRetries
	if n <= p.NumMinDelayRetries {
		return sec(float64(p.MinDelayTarget)), true
	}
	n -= p.NumMinDelayRetries
	backoff := p.NumRetries - p.NumNoDelayRetries - p.NumMinDelayRetries - p.NumMaxDelayRetries
	if n > backoff {
		return sec(float64(p.MaxDelayTarget)), true
	}
	return sec(p.backoff(n, backoff)), true
}

// backoff is the delay in seconds of retry i (1..count) of the backoff phase: minDelayTarget for
// the first, maxDelayTarget for the last, the function shaping the ones between. AWS publishes
// the four shapes only as a graph; these curves have the same order and direction (exponential
// and arithmetic start slow, geometric starts fast, linear is straight) but not AWS's exact values.
func (p retryPolicy) backoff(i, count int) float64 {
	lo, hi := float64(p.MinDelayTarget), float64(p.MaxDelayTarget)
	if count <= 1 || hi <= lo {
		return lo
	}
	t := float64(i-1) / float64(count-1)
	switch p.BackoffFunction {
	case "exponential":
		return lo * math.Pow(hi/lo, t)
	case "arithmetic":
		return lo + (hi-lo)*t*t
	case "geometric":
		return hi - (hi-lo)*(1-t)*(1-t)
	default: // linear
		return lo + (hi-lo)*t
	}
}

// totalDelay is the sum of all retry delays: AWS caps it at 3,600 s for HTTP/S.
func (p retryPolicy) totalDelay() time.Duration {
	var total time.Duration
	for n := 1; n <= p.NumRetries; n++ {
		d, _ := p.delay(n)
		total += d
	}
	return total
}

// topicDeliveryPolicy is the topic attribute DeliveryPolicy.
type topicDeliveryPolicy struct {
	HTTP *topicHTTPPolicy `json:"http,omitempty"`
}

type topicHTTPPolicy struct {
	DefaultHealthyRetryPolicy    *retryPolicy    `json:"defaultHealthyRetryPolicy,omitempty"`
	DisableSubscriptionOverrides bool            `json:"disableSubscriptionOverrides"`
	DefaultThrottlePolicy        *throttlePolicy `json:"defaultThrottlePolicy,omitempty"`
	DefaultRequestPolicy         *requestPolicy  `json:"defaultRequestPolicy,omitempty"`
}

// subscriptionDeliveryPolicy is the subscription attribute DeliveryPolicy.
type subscriptionDeliveryPolicy struct {
	HealthyRetryPolicy *retryPolicy    `json:"healthyRetryPolicy,omitempty"`
	ThrottlePolicy     *throttlePolicy `json:"throttlePolicy,omitempty"`
	RequestPolicy      *requestPolicy  `json:"requestPolicy,omitempty"`
}

// throttlePolicy is accepted and echoed; the simulator does not throttle deliveries.
type throttlePolicy struct {
	MaxReceivesPerSecond int `json:"maxReceivesPerSecond"`
}

type requestPolicy struct {
	HeaderContentType string `json:"headerContentType"`
}

// parseRetryPolicy decodes a healthyRetryPolicy object, filling AWS's defaults, and checks the
// documented constraints.
func parseRetryPolicy(raw json.RawMessage) (*retryPolicy, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	p := defaultHTTPPolicy
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, err
	}
	switch {
	case p.MinDelayTarget < 1:
		return nil, fmt.Errorf("minDelayTarget must be at least 1")
	case p.MaxDelayTarget < p.MinDelayTarget:
		return nil, fmt.Errorf("maxDelayTarget must be greater than or equal to minDelayTarget")
	case p.MaxDelayTarget > 3600:
		return nil, fmt.Errorf("maxDelayTarget must be at most 3600")
	case p.NumRetries < 0 || p.NumRetries > 100:
		return nil, fmt.Errorf("numRetries must be between 0 and 100")
	case p.NumNoDelayRetries < 0 || p.NumMinDelayRetries < 0 || p.NumMaxDelayRetries < 0:
		return nil, fmt.Errorf("retry counts must not be negative")
	case p.NumNoDelayRetries+p.NumMinDelayRetries+p.NumMaxDelayRetries > p.NumRetries:
		return nil, fmt.Errorf("numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries must not exceed numRetries")
	}
	switch p.BackoffFunction {
	case "linear", "arithmetic", "geometric", "exponential":
	default:
		return nil, fmt.Errorf("backoffFunction must be one of linear, arithmetic, geometric, exponential")
	}
	if p.totalDelay() > time.Hour {
		return nil, fmt.Errorf("the total retry time must not exceed 3600 seconds")
	}
	return &p, nil
}

// parseTopicDeliveryPolicy validates a topic's DeliveryPolicy attribute.
func parseTopicDeliveryPolicy(v string) (*topicDeliveryPolicy, *awswire.Error) {
	var raw struct {
		HTTP *struct {
			DefaultHealthyRetryPolicy    json.RawMessage `json:"defaultHealthyRetryPolicy"`
			DisableSubscriptionOverrides bool            `json:"disableSubscriptionOverrides"`
			DefaultThrottlePolicy        *throttlePolicy `json:"defaultThrottlePolicy"`
			DefaultRequestPolicy         *requestPolicy  `json:"defaultRequestPolicy"`
		} `json:"http"`
	}
	if err := json.Unmarshal([]byte(v), &raw); err != nil {
		return nil, errInvalidParameter("DeliveryPolicy: %v", err)
	}
	out := &topicDeliveryPolicy{}
	if raw.HTTP != nil {
		rp, err := parseRetryPolicy(raw.HTTP.DefaultHealthyRetryPolicy)
		if err != nil {
			return nil, errInvalidParameter("DeliveryPolicy: %v", err)
		}
		out.HTTP = &topicHTTPPolicy{
			DefaultHealthyRetryPolicy:    rp,
			DisableSubscriptionOverrides: raw.HTTP.DisableSubscriptionOverrides,
			DefaultThrottlePolicy:        raw.HTTP.DefaultThrottlePolicy,
			DefaultRequestPolicy:         raw.HTTP.DefaultRequestPolicy,
		}
	}
	return out, nil
}

// parseSubscriptionDeliveryPolicy validates a subscription's DeliveryPolicy attribute.
func parseSubscriptionDeliveryPolicy(v string) (*subscriptionDeliveryPolicy, *awswire.Error) {
	var raw struct {
		HealthyRetryPolicy json.RawMessage `json:"healthyRetryPolicy"`
		ThrottlePolicy     *throttlePolicy `json:"throttlePolicy"`
		RequestPolicy      *requestPolicy  `json:"requestPolicy"`
	}
	if err := json.Unmarshal([]byte(v), &raw); err != nil {
		return nil, errInvalidParameter("DeliveryPolicy: %v", err)
	}
	rp, err := parseRetryPolicy(raw.HealthyRetryPolicy)
	if err != nil {
		return nil, errInvalidParameter("DeliveryPolicy: %v", err)
	}
	return &subscriptionDeliveryPolicy{HealthyRetryPolicy: rp, ThrottlePolicy: raw.ThrottlePolicy, RequestPolicy: raw.RequestPolicy}, nil
}

// httpPolicy is the retry policy and content type of an HTTP/S subscription: the subscription's
// own policy unless the topic disables overrides, else the topic's default, else AWS's default.
func httpPolicy(t *topic, sub *subscription) (retryPolicy, string) {
	policy, contentType := defaultHTTPPolicy, defaultContentType
	disable := false
	if v := t.Attributes["DeliveryPolicy"]; v != "" {
		if tp, e := parseTopicDeliveryPolicy(v); e == nil && tp.HTTP != nil {
			if tp.HTTP.DefaultHealthyRetryPolicy != nil {
				policy = *tp.HTTP.DefaultHealthyRetryPolicy
			}
			if rp := tp.HTTP.DefaultRequestPolicy; rp != nil && rp.HeaderContentType != "" {
				contentType = rp.HeaderContentType
			}
			disable = tp.HTTP.DisableSubscriptionOverrides
		}
	}
	if sub != nil && !disable {
		if v := sub.Attributes["DeliveryPolicy"]; v != "" {
			if sp, e := parseSubscriptionDeliveryPolicy(v); e == nil {
				if sp.HealthyRetryPolicy != nil {
					policy = *sp.HealthyRetryPolicy
				}
				if sp.RequestPolicy != nil && sp.RequestPolicy.HeaderContentType != "" {
					contentType = sp.RequestPolicy.HeaderContentType
				}
			}
		}
	}
	return policy, contentType
}

// effectiveTopicDeliveryPolicy is the topic attribute EffectiveDeliveryPolicy: the HTTP policy
// in force, in the shape AWS answers for a topic without a DeliveryPolicy.
func effectiveTopicDeliveryPolicy(t *topic) string {
	policy, contentType := httpPolicy(t, nil)
	disable := false
	if v := t.Attributes["DeliveryPolicy"]; v != "" {
		if tp, e := parseTopicDeliveryPolicy(v); e == nil && tp.HTTP != nil {
			disable = tp.HTTP.DisableSubscriptionOverrides
		}
	}
	out := topicDeliveryPolicy{HTTP: &topicHTTPPolicy{
		DefaultHealthyRetryPolicy:    &policy,
		DisableSubscriptionOverrides: disable,
		DefaultRequestPolicy:         &requestPolicy{HeaderContentType: contentType},
	}}
	b, _ := json.Marshal(out)
	return string(b)
}

// effectiveSubscriptionDeliveryPolicy is the subscription attribute EffectiveDeliveryPolicy of
// an HTTP/S subscription.
func effectiveSubscriptionDeliveryPolicy(t *topic, sub *subscription) string {
	policy, contentType := httpPolicy(t, sub)
	out := struct {
		HealthyRetryPolicy retryPolicy     `json:"healthyRetryPolicy"`
		SicklyRetryPolicy  *retryPolicy    `json:"sicklyRetryPolicy"`
		ThrottlePolicy     *throttlePolicy `json:"throttlePolicy"`
		RequestPolicy      requestPolicy   `json:"requestPolicy"`
		Guaranteed         bool            `json:"guaranteed"`
	}{HealthyRetryPolicy: policy, RequestPolicy: requestPolicy{HeaderContentType: contentType}}
	b, _ := json.Marshal(out)
	return string(b)
}
