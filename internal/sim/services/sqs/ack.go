package sqs

import (
	"context"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Acknowledging: DeleteMessage and ChangeMessageVisibility (and their batches) by receipt handle.
//
// What a handle may still do follows AWS: a handle SQS never issued is ReceiptHandleIsInvalid; a
// handle of a message already deleted deletes nothing and succeeds. In a standard queue an older
// handle still deletes the message ("Amazon SQS can delete a message from a queue even if a
// visibility timeout setting causes the message to be locked by another consumer", API_DeleteMessage)
// and a visibility change with an expired handle succeeds without effect (AWS-validated in
// localstack/localstack#9632). In a FIFO queue a handle whose visibility timeout passed is
// expired: "Reason: The receipt handle has expired."

// ackTarget is one handle resolved to its message under the queue lock.
type ackTarget struct {
	i   int
	e   *entry
	tok uint64
	old int64
	st  msgState
}

// deleteHandles deletes the messages of handles in one commit; errs[i] is the failure of handles[i].
func (s *Service) deleteHandles(q *queue, handles []string) ([]*awswire.Error, *awswire.Error) {
	errs := make([]*awswire.Error, len(handles))
	q.commitMu.RLock()
	defer q.commitMu.RUnlock()
	now := s.nowMS()
	var doomed []*entry
	q.mu.Lock()
	if q.deleted {
		q.mu.Unlock()
		return nil, errQueueDoesNotExist()
	}
	for i, h := range handles {
		r, ok := decodeHandle(h)
		if !ok || r.queueID != q.id {
			errs[i] = errReceiptHandleIsInvalid(h)
			continue
		}
		e := q.bySeq[r.seq]
		if e == nil || e.busy || e.pending {
			continue
		}
		if q.fifo && (r.tok != e.tok || !q.inFlight(e, now)) {
			errs[i] = errReceiptHandleExpired(h)
			continue
		}
		e.busy = true
		doomed = append(doomed, e)
	}
	q.mu.Unlock()
	if len(doomed) == 0 {
		return errs, nil
	}
	err := s.commits.Commit(func(tx *store.Tx) error {
		for _, e := range doomed {
			if err := deleteMessage(tx, q.id, e.seq); err != nil {
				return err
			}
		}
		return nil
	})
	q.mu.Lock()
	for _, e := range doomed {
		if err != nil {
			e.busy = false
		} else {
			q.remove(e)
		}
	}
	if q.fifo || err != nil {
		q.notify() // a deleted FIFO message unlocks its group
	}
	q.mu.Unlock()
	if err != nil {
		s.log.Error("deleting messages", "queue", q.name, "error", err)
		return nil, awswire.InternalError(err)
	}
	return errs, nil
}

// changeVisibility sets the visibility timeout of the messages of handles, counted from now, in
// one commit; errs[i] is the failure of handles[i].
func (s *Service) changeVisibility(q *queue, handles []string, timeouts []int64) ([]*awswire.Error, *awswire.Error) {
	errs := make([]*awswire.Error, len(handles))
	q.commitMu.RLock()
	defer q.commitMu.RUnlock()
	now := s.nowMS()
	var changed []*ackTarget
	q.mu.Lock()
	if q.deleted {
		q.mu.Unlock()
		return nil, errQueueDoesNotExist()
	}
	for i, h := range handles {
		vt := timeouts[i]
		if vt < 0 || vt > maxVisibility {
			errs[i] = errInvalidValue(vt, "VisibilityTimeout", "Must be between 0 and 43200, if provided.")
			continue
		}
		r, ok := decodeHandle(h)
		if !ok || r.queueID != q.id {
			errs[i] = errReceiptHandleIsInvalid(h)
			continue
		}
		e := q.bySeq[r.seq]
		if e == nil || e.busy || e.pending {
			errs[i] = errNotAvailableForVisibilityChange(h)
			continue
		}
		if r.tok != e.tok || !q.inFlight(e, now) {
			if q.fifo {
				errs[i] = errReceiptHandleExpired(h)
			}
			continue
		}
		// "If you attempt to set the VisibilityTimeout to a value greater than the maximum time
		// left, Amazon SQS returns an error" (API_ChangeMessageVisibility): 12 hours in all.
		if now+vt*1000-e.since > maxVisibility*1000 {
			errs[i] = errInvalidValue(vt, "VisibilityTimeout", "Total VisibilityTimeout for the message is beyond the limit [43200 seconds]")
			continue
		}
		t := &ackTarget{i: i, e: e, tok: e.tok, old: e.vis}
		e.vis = now + vt*1000
		t.st = stateOf(e)
		changed = append(changed, t)
	}
	q.mu.Unlock()
	if len(changed) == 0 {
		return errs, nil
	}
	err := s.commits.Commit(func(tx *store.Tx) error {
		for _, t := range changed {
			k := seqKey(t.e.seq)
			if !tx.Has(metaBucket(q.id), k) {
				continue // deleted meanwhile
			}
			if err := tx.Put(stateBucket(q.id), k, t.st); err != nil {
				return err
			}
		}
		return nil
	})
	q.mu.Lock()
	if err != nil {
		for _, t := range changed {
			if t.e.tok == t.tok && t.e.vis == t.st.Vis {
				t.e.vis = t.old
			}
		}
	}
	q.notify() // a shorter timeout can make a message visible now
	q.mu.Unlock()
	if err != nil {
		s.log.Error("storing visibility", "queue", q.name, "error", err)
		return nil, awswire.InternalError(err)
	}
	return errs, nil
}

// DeleteMessage: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html
func (s *Service) DeleteMessage(_ context.Context, in *DeleteMessageInput) (*struct{}, *awswire.Error) {
	q, e := s.queueByURL(in.QueueURL)
	if e != nil {
		return nil, e
	}
	if in.ReceiptHandle == "" {
		return nil, errMissingParameter("ReceiptHandle")
	}
	errs, e := s.deleteHandles(q, []string{in.ReceiptHandle})
	if e != nil {
		return nil, e
	}
	return nil, errs[0]
}

// DeleteMessageBatch: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessageBatch.html
func (s *Service) DeleteMessageBatch(_ context.Context, in *DeleteMessageBatchInput) (*DeleteMessageBatchOutput, *awswire.Error) {
	q, e := s.queueByURL(in.QueueURL)
	if e != nil {
		return nil, e
	}
	ids := make([]string, len(in.Entries))
	handles := make([]string, len(in.Entries))
	for i, en := range in.Entries {
		ids[i], handles[i] = en.ID, en.ReceiptHandle
	}
	if e := checkBatchIDs(ids, "DeleteMessageBatchRequestEntry"); e != nil {
		return nil, e
	}
	errs, e := s.deleteHandles(q, handles)
	if e != nil {
		return nil, e
	}
	out := &DeleteMessageBatchOutput{Successful: []BatchResultEntry{}, Failed: []BatchResultErrorEntry{}}
	for i, id := range ids {
		if errs[i] != nil {
			out.Failed = append(out.Failed, entryError(id, errs[i]))
		} else {
			out.Successful = append(out.Successful, BatchResultEntry{ID: id})
		}
	}
	return out, nil
}

// ChangeMessageVisibility: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html
// The new timeout counts from now; the next receive uses the queue's timeout again.
func (s *Service) ChangeMessageVisibility(_ context.Context, in *ChangeMessageVisibilityInput) (*struct{}, *awswire.Error) {
	q, e := s.queueByURL(in.QueueURL)
	if e != nil {
		return nil, e
	}
	if in.ReceiptHandle == "" {
		return nil, errMissingParameter("ReceiptHandle")
	}
	if in.VisibilityTimeout == nil {
		return nil, errMissingParameter("VisibilityTimeout")
	}
	errs, e := s.changeVisibility(q, []string{in.ReceiptHandle}, []int64{int64(*in.VisibilityTimeout)})
	if e != nil {
		return nil, e
	}
	return nil, errs[0]
}

// ChangeMessageVisibilityBatch: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibilityBatch.html
func (s *Service) ChangeMessageVisibilityBatch(_ context.Context, in *ChangeMessageVisibilityBatchInput) (*ChangeMessageVisibilityBatchOutput, *awswire.Error) {
	q, e := s.queueByURL(in.QueueURL)
	if e != nil {
		return nil, e
	}
	ids := make([]string, len(in.Entries))
	for i, en := range in.Entries {
		ids[i] = en.ID
	}
	if e := checkBatchIDs(ids, "ChangeMessageVisibilityBatchRequestEntry"); e != nil {
		return nil, e
	}
	out := &ChangeMessageVisibilityBatchOutput{Successful: []BatchResultEntry{}, Failed: []BatchResultErrorEntry{}}
	var handles, batchIDs []string
	var timeouts []int64
	for _, en := range in.Entries {
		if en.VisibilityTimeout == nil {
			out.Failed = append(out.Failed, entryError(en.ID, errMissingParameter("VisibilityTimeout")))
			continue
		}
		handles = append(handles, en.ReceiptHandle)
		timeouts = append(timeouts, int64(*en.VisibilityTimeout))
		batchIDs = append(batchIDs, en.ID)
	}
	errs, e := s.changeVisibility(q, handles, timeouts)
	if e != nil {
		return nil, e
	}
	for i, id := range batchIDs {
		if errs[i] != nil {
			out.Failed = append(out.Failed, entryError(id, errs[i]))
		} else {
			out.Successful = append(out.Successful, BatchResultEntry{ID: id})
		}
	}
	return out, nil
}
