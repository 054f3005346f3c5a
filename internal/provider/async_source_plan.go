package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	awstypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/conns"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/provider/diagnostics"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/trigger"
)

// The plan-time side of lambdatrigger_async_source: configuration checks, the computed attributes
// (all derived from the configuration, so `terraform plan` shows them), the checks that need to read
// AWS (the bucket's other notification configurations, the log group's filters) and `behavior`.

// asKnown reports whether every value is asKnown (null counts as asKnown).
func asKnown(vals ...types.String) bool {
	for _, v := range vals {
		if v.IsUnknown() {
			return false
		}
	}
	return true
}

// asHash names things the resource creates, deterministically from what identifies them.
func asHash(n int, parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:n]
}

// derive fills the computed attributes that follow from the configuration, or marks them unknown
// while an input is.
func (m *asyncSourceResourceModel) derive(ctx context.Context, c *conns.Clients) {
	unknown := types.StringUnknown()
	m.InvocationType = types.StringValue(trigger.InvocationEvent)
	row, ok := trigger.Lookup(m.service())
	if !ok {
		return
	}
	m.Principal = types.StringValue(row.Principal)
	m.EventType = types.StringValue(row.EventType)
	arnCtx := trigger.ARNContext{Partition: c.Partition, Region: c.Region, AccountID: c.AccountID}
	fn, q := m.FunctionName.ValueString(), m.qualifier()
	fnKnown := asKnown(m.FunctionName, m.Qualifier)

	var extra string // what tells apart two sources of one function on one source ARN
	m.SourceARN, m.ID = unknown, unknown
	switch s := m.service(); s {
	case trigger.ServiceS3:
		b := m.S3
		b.ID = unknown
		if asKnown(b.Bucket) {
			m.SourceARN = types.StringValue(row.SourceARN(arnCtx, b.Bucket.ValueString()))
		}
		if fnKnown && asKnown(b.Bucket, b.FilterPrefix, b.FilterSuffix) && !b.Events.IsUnknown() {
			// The events are part of the id: one function may have a configuration for ObjectCreated and
			// another for ObjectRemoved on the same keys.
			events := slices.Sorted(slices.Values(asStrings(ctx, b.Events)))
			b.ID = types.StringValue("lambdatrigger-" + asHash(20, b.Bucket.ValueString(), fn, q, b.FilterPrefix.ValueString(), b.FilterSuffix.ValueString(), strings.Join(events, ",")))
			m.ID = types.StringValue("s3|" + b.Bucket.ValueString() + "|" + b.ID.ValueString())
			extra = b.ID.ValueString()
		}
	case trigger.ServiceSNS:
		m.SourceARN = m.SNS.TopicARN
		if asKnown(m.SNS.SubscriptionARN) && !m.SNS.SubscriptionARN.IsNull() {
			m.ID = types.StringValue("sns|" + m.SNS.SubscriptionARN.ValueString())
		}
	case trigger.ServiceEventBridge:
		e := m.EventBridge
		if e.TargetID.IsUnknown() || e.TargetID.IsNull() {
			e.TargetID = unknown
			if fnKnown {
				e.TargetID = types.StringValue("lambdatrigger-" + asHash(16, fn, q))
			}
		}
		if e.ownRule() {
			e.RuleName, e.RuleARN = unknown, unknown
			if fnKnown && asKnown(e.EventPattern, e.ScheduleExpression, e.EventBusName) {
				e.RuleName = types.StringValue("lambdatrigger-" + asHash(24, fn, q, e.bus(), e.EventPattern.ValueString(), e.ScheduleExpression.ValueString()))
				e.RuleARN = types.StringValue(row.SourceARN(arnCtx, e.bus(), e.RuleName.ValueString()))
			}
		} else {
			e.RuleName = unknown
			if asKnown(e.RuleARN) {
				_, name := asParseRuleARN(e.RuleARN.ValueString())
				e.RuleName = types.StringValue(name)
			}
		}
		m.SourceARN = e.RuleARN
		if asKnown(e.RuleARN, e.TargetID) {
			m.ID = types.StringValue("eventbridge|" + e.RuleARN.ValueString() + "|" + e.TargetID.ValueString())
			extra = e.TargetID.ValueString()
		}
	case trigger.ServiceCloudWatchLogs:
		l := m.CloudWatchLogs
		if asKnown(l.LogGroupName) {
			m.SourceARN = types.StringValue(row.SourceARN(arnCtx, l.LogGroupName.ValueString()))
		}
		if asKnown(l.LogGroupName, l.FilterName) {
			m.ID = types.StringValue("cloudwatch_logs|" + l.LogGroupName.ValueString() + "|" + l.FilterName.ValueString())
			extra = l.FilterName.ValueString()
		}
	}
	m.StatementID = unknown
	if fnKnown && asKnown(m.SourceARN) && (extra != "" || m.service() == trigger.ServiceSNS) {
		m.StatementID = types.StringValue(trigger.AsyncSourceStatementID(m.service(), m.SourceARN.ValueString(), fn, q+"|"+extra))
	}
}

