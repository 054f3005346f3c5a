package sqs

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

func (e *env) sendFIFO(url, body, group, dedup string) *awssqs.SendMessageOutput {
	e.t.Helper()
	in := &awssqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(body), MessageGroupId: aws.String(group)}
	if dedup != "" {
		in.MessageDeduplicationId = aws.String(dedup)
	}
	out, err := e.client.SendMessage(ctx(e.t), in)
	if err != nil {
		e.t.Fatalf("SendMessage %s: %v", body, err)
	}
	return out
}

func TestSQS_FIFOGroupOrderAndLocking(t *testing.T) {
	e := newEnv(t, envOptions{})
	url := e.createQueue("jobs.fifo", map[string]string{"FifoQueue": "true", "VisibilityTimeout": "30"})
	var seqs []string
	for i := range 3 {
		seqs = append(seqs, aws.ToString(e.sendFIFO(url, fmt.Sprint("a", i), "A", fmt.Sprint("a", i)).SequenceNumber))
	}
	e.sendFIFO(url, "b0", "B", "b0")
	e.sendFIFO(url, "a3", "A", "a3")
	if !(seqs[0] < seqs[1] && seqs[1] < seqs[2]) || len(seqs[0]) != 20 {
		t.Fatalf("sequence numbers %v", seqs)
	}

	// As many of one group as possible, in order.
	got := e.receive(url, 2).Messages
	if len(got) != 2 || aws.ToString(got[0].Body) != "a0" || aws.ToString(got[1].Body) != "a1" {
		t.Fatalf("first receive: %v", bodiesOf(got))
	}
	if got[0].Attributes["MessageGroupId"] != "A" || got[0].Attributes["MessageDeduplicationId"] != "a0" || got[0].Attributes["SequenceNumber"] != seqs[0] {
		t.Fatalf("FIFO attributes: %v", got[0].Attributes)
	}
	// Group A is locked while a0 and a1 are in flight: only B is receivable.
	next := e.receive(url, 10).Messages
	if len(next) != 1 || aws.ToString(next[0].Body) != "b0" {
		t.Fatalf("while A is in flight: %v", bodiesOf(next))
	}
	if _, err := e.client.DeleteMessage(ctx(t), &awssqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: next[0].ReceiptHandle}); err != nil {
		t.Fatal(err)
	}
	if got := e.receive(url, 10).Messages; len(got) != 0 {
		t.Fatalf("locked groups delivered %v", bodiesOf(got))
	}
	// Deleting a0 alone keeps A locked (a1 is still in flight).
	if _, err := e.client.DeleteMessage(ctx(t), &awssqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: got[0].ReceiptHandle}); err != nil {
		t.Fatal(err)
	}
	if got := e.receive(url, 10).Messages; len(got) != 0 {
		t.Fatalf("A unlocked with a1 in flight: %v", bodiesOf(got))
	}
	// a1's visibility expires: it comes back first, before a2, in order.
	e.clock.Advance(30 * time.Second)
	again := e.receive(url, 10).Messages
	if bs := bodiesOf(again); len(bs) != 3 || bs[0] != "a1" || bs[1] != "a2" || bs[2] != "a3" {
		t.Fatalf("after a1 expired: %v", bs)
	}
	if again[0].Attributes["ApproximateReceiveCount"] != "2" {
		t.Errorf("a1 receive count %s", again[0].Attributes["ApproximateReceiveCount"])
	}
	// FIFO: an expired handle cannot delete or change visibility.
	e.clock.Advance(31 * time.Second)
	_, err := e.client.DeleteMessage(ctx(t), &awssqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: again[0].ReceiptHandle})
	wantCode(t, err, "InvalidParameterValue")
	_, err = e.client.ChangeMessageVisibility(ctx(t), &awssqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(url), ReceiptHandle: again[0].ReceiptHandle, VisibilityTimeout: 10})
	wantCode(t, err, "InvalidParameterValue")
}

func bodiesOf(ms []sqstypes.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, aws.ToString(m.Body))
	}
	return out
}

