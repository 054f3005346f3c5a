package esm

import (
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// States of a mapping (GetEventSourceMapping's State).
const (
	StateCreating  = "Creating"
	StateEnabling  = "Enabling"
	StateEnabled   = "Enabled"
	StateDisabling = "Disabling"
	StateDisabled  = "Disabled"
	StateUpdating  = "Updating"
	StateDeleting  = "Deleting"
)

// LastProcessingResult values.
const (
	ResultNone    = "No records processed"
	ResultOK      = "OK"
	ResultProblem = "PROBLEM: Function call failed"
)

// Source kinds, from the event source ARN's service.
const (
	KindSQS      = "sqs"
	KindKinesis  = "kinesis"
	KindDynamoDB = "dynamodb"
)

// DestinationConfig is where a stream mapping sends the record of a discarded batch.
// https://docs.aws.amazon.com/lambda/latest/api/API_DestinationConfig.html
type DestinationConfig struct {
	OnFailure *Destination `json:"OnFailure,omitempty"`
	OnSuccess *Destination `json:"OnSuccess,omitempty"`
}

// Destination names one destination ARN.
type Destination struct {
	Destination *string `json:"Destination,omitempty"`
}

// FilterCriteria holds up to 5 filters, OR-ed.
// https://docs.aws.amazon.com/lambda/latest/api/API_FilterCriteria.html
type FilterCriteria struct {
	Filters []Filter `json:"Filters"`
}

// Filter is one pattern (JSON text, content-filtering syntax).
type Filter struct {
	Pattern *string `json:"Pattern,omitempty"`
}

// ScalingConfig bounds the concurrency of an SQS mapping.
// https://docs.aws.amazon.com/lambda/latest/api/API_ScalingConfig.html
type ScalingConfig struct {
	MaximumConcurrency *int32 `json:"MaximumConcurrency,omitempty"`
}

// Settings are the members of CreateEventSourceMapping and UpdateEventSourceMapping that
// configure a mapping; nil means "not given".
// https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
// https://docs.aws.amazon.com/lambda/latest/api/API_UpdateEventSourceMapping.html
type Settings struct {
	FunctionName                   *string            `json:"FunctionName,omitempty"`
	Enabled                        *bool              `json:"Enabled,omitempty"`
	BatchSize                      *int32             `json:"BatchSize,omitempty"`
	MaximumBatchingWindowInSeconds *int32             `json:"MaximumBatchingWindowInSeconds,omitempty"`
	ParallelizationFactor          *int32             `json:"ParallelizationFactor,omitempty"`
	MaximumRetryAttempts           *int32             `json:"MaximumRetryAttempts,omitempty"`
	MaximumRecordAgeInSeconds      *int32             `json:"MaximumRecordAgeInSeconds,omitempty"`
	BisectBatchOnFunctionError     *bool              `json:"BisectBatchOnFunctionError,omitempty"`
	TumblingWindowInSeconds        *int32             `json:"TumblingWindowInSeconds,omitempty"`
	DestinationConfig              *DestinationConfig `json:"DestinationConfig,omitempty"`
	FunctionResponseTypes          []string           `json:"FunctionResponseTypes,omitempty"`
	FilterCriteria                 *FilterCriteria    `json:"FilterCriteria,omitempty"`
	ScalingConfig                  *ScalingConfig     `json:"ScalingConfig,omitempty"`
}

// CreateEventSourceMappingInput: https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
type CreateEventSourceMappingInput struct {
	Settings
	EventSourceArn            *string            `json:"EventSourceArn,omitempty"`
	StartingPosition          *string            `json:"StartingPosition,omitempty"`
	StartingPositionTimestamp *awswire.Timestamp `json:"StartingPositionTimestamp,omitempty"`
	Tags                      map[string]string  `json:"Tags,omitempty"`
}

// UpdateEventSourceMappingInput: https://docs.aws.amazon.com/lambda/latest/api/API_UpdateEventSourceMapping.html
type UpdateEventSourceMappingInput struct {
	Settings
	UUID string `json:"-"`
}

// ListEventSourceMappingsInput: https://docs.aws.amazon.com/lambda/latest/api/API_ListEventSourceMappings.html
type ListEventSourceMappingsInput struct {
	EventSourceArn string
	FunctionName   string
	Marker         string
	MaxItems       int // 0 means the default (100)
}

// ListEventSourceMappingsOutput is ListEventSourceMappings' answer.
type ListEventSourceMappingsOutput struct {
	EventSourceMappings []*EventSourceMappingConfiguration `json:"EventSourceMappings"`
	NextMarker          *string                            `json:"NextMarker,omitempty"`
}

// EventSourceMappingConfiguration is a mapping as the API answers it.
// https://docs.aws.amazon.com/lambda/latest/api/API_EventSourceMappingConfiguration.html
type EventSourceMappingConfiguration struct {
	UUID                           string             `json:"UUID"`
	EventSourceArn                 string             `json:"EventSourceArn"`
	EventSourceMappingArn          string             `json:"EventSourceMappingArn,omitempty"`
	FunctionArn                    string             `json:"FunctionArn"`
	State                          string             `json:"State"`
	StateTransitionReason          string             `json:"StateTransitionReason"`
	LastModified                   awswire.Timestamp  `json:"LastModified"`
	LastProcessingResult           string             `json:"LastProcessingResult,omitempty"`
	BatchSize                      *int32             `json:"BatchSize,omitempty"`
	MaximumBatchingWindowInSeconds *int32             `json:"MaximumBatchingWindowInSeconds,omitempty"`
	StartingPosition               string             `json:"StartingPosition,omitempty"`
	StartingPositionTimestamp      *awswire.Timestamp `json:"StartingPositionTimestamp,omitempty"`
	ParallelizationFactor          *int32             `json:"ParallelizationFactor,omitempty"`
	MaximumRetryAttempts           *int32             `json:"MaximumRetryAttempts,omitempty"`
	MaximumRecordAgeInSeconds      *int32             `json:"MaximumRecordAgeInSeconds,omitempty"`
	BisectBatchOnFunctionError     *bool              `json:"BisectBatchOnFunctionError,omitempty"`
	TumblingWindowInSeconds        *int32             `json:"TumblingWindowInSeconds,omitempty"`
	DestinationConfig              *DestinationConfig `json:"DestinationConfig,omitempty"`
	FunctionResponseTypes          []string           `json:"FunctionResponseTypes"`
	FilterCriteria                 *FilterCriteria    `json:"FilterCriteria,omitempty"`
	ScalingConfig                  *ScalingConfig     `json:"ScalingConfig,omitempty"`
}

// record is a mapping as stored (bucket "esm/mappings", key UUID).
type record struct {
	Config EventSourceMappingConfiguration `json:"config"`
	// FunctionName is the function as given (name, ARN or qualified ARN): what the poller resolves.
	FunctionName string `json:"functionName"`
	// Enabled is the state the mapping goes to after a transition.
	Enabled bool   `json:"enabled"`
	Kind    string `json:"kind"`
	// TransitionAt is when the current transition (Creating, Updating, ...) completes.
	TransitionAt time.Time `json:"transitionAt"`
	Modified     time.Time `json:"modified"`
}

func (r *record) transitional() bool {
	switch r.Config.State {
	case StateEnabled, StateDisabled:
		return false
	}
	return true
}
