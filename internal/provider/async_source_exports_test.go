package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/conns"
)

// Exported for the acceptance tests of lambdatrigger_async_source: they check and unwire through the
// production read and delete, from the flat attributes of a resource in terraform state.

// FindAsyncSource returns nil when every part of the source exists, a not-found error otherwise.
func FindAsyncSource(ctx context.Context, clients *conns.Clients, attrs map[string]string) error {
	r := &asyncSourceResource{clients: clients}
	return r.read(ctx, asyncSourceFromAttributes(attrs))
}

// DeleteAsyncSource removes what the source added, as Delete does.
func DeleteAsyncSource(ctx context.Context, clients *conns.Clients, attrs map[string]string) error {
	r := &asyncSourceResource{clients: clients}
	return r.unwire(ctx, asyncSourceFromAttributes(attrs))
}

func asyncSourceFromAttributes(a map[string]string) *asyncSourceResourceModel {
	str := func(k string) types.String {
		if v, ok := a[k]; ok && v != "" {
			return types.StringValue(v)
		}
		return types.StringNull()
	}
	m := &asyncSourceResourceModel{
		ID: str("id"), FunctionName: str("function_name"), Qualifier: str("qualifier"), StatementID: str("statement_id"),
		Principal: str("principal"), SourceARN: str("source_arn"),
	}
	switch {
	case a["s3.bucket"] != "":
		m.S3 = &asyncSourceS3Model{Bucket: str("s3.bucket"), ID: str("s3.id"), FilterPrefix: str("s3.filter_prefix"),
			FilterSuffix: str("s3.filter_suffix"), Events: types.ListNull(types.StringType)}
	case a["sns.topic_arn"] != "":
		m.SNS = &asyncSourceSNSModel{TopicARN: str("sns.topic_arn"), SubscriptionARN: str("sns.subscription_arn"),
			FilterPolicy: str("sns.filter_policy"), FilterPolicyScope: str("sns.filter_policy_scope")}
	case a["eventbridge.rule_arn"] != "":
		m.EventBridge = &asyncSourceEventBridgeModel{RuleARN: str("eventbridge.rule_arn"), TargetID: str("eventbridge.target_id"),
			RuleName: str("eventbridge.rule_name"), EventPattern: str("eventbridge.event_pattern"),
			ScheduleExpression: str("eventbridge.schedule_expression"), EventBusName: str("eventbridge.event_bus_name"),
			Input: str("eventbridge.input"), InputPath: str("eventbridge.input_path"), DeadLetterARN: str("eventbridge.dead_letter_arn")}
	case a["cloudwatch_logs.log_group_name"] != "":
		m.CloudWatchLogs = &asyncSourceCloudWatchLogsModel{LogGroupName: str("cloudwatch_logs.log_group_name"),
			FilterName: str("cloudwatch_logs.filter_name"), FilterPattern: str("cloudwatch_logs.filter_pattern")}
	}
	return m
}
