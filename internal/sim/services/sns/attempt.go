package sns

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// snsPrincipal is the service principal SNS delivers as; a Lambda function needs a permission
// for it (lambda:AddPermission Principal=sns.amazonaws.com SourceArn=<topic ARN>).
const snsPrincipal = "sns.amazonaws.com"

// maxRawSQSAttributes: "For SQS subscriptions, a maximum of 10 message attributes can be sent
// when Raw Message Delivery is enabled ... Messages with more than 10 message attributes directed
// towards Raw Message Delivery enabled Amazon SQS subscriptions will be discarded as client side
// errors" (sns-message-attributes).
const maxRawSQSAttributes = 10

// result is how one attempt ended.
type result struct {
	err       error
	permanent bool // a client-side error: SNS does not retry it
	status    int  // HTTP status, for HTTP/S
	note      string
}

// work is what an attempt needs, read from the store.
type work struct {
	topic *topic
	sub   *subscription
	msg   *message
}

// attempt makes one delivery attempt and records what follows: done, retry later, or failed.
func (s *Service) attempt(ctx context.Context, d *delivery) {
	w, reason, err := s.load(d)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("reading a pending delivery; trying again in a second", "delivery", d.Key, "error", err)
			d.NextAt = s.cfg.Clock.Now().Add(time.Second)
			s.sched.retry(d)
		}
		return
	}
	if reason != "" {
		s.finish(d, w, OutcomeDropped, result{note: reason})
		return
	}
	res := s.send(ctx, d, w)
	if ctx.Err() != nil && res.err != nil {
		return // shutting down: the delivery stays pending in the store
	}
	d.Attempts++
	switch {
	case res.err == nil:
		s.finish(d, w, OutcomeDelivered, res)
		return
	case res.permanent:
		s.finish(d, w, OutcomeFailed, res)
		return
	}
	policy := s.policyFor(d, w)
	delay, ok := policy.delay(d.Attempts)
	if !ok {
		res.note = fmt.Sprintf("gave up after %d attempts", d.Attempts)
		s.finish(d, w, OutcomeFailed, res)
		return
	}
	d.NextAt = s.cfg.Clock.Now().Add(delay)
	d.LastError = res.err.Error()
	if err := s.cfg.Store.Update(func(tx *store.Tx) error { return tx.Put(bucketDeliveries, d.Key, d) }); err != nil {
		s.log.Error("storing a delivery retry", "delivery", d.Key, "error", err)
	}
	s.log.Debug("delivery attempt failed; retrying", "subscription", d.SubARN, "protocol", d.Protocol,
		"attempt", d.Attempts, "retryIn", delay, "error", res.err)
	s.sched.retry(d)
}

// load reads the topic, subscription and message of d. A non-empty reason means the delivery is
// moot (its subscription or topic is gone, or a confirmation is no longer needed).
func (s *Service) load(d *delivery) (work, string, error) {
	var (
		w      work
		reason string
	)
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		t, err := getTopic(tx, d.TopicARN)
		if err != nil {
			if d.Kind == kindDeadLetter {
				t = &topic{ARN: d.TopicARN, Attributes: map[string]string{}}
			} else if isNotFound(err) {
				reason = "the topic was deleted"
				return nil
			} else {
				return err
			}
		}
		w.topic = t
		if d.Kind == kindDeadLetter {
			return nil
		}
		sub, err := getSubscription(tx, d.SubARN)
		switch {
		case isNotFound(err):
			reason = "the subscription was deleted"
			return nil
		case err != nil:
			return err
		}
		w.sub = sub
		if d.Kind == kindConfirmation {
			if !sub.Pending || sub.Token != d.Token {
				reason = "the subscription no longer awaits this confirmation"
			}
			return nil
		}
		var m message
		if err := tx.Get(bucketMessages, d.MessageID, &m); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				reason = "the message record is missing"
				return nil
			}
			return err
		}
		w.msg = &m
		return nil
	})
	return w, reason, err
}

// isNotFound reports a topic's or subscription's NotFound from getTopic/getSubscription.
func isNotFound(err error) bool {
	var e *awswire.Error
	return errors.As(err, &e) && e.Code == "NotFound"
}

// policyFor is the retry policy of a delivery: fixed toward SQS and Lambda, configurable toward
// HTTP/S (confirmation requests included).
func (s *Service) policyFor(d *delivery, w work) retryPolicy {
	if d.Protocol == "http" || d.Protocol == "https" {
		p, _ := httpPolicy(w.topic, w.sub)
		return p
	}
	return managedPolicy
}

