package sns

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// endpoint is a subscriber's HTTP server that records what SNS POSTs to it.
type endpoint struct {
	mu     sync.Mutex
	reqs   []recorded
	status func(n int, r recorded) int // n counts from 1
	ch     chan recorded
}

type recorded struct {
	Header http.Header
	Body   string
	Env    map[string]string
}

func newEndpoint() *endpoint {
	return &endpoint{ch: make(chan recorded, 100), status: func(int, recorded) int { return http.StatusOK }}
}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec := recorded{Header: r.Header.Clone(), Body: string(body), Env: map[string]string{}}
	json.Unmarshal(body, &rec.Env)
	e.mu.Lock()
	e.reqs = append(e.reqs, rec)
	n := len(e.reqs)
	status := e.status
	e.mu.Unlock()
	w.WriteHeader(status(n, rec))
	e.ch <- rec
}

func (e *endpoint) next(t *testing.T) recorded {
	t.Helper()
	select {
	case r := <-e.ch:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("the endpoint received nothing")
		return recorded{}
	}
}

func (e *endpoint) none(t *testing.T) {
	t.Helper()
	select {
	case r := <-e.ch:
		t.Fatalf("unexpected request: %s %s", r.Header.Get("x-amz-sns-message-type"), r.Body)
	case <-time.After(80 * time.Millisecond):
	}
}

// TestSNS_httpSubscriptionConfirmation: an http subscription receives SubscriptionConfirmation,
// is confirmed by visiting SubscribeURL, and then receives notifications with SNS's headers.
func TestSNS_httpSubscriptionConfirmation(t *testing.T) {
	h := newHarness(t)
	ep := newEndpoint()
	srv := httptest.NewServer(ep)
	defer srv.Close()
	topicARN := h.createTopic(t, "web", nil)

	out, err := h.client.Subscribe(ctx, &sns.SubscribeInput{TopicArn: aws.String(topicARN), Protocol: aws.String("http"), Endpoint: aws.String(srv.URL + "/hook")})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(out.SubscriptionArn); got != "pending confirmation" {
		t.Fatalf("SubscriptionArn = %q, want \"pending confirmation\"", got)
	}
	conf := ep.next(t)
	for k, want := range map[string]string{
		"x-amz-sns-message-type": "SubscriptionConfirmation", "x-amz-sns-topic-arn": topicARN,
		"Content-Type": "text/plain; charset=UTF-8", "User-Agent": "Amazon Simple Notification Service Agent",
	} {
		if got := conf.Header.Get(k); got != want {
			t.Errorf("confirmation header %s = %q, want %q", k, got, want)
		}
	}
	if conf.Header.Get("x-amz-sns-message-id") != conf.Env["MessageId"] || conf.Env["Type"] != "SubscriptionConfirmation" || conf.Env["Token"] == "" ||
		conf.Env["TopicArn"] != topicARN || !strings.HasPrefix(conf.Env["Message"], "You have chosen to subscribe to the topic "+topicARN) {
		t.Errorf("confirmation: %v", conf.Env)
	}
	verifySignature(t, h, conf.Body)

	list, _ := h.client.ListSubscriptionsByTopic(ctx, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(topicARN)})
	if len(list.Subscriptions) != 1 || aws.ToString(list.Subscriptions[0].SubscriptionArn) != "PendingConfirmation" {
		t.Fatalf("pending subscription listed as %+v", list.Subscriptions)
	}
	// Nothing is delivered before confirmation.
	h.client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topicARN), Message: aws.String("too early")})
	ep.none(t)

	// Visiting SubscribeURL confirms, as on AWS.
	resp, err := http.Get(conf.Env["SubscribeURL"])
	if err != nil {
		t.Fatal(err)
	}
	var confirmed struct {
		Result struct {
			SubscriptionArn string
		} `xml:"ConfirmSubscriptionResult"`
	}
	xml.NewDecoder(resp.Body).Decode(&confirmed)
	resp.Body.Close()
	subARN := confirmed.Result.SubscriptionArn
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(subARN, topicARN+":") {
		t.Fatalf("SubscribeURL: %d %q", resp.StatusCode, subARN)
	}
	attrs, _ := h.client.GetSubscriptionAttributes(ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(subARN)})
	if attrs.Attributes["PendingConfirmation"] != "false" || !strings.Contains(attrs.Attributes["EffectiveDeliveryPolicy"], `"numRetries":3`) {
		t.Errorf("after confirmation: %v", attrs.Attributes)
	}

	pub, err := h.client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topicARN), Message: aws.String("hello"), Subject: aws.String("greeting")})
	if err != nil {
		t.Fatal(err)
	}
	n := ep.next(t)
	for k, want := range map[string]string{
		"x-amz-sns-message-type": "Notification", "x-amz-sns-message-id": aws.ToString(pub.MessageId),
		"x-amz-sns-topic-arn": topicARN, "x-amz-sns-subscription-arn": subARN,
	} {
		if got := n.Header.Get(k); got != want {
			t.Errorf("notification header %s = %q, want %q", k, got, want)
		}
	}
	if n.Env["Message"] != "hello" || n.Env["Subject"] != "greeting" || !strings.Contains(n.Env["UnsubscribeURL"], subARN) {
		t.Errorf("notification: %v", n.Env)
	}
	verifySignature(t, h, n.Body)

	// UnsubscribeURL works like AWS's.
	resp, err = http.Get(n.Env["UnsubscribeURL"])
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("UnsubscribeURL: %d", resp.StatusCode)
	}
	h.client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topicARN), Message: aws.String("after unsubscribe")})
	ep.none(t)
}

