package validators

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestAsyncSourceValidators(t *testing.T) {
	for _, tc := range []struct {
		v       validator.String
		value   string
		wantErr bool
	}{
		{S3EventType(), "s3:ObjectCreated:*", false},
		{S3EventType(), "ObjectCreated", true},
		{ScheduleExpression(), "rate(5 minutes)", false},
		{ScheduleExpression(), "5 minutes", true},
		{JSONObject("Event Pattern"), `{"source":["x"]}`, false},
		{JSONObject("Event Pattern"), `["x"]`, true},
	} {
		var resp validator.StringResponse
		tc.v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("a"), ConfigValue: types.StringValue(tc.value)}, &resp)
		if resp.Diagnostics.HasError() != tc.wantErr {
			t.Errorf("%s on %q: error %v, want %v (%v)", tc.v.Description(context.Background()), tc.value, resp.Diagnostics.HasError(), tc.wantErr, resp.Diagnostics)
		}
	}
}
