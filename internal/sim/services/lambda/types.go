package lambda

import "encoding/json"

// The shapes below are Lambda's (API version 2015-03-31), named and typed as the SDK's model names
// them (aws-sdk-go-v2/service/lambda schemas/schemas.go); Go field names follow our own naming
// (ARN, ID, SHA256) and the JSON tags carry AWS's member names.

// FunctionConfiguration describes a function version: what GetFunctionConfiguration, CreateFunction,
// the Update operations and PublishVersion return, and what the store keeps.
// https://docs.aws.amazon.com/lambda/latest/api/API_FunctionConfiguration.html
type FunctionConfiguration struct {
	FunctionName               string               `json:"FunctionName"`
	FunctionARN                string               `json:"FunctionArn"`
	Runtime                    string               `json:"Runtime,omitempty"`
	Role                       string               `json:"Role"`
	Handler                    string               `json:"Handler,omitempty"`
	CodeSize                   int64                `json:"CodeSize"`
	Description                string               `json:"Description"`
	Timeout                    int32                `json:"Timeout"`
	MemorySize                 int32                `json:"MemorySize"`
	LastModified               string               `json:"LastModified"`
	CodeSHA256                 string               `json:"CodeSha256"`
	Version                    string               `json:"Version"`
	VpcConfig                  *VpcConfigResponse   `json:"VpcConfig,omitempty"`
	DeadLetterConfig           *DeadLetterConfig    `json:"DeadLetterConfig,omitempty"`
	Environment                *EnvironmentResponse `json:"Environment,omitempty"`
	KMSKeyARN                  string               `json:"KMSKeyArn,omitempty"`
	TracingConfig              *TracingConfig       `json:"TracingConfig,omitempty"`
	RevisionID                 string               `json:"RevisionId"`
	State                      string               `json:"State,omitempty"`
	StateReason                string               `json:"StateReason,omitempty"`
	StateReasonCode            string               `json:"StateReasonCode,omitempty"`
	LastUpdateStatus           string               `json:"LastUpdateStatus,omitempty"`
	LastUpdateStatusReason     string               `json:"LastUpdateStatusReason,omitempty"`
	LastUpdateStatusReasonCode string               `json:"LastUpdateStatusReasonCode,omitempty"`
	PackageType                string               `json:"PackageType"`
	Architectures              []string             `json:"Architectures"`
	EphemeralStorage           *EphemeralStorage    `json:"EphemeralStorage,omitempty"`
	SnapStart                  *SnapStartResponse   `json:"SnapStart,omitempty"`
	LoggingConfig              *LoggingConfig       `json:"LoggingConfig,omitempty"`
}

// Function states and last-update statuses (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html).
const (
	statePending = "Pending"
	stateActive  = "Active"

	updateInProgressStatus = "InProgress"
	updateSuccessful       = "Successful"

	// AWS gives this reason and code both while a function is created and while an update is
	// applied ("LastUpdateStatusReason": "The function is being created.").
	reasonCreating     = "The function is being created."
	reasonCodeCreating = "Creating"
)

// VpcConfig is accepted and echoed; the simulator's functions run on the host network.
type VpcConfig struct {
	SubnetIDs               []string `json:"SubnetIds,omitempty"`
	SecurityGroupIDs        []string `json:"SecurityGroupIds,omitempty"`
	IPv6AllowedForDualStack *bool    `json:"Ipv6AllowedForDualStack,omitempty"`
}

// VpcConfigResponse is VpcConfig as functions report it.
type VpcConfigResponse struct {
	SubnetIDs               []string `json:"SubnetIds"`
	SecurityGroupIDs        []string `json:"SecurityGroupIds"`
	VpcID                   string   `json:"VpcId"`
	IPv6AllowedForDualStack bool     `json:"Ipv6AllowedForDualStack"`
}

// DeadLetterConfig names where failed asynchronous events go.
type DeadLetterConfig struct {
	TargetARN string `json:"TargetArn,omitempty"`
}

// Environment is the function's own environment variables, as a request gives them.
type Environment struct {
	Variables map[string]string `json:"Variables"`
}

// EnvironmentResponse is Environment as functions report it.
type EnvironmentResponse struct {
	Variables map[string]string `json:"Variables"`
}

// TracingConfig is X-Ray's mode: PassThrough (default) or Active.
type TracingConfig struct {
	Mode string `json:"Mode,omitempty"`
}

// EphemeralStorage is the size of /tmp in MB, 512-10240.
type EphemeralStorage struct {
	Size *int32 `json:"Size,omitempty"`
}

// SnapStart is accepted and echoed; it has no effect in the simulator.
type SnapStart struct {
	ApplyOn string `json:"ApplyOn,omitempty"`
}

// SnapStartResponse is SnapStart as functions report it.
type SnapStartResponse struct {
	ApplyOn            string `json:"ApplyOn"`
	OptimizationStatus string `json:"OptimizationStatus"`
}

// LoggingConfig is where and how a function's logs go.
type LoggingConfig struct {
	LogFormat           string `json:"LogFormat,omitempty"`
	ApplicationLogLevel string `json:"ApplicationLogLevel,omitempty"`
	SystemLogLevel      string `json:"SystemLogLevel,omitempty"`
	LogGroup            string `json:"LogGroup,omitempty"`
}

// FunctionCode is a deployment package. The simulator takes ZipFile only.
type FunctionCode struct {
	ZipFile         []byte `json:"ZipFile,omitempty"`
	S3Bucket        string `json:"S3Bucket,omitempty"`
	S3Key           string `json:"S3Key,omitempty"`
	S3ObjectVersion string `json:"S3ObjectVersion,omitempty"`
	ImageURI        string `json:"ImageUri,omitempty"`
	SourceKMSKeyARN string `json:"SourceKMSKeyArn,omitempty"`
}

// FunctionCodeLocation is where GetFunction says the package can be downloaded.
type FunctionCodeLocation struct {
	RepositoryType string `json:"RepositoryType"`
	Location       string `json:"Location"`
}

// Concurrency is a function's reservation.
type Concurrency struct {
	ReservedConcurrentExecutions *int32 `json:"ReservedConcurrentExecutions,omitempty"`
}

// unsupported holds request members of Lambda features the simulator does not model; a request
// that sets one is refused rather than silently half-applied.
type unsupported struct {
	ImageConfig            json.RawMessage `json:"ImageConfig,omitempty"`
	FileSystemConfigs      json.RawMessage `json:"FileSystemConfigs,omitempty"`
	CodeSigningConfigARN   string          `json:"CodeSigningConfigArn,omitempty"`
	CapacityProviderConfig json.RawMessage `json:"CapacityProviderConfig,omitempty"`
	DurableConfig          json.RawMessage `json:"DurableConfig,omitempty"`
	TenancyConfig          json.RawMessage `json:"TenancyConfig,omitempty"`
	Layers                 []string        `json:"Layers,omitempty"`
}