// TestSNS_httpsConfirmSubscriptionAndRetries: an https endpoint confirmed with
// ConfirmSubscription; a 5xx answer is retried after 20 seconds (AWS's default HTTP policy), a 4xx
// answer is not retried.
func TestSNS_httpsConfirmSubscriptionAndRetries(t *testing.T) {
	ep := newEndpoint()
	srv := httptest.NewTLSServer(ep)
	defer srv.Close()
	h := newHarness(t, withHTTPClient(srv.Client()))
	topicARN := h.createTopic(t, "secure", nil)
	h.subscribe(t, topicARN, "https", srv.URL, map[string]string{"RawMessageDelivery": "true"})
	conf := ep.next(t)
	out, err := h.client.ConfirmSubscription(ctx, &sns.ConfirmSubscriptionInput{TopicArn: aws.String(topicARN), Token: aws.String(conf.Env["Token"])})
	if err != nil {
		t.Fatal(err)
	}
	subARN := aws.ToString(out.SubscriptionArn)
	if _, err := h.client.ConfirmSubscription(ctx, &sns.ConfirmSubscriptionInput{TopicArn: aws.String(topicARN), Token: aws.String("0123")}); err == nil {
		t.Fatal("ConfirmSubscription with a wrong token succeeded")
	}

	ep.mu.Lock()
	ep.status = func(n int, r recorded) int {
		if r.Body == "fail once" && n == 2 {
			return http.StatusServiceUnavailable
		}
		if r.Body == "refused" {
			return http.StatusForbidden
		}
		return http.StatusOK
	}
	ep.mu.Unlock()
	h.client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topicARN), Message: aws.String("fail once")})
	first := ep.next(t)
	if first.Body != "fail once" || first.Header.Get("x-amz-sns-rawdelivery") != "true" {
		t.Fatalf("raw delivery: %q %v", first.Body, first.Header)
	}
	h.waitPending(t)
	h.clk.Advance(19 * time.Second)
	ep.none(t)
	h.clk.Advance(time.Second)
	if again := ep.next(t); again.Header.Get("x-amz-sns-message-id") != first.Header.Get("x-amz-sns-message-id") {
		t.Fatalf("the retry carries another message id: %v", again.Header)
	}
	h.client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topicARN), Message: aws.String("refused")})
	ep.next(t)
	recs := h.waitLog(t, 3)
	byMessage := map[string]DeliveryRecord{}
	for _, r := range recs {
		byMessage[r.Kind+" "+r.SubscriptionARN+" "+itoa(r.StatusCode)] = r
	}
	if r, ok := byMessage["Notification "+subARN+" 200"]; !ok || r.Attempts != 2 || r.Outcome != OutcomeDelivered {
		t.Errorf("retried delivery: %+v", recs)
	}
	if r, ok := byMessage["Notification "+subARN+" 403"]; !ok || r.Attempts != 1 || r.Outcome != OutcomeDelivered {
		t.Errorf("403 delivery (not retried): %+v", recs)
	}
	ep.none(t)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
