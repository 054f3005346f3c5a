package sns

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
)

func envelopeOf(t *testing.T, m deliver.Message) map[string]string {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(m.Body, &raw); err != nil {
		t.Fatalf("not an envelope: %s", m.Body)
	}
	env := map[string]string{}
	for k, v := range raw {
		var s string
		if json.Unmarshal(v, &s) == nil {
			env[k] = s
		} else {
			env[k] = string(v)
		}
	}
	return env
}

// TestSNS_fifoOrderingAndDedup: within a message group deliveries keep publish order even when
// one of them needs retries; other groups are not held up; repeats within five minutes are
// accepted but not delivered again.
func TestSNS_fifoOrderingAndDedup(t *testing.T) {
	h := newHarness(t)
	h.sqs.setFail(func(_ int, m deliver.Message) error {
		if strings.Contains(string(m.Body), `"Message" : "g1-1"`) && h.sqs.countBody(`"Message" : "g1-1"`) <= 4 {
			return errors.New("queue busy")
		}
		return nil
	})
	topicARN := h.createTopic(t, "orders.fifo", map[string]string{"FifoTopic": "true"})
	h.subscribe(t, topicARN, "sqs", queueARN("orders.fifo"), nil)

	publish := func(body, group, dedup string) *sns.PublishOutput {
		t.Helper()
		out, err := h.client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topicARN), Message: aws.String(body),
			MessageGroupId: aws.String(group), MessageDeduplicationId: aws.String(dedup)})
		if err != nil {
			t.Fatalf("Publish %s: %v", body, err)
		}
		return out
	}
	var seqs []string
	first := publish("g1-1", "g1", "d1")
	seqs = append(seqs, aws.ToString(first.SequenceNumber))
	h.sqs.waitCalls(t, 4) // g1-1: first attempt and three immediate retries, all failed
	h.waitPending(t)      // its next retry is a second away
	for i := 2; i <= 4; i++ {
		out := publish(fmt.Sprintf("g1-%d", i), "g1", fmt.Sprintf("d%d", i))
		seqs = append(seqs, aws.ToString(out.SequenceNumber))
	}
	publish("g2-1", "g2", "e1")
	// Only g2-1 goes through: g1 waits for g1-1.
	got := h.sqs.waitCalls(t, 5)
	h.sqs.never(t, 5)
	if env := envelopeOf(t, got[4]); env["Message"] != "g2-1" {
		t.Fatalf("fifth delivery is %q, want g2-1", env["Message"])
	}
	// A repeat of d3 within the interval is accepted, answers the first message, and is not delivered.
	dup := publish("g1-3 again", "g1", "d3")
	h.clk.Advance(time.Second)
	got = h.sqs.waitCalls(t, 9)
	h.sqs.never(t, 9)
	var order []string
	for _, m := range got[5:] {
		env := envelopeOf(t, m)
		order = append(order, env["Message"])
		if m.MessageGroupID != "g1" || m.DeduplicationID == "" {
			t.Errorf("FIFO delivery without group/dedup id: %+v", m)
		}
		if env["SequenceNumber"] == "" || env["Signature"] != "" {
			t.Errorf("FIFO envelope: %v", env)
		}
	}
	if strings.Join(order, ",") != "g1-1,g1-2,g1-3,g1-4" {
		t.Fatalf("group g1 delivered in order %v", order)
	}
	for i := 1; i < len(seqs); i++ {
		if len(seqs[i]) != 20 || seqs[i] <= seqs[i-1] {
			t.Fatalf("sequence numbers %v do not increase", seqs)
		}
	}
	if aws.ToString(dup.SequenceNumber) != seqs[2] {
		t.Errorf("the duplicate answered sequence number %s, want the first message's %s", aws.ToString(dup.SequenceNumber), seqs[2])
	}

	// After five minutes the same id is a new message.
	h.clk.Advance(5 * time.Minute)
	again := publish("g1-3 later", "g1", "d3")
	if aws.ToString(again.MessageId) == aws.ToString(dup.MessageId) {
		t.Error("a deduplication id was remembered beyond five minutes")
	}
	h.sqs.waitCalls(t, 10)
}

func (r *receiver) countBody(substr string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, m := range r.got {
		if strings.Contains(string(m.Body), substr) {
			n++
		}
	}
	return n
}

func TestSNS_fifoValidationAndContentDedup(t *testing.T) {
	h := newHarness(t)
	fifo := h.createTopic(t, "f.fifo", map[string]string{"FifoTopic": "true"})
	cbd := h.createTopic(t, "cbd.fifo", map[string]string{"FifoTopic": "true", "ContentBasedDeduplication": "true"})
	std := h.createTopic(t, "std", nil)
	for _, in := range []*sns.PublishInput{
		{TopicArn: aws.String(fifo), Message: aws.String("no group"), MessageDeduplicationId: aws.String("d")},
		{TopicArn: aws.String(fifo), Message: aws.String("no dedup id"), MessageGroupId: aws.String("g")},
		{TopicArn: aws.String(std), Message: aws.String("dedup on standard"), MessageDeduplicationId: aws.String("d")},
	} {
		_, err := h.client.Publish(ctx, in)
		var ip *types.InvalidParameterException
		if !errors.As(err, &ip) {
			t.Errorf("Publish %q: %v, want InvalidParameterException", aws.ToString(in.Message), err)
		}
	}
	h.subscribe(t, cbd, "sqs", queueARN("c.fifo"), nil)
	var ids []string
	for range 2 {
		out, err := h.client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(cbd), Message: aws.String("same body"), MessageGroupId: aws.String("g")})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, aws.ToString(out.MessageId))
	}
	if ids[0] != ids[1] {
		t.Errorf("content-based deduplication gave two message ids: %v", ids)
	}
	h.sqs.waitCalls(t, 1)
	h.sqs.never(t, 1)
	// A MessageGroupId on a standard topic is accepted (it is forwarded to SQS fair queues).
	h.subscribe(t, std, "sqs", queueARN("fair"), nil)
	if _, err := h.client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(std), Message: aws.String("m"), MessageGroupId: aws.String("tenant-1")}); err != nil {
		t.Fatal(err)
	}
	if m := h.sqs.waitCalls(t, 2)[1]; m.MessageGroupID != "tenant-1" || m.DeduplicationID != "" {
		t.Errorf("standard topic to standard queue: %+v", m)
	}
}