// ownRule reports whether the resource creates its rule (from a pattern or a schedule).
func (e *asyncSourceEventBridgeModel) ownRule() bool {
	return !e.EventPattern.IsNull() || !e.ScheduleExpression.IsNull()
}

// bus is the event bus of the rule the resource creates.
func (e *asyncSourceEventBridgeModel) bus() string {
	if e.EventBusName.IsNull() || e.EventBusName.ValueString() == "" {
		return "default"
	}
	return e.EventBusName.ValueString()
}

// validateAsyncSource checks what the configuration alone tells.
func validateAsyncSource(ctx context.Context, m *asyncSourceResourceModel) diag.Diagnostics {
	var diags diag.Diagnostics
	n := 0
	for _, set := range []bool{m.S3 != nil, m.SNS != nil, m.EventBridge != nil, m.CloudWatchLogs != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		diags.Append(diagnostics.AsyncSourceOneSource(n))
		return diags
	}
	required := func(block, attr string, v types.String) {
		if v.IsNull() {
			diags.AddAttributeError(path.Root(block).AtName(attr), "Missing Required Attribute",
				"The "+block+" block needs "+attr+"; set it.")
		}
	}
	switch {
	case m.S3 != nil:
		required("s3", "bucket", m.S3.Bucket)
		if m.S3.Events.IsNull() || (!m.S3.Events.IsUnknown() && len(m.S3.Events.Elements()) == 0) {
			diags.AddAttributeError(path.Root("s3").AtName("events"), "Missing Required Attribute",
				"The s3 block needs events, e.g. [\"s3:ObjectCreated:*\"]; set it.")
		}
		events := asStrings(ctx, m.S3.Events)
		for i := range events {
			for j := i + 1; j < len(events); j++ {
				if trigger.S3EventsOverlap(events[i], events[j]) {
					diags.Append(diagnostics.AsyncSourceEventsOverlap(path.Root("s3").AtName("events"), events[i], events[j]))
				}
			}
		}
	case m.SNS != nil:
		required("sns", "topic_arn", m.SNS.TopicARN)
	case m.EventBridge != nil:
		e := m.EventBridge
		p := path.Root("eventbridge")
		switch {
		case !e.RuleARN.IsNull() && e.ownRule():
			diags.Append(diagnostics.AsyncSourceConflict(p.AtName("rule_arn"), "Conflicting Rule Attributes",
				"Set either rule_arn (an existing rule) or event_pattern/schedule_expression (a rule this resource creates), not both."))
		case e.RuleARN.IsNull() && !e.ownRule():
			diags.Append(diagnostics.AsyncSourceConflict(p, "Missing Rule",
				"The eventbridge block needs rule_arn, event_pattern or schedule_expression; set one."))
		case !e.RuleARN.IsNull() && !e.EventBusName.IsNull():
			diags.Append(diagnostics.AsyncSourceConflict(p.AtName("event_bus_name"), "Conflicting Rule Attributes",
				"event_bus_name applies to the rule this resource creates; an existing rule's ARN already names its bus. Remove event_bus_name."))
		}
		inputs := 0
		for _, set := range []bool{!e.Input.IsNull(), !e.InputPath.IsNull(), e.InputTransformer != nil} {
			if set {
				inputs++
			}
		}
		if inputs > 1 {
			diags.Append(diagnostics.AsyncSourceConflict(p.AtName("input"), "Conflicting Input Attributes",
				"EventBridge takes one of input, input_path and input_transformer; keep one."))
		}
		if e.InputTransformer != nil && e.InputTransformer.InputTemplate.IsNull() {
			diags.AddAttributeError(p.AtName("input_transformer").AtName("input_template"), "Missing Required Attribute",
				"The input_transformer block needs input_template; set it.")
		}
	case m.CloudWatchLogs != nil:
		required("cloudwatch_logs", "log_group_name", m.CloudWatchLogs.LogGroupName)
		required("cloudwatch_logs", "filter_name", m.CloudWatchLogs.FilterName)
	}
	return diags
}

