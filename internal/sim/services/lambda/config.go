package lambda

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"regexp"
	"sort"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/runtime"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/trigger"
)

// configInput is the part of a function's configuration that CreateFunction and
// UpdateFunctionConfiguration both set; a nil member is left as it is (or defaulted on create).
type configInput struct {
	Role             *string           `json:"Role,omitempty"`
	Handler          *string           `json:"Handler,omitempty"`
	Description      *string           `json:"Description,omitempty"`
	Timeout          *int32            `json:"Timeout,omitempty"`
	MemorySize       *int32            `json:"MemorySize,omitempty"`
	Runtime          *string           `json:"Runtime,omitempty"`
	VpcConfig        *VpcConfig        `json:"VpcConfig,omitempty"`
	DeadLetterConfig *DeadLetterConfig `json:"DeadLetterConfig,omitempty"`
	Environment      *Environment      `json:"Environment,omitempty"`
	KMSKeyARN        *string           `json:"KMSKeyArn,omitempty"`
	TracingConfig    *TracingConfig    `json:"TracingConfig,omitempty"`
	EphemeralStorage *EphemeralStorage `json:"EphemeralStorage,omitempty"`
	SnapStart        *SnapStart        `json:"SnapStart,omitempty"`
	LoggingConfig    *LoggingConfig    `json:"LoggingConfig,omitempty"`
	unsupported
}

// Limits of the configuration (API_CreateFunction; configuration-envvars; gettingstarted-limits).
const (
	ephemeralStorageMin  = 512
	ephemeralStorageMax  = 10240
	environmentMaxBytes  = 4096
	unzippedCodeMaxBytes = 262144000
	maxTags              = 50
)

const (
	rolePattern        = `arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+`
	handlerPattern     = `[^\s]+`
	envKeyPattern      = `[a-zA-Z]([a-zA-Z0-9_])+`
	couldNotUnzip      = "Could not unzip uploaded file. Please check your file, then try to upload again."
	defaultArch        = "x86_64"
	defaultTracingMode = "PassThrough"
)

var envKeyRE = regexp.MustCompile(`^` + envKeyPattern + `$`)

// reservedEnvKeys are the variables Lambda sets itself and refuses in a function's configuration
// (SEMANTICS.md A5).
var reservedEnvKeys = map[string]bool{
	"_HANDLER": true, "_X_AMZN_TRACE_ID": true, "AWS_DEFAULT_REGION": true, "AWS_REGION": true,
	"AWS_EXECUTION_ENV": true, "AWS_LAMBDA_FUNCTION_NAME": true, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": true,
	"AWS_LAMBDA_FUNCTION_VERSION": true, "AWS_LAMBDA_INITIALIZATION_TYPE": true,
	"AWS_LAMBDA_LOG_GROUP_NAME": true, "AWS_LAMBDA_LOG_STREAM_NAME": true, "AWS_ACCESS_KEY": true,
	"AWS_ACCESS_KEY_ID": true, "AWS_SECRET_ACCESS_KEY": true, "AWS_SESSION_TOKEN": true,
	"AWS_LAMBDA_RUNTIME_API": true, "LAMBDA_TASK_ROOT": true, "LAMBDA_RUNTIME_DIR": true,
}

