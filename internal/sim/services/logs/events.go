package logs

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// PutLogEvents limits, from the API reference.
const (
	maxBatchEvents   = 10_000
	maxBatchBytes    = 1_048_576
	eventOverhead    = 26
	maxFuture        = 2 * time.Hour
	maxPast          = 14 * 24 * time.Hour
	maxBatchSpan     = 24 * time.Hour
	maxReadEvents    = 10_000
	tokenForward     = "f/"
	tokenBackward    = "b/"
	tokenSuffix      = "/s"
	positionDigits   = 40
	sequenceTokenLen = 56
)

// InputLogEvent is https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_InputLogEvent.html
type InputLogEvent struct {
	Timestamp int64  `json:"timestamp"`
	Message   string `json:"message"`
}

// PutLogEventsInput is https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html
type PutLogEventsInput struct {
	LogGroupName  string          `json:"logGroupName"`
	LogStreamName string          `json:"logStreamName"`
	LogEvents     []InputLogEvent `json:"logEvents"`
	SequenceToken string          `json:"sequenceToken"`
}

// RejectedLogEventsInfo says which events were not stored. tooNewLogEventStartIndex is
// inclusive; the end indexes are exclusive.
type RejectedLogEventsInfo struct {
	TooNewLogEventStartIndex *int `json:"tooNewLogEventStartIndex,omitempty"`
	TooOldLogEventEndIndex   *int `json:"tooOldLogEventEndIndex,omitempty"`
	ExpiredLogEventEndIndex  *int `json:"expiredLogEventEndIndex,omitempty"`
}

// PutLogEventsOutput answers PutLogEvents.
type PutLogEventsOutput struct {
	NextSequenceToken     string                 `json:"nextSequenceToken,omitempty"`
	RejectedLogEventsInfo *RejectedLogEventsInfo `json:"rejectedLogEventsInfo,omitempty"`
}

// PutLogEvents stores a batch of events in a stream.
func (s *Service) PutLogEvents(_ context.Context, in *PutLogEventsInput) (*PutLogEventsOutput, *awswire.Error) {
	n := len(in.LogEvents)
	if n == 0 {
		return nil, errConstraint("[]", "logEvents", "Member must have length greater than or equal to 1")
	}
	if n > maxBatchEvents {
		return nil, errConstraint("[...]", "logEvents", "Member must have length less than or equal to 10000")
	}
	size := 0
	for i, e := range in.LogEvents {
		if e.Message == "" {
			return nil, errConstraint("", "logEvents."+strconv.Itoa(i+1)+".member.message", "Member must have length greater than or equal to 1")
		}
		size += len(e.Message) + eventOverhead
		if i > 0 && e.Timestamp < in.LogEvents[i-1].Timestamp {
			return nil, errInvalidParameter("Log events in a single PutLogEvents request must be in chronological order.")
		}
	}
	if size > maxBatchBytes {
		return nil, errInvalidParameter("Upload too large: %d bytes exceeds limit of %d", size, maxBatchBytes)
	}
	if time.Duration(in.LogEvents[n-1].Timestamp-in.LogEvents[0].Timestamp)*time.Millisecond > maxBatchSpan {
		return nil, errInvalidParameter("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
	}
	out := &PutLogEventsOutput{NextSequenceToken: sequenceToken(s.now())}
	var ae *awswire.Error
	var due []dueBatch
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		due = due[:0]
		g, e := getGroup(tx, in.LogGroupName)
		if e != nil {
			ae = e
			return nil
		}
		st, e := getStream(tx, in.LogGroupName, in.LogStreamName)
		if e != nil {
			ae = e
			return nil
		}
		now := s.now()
		accepted, info := screen(in.LogEvents, g, now)
		out.RejectedLogEventsInfo = info
		var err error
		due, err = s.appendEvents(tx, g, st, accepted, now)
		return err
	})
	if err != nil {
		return nil, errInternal(err)
	}
	if ae != nil {
		return nil, ae
	}
	s.schedule(due)
	return out, nil
}

