package sns

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"net/url"
	"regexp"
	"time"
	"unicode/utf8"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// PublishInput: https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
type PublishInput struct {
	TopicARN    string
	TargetARN   string
	PhoneNumber string
	Message     string
	// Subject is sent when HasSubject is true (an empty Subject is an error, a missing one is not).
	Subject                string
	HasSubject             bool
	MessageStructure       string
	MessageAttributes      map[string]attribute
	MessageGroupID         string
	MessageDeduplicationID string
}

// PublishResult is Publish's answer; SequenceNumber is set for FIFO topics only.
type PublishResult struct {
	XMLName        xml.Name `xml:"PublishResult"`
	MessageID      string   `xml:"MessageId"`
	SequenceNumber string   `xml:"SequenceNumber,omitempty"`
}

func decodePublish(form url.Values) (PublishInput, *awswire.Error) {
	in := PublishInput{
		TopicARN:               form.Get("TopicArn"),
		TargetARN:              form.Get("TargetArn"),
		PhoneNumber:            form.Get("PhoneNumber"),
		Message:                form.Get("Message"),
		MessageStructure:       form.Get("MessageStructure"),
		MessageGroupID:         form.Get("MessageGroupId"),
		MessageDeduplicationID: form.Get("MessageDeduplicationId"),
	}
	in.Subject, in.HasSubject = optional(form, "Subject")
	if _, ok := optional(form, "Message"); !ok {
		return in, errMissing("Message")
	}
	var e *awswire.Error
	in.MessageAttributes, e = queryMessageAttributes(form, "MessageAttributes")
	return in, e
}

// Publish stores a message and the deliveries it causes in one transaction, then answers; the
// delivery workers take it from there.
func (s *Service) Publish(_ context.Context, in PublishInput) (*PublishResult, *awswire.Error) {
	arn, e := publishTarget(in)
	if e != nil {
		return nil, e
	}
	return s.publishTo(arn, publishEntry{
		Message: in.Message, Subject: in.Subject, HasSubject: in.HasSubject, MessageStructure: in.MessageStructure,
		MessageAttributes: in.MessageAttributes, MessageGroupID: in.MessageGroupID, MessageDeduplicationID: in.MessageDeduplicationID,
	})
}

// publishTarget picks the topic of a Publish: TopicArn, or TargetArn when it names a topic.
// Phone numbers and mobile push endpoints are not served.
func publishTarget(in PublishInput) (string, *awswire.Error) {
	set := 0
	for _, v := range []string{in.TopicARN, in.TargetARN, in.PhoneNumber} {
		if v != "" {
			set++
		}
	}
	switch {
	case set == 0:
		return "", errInvalidParameter("TopicArn or TargetArn Reason: no value for required parameter")
	case set > 1:
		return "", errInvalidParameter("TargetArn Reason: Only one of TargetArn, TopicArn or PhoneNumber may be specified")
	case in.PhoneNumber != "":
		return "", errInvalidParameter("PhoneNumber Reason: the lambdatrigger simulator does not send SMS messages")
	case in.TopicARN != "":
		return in.TopicARN, checkTopicARN("TopicArn", in.TopicARN)
	}
	if p := arnParts(in.TargetARN); p != nil && p[2] == "sns" && len(p[5]) > 9 && p[5][:9] == "endpoint/" {
		return "", errInvalidParameter("TargetArn Reason: the lambdatrigger simulator does not deliver to mobile push endpoints")
	}
	return in.TargetARN, checkTopicARN("TargetArn", in.TargetARN)
}

// publishEntry is one message to publish (a Publish or one PublishBatch entry).
type publishEntry struct {
	Message                string
	Subject                string
	HasSubject             bool
	MessageStructure       string
	MessageAttributes      map[string]attribute
	MessageGroupID         string
	MessageDeduplicationID string
}

// dedupInterval: "the 5 minute minimum deduplication interval" (Publish API reference).
const dedupInterval = 5 * time.Minute

// idRE: MessageGroupId and MessageDeduplicationId are up to 128 alphanumeric and punctuation
// characters.
var idRE = regexp.MustCompile("^[A-Za-z0-9!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~]{1,128}$")

// validateEntry checks what can be checked without the topic.
func validateEntry(in *publishEntry) *awswire.Error {
	if in.Message == "" {
		return errInvalidParameter("Empty message")
	}
	if !utf8.ValidString(in.Message) || !xmlChars(in.Message) {
		return errInvalidParameter("Message Reason: the message must be UTF-8 text of the characters XML allows")
	}
	if in.HasSubject {
		if in.Subject == "" || utf8.RuneCountInString(in.Subject) >= 100 || !utf8.ValidString(in.Subject) || hasControl(in.Subject) {
			return errInvalidParameter("Subject")
		}
	}
	switch in.MessageStructure {
	case "":
	case "json":
		if e := checkJSONStructure(in.Message); e != nil {
			return e
		}
	default:
		return errInvalidParameter("MessageStructure")
	}
	if e := validateMessageAttributes(in.MessageAttributes); e != nil {
		return e
	}
	if in.MessageGroupID != "" && !idRE.MatchString(in.MessageGroupID) {
		return errInvalidParameter("MessageGroupId")
	}
	if in.MessageDeduplicationID != "" && !idRE.MatchString(in.MessageDeduplicationID) {
		return errInvalidParameter("MessageDeduplicationId")
	}
	return nil
}