// validate checks the members the request sets: first the constraints of the model, which AWS's
// front end reports together as a ValidationException, then Lambda's own rules.
func (in *configInput) validate() *awswire.Error {
	var v validation
	if in.Role != nil && trigger.ValidateRoleARN(*in.Role) != nil {
		v.pattern("role", *in.Role, rolePattern)
	}
	v.minInt("timeout", in.Timeout, trigger.TimeoutMin)
	v.maxInt("timeout", in.Timeout, trigger.TimeoutMax)
	v.minInt("memorySize", in.MemorySize, trigger.MemorySizeMin)
	v.maxInt("memorySize", in.MemorySize, trigger.MemorySizeMax)
	v.maxLen("description", in.Description, trigger.DescriptionMaxLength)
	if in.Handler != nil {
		v.maxLen("handler", in.Handler, trigger.HandlerMaxLength)
		if *in.Handler != "" && trigger.ValidateHandler(*in.Handler) != nil {
			v.pattern("handler", *in.Handler, handlerPattern)
		}
	}
	if in.EphemeralStorage != nil {
		v.minInt("ephemeralStorage.size", in.EphemeralStorage.Size, ephemeralStorageMin)
		v.maxInt("ephemeralStorage.size", in.EphemeralStorage.Size, ephemeralStorageMax)
	}
	if in.TracingConfig != nil && in.TracingConfig.Mode != "" && in.TracingConfig.Mode != "Active" && in.TracingConfig.Mode != "PassThrough" {
		v.enum("tracingConfig.mode", in.TracingConfig.Mode, "Active", "PassThrough")
	}
	if in.SnapStart != nil && in.SnapStart.ApplyOn != "" && in.SnapStart.ApplyOn != "PublishedVersions" && in.SnapStart.ApplyOn != "None" {
		v.enum("snapStart.applyOn", in.SnapStart.ApplyOn, "PublishedVersions", "None")
	}
	if lc := in.LoggingConfig; lc != nil {
		if lc.LogFormat != "" && lc.LogFormat != "JSON" && lc.LogFormat != "Text" {
			v.enum("loggingConfig.logFormat", lc.LogFormat, "JSON", "Text")
		}
		if lc.ApplicationLogLevel != "" && !oneOf(lc.ApplicationLogLevel, "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL") {
			v.enum("loggingConfig.applicationLogLevel", lc.ApplicationLogLevel, "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL")
		}
		if lc.SystemLogLevel != "" && !oneOf(lc.SystemLogLevel, "DEBUG", "INFO", "WARN") {
			v.enum("loggingConfig.systemLogLevel", lc.SystemLogLevel, "DEBUG", "INFO", "WARN")
		}
	}
	if in.Environment != nil {
		for k := range in.Environment.Variables {
			if !envKeyRE.MatchString(k) {
				v.add("Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: %s]", envKeyPattern)
				break
			}
		}
	}
	if e := v.err(); e != nil {
		return e
	}

	if e := in.unsupported.check(); e != nil {
		return e
	}
	if in.Runtime != nil && *in.Runtime != "" {
		if err := checkRuntime(*in.Runtime); err != nil {
			return invalidParameter("%s", err.Error())
		}
	}
	if in.Environment != nil {
		var reserved []string
		for k := range in.Environment.Variables {
			if reservedEnvKeys[k] {
				reserved = append(reserved, k)
			}
		}
		if len(reserved) > 0 {
			sort.Strings(reserved)
			return invalidParameter("Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: %s",
				strings.Join(reserved, ", "))
		}
		if measured := mustJSON(in.Environment.Variables); len(measured) > environmentMaxBytes {
			return invalidParameter("Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: %s", measured)
		}
	}
	return nil
}

// apply writes the members the request sets into c.
func (in *configInput) apply(c *FunctionConfiguration) {
	if in.Role != nil {
		c.Role = *in.Role
	}
	if in.Handler != nil {
		c.Handler = *in.Handler
	}
	if in.Description != nil {
		c.Description = *in.Description
	}
	if in.Timeout != nil {
		c.Timeout = *in.Timeout
	}
	if in.MemorySize != nil {
		c.MemorySize = *in.MemorySize
	}
	if in.Runtime != nil {
		c.Runtime = *in.Runtime
	}
	if in.VpcConfig != nil {
		c.VpcConfig = nil
		if len(in.VpcConfig.SubnetIDs) > 0 || len(in.VpcConfig.SecurityGroupIDs) > 0 {
			c.VpcConfig = &VpcConfigResponse{
				SubnetIDs:               append([]string{}, in.VpcConfig.SubnetIDs...),
				SecurityGroupIDs:        append([]string{}, in.VpcConfig.SecurityGroupIDs...),
				IPv6AllowedForDualStack: in.VpcConfig.IPv6AllowedForDualStack != nil && *in.VpcConfig.IPv6AllowedForDualStack,
			}
		}
	}
	if in.DeadLetterConfig != nil {
		c.DeadLetterConfig = nil
		if in.DeadLetterConfig.TargetARN != "" {
			c.DeadLetterConfig = &DeadLetterConfig{TargetARN: in.DeadLetterConfig.TargetARN}
		}
	}
	if in.Environment != nil {
		c.Environment = nil
		if len(in.Environment.Variables) > 0 {
			vars := make(map[string]string, len(in.Environment.Variables))
			for k, v := range in.Environment.Variables {
				vars[k] = v
			}
			c.Environment = &EnvironmentResponse{Variables: vars}
		}
	}
	if in.KMSKeyARN != nil {
		c.KMSKeyARN = *in.KMSKeyARN
	}
	if in.TracingConfig != nil {
		mode := in.TracingConfig.Mode
		if mode == "" {
			mode = defaultTracingMode
		}
		c.TracingConfig = &TracingConfig{Mode: mode}
	}
	if in.EphemeralStorage != nil && in.EphemeralStorage.Size != nil {
		size := *in.EphemeralStorage.Size
		c.EphemeralStorage = &EphemeralStorage{Size: &size}
	}
	if in.SnapStart != nil {
		applyOn := in.SnapStart.ApplyOn
		if applyOn == "" {
			applyOn = "None"
		}
		c.SnapStart = &SnapStartResponse{ApplyOn: applyOn, OptimizationStatus: "Off"}
	}
	if lc := in.LoggingConfig; lc != nil {
		cur := *c.LoggingConfig
		if lc.LogFormat != "" {
			cur.LogFormat = lc.LogFormat
		}
		if lc.LogGroup != "" {
			cur.LogGroup = lc.LogGroup
		}
		if cur.LogFormat == "JSON" {
			cur.ApplicationLogLevel = orDefault(lc.ApplicationLogLevel, orDefault(cur.ApplicationLogLevel, "INFO"))
			cur.SystemLogLevel = orDefault(lc.SystemLogLevel, orDefault(cur.SystemLogLevel, "INFO"))
		} else {
			cur.ApplicationLogLevel, cur.SystemLogLevel = "", ""
		}
		c.LoggingConfig = &cur
	}
}

