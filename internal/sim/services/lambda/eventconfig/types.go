package eventconfig

// DestinationConfig is where records of asynchronous invocations go.
// https://docs.aws.amazon.com/lambda/latest/api/API_DestinationConfig.html
type DestinationConfig struct {
	OnSuccess *Destination `json:"OnSuccess,omitempty"`
	OnFailure *Destination `json:"OnFailure,omitempty"`
}

// Destination is OnSuccess or OnFailure: one destination ARN.
// https://docs.aws.amazon.com/lambda/latest/api/API_OnSuccess.html
type Destination struct {
	Destination *string `json:"Destination,omitempty"`
}

// FunctionEventInvokeConfig is a stored config as the API answers it.
// https://docs.aws.amazon.com/lambda/latest/api/API_FunctionEventInvokeConfig.html
type FunctionEventInvokeConfig struct {
	DestinationConfig        *DestinationConfig `json:"DestinationConfig,omitempty"`
	FunctionARN              string             `json:"FunctionArn"`
	LastModified             float64            `json:"LastModified"` // Unix seconds, milliseconds as the fraction
	MaximumEventAgeInSeconds *int32             `json:"MaximumEventAgeInSeconds,omitempty"`
	MaximumRetryAttempts     *int32             `json:"MaximumRetryAttempts,omitempty"`
}

// record is what the store keeps for one function version or alias.
type record struct {
	FunctionName             string             `json:"functionName"`
	Qualifier                string             `json:"qualifier"` // "$LATEST", a version number or an alias name
	MaximumRetryAttempts     *int32             `json:"maximumRetryAttempts,omitempty"`
	MaximumEventAgeInSeconds *int32             `json:"maximumEventAgeInSeconds,omitempty"`
	DestinationConfig        *DestinationConfig `json:"destinationConfig,omitempty"`
	LastModifiedMs           int64              `json:"lastModifiedMs"`
}

// PutFunctionEventInvokeConfigInput replaces the config of a function, version or alias.
// https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html
type PutFunctionEventInvokeConfigInput struct {
	FunctionName             string             `json:"-"`
	Qualifier                string             `json:"-"`
	DestinationConfig        *DestinationConfig `json:"DestinationConfig,omitempty"`
	MaximumEventAgeInSeconds *int32             `json:"MaximumEventAgeInSeconds,omitempty"`
	MaximumRetryAttempts     *int32             `json:"MaximumRetryAttempts,omitempty"`
}

// UpdateFunctionEventInvokeConfigInput merges into the config of a function, version or alias.
// https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionEventInvokeConfig.html
type UpdateFunctionEventInvokeConfigInput = PutFunctionEventInvokeConfigInput

// GetFunctionEventInvokeConfigInput names a config.
// https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionEventInvokeConfig.html
type GetFunctionEventInvokeConfigInput struct {
	FunctionName string
	Qualifier    string
}

// DeleteFunctionEventInvokeConfigInput names a config to delete.
// https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunctionEventInvokeConfig.html
type DeleteFunctionEventInvokeConfigInput = GetFunctionEventInvokeConfigInput

// ListFunctionEventInvokeConfigsInput lists a function's configs, 1-50 a page.
// https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctionEventInvokeConfigs.html
type ListFunctionEventInvokeConfigsInput struct {
	FunctionName string
	Marker       string
	MaxItems     *int32
}

// ListFunctionEventInvokeConfigsOutput is one page of configs.
type ListFunctionEventInvokeConfigsOutput struct {
	FunctionEventInvokeConfigs []FunctionEventInvokeConfig `json:"FunctionEventInvokeConfigs"`
	NextMarker                 *string                     `json:"NextMarker,omitempty"`
}

// Settings is what the async queue applies to one event: the stored config with AWS's defaults
// filled in.
type Settings struct {
	MaximumRetryAttempts     int
	MaximumEventAgeInSeconds int
	OnSuccess                string // destination ARN, "" when none
	OnFailure                string
}

// Defaults AWS applies when a config, or a member of it, is absent.
const (
	DefaultMaximumRetryAttempts     = 2
	DefaultMaximumEventAgeInSeconds = 21600
)
