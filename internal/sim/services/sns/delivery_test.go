package sns

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
)

// TestSNS_fanOutToTwoSubscribers publishes once to a topic with an SQS and a Lambda subscription
// and checks both deliveries byte for byte against AWS's documented shapes.
func TestSNS_fanOutToTwoSubscribers(t *testing.T) {
	h := newHarness(t)
	topicARN := h.createTopic(t, "orders", nil)
	sqsSub := h.subscribe(t, topicARN, "sqs", queueARN("q1"), nil)
	lambdaSub := h.subscribe(t, topicARN, "lambda", functionARN("fn"), nil)
	if !strings.HasPrefix(sqsSub, topicARN+":") || !strings.HasPrefix(lambdaSub, topicARN+":") {
		t.Fatalf("subscription ARNs %q %q", sqsSub, lambdaSub)
	}

	out, err := h.client.Publish(ctx, &sns.PublishInput{
		TopicArn: aws.String(topicARN), Message: aws.String(`{"id":1,"note":"<a&b>"}`), Subject: aws.String("New order"),
		MessageAttributes: map[string]types.MessageAttributeValue{
			"kind": {DataType: aws.String("String"), StringValue: aws.String("order")},
			"blob": {DataType: aws.String("Binary"), BinaryValue: []byte{1, 2, 3}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	msgID := aws.ToString(out.MessageId)
	if out.SequenceNumber != nil {
		t.Errorf("a standard topic answers no SequenceNumber, got %q", *out.SequenceNumber)
	}

	q := h.sqs.waitCalls(t, 1)[0]
	if q.TargetARN != queueARN("q1") || q.Principal != "sns.amazonaws.com" || q.SourceARN != topicARN || q.SourceAccount != testAccount {
		t.Errorf("SQS delivery addressing: %+v", q)
	}
	if len(q.Attributes) != 0 {
		t.Errorf("without raw delivery attributes travel in the envelope, not as SQS attributes: %v", q.Attributes)
	}
	sig := regexp.MustCompile(`"Signature" : "([^"]+)"`).FindStringSubmatch(string(q.Body))
	if sig == nil {
		t.Fatalf("no signature in %s", q.Body)
	}
	want := fmt.Sprintf(`{
  "Type" : "Notification",
  "MessageId" : "%s",
  "TopicArn" : "%s",
  "Subject" : "New order",
  "Message" : "{\"id\":1,\"note\":\"<a&b>\"}",
  "Timestamp" : "2026-03-04T05:06:07.000Z",
  "SignatureVersion" : "1",
  "Signature" : "%s",
  "SigningCertURL" : "%s%s",
  "UnsubscribeURL" : "%s/?Action=Unsubscribe&SubscriptionArn=%s&Version=2010-03-31",
  "MessageAttributes" : {
    "blob" : {"Type":"Binary","Value":"AQID"},
    "kind" : {"Type":"String","Value":"order"}
  }
}`, msgID, topicARN, sig[1], h.url, h.svc.signer.certPath, h.url, sqsSub)
	if string(q.Body) != want {
		t.Errorf("SQS body:\n%s\nwant:\n%s", q.Body, want)
	}
	verifySignature(t, h, string(q.Body))

	l := h.lambda.waitCalls(t, 1)[0]
	if l.TargetARN != functionARN("fn") || l.Principal != "sns.amazonaws.com" || l.SourceARN != topicARN {
		t.Errorf("Lambda delivery addressing: %+v", l)
	}
	var ev events.SNSEvent
	if err := json.Unmarshal(l.Body, &ev); err != nil {
		t.Fatalf("Lambda body is not an SNSEvent: %v\n%s", err, l.Body)
	}
	if len(ev.Records) != 1 {
		t.Fatalf("records: %d", len(ev.Records))
	}
	r := ev.Records[0]
	if r.EventSource != "aws:sns" || r.EventVersion != "1.0" || r.EventSubscriptionArn != lambdaSub {
		t.Errorf("record: %+v", r)
	}
	e := r.SNS
	if e.Type != "Notification" || e.MessageID != msgID || e.TopicArn != topicARN || e.Subject != "New order" ||
		e.Message != `{"id":1,"note":"<a&b>"}` || !e.Timestamp.Equal(testStart) || e.SignatureVersion != "1" ||
		e.Signature == "" || !strings.HasSuffix(e.SigningCertURL, ".pem") || !strings.Contains(e.UnsubscribeURL, lambdaSub) {
		t.Errorf("Sns: %+v", e)
	}
	if attr, _ := e.MessageAttributes["kind"].(map[string]any); attr["Type"] != "String" || attr["Value"] != "order" {
		t.Errorf("MessageAttributes: %v", e.MessageAttributes)
	}
	if !strings.Contains(string(l.Body), `"SigningCertUrl"`) || !strings.Contains(string(l.Body), `"UnsubscribeUrl"`) {
		t.Errorf("Lambda events spell SigningCertUrl and UnsubscribeUrl: %s", l.Body)
	}

	recs := h.waitLog(t, 2)
	for _, rec := range recs {
		if rec.Outcome != OutcomeDelivered || rec.Attempts != 1 || rec.MessageID != msgID {
			t.Errorf("log record: %+v", rec)
		}
	}
	st, _ := h.svc.Stats(topicARN)
	if st.MessagesPublished != 1 || st.NotificationsDelivered != 2 {
		t.Errorf("stats: %+v", st)
	}
	if n, _ := h.svc.PendingDeliveries(); n != 0 {
		t.Errorf("%d deliveries still pending", n)
	}
}

// verifySignature checks an envelope's signature with the certificate served at SigningCertURL,
// the way AWS's documentation tells subscribers to.
func verifySignature(t *testing.T, h *harness, body string) {
	t.Helper()
	var env map[string]string
	dec := json.NewDecoder(strings.NewReader(body))
	var raw map[string]json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		t.Fatal(err)
	}
	env = map[string]string{}
	for k, v := range raw {
		var s string
		if json.Unmarshal(v, &s) == nil {
			env[k] = s
		}
	}
	resp, err := http.Get(env["SigningCertURL"])
	if err != nil {
		t.Fatal(err)
	}
	pemBytes, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		t.Fatalf("SigningCertURL served no PEM: %s", pemBytes)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	keys := []string{"Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"}
	if env["Type"] == "SubscriptionConfirmation" {
		keys = []string{"Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"}
	}
	for _, k := range keys {
		if v, ok := env[k]; ok {
			b.WriteString(k + "\n" + v + "\n")
		}
	}
	hash, digest := crypto.SHA1, func() []byte { s := sha1.Sum([]byte(b.String())); return s[:] }()
	if env["SignatureVersion"] == "2" {
		hash, digest = crypto.SHA256, func() []byte { s := sha256.Sum256([]byte(b.String())); return s[:] }()
	}
	sig, _ := base64.StdEncoding.DecodeString(env["Signature"])
	if err := rsa.VerifyPKCS1v15(cert.PublicKey.(*rsa.PublicKey), hash, digest, sig); err != nil {
		t.Fatalf("signature (version %s) does not verify: %v", env["SignatureVersion"], err)
	}
}

func TestSNS_rawMessageDelivery(t *testing.T) {
	h := newHarness(t)
	topicARN := h.createTopic(t, "raw", nil)
	h.subscribe(t, topicARN, "sqs", queueARN("raw-q"), map[string]string{"RawMessageDelivery": "true"})
	_, err := h.client.Publish(ctx, &sns.PublishInput{
		TopicArn: aws.String(topicARN), Message: aws.String("plain text"), Subject: aws.String("ignored"),
		MessageAttributes: map[string]types.MessageAttributeValue{
			"n":    {DataType: aws.String("Number"), StringValue: aws.String("42")},
			"list": {DataType: aws.String("String.Array"), StringValue: aws.String(`["a","b"]`)},
			"bin":  {DataType: aws.String("Binary"), BinaryValue: []byte("xyz")},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	m := h.sqs.waitCalls(t, 1)[0]
	if string(m.Body) != "plain text" {
		t.Errorf("raw body = %q", m.Body)
	}
	want := map[string]deliver.Attribute{
		"n":    {DataType: "Number", StringValue: "42"},
		"list": {DataType: "String.Array", StringValue: `["a","b"]`},
		"bin":  {DataType: "Binary", BinaryValue: []byte("xyz")},
	}
	if fmt.Sprint(m.Attributes) != fmt.Sprint(want) {
		t.Errorf("attributes = %v, want %v", m.Attributes, want)
	}
	// Lambda subscriptions cannot take raw delivery.
	_, err = h.client.Subscribe(ctx, &sns.SubscribeInput{TopicArn: aws.String(topicARN), Protocol: aws.String("lambda"),
		Endpoint: aws.String(functionARN("f")), Attributes: map[string]string{"RawMessageDelivery": "true"}})
	var ip *types.InvalidParameterException
	if !errors.As(err, &ip) || !strings.Contains(ip.ErrorMessage(), "does not support raw message delivery") {
		t.Errorf("raw delivery to lambda: %v", err)
	}
}

// TestSNS_messageStructureJSON: each protocol gets its own member, or "default"; attributes are
// not sent with a JSON message structure.
func TestSNS_messageStructureJSON(t *testing.T) {
	h := newHarness(t)
	topicARN := h.createTopic(t, "structured", nil)
	h.subscribe(t, topicARN, "sqs", queueARN("q"), map[string]string{"RawMessageDelivery": "true"})
	h.subscribe(t, topicARN, "lambda", functionARN("f"), nil)
	_, err := h.client.Publish(ctx, &sns.PublishInput{
		TopicArn: aws.String(topicARN), MessageStructure: aws.String("json"),
		Message:           aws.String(`{"default":"for everyone","lambda":"for lambda"}`),
		MessageAttributes: map[string]types.MessageAttributeValue{"a": {DataType: aws.String("String"), StringValue: aws.String("v")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if m := h.sqs.waitCalls(t, 1)[0]; string(m.Body) != "for everyone" || len(m.Attributes) != 0 {
		t.Errorf("sqs got %q %v", m.Body, m.Attributes)
	}
	var ev events.SNSEvent
	json.Unmarshal(h.lambda.waitCalls(t, 1)[0].Body, &ev)
	if ev.Records[0].SNS.Message != "for lambda" || len(ev.Records[0].SNS.MessageAttributes) != 0 {
		t.Errorf("lambda got %+v", ev.Records[0].SNS)
	}
	for _, msg := range []string{`not json`, `{"lambda":"no default"}`} {
		_, err := h.client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topicARN), MessageStructure: aws.String("json"), Message: aws.String(msg)})
		var ip *types.InvalidParameterException
		if !errors.As(err, &ip) {
			t.Errorf("MessageStructure json %q: %v, want InvalidParameterException", msg, err)
		}
	}
}

// TestSNS_signatureVersion2: SignatureVersion 2 signs with SHA256withRSA.
func TestSNS_signatureVersion2(t *testing.T) {
	h := newHarness(t)
	topicARN := h.createTopic(t, "v2", map[string]string{"SignatureVersion": "2"})
	h.subscribe(t, topicARN, "sqs", queueARN("q"), nil)
	if _, err := h.client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topicARN), Message: aws.String("signed"), Subject: aws.String("s")}); err != nil {
		t.Fatal(err)
	}
	body := string(h.sqs.waitCalls(t, 1)[0].Body)
	if !strings.Contains(body, `"SignatureVersion" : "2"`) {
		t.Fatalf("envelope: %s", body)
	}
	verifySignature(t, h, body)
}
