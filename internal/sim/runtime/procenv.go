package runtime

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"time"
)

// Credentials every function process receives. AWS gives a function its execution role's temporary
// credentials; the simulator has no IAM to issue them, so these fixed values stand in. They are not
// secrets: the simulator is reached on loopback, and a server that checks signatures can accept them.
const (
	FunctionAccessKeyID     = "ASIASIMULATEDLAMBDA0"
	FunctionSecretAccessKey = "simulated/lambda/function/secret/access/key"
	FunctionSessionToken    = "simulated-lambda-function-session-token"
)

type processEnvInput struct {
	fn         FunctionSpec
	region     string
	runtimeAPI string // host:port
	taskRoot   string
	runtimeDir string
	tmpDir     string
	logGroup   string
	logStream  string
	endpoint   string
}

// processEnv is the complete environment of a function process: what Lambda sets (SEMANTICS A5,
// https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime)
// and the user's variables. Nothing is inherited from the simulator's own environment, so no host
// variable (HOME, credentials, proxies) leaks into a function.
//
// Precedence follows AWS: the unreserved defaults (LANG, PATH, TZ, LD_LIBRARY_PATH, ...) may be
// overridden by the user's variables; the reserved ones may not (AWS refuses them at CreateFunction,
// and here they win regardless).
func processEnv(in processEnvInput) []string {
	vars := map[string]string{
		"LANG":                     "en_US.UTF-8",
		"PATH":                     "/usr/local/bin:/usr/bin/:/bin:/opt/bin",
		"TZ":                       ":UTC",
		"LD_LIBRARY_PATH":          "/lib64:/usr/lib64:" + in.runtimeDir + ":" + in.runtimeDir + "/lib:" + in.taskRoot + ":" + in.taskRoot + "/lib:/opt/lib",
		"AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
		// On AWS /tmp is the environment's own; a local process shares the host's /tmp, so TMPDIR
		// points at a directory of this environment instead.
		"TMPDIR": in.tmpDir,
	}
	if in.endpoint != "" {
		// Not reserved on AWS either: a function may point its SDK elsewhere.
		vars["AWS_ENDPOINT_URL"] = in.endpoint
	}
	for k, v := range in.fn.Environment {
		vars[k] = v
	}
	reserved := map[string]string{
		"_HANDLER":                        in.fn.Handler,
		"AWS_REGION":                      in.region,
		"AWS_DEFAULT_REGION":              in.region,
		"AWS_LAMBDA_FUNCTION_NAME":        in.fn.FunctionName,
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": strconv.Itoa(in.fn.MemoryMB),
		"AWS_LAMBDA_FUNCTION_VERSION":     in.fn.Version,
		"AWS_LAMBDA_INITIALIZATION_TYPE":  "on-demand",
		"AWS_LAMBDA_LOG_GROUP_NAME":       in.logGroup,
		"AWS_LAMBDA_LOG_STREAM_NAME":      in.logStream,
		"AWS_LAMBDA_RUNTIME_API":          in.runtimeAPI,
		"LAMBDA_TASK_ROOT":                in.taskRoot,
		"LAMBDA_RUNTIME_DIR":              in.runtimeDir,
		"AWS_ACCESS_KEY_ID":               FunctionAccessKeyID,
		"AWS_SECRET_ACCESS_KEY":           FunctionSecretAccessKey,
		"AWS_SESSION_TOKEN":               FunctionSessionToken,
	}
	for k, v := range reserved {
		vars[k] = v
	}
	env := make([]string, 0, len(vars))
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	sort.Strings(env)
	return env
}

// logStreamName is AWS's log stream name for an environment: YYYY/MM/DD/[version]<32 hex digits>
// (https://docs.aws.amazon.com/lambda/latest/dg/golang-logging.html shows
// 2020/03/27/[$LATEST]569cxmplc3c34c7489e6a97ad08b4419).
func logStreamName(now time.Time, version, id string) string {
	return fmt.Sprintf("%s/[%s]%s", now.UTC().Format("2006/01/02"), version, id)
}

// newTraceID makes an X-Ray trace header as Lambda passes it in Lambda-Runtime-Trace-Id:
// Root=1-<8 hex digits of epoch seconds>-<24 hex digits>;Parent=<16 hex digits>;Sampled=0.
// Sampled=0 because nothing records traces here.
func newTraceID(now time.Time) string {
	return fmt.Sprintf("Root=1-%08x-%s;Parent=%s;Sampled=0", now.Unix(), randomHex(12), randomHex(8))
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
