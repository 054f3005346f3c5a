package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	cwltypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	awstypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The AWS calls of lambdatrigger_async_source, per source: wire (permission, then the service's
// configuration; idempotent, so it also re-creates parts deleted outside Terraform), read (every part,
// not-found when one is gone) and unwire (exactly what wire added).

// asyncSourcePropagationTimeout bounds the retries of S3's "Unable to validate the following
// destination configurations" while the new permission propagates (pain point 2).
const asyncSourcePropagationTimeout = 2 * time.Minute

// asBucketLocks serialises the read-change-write of one bucket's notification configuration across the
// resources of one provider process: S3 replaces the whole configuration on every write, so two
// concurrent merges would lose one another (pain point 1). Resources are built per request, so the
// locks cannot live on the resource.
var asBucketLocks sync.Map // bucket name -> *sync.Mutex

func asLockBucket(bucket string) func() {
	mu, _ := asBucketLocks.LoadOrStore(bucket, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	return mu.(*sync.Mutex).Unlock
}

// wire adds the permission, then the source's configuration. prior is the state on update.
func (r *asyncSourceResource) wire(ctx context.Context, m *asyncSourceResourceModel, prior *asyncSourceResourceModel) error {
	// The statement id derives from the principal and the source ARN, so a statement with it says the
	// same: keep it rather than remove and add it again (which would drop events in between).
	switch err := r.findPermission(ctx, m); {
	case isNotFound(err):
		if err := r.addPermission(ctx, m); err != nil {
			return fmt.Errorf("adding the permission for %s: %w", m.Principal.ValueString(), err)
		}
	case err != nil:
		return fmt.Errorf("reading the function's resource policy: %w", err)
	}
	fnARN := r.functionARN(m)
	switch {
	case m.S3 != nil:
		var priorID string
		if prior != nil && prior.S3 != nil {
			priorID = prior.S3.ID.ValueString()
		}
		if err := r.putS3Configuration(ctx, m, fnARN, priorID); err != nil {
			return err
		}
	case m.SNS != nil:
		if err := r.subscribeSNS(ctx, m, fnARN, prior); err != nil {
			return err
		}
	case m.EventBridge != nil:
		if err := r.putEventBridgeTarget(ctx, m, fnARN); err != nil {
			return err
		}
	case m.CloudWatchLogs != nil:
		l := m.CloudWatchLogs
		_, err := r.clients.CloudWatchLogs().PutSubscriptionFilter(ctx, &cloudwatchlogs.PutSubscriptionFilterInput{
			LogGroupName: aws.String(l.LogGroupName.ValueString()), FilterName: aws.String(l.FilterName.ValueString()),
			FilterPattern: aws.String(l.FilterPattern.ValueString()), DestinationArn: aws.String(fnARN),
		})
		if err != nil {
			return fmt.Errorf("putting subscription filter %s on %s: %w", l.FilterName.ValueString(), l.LogGroupName.ValueString(), err)
		}
	}
	// An update that changed the statement id (new S3 events) leaves the old statement behind: remove it
	// now that the new one serves the source.
	if prior != nil && prior.StatementID.ValueString() != "" && prior.StatementID.ValueString() != m.StatementID.ValueString() {
		return r.removePermission(ctx, prior)
	}
	return nil
}

// unwire removes the source's configuration, then the permission; parts already gone are done.
func (r *asyncSourceResource) unwire(ctx context.Context, m *asyncSourceResourceModel) error {
	var err error
	switch {
	case m.S3 != nil:
		err = r.removeS3Configuration(ctx, m.S3.Bucket.ValueString(), m.S3.ID.ValueString())
	case m.SNS != nil:
		_, err = r.clients.SNS().Unsubscribe(ctx, &sns.UnsubscribeInput{SubscriptionArn: aws.String(m.SNS.SubscriptionARN.ValueString())})
		if errorIs[*snstypes.NotFoundException](err, "") {
			err = nil
		}
	case m.EventBridge != nil:
		err = r.removeEventBridgeTarget(ctx, m)
	case m.CloudWatchLogs != nil:
		_, err = r.clients.CloudWatchLogs().DeleteSubscriptionFilter(ctx, &cloudwatchlogs.DeleteSubscriptionFilterInput{
			LogGroupName: aws.String(m.CloudWatchLogs.LogGroupName.ValueString()), FilterName: aws.String(m.CloudWatchLogs.FilterName.ValueString()),
		})
		if errorIs[*cwltypes.ResourceNotFoundException](err, "") {
			err = nil
		}
	}
	if err != nil {
		return err
	}
	return r.removePermission(ctx, m)
}

// removePermission removes the source's statement; one already gone is done.
func (r *asyncSourceResource) removePermission(ctx context.Context, m *asyncSourceResourceModel) error {
	input := &lambda.RemovePermissionInput{FunctionName: aws.String(m.FunctionName.ValueString()), StatementId: aws.String(m.StatementID.ValueString())}
	if q := m.qualifier(); q != "" {
		input.Qualifier = aws.String(q)
	}
	if _, err := r.clients.Lambda.RemovePermission(ctx, input); err != nil && !errorIs[*awstypes.ResourceNotFoundException](err, "") {
		return fmt.Errorf("removing permission %s: %w", m.StatementID.ValueString(), err)
	}
	return nil
}

// read checks every part and refreshes what can drift; a notFoundError when a part is gone.
func (r *asyncSourceResource) read(ctx context.Context, m *asyncSourceResourceModel) error {
	if err := r.findPermission(ctx, m); err != nil {
		return err
	}
	switch {
	case m.S3 != nil:
		out, err := r.clients.S3().GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String(m.S3.Bucket.ValueString())})
		if asAPICode(err) == "NoSuchBucket" {
			return &notFoundError{what: "S3 bucket " + m.S3.Bucket.ValueString(), err: err}
		}
		if err != nil {
			return err
		}
		for _, c := range out.LambdaFunctionConfigurations {
			if aws.ToString(c.Id) != m.S3.ID.ValueString() {
				continue
			}
			events := make([]string, len(c.Events))
			for i, e := range c.Events {
				events[i] = string(e)
			}
			m.S3.Events = types.ListValueMust(types.StringType, asStringValues(events))
			prefix, suffix := asFilterRules(c.Filter)
			m.S3.FilterPrefix = asKeepUnset(m.S3.FilterPrefix, prefix)
			m.S3.FilterSuffix = asKeepUnset(m.S3.FilterSuffix, suffix)
			m.Behavior = r.behavior(ctx, m)
			return nil
		}
		return &notFoundError{what: "notification configuration " + m.S3.ID.ValueString() + " of bucket " + m.S3.Bucket.ValueString()}
	case m.SNS != nil:
		out, err := r.clients.SNS().GetSubscriptionAttributes(ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(m.SNS.SubscriptionARN.ValueString())})
		if errorIs[*snstypes.NotFoundException](err, "") {
			return &notFoundError{what: "SNS subscription " + m.SNS.SubscriptionARN.ValueString(), err: err}
		}
		if err != nil {
			return err
		}
		m.SNS.TopicARN = types.StringValue(out.Attributes["TopicArn"])
		m.SNS.FilterPolicy = asKeepJSON(m.SNS.FilterPolicy, out.Attributes["FilterPolicy"])
		if m.SNS.FilterPolicy.IsNull() {
			m.SNS.FilterPolicyScope = asKeepUnset(m.SNS.FilterPolicyScope, "")
		} else if scope := out.Attributes["FilterPolicyScope"]; !(m.SNS.FilterPolicyScope.IsNull() && scope == "MessageAttributes") {
			m.SNS.FilterPolicyScope = asKeepUnset(m.SNS.FilterPolicyScope, scope)
		}
	case m.EventBridge != nil:
		if err := r.readEventBridge(ctx, m); err != nil {
			return err
		}
	case m.CloudWatchLogs != nil:
		l := m.CloudWatchLogs
		out, err := r.clients.CloudWatchLogs().DescribeSubscriptionFilters(ctx, &cloudwatchlogs.DescribeSubscriptionFiltersInput{
			LogGroupName: aws.String(l.LogGroupName.ValueString()), FilterNamePrefix: aws.String(l.FilterName.ValueString()),
		})
		if errorIs[*cwltypes.ResourceNotFoundException](err, "") {
			return &notFoundError{what: "log group " + l.LogGroupName.ValueString(), err: err}
		}
		if err != nil {
			return err
		}
		found := false
		for _, f := range out.SubscriptionFilters {
			if aws.ToString(f.FilterName) == l.FilterName.ValueString() {
				found = true
				l.FilterPattern = asKeepUnset(l.FilterPattern, aws.ToString(f.FilterPattern))
			}
		}
		if !found {
			return &notFoundError{what: "subscription filter " + l.FilterName.ValueString() + " of " + l.LogGroupName.ValueString()}
		}
	}
	m.Behavior = r.behavior(ctx, m)
	return nil
}

