package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/conns"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/provider/diagnostics"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/provider/validators"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/trigger"
)

// lambdatrigger_async_source: one asynchronous event source of a function (S3, SNS, EventBridge or
// CloudWatch Logs) with every piece AWS needs, in AWS's order: the function's permission first, then
// the service-side wiring (SEMANTICS.md D; pain points 1, 2, 6, 7 of E). The calls per source live in
// async_source_wiring.go, the plan-time work in async_source_plan.go.

var (
	_ resource.Resource                   = (*asyncSourceResource)(nil)
	_ resource.ResourceWithConfigure      = (*asyncSourceResource)(nil)
	_ resource.ResourceWithImportState    = (*asyncSourceResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*asyncSourceResource)(nil)
	_ resource.ResourceWithValidateConfig = (*asyncSourceResource)(nil)
)

func newAsyncSourceResource() resource.Resource {
	return &asyncSourceResource{}
}

type asyncSourceResource struct {
	clients *conns.Clients
}

func (r *asyncSourceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_async_source"
}

func (r *asyncSourceResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, Description: desc + " Known at plan time."}
	}
	resp.Schema = schema.Schema{
		Description: "An asynchronous event source of a Lambda function (S3, SNS, EventBridge or CloudWatch Logs), wired " +
			"the way AWS needs it: the function's permission for the service first, with a deterministic statement id, " +
			"then the service's own configuration. Delete removes exactly what it added.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true,
				Description: "The import ID: `s3|<bucket>|<configuration id>`, `sns|<subscription ARN>`, " +
					"`eventbridge|<rule ARN>|<target id>` or `cloudwatch_logs|<log group>|<filter name>`.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"function_name": schema.StringAttribute{
				Required:      true,
				Description:   "Name, partial ARN or ARN of the function, without a qualifier. Changing it replaces the source.",
				Validators:    []validator.String{validators.FunctionNameOrARN()},
				PlanModifiers: replace,
			},
			"qualifier": schema.StringAttribute{
				Optional:      true,
				Description:   "Version or alias the source invokes. Unset, the unqualified function. Changing it replaces the source.",
				Validators:    []validator.String{validators.Qualifier()},
				PlanModifiers: replace,
			},
			"source_arn":      computed("ARN of the source the permission is scoped to (bucket, topic, rule or log group)."),
			"invocation_type": computed("How the source invokes the function: always `Event`."),
			"principal":       computed("The service principal the permission is granted to, e.g. `s3.amazonaws.com`."),
			"statement_id":    computed("Id of the statement added to the function's resource policy: `lambdatrigger-<hash>`, derived from the source and the function, so it never collides."),
			"event_type":      computed("The event's type in github.com/aws/aws-lambda-go/events: `S3Event`, `SNSEvent`, `CloudWatchEvent` or `CloudwatchLogsEvent`."),
			"behavior": computed("What happens to an event, in one line: the source's delivery rules joined with the function's " +
				"event invoke config as it is at plan time (AWS's defaults when there is none), e.g. " +
				"`s3:ObjectCreated:* under photos/uploads/*.jpg -> Event; on error: 2 retries after ~1 min and ~2 min; ...`."),
		},
		Blocks: map[string]schema.Block{
			"s3": schema.SingleNestedBlock{
				Description: "S3 event notifications of a bucket. The Lambda configuration is merged into the bucket's " +
					"notification configuration by its id: every other configuration is kept.",
				Attributes: map[string]schema.Attribute{
					"bucket": schema.StringAttribute{Optional: true, Description: "Name of the bucket. Required in the block.", PlanModifiers: replace},
					"events": schema.ListAttribute{
						Optional: true, ElementType: types.StringType,
						Description: "S3 event types, e.g. `s3:ObjectCreated:*`. Required in the block.",
						Validators:  []validator.List{listvalidator.ValueStringsAre(validators.S3EventType())},
					},
					"filter_prefix": schema.StringAttribute{Optional: true, Description: "Object key prefix. Changing it replaces the source.",
						Validators: []validator.String{validators.MaxLength(trigger.S3FilterValueMaxLength)}, PlanModifiers: replace},
					"filter_suffix": schema.StringAttribute{Optional: true, Description: "Object key suffix. Changing it replaces the source.",
						Validators: []validator.String{validators.MaxLength(trigger.S3FilterValueMaxLength)}, PlanModifiers: replace},
					"id": schema.StringAttribute{Computed: true, Description: "Id of the Lambda configuration in the bucket's notification configuration. Known at plan time."},
				},
			},
			"sns": schema.SingleNestedBlock{
				Description: "A subscription of protocol `lambda` to an SNS topic.",
				Attributes: map[string]schema.Attribute{
					"topic_arn":     schema.StringAttribute{Optional: true, Description: "ARN of the topic. Required in the block.", PlanModifiers: replace},
					"filter_policy": schema.StringAttribute{Optional: true, Description: "JSON filter policy of the subscription.", Validators: []validator.String{validators.JSONObject("Filter Policy")}},
					"filter_policy_scope": schema.StringAttribute{Optional: true, Description: "`MessageAttributes` (SNS's default) or `MessageBody`.",
						Validators: []validator.String{validators.OneOf("Invalid Filter Policy Scope", "MessageAttributes", "MessageBody")}},
					"subscription_arn": schema.StringAttribute{Computed: true, Description: "ARN of the subscription.",
						PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
				},
			},
			"eventbridge": schema.SingleNestedBlock{
				Description: "An EventBridge target on an existing rule (`rule_arn`) or on a rule the resource creates from " +
					"`event_pattern` or `schedule_expression`.",
				Attributes: map[string]schema.Attribute{
					"rule_arn": schema.StringAttribute{Optional: true, Computed: true, Description: "ARN of an existing rule; computed when the resource creates its own.", PlanModifiers: replace},
					"event_pattern": schema.StringAttribute{Optional: true, Description: "Event pattern of the rule the resource creates.",
						Validators: []validator.String{validators.JSONObject("Event Pattern")}, PlanModifiers: replace},
					"schedule_expression": schema.StringAttribute{Optional: true, Description: "Schedule of the rule the resource creates, e.g. `rate(5 minutes)`.",
						Validators: []validator.String{validators.ScheduleExpression()}, PlanModifiers: replace},
					"event_bus_name": schema.StringAttribute{Optional: true, Description: "Event bus of the rule the resource creates; `default` when unset.", PlanModifiers: replace},
					"rule_name":      schema.StringAttribute{Computed: true, Description: "Name of the rule. Known at plan time."},
					"target_id": schema.StringAttribute{Optional: true, Computed: true, Description: "Id of the target on the rule; `lambdatrigger-<hash>` when unset.",
						PlanModifiers: replace},
					"input":      schema.StringAttribute{Optional: true, Description: "Constant JSON passed instead of the event."},
					"input_path": schema.StringAttribute{Optional: true, Description: "JSONPath of the part of the event passed."},
					"dead_letter_arn": schema.StringAttribute{Optional: true, Description: "SQS queue EventBridge sends events to when every delivery failed.",
						Validators: []validator.String{validators.DestinationARN(true)}},
				},
				Blocks: map[string]schema.Block{
					"input_transformer": schema.SingleNestedBlock{
						Description: "Builds the event passed from parts of the original.",
						Attributes: map[string]schema.Attribute{
							"input_paths":    schema.MapAttribute{Optional: true, ElementType: types.StringType, Description: "Names to JSONPaths of the event."},
							"input_template": schema.StringAttribute{Optional: true, Description: "Template of the input. Required in the block."},
						},
					},
					"retry_policy": schema.SingleNestedBlock{
						Description: "How EventBridge retries a failed delivery; 185 attempts within 24 h when unset.",
						Attributes: map[string]schema.Attribute{
							"maximum_retry_attempts": schema.Int64Attribute{Optional: true, Description: "0 to 185.",
								Validators: []validator.Int64{validators.Int64Between(0, trigger.EventBridgeRetryAttemptsMax, "retries")}},
							"maximum_event_age_in_seconds": schema.Int64Attribute{Optional: true, Description: "60 to 86400.",
								Validators: []validator.Int64{validators.Int64Between(trigger.EventBridgeEventAgeMin, trigger.EventBridgeEventAgeMax, "seconds")}},
						},
					},
				},
			},
			"cloudwatch_logs": schema.SingleNestedBlock{
				Description: "A subscription filter of a log group. A group has at most two.",
				Attributes: map[string]schema.Attribute{
					"log_group_name": schema.StringAttribute{Optional: true, Description: "Name of the log group. Required in the block.", PlanModifiers: replace},
					"filter_name":    schema.StringAttribute{Optional: true, Description: "Name of the subscription filter. Required in the block.", PlanModifiers: replace},
					"filter_pattern": schema.StringAttribute{Optional: true, Description: "Filter pattern; unset or empty matches every event."},
				},
			},
		},
	}
}