// screen splits a chronological batch into the events to store and the rejected ranges.
func screen(events []InputLogEvent, g *groupRecord, now time.Time) ([]InputLogEvent, *RejectedLogEventsInfo) {
	newest := millis(now.Add(maxFuture))
	oldest := millis(now.Add(-maxPast))
	expiredBefore := int64(-1 << 62)
	if g.RetentionDays > 0 {
		expiredBefore = millis(now.Add(-time.Duration(g.RetentionDays) * 24 * time.Hour))
	}
	var info RejectedLogEventsInfo
	var accepted []InputLogEvent
	rejected := false
	for i, e := range events {
		switch {
		case e.Timestamp > newest:
			if info.TooNewLogEventStartIndex == nil {
				idx := i
				info.TooNewLogEventStartIndex = &idx
			}
			rejected = true
		case e.Timestamp < oldest:
			end := i + 1
			info.TooOldLogEventEndIndex = &end
			rejected = true
		case e.Timestamp < expiredBefore:
			end := i + 1
			info.ExpiredLogEventEndIndex = &end
			rejected = true
		default:
			accepted = append(accepted, e)
		}
	}
	if !rejected {
		return accepted, nil
	}
	return accepted, &info
}

// sequenceToken is a token in AWS's shape (56 digits); PutLogEvents ignores the ones it gets.
func sequenceToken(now time.Time) string {
	t := strconv.FormatInt(now.UnixNano(), 10)
	return strings.Repeat("4", sequenceTokenLen-len(t)) + t
}

// appendEvents stores events (already screened) in a stream and hands the ones that match a
// subscription filter to that filter's open batch.
func (s *Service) appendEvents(tx *store.Tx, g *groupRecord, st *streamRecord, events []InputLogEvent, now time.Time) ([]dueBatch, error) {
	if len(events) == 0 {
		return nil, nil
	}
	ingestion := millis(now)
	stored := make([]batchLogEvent, 0, len(events))
	for _, e := range events {
		seq, err := tx.NextSequence(bucketEvents)
		if err != nil {
			return nil, err
		}
		key := eventKey(st.ID, e.Timestamp, seq)
		if err := tx.Put(bucketEvents, key, eventRecord{Timestamp: e.Timestamp, Ingestion: ingestion, Message: e.Message}); err != nil {
			return nil, err
		}
		stored = append(stored, batchLogEvent{ID: eventID(key), Timestamp: e.Timestamp, Message: e.Message})
		if st.FirstEvent == 0 || e.Timestamp < st.FirstEvent {
			st.FirstEvent = e.Timestamp
		}
		if e.Timestamp > st.LastEvent {
			st.LastEvent = e.Timestamp
		}
		st.StoredBytes += int64(len(e.Message))
		g.StoredBytes += int64(len(e.Message))
	}
	st.LastIngestion = ingestion
	if err := tx.Put(bucketStreams, streamKey(st.Group, st.Name), st); err != nil {
		return nil, err
	}
	if err := tx.Put(bucketGroups, g.Name, g); err != nil {
		return nil, err
	}
	return s.route(tx, g.Name, st.Name, stored, now)
}

// eventID is the id subscriptions and FilterLogEvents give an event: the digits of its key.
func eventID(key string) string { return key }

// GetLogEventsInput is https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html
type GetLogEventsInput struct {
	LogGroupName       string `json:"logGroupName"`
	LogGroupIdentifier string `json:"logGroupIdentifier"`
	LogStreamName      string `json:"logStreamName"`
	StartTime          *int64 `json:"startTime"`
	EndTime            *int64 `json:"endTime"`
	NextToken          string `json:"nextToken"`
	Limit              *int   `json:"limit"`
	StartFromHead      *bool  `json:"startFromHead"`
	Unmask             bool   `json:"unmask"`
}

// OutputLogEvent is one event of GetLogEvents.
type OutputLogEvent struct {
	Timestamp     int64  `json:"timestamp"`
	Message       string `json:"message"`
	IngestionTime int64  `json:"ingestionTime"`
}