// checkAgainstAWS refuses at plan time what AWS would refuse at apply time and can already be seen:
// an S3 configuration overlapping another one on the bucket, a third subscription filter on a group.
func (r *asyncSourceResource) checkAgainstAWS(ctx context.Context, m, prior *asyncSourceResourceModel) diag.Diagnostics {
	var diags diag.Diagnostics
	switch {
	case m.S3 != nil && asKnown(m.S3.Bucket, m.S3.ID, m.S3.FilterPrefix, m.S3.FilterSuffix) && !m.S3.Events.IsUnknown():
		out, err := r.clients.S3().GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String(m.S3.Bucket.ValueString())})
		if err != nil {
			tflog.Debug(ctx, "cannot read the bucket's notification configuration at plan time", map[string]any{"error": err.Error()})
			return nil // the bucket may be created in this apply
		}
		for _, other := range asS3Configurations(out) {
			if other.id == m.S3.ID.ValueString() || (prior != nil && prior.S3 != nil && other.id == prior.S3.ID.ValueString()) {
				continue // this resource's own configuration, as planned or as it is
			}
			if !trigger.S3FiltersOverlap(m.S3.FilterPrefix.ValueString(), m.S3.FilterSuffix.ValueString(), other.prefix, other.suffix) {
				continue
			}
			for _, e := range asStrings(ctx, m.S3.Events) {
				for _, oe := range other.events {
					if trigger.S3EventsOverlap(e, oe) {
						diags.Append(diagnostics.AsyncSourceS3Overlap(path.Root("s3").AtName("filter_prefix"), m.S3.Bucket.ValueString(),
							"configuration "+other.id, e, oe))
						return diags
					}
				}
			}
		}
	case m.CloudWatchLogs != nil && asKnown(m.CloudWatchLogs.LogGroupName, m.CloudWatchLogs.FilterName):
		group := m.CloudWatchLogs.LogGroupName.ValueString()
		out, err := r.clients.CloudWatchLogs().DescribeSubscriptionFilters(ctx, &cloudwatchlogs.DescribeSubscriptionFiltersInput{LogGroupName: aws.String(group)})
		if err != nil {
			tflog.Debug(ctx, "cannot read the log group's subscription filters at plan time", map[string]any{"error": err.Error()})
			return nil
		}
		var others []string
		for _, f := range out.SubscriptionFilters {
			if name := aws.ToString(f.FilterName); name != m.CloudWatchLogs.FilterName.ValueString() {
				others = append(others, name)
			}
		}
		if len(others) >= trigger.CloudWatchLogsFiltersPerGroup {
			diags.Append(diagnostics.AsyncSourceLogsFilterLimit(path.Root("cloudwatch_logs").AtName("filter_name"), group, trigger.CloudWatchLogsFiltersPerGroup, others))
		}
	}
	return diags
}