// addPermission adds the statement; when a statement with its id exists (an earlier apply, or the
// part of a source re-created after drift) it is replaced, so it always says what the plan says.
func (r *asyncSourceResource) addPermission(ctx context.Context, m *asyncSourceResourceModel) error {
	input := &lambda.AddPermissionInput{
		FunctionName: aws.String(m.FunctionName.ValueString()),
		StatementId:  aws.String(m.StatementID.ValueString()),
		Action:       aws.String("lambda:InvokeFunction"),
		Principal:    aws.String(m.Principal.ValueString()),
		SourceArn:    aws.String(m.SourceARN.ValueString()),
	}
	if m.S3 != nil {
		// A bucket ARN names no account: SourceAccount stops another account's bucket of the same name.
		input.SourceAccount = aws.String(r.clients.AccountID)
	}
	if q := m.qualifier(); q != "" {
		input.Qualifier = aws.String(q)
	}
	add := func(ctx context.Context) error {
		_, err := r.clients.Lambda.AddPermission(ctx, input)
		return err
	}
	// A conflict is an update of the function still in progress, unless the statement exists.
	err := retryWhen(ctx, functionPropagationTimeout, add, func(err error) bool {
		return isFunctionConflict(err) && !asStatementExists(err)
	})
	if asStatementExists(err) {
		remove := &lambda.RemovePermissionInput{FunctionName: input.FunctionName, StatementId: input.StatementId, Qualifier: input.Qualifier}
		if _, err := r.clients.Lambda.RemovePermission(ctx, remove); err != nil {
			return err
		}
		err = add(ctx)
	}
	return err
}

