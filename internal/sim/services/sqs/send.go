package sqs

import (
	"context"
	"fmt"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Sending: validate, reserve a sequence number and an index entry under the queue lock, commit
// the message to the store (grouped with concurrent writers into one commit), then make it
// visible and wake long polls. Nothing is acknowledged before its commit.

// sendParams are the members of SendMessage and of a SendMessageBatch entry.
type sendParams struct {
	body     *string
	delay    *int32
	attrs    MessageBodyAttributeMap
	sysAttrs map[string]MessageSystemAttributeValue
	dedupID  *string
	groupID  *string
	trace    string // X-Amzn-Trace-Id of the request, when no AWSTraceHeader was given
	sender   string
}

// outgoing is one validated message on its way into a queue.
type outgoing struct {
	body     string
	meta     msgMeta
	delay    int64 // seconds; -1 means the queue's DelaySeconds
	dedupKey string

	md5Attrs string
	md5Sys   string

	// Results.
	entry     *entry
	dedup     *dedupEntry
	dupOf     *outgoing
	messageID string
	seqNumber string
}

// prepare validates one message for q, in the order AWS reports problems.
func (s *Service) prepare(q *queue, p sendParams) (*outgoing, *awswire.Error) {
	if p.body == nil || *p.body == "" {
		return nil, errMissingParameter("MessageBody")
	}
	body := *p.body
	if e := checkBody(body); e != nil {
		return nil, e
	}
	attrSize, e := checkAttributes(p.attrs)
	if e != nil {
		return nil, e
	}
	if e := checkSystemAttributes(p.sysAttrs); e != nil {
		return nil, e
	}
	q.mu.Lock()
	cfg := q.cfg
	q.mu.Unlock()
	size := len(body) + attrSize
	if size > cfg.maxSize {
		return nil, errMessageTooLong(cfg.maxSize)
	}
	it := &outgoing{body: body, delay: -1, md5Attrs: md5OfAttributes(p.attrs)}
	if len(p.sysAttrs) > 0 {
		it.md5Sys = md5OfAttributes(MessageBodyAttributeMap(p.sysAttrs))
	}
	if p.delay != nil {
		d := *p.delay
		if d < 0 || d > maxDelaySeconds {
			return nil, errInvalidValue(d, "DelaySeconds", fmt.Sprintf("DelaySeconds must be >= 0 and <= %d.", maxDelaySeconds))
		}
		if q.fifo && d != 0 {
			// "When you set FifoQueue, you can't set DelaySeconds per message" (API_SendMessage);
			// an explicit 0 is accepted.
			return nil, errNotValidForQueueType(d, "DelaySeconds")
		}
		if !q.fifo {
			it.delay = int64(d)
		}
	}
	meta := msgMeta{MD5Body: md5Hex(body), Size: size, Sender: p.sender, Trace: p.trace}
	if len(p.attrs) > 0 {
		meta.Attrs = p.attrs
	}
	if h, ok := p.sysAttrs["AWSTraceHeader"]; ok {
		meta.Trace = h.StringValue
	}
	if p.groupID != nil {
		if e := checkFIFOID(*p.groupID, "MessageGroupId"); e != nil {
			return nil, e
		}
		// Standard queues take a MessageGroupId too since fair queues (2025); it only labels
		// the message there.
		meta.Group = *p.groupID
	}
	if q.fifo {
		if p.groupID == nil {
			return nil, errMissingParameter("MessageGroupId")
		}
		switch {
		case p.dedupID != nil:
			if e := checkFIFOID(*p.dedupID, "MessageDeduplicationId"); e != nil {
				return nil, e
			}
			meta.Dedup = *p.dedupID
		case cfg.contentDedup:
			meta.Dedup = contentDeduplicationID(body)
		default:
			return nil, errInvalidParameterValue("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
		}
		it.dedupKey = meta.Dedup
		if cfg.dedupPerGroup {
			it.dedupKey = meta.Group + "\x00" + meta.Dedup
		}
	} else if p.dedupID != nil {
		return nil, errNotValidForQueueType(*p.dedupID, "MessageDeduplicationId")
	}
	it.meta = meta
	return it, nil
}

// enqueue commits validated messages to q. A FIFO message whose deduplication id was sent in the
// last five minutes is accepted but not stored again: it answers the original's MessageId.
func (s *Service) enqueue(ctx context.Context, q *queue, items []*outgoing) *awswire.Error {
	for len(items) > 0 {
		retry, waits, e := s.enqueueOnce(q, items)
		if e != nil {
			return e
		}
		// A duplicate of a send still committing waits for it, then is decided again.
		for _, w := range waits {
			select {
			case <-w:
			case <-ctx.Done():
				return awswire.InternalError(ctx.Err())
			}
		}
		items = retry
	}
	return nil
}

func (s *Service) enqueueOnce(q *queue, items []*outgoing) (retry []*outgoing, waits []chan struct{}, _ *awswire.Error) {
	q.commitMu.RLock()
	defer q.commitMu.RUnlock()
	now := s.nowMS()
	window := dedupWindow.Milliseconds()
	var fresh []*outgoing
	var dups []*outgoing
	var prune []string
	firstInCall := map[string]*outgoing{}

	q.mu.Lock()
	if q.deleted {
		q.mu.Unlock()
		return nil, nil, errQueueDoesNotExist()
	}
	cfg := q.cfg
	maxSeq := uint64(0)
	for _, it := range items {
		if q.fifo {
			if first := firstInCall[it.dedupKey]; first != nil {
				it.dupOf = first
				dups = append(dups, it)
				continue
			}
			if d := q.dedup[it.dedupKey]; d != nil && now < d.at+window {
				if d.pending {
					retry = append(retry, it)
					waits = append(waits, d.done)
					continue
				}
				it.messageID, it.seqNumber = d.messageID, d.seqNumber
				continue
			}
		}
		q.nextSeq++
		seq := q.nextSeq
		maxSeq = seq
		meta := it.meta
		meta.ID = newMessageID()
		meta.Sent, meta.Enq = now, now
		if !q.fifo {
			delay := cfg.delay
			if it.delay >= 0 {
				delay = it.delay
			}
			meta.Avail = now + delay*1000
		} else {
			meta.SeqNumber = fifoSequenceNumber(seq)
		}
		it.meta = meta
		stored := new(msgMeta) // the index keeps the metadata, not the outgoing message and its body
		*stored = meta
		it.entry = &entry{seq: seq, meta: stored, vis: meta.Avail, pending: true}
		q.insert(it.entry)
		it.messageID, it.seqNumber = meta.ID, meta.SeqNumber
		if q.fifo {
			it.dedup = &dedupEntry{at: now, messageID: meta.ID, seqNumber: meta.SeqNumber, pending: true, done: make(chan struct{})}
			q.dedup[it.dedupKey] = it.dedup
			firstInCall[it.dedupKey] = it
		}
		fresh = append(fresh, it)
	}
	if q.fifo {
		q.sends += len(fresh)
		if q.sends >= 1000 {
			q.sends = 0
			for k, d := range q.dedup {
				if !d.pending && now >= d.at+window {
					delete(q.dedup, k)
					prune = append(prune, k)
				}
			}
		}
	}
	q.mu.Unlock()

	if len(fresh) > 0 || len(prune) > 0 {
		err := s.commits.Commit(func(tx *store.Tx) error {
			for _, it := range fresh {
				k := seqKey(it.entry.seq)
				if err := tx.Put(metaBucket(q.id), k, it.entry.meta); err != nil {
					return err
				}
				if err := tx.PutRaw(bodyBucket(q.id), k, []byte(it.body)); err != nil {
					return err
				}
				if it.dedup != nil {
					rec := dedupRecord{At: now, MessageID: it.messageID, SeqNumber: it.seqNumber}
					if err := tx.Put(dedupBucket(q.id), it.dedupKey, rec); err != nil {
						return err
					}
				}
			}
			for _, k := range prune {
				if err := tx.Delete(dedupBucket(q.id), k); err != nil {
					return err
				}
			}
			if maxSeq > 0 {
				return putHWM(tx, q.id, maxSeq)
			}
			return nil
		})
		q.mu.Lock()
		for _, it := range fresh {
			if err != nil {
				q.remove(it.entry)
				if it.dedup != nil && q.dedup[it.dedupKey] == it.dedup {
					delete(q.dedup, it.dedupKey)
				}
			} else {
				it.entry.pending = false
			}
			if it.dedup != nil {
				it.dedup.pending, it.dedup.failed = false, err != nil
				close(it.dedup.done)
			}
		}
		if err == nil && len(fresh) > 0 {
			q.notify()
		}
		q.mu.Unlock()
		if err != nil {
			s.log.Error("storing messages", "queue", q.name, "error", err)
			return nil, nil, awswire.InternalError(err)
		}
	}
	for _, it := range dups {
		it.messageID, it.seqNumber = it.dupOf.messageID, it.dupOf.seqNumber
	}
	return retry, waits, nil
}

// fifoSequenceNumber renders a FIFO message's SequenceNumber: a large number that only grows
// (AWS's are 20-digit decimals, unique per queue and not consecutive across groups).
func fifoSequenceNumber(seq uint64) string {
	return fmt.Sprintf("18%018d", seq)
}

func traceFrom(ctx context.Context) string {
	v, _ := ctx.Value(traceHeaderKey{}).(string)
	return v
}

// SendMessage: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
func (s *Service) SendMessage(ctx context.Context, in *SendMessageInput) (*SendMessageOutput, *awswire.Error) {
	q, e := s.queueByURL(in.QueueURL)
	if e != nil {
		return nil, e
	}
	it, e := s.prepare(q, sendParams{
		body: in.MessageBody, delay: in.DelaySeconds, attrs: in.MessageAttributes, sysAttrs: in.MessageSystemAttributes,
		dedupID: in.MessageDeduplicationID, groupID: in.MessageGroupID, trace: traceFrom(ctx), sender: s.cfg.AccountID,
	})
	if e != nil {
		return nil, e
	}
	if e := s.enqueue(ctx, q, []*outgoing{it}); e != nil {
		return nil, e
	}
	return &SendMessageOutput{
		MD5OfMessageBody: it.meta.MD5Body, MD5OfMessageAttributes: it.md5Attrs, MD5OfMessageSystemAttributes: it.md5Sys,
		MessageID: it.messageID, SequenceNumber: it.seqNumber,
	}, nil
}

// SendMessageBatch: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
// Request-level problems (no entries, more than 10, bad or repeated ids, more than 1 MiB in all)
// fail the call; a message's own problem fails only its entry.
func (s *Service) SendMessageBatch(ctx context.Context, in *SendMessageBatchInput) (*SendMessageBatchOutput, *awswire.Error) {
	q, e := s.queueByURL(in.QueueURL)
	if e != nil {
		return nil, e
	}
	ids := make([]string, len(in.Entries))
	for i, en := range in.Entries {
		ids[i] = en.ID
	}
	if e := checkBatchIDs(ids, "SendMessageBatchRequestEntry"); e != nil {
		return nil, e
	}
	total := 0
	for _, en := range in.Entries {
		if en.MessageBody != nil {
			total += len(*en.MessageBody)
		}
		for name, a := range en.MessageAttributes {
			total += len(name) + len(a.DataType) + len(a.StringValue) + len(a.BinaryValue)
		}
	}
	if total > maxMessageSize {
		return nil, errBatchRequestTooLong(total)
	}
	out := &SendMessageBatchOutput{Successful: []SendMessageBatchResultEntry{}, Failed: []BatchResultErrorEntry{}}
	var items []*outgoing
	var itemIDs []string
	for _, en := range in.Entries {
		it, e := s.prepare(q, sendParams{
			body: en.MessageBody, delay: en.DelaySeconds, attrs: en.MessageAttributes, sysAttrs: en.MessageSystemAttributes,
			dedupID: en.MessageDeduplicationID, groupID: en.MessageGroupID, trace: traceFrom(ctx), sender: s.cfg.AccountID,
		})
		if e != nil {
			out.Failed = append(out.Failed, entryError(en.ID, e))
			continue
		}
		items = append(items, it)
		itemIDs = append(itemIDs, en.ID)
	}
	if len(items) > 0 {
		if e := s.enqueue(ctx, q, items); e != nil {
			return nil, e
		}
	}
	for i, it := range items {
		out.Successful = append(out.Successful, SendMessageBatchResultEntry{
			ID: itemIDs[i], MessageID: it.messageID, MD5OfMessageBody: it.meta.MD5Body,
			MD5OfMessageAttributes: it.md5Attrs, MD5OfMessageSystemAttributes: it.md5Sys, SequenceNumber: it.seqNumber,
		})
	}
	return out, nil
}

// checkBatchIDs applies the request-level rules of every batch operation: 1 to 10 entries, ids of
// up to 80 alphanumerics, hyphens and underscores, no id twice (quotas-messages "Batched message ID").
func checkBatchIDs(ids []string, entryType string) *awswire.Error {
	if len(ids) == 0 {
		return errEmptyBatchRequest(entryType)
	}
	if len(ids) > maxBatchEntries {
		return errTooManyEntriesInBatchRequest(len(ids))
	}
	seen := map[string]bool{}
	for _, id := range ids {
		ok := id != "" && len(id) <= maxBatchIDLength
		for _, r := range id {
			ok = ok && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
		}
		if !ok {
			return errInvalidBatchEntryID()
		}
		if seen[id] {
			return errBatchEntryIdsNotDistinct(id)
		}
		seen[id] = true
	}
	return nil
}
