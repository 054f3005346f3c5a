package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	awstypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
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

const (
	pollMappingCreateTimeout = 10 * time.Minute
	pollMappingUpdateTimeout = 10 * time.Minute
	pollMappingDeleteTimeout = 10 * time.Minute
	// A role or policy created in the same apply takes a while before Lambda sees it; the AWS provider
	// retries the create as long.
	pollMappingPropagationTimeout = 2 * time.Minute
	// A mapping in transition (Creating, Updating...) refuses changes with ResourceInUseException.
	pollMappingInUseTimeout = 5 * time.Minute
)

var (
	_ resource.Resource                   = (*pollMappingResource)(nil)
	_ resource.ResourceWithConfigure      = (*pollMappingResource)(nil)
	_ resource.ResourceWithImportState    = (*pollMappingResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*pollMappingResource)(nil)
	_ resource.ResourceWithValidateConfig = (*pollMappingResource)(nil)
)

func newPollMappingResource() resource.Resource {
	return &pollMappingResource{}
}

type pollMappingResource struct {
	clients *conns.Clients
}

func (r *pollMappingResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_poll_mapping"
}

func (r *pollMappingResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	streamsOnly := " Streams only (Kinesis, DynamoDB); refused for SQS."
	computedString := func(description string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, Description: description}
	}
	resp.Schema = schema.Schema{
		Description: "An event source mapping: Lambda polls an SQS queue, a Kinesis stream or a DynamoDB stream and " +
			"invokes the function synchronously with batches of records (the poll-based model).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:      true,
				Description:   "The mapping's UUID: the import ID.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"uuid": schema.StringAttribute{
				Computed:      true,
				Description:   "The mapping's UUID, as Lambda assigned it.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"function_name": schema.StringAttribute{
				Required: true,
				Description: "Name or ARN of the function, with or without a version or alias (`my-function`, " +
					"`my-function:live`, an alias ARN). Changing it points the mapping at another function in place.",
				Validators: []validator.String{validators.ESMFunctionName()},
			},
			"event_source_arn": schema.StringAttribute{
				Required: true,
				Description: "ARN of the SQS queue, Kinesis stream or DynamoDB stream to poll; the kind of source is read " +
					"from it. Changing it replaces the mapping.",
				Validators:    []validator.String{validators.EventSourceARN()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"enabled": schema.BoolAttribute{
				Optional:    true,
				Computed:    true,
				Default:     booldefault.StaticBool(true),
				Description: "Whether Lambda polls. Defaults to true; false pauses the mapping and keeps its position.",
			},
			"batch_size": schema.Int64Attribute{
				Optional: true,
				Computed: true,
				Description: fmt.Sprintf("Most records per invocation, %d to %d (at most %d for a FIFO queue). Defaults "+
					"to %d for SQS and %d for streams. Over %d on SQS needs `maximum_batching_window_in_seconds` of at least 1.",
					trigger.ESMBatchSizeMin, trigger.ESMBatchSizeMax, trigger.ESMSQSFIFOBatchSizeMax,
					trigger.ESMSQSBatchSizeDefault, trigger.ESMStreamBatchSizeDefault, trigger.ESMBatchSizeWithoutWindow),
			},
			"maximum_batching_window_in_seconds": schema.Int64Attribute{
				Optional: true,
				Computed: true,
				Default:  int64default.StaticInt64(0),
				Description: fmt.Sprintf("Seconds Lambda gathers records before invoking, 0 to %d; a batch also goes "+
					"when full or at 6 MB. Defaults to 0. Not for FIFO queues.", trigger.ESMBatchingWindowMax),
			},
			"starting_position": schema.StringAttribute{
				Optional: true,
				Description: "Where a stream mapping starts reading: `TRIM_HORIZON`, `LATEST`, or `AT_TIMESTAMP` (Kinesis). " +
					"Required for streams, refused for SQS. Changing it replaces the mapping.",
				Validators:    []validator.String{validators.StartingPosition()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"starting_position_timestamp": schema.StringAttribute{
				Optional:      true,
				Description:   "With `AT_TIMESTAMP`, the time (RFC 3339) to start reading from. Changing it replaces the mapping.",
				Validators:    []validator.String{validators.StartingPositionTimestamp()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"parallelization_factor": schema.Int64Attribute{
				Optional: true,
				Computed: true,
				Description: fmt.Sprintf("Batches processed at once per shard, %d to %d, order kept per partition key. "+
					"Defaults to %d.", trigger.ESMParallelizationMin, trigger.ESMParallelizationMax, trigger.ESMParallelizationDefault) + streamsOnly,
			},
			"maximum_retry_attempts": schema.Int64Attribute{
				Optional: true,
				Computed: true,
				Description: fmt.Sprintf("Retries of a failed batch, -1 (until the records expire, the default) to %d.",
					trigger.ESMRetryAttemptsMax) + streamsOnly,
			},
			"maximum_record_age_in_seconds": schema.Int64Attribute{
				Optional: true,
				Computed: true,
				Description: fmt.Sprintf("Age after which a record is no longer retried: -1 (the stream's retention, "+
					"the default) or %d to %d.", trigger.ESMRecordAgeMin, trigger.ESMRecordAgeMax) + streamsOnly,
			},
			"bisect_batch_on_function_error": schema.BoolAttribute{
				Optional:    true,
				Computed:    true,
				Description: "Split a failed batch in two and retry each half (not counted as a retry). Defaults to false." + streamsOnly,
			},
			"tumbling_window_in_seconds": schema.Int64Attribute{
				Optional: true,
				Computed: true,
				Description: fmt.Sprintf("Length of the tumbling windows whose state the function carries between "+
					"invocations, 0 (none, the default) to %d seconds.", trigger.ESMTumblingWindowMax) + streamsOnly,
			},
			"function_response_types": schema.SetAttribute{
				ElementType: types.StringType,
				Optional:    true,
				Description: "`[\"ReportBatchItemFailures\"]` lets the function report the items that failed, so only " +
					"those are retried (SQS) or the checkpoint stops at the first of them (streams).",
			},
			"function_arn": computedString("ARN of the function the mapping invokes, as Lambda reports it."),
			"state": computedString("The mapping's state: `Enabled` or `Disabled` once stable (also `Creating`, " +
				"`Enabling`, `Disabling`, `Updating`, `Deleting`)."),
			"state_transition_reason": computedString("Why the mapping is in its state."),
			"last_modified":           computedString("When the mapping was last changed (RFC 3339)."),
			"last_processing_result":  computedString("The result of the last poll, e.g. `OK` or `No records processed`."),
			"behavior": computedString("What Lambda does under this mapping, in one line, e.g. `polls sqs:orders; batches " +
				"of up to 100 or 5 s; failed items retried individually; at most 10 concurrent`. Known at plan time " +
				"when the source ARN is."),
		},
		Blocks: map[string]schema.Block{
			"destination_config": schema.SingleNestedBlock{
				Description: "Where Lambda sends a record of a batch it gives up on." + streamsOnly,
				Blocks: map[string]schema.Block{
					"on_failure": schema.SingleNestedBlock{
						Description: "The destination of discarded batches.",
						Attributes: map[string]schema.Attribute{
							"destination_arn": schema.StringAttribute{
								Optional: true, // required in the block: ValidateConfig
								Description: "ARN of an SQS queue, SNS topic or S3 bucket. The function's execution role must " +
									"be allowed to send to it.",
								Validators: []validator.String{validators.ESMOnFailureDestination()},
							},
						},
					},
				},
			},
			"filter_criteria": schema.SingleNestedBlock{
				Description: "Only records matching one of the filters invoke the function; SQS deletes the others, " +
					"streams skip them.",
				Blocks: map[string]schema.Block{
					"filter": schema.SetNestedBlock{
						Description: fmt.Sprintf("A filter, at most %d.", trigger.ESMFiltersMax),
						NestedObject: schema.NestedBlockObject{
							Attributes: map[string]schema.Attribute{
								"pattern": schema.StringAttribute{
									Optional: true,
									Description: "The filter's pattern (JSON, at most 4096 characters), on `body` for SQS, " +
										"`data` for Kinesis and `dynamodb` for DynamoDB.",
									Validators: []validator.String{validators.FilterPattern()},
								},
							},
						},
					},
				},
			},
			"scaling_config": schema.SingleNestedBlock{
				Description: "Limits how many batches Lambda invokes at once. SQS only.",
				Attributes: map[string]schema.Attribute{
					"maximum_concurrency": schema.Int64Attribute{
						Optional: true,
						Description: fmt.Sprintf("Most concurrent invocations, %d to %d.",
							trigger.ESMMaximumConcurrencyMin, trigger.ESMMaximumConcurrencyMax),
					},
				},
			},
		},
	}
}

func (r *pollMappingResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.clients = clientsFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *pollMappingResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan pollMappingResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	src, _ := trigger.ParsePollSource(plan.EventSourceARN.ValueString())
	id := src.Label() + " -> " + plan.FunctionName.ValueString()
	conn := r.clients.Lambda

	output, err := createPollMapping(ctx, conn, plan.expandCreate(ctx, src), pollMappingPropagationTimeout)
	if isPollMappingDuplicate(err) {
		resp.Diagnostics.Append(diagnostics.PollMappingExists(plan.EventSourceARN.ValueString(), plan.FunctionName.ValueString(),
			diagnostics.ExistingMappingUUID(err.Error()), err))
		return
	}
	if err != nil {
		resp.Diagnostics.Append(diagnostics.PollMappingError("creating", id, src.Kind, err))
		return
	}
	uuid := aws.ToString(output.UUID)
	plan.ID = types.StringValue(uuid)
	plan.UUID = types.StringValue(uuid)

	// From here on the mapping exists: a failure leaves it in state (tainted) so it is not orphaned.
	created := func() {
		partial := plan
		partial.nullUnknowns()
		resp.Diagnostics.Append(resp.State.Set(ctx, &partial)...)
	}
	found, err := waitPollMappingStable(ctx, conn, uuid, pollMappingCreateTimeout)
	if err != nil {
		resp.Diagnostics.Append(diagnostics.PollMappingError("waiting for creation of", uuid, src.Kind, err))
		created()
		return
	}
	plan.flatten(ctx, src, found)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *pollMappingResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state pollMappingResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	uuid := state.UUID.ValueString()
	if uuid == "" {
		uuid = state.ID.ValueString()
	}

	output, err := findPollMappingByUUID(ctx, r.clients.Lambda, uuid)
	if isNotFound(err) {
		tflog.Warn(ctx, "Lambda event source mapping not found, removing from state", map[string]any{"uuid": uuid})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(diagnostics.PollMappingError("reading", uuid, "", err))
		return
	}
	src, err := trigger.ParsePollSource(aws.ToString(output.EventSourceArn))
	if err != nil {
		resp.Diagnostics.Append(diagnostics.PollMappingError("reading", uuid, "", err))
		return
	}
	if !pollFunctionMatches(state.FunctionName.ValueString(), aws.ToString(output.FunctionArn)) {
		// Pointed at another function outside Terraform: the plan puts it back.
		state.FunctionName = types.StringValue(aws.ToString(output.FunctionArn))
	}
	state.flatten(ctx, src, output)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *pollMappingResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state pollMappingResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	uuid := state.UUID.ValueString()
	src, _ := trigger.ParsePollSource(plan.EventSourceARN.ValueString())
	conn := r.clients.Lambda

	input := plan.expandUpdate(ctx, src, &state)
	input.UUID = aws.String(uuid)
	if err := updatePollMapping(ctx, conn, input, pollMappingInUseTimeout); err != nil {
		resp.Diagnostics.Append(diagnostics.PollMappingError("updating", uuid, src.Kind, err))
		return
	}
	found, err := waitPollMappingStable(ctx, conn, uuid, pollMappingUpdateTimeout)
	if err != nil {
		resp.Diagnostics.Append(diagnostics.PollMappingError("waiting for update of", uuid, src.Kind, err))
		return
	}
	plan.ID, plan.UUID = state.ID, state.UUID
	plan.flatten(ctx, src, found)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *pollMappingResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state pollMappingResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	uuid := state.UUID.ValueString()
	conn := r.clients.Lambda

	err := retryWhen(ctx, pollMappingInUseTimeout, func(ctx context.Context) error {
		_, err := conn.DeleteEventSourceMapping(ctx, &lambda.DeleteEventSourceMappingInput{UUID: aws.String(uuid)})
		return err
	}, isPollMappingInUse)
	if errorIs[*awstypes.ResourceNotFoundException](err, "") {
		return
	}
	if err != nil {
		resp.Diagnostics.Append(diagnostics.PollMappingError("deleting", uuid, "", err))
		return
	}
	// Deleting lasts seconds on AWS; a mapping of the same pair cannot be created before it is gone.
	if _, err := waitPollMappingDeleted(ctx, conn, uuid, pollMappingDeleteTimeout); err != nil {
		resp.Diagnostics.Append(diagnostics.PollMappingError("waiting for deletion of", uuid, "", err))
	}
}

var pollMappingUUIDPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func (r *pollMappingResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !pollMappingUUIDPattern.MatchString(req.ID) {
		resp.Diagnostics.Append(diagnostics.PollMappingImportID(req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("uuid"), req.ID)...)
}

// createPollMapping creates a mapping. It retries, for up to timeout, what a create in the same apply
// as the role or the previous mapping meets: a role not yet propagated (InvalidParameterValueException),
// a mapping in transition, and the 409 of the same pair's previous mapping while it is still Deleting
// (it waits until that one is gone).
func createPollMapping(ctx context.Context, conn *lambda.Client, input *lambda.CreateEventSourceMappingInput, timeout time.Duration) (*lambda.CreateEventSourceMappingOutput, error) {
	var output *lambda.CreateEventSourceMappingOutput
	err := retryWhen(ctx, timeout, func(ctx context.Context) error {
		var err error
		output, err = conn.CreateEventSourceMapping(ctx, input)
		if err != nil && isPollMappingDuplicate(err) {
			if uuid := diagnostics.ExistingMappingUUID(err.Error()); uuid != "" && pollMappingDeleting(ctx, conn, uuid) {
				if _, werr := waitPollMappingDeleted(ctx, conn, uuid, pollMappingDeleteTimeout); werr != nil {
					return werr
				}
				return errPollMappingRetry
			}
		}
		return err
	}, isPollMappingCreateRetryable)
	return output, err
}

// updatePollMapping updates a mapping, retrying ResourceInUseException while it is in transition.
func updatePollMapping(ctx context.Context, conn *lambda.Client, input *lambda.UpdateEventSourceMappingInput, timeout time.Duration) error {
	return retryWhen(ctx, timeout, func(ctx context.Context) error {
		_, err := conn.UpdateEventSourceMapping(ctx, input)
		return err
	}, isPollMappingInUse)
}

func findPollMappingByUUID(ctx context.Context, conn *lambda.Client, uuid string) (*lambda.GetEventSourceMappingOutput, error) {
	output, err := conn.GetEventSourceMapping(ctx, &lambda.GetEventSourceMappingInput{UUID: aws.String(uuid)})
	if errorIs[*awstypes.ResourceNotFoundException](err, "") {
		return nil, &notFoundError{what: "Lambda event source mapping " + uuid, err: err}
	}
	if err != nil {
		return nil, err
	}
	if output == nil || output.UUID == nil {
		return nil, &notFoundError{what: "Lambda event source mapping " + uuid + " (empty answer)"}
	}
	return output, nil
}

func statusPollMapping(conn *lambda.Client, uuid string) statusFunc {
	return func(ctx context.Context) (any, string, error) {
		output, err := findPollMappingByUUID(ctx, conn, uuid)
		if isNotFound(err) {
			return nil, "", nil
		}
		if err != nil {
			return nil, "", err
		}
		return output, aws.ToString(output.State), nil
	}
}

// pollFunctionMatches reports whether a function as configured (name, name:qualifier, partial ARN or
// ARN) is the one whose ARN Lambda reports. An empty configured name (import) matches anything.
func pollFunctionMatches(configured, functionARN string) bool {
	if configured == "" {
		return true
	}
	tail := func(s string) string {
		if i := strings.Index(s, "function:"); i >= 0 {
			return s[i+len("function:"):]
		}
		return s
	}
	return tail(configured) == tail(functionARN)
}

// waitPollMappingStable waits until a created or updated mapping is Enabled or Disabled.
func waitPollMappingStable(ctx context.Context, conn *lambda.Client, uuid string, timeout time.Duration) (*lambda.GetEventSourceMappingOutput, error) {
	w := stateWaiter{
		pending:        []string{trigger.ESMStateCreating, trigger.ESMStateEnabling, trigger.ESMStateDisabling, trigger.ESMStateUpdating},
		target:         []string{trigger.ESMStateEnabled, trigger.ESMStateDisabled},
		refresh:        statusPollMapping(conn, uuid),
		timeout:        timeout,
		notFoundChecks: 20,
		reason:         pollMappingReason,
	}
	output, err := w.wait(ctx)
	o, _ := output.(*lambda.GetEventSourceMappingOutput)
	return o, err
}

// waitPollMappingDeleted waits until a mapping is gone (Deleting, then not found).
func waitPollMappingDeleted(ctx context.Context, conn *lambda.Client, uuid string, timeout time.Duration) (*lambda.GetEventSourceMappingOutput, error) {
	w := stateWaiter{
		pending: []string{
			trigger.ESMStateDeleting, trigger.ESMStateCreating, trigger.ESMStateEnabling, trigger.ESMStateEnabled,
			trigger.ESMStateDisabling, trigger.ESMStateDisabled, trigger.ESMStateUpdating,
		},
		refresh: statusPollMapping(conn, uuid),
		timeout: timeout,
		reason:  pollMappingReason,
	}
	output, err := w.wait(ctx)
	o, _ := output.(*lambda.GetEventSourceMappingOutput)
	return o, err
}

func pollMappingReason(output any) string {
	return aws.ToString(output.(*lambda.GetEventSourceMappingOutput).StateTransitionReason)
}

// pollMappingDeleting reports whether the mapping is on its way out.
func pollMappingDeleting(ctx context.Context, conn *lambda.Client, uuid string) bool {
	output, err := findPollMappingByUUID(ctx, conn, uuid)
	return isNotFound(err) || (err == nil && aws.ToString(output.State) == trigger.ESMStateDeleting)
}

// errPollMappingRetry makes retryWhen try a create again at once after an old mapping went away.
var errPollMappingRetry = fmt.Errorf("the previous mapping of the same source and function was deleted; creating again")

// isPollMappingCreateRetryable: IAM has not propagated the role or its policy yet, a mapping is in
// transition, or an old mapping of the pair has just gone.
func isPollMappingCreateRetryable(err error) bool {
	return err == errPollMappingRetry ||
		errorIs[*awstypes.InvalidParameterValueException](err, "execution role does not have permissions") ||
		errorIs[*awstypes.InvalidParameterValueException](err, "cannot be assumed by Lambda") ||
		errorIs[*awstypes.InvalidParameterValueException](err, "ensure the role can perform") ||
		isPollMappingInUse(err)
}

// isPollMappingDuplicate is Lambda's 409 for a second mapping of the same source and function.
func isPollMappingDuplicate(err error) bool {
	return errorIs[*awstypes.ResourceConflictException](err, "already exists")
}

// isPollMappingInUse is a mapping still in transition (ResourceInUseException, HTTP 400).
func isPollMappingInUse(err error) bool {
	return errorIs[*awstypes.ResourceInUseException](err, "")
}

// expandCreate builds the create call. For streams every setting is sent, defaults included, so that
// what Lambda stores is what the plan shows.
func (m *pollMappingResourceModel) expandCreate(ctx context.Context, src trigger.PollSource) *lambda.CreateEventSourceMappingInput {
	input := &lambda.CreateEventSourceMappingInput{
		EventSourceArn:        aws.String(m.EventSourceARN.ValueString()),
		FunctionName:          aws.String(m.FunctionName.ValueString()),
		Enabled:               aws.Bool(m.Enabled.ValueBool()),
		BatchSize:             pollInt32(m.BatchSize),
		FunctionResponseTypes: m.expandFunctionResponseTypes(ctx, false),
		FilterCriteria:        m.expandFilterCriteria(false),
	}
	// Sent only when set, as the AWS provider does: a FIFO queue refuses any batching window.
	if m.MaximumBatchingWindowInSeconds.ValueInt64() > 0 {
		input.MaximumBatchingWindowInSeconds = pollInt32(m.MaximumBatchingWindowInSeconds)
	}
	if src.IsStream() {
		input.StartingPosition = awstypes.EventSourcePosition(m.StartingPosition.ValueString())
		if t, err := time.Parse(time.RFC3339, m.StartingPositionTimestamp.ValueString()); err == nil {
			input.StartingPositionTimestamp = aws.Time(t)
		}
		input.ParallelizationFactor = pollInt32(m.ParallelizationFactor)
		input.MaximumRetryAttempts = pollInt32(m.MaximumRetryAttempts)
		input.MaximumRecordAgeInSeconds = pollInt32(m.MaximumRecordAgeInSeconds)
		input.BisectBatchOnFunctionError = pollBool(m.BisectBatchOnFunctionError)
		input.TumblingWindowInSeconds = pollInt32(m.TumblingWindowInSeconds)
		input.DestinationConfig = m.expandDestinationConfig(false)
	} else {
		input.ScalingConfig = m.expandScalingConfig(false)
	}
	return input
}

// expandUpdate builds the update call: every updatable setting, with empty values that remove what
// the configuration no longer has (Update changes only the fields it is given).
func (m *pollMappingResourceModel) expandUpdate(ctx context.Context, src trigger.PollSource, state *pollMappingResourceModel) *lambda.UpdateEventSourceMappingInput {
	input := &lambda.UpdateEventSourceMappingInput{
		FunctionName:          aws.String(m.FunctionName.ValueString()),
		Enabled:               aws.Bool(m.Enabled.ValueBool()),
		BatchSize:             pollInt32(m.BatchSize),
		FunctionResponseTypes: m.expandFunctionResponseTypes(ctx, true),
		FilterCriteria:        m.expandFilterCriteria(state.FilterCriteria != nil),
	}
	if !m.MaximumBatchingWindowInSeconds.Equal(state.MaximumBatchingWindowInSeconds) {
		input.MaximumBatchingWindowInSeconds = pollInt32(m.MaximumBatchingWindowInSeconds)
	}
	if src.IsStream() {
		input.ParallelizationFactor = pollInt32(m.ParallelizationFactor)
		input.MaximumRetryAttempts = pollInt32(m.MaximumRetryAttempts)
		input.MaximumRecordAgeInSeconds = pollInt32(m.MaximumRecordAgeInSeconds)
		input.BisectBatchOnFunctionError = pollBool(m.BisectBatchOnFunctionError)
		input.TumblingWindowInSeconds = pollInt32(m.TumblingWindowInSeconds)
		input.DestinationConfig = m.expandDestinationConfig(state.onFailureDestination() != "")
	} else {
		input.ScalingConfig = m.expandScalingConfig(state.ScalingConfig != nil)
	}
	return input
}

func (m *pollMappingResourceModel) expandFunctionResponseTypes(ctx context.Context, clear bool) []awstypes.FunctionResponseType {
	var names []string
	if !m.FunctionResponseTypes.IsNull() && !m.FunctionResponseTypes.IsUnknown() {
		m.FunctionResponseTypes.ElementsAs(ctx, &names, false)
	}
	if len(names) == 0 && !clear {
		return nil
	}
	out := make([]awstypes.FunctionResponseType, 0, len(names))
	for _, n := range names {
		out = append(out, awstypes.FunctionResponseType(n))
	}
	return out
}

func (m *pollMappingResourceModel) expandFilterCriteria(clear bool) *awstypes.FilterCriteria {
	patterns := m.filterPatterns()
	if len(patterns) == 0 {
		if clear {
			return &awstypes.FilterCriteria{Filters: []awstypes.Filter{}}
		}
		return nil
	}
	fc := &awstypes.FilterCriteria{}
	for _, p := range patterns {
		fc.Filters = append(fc.Filters, awstypes.Filter{Pattern: aws.String(p)})
	}
	return fc
}

func (m *pollMappingResourceModel) expandDestinationConfig(clear bool) *awstypes.DestinationConfig {
	if d := m.onFailureDestination(); d != "" {
		return &awstypes.DestinationConfig{OnFailure: &awstypes.OnFailure{Destination: aws.String(d)}}
	}
	if clear {
		return &awstypes.DestinationConfig{OnFailure: &awstypes.OnFailure{}}
	}
	return nil
}

func (m *pollMappingResourceModel) expandScalingConfig(clear bool) *awstypes.ScalingConfig {
	if m.ScalingConfig != nil && !m.ScalingConfig.MaximumConcurrency.IsNull() {
		return &awstypes.ScalingConfig{MaximumConcurrency: pollInt32(m.ScalingConfig.MaximumConcurrency)}
	}
	if clear {
		return &awstypes.ScalingConfig{}
	}
	return nil
}

// flatten copies what Lambda reports into m. What Lambda leaves out is its default; what Lambda does
// not report (function_name as configured, the shape of empty blocks) comes from m, the plan or the
// prior state, so that reading back what was applied plans nothing.
func (m *pollMappingResourceModel) flatten(ctx context.Context, src trigger.PollSource, o *lambda.GetEventSourceMappingOutput) {
	uuid := aws.ToString(o.UUID)
	m.ID = types.StringValue(uuid)
	m.UUID = types.StringValue(uuid)
	m.EventSourceARN = types.StringValue(aws.ToString(o.EventSourceArn))
	m.FunctionARN = types.StringValue(aws.ToString(o.FunctionArn))
	if m.FunctionName.IsNull() || m.FunctionName.IsUnknown() {
		m.FunctionName = m.FunctionARN // imported
	}
	state := aws.ToString(o.State)
	switch state {
	case trigger.ESMStateEnabled, trigger.ESMStateEnabling:
		m.Enabled = types.BoolValue(true)
	case trigger.ESMStateDisabled, trigger.ESMStateDisabling:
		m.Enabled = types.BoolValue(false)
	default:
		if m.Enabled.IsNull() || m.Enabled.IsUnknown() {
			m.Enabled = types.BoolValue(true)
		}
	}
	m.BatchSize = pollInt64Or(o.BatchSize, src.BatchSizeDefault())
	m.MaximumBatchingWindowInSeconds = pollInt64Or(o.MaximumBatchingWindowInSeconds, 0)

	if src.IsStream() {
		m.StartingPosition = pollStringOrNull(string(o.StartingPosition))
		m.StartingPositionTimestamp = flattenTimestamp(m.StartingPositionTimestamp, o.StartingPositionTimestamp)
		m.ParallelizationFactor = pollInt64Or(o.ParallelizationFactor, trigger.ESMParallelizationDefault)
		m.MaximumRetryAttempts = pollInt64Or(o.MaximumRetryAttempts, trigger.ESMRetryAttemptsDefault)
		m.MaximumRecordAgeInSeconds = pollInt64Or(o.MaximumRecordAgeInSeconds, trigger.ESMRecordAgeDefault)
		m.BisectBatchOnFunctionError = types.BoolValue(aws.ToBool(o.BisectBatchOnFunctionError))
		m.TumblingWindowInSeconds = pollInt64Or(o.TumblingWindowInSeconds, 0)
		m.DestinationConfig = flattenPollDestination(m.DestinationConfig, o.DestinationConfig)
		m.ScalingConfig = nil
	} else {
		m.StartingPosition = types.StringNull()
		m.StartingPositionTimestamp = types.StringNull()
		m.ParallelizationFactor = types.Int64Null()
		m.MaximumRetryAttempts = types.Int64Null()
		m.MaximumRecordAgeInSeconds = types.Int64Null()
		m.BisectBatchOnFunctionError = types.BoolNull()
		m.TumblingWindowInSeconds = types.Int64Null()
		m.DestinationConfig = nil
		m.ScalingConfig = flattenPollScaling(m.ScalingConfig, o.ScalingConfig)
	}
	m.FunctionResponseTypes = flattenFunctionResponseTypes(m.FunctionResponseTypes, o.FunctionResponseTypes)
	m.FilterCriteria = flattenFilterCriteria(m.FilterCriteria, o.FilterCriteria)

	m.State = types.StringValue(state)
	m.StateTransitionReason = types.StringValue(aws.ToString(o.StateTransitionReason))
	m.LastProcessingResult = types.StringValue(aws.ToString(o.LastProcessingResult))
	m.LastModified = types.StringNull()
	if o.LastModified != nil {
		m.LastModified = types.StringValue(o.LastModified.UTC().Format(time.RFC3339))
	}
	m.Behavior = types.StringValue(trigger.ESMBehavior(m.behaviorInput(ctx, src)))
}

func flattenTimestamp(prior types.String, t *time.Time) types.String {
	if t == nil {
		return types.StringNull()
	}
	if p, err := time.Parse(time.RFC3339, prior.ValueString()); err == nil && p.Equal(*t) {
		return prior // the same instant, written as configured
	}
	return types.StringValue(t.UTC().Format(time.RFC3339))
}

func flattenPollDestination(prior *pollMappingDestinationConfigModel, api *awstypes.DestinationConfig) *pollMappingDestinationConfigModel {
	if api == nil || api.OnFailure == nil || aws.ToString(api.OnFailure.Destination) == "" {
		if prior != nil && prior.OnFailure == nil {
			return prior // `destination_config {}` as configured
		}
		return nil
	}
	return &pollMappingDestinationConfigModel{OnFailure: &pollMappingOnFailureModel{
		DestinationARN: types.StringValue(aws.ToString(api.OnFailure.Destination)),
	}}
}

func flattenPollScaling(prior *pollMappingScalingConfigModel, api *awstypes.ScalingConfig) *pollMappingScalingConfigModel {
	if api == nil || api.MaximumConcurrency == nil {
		if prior != nil && prior.MaximumConcurrency.IsNull() {
			return prior // `scaling_config {}` as configured
		}
		return nil
	}
	return &pollMappingScalingConfigModel{MaximumConcurrency: types.Int64Value(int64(*api.MaximumConcurrency))}
}

func flattenFunctionResponseTypes(prior types.Set, api []awstypes.FunctionResponseType) types.Set {
	if len(api) == 0 {
		if !prior.IsNull() && !prior.IsUnknown() && len(prior.Elements()) == 0 {
			return prior // `[]` as configured
		}
		return types.SetNull(types.StringType)
	}
	names := make([]string, 0, len(api))
	for _, t := range api {
		names = append(names, string(t))
	}
	set, _ := types.SetValueFrom(context.Background(), types.StringType, names)
	return set
}

func flattenFilterCriteria(prior *pollMappingFilterCriteriaModel, api *awstypes.FilterCriteria) *pollMappingFilterCriteriaModel {
	if api == nil || len(api.Filters) == 0 {
		if prior != nil && len(prior.Filter) == 0 {
			return prior // `filter_criteria {}` as configured
		}
		return nil
	}
	out := &pollMappingFilterCriteriaModel{}
	for _, f := range api.Filters {
		p := aws.ToString(f.Pattern)
		v := types.StringValue(p)
		if prior != nil {
			for _, pf := range prior.Filter {
				if pollPatternEqual(pf.Pattern.ValueString(), p) {
					v = pf.Pattern // the same pattern, spaced as configured
					break
				}
			}
		}
		out.Filter = append(out.Filter, pollMappingFilterModel{Pattern: v})
	}
	return out
}

func (m *pollMappingResourceModel) onFailureDestination() string {
	if m.DestinationConfig == nil || m.DestinationConfig.OnFailure == nil {
		return ""
	}
	return m.DestinationConfig.OnFailure.DestinationARN.ValueString()
}

func (m *pollMappingResourceModel) filterPatterns() []string {
	if m.FilterCriteria == nil {
		return nil
	}
	var out []string
	for _, f := range m.FilterCriteria.Filter {
		if !f.Pattern.IsNull() && !f.Pattern.IsUnknown() {
			out = append(out, f.Pattern.ValueString())
		}
	}
	return out
}

// behaviorInput reads the behavior's inputs from m; callers check that they are known.
func (m *pollMappingResourceModel) behaviorInput(ctx context.Context, src trigger.PollSource) trigger.ESMBehaviorInput {
	in := trigger.ESMBehaviorInput{
		Source:                src,
		Enabled:               m.Enabled.ValueBool(),
		BatchSize:             m.BatchSize.ValueInt64(),
		BatchingWindow:        m.MaximumBatchingWindowInSeconds.ValueInt64(),
		StartingPosition:      m.StartingPosition.ValueString(),
		ParallelizationFactor: m.ParallelizationFactor.ValueInt64(),
		MaximumRetryAttempts:  m.MaximumRetryAttempts.ValueInt64(),
		MaximumRecordAge:      m.MaximumRecordAgeInSeconds.ValueInt64(),
		Bisect:                m.BisectBatchOnFunctionError.ValueBool(),
		TumblingWindow:        m.TumblingWindowInSeconds.ValueInt64(),
		OnFailureDestination:  m.onFailureDestination(),
		Filters:               len(m.filterPatterns()),
	}
	var names []string
	if !m.FunctionResponseTypes.IsNull() && !m.FunctionResponseTypes.IsUnknown() {
		m.FunctionResponseTypes.ElementsAs(ctx, &names, false)
	}
	in.ReportItemFailures = len(names) > 0
	if m.ScalingConfig != nil {
		in.MaximumConcurrency = m.ScalingConfig.MaximumConcurrency.ValueInt64()
	}
	return in
}

// nullUnknowns leaves a partially created mapping's state without values Terraform cannot store.
func (m *pollMappingResourceModel) nullUnknowns() {
	for _, s := range []*types.String{&m.FunctionARN, &m.State, &m.StateTransitionReason, &m.LastModified, &m.LastProcessingResult, &m.Behavior} {
		if s.IsUnknown() {
			*s = types.StringNull()
		}
	}
	for _, n := range []*types.Int64{&m.BatchSize, &m.ParallelizationFactor, &m.MaximumRetryAttempts, &m.MaximumRecordAgeInSeconds, &m.TumblingWindowInSeconds} {
		if n.IsUnknown() {
			*n = types.Int64Null()
		}
	}
	if m.BisectBatchOnFunctionError.IsUnknown() {
		m.BisectBatchOnFunctionError = types.BoolNull()
	}
}

type pollMappingResourceModel struct {
	ID                             types.String                       `tfsdk:"id"`
	UUID                           types.String                       `tfsdk:"uuid"`
	FunctionName                   types.String                       `tfsdk:"function_name"`
	EventSourceARN                 types.String                       `tfsdk:"event_source_arn"`
	Enabled                        types.Bool                         `tfsdk:"enabled"`
	BatchSize                      types.Int64                        `tfsdk:"batch_size"`
	MaximumBatchingWindowInSeconds types.Int64                        `tfsdk:"maximum_batching_window_in_seconds"`
	StartingPosition               types.String                       `tfsdk:"starting_position"`
	StartingPositionTimestamp      types.String                       `tfsdk:"starting_position_timestamp"`
	ParallelizationFactor          types.Int64                        `tfsdk:"parallelization_factor"`
	MaximumRetryAttempts           types.Int64                        `tfsdk:"maximum_retry_attempts"`
	MaximumRecordAgeInSeconds      types.Int64                        `tfsdk:"maximum_record_age_in_seconds"`
	BisectBatchOnFunctionError     types.Bool                         `tfsdk:"bisect_batch_on_function_error"`
	TumblingWindowInSeconds        types.Int64                        `tfsdk:"tumbling_window_in_seconds"`
	FunctionResponseTypes          types.Set                          `tfsdk:"function_response_types"`
	DestinationConfig              *pollMappingDestinationConfigModel `tfsdk:"destination_config"`
	FilterCriteria                 *pollMappingFilterCriteriaModel    `tfsdk:"filter_criteria"`
	ScalingConfig                  *pollMappingScalingConfigModel     `tfsdk:"scaling_config"`
	FunctionARN                    types.String                       `tfsdk:"function_arn"`
	State                          types.String                       `tfsdk:"state"`
	StateTransitionReason          types.String                       `tfsdk:"state_transition_reason"`
	LastModified                   types.String                       `tfsdk:"last_modified"`
	LastProcessingResult           types.String                       `tfsdk:"last_processing_result"`
	Behavior                       types.String                       `tfsdk:"behavior"`
}

type pollMappingDestinationConfigModel struct {
	OnFailure *pollMappingOnFailureModel `tfsdk:"on_failure"`
}

type pollMappingOnFailureModel struct {
	DestinationARN types.String `tfsdk:"destination_arn"`
}

type pollMappingFilterCriteriaModel struct {
	Filter []pollMappingFilterModel `tfsdk:"filter"`
}

type pollMappingFilterModel struct {
	Pattern types.String `tfsdk:"pattern"`
}

type pollMappingScalingConfigModel struct {
	MaximumConcurrency types.Int64 `tfsdk:"maximum_concurrency"`
}
