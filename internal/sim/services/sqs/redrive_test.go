package sqs

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
)

func redrive(arn string, n int) string {
	return fmt.Sprintf(`{"deadLetterTargetArn":%q,"maxReceiveCount":"%d"}`, arn, n)
}

func TestSQS_redriveToDeadLetterQueue(t *testing.T) {
	e := newEnv(t, envOptions{})
	dlq := e.createQueue("work-dlq", map[string]string{"MessageRetentionPeriod": "1209600"})
	dlqARN := e.arn(dlq)
	src := e.createQueue("work", map[string]string{"VisibilityTimeout": "10", "RedrivePolicy": redrive(dlqARN, 2)})
	// AWS answers the policy in its compact form, the count a number.
	if got := e.attributes(src)["RedrivePolicy"]; got != fmt.Sprintf(`{"deadLetterTargetArn":%q,"maxReceiveCount":2}`, dlqARN) {
		t.Fatalf("RedrivePolicy = %s", got)
	}
	sent := e.send(src, "poison")
	e.send(src, "fine")

	for i := 1; i <= 2; i++ {
		got := e.receive(src, 1).Messages
		if len(got) != 1 || aws.ToString(got[0].Body) != "poison" || got[0].Attributes["ApproximateReceiveCount"] != fmt.Sprint(i) {
			t.Fatalf("receive %d: %+v", i, got)
		}
		e.clock.Advance(10 * time.Second)
	}
	// The third receive would exceed maxReceiveCount 2: the message moves instead, and the
	// receive goes on to the next message.
	got := e.receive(src, 1).Messages
	if len(got) != 1 || aws.ToString(got[0].Body) != "fine" {
		t.Fatalf("third receive: %v", bodiesOf(got))
	}
	if a := e.attributes(dlq); a["ApproximateNumberOfMessages"] != "1" {
		t.Fatalf("DLQ counts: %v", a)
	}
	moved := e.receive(dlq, 10).Messages
	if len(moved) != 1 {
		t.Fatalf("DLQ has %d messages", len(moved))
	}
	m := moved[0]
	if aws.ToString(m.MessageId) != aws.ToString(sent.MessageId) || aws.ToString(m.Body) != "poison" {
		t.Fatalf("moved message: %+v", m)
	}
	if m.Attributes["DeadLetterQueueSourceArn"] != e.arn(src) || m.Attributes["ApproximateReceiveCount"] != "3" ||
		m.Attributes["SentTimestamp"] != fmt.Sprint(testStart.UnixMilli()) {
		t.Fatalf("moved attributes: %v", m.Attributes)
	}

	list, err := e.client.ListDeadLetterSourceQueues(ctx(t), &awssqs.ListDeadLetterSourceQueuesInput{QueueUrl: aws.String(dlq)})
	if err != nil || len(list.QueueUrls) != 1 || !strings.HasSuffix(list.QueueUrls[0], "/work") {
		t.Fatalf("ListDeadLetterSourceQueues: %v %v", list, err)
	}

	// Validation of the policy.
	for _, policy := range []string{
		`not json`,
		`{"maxReceiveCount":3}`,
		fmt.Sprintf(`{"deadLetterTargetArn":%q}`, dlqARN),
		redrive(dlqARN, 0),
		redrive(dlqARN, 1001),
		redrive("arn:aws:sqs:us-east-1:000000000000:missing", 3),
	} {
		_, err := e.client.SetQueueAttributes(ctx(t), &awssqs.SetQueueAttributesInput{QueueUrl: aws.String(src), Attributes: map[string]string{"RedrivePolicy": policy}})
		wantCode(t, err, "InvalidParameterValue")
	}
	fifoDLQ := e.createQueue("f-dlq.fifo", map[string]string{"FifoQueue": "true"})
	_, err = e.client.SetQueueAttributes(ctx(t), &awssqs.SetQueueAttributesInput{QueueUrl: aws.String(src), Attributes: map[string]string{"RedrivePolicy": redrive(e.arn(fifoDLQ), 3)}})
	wantCode(t, err, "InvalidParameterValue") // a standard queue needs a standard DLQ
	// An empty policy removes redrive.
	if _, err := e.client.SetQueueAttributes(ctx(t), &awssqs.SetQueueAttributesInput{QueueUrl: aws.String(src), Attributes: map[string]string{"RedrivePolicy": ""}}); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.attributes(src)["RedrivePolicy"]; ok {
		t.Fatal("RedrivePolicy still set")
	}
}

func TestSQS_redriveFIFO(t *testing.T) {
	e := newEnv(t, envOptions{})
	dlq := e.createQueue("f-dlq.fifo", map[string]string{"FifoQueue": "true", "MessageRetentionPeriod": "60"})
	src := e.createQueue("f.fifo", map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true",
		"VisibilityTimeout": "5", "MessageRetentionPeriod": "60", "RedrivePolicy": redrive(e.arn(dlq), 1)})
	e.sendFIFO(src, "first", "g", "")
	e.sendFIFO(src, "second", "g", "")
	if got := e.bodies(src, 1); len(got) != 1 || got[0] != "first" {
		t.Fatalf("first receive: %v", got)
	}
	e.clock.Advance(50 * time.Second)
	// "first" moves to the DLQ; "second" is next in its group.
	if got := e.bodies(src, 10); len(got) != 1 || got[0] != "second" {
		t.Fatalf("after the move: %v", got)
	}
	// A FIFO DLQ resets the enqueue time: 50 s after the send, the message has 60 s from the move.
	e.clock.Advance(30 * time.Second)
	moved := e.receive(dlq, 10).Messages
	if len(moved) != 1 || moved[0].Attributes["MessageGroupId"] != "g" || moved[0].Attributes["SequenceNumber"] == "" {
		t.Fatalf("FIFO DLQ: %+v", moved)
	}
}
