package kinesis

import (
	"context"
	"unicode/utf8"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// Writing records. Both operations validate the request, then hand it to the committer, which
// picks each record's shard and sequence number and stores it; the answer comes only after the
// commit (commit.go).

const (
	maxPutRecords     = 500
	maxDataBytes      = 10 << 20 // the model's Data maximum: 10 MiB
	maxPutRecordsSize = 10 << 20 // a PutRecords request: 10 MiB with partition keys (PutRecords reference)
)

// PutRecordInput is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecord.html
type PutRecordInput struct {
	StreamName                *string `json:"StreamName"`
	StreamARN                 *string `json:"StreamARN"`
	Data                      []byte  `json:"Data"`
	PartitionKey              *string `json:"PartitionKey"`
	ExplicitHashKey           *string `json:"ExplicitHashKey"`
	SequenceNumberForOrdering *string `json:"SequenceNumberForOrdering"`
}

// PutRecordOutput is the answer of PutRecord.
type PutRecordOutput struct {
	ShardID        string `json:"ShardId"`
	SequenceNumber string `json:"SequenceNumber"`
	EncryptionType string `json:"EncryptionType"`
}

// PutRecord writes one record. SequenceNumberForOrdering is validated and otherwise needs no
// work: every sequence number here is above every earlier one of its shard already.
func (s *Service) PutRecord(_ context.Context, in *PutRecordInput) (*PutRecordOutput, *awswire.Error) {
	var v validation
	v.streamRef(in.StreamName, in.StreamARN)
	if v.required(in.Data != nil, "data") && len(in.Data) > maxDataBytes {
		v.fail(blobValue(len(in.Data)), "data", constraintMaxLen(maxDataBytes))
	}
	v.partitionKey(in.PartitionKey, "partitionKey")
	v.hashKey(in.ExplicitHashKey, "explicitHashKey")
	if in.SequenceNumberForOrdering != nil && !seqNumberRE.MatchString(*in.SequenceNumberForOrdering) {
		v.fail(in.SequenceNumberForOrdering, "sequenceNumberForOrdering", constraintPattern(patternSeq))
	}
	if e := v.err(); e != nil {
		return nil, e
	}
	name, e := s.resolveStream(in.StreamName, in.StreamARN)
	if e != nil {
		return nil, e
	}
	if in.SequenceNumberForOrdering != nil {
		if _, err := parseSeq(*in.SequenceNumberForOrdering); err != nil {
			return nil, errInvalidArgument("ExclusiveMinimumSequenceNumber %s used in PutRecord on stream %s under account %s is invalid.", *in.SequenceNumberForOrdering, name, s.cfg.AccountID)
		}
	}
	entry, e := newPutEntry(*in.PartitionKey, in.ExplicitHashKey, in.Data)
	if e != nil {
		return nil, e
	}
	call := &putCall{stream: name, single: true, entries: []putEntry{entry}}
	if e := s.submit(&writeOp{kind: opPut, put: call}); e != nil {
		return nil, e
	}
	s.recordsStored(name)
	r := call.results[0]
	return &PutRecordOutput{ShardID: r.shardID, SequenceNumber: r.seq, EncryptionType: encryptionNone}, nil
}

// PutRecordsInput is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html
type PutRecordsInput struct {
	StreamName *string                  `json:"StreamName"`
	StreamARN  *string                  `json:"StreamARN"`
	Records    []PutRecordsRequestEntry `json:"Records"`
}

// PutRecordsRequestEntry is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecordsRequestEntry.html
type PutRecordsRequestEntry struct {
	Data            []byte  `json:"Data"`
	PartitionKey    *string `json:"PartitionKey"`
	ExplicitHashKey *string `json:"ExplicitHashKey"`
}

// PutRecordsOutput is the answer of PutRecords.
type PutRecordsOutput struct {
	FailedRecordCount int                     `json:"FailedRecordCount"`
	Records           []PutRecordsResultEntry `json:"Records"`
	EncryptionType    string                  `json:"EncryptionType"`
}

// PutRecordsResultEntry is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecordsResultEntry.html
type PutRecordsResultEntry struct {
	SequenceNumber string `json:"SequenceNumber,omitempty"`
	ShardID        string `json:"ShardId,omitempty"`
	ErrorCode      string `json:"ErrorCode,omitempty"`
	ErrorMessage   string `json:"ErrorMessage,omitempty"`
}

// PutRecords writes up to 500 records. A malformed entry fails the whole request, as it does on
// AWS; an entry fails alone only for the reasons AWS lets one fail alone:
// ProvisionedThroughputExceededException (with Config.Throughput) or InternalFailure.
func (s *Service) PutRecords(_ context.Context, in *PutRecordsInput) (*PutRecordsOutput, *awswire.Error) {
	var v validation
	v.streamRef(in.StreamName, in.StreamARN)
	if v.required(in.Records != nil, "records") {
		if len(in.Records) < 1 {
			v.fail("[]", "records", constraintMinLen(1))
		}
		if len(in.Records) > maxPutRecords {
			v.fail(nil, "records", constraintMaxLen(maxPutRecords))
		}
	}
	total := 0
	for i, r := range in.Records {
		member := "records." + itoa(i+1) + ".member."
		if v.required(r.Data != nil, member+"data") && len(r.Data) > maxDataBytes {
			v.fail(blobValue(len(r.Data)), member+"data", constraintMaxLen(maxDataBytes))
		}
		v.partitionKey(r.PartitionKey, member+"partitionKey")
		v.hashKey(r.ExplicitHashKey, member+"explicitHashKey")
		total += len(r.Data) + len(deref(r.PartitionKey))
	}
	if e := v.err(); e != nil {
		return nil, e
	}
	if total > maxPutRecordsSize {
		// The text is AWS's as moto records it, with today's 10 MiB request limit.
		return nil, errInvalidArgument("Records size exceeds 10 MB limit")
	}
	name, e := s.resolveStream(in.StreamName, in.StreamARN)
	if e != nil {
		return nil, e
	}
	call := &putCall{stream: name, entries: make([]putEntry, len(in.Records))}
	for i, r := range in.Records {
		entry, e := newPutEntry(*r.PartitionKey, r.ExplicitHashKey, r.Data)
		if e != nil {
			return nil, e
		}
		call.entries[i] = entry
	}
	if e := s.submit(&writeOp{kind: opPut, put: call}); e != nil {
		return nil, e
	}
	s.recordsStored(name)
	out := &PutRecordsOutput{Records: make([]PutRecordsResultEntry, len(call.results)), EncryptionType: encryptionNone}
	for i, r := range call.results {
		if r.errCode != "" {
			out.FailedRecordCount++
			out.Records[i] = PutRecordsResultEntry{ErrorCode: r.errCode, ErrorMessage: r.errMsg}
			continue
		}
		out.Records[i] = PutRecordsResultEntry{ShardID: r.shardID, SequenceNumber: r.seq}
	}
	return out, nil
}

// newPutEntry finds a record's hash key: its ExplicitHashKey, or the MD5 of its partition key.
func newPutEntry(partitionKey string, explicit *string, data []byte) (putEntry, *awswire.Error) {
	e := putEntry{partitionKey: partitionKey, data: data}
	if explicit != nil {
		key, _ := parseHashKey(*explicit)
		if !inHashSpace(key) {
			return e, errInvalidArgument("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was %s", *explicit)
		}
		e.hash = key
		return e, nil
	}
	e.hash = partitionHash(partitionKey)
	return e, nil
}

func (v *validation) partitionKey(pk *string, member string) {
	if !v.required(pk != nil, member) {
		return
	}
	// AWS counts the partition key's length in Unicode characters (up to 256).
	switch n := utf8.RuneCountInString(*pk); {
	case n < 1:
		v.fail(pk, member, constraintMinLen(1))
	case n > 256:
		v.fail(pk, member, constraintMaxLen(256))
	}
}

func (v *validation) hashKey(key *string, member string) {
	if key != nil && !hashKeyRE.MatchString(*key) {
		v.fail(key, member, constraintPattern(patternHashKey))
	}
}

// recordsStored tells the optional OnRecords hook that a stream has new records.
func (s *Service) recordsStored(name string) {
	if s.cfg.OnRecords != nil {
		s.cfg.OnRecords(s.streamARN(name))
	}
}
