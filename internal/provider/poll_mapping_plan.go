package provider

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/provider/diagnostics"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/trigger"
)

// ValidateConfig checks, at plan time, every rule Lambda applies across the fields of a mapping
// (trigger.ValidateESM). Values not known yet are left out; the source kind comes from the ARN.
func (r *pollMappingResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var config pollMappingResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var src trigger.PollSource // unknown kind: only the checks that do not depend on it
	if v := config.EventSourceARN; !v.IsNull() && !v.IsUnknown() {
		parsed, err := trigger.ParsePollSource(v.ValueString())
		if err != nil {
			return // the attribute's validator says why
		}
		src = parsed
	}
	if config.DestinationConfig != nil && config.DestinationConfig.OnFailure != nil && config.DestinationConfig.OnFailure.DestinationARN.IsNull() {
		resp.Diagnostics.Append(diagnostics.PollMappingRule(path.Root("destination_config").AtName("on_failure").AtName("destination_arn"),
			"the on_failure block has no destination_arn; set it to the ARN of an SQS queue, SNS topic or S3 bucket, or remove the block"))
	}
	for _, p := range trigger.ValidateESM(src, config.settings(ctx)) {
		resp.Diagnostics.Append(diagnostics.PollMappingRule(pollFieldPath(p.Field), p.Message))
	}
}

// pollFieldPath turns a dotted field of trigger.ESMProblem into an attribute path.
func pollFieldPath(field string) path.Path {
	names := strings.Split(field, ".")
	p := path.Root(names[0])
	for _, n := range names[1:] {
		p = p.AtName(n)
	}
	return p
}

