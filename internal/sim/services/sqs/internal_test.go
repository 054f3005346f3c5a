package sqs

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
)

func TestSQS_deliverReceiver(t *testing.T) {
	e := newEnv(t, envOptions{})
	url := e.createQueue("target", nil)
	arn := e.arn(url)
	err := e.bus.Deliver(ctx(t), deliver.Message{
		TargetARN: arn, Body: []byte(`{"Type":"Notification"}`), Principal: "sns.amazonaws.com",
		Attributes: map[string]deliver.Attribute{"source": {DataType: "String", StringValue: "sns"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := e.receive(url, 10).Messages
	if len(got) != 1 || aws.ToString(got[0].Body) != `{"Type":"Notification"}` || aws.ToString(got[0].MessageAttributes["source"].StringValue) != "sns" {
		t.Fatalf("delivered: %+v", got)
	}

	err = e.bus.Deliver(ctx(t), deliver.Message{TargetARN: "arn:aws:sqs:us-east-1:000000000000:nope", Body: []byte("x")})
	if !errors.Is(err, deliver.ErrNoTarget) {
		t.Fatalf("missing queue: %v", err)
	}
	if err := e.bus.Deliver(ctx(t), deliver.Message{TargetARN: arn, Body: nil}); err == nil || errors.Is(err, deliver.ErrNoTarget) {
		t.Fatalf("empty body: %v", err)
	}

	fifo := e.createQueue("target.fifo", map[string]string{"FifoQueue": "true"})
	farn := e.arn(fifo)
	for range 2 {
		if err := e.bus.Deliver(ctx(t), deliver.Message{TargetARN: farn, Body: []byte("once"), MessageGroupID: "g", DeduplicationID: "d"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.bus.Deliver(ctx(t), deliver.Message{TargetARN: farn, Body: []byte("no group"), DeduplicationID: "d2"}); err == nil {
		t.Fatal("FIFO delivery without a group accepted")
	}
	if got := e.receive(fifo, 10).Messages; len(got) != 1 || got[0].Attributes["MessageGroupId"] != "g" {
		t.Fatalf("FIFO delivery: %+v", got)
	}
}

func TestSQS_internalAPI(t *testing.T) {
	e := newEnv(t, envOptions{})
	dlq := e.createQueue("esm-dlq", nil)
	url := e.createQueue("esm", map[string]string{"VisibilityTimeout": "20", "RedrivePolicy": redrive(e.arn(dlq), 5)})
	arn := e.arn(url)
	info, err := e.svc.LookupQueue(arn)
	if err != nil || info.URL != url || info.FIFO || info.VisibilityTimeout != 20*time.Second || info.MaxReceiveCount != 5 || info.DeadLetterTargetARN != e.arn(dlq) {
		t.Fatalf("LookupQueue: %+v %v", info, err)
	}
	if _, err := e.svc.LookupQueue("arn:aws:sqs:us-east-1:000000000000:nope"); !errors.Is(err, ErrQueueDoesNotExist) {
		t.Fatalf("missing queue: %v", err)
	}

	// A poll waiting on the clock is woken by a send.
	type result struct {
		msgs []Message
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		msgs, err := e.svc.ReceiveInternal(ctx(t), arn, 10, 20*time.Second)
		ch <- result{msgs, err}
	}()
	waitPending(t, e.clock, 1)
	e.send(url, "for lambda")
	r := <-ch
	if r.err != nil || len(r.msgs) != 1 {
		t.Fatalf("ReceiveInternal: %+v %v", r.msgs, r.err)
	}
	m := r.msgs[0]
	for _, k := range []string{"ApproximateReceiveCount", "SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp"} {
		if m.Attributes[k] == "" {
			t.Errorf("attribute %s missing: %v", k, m.Attributes)
		}
	}
	if m.MD5OfBody != md5Hex("for lambda") || m.ReceiptHandle == "" {
		t.Fatalf("message: %+v", m)
	}
	// Failure: visible again at once, with its receive count.
	if err := e.svc.ChangeVisibilityInternal(arn, m.ReceiptHandle, 0); err != nil {
		t.Fatal(err)
	}
	again, err := e.svc.ReceiveInternal(ctx(t), arn, 10, 0)
	if err != nil || len(again) != 1 || again[0].Attributes["ApproximateReceiveCount"] != "2" {
		t.Fatalf("after ChangeVisibilityInternal: %+v %v", again, err)
	}
	if err := e.svc.DeleteInternal(arn, again[0].ReceiptHandle); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.DeleteInternal(arn, "garbage"); err == nil {
		t.Fatal("garbage handle deleted")
	}
	if err := e.svc.ChangeVisibilityInternal(arn, again[0].ReceiptHandle, time.Second); err == nil {
		t.Fatal("visibility change of a deleted message accepted")
	}
	empty, err := e.svc.ReceiveInternal(ctx(t), arn, 10, 0)
	if err != nil || len(empty) != 0 {
		t.Fatalf("empty receive: %v %v", empty, err)
	}
	c, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.svc.ReceiveInternal(c, arn, 1, time.Minute); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled poll: %v", err)
	}
	if _, err := e.svc.ReceiveInternal(ctx(t), "arn:aws:sqs:us-east-1:000000000000:nope", 1, 0); !errors.Is(err, ErrQueueDoesNotExist) {
		t.Fatalf("missing queue: %v", err)
	}
}
