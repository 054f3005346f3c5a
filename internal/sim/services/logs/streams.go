package logs

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// groupName resolves the logGroupName / logGroupIdentifier (name or ARN) pair.
func groupName(name, identifier string) string {
	if name != "" {
		return name
	}
	if rest, ok := strings.CutPrefix(identifier, "arn:"); ok {
		if _, after, ok := strings.Cut(rest, ":log-group:"); ok {
			return strings.TrimSuffix(after, ":*")
		}
	}
	return identifier
}

func checkStreamName(name string) *awswire.Error {
	if name == "" || len(name) > 512 || strings.ContainsAny(name, ":*") {
		return errConstraint(name, "logStreamName", `Member must satisfy regular expression pattern: [^:*]*`)
	}
	return nil
}

// CreateLogStreamInput is https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogStream.html
type CreateLogStreamInput struct {
	LogGroupName  string `json:"logGroupName"`
	LogStreamName string `json:"logStreamName"`
}

// CreateLogStream creates a stream in a group.
func (s *Service) CreateLogStream(_ context.Context, in *CreateLogStreamInput) (*struct{}, *awswire.Error) {
	if e := checkStreamName(in.LogStreamName); e != nil {
		return nil, e
	}
	var ae *awswire.Error
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		if _, e := getGroup(tx, in.LogGroupName); e != nil {
			ae = e
			return nil
		}
		if tx.Has(bucketStreams, streamKey(in.LogGroupName, in.LogStreamName)) {
			ae = errStreamExists()
			return nil
		}
		_, err := s.createStream(tx, in.LogGroupName, in.LogStreamName)
		return err
	})
	if err != nil {
		return nil, errInternal(err)
	}
	return &struct{}{}, ae
}

func (s *Service) createStream(tx *store.Tx, group, name string) (*streamRecord, error) {
	id, err := tx.NextSequence(bucketStreams)
	if err != nil {
		return nil, err
	}
	st := &streamRecord{ID: id, Group: group, Name: name, Created: millis(s.now())}
	return st, tx.Put(bucketStreams, streamKey(group, name), st)
}

// DeleteLogStreamInput is https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteLogStream.html
type DeleteLogStreamInput struct {
	LogGroupName  string `json:"logGroupName"`
	LogStreamName string `json:"logStreamName"`
}

// DeleteLogStream deletes a stream and its events.
func (s *Service) DeleteLogStream(_ context.Context, in *DeleteLogStreamInput) (*struct{}, *awswire.Error) {
	var ae *awswire.Error
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		if _, e := getGroup(tx, in.LogGroupName); e != nil {
			ae = e
			return nil
		}
		st, e := getStream(tx, in.LogGroupName, in.LogStreamName)
		if e != nil {
			ae = e
			return nil
		}
		return deleteStream(tx, st)
	})
	if err != nil {
		return nil, errInternal(err)
	}
	return &struct{}{}, ae
}

func deleteStream(tx *store.Tx, st *streamRecord) error {
	if err := deletePrefix(tx, bucketEvents, store.SeqKey(st.ID)); err != nil {
		return err
	}
	return tx.Delete(bucketStreams, streamKey(st.Group, st.Name))
}

// DescribeLogStreamsInput is https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogStreams.html
type DescribeLogStreamsInput struct {
	LogGroupName        string `json:"logGroupName"`
	LogGroupIdentifier  string `json:"logGroupIdentifier"`
	LogStreamNamePrefix string `json:"logStreamNamePrefix"`
	OrderBy             string `json:"orderBy"`
	Descending          bool   `json:"descending"`
	NextToken           string `json:"nextToken"`
	Limit               *int   `json:"limit"`
}

// LogStream is one entry of DescribeLogStreams.
type LogStream struct {
	LogStreamName       string `json:"logStreamName"`
	Arn                 string `json:"arn"`
	CreationTime        int64  `json:"creationTime"`
	FirstEventTimestamp int64  `json:"firstEventTimestamp,omitempty"`
	LastEventTimestamp  int64  `json:"lastEventTimestamp,omitempty"`
	LastIngestionTime   int64  `json:"lastIngestionTime,omitempty"`
	UploadSequenceToken string `json:"uploadSequenceToken,omitempty"`
	StoredBytes         int64  `json:"storedBytes"`
}

// DescribeLogStreamsOutput answers DescribeLogStreams.
type DescribeLogStreamsOutput struct {
	LogStreams []LogStream `json:"logStreams"`
	NextToken  string      `json:"nextToken,omitempty"`
}

// DescribeLogStreams lists a group's streams by name or by last event time.
func (s *Service) DescribeLogStreams(_ context.Context, in *DescribeLogStreamsInput) (*DescribeLogStreamsOutput, *awswire.Error) {
	group := groupName(in.LogGroupName, in.LogGroupIdentifier)
	switch in.OrderBy {
	case "", "LogStreamName":
	case "LastEventTime":
		if in.LogStreamNamePrefix != "" {
			return nil, errInvalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.")
		}
	default:
		return nil, errConstraint(in.OrderBy, "orderBy", "Member must satisfy enum value set: [LogStreamName, LastEventTime]")
	}
	limit, e := pageLimit(in.Limit, 50)
	if e != nil {
		return nil, e
	}
	after, e := decodeToken(in.NextToken)
	if e != nil {
		return nil, e
	}
	var streams []streamRecord
	var ae *awswire.Error
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		if _, e := getGroup(tx, group); e != nil {
			ae = e
			return nil
		}
		return tx.ForEach(bucketStreams, streamKey(group, in.LogStreamNamePrefix), func(_ string, v []byte) error {
			var st streamRecord
			if err := json.Unmarshal(v, &st); err != nil {
				return err
			}
			streams = append(streams, st)
			return nil
		})
	})
	if err != nil {
		return nil, errInternal(err)
	}
	if ae != nil {
		return nil, ae
	}
	less := func(a, b *streamRecord) bool { return a.Name < b.Name }
	if in.OrderBy == "LastEventTime" {
		less = func(a, b *streamRecord) bool {
			if a.LastEvent != b.LastEvent {
				return a.LastEvent < b.LastEvent
			}
			return a.Name < b.Name
		}
	}
	sort.Slice(streams, func(i, j int) bool {
		if in.Descending {
			return less(&streams[j], &streams[i])
		}
		return less(&streams[i], &streams[j])
	})
	start := 0
	if after != "" {
		start = len(streams)
		for i := range streams {
			if streams[i].Name == after {
				start = i + 1
				break
			}
		}
	}
	out := &DescribeLogStreamsOutput{LogStreams: []LogStream{}}
	for i := start; i < len(streams); i++ {
		if len(out.LogStreams) == limit {
			out.NextToken = encodeToken(streams[i-1].Name)
			break
		}
		st := &streams[i]
		out.LogStreams = append(out.LogStreams, LogStream{LogStreamName: st.Name, CreationTime: st.Created,
			Arn:                 fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s:log-stream:%s", s.cfg.Region, s.cfg.AccountID, st.Group, st.Name),
			FirstEventTimestamp: st.FirstEvent, LastEventTimestamp: st.LastEvent, LastIngestionTime: st.LastIngestion, StoredBytes: st.StoredBytes})
	}
	return out, nil
}
