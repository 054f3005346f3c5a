package sqs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
)

// The Go API for the simulator's own consumers: Lambda's event source mapping polls queues the way
// AWS's pollers do, internally and not over HTTP, but with exactly the semantics of the wire API
// (visibility timeouts, receive counts, redrive, FIFO group locking, durable state).

// ErrQueueDoesNotExist means the ARN names no queue (never created, or deleted).
var ErrQueueDoesNotExist = errors.New("sqs: queue does not exist")

// QueueInfo describes a queue to a poller.
type QueueInfo struct {
	ARN               string
	URL               string
	Name              string
	FIFO              bool
	VisibilityTimeout time.Duration
	// ReceiveWaitTime is the queue's ReceiveMessageWaitTimeSeconds.
	ReceiveWaitTime time.Duration
	// MaxReceiveCount and DeadLetterTargetARN are the redrive policy (zero values without one).
	MaxReceiveCount     int
	DeadLetterTargetARN string
}

// LookupQueue describes the queue named by queueARN.
func (s *Service) LookupQueue(queueARN string) (QueueInfo, error) {
	q := s.queueByARN(queueARN)
	if q == nil {
		return QueueInfo{}, fmt.Errorf("%w: %s", ErrQueueDoesNotExist, queueARN)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.deleted {
		return QueueInfo{}, fmt.Errorf("%w: %s", ErrQueueDoesNotExist, queueARN)
	}
	info := QueueInfo{
		ARN: q.arn, URL: s.queueURL(q), Name: q.name, FIFO: q.fifo,
		VisibilityTimeout: time.Duration(q.cfg.visibility) * time.Second,
		ReceiveWaitTime:   time.Duration(q.cfg.wait) * time.Second,
	}
	if rp := q.cfg.redrive; rp != nil {
		info.MaxReceiveCount, info.DeadLetterTargetARN = rp.MaxReceiveCount, rp.DeadLetterTargetARN
	}
	return info, nil
}

// ReceiveInternal receives up to n messages (at least 1) from the queue, waiting up to wait on
// the service's clock for the first to arrive, with the queue's visibility timeout. Messages carry
// every system attribute (ApproximateReceiveCount, SentTimestamp, SenderId,
// ApproximateFirstReceiveTimestamp, and for FIFO MessageGroupId, MessageDeduplicationId,
// SequenceNumber) and every message attribute, as Lambda's SQS event needs them. An empty slice
// means nothing arrived in time; when ctx ends first, ctx's error is returned.
func (s *Service) ReceiveInternal(ctx context.Context, queueARN string, n int, wait time.Duration) ([]Message, error) {
	q := s.queueByARN(queueARN)
	if q == nil {
		return nil, fmt.Errorf("%w: %s", ErrQueueDoesNotExist, queueARN)
	}
	p := receiveParams{max: max(n, 1), visibility: -1, wait: wait, sysNames: []string{"All"}, attrNames: []string{"All"}}
	msgs, e := s.receive(ctx, q, p)
	if e != nil {
		return nil, internalError(queueARN, e)
	}
	if len(msgs) == 0 && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return msgs, nil
}

// DeleteInternal deletes the message received with receiptHandle, with DeleteMessage's rules.
func (s *Service) DeleteInternal(queueARN, receiptHandle string) error {
	q := s.queueByARN(queueARN)
	if q == nil {
		return fmt.Errorf("%w: %s", ErrQueueDoesNotExist, queueARN)
	}
	errs, e := s.deleteHandles(q, []string{receiptHandle})
	if e != nil {
		return internalError(queueARN, e)
	}
	return internalError(queueARN, errs[0])
}

// ChangeVisibilityInternal sets the visibility timeout of a received message to timeout from now
// (whole seconds, 0 to 12 hours), with ChangeMessageVisibility's rules; 0 makes it visible at once.
func (s *Service) ChangeVisibilityInternal(queueARN, receiptHandle string, timeout time.Duration) error {
	q := s.queueByARN(queueARN)
	if q == nil {
		return fmt.Errorf("%w: %s", ErrQueueDoesNotExist, queueARN)
	}
	errs, e := s.changeVisibility(q, []string{receiptHandle}, []int64{int64(timeout / time.Second)})
	if e != nil {
		return internalError(queueARN, e)
	}
	return internalError(queueARN, errs[0])
}

// internalError turns an AWS error into a Go error; a missing queue wraps ErrQueueDoesNotExist.
func internalError(queueARN string, e *awswire.Error) error {
	switch {
	case e == nil:
		return nil
	case e.Code == "QueueDoesNotExist":
		return fmt.Errorf("%w: %s", ErrQueueDoesNotExist, queueARN)
	default:
		return e
	}
}

// Receive implements deliver.Receiver: it stores a message another service delivers (an SNS
// subscription, an S3 notification, an EventBridge target, a Lambda destination or DLQ) into the
// queue named by m.TargetARN, with SendMessage's validation. A FIFO queue needs m.MessageGroupID and
// either m.DeduplicationID or content-based deduplication. A missing queue is deliver.ErrNoTarget.
func (s *Service) Receive(ctx context.Context, m deliver.Message) error {
	q := s.queueByARN(m.TargetARN)
	if q == nil {
		return fmt.Errorf("%w: queue %s", deliver.ErrNoTarget, m.TargetARN)
	}
	body := string(m.Body)
	p := sendParams{body: &body, sender: s.cfg.AccountID}
	if len(m.Attributes) > 0 {
		p.attrs = MessageBodyAttributeMap{}
		for name, a := range m.Attributes {
			p.attrs[name] = MessageAttributeValue{DataType: a.DataType, StringValue: a.StringValue, BinaryValue: a.BinaryValue}
		}
	}
	if m.MessageGroupID != "" {
		group := m.MessageGroupID
		p.groupID = &group
	}
	if m.DeduplicationID != "" && q.fifo {
		dedup := m.DeduplicationID
		p.dedupID = &dedup
	}
	it, e := s.prepare(q, p)
	if e != nil {
		return fmt.Errorf("delivering to %s: %w", m.TargetARN, e)
	}
	if e := s.enqueue(ctx, q, []*outgoing{it}); e != nil {
		if e.Code == "QueueDoesNotExist" {
			return fmt.Errorf("%w: queue %s", deliver.ErrNoTarget, m.TargetARN)
		}
		return fmt.Errorf("delivering to %s: %w", m.TargetARN, e)
	}
	return nil
}
