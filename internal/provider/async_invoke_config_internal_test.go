package provider

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	awstypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestParseAsyncInvokeConfigID(t *testing.T) {
	const arn = "arn:aws:lambda:us-east-1:123456789012:function:f"
	for id, want := range map[string][2]string{
		"f":                         {"f", ""},
		"f:live":                    {"f", "live"},
		"f:$LATEST":                 {"f", "$LATEST"},
		"123456789012:function:f":   {"123456789012:function:f", ""},
		"123456789012:function:f:3": {"123456789012:function:f", "3"},
		arn:                         {arn, ""},
		arn + ":live":               {arn, "live"},
		"arn:aws-cn:lambda:cn-north-1:123456789012:function:g:2": {"arn:aws-cn:lambda:cn-north-1:123456789012:function:g", "2"},
	} {
		name, qualifier, err := parseAsyncInvokeConfigID(id)
		if err != nil || name != want[0] || qualifier != want[1] {
			t.Errorf("parseAsyncInvokeConfigID(%q) = %q, %q, %v; want %q, %q", id, name, qualifier, err, want[0], want[1])
		}
	}
	for _, bad := range []string{"", "f:", "f:0", "a:b:c:d:e", "has.dot", "arn:aws:lambda:us-east-1:123456789012:function", "arn:aws:sqs:us-east-1:123456789012:q"} {
		if name, q, err := parseAsyncInvokeConfigID(bad); err == nil {
			t.Errorf("parseAsyncInvokeConfigID(%q) = %q, %q, want an error", bad, name, q)
		}
	}
}

func TestFlattenAsyncDestinationConfig(t *testing.T) {
	const q = "arn:aws:sqs:us-east-1:123456789012:q"
	empty := &awstypes.DestinationConfig{OnSuccess: &awstypes.OnSuccess{}, OnFailure: &awstypes.OnFailure{}}
	if got := flattenAsyncDestinationConfig(nil, empty); got != nil {
		t.Errorf("no destinations, no block configured: got %+v, want nil", got)
	}
	if got := flattenAsyncDestinationConfig(&asyncDestinationConfigModel{}, nil); got == nil || got.OnSuccess != nil || got.OnFailure != nil {
		t.Errorf("no destinations, empty block configured: got %+v, want the empty block", got)
	}
	got := flattenAsyncDestinationConfig(nil, &awstypes.DestinationConfig{OnFailure: &awstypes.OnFailure{Destination: aws.String(q)}})
	if got == nil || got.OnSuccess != nil || got.OnFailure == nil || got.OnFailure.Destination.ValueString() != q {
		t.Errorf("on failure only: got %+v", got)
	}
}

func TestAsyncInvokeConfigModel(t *testing.T) {
	m := asyncInvokeConfigResourceModel{
		FunctionName:             types.StringValue("f"),
		Qualifier:                types.StringNull(),
		MaximumRetryAttempts:     types.Int64Value(0),
		MaximumEventAgeInSeconds: types.Int64Value(3600),
		DestinationConfig: &asyncDestinationConfigModel{
			OnFailure: &asyncDestinationModel{Destination: types.StringUnknown()},
		},
	}
	if !m.behavior().IsUnknown() {
		t.Errorf("behavior with an unknown destination = %s, want unknown", m.behavior())
	}
	m.DestinationConfig.OnFailure.Destination = types.StringValue("arn:aws:sqs:us-east-1:123456789012:orders-dlq")
	if got, want := m.behavior().ValueString(), "on error: no retries; events older than 1h expire; failures -> sqs:orders-dlq"; got != want {
		t.Errorf("behavior = %q, want %q", got, want)
	}

	in := m.expand()
	if aws.ToString(in.FunctionName) != "f" || in.Qualifier != nil || aws.ToInt32(in.MaximumRetryAttempts) != 0 ||
		aws.ToInt32(in.MaximumEventAgeInSeconds) != 3600 || in.DestinationConfig.OnSuccess != nil ||
		aws.ToString(in.DestinationConfig.OnFailure.Destination) != "arn:aws:sqs:us-east-1:123456789012:orders-dlq" {
		t.Errorf("expand = %+v", in)
	}

	// What Lambda leaves unset reads back as Lambda's defaults.
	m.DestinationConfig = nil
	m.flatten(&lambda.GetFunctionEventInvokeConfigOutput{FunctionArn: aws.String("arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST")})
	if m.MaximumRetryAttempts.ValueInt64() != 2 || m.MaximumEventAgeInSeconds.ValueInt64() != 21600 || m.ID.ValueString() != "f" ||
		m.DestinationConfig != nil || m.Behavior.ValueString() != "on error: 2 retries after ~1 min and ~2 min; events older than 6h dropped" {
		t.Errorf("flatten of an empty answer: %+v", m)
	}
}

func TestIsAsyncInvokeConfigPropagationError(t *testing.T) {
	denied := &awstypes.InvalidParameterValueException{Message: aws.String(
		"The function's execution role does not have permissions to call SendMessage on arn:aws:sqs:us-east-1:123456789012:q")}
	if !isAsyncInvokeConfigPropagationError(denied) {
		t.Error("a role without permission yet is not retried")
	}
	if isAsyncInvokeConfigPropagationError(&awstypes.InvalidParameterValueException{Message: aws.String("1 validation error")}) {
		t.Error("a validation error is retried")
	}
}