func TestSQS_FIFODeduplication(t *testing.T) {
	e := newEnv(t, envOptions{})
	url := e.createQueue("dedup.fifo", map[string]string{"FifoQueue": "true"})
	first := e.sendFIFO(url, "pay 10", "acct", "tx-1")
	dup := e.sendFIFO(url, "pay 10", "acct", "tx-1")
	if aws.ToString(dup.MessageId) != aws.ToString(first.MessageId) || aws.ToString(dup.SequenceNumber) != aws.ToString(first.SequenceNumber) {
		t.Fatalf("duplicate answered %s/%s, original %s/%s", aws.ToString(dup.MessageId), aws.ToString(dup.SequenceNumber), aws.ToString(first.MessageId), aws.ToString(first.SequenceNumber))
	}
	// Deduplication holds after the message is received and deleted.
	got := e.receive(url, 10).Messages
	if len(got) != 1 {
		t.Fatalf("received %d copies", len(got))
	}
	if _, err := e.client.DeleteMessage(ctx(t), &awssqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: got[0].ReceiptHandle}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(4 * time.Minute)
	e.sendFIFO(url, "pay 10", "acct", "tx-1")
	if got := e.receive(url, 10).Messages; len(got) != 0 {
		t.Fatalf("duplicate within 5 minutes delivered: %v", bodiesOf(got))
	}
	// After five minutes the id is new again.
	e.clock.Advance(61 * time.Second)
	third := e.sendFIFO(url, "pay 10", "acct", "tx-1")
	if aws.ToString(third.MessageId) == aws.ToString(first.MessageId) {
		t.Fatal("deduplicated after the 5-minute interval")
	}
	if got := e.bodies(url, 10); len(got) != 1 {
		t.Fatalf("after 5 minutes: %v", got)
	}

	// In a batch, the second entry with the same id is a duplicate of the first.
	out, err := e.client.SendMessageBatch(ctx(t), &awssqs.SendMessageBatchInput{QueueUrl: aws.String(url), Entries: []sqstypes.SendMessageBatchRequestEntry{
		{Id: aws.String("1"), MessageBody: aws.String("x"), MessageGroupId: aws.String("g"), MessageDeduplicationId: aws.String("same")},
		{Id: aws.String("2"), MessageBody: aws.String("y"), MessageGroupId: aws.String("g"), MessageDeduplicationId: aws.String("same")},
	}})
	if err != nil || len(out.Successful) != 2 || aws.ToString(out.Successful[0].MessageId) != aws.ToString(out.Successful[1].MessageId) {
		t.Fatalf("batch dedup: %+v %v", out, err)
	}

	// Content-based deduplication: the SHA-256 of the body.
	cbd := e.createQueue("cbd.fifo", map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true"})
	e.sendFIFO(cbd, "same body", "g", "")
	e.sendFIFO(cbd, "same body", "g", "")
	e.sendFIFO(cbd, "other body", "g", "")
	got = e.receive(cbd, 10).Messages
	if len(got) != 2 || got[0].Attributes["MessageDeduplicationId"] != contentDeduplicationID("same body") {
		t.Fatalf("content-based: %v %v", bodiesOf(got), got[0].Attributes)
	}

	// Validation.
	_, err = e.client.SendMessage(ctx(t), &awssqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("x"), MessageDeduplicationId: aws.String("d")})
	wantCode(t, err, "MissingParameter")
	_, err = e.client.SendMessage(ctx(t), &awssqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("x"), MessageGroupId: aws.String("g")})
	wantCode(t, err, "InvalidParameterValue") // no dedup id, no content-based deduplication
	_, err = e.client.SendMessage(ctx(t), &awssqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("x"), MessageGroupId: aws.String("g"), MessageDeduplicationId: aws.String("d2"), DelaySeconds: 5})
	wantCode(t, err, "InvalidParameterValue") // no per-message delay in FIFO queues
}

func TestSQS_FIFODeduplicationScopeAndRetries(t *testing.T) {
	e := newEnv(t, envOptions{})
	url := e.createQueue("ht.fifo", map[string]string{"FifoQueue": "true", "DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"})
	e.sendFIFO(url, "one", "g1", "same")
	e.sendFIFO(url, "two", "g2", "same") // another group: not a duplicate with messageGroup scope
	if got := e.bodies(url, 10); len(got) != 2 {
		t.Fatalf("per-group dedup: %v", got)
	}
	_, err := e.client.CreateQueue(ctx(t), &awssqs.CreateQueueInput{QueueName: aws.String("bad.fifo"), Attributes: map[string]string{
		"FifoQueue": "true", "FifoThroughputLimit": "perMessageGroupId",
	}})
	wantCode(t, err, "InvalidAttributeValue")

	// ReceiveRequestAttemptId: a retry within the visibility timeout answers the same messages
	// and receipt handles.
	q2 := e.createQueue("retry.fifo", map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true"})
	e.sendFIFO(q2, "m1", "g", "")
	e.sendFIFO(q2, "m2", "h", "")
	in := &awssqs.ReceiveMessageInput{QueueUrl: aws.String(q2), MaxNumberOfMessages: 1, ReceiveRequestAttemptId: aws.String("attempt-1")}
	a, err := e.client.ReceiveMessage(ctx(t), in)
	if err != nil || len(a.Messages) != 1 {
		t.Fatal(a, err)
	}
	b, err := e.client.ReceiveMessage(ctx(t), in)
	if err != nil || len(b.Messages) != 1 || aws.ToString(b.Messages[0].ReceiptHandle) != aws.ToString(a.Messages[0].ReceiptHandle) {
		t.Fatalf("retry answered %v, first %v", bodiesOf(b.Messages), bodiesOf(a.Messages))
	}
	// A new attempt id gets the other group.
	c, err := e.client.ReceiveMessage(ctx(t), &awssqs.ReceiveMessageInput{QueueUrl: aws.String(q2), ReceiveRequestAttemptId: aws.String("attempt-2")})
	if err != nil || len(c.Messages) != 1 || aws.ToString(c.Messages[0].Body) == aws.ToString(a.Messages[0].Body) {
		t.Fatalf("second attempt: %v %v", bodiesOf(c.Messages), err)
	}
}

func TestSQS_FIFOQueueDelayIsRetroactive(t *testing.T) {
	e := newEnv(t, envOptions{})
	url := e.createQueue("slow.fifo", map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true", "DelaySeconds": "60"})
	e.sendFIFO(url, "m", "g", "")
	if got := e.bodies(url, 1); len(got) != 0 {
		t.Fatal("delayed FIFO message received")
	}
	if _, err := e.client.SetQueueAttributes(ctx(t), &awssqs.SetQueueAttributesInput{QueueUrl: aws.String(url), Attributes: map[string]string{"DelaySeconds": "0"}}); err != nil {
		t.Fatal(err)
	}
	if got := e.bodies(url, 1); len(got) != 1 {
		t.Fatal("FIFO queue delay not retroactive")
	}
}
