package validators

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestDestinationARN(t *testing.T) {
	p := path.Root("destination_config").AtName("on_success").AtName("destination")
	for _, tc := range []struct {
		value       types.String
		onFailure   bool
		wantError   string
		wantWarning string
	}{
		{types.StringValue("arn:aws:sqs:us-east-1:123456789012:q"), false, "", ""},
		{types.StringUnknown(), false, "", ""},
		{types.StringNull(), false, "", ""},
		{types.StringValue("arn:aws:s3:::b"), false, "only as an on-failure destination", ""},
		{types.StringValue("arn:aws:s3:::bucket"), true, "", ""},
		{types.StringValue("q"), true, "Set destination_config.on_success.destination to the ARN", ""},
		{types.StringValue("arn:aws:sqs:us-east-1:123456789012:q.fifo"), true, "", "FIFO"},
	} {
		var resp validator.StringResponse
		DestinationARN(tc.onFailure).ValidateString(context.Background(), validator.StringRequest{Path: p, ConfigValue: tc.value}, &resp)
		errs, warns := resp.Diagnostics.Errors(), resp.Diagnostics.Warnings()
		switch {
		case tc.wantError == "" && len(errs) > 0:
			t.Errorf("%s: unexpected error %s", tc.value, errs[0].Detail())
		case tc.wantError != "" && (len(errs) != 1 || errs[0].Summary() != "Invalid Destination" || !strings.Contains(errs[0].Detail(), tc.wantError)):
			t.Errorf("%s: errors %v, want one mentioning %q", tc.value, errs, tc.wantError)
		case tc.wantWarning == "" && len(warns) > 0:
			t.Errorf("%s: unexpected warning %s", tc.value, warns[0].Summary())
		case tc.wantWarning != "" && (len(warns) != 1 || !strings.Contains(warns[0].Summary(), tc.wantWarning)):
			t.Errorf("%s: warnings %v, want one mentioning %q", tc.value, warns, tc.wantWarning)
		}
	}
}

func TestDestinationSet(t *testing.T) {
	attrTypes := map[string]attr.Type{"destination": types.StringType}
	p := path.Root("destination_config").AtName("on_failure")
	for _, tc := range []struct {
		value   types.Object
		wantErr bool
	}{
		{types.ObjectNull(attrTypes), false},
		{types.ObjectValueMust(attrTypes, map[string]attr.Value{"destination": types.StringValue("arn:aws:sqs:us-east-1:123456789012:q")}), false},
		{types.ObjectValueMust(attrTypes, map[string]attr.Value{"destination": types.StringUnknown()}), false},
		{types.ObjectValueMust(attrTypes, map[string]attr.Value{"destination": types.StringNull()}), true},
	} {
		var resp validator.ObjectResponse
		DestinationSet().ValidateObject(context.Background(), validator.ObjectRequest{Path: p, ConfigValue: tc.value}, &resp)
		if got := resp.Diagnostics.HasError(); got != tc.wantErr {
			t.Errorf("%s: error %v, want %v (%v)", tc.value, got, tc.wantErr, resp.Diagnostics)
		}
	}
}

func TestQualifierAndFunctionNameOrARN(t *testing.T) {
	check := func(v validator.String, s string) bool {
		var resp validator.StringResponse
		v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: types.StringValue(s)}, &resp)
		return !resp.Diagnostics.HasError()
	}
	if !check(Qualifier(), "live") || check(Qualifier(), "0") {
		t.Error("Qualifier")
	}
	if !check(FunctionNameOrARN(), "arn:aws:lambda:us-east-1:123456789012:function:f") || check(FunctionNameOrARN(), "f:1") {
		t.Error("FunctionNameOrARN")
	}
}
