package sqs

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Everything acknowledged survives a restart: queues, messages, in-flight state (receive counts,
// visibility deadlines, receipt handles), delays, FIFO deduplication and sequence numbers.
func TestSQS_restart(t *testing.T) {
	dir := t.TempDir()
	clk := clock.NewManual(testStart)

	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, envOptions{store: st, clock: clk})
	url := e.createQueue("durable", map[string]string{"VisibilityTimeout": "60"})
	fifo := e.createQueue("durable.fifo", map[string]string{"FifoQueue": "true"})
	if _, err := e.client.TagQueue(ctx(t), &awssqs.TagQueueInput{QueueUrl: aws.String(url), Tags: map[string]string{"k": "v"}}); err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{"m1", "m2", "m3"} {
		e.send(url, b)
	}
	inflight := e.receive(url, 1).Messages
	if len(inflight) != 1 || aws.ToString(inflight[0].Body) != "m1" {
		t.Fatalf("receive before restart: %v", bodiesOf(inflight))
	}
	if _, err := e.client.SendMessage(ctx(t), &awssqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("later"), DelaySeconds: 30}); err != nil {
		t.Fatal(err)
	}
	e.sendFIFO(fifo, "l1", "L", "l1")
	e.sendFIFO(fifo, "l2", "L", "l2")
	firstFIFO := e.sendFIFO(fifo, "f1", "g", "d1")
	if got := e.bodies(fifo, 1); len(got) != 1 || got[0] != "l1" {
		t.Fatalf("FIFO receive before restart: %v", got)
	}

	// Stop everything, as a crash after the answers would.
	e.svc.Close()
	e.srv.Close()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st2, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st2.Close() })
	e2 := newEnv(t, envOptions{store: st2, clock: clk})
	url2 := e2.srv.URL + "/000000000000/durable"
	fifo2 := e2.srv.URL + "/000000000000/durable.fifo"

	// The FIFO group with a message in flight stays locked across the restart.
	if got := e2.bodies(fifo2, 10); len(got) != 1 || got[0] != "f1" {
		t.Fatalf("FIFO after restart: %v", got)
	}

	a := e2.attributes(url2)
	if a["ApproximateNumberOfMessages"] != "2" || a["ApproximateNumberOfMessagesNotVisible"] != "1" || a["ApproximateNumberOfMessagesDelayed"] != "1" || a["VisibilityTimeout"] != "60" {
		t.Fatalf("after restart: %v", a)
	}
	tags, err := e2.client.ListQueueTags(ctx(t), &awssqs.ListQueueTagsInput{QueueUrl: aws.String(url2)})
	if err != nil || tags.Tags["k"] != "v" {
		t.Fatalf("tags after restart: %v %v", tags, err)
	}
	// The in-flight message stays hidden: no duplicate beyond at-least-once.
	if got := e2.bodies(url2, 10); len(got) != 2 || got[0] != "m2" || got[1] != "m3" {
		t.Fatalf("received after restart: %v", got)
	}
	// Its visibility deadline and receive count survived; so did the delay.
	clk.Advance(30 * time.Second)
	if got := e2.bodies(url2, 10); len(got) != 1 || got[0] != "later" {
		t.Fatalf("after the delay: %v", got)
	}
	clk.Advance(30 * time.Second)
	back := e2.receive(url2, 1).Messages
	if len(back) != 1 || aws.ToString(back[0].Body) != "m1" || back[0].Attributes["ApproximateReceiveCount"] != "2" {
		t.Fatalf("in-flight message after its timeout: %+v", back)
	}
	// A receipt handle issued before the restart still deletes (standard queue).
	if _, err := e2.client.DeleteMessage(ctx(t), &awssqs.DeleteMessageInput{QueueUrl: aws.String(url2), ReceiptHandle: inflight[0].ReceiptHandle}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Minute)
	if got := e2.bodies(url2, 10); len(got) != 3 {
		t.Fatalf("expected m2, m3, later back (m1 deleted): %v", got)
	}

	// FIFO: the deduplication id still holds and sequence numbers keep growing.
	dup := e2.sendFIFO(fifo2, "f1", "g", "d1")
	if aws.ToString(dup.MessageId) != aws.ToString(firstFIFO.MessageId) {
		t.Fatalf("dedup lost in restart: %s vs %s", aws.ToString(dup.MessageId), aws.ToString(firstFIFO.MessageId))
	}
	next := e2.sendFIFO(fifo2, "f2", "g", "d2")
	if aws.ToString(next.SequenceNumber) <= aws.ToString(firstFIFO.SequenceNumber) {
		t.Fatalf("sequence number went back: %s after %s", aws.ToString(next.SequenceNumber), aws.ToString(firstFIFO.SequenceNumber))
	}
	// Every visibility timeout has passed by now: both groups, each in order.
	if got := e2.bodies(fifo2, 10); len(got) != 4 || got[0] != "l1" || got[1] != "l2" || got[2] != "f1" || got[3] != "f2" {
		t.Fatalf("FIFO in the end: %v", got)
	}
}

// A long poll parked when the service stops returns, and one started after a restart is woken
// by the next send: nothing depends on timers from before the restart.
func TestSQS_closeEndsLongPolls(t *testing.T) {
	e := newEnv(t, envOptions{})
	url := e.createQueue("closing", nil)
	done := make(chan error, 1)
	go func() {
		_, err := e.client.ReceiveMessage(ctx(t), &awssqs.ReceiveMessageInput{QueueUrl: aws.String(url), WaitTimeSeconds: 20})
		done <- err
	}()
	waitPending(t, e.clock, 1)
	e.svc.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not end the long poll")
	}
}
