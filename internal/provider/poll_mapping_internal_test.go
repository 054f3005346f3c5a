package provider

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	awstypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/provider/diagnostics"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/trigger"
)

const (
	pollTestQueue  = "arn:aws:sqs:us-east-1:123456789012:orders"
	pollTestStream = "arn:aws:kinesis:us-east-1:123456789012:stream/clicks"
	pollTestFn     = "arn:aws:lambda:us-east-1:123456789012:function:handler"
)

// What the plan says after defaults is what flatten reads back from Lambda's answer to the create
// built from the same plan: no diff on the next plan (pain point 9).
func TestPollMapping_roundTrip(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		source string
		plan   pollMappingResourceModel
	}{
		{"sqs defaults", pollTestQueue, pollMappingResourceModel{}},
		{"sqs everything", pollTestQueue, pollMappingResourceModel{
			BatchSize:                      types.Int64Value(100),
			MaximumBatchingWindowInSeconds: types.Int64Value(5),
			FunctionResponseTypes:          types.SetValueMust(types.StringType, []attr.Value{types.StringValue("ReportBatchItemFailures")}),
			FilterCriteria:                 &pollMappingFilterCriteriaModel{Filter: []pollMappingFilterModel{{Pattern: types.StringValue(`{"body": {"a": [1]}}`)}}},
			ScalingConfig:                  &pollMappingScalingConfigModel{MaximumConcurrency: types.Int64Value(10)},
		}},
		{"stream defaults", pollTestStream, pollMappingResourceModel{StartingPosition: types.StringValue("LATEST")}},
		{"stream everything", pollTestStream, pollMappingResourceModel{
			StartingPosition:           types.StringValue("AT_TIMESTAMP"),
			StartingPositionTimestamp:  types.StringValue("2024-01-01T01:00:00+01:00"),
			ParallelizationFactor:      types.Int64Value(3),
			MaximumRetryAttempts:       types.Int64Value(2),
			MaximumRecordAgeInSeconds:  types.Int64Value(600),
			BisectBatchOnFunctionError: types.BoolValue(true),
			TumblingWindowInSeconds:    types.Int64Value(30),
			DestinationConfig: &pollMappingDestinationConfigModel{OnFailure: &pollMappingOnFailureModel{
				DestinationARN: types.StringValue("arn:aws:sqs:us-east-1:123456789012:dlq"),
			}},
		}},
	} {
		src, err := trigger.ParsePollSource(tc.source)
		if err != nil {
			t.Fatal(err)
		}
		config := tc.plan
		config.fillConfig(tc.source)
		plan := config
		plan.applyDefaults(src, &config)
		want := plan

		in := plan.expandCreate(ctx, src)
		out := echoCreate(in)
		got := plan
		got.flatten(ctx, src, out)

		for _, c := range []struct {
			attr      string
			got, want any
		}{
			{"batch_size", got.BatchSize, want.BatchSize},
			{"maximum_batching_window_in_seconds", got.MaximumBatchingWindowInSeconds, want.MaximumBatchingWindowInSeconds},
			{"starting_position", got.StartingPosition, want.StartingPosition},
			{"starting_position_timestamp", got.StartingPositionTimestamp, want.StartingPositionTimestamp},
			{"parallelization_factor", got.ParallelizationFactor, want.ParallelizationFactor},
			{"maximum_retry_attempts", got.MaximumRetryAttempts, want.MaximumRetryAttempts},
			{"maximum_record_age_in_seconds", got.MaximumRecordAgeInSeconds, want.MaximumRecordAgeInSeconds},
			{"bisect_batch_on_function_error", got.BisectBatchOnFunctionError, want.BisectBatchOnFunctionError},
			{"tumbling_window_in_seconds", got.TumblingWindowInSeconds, want.TumblingWindowInSeconds},
			{"function_response_types", got.FunctionResponseTypes, want.FunctionResponseTypes},
			{"enabled", got.Enabled, want.Enabled},
			{"function_name", got.FunctionName, want.FunctionName},
		} {
			if !equalAttr(c.got, c.want) {
				t.Errorf("%s: %s read back as %v, planned %v", tc.name, c.attr, c.got, c.want)
			}
		}
		if (got.DestinationConfig == nil) != (want.DestinationConfig == nil) || got.onFailureDestination() != want.onFailureDestination() {
			t.Errorf("%s: destination_config read back as %+v, planned %+v", tc.name, got.DestinationConfig, want.DestinationConfig)
		}
		if (got.ScalingConfig == nil) != (want.ScalingConfig == nil) {
			t.Errorf("%s: scaling_config read back as %+v, planned %+v", tc.name, got.ScalingConfig, want.ScalingConfig)
		}
		if len(got.filterPatterns()) != len(want.filterPatterns()) || (len(want.filterPatterns()) > 0 && got.filterPatterns()[0] != want.filterPatterns()[0]) {
			t.Errorf("%s: filters read back as %q, planned %q", tc.name, got.filterPatterns(), want.filterPatterns())
		}
		if got.Behavior.ValueString() != trigger.ESMBehavior(want.behaviorInput(ctx, src)) {
			t.Errorf("%s: behavior %q differs from the plan's %q", tc.name, got.Behavior.ValueString(), trigger.ESMBehavior(want.behaviorInput(ctx, src)))
		}
	}
}

func equalAttr(a, b any) bool {
	type eq interface{ String() string }
	return a.(eq).String() == b.(eq).String()
}

