package sns

import (
	"context"
	"encoding/xml"
	"net/url"
	"regexp"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// PublishBatchInput: https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html
type PublishBatchInput struct {
	TopicARN string
	Entries  []PublishBatchEntry
}

// PublishBatchEntry is one PublishBatchRequestEntries member.
type PublishBatchEntry struct {
	ID                     string
	Message                string
	Subject                string
	HasSubject             bool
	MessageStructure       string
	MessageAttributes      map[string]attribute
	MessageGroupID         string
	MessageDeduplicationID string
}

// PublishBatchResult reports each entry as successful or failed.
type PublishBatchResult struct {
	XMLName    xml.Name `xml:"PublishBatchResult"`
	Successful struct {
		Members []BatchResultEntry `xml:"member"`
	} `xml:"Successful"`
	Failed struct {
		Members []BatchResultErrorEntry `xml:"member"`
	} `xml:"Failed"`
}

// BatchResultEntry is a published entry.
type BatchResultEntry struct {
	ID             string `xml:"Id"`
	MessageID      string `xml:"MessageId"`
	SequenceNumber string `xml:"SequenceNumber,omitempty"`
}

// BatchResultErrorEntry is an entry that was not published.
type BatchResultErrorEntry struct {
	ID          string `xml:"Id"`
	Code        string `xml:"Code"`
	Message     string `xml:"Message"`
	SenderFault bool   `xml:"SenderFault"`
}

func decodePublishBatch(form url.Values) (PublishBatchInput, *awswire.Error) {
	in := PublishBatchInput{TopicARN: form.Get("TopicArn")}
	if e := checkTopicARN("TopicArn", in.TopicARN); e != nil {
		return in, e
	}
	for _, sf := range subForms(form, "PublishBatchRequestEntries.member") {
		f := sf.Form
		ent := PublishBatchEntry{
			ID: f.Get("Id"), Message: f.Get("Message"), MessageStructure: f.Get("MessageStructure"),
			MessageGroupID: f.Get("MessageGroupId"), MessageDeduplicationID: f.Get("MessageDeduplicationId"),
		}
		ent.Subject, ent.HasSubject = optional(f, "Subject")
		var e *awswire.Error
		if ent.MessageAttributes, e = queryMessageAttributes(f, "MessageAttributes"); e != nil {
			return in, e
		}
		in.Entries = append(in.Entries, ent)
	}
	return in, nil
}

// maxBatchEntries: "up to 10 messages" per PublishBatch.
const maxBatchEntries = 10

var batchIDRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)

// PublishBatch publishes up to ten messages, each succeeding or failing on its own. The whole
// request fails for a missing topic, an empty or oversized batch and bad or repeated ids.
func (s *Service) PublishBatch(_ context.Context, in PublishBatchInput) (*PublishBatchResult, *awswire.Error) {
	switch {
	case len(in.Entries) == 0:
		return nil, errEmptyBatch()
	case len(in.Entries) > maxBatchEntries:
		return nil, errTooManyEntries()
	}
	seen := map[string]bool{}
	total := 0
	for _, ent := range in.Entries {
		if !batchIDRE.MatchString(ent.ID) {
			return nil, errInvalidBatchEntryID()
		}
		if seen[ent.ID] {
			return nil, errBatchIDsNotDistinct()
		}
		seen[ent.ID] = true
		total += len(ent.Message) + attributesSize(ent.MessageAttributes)
	}
	var t *topic
	if err := s.cfg.Store.View(func(tx *store.Tx) error {
		var err error
		t, err = getTopic(tx, in.TopicARN)
		return err
	}); err != nil {
		return nil, internal(err)
	}
	// "The total aggregate size of all messages in a single PublishBatch request can't exceed"
	// the topic's message size limit.
	if limit := t.maxMessageSize(); total > limit {
		return nil, errBatchTooLong(limit)
	}
	out := &PublishBatchResult{}
	out.Successful.Members = []BatchResultEntry{}
	out.Failed.Members = []BatchResultErrorEntry{}
	for _, ent := range in.Entries {
		res, e := s.publishTo(in.TopicARN, publishEntry{
			Message: ent.Message, Subject: ent.Subject, HasSubject: ent.HasSubject, MessageStructure: ent.MessageStructure,
			MessageAttributes: ent.MessageAttributes, MessageGroupID: ent.MessageGroupID, MessageDeduplicationID: ent.MessageDeduplicationID,
		})
		if e != nil {
			out.Failed.Members = append(out.Failed.Members, BatchResultErrorEntry{ID: ent.ID, Code: e.Code, Message: e.Message, SenderFault: !e.Server})
			continue
		}
		out.Successful.Members = append(out.Successful.Members, BatchResultEntry{ID: ent.ID, MessageID: res.MessageID, SequenceNumber: res.SequenceNumber})
	}
	return out, nil
}