func (r *asyncSourceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.clients = clientsFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *asyncSourceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan asyncSourceResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.wire(ctx, &plan, nil); err != nil {
		resp.Diagnostics.Append(diagnostics.AsyncSourceError("creating", plan.describe(), err))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *asyncSourceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state asyncSourceResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := r.read(ctx, &state)
	if isNotFound(err) {
		// Any part gone (permission, notification entry, subscription, target, filter) means the source
		// no longer works: the next apply wires it again, idempotently.
		tflog.Warn(ctx, "async source part not found, removing from state", map[string]any{"id": state.ID.ValueString(), "error": err.Error()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(diagnostics.AsyncSourceError("reading", state.describe(), err))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *asyncSourceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state asyncSourceResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.wire(ctx, &plan, &state); err != nil {
		resp.Diagnostics.Append(diagnostics.AsyncSourceError("updating", plan.describe(), err))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *asyncSourceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state asyncSourceResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.unwire(ctx, &state); err != nil {
		resp.Diagnostics.Append(diagnostics.AsyncSourceError("deleting", state.describe(), err))
	}
}

// ImportState takes one of the IDs documented on id and finds the function in the wiring itself.
func (r *asyncSourceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	m, err := r.importModel(ctx, req.ID)
	if err != nil {
		resp.Diagnostics.Append(diagnostics.AsyncSourceBadImportID(req.ID, err))
		return
	}
	if err := r.read(ctx, m); err != nil {
		resp.Diagnostics.Append(diagnostics.AsyncSourceError("importing", req.ID, err))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

func (r *asyncSourceResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var config asyncSourceResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(validateAsyncSource(ctx, &config)...)
}

func (r *asyncSourceResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan asyncSourceResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.clients == nil {
		return // provider not configured yet (validation-only runs)
	}
	plan.derive(ctx, r.clients)
	var prior *asyncSourceResourceModel
	if !req.State.Raw.IsNull() {
		prior = &asyncSourceResourceModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, prior)...)
	}
	resp.Diagnostics.Append(r.checkAgainstAWS(ctx, &plan, prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.Behavior = r.behavior(ctx, &plan)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// Model structs.

type asyncSourceResourceModel struct {
	ID             types.String                    `tfsdk:"id"`
	FunctionName   types.String                    `tfsdk:"function_name"`
	Qualifier      types.String                    `tfsdk:"qualifier"`
	SourceARN      types.String                    `tfsdk:"source_arn"`
	InvocationType types.String                    `tfsdk:"invocation_type"`
	Principal      types.String                    `tfsdk:"principal"`
	StatementID    types.String                    `tfsdk:"statement_id"`
	EventType      types.String                    `tfsdk:"event_type"`
	Behavior       types.String                    `tfsdk:"behavior"`
	S3             *asyncSourceS3Model             `tfsdk:"s3"`
	SNS            *asyncSourceSNSModel            `tfsdk:"sns"`
	EventBridge    *asyncSourceEventBridgeModel    `tfsdk:"eventbridge"`
	CloudWatchLogs *asyncSourceCloudWatchLogsModel `tfsdk:"cloudwatch_logs"`
}

type asyncSourceS3Model struct {
	Bucket       types.String `tfsdk:"bucket"`
	Events       types.List   `tfsdk:"events"`
	FilterPrefix types.String `tfsdk:"filter_prefix"`
	FilterSuffix types.String `tfsdk:"filter_suffix"`
	ID           types.String `tfsdk:"id"`
}

type asyncSourceSNSModel struct {
	TopicARN          types.String `tfsdk:"topic_arn"`
	FilterPolicy      types.String `tfsdk:"filter_policy"`
	FilterPolicyScope types.String `tfsdk:"filter_policy_scope"`
	SubscriptionARN   types.String `tfsdk:"subscription_arn"`
}

type asyncSourceEventBridgeModel struct {
	RuleARN            types.String                 `tfsdk:"rule_arn"`
	EventPattern       types.String                 `tfsdk:"event_pattern"`
	ScheduleExpression types.String                 `tfsdk:"schedule_expression"`
	EventBusName       types.String                 `tfsdk:"event_bus_name"`
	RuleName           types.String                 `tfsdk:"rule_name"`
	TargetID           types.String                 `tfsdk:"target_id"`
	Input              types.String                 `tfsdk:"input"`
	InputPath          types.String                 `tfsdk:"input_path"`
	DeadLetterARN      types.String                 `tfsdk:"dead_letter_arn"`
	InputTransformer   *asyncSourceTransformerModel `tfsdk:"input_transformer"`
	RetryPolicy        *asyncSourceRetryModel       `tfsdk:"retry_policy"`
}

type asyncSourceTransformerModel struct {
	InputPaths    types.Map    `tfsdk:"input_paths"`
	InputTemplate types.String `tfsdk:"input_template"`
}

type asyncSourceRetryModel struct {
	MaximumRetryAttempts     types.Int64 `tfsdk:"maximum_retry_attempts"`
	MaximumEventAgeInSeconds types.Int64 `tfsdk:"maximum_event_age_in_seconds"`
}

type asyncSourceCloudWatchLogsModel struct {
	LogGroupName  types.String `tfsdk:"log_group_name"`
	FilterName    types.String `tfsdk:"filter_name"`
	FilterPattern types.String `tfsdk:"filter_pattern"`
}

// service is the catalog key of the configured source ("" when none or several are set).
func (m *asyncSourceResourceModel) service() string {
	switch {
	case m.S3 != nil:
		return trigger.ServiceS3
	case m.SNS != nil:
		return trigger.ServiceSNS
	case m.EventBridge != nil:
		return trigger.ServiceEventBridge
	case m.CloudWatchLogs != nil:
		return trigger.ServiceCloudWatchLogs
	}
	return ""
}

// describe names the source in diagnostics: its ID, or the function and source.
func (m *asyncSourceResourceModel) describe() string {
	if !m.ID.IsNull() && !m.ID.IsUnknown() {
		return m.ID.ValueString()
	}
	return fmt.Sprintf("%s from %s", m.FunctionName.ValueString(), strings.TrimSpace(m.service()+" "+m.SourceARN.ValueString()))
}

func (m *asyncSourceResourceModel) qualifier() string { return m.Qualifier.ValueString() }
