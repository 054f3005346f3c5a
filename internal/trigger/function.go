package trigger

import (
	"fmt"
	"regexp"
)

// Ranges of CreateFunction and UpdateFunctionConfiguration parameters (SEMANTICS.md A2; API_CreateFunction).
const (
	TimeoutMin     = 1   // seconds
	TimeoutMax     = 900 // seconds (15 minutes)
	TimeoutDefault = 3   // seconds

	MemorySizeMin     = 128   // MB
	MemorySizeMax     = 10240 // MB
	MemorySizeDefault = 128   // MB

	DescriptionMaxLength  = 256
	HandlerMaxLength      = 128
	FunctionNameMaxLength = 64 // a bare name; ARN forms are longer

	// ReservedConcurrencyMin is the smallest value PutFunctionConcurrency accepts: 0 throttles the
	// function entirely. The upper bound depends on the account's unreserved pool (it must keep 100).
	ReservedConcurrencyMin = 0

	// ZipFileMaxBytes is the largest .zip CreateFunction and UpdateFunctionCode take inline (ZipFile);
	// larger packages go through S3.
	ZipFileMaxBytes = 50 * 1024 * 1024

	// VersionLatest names the unpublished, mutable version of a function.
	VersionLatest = "$LATEST"
)

var (
	functionNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)
	handlerPattern      = regexp.MustCompile(`^[^\s]+$`)
	// CreateFunction's Role pattern is arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+;
	// this one also insists on a role name after the optional path, as IAM does.
	roleARNPattern = regexp.MustCompile(`^arn:aws[a-zA-Z-]*:iam::\d{12}:role/([a-zA-Z_0-9+=,.@-]+/)*[a-zA-Z_0-9+=,.@-]+$`)
)

// ValidateFunctionName checks a bare function name (not an ARN): 1-64 letters, digits, hyphens or underscores.
func ValidateFunctionName(name string) error {
	if name == "" || len(name) > FunctionNameMaxLength {
		return fmt.Errorf("function name must be 1 to %d characters long, got %d", FunctionNameMaxLength, len(name))
	}
	if !functionNamePattern.MatchString(name) {
		return fmt.Errorf("function name %q may contain only letters, digits, hyphens (-) and underscores (_)", name)
	}
	return nil
}

// ValidateHandler checks a handler: 1-128 characters, no white space.
func ValidateHandler(handler string) error {
	if handler == "" || len(handler) > HandlerMaxLength {
		return fmt.Errorf("handler must be 1 to %d characters long, got %d", HandlerMaxLength, len(handler))
	}
	if !handlerPattern.MatchString(handler) {
		return fmt.Errorf("handler %q must not contain white space", handler)
	}
	return nil
}

// ValidateRoleARN checks the form of an execution role's ARN, as CreateFunction does:
// arn:<partition>:iam::<12-digit account>:role/<path and name>.
func ValidateRoleARN(arn string) error {
	if !roleARNPattern.MatchString(arn) {
		return fmt.Errorf("%q is not an IAM role ARN of the form arn:aws:iam::123456789012:role/name", arn)
	}
	return nil
}
