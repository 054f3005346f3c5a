package trigger

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
)

// EnvironmentMaxBytes is the limit on a function's environment variables taken together. AWS measures
// the JSON object of all the variables (its error quotes "String measured: {...}").
const EnvironmentMaxBytes = 4096

// Keys: a letter, then one or more letters, digits or underscores (CreateFunction's pattern
// [a-zA-Z]([a-zA-Z0-9_])+, so at least two characters).
var envKeyPattern = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_]+$`)

// ReservedEnvironmentKeys are the variables Lambda sets itself and refuses in a function's configuration
// (SEMANTICS.md A5).
var ReservedEnvironmentKeys = []string{
	"_HANDLER",
	"_X_AMZN_TRACE_ID",
	"AWS_REGION",
	"AWS_EXECUTION_ENV",
	"AWS_LAMBDA_FUNCTION_NAME",
	"AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
	"AWS_LAMBDA_FUNCTION_VERSION",
	"AWS_LAMBDA_INITIALIZATION_TYPE",
	"AWS_LAMBDA_LOG_GROUP_NAME",
	"AWS_LAMBDA_LOG_STREAM_NAME",
	"AWS_ACCESS_KEY",
	"AWS_ACCESS_KEY_ID",
	"AWS_SECRET_ACCESS_KEY",
	"AWS_SESSION_TOKEN",
	"AWS_LAMBDA_RUNTIME_API",
	"LAMBDA_TASK_ROOT",
	"LAMBDA_RUNTIME_DIR",
}

// IsReservedEnvironmentKey reports whether Lambda reserves the variable name.
func IsReservedEnvironmentKey(key string) bool {
	for _, k := range ReservedEnvironmentKeys {
		if k == key {
			return true
		}
	}
	return false
}

// ValidateEnvironmentKey checks one variable name the way CreateFunction does.
func ValidateEnvironmentKey(key string) error {
	if !envKeyPattern.MatchString(key) {
		return fmt.Errorf("environment variable name %q must start with a letter, have at least 2 characters and contain only letters, digits and underscores", key)
	}
	if IsReservedEnvironmentKey(key) {
		return fmt.Errorf("environment variable name %q is reserved by Lambda and cannot be set", key)
	}
	return nil
}

// EnvironmentSize is the size AWS counts against EnvironmentMaxBytes: the compact JSON object of the
// variables.
func EnvironmentSize(vars map[string]string) int {
	if len(vars) == 0 {
		return 0
	}
	keys := make([]string, 0, len(vars))
	for k := range vars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		writeJSONString(&buf, k)
		buf.WriteByte(':')
		writeJSONString(&buf, vars[k])
	}
	buf.WriteByte('}')
	return buf.Len()
}

// ValidateEnvironmentSize checks the variables against EnvironmentMaxBytes.
func ValidateEnvironmentSize(vars map[string]string) error {
	if n := EnvironmentSize(vars); n > EnvironmentMaxBytes {
		return fmt.Errorf("environment variables take %d bytes, over Lambda's limit of %d bytes (4 KB) for all variables together, measured as their JSON object", n, EnvironmentMaxBytes)
	}
	return nil
}

func writeJSONString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false) // AWS does not escape <, > and &
	_ = enc.Encode(s)        // a string always encodes
	buf.Truncate(buf.Len() - 1)
}
