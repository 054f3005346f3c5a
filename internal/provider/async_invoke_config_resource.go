package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	awstypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
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

// asyncInvokeConfigPropagationTimeout bounds the retries of a Put that Lambda refuses because a
// destination or the role's permission to reach it, created in the same apply, has not propagated
// yet (IAM is eventually consistent). The AWS provider waits as long.
const asyncInvokeConfigPropagationTimeout = 2 * time.Minute

var (
	_ resource.Resource                = (*asyncInvokeConfigResource)(nil)
	_ resource.ResourceWithConfigure   = (*asyncInvokeConfigResource)(nil)
	_ resource.ResourceWithImportState = (*asyncInvokeConfigResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*asyncInvokeConfigResource)(nil)
)

func newAsyncInvokeConfigResource() resource.Resource {
	return &asyncInvokeConfigResource{}
}

type asyncInvokeConfigResource struct {
	clients *conns.Clients
}

func (r *asyncInvokeConfigResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_async_invoke_config"
}

func (r *asyncInvokeConfigResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	destination := func(onFailure bool, what string) schema.SingleNestedBlock {
		accepted := "a standard SQS queue, SNS topic, Lambda function or EventBridge event bus"
		if onFailure {
			accepted += ", or an S3 bucket"
		}
		return schema.SingleNestedBlock{
			Description: "Where Lambda sends the invocation record of " + what + ".",
			Validators:  []validator.Object{validators.DestinationSet()},
			Attributes: map[string]schema.Attribute{
				"destination": schema.StringAttribute{
					Optional: true, // required when the block is present: validators.DestinationSet

					Description: "ARN of " + accepted + ". Required in the block. The function's execution role must be allowed to send to it.",
					Validators:  []validator.String{validators.DestinationARN(onFailure)},
				},
			},
		}
	}
	resp.Schema = schema.Schema{
		Description: "How Lambda handles asynchronous (Event) invocations of a function, version or alias: how often it " +
			"retries a function error, how long it keeps an event, and where it sends the records of successes and failures.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:    true,
				Description: "`function_name`, or `function_name:qualifier` when a qualifier is set: the import ID.",
			},
			"function_name": schema.StringAttribute{
				Required:      true,
				Description:   "Name, partial ARN or ARN of the function, without a qualifier. Changing it replaces the configuration.",
				Validators:    []validator.String{validators.FunctionNameOrARN()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"qualifier": schema.StringAttribute{
				Optional: true,
				Description: "Version number, `$LATEST` or alias name the configuration applies to. Unset, it applies to " +
					"the unqualified function. Changing it replaces the configuration.",
				Validators:    []validator.String{validators.Qualifier()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"maximum_retry_attempts": schema.Int64Attribute{
				Optional: true,
				Computed: true,
				Default:  int64default.StaticInt64(trigger.MaximumRetryAttemptsDefault),
				Description: fmt.Sprintf("How many times Lambda retries after a function error, %d to %d. Defaults to %d, "+
					"as Lambda does. Throttles and system errors are retried apart from this count, until the event is too old.",
					trigger.MaximumRetryAttemptsMin, trigger.MaximumRetryAttemptsMax, trigger.MaximumRetryAttemptsDefault),
				Validators: []validator.Int64{validators.Int64Between(trigger.MaximumRetryAttemptsMin, trigger.MaximumRetryAttemptsMax, "retries")},
			},
			"maximum_event_age_in_seconds": schema.Int64Attribute{
				Optional: true,
				Computed: true,
				Default:  int64default.StaticInt64(trigger.MaximumEventAgeDefault),
				Description: fmt.Sprintf("Seconds Lambda keeps an event before it gives up on it, %d to %d. Defaults to %d "+
					"(6 hours), as Lambda does.", trigger.MaximumEventAgeMin, trigger.MaximumEventAgeMax, trigger.MaximumEventAgeDefault),
				Validators: []validator.Int64{validators.Int64Between(trigger.MaximumEventAgeMin, trigger.MaximumEventAgeMax, "seconds")},
			},
			"function_arn": schema.StringAttribute{
				Computed:      true,
				Description:   "ARN of the function, version or alias the configuration applies to, as Lambda reports it.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"behavior": schema.StringAttribute{
				Computed: true,
				Description: "What Lambda does with an event under this configuration, in one line, e.g. `on error: 2 retries " +
					"after ~1 min and ~2 min; events older than 1h expire; failures -> sqs:orders-dlq; successes -> " +
					"events:default`. Known at plan time when the destinations are.",
			},
		},
		Blocks: map[string]schema.Block{
			"destination_config": schema.SingleNestedBlock{
				Description: "Destinations of invocation records.",
				Blocks: map[string]schema.Block{
					"on_success": destination(false, "a successful invocation"),
					"on_failure": destination(true, "an event that failed every attempt or expired"),
				},
			},
		},
	}
}

func (r *asyncInvokeConfigResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.clients = clientsFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *asyncInvokeConfigResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan asyncInvokeConfigResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := plan.id()
	conn := r.clients.Lambda

	if err := putAsyncInvokeConfig(ctx, conn, plan.expand()); err != nil {
		resp.Diagnostics.Append(diagnostics.AsyncInvokeConfigError("creating", id, err))
		return
	}
	output, err := findAsyncInvokeConfigByTwoPartKey(ctx, conn, plan.FunctionName.ValueString(), plan.qualifierValue())
	if err != nil {
		resp.Diagnostics.Append(diagnostics.AsyncInvokeConfigError("reading", id, err))
		// The configuration exists: keep it in state (tainted) so it is not orphaned.
		plan.ID = types.StringValue(id)
		if plan.FunctionARN.IsUnknown() {
			plan.FunctionARN = types.StringNull()
		}
		if plan.Behavior.IsUnknown() {
			plan.Behavior = types.StringNull()
		}
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	plan.flatten(output)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *asyncInvokeConfigResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state asyncInvokeConfigResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.id()

	output, err := findAsyncInvokeConfigByTwoPartKey(ctx, r.clients.Lambda, state.FunctionName.ValueString(), state.qualifierValue())
	if isNotFound(err) {
		tflog.Warn(ctx, "Lambda function event invoke config not found, removing from state", map[string]any{"id": id})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(diagnostics.AsyncInvokeConfigError("reading", id, err))
		return
	}
	state.flatten(output)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *asyncInvokeConfigResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan asyncInvokeConfigResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := plan.id()
	conn := r.clients.Lambda

	// Put, not Update: Put replaces the whole configuration, so what is removed from the
	// configuration is removed in Lambda too (Update would merge and keep it).
	if err := putAsyncInvokeConfig(ctx, conn, plan.expand()); err != nil {
		resp.Diagnostics.Append(diagnostics.AsyncInvokeConfigError("updating", id, err))
		return
	}
	output, err := findAsyncInvokeConfigByTwoPartKey(ctx, conn, plan.FunctionName.ValueString(), plan.qualifierValue())
	if err != nil {
		resp.Diagnostics.Append(diagnostics.AsyncInvokeConfigError("reading", id, err))
		return
	}
	plan.flatten(output)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *asyncInvokeConfigResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state asyncInvokeConfigResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	input := &lambda.DeleteFunctionEventInvokeConfigInput{FunctionName: aws.String(state.FunctionName.ValueString())}
	if q := state.qualifierValue(); q != "" {
		input.Qualifier = aws.String(q)
	}
	_, err := r.clients.Lambda.DeleteFunctionEventInvokeConfig(ctx, input)
	if errorIs[*awstypes.ResourceNotFoundException](err, "") {
		return
	}
	if err != nil {
		resp.Diagnostics.Append(diagnostics.AsyncInvokeConfigError("deleting", state.id(), err))
	}
}

func (r *asyncInvokeConfigResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	name, qualifier, err := parseAsyncInvokeConfigID(req.ID)
	if err != nil {
		resp.Diagnostics.Append(diagnostics.AsyncInvokeConfigImportID(req.ID, err))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("function_name"), name)...)
	if qualifier != "" {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("qualifier"), qualifier)...)
	}
}