// checkJSONStructure validates a MessageStructure=json message: a JSON object with a string
// "default" member.
func checkJSONStructure(msg string) *awswire.Error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(msg), &obj); err != nil {
		return errInvalidParameter("Message Structure - JSON message body failed to parse")
	}
	var def string
	if raw, ok := obj["default"]; !ok || json.Unmarshal(raw, &def) != nil {
		return errInvalidParameter("Message Structure - No default entry in JSON message body")
	}
	return nil
}

// messageFor is the text a protocol receives: the message itself, or for MessageStructure=json
// the protocol's member when it is a string, else "default".
func messageFor(m *message, protocol string) string {
	if m.Structure != "json" {
		return m.Body
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal([]byte(m.Body), &obj) != nil {
		return m.Body
	}
	var v string
	if raw, ok := obj[protocol]; ok && json.Unmarshal(raw, &v) == nil {
		return v
	}
	if json.Unmarshal(obj["default"], &v) == nil {
		return v
	}
	return m.Body
}

// xmlChars: "#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF" (SNS FAQ).
func xmlChars(s string) bool {
	for _, r := range s {
		switch {
		case r == 0x9 || r == 0xA || r == 0xD:
		case r >= 0x20 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
		default:
			return false
		}
	}
	return true
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}

// publishTo publishes one message to a topic.
func (s *Service) publishTo(topicARN string, in publishEntry) (*PublishResult, *awswire.Error) {
	if e := validateEntry(&in); e != nil {
		return nil, e
	}
	// Read the topic and its subscriptions and evaluate filter policies outside the write
	// transaction: Batch re-runs a failing function, and filter evaluation is CPU work.
	var (
		t    *topic
		subs []subscription
	)
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		var err error
		if t, err = getTopic(tx, topicARN); err != nil {
			return err
		}
		subs, err = topicSubscriptions(tx, topicARN)
		return err
	})
	if err != nil {
		return nil, internal(err)
	}
	if len(in.Message)+attributesSize(in.MessageAttributes) > t.maxMessageSize() {
		return nil, errInvalidParameter("Message too long")
	}
	if t.FIFO {
		if in.MessageGroupID == "" {
			return nil, errInvalidParameter("The MessageGroupId parameter is required for FIFO topics")
		}
		if in.MessageDeduplicationID == "" {
			if !t.contentBasedDedup() {
				return nil, errInvalidParameter("The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
			}
			sum := sha256.Sum256([]byte(in.Message))
			in.MessageDeduplicationID = hex.EncodeToString(sum[:])
		}
	} else if in.MessageDeduplicationID != "" {
		return nil, errInvalidParameter("MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type")
	}

	now := s.cfg.Clock.Now().UTC().Truncate(time.Millisecond)
	m := &message{
		ID: awswire.NewUUID(), TopicARN: topicARN, Subject: in.Subject, HasSubj: in.HasSubject, Body: in.Message,
		Structure: in.MessageStructure, Attrs: in.MessageAttributes, Timestamp: now,
		GroupID: in.MessageGroupID, DedupID: in.MessageDeduplicationID,
	}
	var targets []subscription
	filtered := 0
	for i := range subs {
		sub := &subs[i]
		if sub.Pending {
			continue
		}
		if !s.matches(sub, m, messageFor(m, sub.Protocol)) {
			filtered++
			continue
		}
		targets = append(targets, *sub)
	}

	var (
		result  PublishResult
		created []delivery
	)
	err = s.cfg.Store.Batch(func(tx *store.Tx) error {
		result, created = PublishResult{MessageID: m.ID}, created[:0]
		if !tx.Has(bucketTopics, topicARN) {
			return errTopicNotFound()
		}
		msg := *m
		if t.FIFO {
			dup, err := s.checkDedup(tx, t, &msg, now)
			if err != nil || dup != nil {
				if dup != nil {
					result = PublishResult{MessageID: dup.MessageID, SequenceNumber: dup.SeqNumber}
				}
				return err
			}
			result.SequenceNumber = msg.SeqNumber
		}
		if err := addStats(tx, topicARN, func(st *TopicStats) {
			st.MessagesPublished++
			st.NotificationsFilteredOut += int64(filtered)
		}); err != nil {
			return err
		}
		if len(targets) == 0 {
			return nil
		}
		msg.Remaining = len(targets)
		if err := tx.Put(bucketMessages, msg.ID, &msg); err != nil {
			return err
		}
		for i := range targets {
			d := delivery{
				Kind: kindNotification, MessageID: msg.ID, TopicARN: topicARN,
				SubARN: targets[i].ARN, Protocol: targets[i].Protocol, Endpoint: targets[i].Endpoint, NextAt: now,
			}
			if t.FIFO {
				d.Chain = targets[i].ARN + "\n" + msg.GroupID
			}
			if err := putNewDelivery(tx, &d); err != nil {
				return err
			}
			created = append(created, d)
		}
		return nil
	})
	if err != nil {
		return nil, internal(err)
	}
	for i := range created {
		s.sched.add(&created[i])
	}
	return &result, nil
}

// putNewDelivery stores d under the next delivery key and sets d.Key.
func putNewDelivery(tx *store.Tx, d *delivery) error {
	n, err := tx.NextSequence(bucketDeliveries)
	if err != nil {
		return err
	}
	d.Key = store.SeqKey(n)
	return tx.Put(bucketDeliveries, d.Key, d)
}
