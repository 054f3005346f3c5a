package kinesis

import (
	"context"
	"encoding/base64"
	"sort"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Streams: create, delete, describe, list; the account's limits.

const (
	// onDemandShards is how many shards an ON_DEMAND stream starts with: AWS gives a new
	// on-demand stream 4 MB/s of write capacity (Quotas and limits page), and a shard takes 1 MB/s.
	onDemandShards = 4
	// onDemandStreamQuota is AWS's default number of on-demand streams per account.
	onDemandStreamQuota = 50
	// maxCreating is how many streams may be CREATING at once (CreateStream reference).
	maxCreating = 5
	// Retention bounds and default (Increase/DecreaseStreamRetentionPeriod references).
	minRetentionHours     = 24
	maxRetentionHours     = 8760
	defaultRecordSizeKiB  = 1024
	minRecordSizeKiB      = 1024
	maxRecordSizeKiB      = 10240
	defaultDescribeLimit  = 100
	defaultListTagsLimit  = 50
	maxTagsPerStream      = 50
	maxTagsPerRequest     = 200
	defaultListShardLimit = 1000
)

// withStream runs fn on a stream under the read lock, after finishing due transitions.
func (s *Service) withStream(name string, fn func(st *stream) *awswire.Error) *awswire.Error {
	s.settle()
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := s.streams[name]
	if st == nil {
		return errStreamNotFound(name, s.cfg.AccountID)
	}
	return fn(st)
}

// CreateStreamInput is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html
type CreateStreamInput struct {
	StreamName          *string            `json:"StreamName"`
	ShardCount          *int32             `json:"ShardCount"`
	StreamModeDetails   *StreamModeDetails `json:"StreamModeDetails"`
	Tags                map[string]string  `json:"Tags"`
	MaxRecordSizeInKiB  *int32             `json:"MaxRecordSizeInKiB"`
	WarmThroughputMiBps *int32             `json:"WarmThroughputMiBps"`
}

// CreateStream creates a stream in CREATING; its shards appear when it turns ACTIVE.
func (s *Service) CreateStream(_ context.Context, in *CreateStreamInput) (*struct{}, *awswire.Error) {
	var v validation
	if v.required(in.StreamName != nil, "streamName") {
		v.name(in.StreamName, "streamName")
	}
	v.intRange(in.ShardCount, "shardCount", 1, 0)
	mode := modeProvisioned
	if in.StreamModeDetails != nil {
		mode = in.StreamModeDetails.StreamMode
		if mode != modeProvisioned && mode != modeOnDemand {
			v.fail(mode, "streamModeDetails.streamMode", constraintEnum(modeProvisioned, modeOnDemand))
		}
	}
	v.tags(in.Tags, "tags", maxTagsPerRequest)
	v.intRange(in.MaxRecordSizeInKiB, "maxRecordSizeInKiB", minRecordSizeKiB, maxRecordSizeKiB)
	if e := v.err(); e != nil {
		return nil, e
	}
	shards := derefInt(in.ShardCount, 0)
	if mode == modeOnDemand {
		shards = onDemandShards
	} else if shards == 0 {
		// ours: AWS requires ShardCount for provisioned streams; its exact text was not found.
		return nil, errInvalidArgument("ShardCount is required for a stream in PROVISIONED mode.")
	}
	if len(in.Tags) > maxTagsPerStream {
		return nil, errTooManyTags(*in.StreamName, s.cfg.AccountID)
	}
	name := *in.StreamName
	return nil, s.exec(func(tx *store.Tx) (func(), *awswire.Error) {
		if s.streams[name] != nil {
			return nil, errStreamExists(name, s.cfg.AccountID)
		}
		creating, onDemand, open := 0, 0, 0
		for _, st := range s.streams {
			if st.rec.Status == statusCreating {
				creating++
			}
			if st.rec.Mode == modeOnDemand {
				onDemand++
			} else {
				open += st.openShards()
				if st.rec.Status == statusCreating {
					open += st.rec.InitialShards
				}
			}
		}
		if creating >= maxCreating {
			// ours: the condition is AWS's (CreateStream reference), the text is not.
			return nil, errLimitExceeded("Account %s in %s has %d streams in the CREATING state; at most %d are allowed at a time.", s.cfg.AccountID, s.cfg.Region, creating, maxCreating)
		}
		if mode == modeOnDemand && onDemand >= onDemandStreamQuota {
			return nil, errLimitExceeded("Account %s in %s already has %d streams in ON_DEMAND mode, the limit.", s.cfg.AccountID, s.cfg.Region, onDemand)
		}
		if mode == modeProvisioned && open+shards > s.cfg.ShardQuota {
			return nil, errShardLimit(s.cfg.AccountID, s.cfg.Region, open, s.cfg.ShardQuota, shards)
		}
		incarnation, err := tx.NextSequence(bucketStreams)
		if err != nil {
			return nil, errInternal(err)
		}
		nowMS := s.nowMS()
		rec := streamRec{
			Name: name, Incarnation: incarnation, CreatedMS: nowMS, Status: statusCreating, Mode: mode,
			RetentionHours: minRetentionHours, MaxRecordSizeKiB: derefInt(in.MaxRecordSizeInKiB, defaultRecordSizeKiB),
			Tags: in.Tags, InitialShards: shards, DueMS: nowMS + s.cfg.CreateDelay.Milliseconds(),
		}
		if s.cfg.CreateDelay == 0 {
			rec.DueMS = 0
			rec.Status = statusActive
			for i, r := range uniformRanges(shards) {
				rec.Shards = append(rec.Shards, shardRec{Index: i, StartHash: r[0].String(), EndHash: r[1].String(), CreatedMS: nowMS})
			}
			rec.NextShardIndex = shards
		}
		if err := tx.Put(bucketStreams, name, rec); err != nil {
			return nil, errInternal(err)
		}
		s.log.Info("stream created", "stream", name, "shards", shards, "mode", mode)
		return s.replaceStream(nil, rec), nil
	})
}

// DeleteStreamInput is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DeleteStream.html
type DeleteStreamInput struct {
	StreamName *string `json:"StreamName"`
	StreamARN  *string `json:"StreamARN"`
	// EnforceConsumerDeletion is accepted; enhanced fan-out consumers are not simulated, so a
	// stream never has consumers that would block its deletion.
	EnforceConsumerDeletion *bool `json:"EnforceConsumerDeletion"`
}

// DeleteStream moves the stream to DELETING; it disappears, with its records, DeleteDelay later.
func (s *Service) DeleteStream(_ context.Context, in *DeleteStreamInput) (*struct{}, *awswire.Error) {
	var v validation
	v.streamRef(in.StreamName, in.StreamARN)
	if e := v.err(); e != nil {
		return nil, e
	}
	name, e := s.resolveStream(in.StreamName, in.StreamARN)
	if e != nil {
		return nil, e
	}
	return nil, s.exec(func(tx *store.Tx) (func(), *awswire.Error) {
		st := s.streams[name]
		switch {
		case st == nil:
			return nil, errStreamNotFound(name, s.cfg.AccountID)
		case st.rec.Status == statusDeleting:
			return nil, nil // already on its way out
		case st.rec.Status == statusCreating:
			// AWS deletes ACTIVE streams (DeleteStream reference); one still being made is in use.
			return nil, errStreamNotActive(name, s.cfg.AccountID, st.rec.Status)
		}
		if s.cfg.DeleteDelay == 0 {
			if err := deleteStreamData(tx, &st.rec); err != nil {
				return nil, errInternal(err)
			}
			return func() { delete(s.streams, name) }, nil
		}
		rec := st.rec.clone()
		rec.Status = statusDeleting
		rec.Pending = nil
		rec.DueMS = s.nowMS() + s.cfg.DeleteDelay.Milliseconds()
		if err := tx.Put(bucketStreams, name, rec); err != nil {
			return nil, errInternal(err)
		}
		return s.replaceStream(st, rec), nil
	})
}

// DescribeStreamInput is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeStream.html
type DescribeStreamInput struct {
	StreamName            *string `json:"StreamName"`
	StreamARN             *string `json:"StreamARN"`
	Limit                 *int32  `json:"Limit"`
	ExclusiveStartShardID *string `json:"ExclusiveStartShardId"`
}

// DescribeStreamOutput is the answer of DescribeStream.
type DescribeStreamOutput struct {
	StreamDescription StreamDescription `json:"StreamDescription"`
}

// StreamDescription is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StreamDescription.html
type StreamDescription struct {
	StreamName              string            `json:"StreamName"`
	StreamARN               string            `json:"StreamARN"`
	StreamStatus            string            `json:"StreamStatus"`
	StreamModeDetails       StreamModeDetails `json:"StreamModeDetails"`
	Shards                  []Shard           `json:"Shards"`
	HasMoreShards           bool              `json:"HasMoreShards"`
	RetentionPeriodHours    int               `json:"RetentionPeriodHours"`
	StreamCreationTimestamp awswire.Timestamp `json:"StreamCreationTimestamp"`
	EnhancedMonitoring      []EnhancedMetrics `json:"EnhancedMonitoring"`
	EncryptionType          string            `json:"EncryptionType"`
}

// DescribeStream describes the stream and a page of its shards (100 at most, as AWS).
func (s *Service) DescribeStream(_ context.Context, in *DescribeStreamInput) (*DescribeStreamOutput, *awswire.Error) {
	var v validation
	v.streamRef(in.StreamName, in.StreamARN)
	v.intRange(in.Limit, "limit", 1, 10000)
	v.name(in.ExclusiveStartShardID, "exclusiveStartShardId")
	if e := v.err(); e != nil {
		return nil, e
	}
	name, e := s.resolveStream(in.StreamName, in.StreamARN)
	if e != nil {
		return nil, e
	}
	limit := min(derefInt(in.Limit, defaultDescribeLimit), defaultDescribeLimit)
	out := &DescribeStreamOutput{}
	return out, s.withStream(name, func(st *stream) *awswire.Error {
		d := &out.StreamDescription
		d.StreamName, d.StreamARN, d.StreamStatus = st.rec.Name, s.streamARN(st.rec.Name), st.rec.Status
		d.StreamModeDetails = StreamModeDetails{StreamMode: st.rec.Mode}
		d.RetentionPeriodHours = st.rec.RetentionHours
		d.StreamCreationTimestamp = timestamp(st.rec.CreatedMS / 1000 * 1000)
		d.EnhancedMonitoring = []EnhancedMetrics{{ShardLevelMetrics: []string{}}}
		d.EncryptionType = encryptionNone
		d.Shards = []Shard{}
		nowMS := s.nowMS()
		for _, sh := range st.shards {
			if st.expired(sh, nowMS) || (in.ExclusiveStartShardID != nil && sh.id <= *in.ExclusiveStartShardID) {
				continue
			}
			if len(d.Shards) == limit {
				d.HasMoreShards = true
				break
			}
			d.Shards = append(d.Shards, sh.wire())
		}
		return nil
	})
}

// StreamRefInput names a stream; it is the input of DescribeStreamSummary
// (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeStreamSummary.html).
type StreamRefInput struct {
	StreamName *string `json:"StreamName"`
	StreamARN  *string `json:"StreamARN"`
}

// DescribeStreamSummaryOutput is the answer of DescribeStreamSummary.
type DescribeStreamSummaryOutput struct {
	StreamDescriptionSummary StreamDescriptionSummary `json:"StreamDescriptionSummary"`
}

// StreamDescriptionSummary is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StreamDescriptionSummary.html
type StreamDescriptionSummary struct {
	StreamName              string            `json:"StreamName"`
	StreamARN               string            `json:"StreamARN"`
	StreamStatus            string            `json:"StreamStatus"`
	StreamModeDetails       StreamModeDetails `json:"StreamModeDetails"`
	RetentionPeriodHours    int               `json:"RetentionPeriodHours"`
	StreamCreationTimestamp awswire.Timestamp `json:"StreamCreationTimestamp"`
	EnhancedMonitoring      []EnhancedMetrics `json:"EnhancedMonitoring"`
	EncryptionType          string            `json:"EncryptionType"`
	OpenShardCount          int               `json:"OpenShardCount"`
	ConsumerCount           int               `json:"ConsumerCount"`
	MaxRecordSizeInKiB      int               `json:"MaxRecordSizeInKiB"`
}

// DescribeStreamSummary describes the stream without its shards.
func (s *Service) DescribeStreamSummary(_ context.Context, in *StreamRefInput) (*DescribeStreamSummaryOutput, *awswire.Error) {
	var v validation
	v.streamRef(in.StreamName, in.StreamARN)
	if e := v.err(); e != nil {
		return nil, e
	}
	name, e := s.resolveStream(in.StreamName, in.StreamARN)
	if e != nil {
		return nil, e
	}
	out := &DescribeStreamSummaryOutput{}
	return out, s.withStream(name, func(st *stream) *awswire.Error {
		out.StreamDescriptionSummary = StreamDescriptionSummary{
			StreamName: st.rec.Name, StreamARN: s.streamARN(st.rec.Name), StreamStatus: st.rec.Status,
			StreamModeDetails:       StreamModeDetails{StreamMode: st.rec.Mode},
			RetentionPeriodHours:    st.rec.RetentionHours,
			StreamCreationTimestamp: timestamp(st.rec.CreatedMS / 1000 * 1000),
			EnhancedMonitoring:      []EnhancedMetrics{{ShardLevelMetrics: []string{}}},
			EncryptionType:          encryptionNone,
			OpenShardCount:          st.openShards(),
			MaxRecordSizeInKiB:      st.rec.MaxRecordSizeKiB,
		}
		return nil
	})
}

// ListStreamsInput is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListStreams.html
type ListStreamsInput struct {
	Limit                    *int32  `json:"Limit"`
	ExclusiveStartStreamName *string `json:"ExclusiveStartStreamName"`
	NextToken                *string `json:"NextToken"`
}

// ListStreamsOutput is the answer of ListStreams.
type ListStreamsOutput struct {
	StreamNames     []string        `json:"StreamNames"`
	StreamSummaries []StreamSummary `json:"StreamSummaries"`
	HasMoreStreams  bool            `json:"HasMoreStreams"`
	NextToken       string          `json:"NextToken,omitempty"`
}

// StreamSummary is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StreamSummary.html
type StreamSummary struct {
	StreamName              string            `json:"StreamName"`
	StreamARN               string            `json:"StreamARN"`
	StreamStatus            string            `json:"StreamStatus"`
	StreamModeDetails       StreamModeDetails `json:"StreamModeDetails"`
	StreamCreationTimestamp awswire.Timestamp `json:"StreamCreationTimestamp"`
}

// ListStreams lists stream names in order, 100 at most per page (as AWS), continuing after
// ExclusiveStartStreamName or a NextToken (which here carries the last name returned).
func (s *Service) ListStreams(_ context.Context, in *ListStreamsInput) (*ListStreamsOutput, *awswire.Error) {
	var v validation
	v.intRange(in.Limit, "limit", 1, 10000)
	v.name(in.ExclusiveStartStreamName, "exclusiveStartStreamName")
	if in.NextToken != nil && *in.NextToken == "" {
		v.fail(in.NextToken, "nextToken", constraintMinLen(1))
	}
	if e := v.err(); e != nil {
		return nil, e
	}
	after := deref(in.ExclusiveStartStreamName)
	if in.NextToken != nil {
		raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(*in.NextToken, streamsTokenPrefix))
		if err != nil || !strings.HasPrefix(*in.NextToken, streamsTokenPrefix) {
			return nil, errInvalidNextToken()
		}
		after = string(raw)
	}
	limit := min(derefInt(in.Limit, defaultDescribeLimit), defaultDescribeLimit)
	s.settle()
	s.mu.RLock()
	defer s.mu.RUnlock()
	names := make([]string, 0, len(s.streams))
	for name := range s.streams {
		if name > after {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	out := &ListStreamsOutput{StreamNames: []string{}, StreamSummaries: []StreamSummary{}}
	if len(names) > limit {
		names = names[:limit]
		out.HasMoreStreams = true
		out.NextToken = streamsTokenPrefix + base64.RawURLEncoding.EncodeToString([]byte(names[limit-1]))
	}
	for _, name := range names {
		st := s.streams[name]
		out.StreamNames = append(out.StreamNames, name)
		out.StreamSummaries = append(out.StreamSummaries, StreamSummary{
			StreamName: name, StreamARN: s.streamARN(name), StreamStatus: st.rec.Status,
			StreamModeDetails:       StreamModeDetails{StreamMode: st.rec.Mode},
			StreamCreationTimestamp: timestamp(st.rec.CreatedMS / 1000 * 1000),
		})
	}
	return out, nil
}

const streamsTokenPrefix = "ls1."

// DescribeLimitsOutput is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeLimits.html
type DescribeLimitsOutput struct {
	ShardLimit               int `json:"ShardLimit"`
	OpenShardCount           int `json:"OpenShardCount"`
	OnDemandStreamCount      int `json:"OnDemandStreamCount"`
	OnDemandStreamCountLimit int `json:"OnDemandStreamCountLimit"`
}

// DescribeLimits reports the account's shard quota and use.
func (s *Service) DescribeLimits(_ context.Context, _ *struct{}) (*DescribeLimitsOutput, *awswire.Error) {
	s.settle()
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := &DescribeLimitsOutput{ShardLimit: s.cfg.ShardQuota, OnDemandStreamCountLimit: onDemandStreamQuota}
	for _, st := range s.streams {
		if st.rec.Mode == modeOnDemand {
			out.OnDemandStreamCount++
		} else {
			out.OpenShardCount += st.openShards()
		}
	}
	return out, nil
}