// fillConfig completes a test model as a configuration would be: the required attributes, and the
// attributes with static defaults.
func (m *pollMappingResourceModel) fillConfig(source string) {
	m.FunctionName = types.StringValue("handler")
	m.EventSourceARN = types.StringValue(source)
	m.Enabled = types.BoolValue(true)
	if m.MaximumBatchingWindowInSeconds.IsNull() {
		m.MaximumBatchingWindowInSeconds = types.Int64Value(0)
	}
	if m.FunctionResponseTypes.ElementType(context.Background()) == nil {
		m.FunctionResponseTypes = types.SetNull(types.StringType)
	}
}

// echoCreate answers a create as Lambda does: every field given, AWS's defaults for the others.
func echoCreate(in *lambda.CreateEventSourceMappingInput) *lambda.GetEventSourceMappingOutput {
	state := trigger.ESMStateEnabled
	if !aws.ToBool(in.Enabled) {
		state = trigger.ESMStateDisabled
	}
	return &lambda.GetEventSourceMappingOutput{
		UUID:                           aws.String("14e0db71-5d35-4eb5-b481-8945cf9d10c2"),
		EventSourceArn:                 in.EventSourceArn,
		FunctionArn:                    aws.String(pollTestFn),
		State:                          aws.String(state),
		BatchSize:                      in.BatchSize,
		MaximumBatchingWindowInSeconds: in.MaximumBatchingWindowInSeconds,
		StartingPosition:               in.StartingPosition,
		StartingPositionTimestamp:      in.StartingPositionTimestamp,
		ParallelizationFactor:          in.ParallelizationFactor,
		MaximumRetryAttempts:           in.MaximumRetryAttempts,
		MaximumRecordAgeInSeconds:      in.MaximumRecordAgeInSeconds,
		BisectBatchOnFunctionError:     in.BisectBatchOnFunctionError,
		TumblingWindowInSeconds:        in.TumblingWindowInSeconds,
		DestinationConfig:              in.DestinationConfig,
		FunctionResponseTypes:          in.FunctionResponseTypes,
		FilterCriteria:                 in.FilterCriteria,
		ScalingConfig:                  in.ScalingConfig,
		LastModified:                   aws.Time(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)),
	}
}

// Lambda's empty answers for an SQS mapping's stream settings and an unset destination read as unset.
func TestPollMapping_flattenEmpty(t *testing.T) {
	ctx := context.Background()
	src, _ := trigger.ParsePollSource(pollTestStream)
	var m pollMappingResourceModel
	m.flatten(ctx, src, &lambda.GetEventSourceMappingOutput{
		UUID: aws.String("u"), EventSourceArn: aws.String(pollTestStream), FunctionArn: aws.String(pollTestFn),
		State:             aws.String(trigger.ESMStateDisabled),
		DestinationConfig: &awstypes.DestinationConfig{OnFailure: &awstypes.OnFailure{}},
		FilterCriteria:    &awstypes.FilterCriteria{},
	})
	if m.DestinationConfig != nil || m.FilterCriteria != nil || !m.FunctionResponseTypes.IsNull() {
		t.Errorf("empty answers: destination %+v, filters %+v, response types %v", m.DestinationConfig, m.FilterCriteria, m.FunctionResponseTypes)
	}
	if m.Enabled.ValueBool() || m.BatchSize.ValueInt64() != 100 || m.MaximumRetryAttempts.ValueInt64() != -1 || m.ParallelizationFactor.ValueInt64() != 1 {
		t.Errorf("defaults: enabled %v, batch %v, retries %v, parallelization %v", m.Enabled, m.BatchSize, m.MaximumRetryAttempts, m.ParallelizationFactor)
	}
	if m.FunctionName.ValueString() != pollTestFn {
		t.Errorf("imported function_name = %v, want the function's ARN", m.FunctionName)
	}
}

func TestPollFunctionMatches(t *testing.T) {
	for configured, want := range map[string]bool{
		"handler":                               true,
		"123456789012:function:handler":         true,
		pollTestFn:                              true,
		"":                                      true,
		"other":                                 false,
		"handler:live":                          false,
		"arn:aws:lambda:us-east-1:1:function:x": false,
	} {
		if got := pollFunctionMatches(configured, pollTestFn); got != want {
			t.Errorf("pollFunctionMatches(%q) = %v, want %v", configured, got, want)
		}
	}
	if !pollFunctionMatches("handler:live", pollTestFn+":live") {
		t.Error("an alias must match its alias ARN")
	}
}

func TestExistingMappingUUID(t *testing.T) {
	for msg, want := range map[string]string{
		"The event source arn (a) and function (f) provided mapping already exists. Please update or delete the existing mapping with UUID 14e0db71-5d35-4eb5-b481-8945cf9d10c2":        "14e0db71-5d35-4eb5-b481-8945cf9d10c2",
		`An event source mapping with SQS arn (" a ") and function (" f ") already exists. Please update or delete the existing mapping with UUID 14e0db71-5d35-4eb5-b481-8945cf9d10c2`: "14e0db71-5d35-4eb5-b481-8945cf9d10c2",
		"something else": "",
	} {
		if got := diagnostics.ExistingMappingUUID(msg); got != want {
			t.Errorf("ExistingMappingUUID(%q) = %q, want %q", msg, got, want)
		}
	}
}
