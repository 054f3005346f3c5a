package logs

import (
	"errors"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Store layout: every bucket lives under "logs/".
const (
	bucketGroups  = "logs/groups"  // group name -> groupRecord
	bucketStreams = "logs/streams" // streamKey(group, stream) -> streamRecord
	bucketEvents  = "logs/events"  // eventKey(stream id, timestamp, seq) -> eventRecord
	bucketSubs    = "logs/subs"    // subKey(group, filter) -> subRecord
	bucketOutbox  = "logs/outbox"  // store.SeqKey(n) -> batchRecord
	bucketOpen    = "logs/open"    // openKey(group, filter, stream) -> outbox key of the open batch
)

// keySep separates a group name from what follows; ":" cannot appear in group names.
const keySep = ":"

func streamKey(group, stream string) string { return group + keySep + stream }

func subKey(group, filter string) string { return group + keySep + filter }

func openKey(group, filter, stream string) string {
	return group + keySep + filter + keySep + stream
}

// eventKey sorts a stream's events by timestamp, then arrival.
func eventKey(streamID uint64, ts int64, seq uint64) string {
	return store.SeqKey(streamID) + store.SeqKey(uint64(ts)) + store.SeqKey(seq)
}

type groupRecord struct {
	Name          string            `json:"name"`
	Created       int64             `json:"created"`
	RetentionDays int               `json:"retentionDays,omitempty"`
	KmsKeyID      string            `json:"kmsKeyId,omitempty"`
	Class         string            `json:"class,omitempty"`
	Tags          map[string]string `json:"tags,omitempty"`
	StoredBytes   int64             `json:"storedBytes"`
}

type streamRecord struct {
	ID            uint64 `json:"id"`
	Group         string `json:"group"`
	Name          string `json:"name"`
	Created       int64  `json:"created"`
	FirstEvent    int64  `json:"firstEvent,omitempty"`
	LastEvent     int64  `json:"lastEvent,omitempty"`
	LastIngestion int64  `json:"lastIngestion,omitempty"`
	StoredBytes   int64  `json:"storedBytes"`
}

type eventRecord struct {
	Timestamp int64  `json:"t"`
	Ingestion int64  `json:"i"`
	Message   string `json:"m"`
}

type subRecord struct {
	Group          string `json:"group"`
	Name           string `json:"name"`
	Pattern        string `json:"pattern"`
	DestinationARN string `json:"destinationArn"`
	RoleARN        string `json:"roleArn,omitempty"`
	Distribution   string `json:"distribution,omitempty"`
	Created        int64  `json:"created"`
}

// batchRecord is one message waiting to go to a subscription's destination.
type batchRecord struct {
	Key            string          `json:"key"`
	Control        bool            `json:"control,omitempty"`
	Group          string          `json:"group"`
	Stream         string          `json:"stream"`
	Filter         string          `json:"filter"`
	DestinationARN string          `json:"destinationArn"`
	Events         []batchLogEvent `json:"events"`
	Bytes          int             `json:"bytes"`
	Created        time.Time       `json:"created"`
	DueAt          time.Time       `json:"dueAt"`
	Attempts       int             `json:"attempts"`
	Open           bool            `json:"open"`
}

// batchLogEvent is a log event as subscription payloads carry it.
type batchLogEvent struct {
	ID        string `json:"id"`
	Timestamp int64  `json:"timestamp"`
	Message   string `json:"message"`
}

func getGroup(tx *store.Tx, name string) (*groupRecord, *awswire.Error) {
	var g groupRecord
	if err := tx.Get(bucketGroups, name, &g); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, errGroupNotFound()
		}
		return nil, errInternal(err)
	}
	return &g, nil
}

func getStream(tx *store.Tx, group, name string) (*streamRecord, *awswire.Error) {
	var st streamRecord
	if err := tx.Get(bucketStreams, streamKey(group, name), &st); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, errStreamNotFound()
		}
		return nil, errInternal(err)
	}
	return &st, nil
}

// deletePrefix removes every key of bucket that starts with prefix.
func deletePrefix(tx *store.Tx, bucket, prefix string) error {
	var keys []string
	if err := tx.ForEach(bucket, prefix, func(k string, _ []byte) error {
		keys = append(keys, k)
		return nil
	}); err != nil {
		return err
	}
	for _, k := range keys {
		if err := tx.Delete(bucket, k); err != nil {
			return err
		}
	}
	return nil
}
