package dynamodb

import (
	"encoding/json"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// Shapes shared by several operations, with AWS's member names (dynamodb@v1.74.0 schemas).

// AttributeDefinition: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeDefinition.html
type AttributeDefinition struct {
	AttributeName string
	AttributeType string
}

// KeySchemaElement: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_KeySchemaElement.html
type KeySchemaElement struct {
	AttributeName string
	KeyType       string
}

// ProvisionedThroughput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ProvisionedThroughput.html
type ProvisionedThroughput struct {
	ReadCapacityUnits  *int64
	WriteCapacityUnits *int64
}

// ProvisionedThroughputDescription: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ProvisionedThroughputDescription.html
type ProvisionedThroughputDescription struct {
	LastDecreaseDateTime   *awswire.Timestamp `json:",omitempty"`
	LastIncreaseDateTime   *awswire.Timestamp `json:",omitempty"`
	NumberOfDecreasesToday int64
	ReadCapacityUnits      int64
	WriteCapacityUnits     int64
}

// StreamSpecification: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_StreamSpecification.html
type StreamSpecification struct {
	StreamEnabled  *bool
	StreamViewType *string `json:",omitempty"`
}

// BillingModeSummary: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BillingModeSummary.html
type BillingModeSummary struct {
	BillingMode                       string
	LastUpdateToPayPerRequestDateTime *awswire.Timestamp `json:",omitempty"`
}

// TableClassSummary: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableClassSummary.html
type TableClassSummary struct {
	TableClass string
}

// Tag: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Tag.html
type Tag struct {
	Key   string
	Value string
}

// TableDescription: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableDescription.html
type TableDescription struct {
	AttributeDefinitions      []AttributeDefinition
	BillingModeSummary        *BillingModeSummary `json:",omitempty"`
	CreationDateTime          awswire.Timestamp
	DeletionProtectionEnabled bool
	ItemCount                 int64
	KeySchema                 []KeySchemaElement
	LatestStreamArn           string `json:",omitempty"`
	LatestStreamLabel         string `json:",omitempty"`
	ProvisionedThroughput     ProvisionedThroughputDescription
	StreamSpecification       *StreamSpecification `json:",omitempty"`
	TableArn                  string
	TableClassSummary         *TableClassSummary `json:",omitempty"`
	TableId                   string
	TableName                 string
	TableSizeBytes            int64
	TableStatus               string
}

// ConsumedCapacity: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ConsumedCapacity.html
type ConsumedCapacity struct {
	CapacityUnits      float64
	ReadCapacityUnits  float64   `json:",omitempty"`
	WriteCapacityUnits float64   `json:",omitempty"`
	Table              *Capacity `json:",omitempty"`
	TableName          string
}

// Capacity: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Capacity.html
type Capacity struct {
	CapacityUnits      float64
	ReadCapacityUnits  float64 `json:",omitempty"`
	WriteCapacityUnits float64 `json:",omitempty"`
}

// exprParams are the expression members several item operations share.
type exprParams struct {
	ExpressionAttributeNames  map[string]string
	ExpressionAttributeValues map[string]Value
}

// raw is a member the simulator only checks for presence (features it refuses).
type raw = json.RawMessage

func present(r raw) bool { return len(r) > 0 && string(r) != "null" }

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func derefBool(p *bool) bool { return p != nil && *p }

func timestamp(ms int64) awswire.Timestamp {
	return awswire.Timestamp(float64(ms) / 1000)
}

func timestampPtr(ms int64) *awswire.Timestamp {
	if ms == 0 {
		return nil
	}
	t := timestamp(ms)
	return &t
}
