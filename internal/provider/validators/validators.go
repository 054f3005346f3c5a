// Package validators holds the provider's plan-time checks of single attributes. Each one returns early
// with its reason, skips values not yet known, and words its diagnostic so that it says what to fix.
// The facts they check (ranges, patterns, reserved names) live in internal/trigger.
package validators

import (
	"context"
	"fmt"
	"net/url"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/trigger"
)

// stringCheck validates a known string with a function from internal/trigger.
type stringCheck struct {
	summary string                   // Title Case, e.g. "Invalid Role ARN"
	what    string                   // for descriptions, e.g. "an IAM role ARN"
	check   func(string) error       // the fact, from internal/trigger
	fix     func(name string) string // what to do, given the attribute's path
}

var _ validator.String = stringCheck{}

func (v stringCheck) Description(context.Context) string { return "value must be " + v.what }

func (v stringCheck) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v stringCheck) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	err := v.check(req.ConfigValue.ValueString())
	if err == nil {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, v.summary, fmt.Sprintf("%s. %s", err, v.fix(req.Path.String())))
}

// RoleARN checks the form of an execution role's ARN.
func RoleARN() validator.String {
	return stringCheck{
		summary: "Invalid Role ARN",
		what:    "an IAM role ARN (arn:aws:iam::<account>:role/<name>)",
		check:   trigger.ValidateRoleARN,
		fix: func(name string) string {
			return "Set " + name + " to the ARN of the function's execution role, for example arn:aws:iam::123456789012:role/lambda-exec."
		},
	}
}

// FunctionName checks a bare function name.
func FunctionName() validator.String {
	return stringCheck{
		summary: "Invalid Function Name",
		what:    fmt.Sprintf("1 to %d letters, digits, hyphens or underscores", trigger.FunctionNameMaxLength),
		check:   trigger.ValidateFunctionName,
		fix: func(name string) string {
			return "Set " + name + " to a bare name such as my-function (not an ARN)."
		},
	}
}

// Handler checks a handler string.
func Handler() validator.String {
	return stringCheck{
		summary: "Invalid Handler",
		what:    fmt.Sprintf("1 to %d characters without white space", trigger.HandlerMaxLength),
		check:   trigger.ValidateHandler,
		fix: func(name string) string {
			return "Set " + name + " to the function's entry point, for example index.handler, or bootstrap for provided.* runtimes."
		},
	}
}

// Runtime checks that a runtime can create functions, and warns when it has reached its end of support.
func Runtime() validator.String { return runtimeValidator{now: time.Now} }

type runtimeValidator struct{ now func() time.Time }

func (v runtimeValidator) Description(context.Context) string {
	return "value must be a Lambda runtime identifier that can create functions"
}

func (v runtimeValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v runtimeValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	id := req.ConfigValue.ValueString()
	if err := trigger.ValidateRuntime(id); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Unsupported Runtime", err.Error()+".")
		return
	}
	r, _ := trigger.LookupRuntime(id)
	if !r.Deprecated(v.now()) {
		return
	}
	resp.Diagnostics.AddAttributeWarning(req.Path, "Deprecated Runtime",
		fmt.Sprintf("The %s runtime reached its end of support on %s. Some months later AWS stops creating, then "+
			"updating, functions that use it. Move the function to a supported runtime.", id, r.EndOfSupport.Format("2006-01-02")))
}

// Int64Between checks a range with a diagnostic that names the unit and what to set.
func Int64Between(min, max int64, unit string) validator.Int64 {
	return int64Between{min: min, max: max, unit: unit}
}

type int64Between struct {
	min, max int64
	unit     string
}

func (v int64Between) Description(context.Context) string {
	return fmt.Sprintf("value must be between %d and %d %s", v.min, v.max, v.unit)
}

func (v int64Between) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v int64Between) ValidateInt64(ctx context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	n := req.ConfigValue.ValueInt64()
	if n >= v.min && n <= v.max {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Value Out Of Range",
		fmt.Sprintf("%s is %d, but Lambda accepts %d to %d %s. Set %s to a value in that range.",
			req.Path, n, v.min, v.max, v.unit, req.Path))
}

// ReservedConcurrency checks reserved_concurrent_executions: -1 (unreserved) or at least 0.
func ReservedConcurrency() validator.Int64 { return reservedConcurrency{} }

type reservedConcurrency struct{}

func (reservedConcurrency) Description(context.Context) string {
	return "value must be -1 (no reservation) or at least 0"
}

func (v reservedConcurrency) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (reservedConcurrency) ValidateInt64(ctx context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if n := req.ConfigValue.ValueInt64(); n < -1 {
		resp.Diagnostics.AddAttributeError(req.Path, "Value Out Of Range",
			fmt.Sprintf("%s is %d. Set it to -1 to leave the function on the account's unreserved concurrency, "+
				"or to a reservation of %d or more (0 stops all invocations).", req.Path, n, trigger.ReservedConcurrencyMin))
	}
}

// EnvironmentVariables checks every variable name and, when all are known, the 4 KB total.
func EnvironmentVariables() validator.Map { return environmentVariables{} }

type environmentVariables struct{}

func (environmentVariables) Description(context.Context) string {
	return "names must start with a letter, contain only letters, digits and underscores, not be reserved by Lambda, and all variables must fit in 4 KB"
}

func (v environmentVariables) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (environmentVariables) ValidateMap(ctx context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	vars := map[string]string{}
	allKnown := true
	for key, val := range req.ConfigValue.Elements() {
		if err := trigger.ValidateEnvironmentKey(key); err != nil {
			resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(key), "Invalid Environment Variable Name",
				err.Error()+". Rename the variable in "+req.Path.String()+".")
		}
		s, ok := val.(types.String)
		if !ok || s.IsUnknown() {
			allKnown = false
			continue
		}
		vars[key] = s.ValueString()
	}
	if !allKnown || resp.Diagnostics.HasError() {
		return
	}
	if err := trigger.ValidateEnvironmentSize(vars); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Environment Variables Too Large",
			err.Error()+". Shorten the variables, or keep large values elsewhere (SSM Parameter Store, S3) and read them at run time.")
	}
}

// EndpointURL checks an endpoint override: an absolute http or https URL.
func EndpointURL() validator.String {
	return stringCheck{
		summary: "Invalid Endpoint URL",
		what:    "an absolute http:// or https:// URL",
		check: func(s string) error {
			u, err := url.Parse(s)
			if err != nil {
				return fmt.Errorf("%q is not a URL: %v", s, err)
			}
			if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return fmt.Errorf("%q is not an absolute http:// or https:// URL", s)
			}
			return nil
		},
		fix: func(name string) string {
			return "Set " + name + " to a URL such as http://127.0.0.1:4566."
		},
	}
}

// MaxLength checks a string's length in characters, as Lambda counts them.
func MaxLength(max int) validator.String {
	return stringCheck{
		summary: "Value Too Long",
		what:    fmt.Sprintf("at most %d characters", max),
		check: func(s string) error {
			if n := utf8.RuneCountInString(s); n > max {
				return fmt.Errorf("the value has %d characters; Lambda accepts at most %d", n, max)
			}
			return nil
		},
		fix: func(name string) string { return "Shorten " + name + "." },
	}
}