// ModifyPlan fills in the defaults Lambda applies for the source's kind (batch size 10 for SQS, 100 for
// streams; the stream-only settings), so that the plan shows them and `behavior` is known.
func (r *pollMappingResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan, config pollMappingResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var state *pollMappingResourceModel
	if !req.State.Raw.IsNull() {
		state = &pollMappingResourceModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	if plan.EventSourceARN.IsUnknown() {
		return
	}
	src, err := trigger.ParsePollSource(plan.EventSourceARN.ValueString())
	if err != nil {
		return
	}
	plan.applyDefaults(src, &config)
	if state != nil {
		if plan.FunctionName.Equal(state.FunctionName) {
			plan.FunctionARN = state.FunctionARN
		} else {
			plan.FunctionARN = types.StringUnknown()
		}
	}
	plan.Behavior = types.StringUnknown()
	if plan.behaviorKnown() {
		plan.Behavior = types.StringValue(trigger.ESMBehavior(plan.behaviorInput(ctx, src)))
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// applyDefaults sets what the configuration leaves unset to Lambda's default for src, and the
// stream-only settings of an SQS mapping to null.
func (m *pollMappingResourceModel) applyDefaults(src trigger.PollSource, config *pollMappingResourceModel) {
	if config.BatchSize.IsNull() {
		m.BatchSize = types.Int64Value(src.BatchSizeDefault())
	}
	ints := []struct {
		plan   *types.Int64
		config types.Int64
		def    int64
	}{
		{&m.ParallelizationFactor, config.ParallelizationFactor, trigger.ESMParallelizationDefault},
		{&m.MaximumRetryAttempts, config.MaximumRetryAttempts, trigger.ESMRetryAttemptsDefault},
		{&m.MaximumRecordAgeInSeconds, config.MaximumRecordAgeInSeconds, trigger.ESMRecordAgeDefault},
		{&m.TumblingWindowInSeconds, config.TumblingWindowInSeconds, 0},
	}
	for _, f := range ints {
		switch {
		case !src.IsStream():
			*f.plan = types.Int64Null()
		case f.config.IsNull():
			*f.plan = types.Int64Value(f.def)
		}
	}
	switch {
	case !src.IsStream():
		m.BisectBatchOnFunctionError = types.BoolNull()
	case config.BisectBatchOnFunctionError.IsNull():
		m.BisectBatchOnFunctionError = types.BoolValue(false)
	}
}

// behaviorKnown reports whether every input of the behavior is known.
func (m *pollMappingResourceModel) behaviorKnown() bool {
	if m.EventSourceARN.IsUnknown() || m.Enabled.IsUnknown() || m.BatchSize.IsUnknown() ||
		m.MaximumBatchingWindowInSeconds.IsUnknown() || m.StartingPosition.IsUnknown() ||
		m.ParallelizationFactor.IsUnknown() || m.MaximumRetryAttempts.IsUnknown() ||
		m.MaximumRecordAgeInSeconds.IsUnknown() || m.BisectBatchOnFunctionError.IsUnknown() ||
		m.TumblingWindowInSeconds.IsUnknown() || m.FunctionResponseTypes.IsUnknown() {
		return false
	}
	if m.DestinationConfig != nil && m.DestinationConfig.OnFailure != nil && m.DestinationConfig.OnFailure.DestinationARN.IsUnknown() {
		return false
	}
	if m.FilterCriteria != nil {
		for _, f := range m.FilterCriteria.Filter {
			if f.Pattern.IsUnknown() {
				return false
			}
		}
	}
	return m.ScalingConfig == nil || !m.ScalingConfig.MaximumConcurrency.IsUnknown()
}

// settings are the known values of the configuration, for trigger.ValidateESM.
func (m *pollMappingResourceModel) settings(ctx context.Context) trigger.ESMSettings {
	s := trigger.ESMSettings{
		BatchSize:                pollKnownInt64(m.BatchSize),
		MaximumBatchingWindow:    pollKnownInt64(m.MaximumBatchingWindowInSeconds),
		StartingPosition:         m.StartingPosition.ValueString(),
		ParallelizationFactor:    pollKnownInt64(m.ParallelizationFactor),
		MaximumRetryAttempts:     pollKnownInt64(m.MaximumRetryAttempts),
		MaximumRecordAge:         pollKnownInt64(m.MaximumRecordAgeInSeconds),
		BisectBatchOnFunctionErr: pollKnownBool(m.BisectBatchOnFunctionError),
		TumblingWindow:           pollKnownInt64(m.TumblingWindowInSeconds),
		OnFailureDestination:     m.onFailureDestination(),
		FilterPatterns:           m.filterPatterns(),
	}
	if !m.StartingPositionTimestamp.IsNull() {
		s.StartingPositionTimestamp = m.StartingPositionTimestamp.ValueString()
		if m.StartingPositionTimestamp.IsUnknown() {
			s.StartingPositionTimestamp = "(known after apply)"
		}
	}
	s.StartingPositionUnknown = m.StartingPosition.IsUnknown()
	if !m.FunctionResponseTypes.IsNull() && !m.FunctionResponseTypes.IsUnknown() {
		for _, e := range m.FunctionResponseTypes.Elements() {
			if v, ok := e.(types.String); ok && !v.IsUnknown() && !v.IsNull() {
				s.FunctionResponseTypes = append(s.FunctionResponseTypes, v.ValueString())
			}
		}
	}
	if m.FilterCriteria != nil && len(m.FilterCriteria.Filter) > len(s.FilterPatterns) {
		// unknown patterns still count against the limit
		for len(s.FilterPatterns) < len(m.FilterCriteria.Filter) {
			s.FilterPatterns = append(s.FilterPatterns, "{}")
		}
	}
	if m.ScalingConfig != nil {
		s.MaximumConcurrency = pollKnownInt64(m.ScalingConfig.MaximumConcurrency)
	}
	return s
}

func pollKnownInt64(v types.Int64) *int64 {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	n := v.ValueInt64()
	return &n
}

func pollKnownBool(v types.Bool) *bool {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	b := v.ValueBool()
	return &b
}

func pollInt32(v types.Int64) *int32 {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	return aws.Int32(int32(v.ValueInt64()))
}

func pollBool(v types.Bool) *bool {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	return aws.Bool(v.ValueBool())
}

func pollInt64Or(v *int32, def int64) types.Int64 {
	if v == nil {
		return types.Int64Value(def)
	}
	return types.Int64Value(int64(*v))
}

func pollStringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// pollPatternEqual compares two filter patterns as JSON.
func pollPatternEqual(a, b string) bool {
	var va, vb any
	if json.Unmarshal([]byte(a), &va) != nil || json.Unmarshal([]byte(b), &vb) != nil {
		return a == b
	}
	return reflect.DeepEqual(va, vb)
}