// GetLogEventsOutput answers GetLogEvents.
type GetLogEventsOutput struct {
	Events            []OutputLogEvent `json:"events"`
	NextForwardToken  string           `json:"nextForwardToken"`
	NextBackwardToken string           `json:"nextBackwardToken"`
}

type positioned struct {
	pos string // timestamp+sequence digits, the order within the stream
	ev  eventRecord
}

// GetLogEvents reads a stream forwards or backwards. Tokens are "f/<position>/s" (events after)
// and "b/<position>/s" (events before); at the end of the stream the same token comes back, as
// AWS documents.
func (s *Service) GetLogEvents(_ context.Context, in *GetLogEventsInput) (*GetLogEventsOutput, *awswire.Error) {
	group := groupName(in.LogGroupName, in.LogGroupIdentifier)
	limit, e := pageLimit(in.Limit, maxReadEvents)
	if e != nil {
		return nil, e
	}
	forward := in.StartFromHead != nil && *in.StartFromHead
	var after, before string
	switch {
	case in.NextToken == "":
	case strings.HasPrefix(in.NextToken, tokenForward):
		after, e = tokenPosition(in.NextToken)
		forward = true
	case strings.HasPrefix(in.NextToken, tokenBackward):
		before, e = tokenPosition(in.NextToken)
		forward = false
	default:
		e = errInvalidParameter("The specified nextToken is invalid.")
	}
	if e != nil {
		return nil, e
	}
	lo, hi := timeRange(in.StartTime, in.EndTime)
	var all []positioned
	var ae *awswire.Error
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		if _, e := getGroup(tx, group); e != nil {
			ae = e
			return nil
		}
		st, e := getStream(tx, group, in.LogStreamName)
		if e != nil {
			ae = e
			return nil
		}
		prefix := store.SeqKey(st.ID)
		return tx.ForEach(bucketEvents, prefix, func(k string, v []byte) error {
			var ev eventRecord
			if err := json.Unmarshal(v, &ev); err != nil {
				return err
			}
			pos := k[len(prefix):]
			if ev.Timestamp < lo || ev.Timestamp >= hi || (after != "" && pos <= after) || (before != "" && pos >= before) {
				return nil
			}
			all = append(all, positioned{pos, ev})
			return nil
		})
	})
	if err != nil {
		return nil, errInternal(err)
	}
	if ae != nil {
		return nil, ae
	}
	page := all
	if len(page) > limit {
		if forward {
			page = page[:limit]
		} else {
			page = page[len(page)-limit:]
		}
	}
	out := &GetLogEventsOutput{Events: make([]OutputLogEvent, 0, len(page))}
	for _, p := range page {
		out.Events = append(out.Events, OutputLogEvent{Timestamp: p.ev.Timestamp, Message: p.ev.Message, IngestionTime: p.ev.Ingestion})
	}
	if len(page) == 0 {
		if in.NextToken != "" {
			out.NextForwardToken, out.NextBackwardToken = in.NextToken, in.NextToken
		} else {
			edge := strings.Repeat("0", positionDigits)
			out.NextForwardToken, out.NextBackwardToken = makeToken(tokenForward, edge), makeToken(tokenBackward, edge)
		}
		return out, nil
	}
	out.NextForwardToken = makeToken(tokenForward, page[len(page)-1].pos)
	out.NextBackwardToken = makeToken(tokenBackward, page[0].pos)
	return out, nil
}

func makeToken(kind, pos string) string { return kind + pos + tokenSuffix }

func tokenPosition(token string) (string, *awswire.Error) {
	pos := strings.TrimSuffix(token[2:], tokenSuffix)
	if len(pos) != positionDigits || strings.Trim(pos, "0123456789") != "" {
		return "", errInvalidParameter("The specified nextToken is invalid.")
	}
	return pos, nil
}

// timeRange turns optional startTime (inclusive) and endTime (exclusive) into bounds.
func timeRange(start, end *int64) (int64, int64) {
	lo, hi := int64(-1<<62), int64(1<<62)
	if start != nil {
		lo = *start
	}
	if end != nil {
		hi = *end
	}
	return lo, hi
}