// check refuses the members of features the simulator does not model.
func (u *unsupported) check() *awswire.Error {
	switch {
	case len(u.Layers) > 0:
		return invalidParameter("The lambdatrigger simulator does not support Lambda layers: include what the function needs in its .zip package.")
	case present(u.ImageConfig):
		return invalidParameter("The lambdatrigger simulator runs .zip packages only; ImageConfig applies to container images, which it does not run.")
	case present(u.FileSystemConfigs):
		return invalidParameter("The lambdatrigger simulator does not support Amazon EFS file systems (FileSystemConfigs).")
	case u.CodeSigningConfigARN != "":
		return invalidParameter("The lambdatrigger simulator does not support code signing (CodeSigningConfigArn).")
	case present(u.CapacityProviderConfig):
		return invalidParameter("The lambdatrigger simulator does not support Lambda Managed Instances (CapacityProviderConfig).")
	case present(u.DurableConfig):
		return invalidParameter("The lambdatrigger simulator does not support durable functions (DurableConfig).")
	case present(u.TenancyConfig):
		return invalidParameter("The lambdatrigger simulator does not support tenant isolation (TenancyConfig).")
	}
	return nil
}

// present reports whether a raw member holds a value that asks for something.
func present(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	return s != "" && s != "null" && s != "[]" && s != "{}"
}

// codeSource checks a deployment package and answers what the simulator can take: Code.ZipFile.
func codeSource(code FunctionCode) *awswire.Error {
	switch {
	case code.ImageURI != "":
		return invalidParameter("The lambdatrigger simulator runs .zip deployment packages only (Code.ZipFile); it cannot run the container image %s.", code.ImageURI)
	case code.S3Bucket != "" || code.S3Key != "":
		return invalidParameter("The lambdatrigger simulator takes deployment packages as Code.ZipFile only; it does not read them from Amazon S3 (S3Bucket %q, S3Key %q). Send the .zip bytes in ZipFile instead (in Terraform: filename rather than s3_bucket and s3_key).",
			code.S3Bucket, code.S3Key)
	case len(code.ZipFile) == 0:
		return invalidParameter("Please provide a source for function code.")
	}
	return checkZip(code.ZipFile)
}

// checkZip refuses a package that cannot be unzipped into the function's code directory: not a
// zip, entries escaping the directory (../evil, absolute paths, links), or too large unzipped.
func checkZip(data []byte) *awswire.Error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return invalidParameter(couldNotUnzip)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
	}
	if total > unzippedCodeMaxBytes {
		return invalidParameter("Unzipped size must be smaller than %d bytes", unzippedCodeMaxBytes)
	}
	if err := runtime.ValidateZip(data); err != nil {
		return invalidParameter(couldNotUnzip)
	}
	return nil
}

// codeSHA256 is CodeSha256 as AWS reports it: the base64 of the package's SHA-256.
func codeSHA256(data []byte) string {
	sum := sha256.Sum256(data)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// checkArchitectures validates Architectures: exactly one of x86_64 and arm64.
func checkArchitectures(archs []string) *awswire.Error {
	if archs == nil {
		return nil
	}
	var v validation
	list := "[" + strings.Join(archs, ", ") + "]"
	switch {
	case len(archs) != 1:
		v.add("Value '%s' at 'architectures' failed to satisfy constraint: Member must have length less than or equal to 1", list)
	case archs[0] != "x86_64" && archs[0] != "arm64":
		v.add("Value '%s' at 'architectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]", list)
	}
	return v.err()
}

// checkTags validates the tags a request sets; total is how many the function would have.
func checkTags(tags map[string]string, total int) *awswire.Error {
	for k, v := range tags {
		if k == "" || len(k) > 128 {
			return invalidParameter("Tag key %q must be 1 to 128 characters long.", k)
		}
		if len(v) > 256 {
			return invalidParameter("Tag value for key %q must be at most 256 characters long.", k)
		}
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return invalidParameter("Tag keys that start with aws: are reserved for AWS use.")
		}
	}
	if total > maxTags {
		return invalidParameter("Number of tags exceeds resource tag limit.")
	}
	return nil
}

func oneOf(s string, allowed ...string) bool {
	for _, a := range allowed {
		if s == a {
			return true
		}
	}
	return false
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