// send makes the attempt.
func (s *Service) send(ctx context.Context, d *delivery, w work) result {
	switch d.Kind {
	case kindConfirmation:
		return s.postHTTP(ctx, d, w, s.confirmationEnvelope(w.topic, d, s.cfg.Clock.Now()), kindConfirmation, d.ConfirmID, false)
	case kindDeadLetter:
		return s.deliverBus(ctx, deliver.Message{
			TargetARN: d.Endpoint, Body: d.Payload, Attributes: d.PayloadAttrs,
			Principal: snsPrincipal, SourceARN: d.TopicARN, SourceAccount: s.cfg.AccountID,
		})
	}
	body, attrs := s.payload(w.topic, w.sub, w.msg)
	switch d.Protocol {
	case "sqs":
		if len(attrs) > maxRawSQSAttributes {
			return result{err: fmt.Errorf("%d message attributes: raw message delivery to SQS sends at most %d", len(attrs), maxRawSQSAttributes), permanent: true}
		}
		m := deliver.Message{
			TargetARN: d.Endpoint, Body: body, Attributes: attrs,
			Principal: snsPrincipal, SourceARN: d.TopicARN, SourceAccount: s.cfg.AccountID,
		}
		// FIFO topics pass the group and deduplication id on; standard topics forward a
		// MessageGroupId to standard queues only (SQS fair queues).
		m.MessageGroupID = w.msg.GroupID
		if w.topic.FIFO {
			m.DeduplicationID = w.msg.DedupID
		}
		return s.deliverBus(ctx, m)
	case "lambda":
		return s.deliverBus(ctx, deliver.Message{
			TargetARN: d.Endpoint, Body: body,
			Principal: snsPrincipal, SourceARN: d.TopicARN, SourceAccount: s.cfg.AccountID,
		})
	default:
		return s.postHTTP(ctx, d, w, body, kindNotification, w.msg.ID, w.sub.Attributes["RawMessageDelivery"] == "true")
	}
}

// payload is the body (and, for raw delivery to SQS, the attributes) a subscription receives.
func (s *Service) payload(t *topic, sub *subscription, m *message) ([]byte, map[string]deliver.Attribute) {
	text := messageFor(m, sub.Protocol)
	if sub.Attributes["RawMessageDelivery"] == "true" {
		var attrs map[string]deliver.Attribute
		if sub.Protocol == "sqs" && m.Structure != "json" {
			attrs = toDeliverAttributes(m.Attrs)
		}
		return []byte(text), attrs
	}
	n := s.buildNotification(t, m, sub.ARN, text)
	if sub.Protocol == "lambda" {
		return n.lambdaEvent(sub.ARN), nil
	}
	return n.envelope(), nil
}

// deliverBus hands a message to SQS or Lambda. A target that does not exist or whose policy
// denies SNS is a client-side error: SNS does not retry those.
func (s *Service) deliverBus(ctx context.Context, m deliver.Message) result {
	err := s.cfg.Bus.Deliver(ctx, m)
	if err == nil {
		return result{}
	}
	return result{err: err, permanent: errors.Is(err, deliver.ErrNoTarget) || errors.Is(err, deliver.ErrDenied)}
}

// postHTTP POSTs to an HTTP/S endpoint with SNS's headers. "If your endpoint does not respond
// before the connection times out or if your endpoint returns a status code outside the range of
// 200–4xx, Amazon SNS will consider the delivery of the message as a failed attempt"
// (SendMessageToHttp.prepare): 2xx-4xx end the delivery, anything else is retried.
func (s *Service) postHTTP(ctx context.Context, d *delivery, w work, body []byte, msgType, msgID string, raw bool) result {
	if !isLoopbackEndpoint(d.Endpoint) {
		return result{err: fmt.Errorf("endpoint %s is not a loopback address", d.Endpoint), permanent: true}
	}
	_, contentType := httpPolicy(w.topic, w.sub)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.Endpoint, bytes.NewReader(body))
	if err != nil {
		return result{err: err, permanent: true}
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("User-Agent", "Amazon Simple Notification Service Agent")
	req.Header.Set("x-amz-sns-message-type", msgType)
	req.Header.Set("x-amz-sns-message-id", msgID)
	req.Header.Set("x-amz-sns-topic-arn", d.TopicARN)
	if msgType != kindConfirmation {
		req.Header.Set("x-amz-sns-subscription-arn", d.SubARN)
	}
	if raw {
		req.Header.Set("x-amz-sns-rawdelivery", "true")
	}
	resp, err := s.http.Do(req)
	if err != nil {
		return result{err: err}
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	res := result{status: resp.StatusCode}
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
	case resp.StatusCode >= 400 && resp.StatusCode < 500:
		res.note = fmt.Sprintf("the endpoint answered %d; SNS counts 4xx as delivered and does not retry", resp.StatusCode)
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		res.err = fmt.Errorf("the endpoint answered HTTP %d (redirects are not followed)", resp.StatusCode)
	default:
		res.err = fmt.Errorf("the endpoint answered HTTP %d", resp.StatusCode)
	}
	return res
}