// FilterLogEventsInput is https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html
type FilterLogEventsInput struct {
	LogGroupName        string   `json:"logGroupName"`
	LogGroupIdentifier  string   `json:"logGroupIdentifier"`
	LogStreamNames      []string `json:"logStreamNames"`
	LogStreamNamePrefix string   `json:"logStreamNamePrefix"`
	StartTime           *int64   `json:"startTime"`
	EndTime             *int64   `json:"endTime"`
	FilterPattern       string   `json:"filterPattern"`
	NextToken           string   `json:"nextToken"`
	Limit               *int     `json:"limit"`
	Interleaved         bool     `json:"interleaved"`
	Unmask              bool     `json:"unmask"`
}

// FilteredLogEvent is one event of FilterLogEvents.
type FilteredLogEvent struct {
	LogStreamName string `json:"logStreamName"`
	Timestamp     int64  `json:"timestamp"`
	Message       string `json:"message"`
	IngestionTime int64  `json:"ingestionTime"`
	EventID       string `json:"eventId"`
}

// FilterLogEventsOutput answers FilterLogEvents.
type FilterLogEventsOutput struct {
	Events             []FilteredLogEvent `json:"events"`
	SearchedLogStreams []any              `json:"searchedLogStreams"`
	NextToken          string             `json:"nextToken,omitempty"`
}

// FilterLogEvents searches a group's streams, in timestamp order across streams.
func (s *Service) FilterLogEvents(_ context.Context, in *FilterLogEventsInput) (*FilterLogEventsOutput, *awswire.Error) {
	group := groupName(in.LogGroupName, in.LogGroupIdentifier)
	if len(in.LogStreamNames) > 0 && in.LogStreamNamePrefix != "" {
		return nil, errInvalidParameter("You cannot specify both LogStreamNames and LogStreamNamePrefix.")
	}
	limit, e := pageLimit(in.Limit, maxReadEvents)
	if e != nil {
		return nil, e
	}
	after, e := decodeToken(in.NextToken)
	if e != nil {
		return nil, e
	}
	fp, e := s.compileFilter(in.FilterPattern)
	if e != nil {
		return nil, e
	}
	lo, hi := timeRange(in.StartTime, in.EndTime)
	type hit struct {
		order string
		ev    FilteredLogEvent
	}
	var hits []hit
	var ae *awswire.Error
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		if _, e := getGroup(tx, group); e != nil {
			ae = e
			return nil
		}
		var streams []streamRecord
		if err := tx.ForEach(bucketStreams, streamKey(group, in.LogStreamNamePrefix), func(_ string, v []byte) error {
			var st streamRecord
			if err := json.Unmarshal(v, &st); err != nil {
				return err
			}
			if len(in.LogStreamNames) == 0 || contains(in.LogStreamNames, st.Name) {
				streams = append(streams, st)
			}
			return nil
		}); err != nil {
			return err
		}
		for _, st := range streams {
			prefix := store.SeqKey(st.ID)
			if err := tx.ForEach(bucketEvents, prefix, func(k string, v []byte) error {
				var ev eventRecord
				if err := json.Unmarshal(v, &ev); err != nil {
					return err
				}
				if ev.Timestamp < lo || ev.Timestamp >= hi {
					return nil
				}
				// Order across streams: timestamp, then stream, then arrival.
				order := k[len(prefix):len(prefix)+20] + prefix + k[len(prefix)+20:]
				if after != "" && order <= after {
					return nil
				}
				if !fp.match(ev.Message) {
					return nil
				}
				hits = append(hits, hit{order, FilteredLogEvent{LogStreamName: st.Name, Timestamp: ev.Timestamp, Message: ev.Message, IngestionTime: ev.Ingestion, EventID: eventID(k)}})
				return nil
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, errInternal(err)
	}
	if ae != nil {
		return nil, ae
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].order < hits[j].order })
	out := &FilterLogEventsOutput{Events: []FilteredLogEvent{}, SearchedLogStreams: []any{}}
	for i, h := range hits {
		if i == limit {
			out.NextToken = encodeToken(hits[i-1].order)
			break
		}
		out.Events = append(out.Events, h.ev)
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
