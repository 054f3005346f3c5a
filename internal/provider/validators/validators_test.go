package validators

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func validateString(v validator.String, value types.String) diag.Diagnostics {
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("attr"), ConfigValue: value}, resp)
	return resp.Diagnostics
}

func validateInt64(v validator.Int64, value types.Int64) diag.Diagnostics {
	resp := &validator.Int64Response{}
	v.ValidateInt64(context.Background(), validator.Int64Request{Path: path.Root("attr"), ConfigValue: value}, resp)
	return resp.Diagnostics
}

func validateMap(v validator.Map, value types.Map) diag.Diagnostics {
	resp := &validator.MapResponse{}
	v.ValidateMap(context.Background(), validator.MapRequest{Path: path.Root("variables"), ConfigValue: value}, resp)
	return resp.Diagnostics
}

func wantError(t *testing.T, diags diag.Diagnostics, summary, detail string) {
	t.Helper()
	if !diags.HasError() {
		t.Fatalf("no error, want %q", summary)
	}
	d := diags.Errors()[0]
	if d.Summary() != summary || !strings.Contains(d.Detail(), detail) {
		t.Errorf("got %q: %q; want %q containing %q", d.Summary(), d.Detail(), summary, detail)
	}
}

func TestStringValidators_skipNullAndUnknown(t *testing.T) {
	for _, v := range []validator.String{RoleARN(), FunctionName(), Handler(), Runtime(), EndpointURL(), MaxLength(1)} {
		if d := validateString(v, types.StringNull()); d.HasError() {
			t.Errorf("%T on null: %v", v, d)
		}
		if d := validateString(v, types.StringUnknown()); d.HasError() {
			t.Errorf("%T on unknown: %v", v, d)
		}
	}
}

func TestRoleARN(t *testing.T) {
	if d := validateString(RoleARN(), types.StringValue("arn:aws:iam::123456789012:role/x")); d.HasError() {
		t.Errorf("valid ARN rejected: %v", d)
	}
	wantError(t, validateString(RoleARN(), types.StringValue("my-role")), "Invalid Role ARN", "Set attr to the ARN")
}

func TestFunctionNameAndHandler(t *testing.T) {
	wantError(t, validateString(FunctionName(), types.StringValue("a b")), "Invalid Function Name", "bare name")
	wantError(t, validateString(Handler(), types.StringValue("a b")), "Invalid Handler", "entry point")
	wantError(t, validateString(MaxLength(3), types.StringValue("éééé")), "Value Too Long", "4 characters")
	if d := validateString(MaxLength(3), types.StringValue("ééé")); d.HasError() {
		t.Errorf("length counts characters, not bytes: %v", d)
	}
}

func TestRuntime(t *testing.T) {
	wantError(t, validateString(Runtime(), types.StringValue("go1.x")), "Unsupported Runtime", "provided.al2023")

	v := runtimeValidator{now: func() time.Time { return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) }}
	d := validateString(v, types.StringValue("nodejs18.x"))
	if d.HasError() || d.WarningsCount() != 1 || d.Warnings()[0].Summary() != "Deprecated Runtime" {
		t.Errorf("deprecated runtime: %v", d)
	}
	v.now = func() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }
	if d := validateString(v, types.StringValue("nodejs18.x")); len(d) != 0 {
		t.Errorf("runtime before its end of support: %v", d)
	}
}

func TestEndpointURL(t *testing.T) {
	for _, ok := range []string{"http://127.0.0.1:4566", "https://lambda.us-east-1.amazonaws.com"} {
		if d := validateString(EndpointURL(), types.StringValue(ok)); d.HasError() {
			t.Errorf("%s rejected: %v", ok, d)
		}
	}
	for _, bad := range []string{"127.0.0.1:4566", "ftp://x", "http://", "::"} {
		if d := validateString(EndpointURL(), types.StringValue(bad)); !d.HasError() {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestInt64Between(t *testing.T) {
	v := Int64Between(1, 900, "seconds")
	for _, n := range []int64{1, 3, 900} {
		if d := validateInt64(v, types.Int64Value(n)); d.HasError() {
			t.Errorf("%d rejected: %v", n, d)
		}
	}
	wantError(t, validateInt64(v, types.Int64Value(901)), "Value Out Of Range", "Lambda accepts 1 to 900 seconds")
	wantError(t, validateInt64(v, types.Int64Value(0)), "Value Out Of Range", "Set attr to a value in that range")
	if d := validateInt64(v, types.Int64Unknown()); d.HasError() {
		t.Errorf("unknown: %v", d)
	}
}

func TestReservedConcurrency(t *testing.T) {
	for _, n := range []int64{-1, 0, 5} {
		if d := validateInt64(ReservedConcurrency(), types.Int64Value(n)); d.HasError() {
			t.Errorf("%d rejected: %v", n, d)
		}
	}
	wantError(t, validateInt64(ReservedConcurrency(), types.Int64Value(-2)), "Value Out Of Range", "-1")
}

func strMap(m map[string]attr.Value) types.Map { return types.MapValueMust(types.StringType, m) }

func TestEnvironmentVariables(t *testing.T) {
	ok := strMap(map[string]attr.Value{"FOO": types.StringValue("bar"), "Ab_1": types.StringUnknown()})
	if d := validateMap(EnvironmentVariables(), ok); d.HasError() {
		t.Errorf("valid variables rejected: %v", d)
	}
	d := validateMap(EnvironmentVariables(), strMap(map[string]attr.Value{
		"1BAD":       types.StringValue("x"),
		"AWS_REGION": types.StringValue("x"),
		"GOOD":       types.StringValue("x"),
	}))
	if len(d.Errors()) != 2 {
		t.Fatalf("want 2 errors, got %v", d)
	}
	for _, e := range d.Errors() {
		if e.Summary() != "Invalid Environment Variable Name" {
			t.Errorf("summary %q", e.Summary())
		}
	}
	wantError(t, validateMap(EnvironmentVariables(), strMap(map[string]attr.Value{"BIG": types.StringValue(strings.Repeat("x", 5000))})),
		"Environment Variables Too Large", "4096")
	// Unknown values cannot be measured yet.
	if d := validateMap(EnvironmentVariables(), strMap(map[string]attr.Value{
		"BIG": types.StringValue(strings.Repeat("x", 5000)), "LATER": types.StringUnknown(),
	})); d.HasError() {
		t.Errorf("size checked with an unknown value: %v", d)
	}
}
