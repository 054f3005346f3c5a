package sns

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// TestSNS_restartResumesPendingDelivery: topics, subscriptions and a delivery waiting for its
// retry survive closing the service and the store; after reopening, the retry fires at its time.
func TestSNS_restartResumesPendingDelivery(t *testing.T) {
	dir := t.TempDir()
	clk := clock.NewManual(testStart)
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, withStore(st), withClock(clk))
	h.lambda.setFail(func(int, deliver.Message) error { return errors.New("function busy") })
	topicARN := h.createTopic(t, "durable", map[string]string{"DisplayName": "Durable"})
	subARN := h.subscribe(t, topicARN, "lambda", functionARN("f"), map[string]string{"FilterPolicy": `{"k":["v"]}`})
	pub, err := h.client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topicARN), Message: aws.String("survives"),
		MessageAttributes: map[string]types.MessageAttributeValue{"k": strAttr("v")}})
	if err != nil {
		t.Fatal(err)
	}
	h.lambda.waitCalls(t, 4) // initial attempt and three immediate retries; the next is at +1s
	h.waitPending(t)
	sig := h.svc.signer.certPath
	h.stop()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st, err = store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() }) // after h2's cleanup, which stops the service
	h2 := newHarness(t, withStore(st), withClock(clk))
	if n, _ := h2.svc.PendingDeliveries(); n != 1 {
		t.Fatalf("%d deliveries pending after the restart, want 1", n)
	}
	if h2.svc.signer.certPath != sig {
		t.Error("the signing certificate changed across the restart")
	}
	attrs, err := h2.client.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(topicARN)})
	if err != nil || attrs.Attributes["DisplayName"] != "Durable" || attrs.Attributes["SubscriptionsConfirmed"] != "1" {
		t.Fatalf("topic after restart: %v %v", attrs, err)
	}
	h2.waitPending(t)
	h2.lambda.never(t, 0)
	h2.clk.Advance(time.Second)
	got := h2.lambda.waitCalls(t, 1)
	if got[0].TargetARN != functionARN("f") {
		t.Fatalf("delivered to %s", got[0].TargetARN)
	}
	recs := h2.waitLog(t, 1)
	if recs[0].Outcome != OutcomeDelivered || recs[0].Attempts != 5 || recs[0].MessageID != aws.ToString(pub.MessageId) || recs[0].SubscriptionARN != subARN {
		t.Fatalf("log after restart: %+v", recs[0])
	}
	if n, _ := h2.svc.PendingDeliveries(); n != 0 {
		t.Fatalf("%d deliveries still pending", n)
	}
	// The message record is gone with its last delivery.
	st.View(func(tx *store.Tx) error {
		if tx.Has(bucketMessages, aws.ToString(pub.MessageId)) {
			t.Error("the delivered message is still stored")
		}
		return nil
	})
}