// findPermission looks for the statement in the function's (or qualifier's) resource policy.
func (r *asyncSourceResource) findPermission(ctx context.Context, m *asyncSourceResourceModel) error {
	input := &lambda.GetPolicyInput{FunctionName: aws.String(m.FunctionName.ValueString())}
	if q := m.qualifier(); q != "" {
		input.Qualifier = aws.String(q)
	}
	out, err := r.clients.Lambda.GetPolicy(ctx, input)
	if errorIs[*awstypes.ResourceNotFoundException](err, "") {
		return &notFoundError{what: "resource policy of " + m.FunctionName.ValueString(), err: err}
	}
	if err != nil {
		return err
	}
	var policy struct {
		Statement []struct {
			Sid string `json:"Sid"`
		} `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(aws.ToString(out.Policy)), &policy); err != nil {
		return fmt.Errorf("reading the resource policy of %s: %w", m.FunctionName.ValueString(), err)
	}
	for _, s := range policy.Statement {
		if s.Sid == m.StatementID.ValueString() {
			return nil
		}
	}
	return &notFoundError{what: "permission statement " + m.StatementID.ValueString()}
}

// putS3Configuration merges this resource's Lambda configuration into the bucket's notification
// configuration, keeping every other one, under the bucket's lock.
func (r *asyncSourceResource) putS3Configuration(ctx context.Context, m *asyncSourceResourceModel, fnARN, priorID string) error {
	b := m.S3
	bucket := b.Bucket.ValueString()
	defer asLockBucket(bucket)()
	mine := s3types.LambdaFunctionConfiguration{Id: aws.String(b.ID.ValueString()), LambdaFunctionArn: aws.String(fnARN)}
	for _, e := range asStrings(ctx, b.Events) {
		mine.Events = append(mine.Events, s3types.Event(e))
	}
	var rules []s3types.FilterRule
	if p := b.FilterPrefix.ValueString(); p != "" {
		rules = append(rules, s3types.FilterRule{Name: s3types.FilterRuleNamePrefix, Value: aws.String(p)})
	}
	if s := b.FilterSuffix.ValueString(); s != "" {
		rules = append(rules, s3types.FilterRule{Name: s3types.FilterRuleNameSuffix, Value: aws.String(s)})
	}
	if len(rules) > 0 {
		mine.Filter = &s3types.NotificationConfigurationFilter{Key: &s3types.S3KeyFilter{FilterRules: rules}}
	}
	return retryWhen(ctx, asyncSourcePropagationTimeout, func(ctx context.Context) error {
		return r.rewriteS3(ctx, bucket, []string{b.ID.ValueString(), priorID}, &mine)
	}, func(err error) bool {
		return strings.Contains(err.Error(), "Unable to validate the following destination configurations")
	})
}

func (r *asyncSourceResource) removeS3Configuration(ctx context.Context, bucket, id string) error {
	defer asLockBucket(bucket)()
	err := r.rewriteS3(ctx, bucket, []string{id}, nil)
	if asAPICode(err) == "NoSuchBucket" {
		return nil
	}
	return err
}

// rewriteS3 reads the bucket's notification configuration, drops the configurations with the ids
// given (this resource's, and its previous one on update), adds mine when it is not nil, and writes
// the whole back.
func (r *asyncSourceResource) rewriteS3(ctx context.Context, bucket string, drop []string, mine *s3types.LambdaFunctionConfiguration) error {
	conn := r.clients.S3()
	out, err := conn.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String(bucket)})
	if err != nil {
		return fmt.Errorf("reading the notification configuration of bucket %s: %w", bucket, err)
	}
	cfg := &s3types.NotificationConfiguration{
		TopicConfigurations:      out.TopicConfigurations,
		QueueConfigurations:      out.QueueConfigurations,
		EventBridgeConfiguration: out.EventBridgeConfiguration,
	}
	present := false
	for _, c := range out.LambdaFunctionConfigurations {
		if id := aws.ToString(c.Id); id != "" && slices.Contains(drop, id) {
			present = true
			continue
		}
		cfg.LambdaFunctionConfigurations = append(cfg.LambdaFunctionConfigurations, c)
	}
	if mine == nil && !present {
		return nil
	}
	if mine != nil {
		cfg.LambdaFunctionConfigurations = append(cfg.LambdaFunctionConfigurations, *mine)
	}
	_, err = conn.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: aws.String(bucket), NotificationConfiguration: cfg})
	if err != nil {
		return fmt.Errorf("writing the notification configuration of bucket %s: %w", bucket, err)
	}
	return nil
}

// subscribeSNS subscribes the function (Subscribe is idempotent for one topic and endpoint), or on
// update changes the filter policy of the existing subscription.
func (r *asyncSourceResource) subscribeSNS(ctx context.Context, m *asyncSourceResourceModel, fnARN string, prior *asyncSourceResourceModel) error {
	s := m.SNS
	conn := r.clients.SNS()
	if prior != nil && prior.SNS != nil && !prior.SNS.SubscriptionARN.IsNull() {
		s.SubscriptionARN = prior.SNS.SubscriptionARN
		set := func(name, value string) error {
			_, err := conn.SetSubscriptionAttributes(ctx, &sns.SetSubscriptionAttributesInput{
				SubscriptionArn: aws.String(s.SubscriptionARN.ValueString()), AttributeName: aws.String(name), AttributeValue: aws.String(value)})
			return err
		}
		if err := set("FilterPolicy", s.FilterPolicy.ValueString()); err != nil {
			return err
		}
		if !s.FilterPolicy.IsNull() {
			scope := s.FilterPolicyScope.ValueString()
			if scope == "" {
				scope = "MessageAttributes"
			}
			return set("FilterPolicyScope", scope)
		}
		return nil
	}
	attrs := map[string]string{}
	if !s.FilterPolicy.IsNull() {
		attrs["FilterPolicy"] = s.FilterPolicy.ValueString()
		if !s.FilterPolicyScope.IsNull() {
			attrs["FilterPolicyScope"] = s.FilterPolicyScope.ValueString()
		}
	}
	out, err := conn.Subscribe(ctx, &sns.SubscribeInput{
		TopicArn: aws.String(s.TopicARN.ValueString()), Protocol: aws.String("lambda"), Endpoint: aws.String(fnARN),
		Attributes: attrs, ReturnSubscriptionArn: true,
	})
	if err != nil {
		return fmt.Errorf("subscribing to topic %s: %w", s.TopicARN.ValueString(), err)
	}
	s.SubscriptionARN = types.StringValue(aws.ToString(out.SubscriptionArn))
	m.ID = types.StringValue("sns|" + s.SubscriptionARN.ValueString())
	return nil
}

// putEventBridgeTarget creates the resource's own rule when it has one, then puts the target.
func (r *asyncSourceResource) putEventBridgeTarget(ctx context.Context, m *asyncSourceResourceModel, fnARN string) error {
	e := m.EventBridge
	conn := r.clients.EventBridge()
	bus, rule := asParseRuleARN(e.RuleARN.ValueString())
	if e.ownRule() {
		input := &eventbridge.PutRuleInput{Name: aws.String(rule), EventBusName: aws.String(bus), State: ebtypes.RuleStateEnabled,
			Description: aws.String("Created by lambdatrigger_async_source for " + m.FunctionName.ValueString())}
		if !e.EventPattern.IsNull() {
			input.EventPattern = aws.String(e.EventPattern.ValueString())
		}
		if !e.ScheduleExpression.IsNull() {
			input.ScheduleExpression = aws.String(e.ScheduleExpression.ValueString())
		}
		if _, err := conn.PutRule(ctx, input); err != nil {
			return fmt.Errorf("putting rule %s: %w", rule, err)
		}
	}
	target := ebtypes.Target{Id: aws.String(e.TargetID.ValueString()), Arn: aws.String(fnARN)}
	if !e.Input.IsNull() {
		target.Input = aws.String(e.Input.ValueString())
	}
	if !e.InputPath.IsNull() {
		target.InputPath = aws.String(e.InputPath.ValueString())
	}
	if t := e.InputTransformer; t != nil {
		paths := map[string]string{}
		if !t.InputPaths.IsNull() {
			_ = t.InputPaths.ElementsAs(ctx, &paths, false)
		}
		target.InputTransformer = &ebtypes.InputTransformer{InputPathsMap: paths, InputTemplate: aws.String(t.InputTemplate.ValueString())}
	}
	if p := e.RetryPolicy; p != nil {
		target.RetryPolicy = &ebtypes.RetryPolicy{}
		if !p.MaximumRetryAttempts.IsNull() {
			target.RetryPolicy.MaximumRetryAttempts = aws.Int32(int32(p.MaximumRetryAttempts.ValueInt64()))
		}
		if !p.MaximumEventAgeInSeconds.IsNull() {
			target.RetryPolicy.MaximumEventAgeInSeconds = aws.Int32(int32(p.MaximumEventAgeInSeconds.ValueInt64()))
		}
	}
	if !e.DeadLetterARN.IsNull() {
		target.DeadLetterConfig = &ebtypes.DeadLetterConfig{Arn: aws.String(e.DeadLetterARN.ValueString())}
	}
	out, err := conn.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String(rule), EventBusName: aws.String(bus), Targets: []ebtypes.Target{target}})
	if err != nil {
		return fmt.Errorf("putting target %s on rule %s: %w", e.TargetID.ValueString(), rule, err)
	}
	if out.FailedEntryCount > 0 && len(out.FailedEntries) > 0 {
		f := out.FailedEntries[0]
		return fmt.Errorf("putting target %s on rule %s: %s: %s", e.TargetID.ValueString(), rule, aws.ToString(f.ErrorCode), aws.ToString(f.ErrorMessage))
	}
	return nil
}

func (r *asyncSourceResource) removeEventBridgeTarget(ctx context.Context, m *asyncSourceResourceModel) error {
	e := m.EventBridge
	conn := r.clients.EventBridge()
	bus, rule := asParseRuleARN(e.RuleARN.ValueString())
	_, err := conn.RemoveTargets(ctx, &eventbridge.RemoveTargetsInput{Rule: aws.String(rule), EventBusName: aws.String(bus), Ids: []string{e.TargetID.ValueString()}})
	if errorIs[*ebtypes.ResourceNotFoundException](err, "") {
		return nil // the rule is gone, and its targets with it
	}
	if err != nil {
		return fmt.Errorf("removing target %s from rule %s: %w", e.TargetID.ValueString(), rule, err)
	}
	if e.ownRule() {
		_, err = conn.DeleteRule(ctx, &eventbridge.DeleteRuleInput{Name: aws.String(rule), EventBusName: aws.String(bus)})
		if err != nil && !errorIs[*ebtypes.ResourceNotFoundException](err, "") {
			return fmt.Errorf("deleting rule %s: %w", rule, err)
		}
	}
	return nil
}

func (r *asyncSourceResource) readEventBridge(ctx context.Context, m *asyncSourceResourceModel) error {
	e := m.EventBridge
	conn := r.clients.EventBridge()
	bus, rule := asParseRuleARN(e.RuleARN.ValueString())
	ruleOut, err := conn.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String(rule), EventBusName: aws.String(bus)})
	if errorIs[*ebtypes.ResourceNotFoundException](err, "") {
		return &notFoundError{what: "EventBridge rule " + e.RuleARN.ValueString(), err: err}
	}
	if err != nil {
		return err
	}
	if e.ownRule() {
		e.EventPattern = asKeepJSON(e.EventPattern, aws.ToString(ruleOut.EventPattern))
		e.ScheduleExpression = asKeepUnset(e.ScheduleExpression, aws.ToString(ruleOut.ScheduleExpression))
	}
	out, err := conn.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String(rule), EventBusName: aws.String(bus)})
	if err != nil {
		return err
	}
	for _, t := range out.Targets {
		if aws.ToString(t.Id) != e.TargetID.ValueString() {
			continue
		}
		e.Input = asKeepUnset(e.Input, aws.ToString(t.Input))
		e.InputPath = asKeepUnset(e.InputPath, aws.ToString(t.InputPath))
		dlq := ""
		if t.DeadLetterConfig != nil {
			dlq = aws.ToString(t.DeadLetterConfig.Arn)
		}
		e.DeadLetterARN = asKeepUnset(e.DeadLetterARN, dlq)
		if p := e.RetryPolicy; p != nil && t.RetryPolicy != nil {
			if t.RetryPolicy.MaximumRetryAttempts != nil && !p.MaximumRetryAttempts.IsNull() {
				p.MaximumRetryAttempts = types.Int64Value(int64(*t.RetryPolicy.MaximumRetryAttempts))
			}
			if t.RetryPolicy.MaximumEventAgeInSeconds != nil && !p.MaximumEventAgeInSeconds.IsNull() {
				p.MaximumEventAgeInSeconds = types.Int64Value(int64(*t.RetryPolicy.MaximumEventAgeInSeconds))
			}
		}
		return nil
	}
	return &notFoundError{what: "target " + e.TargetID.ValueString() + " of rule " + e.RuleARN.ValueString()}
}

// importModel builds the state of an import ID from the wiring it names; read completes it.
func (r *asyncSourceResource) importModel(ctx context.Context, id string) (*asyncSourceResourceModel, error) {
	parts := strings.Split(id, "|")
	m := &asyncSourceResourceModel{Qualifier: types.StringNull()}
	var fnARN string
	switch {
	case parts[0] == "s3" && len(parts) == 3:
		out, err := r.clients.S3().GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String(parts[1])})
		if err != nil {
			return nil, err
		}
		m.S3 = &asyncSourceS3Model{Bucket: types.StringValue(parts[1]), ID: types.StringValue(parts[2]),
			FilterPrefix: types.StringNull(), FilterSuffix: types.StringNull(), Events: types.ListNull(types.StringType)}
		for _, c := range out.LambdaFunctionConfigurations {
			if aws.ToString(c.Id) == parts[2] {
				fnARN = aws.ToString(c.LambdaFunctionArn)
				// The configuration id and the statement id derive from the filters and events.
				prefix, suffix := asFilterRules(c.Filter)
				m.S3.FilterPrefix = asKeepUnset(types.StringNull(), prefix)
				m.S3.FilterSuffix = asKeepUnset(types.StringNull(), suffix)
				events := make([]string, len(c.Events))
				for i, e := range c.Events {
					events[i] = string(e)
				}
				m.S3.Events = types.ListValueMust(types.StringType, asStringValues(events))
			}
		}
	case parts[0] == "sns" && len(parts) == 2:
		out, err := r.clients.SNS().GetSubscriptionAttributes(ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(parts[1])})
		if err != nil {
			return nil, err
		}
		fnARN = out.Attributes["Endpoint"]
		m.SNS = &asyncSourceSNSModel{TopicARN: types.StringValue(out.Attributes["TopicArn"]), SubscriptionARN: types.StringValue(parts[1]),
			FilterPolicy: types.StringNull(), FilterPolicyScope: types.StringNull()}
		if fp := out.Attributes["FilterPolicy"]; fp != "" {
			m.SNS.FilterPolicy = types.StringValue(fp)
			if scope := out.Attributes["FilterPolicyScope"]; scope != "" && scope != "MessageAttributes" {
				m.SNS.FilterPolicyScope = types.StringValue(scope)
			}
		}
	case parts[0] == "eventbridge" && len(parts) == 3:
		bus, rule := asParseRuleARN(parts[1])
		e := &asyncSourceEventBridgeModel{RuleARN: types.StringValue(parts[1]), RuleName: types.StringValue(rule), TargetID: types.StringValue(parts[2]),
			EventPattern: types.StringNull(), ScheduleExpression: types.StringNull(), EventBusName: types.StringNull(),
			Input: types.StringNull(), InputPath: types.StringNull(), DeadLetterARN: types.StringNull()}
		conn := r.clients.EventBridge()
		ruleOut, err := conn.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String(rule), EventBusName: aws.String(bus)})
		if err != nil {
			return nil, err
		}
		// The resource's own rules carry its name prefix; their pattern or schedule is configuration.
		if strings.HasPrefix(rule, "lambdatrigger-") {
			if p := aws.ToString(ruleOut.EventPattern); p != "" {
				e.EventPattern = types.StringValue(p)
			}
			if s := aws.ToString(ruleOut.ScheduleExpression); s != "" {
				e.ScheduleExpression = types.StringValue(s)
			}
			if bus != "default" {
				e.EventBusName = types.StringValue(bus)
			}
		}
		targets, err := conn.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String(rule), EventBusName: aws.String(bus)})
		if err != nil {
			return nil, err
		}
		for _, t := range targets.Targets {
			if aws.ToString(t.Id) == parts[2] {
				fnARN = aws.ToString(t.Arn)
				if t.Input != nil {
					e.Input = types.StringValue(*t.Input)
				}
				if t.InputPath != nil {
					e.InputPath = types.StringValue(*t.InputPath)
				}
				if t.DeadLetterConfig != nil && t.DeadLetterConfig.Arn != nil {
					e.DeadLetterARN = types.StringValue(*t.DeadLetterConfig.Arn)
				}
				if p := t.RetryPolicy; p != nil && (p.MaximumRetryAttempts != nil || p.MaximumEventAgeInSeconds != nil) {
					e.RetryPolicy = &asyncSourceRetryModel{MaximumRetryAttempts: types.Int64PointerValue(asInt64Ptr(p.MaximumRetryAttempts)),
						MaximumEventAgeInSeconds: types.Int64PointerValue(asInt64Ptr(p.MaximumEventAgeInSeconds))}
				}
			}
		}
		m.EventBridge = e
	case parts[0] == "cloudwatch_logs" && len(parts) == 3:
		out, err := r.clients.CloudWatchLogs().DescribeSubscriptionFilters(ctx, &cloudwatchlogs.DescribeSubscriptionFiltersInput{
			LogGroupName: aws.String(parts[1]), FilterNamePrefix: aws.String(parts[2])})
		if err != nil {
			return nil, err
		}
		m.CloudWatchLogs = &asyncSourceCloudWatchLogsModel{LogGroupName: types.StringValue(parts[1]), FilterName: types.StringValue(parts[2]), FilterPattern: types.StringNull()}
		for _, f := range out.SubscriptionFilters {
			if aws.ToString(f.FilterName) == parts[2] {
				fnARN = aws.ToString(f.DestinationArn)
				if p := aws.ToString(f.FilterPattern); p != "" {
					m.CloudWatchLogs.FilterPattern = types.StringValue(p)
				}
			}
		}
	default:
		return nil, errors.New("unknown form")
	}
	if fnARN == "" {
		return nil, fmt.Errorf("%s does not point at a Lambda function", id)
	}
	// arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]
	arnParts := strings.Split(fnARN, ":")
	if len(arnParts) < 7 {
		return nil, fmt.Errorf("%q is not a function ARN", fnARN)
	}
	m.FunctionName = types.StringValue(arnParts[6])
	if len(arnParts) > 7 {
		m.Qualifier = types.StringValue(arnParts[7])
	}
	m.derive(ctx, r.clients)
	return m, nil
}

// functionARN is the ARN the service is pointed at: the function's, with the qualifier when set.
func (r *asyncSourceResource) functionARN(m *asyncSourceResourceModel) string {
	name := m.FunctionName.ValueString()
	var arn string
	switch {
	case strings.HasPrefix(name, "arn:"):
		arn = name
	case strings.Contains(name, ":function:"):
		arn = "arn:" + r.clients.Partition + ":lambda:" + r.clients.Region + ":" + name
	default:
		arn = "arn:" + r.clients.Partition + ":lambda:" + r.clients.Region + ":" + r.clients.AccountID + ":function:" + name
	}
	if q := m.qualifier(); q != "" {
		arn += ":" + q
	}
	return arn
}

// asS3Configuration is one configuration of a bucket's notification configuration, of any kind.
type asS3Configuration struct {
	id             string
	events         []string
	prefix, suffix string
}

func asS3Configurations(out *s3.GetBucketNotificationConfigurationOutput) []asS3Configuration {
	var all []asS3Configuration
	add := func(id *string, events []s3types.Event, f *s3types.NotificationConfigurationFilter) {
		c := asS3Configuration{id: aws.ToString(id)}
		for _, e := range events {
			c.events = append(c.events, string(e))
		}
		c.prefix, c.suffix = asFilterRules(f)
		all = append(all, c)
	}
	for _, c := range out.LambdaFunctionConfigurations {
		add(c.Id, c.Events, c.Filter)
	}
	for _, c := range out.QueueConfigurations {
		add(c.Id, c.Events, c.Filter)
	}
	for _, c := range out.TopicConfigurations {
		add(c.Id, c.Events, c.Filter)
	}
	return all
}

func asFilterRules(f *s3types.NotificationConfigurationFilter) (prefix, suffix string) {
	if f == nil || f.Key == nil {
		return "", ""
	}
	for _, r := range f.Key.FilterRules {
		switch strings.ToLower(string(r.Name)) {
		case "prefix":
			prefix = aws.ToString(r.Value)
		case "suffix":
			suffix = aws.ToString(r.Value)
		}
	}
	return prefix, suffix
}

// asParseRuleARN reads arn:aws:events:<r>:<a>:rule/[<bus>/]<name>.
func asParseRuleARN(arn string) (bus, name string) {
	_, res := asSplitLastColon(arn)
	res = strings.TrimPrefix(res, "rule/")
	if i := strings.LastIndex(res, "/"); i >= 0 {
		return res[:i], res[i+1:]
	}
	return "default", res
}

func asSplitLastColon(s string) (string, string) {
	i := strings.LastIndex(s, ":")
	if i < 0 {
		return "", s
	}
	return s[:i], s[i+1:]
}

// asKeepUnset keeps an unset attribute unset when AWS reports its empty default.
func asKeepUnset(prior types.String, got string) types.String {
	if prior.IsNull() && got == "" {
		return prior
	}
	return types.StringValue(got)
}

// asKeepJSON keeps the configured text when AWS reports the same JSON differently formatted.
func asKeepJSON(prior types.String, got string) types.String {
	if got == "" {
		if prior.IsNull() {
			return prior
		}
		return types.StringValue("")
	}
	if !prior.IsNull() && asJSONSame(prior.ValueString(), got) {
		return prior
	}
	return types.StringValue(got)
}

func asJSONSame(a, b string) bool {
	var va, vb any
	if json.Unmarshal([]byte(a), &va) != nil || json.Unmarshal([]byte(b), &vb) != nil {
		return false
	}
	ja, _ := json.Marshal(va)
	jb, _ := json.Marshal(vb)
	return string(ja) == string(jb)
}

func asStringValues(ss []string) []attr.Value {
	out := make([]attr.Value, len(ss))
	for i, s := range ss {
		out[i] = types.StringValue(s)
	}
	return out
}

func asInt64Ptr(p *int32) *int64 {
	if p == nil {
		return nil
	}
	v := int64(*p)
	return &v
}

// asStatementExists is AddPermission's answer when the statement id is taken.
func asStatementExists(err error) bool {
	return errorIs[*awstypes.ResourceConflictException](err, "already exists")
}