func isLoopbackEndpoint(endpoint string) bool {
	return checkHTTPEndpoint(strings.SplitN(endpoint, ":", 2)[0], endpoint) == nil
}

// finish records a delivery's outcome and removes it from the store, in one transaction. A
// notification that failed on a subscription with a redrive policy becomes a delivery to its
// dead-letter queue instead.
func (s *Service) finish(d *delivery, w work, outcome string, res result) {
	now := s.cfg.Clock.Now().UTC()
	rec := &DeliveryRecord{
		Time: now, Kind: d.Kind, MessageID: d.MessageID, TopicARN: d.TopicARN, SubscriptionARN: d.SubARN,
		Protocol: d.Protocol, Endpoint: d.Endpoint, Outcome: outcome, Attempts: d.Attempts, StatusCode: res.status,
	}
	switch {
	case res.err != nil:
		rec.Error = res.err.Error()
		if res.note != "" {
			rec.Error += " (" + res.note + ")"
		}
	case res.note != "":
		rec.Error = res.note
	}
	if d.Kind == kindConfirmation {
		rec.MessageID = d.ConfirmID
	}
	var dlq *delivery
	if outcome == OutcomeFailed && d.Kind == kindNotification && w.sub != nil && w.msg != nil {
		if arn := redriveTarget(w.sub); arn != "" {
			body, attrs := s.payload(w.topic, w.sub, w.msg)
			if w.sub.Protocol == "lambda" {
				body = s.buildNotification(w.topic, w.msg, w.sub.ARN, messageFor(w.msg, "lambda")).envelope()
			}
			rec.DeadLetterARN = arn
			dlq = &delivery{
				Kind: kindDeadLetter, MessageID: d.MessageID, TopicARN: d.TopicARN, SubARN: d.SubARN,
				Protocol: "sqs", Endpoint: arn, NextAt: now, Payload: body, PayloadAttrs: attrs,
			}
		}
	}
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		if err := tx.Delete(bucketDeliveries, d.Key); err != nil {
			return err
		}
		if d.Kind == kindNotification {
			if err := releaseMessage(tx, d.MessageID); err != nil {
				return err
			}
		}
		if dlq != nil {
			if err := putNewDelivery(tx, dlq); err != nil {
				return err
			}
		}
		if err := appendLog(tx, rec); err != nil {
			return err
		}
		if d.Kind != kindNotification || !tx.Has(bucketTopics, d.TopicARN) {
			return nil
		}
		return addStats(tx, d.TopicARN, func(st *TopicStats) {
			switch outcome {
			case OutcomeDelivered:
				st.NotificationsDelivered++
			case OutcomeFailed:
				st.NotificationsFailed++
			default:
				st.NotificationsDropped++
			}
		})
	})
	if err != nil {
		s.log.Error("recording a delivery outcome", "delivery", d.Key, "error", err)
		return
	}
	s.sched.done(d)
	if dlq != nil {
		s.sched.add(dlq)
	}
	attrs := []any{"kind", d.Kind, "topic", d.TopicARN, "subscription", d.SubARN, "protocol", d.Protocol,
		"endpoint", d.Endpoint, "messageId", rec.MessageID, "attempts", d.Attempts}
	if rec.Error != "" {
		attrs = append(attrs, "error", rec.Error)
	}
	if rec.DeadLetterARN != "" {
		attrs = append(attrs, "deadLetterQueue", rec.DeadLetterARN)
	}
	switch outcome {
	case OutcomeDelivered:
		s.log.Debug("delivered", attrs...)
	case OutcomeFailed:
		s.log.Warn("delivery failed", attrs...)
	default:
		s.log.Info("delivery dropped", attrs...)
	}
}

// releaseMessage counts one delivery of a message as finished and deletes the message after its
// last one.
func releaseMessage(tx *store.Tx, id string) error {
	var m message
	if err := tx.Get(bucketMessages, id, &m); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	}
	m.Remaining--
	if m.Remaining <= 0 {
		return tx.Delete(bucketMessages, id)
	}
	return tx.Put(bucketMessages, id, &m)
}

// redriveTarget is the dead-letter queue of a subscription's RedrivePolicy, or "".
func redriveTarget(sub *subscription) string {
	var rp struct {
		DeadLetterTargetARN string `json:"deadLetterTargetArn"`
	}
	if json.Unmarshal([]byte(sub.Attributes["RedrivePolicy"]), &rp) != nil {
		return ""
	}
	return rp.DeadLetterTargetARN
}
