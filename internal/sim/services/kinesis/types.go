package kinesis

import "github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"

// Wire shapes shared by several operations, named and spelled as in the kinesis model
// (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_Types.html).

// StreamModeDetails is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StreamModeDetails.html
type StreamModeDetails struct {
	StreamMode string `json:"StreamMode"`
}

// EnhancedMetrics is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_EnhancedMetrics.html
type EnhancedMetrics struct {
	ShardLevelMetrics []string `json:"ShardLevelMetrics"`
}

// HashKeyRange is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_HashKeyRange.html
type HashKeyRange struct {
	StartingHashKey string `json:"StartingHashKey"`
	EndingHashKey   string `json:"EndingHashKey"`
}

// SequenceNumberRange is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_SequenceNumberRange.html
type SequenceNumberRange struct {
	StartingSequenceNumber string `json:"StartingSequenceNumber"`
	EndingSequenceNumber   string `json:"EndingSequenceNumber,omitempty"`
}

// Shard is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_Shard.html
type Shard struct {
	ShardID               string              `json:"ShardId"`
	ParentShardID         string              `json:"ParentShardId,omitempty"`
	AdjacentParentShardID string              `json:"AdjacentParentShardId,omitempty"`
	HashKeyRange          HashKeyRange        `json:"HashKeyRange"`
	SequenceNumberRange   SequenceNumberRange `json:"SequenceNumberRange"`
}

// ChildShard is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ChildShard.html
type ChildShard struct {
	ShardID      string       `json:"ShardId"`
	ParentShards []string     `json:"ParentShards"`
	HashKeyRange HashKeyRange `json:"HashKeyRange"`
}

// Record is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_Record.html
type Record struct {
	SequenceNumber              string            `json:"SequenceNumber"`
	ApproximateArrivalTimestamp awswire.Timestamp `json:"ApproximateArrivalTimestamp"`
	Data                        []byte            `json:"Data"`
	PartitionKey                string            `json:"PartitionKey"`
	EncryptionType              string            `json:"EncryptionType,omitempty"`
}

// Tag is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_Tag.html
type Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// encryptionNone is every stream's EncryptionType: server-side encryption is not simulated.
const encryptionNone = "NONE"

func (sh *shard) wire() Shard {
	return Shard{
		ShardID:               sh.id,
		ParentShardID:         sh.rec.Parent,
		AdjacentParentShardID: sh.rec.AdjacentParent,
		HashKeyRange:          HashKeyRange{StartingHashKey: sh.rec.StartHash, EndingHashKey: sh.rec.EndHash},
		SequenceNumberRange:   SequenceNumberRange{StartingSequenceNumber: sh.startSeq(), EndingSequenceNumber: sh.rec.EndSeq},
	}
}
