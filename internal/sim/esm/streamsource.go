package esm

import (
	"errors"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/dynamodb"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/kinesis"
)

// Poll rates of AWS's stream pollers (SEMANTICS.md C3).
const (
	KinesisPollInterval  = time.Second
	DynamoDBPollInterval = 250 * time.Millisecond
)

// KinesisReader is the stream API the Kinesis poller uses; *kinesis.Service implements it.
type KinesisReader interface {
	Kinesis
	ListShardsInternal(streamARN string) ([]kinesis.StreamShard, error)
	ReadInternal(streamARN, shardID, afterSeq string, limit int) ([]kinesis.StreamRecord, error)
	PositionInternal(streamARN, shardID, startingPosition string, at time.Time) (string, error)
}

// DynamoDBReader is the stream API the DynamoDB Streams poller uses; *dynamodb.Service implements it.
type DynamoDBReader interface {
	DynamoDB
	StreamShardsInternal(streamARN string) ([]dynamodb.StreamShard, error)
	ReadStreamInternal(streamARN, shardID, afterSeq string, max int) ([]dynamodb.StreamRecord, error)
	PositionInternal(streamARN, shardID, startingPosition string) (string, error)
}

// shardInfo is a shard and its lineage, whatever the stream.
type shardInfo struct {
	ShardID               string
	ParentShardID         string
	AdjacentParentShardID string
	Closed                bool
}

// streamRecord is one record: its sequence number, arrival, what filters see and the event record.
type streamRecord struct {
	seq        string
	key        string // partition key (Kinesis) or item key (DynamoDB): what ParallelizationFactor keeps in order
	arrival    time.Time
	filterView map[string]any
	event      any
}

// streamSource adapts one stream service to the poller.
type streamSource interface {
	shards() ([]shardInfo, error)
	read(shardID, afterSeq string, n int) ([]streamRecord, error)
	position(shardID, startingPosition string, at time.Time) (string, error)
	shardGone(err error) bool
	interval() time.Duration
	trigger() string
	batchInfoKey() string
}

type kinesisSource struct {
	api    KinesisReader
	stream string
	region string
	role   string
}

func (k *kinesisSource) shards() ([]shardInfo, error) {
	list, err := k.api.ListShardsInternal(k.stream)
	out := make([]shardInfo, len(list))
	for i, sh := range list {
		out[i] = shardInfo{ShardID: sh.ShardID, ParentShardID: sh.ParentShardID, AdjacentParentShardID: sh.AdjacentParentShardID, Closed: sh.Closed}
	}
	return out, err
}

// kinesisRecord is one record of Lambda's Kinesis event (aws-lambda-go events.KinesisEventRecord).
type kinesisRecord struct {
	Kinesis           kinesisData `json:"kinesis"`
	EventSource       string      `json:"eventSource"`
	EventVersion      string      `json:"eventVersion"`
	EventID           string      `json:"eventID"`
	EventName         string      `json:"eventName"`
	InvokeIdentityArn string      `json:"invokeIdentityArn"`
	AWSRegion         string      `json:"awsRegion"`
	EventSourceARN    string      `json:"eventSourceARN"`
}

type kinesisData struct {
	KinesisSchemaVersion        string  `json:"kinesisSchemaVersion"`
	PartitionKey                string  `json:"partitionKey"`
	SequenceNumber              string  `json:"sequenceNumber"`
	Data                        []byte  `json:"data"`
	ApproximateArrivalTimestamp float64 `json:"approximateArrivalTimestamp"`
}

func (k *kinesisSource) read(shardID, afterSeq string, n int) ([]streamRecord, error) {
	recs, err := k.api.ReadInternal(k.stream, shardID, afterSeq, n)
	out := make([]streamRecord, len(recs))
	for i, r := range recs {
		// Filters see data as JSON when it decodes as JSON (invocation-eventfiltering.html).
		var data any = string(r.Data)
		if v, err := decodeJSON(r.Data); err == nil {
			data = v
		}
		out[i] = streamRecord{seq: r.SequenceNumber, key: r.PartitionKey, arrival: r.ApproximateArrivalTimestamp,
			filterView: map[string]any{"partitionKey": r.PartitionKey, "sequenceNumber": r.SequenceNumber, "data": data},
			event: kinesisRecord{
				Kinesis: kinesisData{KinesisSchemaVersion: "1.0", PartitionKey: r.PartitionKey, SequenceNumber: r.SequenceNumber, Data: r.Data,
					ApproximateArrivalTimestamp: float64(r.ApproximateArrivalTimestamp.UnixMilli()) / 1000},
				EventSource: "aws:kinesis", EventVersion: "1.0", EventID: shardID + ":" + r.SequenceNumber, EventName: "aws:kinesis:record",
				InvokeIdentityArn: k.role, AWSRegion: k.region, EventSourceARN: k.stream,
			}}
	}
	return out, err
}

func (k *kinesisSource) position(shardID, pos string, at time.Time) (string, error) {
	return k.api.PositionInternal(k.stream, shardID, pos, at)
}
func (k *kinesisSource) shardGone(err error) bool { return errors.Is(err, kinesis.ErrShardNotFound) }
func (k *kinesisSource) interval() time.Duration  { return KinesisPollInterval }
func (k *kinesisSource) trigger() string          { return "kinesis:" + k.stream }
func (k *kinesisSource) batchInfoKey() string     { return "KinesisBatchInfo" }

type dynamoSource struct {
	api    DynamoDBReader
	stream string
}

func (d *dynamoSource) shards() ([]shardInfo, error) {
	list, err := d.api.StreamShardsInternal(d.stream)
	out := make([]shardInfo, len(list))
	for i, sh := range list {
		out[i] = shardInfo{ShardID: sh.ShardID, ParentShardID: sh.ParentShardID, Closed: sh.Closed}
	}
	return out, err
}

func (d *dynamoSource) read(shardID, afterSeq string, n int) ([]streamRecord, error) {
	recs, err := d.api.ReadStreamInternal(d.stream, shardID, afterSeq, n)
	out := make([]streamRecord, len(recs))
	for i := range recs {
		r := recs[i]
		// Filters see the record as the event carries it, "dynamodb" included.
		var view map[string]any
		if b, err := jsonMarshal(r); err == nil {
			if v, err := decodeJSON(b); err == nil {
				view, _ = v.(map[string]any)
			}
		}
		key, _ := jsonMarshal(r.Dynamodb.Keys)
		out[i] = streamRecord{seq: r.Dynamodb.SequenceNumber, key: string(key), arrival: r.CreatedAt(), filterView: view, event: r}
	}
	return out, err
}

func (d *dynamoSource) position(shardID, pos string, _ time.Time) (string, error) {
	return d.api.PositionInternal(d.stream, shardID, pos)
}
func (d *dynamoSource) shardGone(err error) bool { return errors.Is(err, dynamodb.ErrShardNotFound) }
func (d *dynamoSource) interval() time.Duration  { return DynamoDBPollInterval }
func (d *dynamoSource) trigger() string          { return "dynamodb:" + d.stream }
func (d *dynamoSource) batchInfoKey() string     { return "DDBStreamBatchInfo" }

// The simulator's services implement the poller APIs.
var (
	_ KinesisReader  = (*kinesis.Service)(nil)
	_ DynamoDBReader = (*dynamodb.Service)(nil)
)
