package sqs

import (
	"context"
	"encoding/base64"
	"sort"
	"strconv"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Queue operations: create, find, list, configure, tag, purge, delete.

const (
	recentlyDeletedMS = 60_000 // "you must wait 60 seconds after deleting a queue" (API_DeleteQueue)
	purgeIntervalMS   = 60_000 // "Only one PurgeQueue operation ... every 60 seconds" (API_PurgeQueue)
	maxListResults    = 1000
)

// CreateQueue: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
// Creating an existing queue answers its URL when every given attribute equals the queue's, and
// QueueNameExists (QueueAlreadyExists) otherwise; tags are not compared.
func (s *Service) CreateQueue(_ context.Context, in *CreateQueueInput) (*CreateQueueOutput, *awswire.Error) {
	if in.QueueName == "" {
		return nil, errMissingParameter("QueueName")
	}
	fifo := strings.EqualFold(in.Attributes[attrFifoQueue], "true")
	if e := checkQueueName(in.QueueName, fifo); e != nil {
		return nil, e
	}
	given, e := normalizeAttributes(in.Attributes, fifo, true, s.lookupForRedrive)
	if e != nil {
		return nil, e
	}
	if e := checkTags(in.Tags); e != nil {
		return nil, e
	}
	account := s.cfg.AccountID
	key := queueKey(account, in.QueueName)

	s.mu.Lock()
	defer s.mu.Unlock()
	if q := s.queues[key]; q != nil {
		q.mu.Lock()
		defer q.mu.Unlock()
		for name, value := range given {
			current := q.rec.Attributes[name]
			if name == attrFifoQueue && current == "" {
				current = "false"
			}
			if current != value {
				return nil, errQueueNameExists(name)
			}
		}
		return &CreateQueueOutput{QueueURL: s.queueURL(q)}, nil
	}

	now := s.clock.Now()
	var deletedAt int64
	if err := s.store.View(func(tx *store.Tx) error {
		if data, err := tx.GetRaw(bucketDeleted, key); err == nil {
			deletedAt, _ = strconv.ParseInt(string(data), 10, 64)
		}
		return nil
	}); err != nil {
		return nil, awswire.InternalError(err)
	}
	if deletedAt != 0 && now.UnixMilli() < deletedAt+recentlyDeletedMS {
		return nil, errQueueDeletedRecently()
	}

	if !fifo {
		delete(given, attrFifoQueue) // FifoQueue=false is the default, not an attribute of standard queues
	}
	attrs := mergeAttributes(defaultAttributes(fifo), given)
	if e := checkThroughput(attrs); e != nil {
		return nil, e
	}
	rec := queueRecord{
		ID: newQueueID(), Account: account, Name: in.QueueName, FIFO: fifo, Attributes: attrs,
		Tags: copyTags(in.Tags), Created: now.Unix(), Modified: now.Unix(),
	}
	if err := s.store.Update(func(tx *store.Tx) error {
		if err := tx.Put(bucketQueues, key, rec); err != nil {
			return err
		}
		return tx.Delete(bucketDeleted, key)
	}); err != nil {
		return nil, awswire.InternalError(err)
	}
	q := newQueue(rec, s.queueARN(account, in.QueueName))
	s.queues[key] = q
	s.log.Debug("queue created", "queue", in.QueueName, "fifo", fifo)
	return &CreateQueueOutput{QueueURL: s.queueURL(q)}, nil
}

// checkQueueName: up to 80 characters of [A-Za-z0-9_-]; a FIFO queue's name ends in ".fifo",
// which counts towards the 80 (API_CreateQueue QueueName).
func checkQueueName(name string, fifo bool) *awswire.Error {
	base := name
	if fifo {
		if !strings.HasSuffix(name, ".fifo") {
			return errInvalidParameterValue("The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.")
		}
		base = strings.TrimSuffix(name, ".fifo")
	}
	ok := base != "" && len(name) <= 80
	for _, r := range base {
		ok = ok && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}
	if ok {
		return nil
	}
	if fifo {
		return errInvalidParameterValue("The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.")
	}
	return errInvalidParameterValue("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
}

// GetQueueUrl: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueUrl.html
func (s *Service) GetQueueUrl(_ context.Context, in *GetQueueUrlInput) (*GetQueueUrlOutput, *awswire.Error) {
	if in.QueueName == "" {
		return nil, errMissingParameter("QueueName")
	}
	account := in.QueueOwnerAWSAccountID
	if account == "" {
		account = s.cfg.AccountID
	}
	s.mu.RLock()
	q := s.queues[queueKey(account, in.QueueName)]
	s.mu.RUnlock()
	if q == nil {
		return nil, errQueueDoesNotExist()
	}
	return &GetQueueUrlOutput{QueueURL: s.queueURL(q)}, nil
}

// ListQueues: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueues.html
// Queues are listed by name; without MaxResults up to 1,000 are answered and no NextToken.
func (s *Service) ListQueues(_ context.Context, in *ListQueuesInput) (*ListQueuesOutput, *awswire.Error) {
	names := []string{}
	byName := map[string]*queue{}
	s.mu.RLock()
	for _, q := range s.queues {
		if q.account == s.cfg.AccountID && strings.HasPrefix(q.name, in.QueueNamePrefix) {
			names = append(names, q.name)
			byName[q.name] = q
		}
	}
	s.mu.RUnlock()
	sort.Strings(names)
	page, next, e := paginate(names, in.NextToken, in.MaxResults)
	if e != nil {
		return nil, e
	}
	out := &ListQueuesOutput{NextToken: next}
	for _, name := range page {
		out.QueueUrls = append(out.QueueUrls, s.queueURL(byName[name]))
	}
	return out, nil
}

// ListDeadLetterSourceQueues: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListDeadLetterSourceQueues.html
func (s *Service) ListDeadLetterSourceQueues(_ context.Context, in *ListDeadLetterSourceQueuesInput) (*ListDeadLetterSourceQueuesOutput, *awswire.Error) {
	dlq, e := s.queueByURL(in.QueueURL)
	if e != nil {
		return nil, e
	}
	var sources []*queue
	s.mu.RLock()
	for _, q := range s.queues {
		sources = append(sources, q)
	}
	s.mu.RUnlock()
	names := []string{}
	byName := map[string]*queue{}
	for _, q := range sources {
		q.mu.Lock()
		targets := q.cfg.redrive != nil && q.cfg.redrive.DeadLetterTargetARN == dlq.arn
		q.mu.Unlock()
		if targets {
			names = append(names, q.name)
			byName[q.name] = q
		}
	}
	sort.Strings(names)
	page, next, e := paginate(names, in.NextToken, in.MaxResults)
	if e != nil {
		return nil, e
	}
	out := &ListDeadLetterSourceQueuesOutput{QueueUrls: []string{}, NextToken: next}
	for _, name := range page {
		out.QueueUrls = append(out.QueueUrls, s.queueURL(byName[name]))
	}
	return out, nil
}

// paginate pages sorted names; the token is the last name answered, opaque to clients.
func paginate(names []string, token string, maxResults *int32) ([]string, string, *awswire.Error) {
	limit := maxListResults
	if maxResults != nil {
		if *maxResults < 1 || *maxResults > maxListResults {
			return nil, "", errInvalidValue(*maxResults, "MaxResults", "MaxResults must be an integer between 1 and 1000.")
		}
		limit = int(*maxResults)
	}
	start := 0
	if token != "" {
		after, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil {
			return nil, "", errInvalidParameterValue("Invalid NextToken value.")
		}
		start = sort.SearchStrings(names, string(after))
		if start < len(names) && names[start] == string(after) {
			start++
		}
	}
	end := min(start+limit, len(names))
	page := names[start:end]
	next := ""
	if maxResults != nil && end < len(names) {
		next = base64.RawURLEncoding.EncodeToString([]byte(names[end-1]))
	}
	return page, next, nil
}

// DeleteQueue: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteQueue.html
// The queue and its messages go at once; its name is reserved for 60 seconds.
func (s *Service) DeleteQueue(_ context.Context, in *DeleteQueueInput) (*struct{}, *awswire.Error) {
	q, e := s.queueByURL(in.QueueURL)
	if e != nil {
		return nil, e
	}
	q.commitMu.Lock()
	defer q.commitMu.Unlock()
	key := queueKey(q.account, q.name)
	now := s.nowMS()
	q.mu.Lock()
	if q.deleted {
		q.mu.Unlock()
		return nil, errQueueDoesNotExist()
	}
	if err := s.store.Update(func(tx *store.Tx) error {
		if err := tx.Delete(bucketQueues, key); err != nil {
			return err
		}
		if err := tx.DeleteBucket(bucketOf(q.id)); err != nil {
			return err
		}
		return tx.PutRaw(bucketDeleted, key, []byte(strconv.FormatInt(now, 10)))
	}); err != nil {
		q.mu.Unlock()
		return nil, awswire.InternalError(err)
	}
	q.deleted = true
	q.clear()
	q.notify()
	q.mu.Unlock()
	s.mu.Lock()
	if s.queues[key] == q {
		delete(s.queues, key)
	}
	s.mu.Unlock()
	s.log.Debug("queue deleted", "queue", q.name)
	return nil, nil
}

// PurgeQueue: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_PurgeQueue.html
// Every message, in flight or not, goes at once; a second purge within 60 seconds is refused.
func (s *Service) PurgeQueue(_ context.Context, in *PurgeQueueInput) (*struct{}, *awswire.Error) {
	q, e := s.queueByURL(in.QueueURL)
	if e != nil {
		return nil, e
	}
	q.commitMu.Lock()
	defer q.commitMu.Unlock()
	now := s.nowMS()
	// Purges are rare: committing under the queue lock keeps a racing SetQueueAttributes from
	// being overwritten by this record.
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.deleted {
		return nil, errQueueDoesNotExist()
	}
	if q.rec.LastPurge != 0 && now < q.rec.LastPurge+purgeIntervalMS {
		return nil, errPurgeQueueInProgress(q.name)
	}
	rec := q.rec
	rec.LastPurge = now
	if err := s.store.Update(func(tx *store.Tx) error {
		for _, b := range []string{metaBucket(q.id), bodyBucket(q.id), stateBucket(q.id)} {
			if err := tx.DeleteBucket(b); err != nil {
				return err
			}
		}
		return tx.Put(bucketQueues, queueKey(q.account, q.name), rec)
	}); err != nil {
		return nil, awswire.InternalError(err)
	}
	q.rec = rec
	q.clear()
	q.notify()
	return nil, nil
}

// validAttributeNames are the names GetQueueAttributes accepts (the QueueAttributeName enum).
var validAttributeNames = map[string]bool{
	attrAll: true, attrPolicy: true, attrVisibilityTimeout: true, attrMaximumMessageSize: true,
	attrMessageRetentionPeriod: true, attrApproximateNumber: true, attrApproximateNotVisible: true,
	attrCreatedTimestamp: true, attrLastModifiedTimestamp: true, attrQueueArn: true,
	attrApproximateDelayed: true, attrDelaySeconds: true, attrReceiveWaitTimeSeconds: true,
	attrRedrivePolicy: true, attrFifoQueue: true, attrContentBasedDedup: true, attrKmsMasterKeyID: true,
	attrKmsDataKeyReusePeriod: true, attrDeduplicationScope: true, attrFifoThroughputLimit: true,
	attrRedriveAllowPolicy: true, attrSqsManagedSseEnabled: true,
}

// GetQueueAttributes: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html
// Names the queue does not have (FifoQueue of a standard queue, an unset Policy) are left out.
func (s *Service) GetQueueAttributes(_ context.Context, in *GetQueueAttributesInput) (*GetQueueAttributesOutput, *awswire.Error) {
	q, e := s.queueByURL(in.QueueURL)
	if e != nil {
		return nil, e
	}
	want := map[string]bool{}
	for _, name := range in.AttributeNames {
		if !validAttributeNames[name] {
			return nil, errUnknownAttribute(name)
		}
		want[name] = true
	}
	out := &GetQueueAttributesOutput{}
	if len(want) == 0 {
		return out, nil
	}
	all := want[attrAll]
	now := s.nowMS()
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.deleted {
		return nil, errQueueDoesNotExist()
	}
	attrs := QueueAttributeMap{}
	for name, value := range q.rec.Attributes {
		if all || want[name] {
			attrs[name] = value
		}
	}
	visible, notVisible, delayed := q.counts(now)
	computed := map[string]string{
		attrApproximateNumber:     strconv.Itoa(visible),
		attrApproximateNotVisible: strconv.Itoa(notVisible),
		attrApproximateDelayed:    strconv.Itoa(delayed),
		attrCreatedTimestamp:      strconv.FormatInt(q.rec.Created, 10),
		attrLastModifiedTimestamp: strconv.FormatInt(q.rec.Modified, 10),
		attrQueueArn:              q.arn,
	}
	for name, value := range computed {
		if all || want[name] {
			attrs[name] = value
		}
	}
	if len(attrs) > 0 {
		out.Attributes = attrs
	}
	return out, nil
}

// SetQueueAttributes: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
// Ranges are checked as CreateQueue checks them; an empty Policy or RedrivePolicy removes it.
func (s *Service) SetQueueAttributes(_ context.Context, in *SetQueueAttributesInput) (*struct{}, *awswire.Error) {
	q, e := s.queueByURL(in.QueueURL)
	if e != nil {
		return nil, e
	}
	changes, e := normalizeAttributes(in.Attributes, q.fifo, false, s.lookupForRedrive)
	if e != nil {
		return nil, e
	}
	return nil, s.updateQueue(q, func(rec *queueRecord) *awswire.Error {
		attrs := mergeAttributes(rec.Attributes, changes)
		if e := checkThroughput(attrs); e != nil {
			return e
		}
		rec.Attributes = attrs
		rec.Modified = s.clock.Now().Unix()
		return nil
	})
}

// updateQueue changes a queue's record in the store, then in memory; waiting receivers re-check
// (a shorter FIFO delay can make messages visible at once).
func (s *Service) updateQueue(q *queue, change func(rec *queueRecord) *awswire.Error) *awswire.Error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.deleted {
		return errQueueDoesNotExist()
	}
	rec := q.rec
	rec.Attributes = mergeAttributes(q.rec.Attributes, nil)
	rec.Tags = copyTags(q.rec.Tags)
	if e := change(&rec); e != nil {
		return e
	}
	// The record is small and queue changes are rare: committing under the queue lock keeps a
	// racing change from being overwritten.
	if err := s.store.Update(func(tx *store.Tx) error {
		return tx.Put(bucketQueues, queueKey(q.account, q.name), rec)
	}); err != nil {
		return awswire.InternalError(err)
	}
	q.rec = rec
	q.cfg = parseConfig(rec.Attributes)
	q.notify()
	return nil
}

// TagQueue: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_TagQueue.html
func (s *Service) TagQueue(_ context.Context, in *TagQueueInput) (*struct{}, *awswire.Error) {
	q, e := s.queueByURL(in.QueueURL)
	if e != nil {
		return nil, e
	}
	if len(in.Tags) == 0 {
		return nil, errMissingParameter("Tags")
	}
	if e := checkTags(in.Tags); e != nil {
		return nil, e
	}
	return nil, s.updateQueue(q, func(rec *queueRecord) *awswire.Error {
		if rec.Tags == nil {
			rec.Tags = map[string]string{}
		}
		for k, v := range in.Tags {
			rec.Tags[k] = v
		}
		return nil
	})
}

// UntagQueue: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_UntagQueue.html
func (s *Service) UntagQueue(_ context.Context, in *UntagQueueInput) (*struct{}, *awswire.Error) {
	q, e := s.queueByURL(in.QueueURL)
	if e != nil {
		return nil, e
	}
	if len(in.TagKeys) == 0 {
		return nil, errMissingParameter("TagKeys")
	}
	return nil, s.updateQueue(q, func(rec *queueRecord) *awswire.Error {
		for _, k := range in.TagKeys {
			delete(rec.Tags, k)
		}
		return nil
	})
}

// ListQueueTags: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueueTags.html
func (s *Service) ListQueueTags(_ context.Context, in *ListQueueTagsInput) (*ListQueueTagsOutput, *awswire.Error) {
	q, e := s.queueByURL(in.QueueURL)
	if e != nil {
		return nil, e
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	out := &ListQueueTagsOutput{}
	if len(q.rec.Tags) > 0 {
		out.Tags = TagMap(copyTags(q.rec.Tags))
	}
	return out, nil
}

// checkTags applies the tag rules of quotas-queues: a key of 1 to 128 characters, a value of up to
// 256, and no "aws:" prefix.
func checkTags(tags map[string]string) *awswire.Error {
	for k, v := range tags {
		switch {
		case k == "" || len([]rune(k)) > 128:
			return errInvalidParameterValue("Tag keys must be between 1 and 128 characters in length.")
		case len([]rune(v)) > 256:
			return errInvalidParameterValue("Tag values must be between 0 and 256 characters in length.")
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			return errInvalidParameterValue("Tag keys must not start with the reserved prefix aws:.")
		}
	}
	return nil
}

func copyTags(tags map[string]string) map[string]string {
	if len(tags) == 0 {
		return nil
	}
	out := make(map[string]string, len(tags))
	for k, v := range tags {
		out[k] = v
	}
	return out
}