// behavior joins the source's delivery rules with the function's event invoke config as it is now
// (Lambda's defaults when the function or its configuration does not exist yet).
func (r *asyncSourceResource) behavior(ctx context.Context, m *asyncSourceResourceModel) types.String {
	source, ok := m.sourceDescription(ctx)
	if !ok || !asKnown(m.FunctionName, m.Qualifier) {
		return types.StringUnknown()
	}
	retries, age := int64(trigger.MaximumRetryAttemptsDefault), int64(trigger.MaximumEventAgeDefault)
	var onSuccess, onFailure string
	input := &lambda.GetFunctionEventInvokeConfigInput{FunctionName: aws.String(m.FunctionName.ValueString())}
	if q := m.qualifier(); q != "" {
		input.Qualifier = aws.String(q)
	}
	out, err := r.clients.Lambda.GetFunctionEventInvokeConfig(ctx, input)
	switch {
	case err == nil:
		if out.MaximumRetryAttempts != nil {
			retries = int64(*out.MaximumRetryAttempts)
		}
		if out.MaximumEventAgeInSeconds != nil {
			age = int64(*out.MaximumEventAgeInSeconds)
		}
		if d := out.DestinationConfig; d != nil {
			if d.OnSuccess != nil {
				onSuccess = aws.ToString(d.OnSuccess.Destination)
			}
			if d.OnFailure != nil {
				onFailure = aws.ToString(d.OnFailure.Destination)
			}
		}
	case errorIs[*awstypes.ResourceNotFoundException](err, ""):
	default:
		tflog.Debug(ctx, "cannot read the function's event invoke config; describing Lambda's defaults", map[string]any{"error": err.Error()})
	}
	return types.StringValue(trigger.AsyncSourceBehavior(source, retries, age, onSuccess, onFailure))
}

// sourceDescription is the source's half of behavior; false while an input is unknown.
func (m *asyncSourceResourceModel) sourceDescription(ctx context.Context) (string, bool) {
	switch {
	case m.S3 != nil:
		s := m.S3
		if !asKnown(s.Bucket, s.FilterPrefix, s.FilterSuffix) || s.Events.IsUnknown() {
			return "", false
		}
		return trigger.S3SourceDescription(s.Bucket.ValueString(), asStrings(ctx, s.Events), s.FilterPrefix.ValueString(), s.FilterSuffix.ValueString()), true
	case m.SNS != nil:
		s := m.SNS
		if !asKnown(s.TopicARN, s.FilterPolicy, s.FilterPolicyScope) {
			return "", false
		}
		_, topic := asSplitLastColon(s.TopicARN.ValueString())
		return trigger.SNSSourceDescription(topic, !s.FilterPolicy.IsNull(), s.FilterPolicyScope.ValueString()), true
	case m.EventBridge != nil:
		e := m.EventBridge
		if !asKnown(e.RuleName, e.DeadLetterARN) {
			return "", false
		}
		retries, age := int64(trigger.EventBridgeRetryAttemptsMax), int64(trigger.EventBridgeEventAgeMax)
		if p := e.RetryPolicy; p != nil {
			if p.MaximumRetryAttempts.IsUnknown() || p.MaximumEventAgeInSeconds.IsUnknown() {
				return "", false
			}
			if !p.MaximumRetryAttempts.IsNull() {
				retries = p.MaximumRetryAttempts.ValueInt64()
			}
			if !p.MaximumEventAgeInSeconds.IsNull() {
				age = p.MaximumEventAgeInSeconds.ValueInt64()
			}
		}
		what := e.ScheduleExpression.ValueString()
		if what == "" && !e.EventPattern.IsNull() {
			what = "event pattern"
		}
		return trigger.EventBridgeSourceDescription(e.RuleName.ValueString(), what, retries, age, e.DeadLetterARN.ValueString()), true
	case m.CloudWatchLogs != nil:
		l := m.CloudWatchLogs
		if !asKnown(l.LogGroupName, l.FilterPattern) {
			return "", false
		}
		return trigger.LogsSourceDescription(l.LogGroupName.ValueString(), l.FilterPattern.ValueString()), true
	}
	return "", false
}

// asStrings reads a asKnown list of strings (nil when null or unknown).
func asStrings(ctx context.Context, l types.List) []string {
	if l.IsNull() || l.IsUnknown() {
		return nil
	}
	var out []string
	_ = l.ElementsAs(ctx, &out, false)
	return out
}

// asAPICode is the AWS error code of err, "" when it has none.
func asAPICode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}