// ModifyPlan fills in id and behavior whenever their inputs are known, so `terraform plan` shows
// what Lambda will do with an event before anything is applied.
func (r *asyncInvokeConfigResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan asyncInvokeConfigResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = types.StringUnknown()
	if !plan.FunctionName.IsUnknown() && !plan.Qualifier.IsUnknown() {
		plan.ID = types.StringValue(plan.id())
	}
	plan.Behavior = plan.behavior()
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func findAsyncInvokeConfigByTwoPartKey(ctx context.Context, conn *lambda.Client, functionName, qualifier string) (*lambda.GetFunctionEventInvokeConfigOutput, error) {
	input := &lambda.GetFunctionEventInvokeConfigInput{FunctionName: aws.String(functionName)}
	if qualifier != "" {
		input.Qualifier = aws.String(qualifier)
	}
	output, err := conn.GetFunctionEventInvokeConfig(ctx, input)
	if errorIs[*awstypes.ResourceNotFoundException](err, "") {
		return nil, &notFoundError{what: "Lambda function event invoke config " + asyncInvokeConfigID(functionName, qualifier), err: err}
	}
	if err != nil {
		return nil, err
	}
	if output == nil {
		return nil, &notFoundError{what: "Lambda function event invoke config " + asyncInvokeConfigID(functionName, qualifier) + " (empty answer)"}
	}
	return output, nil
}

// putAsyncInvokeConfig saves a whole configuration, retrying while Lambda cannot yet see a
// destination or the execution role's permission to reach it.
func putAsyncInvokeConfig(ctx context.Context, conn *lambda.Client, input *lambda.PutFunctionEventInvokeConfigInput) error {
	return retryWhen(ctx, asyncInvokeConfigPropagationTimeout, func(ctx context.Context) error {
		_, err := conn.PutFunctionEventInvokeConfig(ctx, input)
		return err
	}, isAsyncInvokeConfigPropagationError)
}

// isAsyncInvokeConfigPropagationError is what Lambda answers while IAM or a new destination has not
// propagated: "The function's execution role does not have permissions to call SendMessage on ..."
// and "The destination ARN ... is invalid", both InvalidParameterValueException.
func isAsyncInvokeConfigPropagationError(err error) bool {
	return errorIs[*awstypes.InvalidParameterValueException](err, "does not have permission") ||
		errorIs[*awstypes.InvalidParameterValueException](err, "destination ARN") ||
		isFunctionConflict(err)
}

// parseAsyncInvokeConfigID reads an import ID: name, name:qualifier, a partial ARN
// (123456789012:function:name[:qualifier]) or an ARN (arn:...:function:name[:qualifier]).
func parseAsyncInvokeConfigID(id string) (functionName, qualifier string, err error) {
	parts := strings.Split(id, ":")
	var nameParts int // how many parts name the function
	switch {
	case strings.HasPrefix(id, "arn:") && (len(parts) == 7 || len(parts) == 8):
		nameParts = 7
	case !strings.HasPrefix(id, "arn:") && len(parts) >= 3 && len(parts) <= 4:
		nameParts = 3
	case !strings.HasPrefix(id, "arn:") && len(parts) <= 2:
		nameParts = 1
	default:
		return "", "", fmt.Errorf("%q has %d colon-separated parts", id, len(parts))
	}
	functionName = strings.Join(parts[:nameParts], ":")
	if len(parts) > nameParts {
		qualifier = parts[nameParts]
	}
	if err := trigger.ValidateFunctionNameOrARN(functionName); err != nil {
		return "", "", err
	}
	if len(parts) > nameParts {
		if err := trigger.ValidateQualifier(qualifier); err != nil {
			return "", "", err
		}
	}
	return functionName, qualifier, nil
}

func asyncInvokeConfigID(functionName, qualifier string) string {
	if qualifier == "" {
		return functionName
	}
	return functionName + ":" + qualifier
}

func (m *asyncInvokeConfigResourceModel) id() string {
	return asyncInvokeConfigID(m.FunctionName.ValueString(), m.qualifierValue())
}

// qualifierValue is the qualifier, or "" when unset.
func (m *asyncInvokeConfigResourceModel) qualifierValue() string { return m.Qualifier.ValueString() }

// behavior is the plan-time description of the configuration: unknown while an input is.
func (m *asyncInvokeConfigResourceModel) behavior() types.String {
	if m.MaximumRetryAttempts.IsUnknown() || m.MaximumEventAgeInSeconds.IsUnknown() {
		return types.StringUnknown()
	}
	var onSuccess, onFailure types.String
	if d := m.DestinationConfig; d != nil {
		if d.OnSuccess != nil {
			onSuccess = d.OnSuccess.Destination
		}
		if d.OnFailure != nil {
			onFailure = d.OnFailure.Destination
		}
	}
	if onSuccess.IsUnknown() || onFailure.IsUnknown() {
		return types.StringUnknown()
	}
	return types.StringValue(trigger.AsyncBehavior(m.MaximumRetryAttempts.ValueInt64(), m.MaximumEventAgeInSeconds.ValueInt64(),
		onSuccess.ValueString(), onFailure.ValueString()))
}

func (m *asyncInvokeConfigResourceModel) expand() *lambda.PutFunctionEventInvokeConfigInput {
	input := &lambda.PutFunctionEventInvokeConfigInput{
		FunctionName:             aws.String(m.FunctionName.ValueString()),
		MaximumRetryAttempts:     aws.Int32(int32(m.MaximumRetryAttempts.ValueInt64())),
		MaximumEventAgeInSeconds: aws.Int32(int32(m.MaximumEventAgeInSeconds.ValueInt64())),
		DestinationConfig:        expandAsyncDestinationConfig(m.DestinationConfig),
	}
	if q := m.qualifierValue(); q != "" {
		input.Qualifier = aws.String(q)
	}
	return input
}

func expandAsyncDestinationConfig(m *asyncDestinationConfigModel) *awstypes.DestinationConfig {
	if m == nil || (m.OnSuccess == nil && m.OnFailure == nil) {
		return nil
	}
	out := &awstypes.DestinationConfig{}
	if m.OnSuccess != nil {
		out.OnSuccess = &awstypes.OnSuccess{Destination: aws.String(m.OnSuccess.Destination.ValueString())}
	}
	if m.OnFailure != nil {
		out.OnFailure = &awstypes.OnFailure{Destination: aws.String(m.OnFailure.Destination.ValueString())}
	}
	return out
}

// flatten copies what Lambda reports into m. function_name and qualifier stay as configured (a name
// or an ARN), and so does an empty destination_config block.
func (m *asyncInvokeConfigResourceModel) flatten(output *lambda.GetFunctionEventInvokeConfigOutput) {
	m.ID = types.StringValue(m.id())
	m.FunctionARN = types.StringValue(aws.ToString(output.FunctionArn))
	// Unset in Lambda means Lambda's defaults, which is what the defaults here say.
	m.MaximumRetryAttempts = types.Int64Value(trigger.MaximumRetryAttemptsDefault)
	if output.MaximumRetryAttempts != nil {
		m.MaximumRetryAttempts = types.Int64Value(int64(*output.MaximumRetryAttempts))
	}
	m.MaximumEventAgeInSeconds = types.Int64Value(trigger.MaximumEventAgeDefault)
	if output.MaximumEventAgeInSeconds != nil {
		m.MaximumEventAgeInSeconds = types.Int64Value(int64(*output.MaximumEventAgeInSeconds))
	}
	m.DestinationConfig = flattenAsyncDestinationConfig(m.DestinationConfig, output.DestinationConfig)
	m.Behavior = m.behavior()
}

// flattenAsyncDestinationConfig reads Lambda's DestinationConfig, which comes back as
// {"OnFailure":{"Destination":null},"OnSuccess":{"Destination":null}} when nothing is set.
func flattenAsyncDestinationConfig(prior *asyncDestinationConfigModel, api *awstypes.DestinationConfig) *asyncDestinationConfigModel {
	var onSuccess, onFailure string
	if api != nil && api.OnSuccess != nil {
		onSuccess = aws.ToString(api.OnSuccess.Destination)
	}
	if api != nil && api.OnFailure != nil {
		onFailure = aws.ToString(api.OnFailure.Destination)
	}
	if onSuccess == "" && onFailure == "" {
		if prior != nil {
			return &asyncDestinationConfigModel{} // `destination_config {}` as configured
		}
		return nil
	}
	out := &asyncDestinationConfigModel{}
	if onSuccess != "" {
		out.OnSuccess = &asyncDestinationModel{Destination: types.StringValue(onSuccess)}
	}
	if onFailure != "" {
		out.OnFailure = &asyncDestinationModel{Destination: types.StringValue(onFailure)}
	}
	return out
}

type asyncInvokeConfigResourceModel struct {
	ID                       types.String                 `tfsdk:"id"`
	FunctionName             types.String                 `tfsdk:"function_name"`
	Qualifier                types.String                 `tfsdk:"qualifier"`
	MaximumRetryAttempts     types.Int64                  `tfsdk:"maximum_retry_attempts"`
	MaximumEventAgeInSeconds types.Int64                  `tfsdk:"maximum_event_age_in_seconds"`
	DestinationConfig        *asyncDestinationConfigModel `tfsdk:"destination_config"`
	FunctionARN              types.String                 `tfsdk:"function_arn"`
	Behavior                 types.String                 `tfsdk:"behavior"`
}

type asyncDestinationConfigModel struct {
	OnSuccess *asyncDestinationModel `tfsdk:"on_success"`
	OnFailure *asyncDestinationModel `tfsdk:"on_failure"`
}

type asyncDestinationModel struct {
	Destination types.String `tfsdk:"destination"`
}
