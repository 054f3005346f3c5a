package provider

import (
	"context"
	"fmt"
	"os"
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
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
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
	functionThing = "Lambda Function"

	functionCreateTimeout = 10 * time.Minute
	functionUpdateTimeout = 10 * time.Minute
	functionDeleteTimeout = 10 * time.Minute
	// A role created in the same apply takes a few seconds before Lambda can assume it.
	functionPropagationTimeout = 2 * time.Minute

	// defaultHandler is what custom (provided.*) runtimes conventionally name their handler.
	defaultHandler = "bootstrap"
)

var (
	_ resource.Resource                   = (*functionResource)(nil)
	_ resource.ResourceWithConfigure      = (*functionResource)(nil)
	_ resource.ResourceWithImportState    = (*functionResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*functionResource)(nil)
	_ resource.ResourceWithValidateConfig = (*functionResource)(nil)
)

func newFunctionResource() resource.Resource {
	return &functionResource{}
}

type functionResource struct {
	clients *conns.Clients
}

func (r *functionResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_function"
}

func (r *functionResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "A Lambda function deployed from a .zip package: the thing the other lambdatrigger resources trigger.",
		Attributes: map[string]schema.Attribute{
			"function_name": schema.StringAttribute{
				Required:      true,
				Description:   "Name of the function. Changing it replaces the function.",
				Validators:    []validator.String{validators.FunctionName()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"filename": schema.StringAttribute{
				Required:    true,
				Description: "Path to the function's deployment package (.zip, at most 50 MB), read at apply time.",
			},
			"source_code_hash": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Description: "Base64-encoded SHA-256 of the package, usually `filebase64sha256(filename)`. A change " +
					"uploads the package again. When unset, it is the hash Lambda computed at the last upload.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"runtime": schema.StringAttribute{
				Required:    true,
				Description: "Runtime identifier, such as `provided.al2023`, `provided.al2`, `nodejs22.x` or `python3.13`.",
				Validators:  []validator.String{validators.Runtime()},
			},
			"handler": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(defaultHandler),
				Description: "Entry point of the function, such as `index.handler`. Required for Lambda-managed " +
					"language runtimes; defaults to `" + defaultHandler + "`, the convention of `provided.*` runtimes.",
				Validators: []validator.String{validators.Handler()},
			},
			"role": schema.StringAttribute{
				Required:    true,
				Description: "ARN of the function's execution role (`arn:aws:iam::<account>:role/<name>`).",
				Validators:  []validator.String{validators.RoleARN()},
			},
			"description": schema.StringAttribute{
				Optional:    true,
				Computed:    true,
				Default:     stringdefault.StaticString(""),
				Description: fmt.Sprintf("Description of the function, at most %d characters.", trigger.DescriptionMaxLength),
				Validators:  []validator.String{validators.MaxLength(trigger.DescriptionMaxLength)},
			},
			"timeout": schema.Int64Attribute{
				Optional:    true,
				Computed:    true,
				Default:     int64default.StaticInt64(trigger.TimeoutDefault),
				Description: fmt.Sprintf("Seconds the function may run per invocation, %d to %d. Defaults to %d.", trigger.TimeoutMin, trigger.TimeoutMax, trigger.TimeoutDefault),
				Validators:  []validator.Int64{validators.Int64Between(trigger.TimeoutMin, trigger.TimeoutMax, "seconds")},
			},
			"memory_size": schema.Int64Attribute{
				Optional:    true,
				Computed:    true,
				Default:     int64default.StaticInt64(trigger.MemorySizeDefault),
				Description: fmt.Sprintf("Memory in MB, %d to %d. Defaults to %d.", trigger.MemorySizeMin, trigger.MemorySizeMax, trigger.MemorySizeDefault),
				Validators:  []validator.Int64{validators.Int64Between(trigger.MemorySizeMin, trigger.MemorySizeMax, "MB")},
			},
			"reserved_concurrent_executions": schema.Int64Attribute{
				Optional: true,
				Computed: true,
				Default:  int64default.StaticInt64(-1),
				Description: "Concurrency reserved for the function: -1 (the default) leaves it on the account's " +
					"unreserved pool, 0 stops all invocations, N reserves N concurrent executions.",
				Validators: []validator.Int64{validators.ReservedConcurrency()},
			},
			"publish": schema.BoolAttribute{
				Optional:    true,
				Computed:    true,
				Default:     booldefault.StaticBool(false),
				Description: "Publish a new version when the function is created and whenever its code or configuration changes.",
			},
			"arn": schema.StringAttribute{
				Computed:      true,
				Description:   "ARN of the function (unqualified).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"qualified_arn": schema.StringAttribute{
				Computed:      true,
				Description:   "ARN of the function with its version: the latest published one, or `$LATEST`.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"invoke_arn": schema.StringAttribute{
				Computed:      true,
				Description:   "ARN API Gateway uses to invoke the function (`uri` of an integration).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"version": schema.StringAttribute{
				Computed:      true,
				Description:   "Latest published version, or `$LATEST` when `publish` is false.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"code_sha256": schema.StringAttribute{
				Computed:      true,
				Description:   "Base64-encoded SHA-256 of the package as Lambda stores it.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"last_modified": schema.StringAttribute{
				Computed:      true,
				Description:   "When the function was last changed (ISO 8601), as Lambda reports it.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"environment": schema.SingleNestedBlock{
				Description: "Environment variables of the function.",
				Attributes: map[string]schema.Attribute{
					"variables": schema.MapAttribute{
						ElementType: types.StringType,
						Optional:    true,
						Description: "Variables by name. Names start with a letter and contain letters, digits and " +
							"underscores; Lambda reserves some (AWS_REGION, _HANDLER...); all together at most 4 KB.",
						Validators: []validator.Map{validators.EnvironmentVariables()},
					},
				},
			},
		},
	}
}

func (r *functionResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.clients = clientsFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *functionResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan functionResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := plan.FunctionName.ValueString()
	conn := r.clients.Lambda

	zip, err := readPackage(plan.Filename.ValueString())
	if err != nil {
		resp.Diagnostics.Append(diagnostics.PackageUnreadable(path.Root("filename"), err))
		return
	}
	input := &lambda.CreateFunctionInput{
		FunctionName: aws.String(name),
		Code:         &awstypes.FunctionCode{ZipFile: zip},
		PackageType:  awstypes.PackageTypeZip,
		Runtime:      awstypes.Runtime(plan.Runtime.ValueString()),
		Handler:      aws.String(plan.Handler.ValueString()),
		Role:         aws.String(plan.Role.ValueString()),
		Description:  aws.String(plan.Description.ValueString()),
		Timeout:      aws.Int32(int32(plan.Timeout.ValueInt64())),
		MemorySize:   aws.Int32(int32(plan.MemorySize.ValueInt64())),
		Environment:  expandEnvironment(ctx, plan.Environment, false),
	}
	err = retryWhen(ctx, functionPropagationTimeout, func(ctx context.Context) error {
		_, err := conn.CreateFunction(ctx, input)
		return err
	}, isFunctionPropagationError)
	if err != nil {
		resp.Diagnostics.Append(diagnostics.APIError("creating", functionThing, name, err))
		return
	}

	// From here on the function exists: a failure leaves it in state (tainted) so it is not orphaned.
	created := func() {
		partial := plan
		partial.nullUnknowns()
		resp.Diagnostics.Append(resp.State.Set(ctx, &partial)...)
	}
	if _, err := waitFunctionCreated(ctx, conn, name, functionCreateTimeout); err != nil {
		resp.Diagnostics.Append(diagnostics.APIError("waiting for creation of", functionThing, name, err))
		created()
		return
	}
	if n := plan.ReservedConcurrentExecutions.ValueInt64(); n >= 0 {
		if err := putFunctionConcurrency(ctx, conn, name, n); err != nil {
			resp.Diagnostics.Append(diagnostics.APIError("setting reserved concurrency of", functionThing, name, err))
			created()
			return
		}
	}
	version := trigger.VersionLatest
	if plan.Publish.ValueBool() {
		if version, err = publishFunctionVersion(ctx, conn, name); err != nil {
			resp.Diagnostics.Append(diagnostics.APIError("publishing a version of", functionThing, name, err))
			created()
			return
		}
	}

	output, err := findFunctionByName(ctx, conn, name)
	if err != nil {
		resp.Diagnostics.Append(diagnostics.APIError("reading", functionThing, name, err))
		created()
		return
	}
	plan.flatten(r.clients, output, version)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *functionResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state functionResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := state.FunctionName.ValueString()

	output, err := findFunctionByName(ctx, r.clients.Lambda, name)
	if isNotFound(err) {
		tflog.Warn(ctx, "Lambda function not found, removing from state", map[string]any{"function_name": name})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(diagnostics.APIError("reading", functionThing, name, err))
		return
	}

	// Only PublishVersion tells a version; between applies the one in state stands.
	version := trigger.VersionLatest
	if state.Publish.ValueBool() && !state.Version.IsNull() && !state.Version.IsUnknown() {
		version = state.Version.ValueString()
	}
	state.flatten(r.clients, output, version)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *functionResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state functionResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := plan.FunctionName.ValueString()
	conn := r.clients.Lambda
	ch := functionChanges(&plan, &state)

	if ch.configuration {
		input := &lambda.UpdateFunctionConfigurationInput{
			FunctionName: aws.String(name),
			Runtime:      awstypes.Runtime(plan.Runtime.ValueString()),
			Handler:      aws.String(plan.Handler.ValueString()),
			Role:         aws.String(plan.Role.ValueString()),
			Description:  aws.String(plan.Description.ValueString()),
			Timeout:      aws.Int32(int32(plan.Timeout.ValueInt64())),
			MemorySize:   aws.Int32(int32(plan.MemorySize.ValueInt64())),
			Environment:  expandEnvironment(ctx, plan.Environment, true),
		}
		err := retryWhen(ctx, functionPropagationTimeout, func(ctx context.Context) error {
			_, err := conn.UpdateFunctionConfiguration(ctx, input)
			return err
		}, isFunctionPropagationError)
		if err != nil {
			resp.Diagnostics.Append(diagnostics.APIError("updating configuration of", functionThing, name, err))
			return
		}
		if _, err := waitFunctionUpdated(ctx, conn, name, functionUpdateTimeout); err != nil {
			resp.Diagnostics.Append(diagnostics.APIError("waiting for configuration update of", functionThing, name, err))
			return
		}
	}

	if ch.code {
		zip, err := readPackage(plan.Filename.ValueString())
		if err != nil {
			resp.Diagnostics.Append(diagnostics.PackageUnreadable(path.Root("filename"), err))
			return
		}
		err = retryWhen(ctx, functionPropagationTimeout, func(ctx context.Context) error {
			_, err := conn.UpdateFunctionCode(ctx, &lambda.UpdateFunctionCodeInput{FunctionName: aws.String(name), ZipFile: zip})
			return err
		}, isFunctionConflict)
		if err != nil {
			resp.Diagnostics.Append(diagnostics.APIError("updating code of", functionThing, name, err))
			return
		}
		if _, err := waitFunctionUpdated(ctx, conn, name, functionUpdateTimeout); err != nil {
			resp.Diagnostics.Append(diagnostics.APIError("waiting for code update of", functionThing, name, err))
			return
		}
	}

	if ch.concurrency {
		var err error
		if n := plan.ReservedConcurrentExecutions.ValueInt64(); n >= 0 {
			err = putFunctionConcurrency(ctx, conn, name, n)
		} else {
			_, err = conn.DeleteFunctionConcurrency(ctx, &lambda.DeleteFunctionConcurrencyInput{FunctionName: aws.String(name)})
		}
		if err != nil {
			resp.Diagnostics.Append(diagnostics.APIError("setting reserved concurrency of", functionThing, name, err))
			return
		}
	}

	version := trigger.VersionLatest
	if plan.Publish.ValueBool() {
		version = state.Version.ValueString()
		if ch.publish(&plan) {
			var err error
			if version, err = publishFunctionVersion(ctx, conn, name); err != nil {
				resp.Diagnostics.Append(diagnostics.APIError("publishing a version of", functionThing, name, err))
				return
			}
		}
	}

	output, err := findFunctionByName(ctx, conn, name)
	if err != nil {
		resp.Diagnostics.Append(diagnostics.APIError("reading", functionThing, name, err))
		return
	}
	plan.flatten(r.clients, output, version)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *functionResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state functionResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := state.FunctionName.ValueString()
	conn := r.clients.Lambda

	err := retryWhen(ctx, functionPropagationTimeout, func(ctx context.Context) error {
		_, err := conn.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String(name)})
		return err
	}, isFunctionConflict)
	if errorIs[*awstypes.ResourceNotFoundException](err, "") {
		return
	}
	if err != nil {
		resp.Diagnostics.Append(diagnostics.APIError("deleting", functionThing, name, err))
		return
	}
	if _, err := waitFunctionDeleted(ctx, conn, name, functionDeleteTimeout); err != nil {
		resp.Diagnostics.Append(diagnostics.APIError("waiting for deletion of", functionThing, name, err))
	}
}

func (r *functionResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if err := trigger.ValidateFunctionName(req.ID); err != nil {
		resp.Diagnostics.AddError("Invalid Import ID",
			"Import a function by its bare name: terraform import lambdatrigger_function.<name> my-function.\n\nOriginal Error: "+err.Error())
		return
	}
	resource.ImportStatePassthroughID(ctx, path.Root("function_name"), req, resp)
}

// ValidateConfig checks what no single attribute can: the handler a language runtime needs.
func (r *functionResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var config functionResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !config.Handler.IsNull() || config.Runtime.IsNull() || config.Runtime.IsUnknown() {
		return
	}
	rt, ok := trigger.LookupRuntime(config.Runtime.ValueString())
	if !ok || rt.Custom {
		return
	}
	resp.Diagnostics.AddAttributeError(path.Root("handler"), "Missing Handler",
		fmt.Sprintf("The %s runtime needs a handler naming the function's entry point. Set handler, for example "+
			"index.handler (Node.js) or lambda_function.lambda_handler (Python).", rt.ID))
}

// ModifyPlan marks as unknown only the computed values an update will really change, so that an
// unchanged function plans empty and a changed one does not promise stale values.
func (r *functionResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan functionResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() {
		if plan.Publish.IsUnknown() || plan.Publish.ValueBool() {
			return // create: version and qualified_arn come from PublishVersion
		}
		plan.Version = types.StringValue(trigger.VersionLatest)
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	var state functionResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}

	ch := functionChanges(&plan, &state)
	if !ch.any() {
		return
	}
	plan.LastModified = types.StringUnknown()
	if ch.code {
		plan.CodeSHA256 = types.StringUnknown()
		if ch.filename && !ch.sourceCodeHash && sourceCodeHashUnset(ctx, req) {
			plan.SourceCodeHash = types.StringUnknown()
		}
	}
	if plan.Publish.IsUnknown() || ch.publish(&plan) {
		plan.Version = types.StringUnknown()
		plan.QualifiedARN = types.StringUnknown()
	} else if !plan.Publish.ValueBool() {
		plan.Version = types.StringValue(trigger.VersionLatest)
		if !state.ARN.IsNull() && !state.ARN.IsUnknown() {
			plan.QualifiedARN = types.StringValue(qualifiedARN(state.ARN.ValueString(), trigger.VersionLatest))
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func findFunctionByName(ctx context.Context, conn *lambda.Client, name string) (*lambda.GetFunctionOutput, error) {
	output, err := conn.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name)})
	if errorIs[*awstypes.ResourceNotFoundException](err, "") {
		return nil, &notFoundError{what: "Lambda function " + name, err: err}
	}
	if err != nil {
		return nil, err
	}
	if output == nil || output.Configuration == nil {
		return nil, &notFoundError{what: "Lambda function " + name + " (empty answer)"}
	}
	return output, nil
}

func statusFunctionState(conn *lambda.Client, name string) statusFunc {
	return func(ctx context.Context) (any, string, error) {
		output, err := findFunctionByName(ctx, conn, name)
		if isNotFound(err) {
			return nil, "", nil
		}
		if err != nil {
			return nil, "", err
		}
		return output.Configuration, string(output.Configuration.State), nil
	}
}

func statusFunctionLastUpdateStatus(conn *lambda.Client, name string) statusFunc {
	return func(ctx context.Context) (any, string, error) {
		output, err := findFunctionByName(ctx, conn, name)
		if isNotFound(err) {
			return nil, "", nil
		}
		if err != nil {
			return nil, "", err
		}
		status := output.Configuration.LastUpdateStatus
		if status == "" { // seen with SnapStart; AWS's own waiter treats it as still in progress
			status = awstypes.LastUpdateStatusInProgress
		}
		return output.Configuration, string(status), nil
	}
}

func waitFunctionCreated(ctx context.Context, conn *lambda.Client, name string, timeout time.Duration) (*awstypes.FunctionConfiguration, error) {
	w := stateWaiter{
		pending:        []string{string(awstypes.StatePending)},
		target:         []string{string(awstypes.StateActive), string(awstypes.StateActiveNonInvocable)},
		refresh:        statusFunctionState(conn, name),
		timeout:        timeout,
		notFoundChecks: 20,
		reason: func(o any) string {
			c := o.(*awstypes.FunctionConfiguration)
			return strings.TrimPrefix(string(c.StateReasonCode)+" "+aws.ToString(c.StateReason), " ")
		},
	}
	output, err := w.wait(ctx)
	c, _ := output.(*awstypes.FunctionConfiguration)
	return c, err
}

func waitFunctionUpdated(ctx context.Context, conn *lambda.Client, name string, timeout time.Duration) (*awstypes.FunctionConfiguration, error) {
	w := stateWaiter{
		pending: []string{string(awstypes.LastUpdateStatusInProgress)},
		target:  []string{string(awstypes.LastUpdateStatusSuccessful)},
		refresh: statusFunctionLastUpdateStatus(conn, name),
		timeout: timeout,
		reason: func(o any) string {
			c := o.(*awstypes.FunctionConfiguration)
			return strings.TrimPrefix(string(c.LastUpdateStatusReasonCode)+" "+aws.ToString(c.LastUpdateStatusReason), " ")
		},
	}
	output, err := w.wait(ctx)
	c, _ := output.(*awstypes.FunctionConfiguration)
	return c, err
}

func waitFunctionDeleted(ctx context.Context, conn *lambda.Client, name string, timeout time.Duration) (*awstypes.FunctionConfiguration, error) {
	w := stateWaiter{
		pending: []string{
			string(awstypes.StateActive), string(awstypes.StateActiveNonInvocable), string(awstypes.StatePending),
			string(awstypes.StateInactive), string(awstypes.StateFailed), string(awstypes.StateDeleting),
		},
		refresh: statusFunctionState(conn, name),
		timeout: timeout,
	}
	output, err := w.wait(ctx)
	c, _ := output.(*awstypes.FunctionConfiguration)
	return c, err
}

func putFunctionConcurrency(ctx context.Context, conn *lambda.Client, name string, n int64) error {
	return retryWhen(ctx, functionPropagationTimeout, func(ctx context.Context) error {
		_, err := conn.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{
			FunctionName:                 aws.String(name),
			ReservedConcurrentExecutions: aws.Int32(int32(n)),
		})
		return err
	}, isFunctionConflict)
}

// publishFunctionVersion publishes $LATEST once its last update is done, and returns the version.
func publishFunctionVersion(ctx context.Context, conn *lambda.Client, name string) (string, error) {
	var version string
	err := retryWhen(ctx, functionPropagationTimeout, func(ctx context.Context) error {
		output, err := conn.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String(name)})
		if err != nil {
			return err
		}
		version = aws.ToString(output.Version)
		return nil
	}, isFunctionConflict)
	if err != nil {
		return "", err
	}
	// A published version goes through Pending too before it can be invoked.
	if _, err := waitFunctionVersionActive(ctx, conn, name, version, functionUpdateTimeout); err != nil {
		return "", err
	}
	return version, nil
}

func waitFunctionVersionActive(ctx context.Context, conn *lambda.Client, name, version string, timeout time.Duration) (*awstypes.FunctionConfiguration, error) {
	w := stateWaiter{
		pending:        []string{string(awstypes.StatePending)},
		target:         []string{string(awstypes.StateActive), string(awstypes.StateActiveNonInvocable)},
		timeout:        timeout,
		notFoundChecks: 20,
		refresh: func(ctx context.Context) (any, string, error) {
			output, err := conn.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{
				FunctionName: aws.String(name), Qualifier: aws.String(version),
			})
			if errorIs[*awstypes.ResourceNotFoundException](err, "") {
				return nil, "", nil
			}
			if err != nil {
				return nil, "", err
			}
			c := &awstypes.FunctionConfiguration{State: output.State, StateReason: output.StateReason, StateReasonCode: output.StateReasonCode}
			return c, string(output.State), nil
		},
	}
	output, err := w.wait(ctx)
	c, _ := output.(*awstypes.FunctionConfiguration)
	return c, err
}

// isFunctionPropagationError is worth retrying on create and configuration update: IAM has not yet
// propagated a new role, or another update is still running.
func isFunctionPropagationError(err error) bool {
	return errorIs[*awstypes.InvalidParameterValueException](err, "cannot be assumed by Lambda") ||
		errorIs[*awstypes.InvalidParameterValueException](err, "execution role does not have permissions") ||
		isFunctionConflict(err)
}

// isFunctionConflict is an update still in progress (409 ResourceConflictException).
func isFunctionConflict(err error) bool {
	return errorIs[*awstypes.ResourceConflictException](err, "")
}

func readPackage(filename string) ([]byte, error) {
	info, err := os.Stat(filename)
	if err != nil {
		return nil, err
	}
	if info.Size() > trigger.ZipFileMaxBytes {
		return nil, fmt.Errorf("%s is %d bytes; Lambda accepts at most %d bytes (50 MB) uploaded directly", filename, info.Size(), trigger.ZipFileMaxBytes)
	}
	return os.ReadFile(filename)
}

// functionChangeSet says which parts of a function an update touches; ModifyPlan and Update use
// the same one, so the plan promises exactly what Update does.
type functionChangeSet struct {
	configuration  bool // UpdateFunctionConfiguration
	code           bool // UpdateFunctionCode
	filename       bool // the package's path changed
	sourceCodeHash bool // the configured hash changed (or is not known yet)
	concurrency    bool // Put/DeleteFunctionConcurrency
	publishFlag    bool // publish itself changed
}

func functionChanges(plan, state *functionResourceModel) functionChangeSet {
	var ch functionChangeSet
	ch.configuration = !plan.Runtime.Equal(state.Runtime) ||
		!plan.Handler.Equal(state.Handler) ||
		!plan.Role.Equal(state.Role) ||
		!plan.Description.Equal(state.Description) ||
		!plan.Timeout.Equal(state.Timeout) ||
		!plan.MemorySize.Equal(state.MemorySize) ||
		!environmentEqual(plan.Environment, state.Environment)
	// After an import the state has no filename: recording it is not a reason to upload.
	ch.filename = !state.Filename.IsNull() && !plan.Filename.Equal(state.Filename)
	ch.sourceCodeHash = plan.SourceCodeHash.IsUnknown() || !plan.SourceCodeHash.Equal(state.SourceCodeHash)
	ch.code = ch.filename || ch.sourceCodeHash
	ch.concurrency = !plan.ReservedConcurrentExecutions.Equal(state.ReservedConcurrentExecutions)
	ch.publishFlag = !plan.Publish.Equal(state.Publish)
	return ch
}

func (ch functionChangeSet) any() bool {
	return ch.configuration || ch.code || ch.concurrency || ch.publishFlag
}

// publish says whether the update publishes a new version.
func (ch functionChangeSet) publish(plan *functionResourceModel) bool {
	return plan.Publish.ValueBool() && (ch.configuration || ch.code || ch.publishFlag)
}

// sourceCodeHashUnset reports whether the configuration leaves source_code_hash to the provider.
func sourceCodeHashUnset(ctx context.Context, req resource.ModifyPlanRequest) bool {
	var v types.String
	if diags := req.Config.GetAttribute(ctx, path.Root("source_code_hash"), &v); diags.HasError() {
		return false
	}
	return v.IsNull()
}

func expandEnvironment(ctx context.Context, env *functionEnvironmentModel, clearWhenEmpty bool) *awstypes.Environment {
	vars := map[string]string{}
	if env != nil && !env.Variables.IsNull() && !env.Variables.IsUnknown() {
		env.Variables.ElementsAs(ctx, &vars, false)
	}
	if len(vars) == 0 && !clearWhenEmpty {
		return nil
	}
	// An update with an empty map removes the variables; leaving Environment out would keep them.
	return &awstypes.Environment{Variables: vars}
}

func environmentEqual(a, b *functionEnvironmentModel) bool {
	return variablesOf(a).Equal(variablesOf(b))
}

// variablesOf treats an absent block, a null map and an empty map alike: Lambda does.
func variablesOf(env *functionEnvironmentModel) types.Map {
	if env == nil || env.Variables.IsNull() || (!env.Variables.IsUnknown() && len(env.Variables.Elements()) == 0) {
		return types.MapValueMust(types.StringType, nil)
	}
	return env.Variables
}

// flatten copies what Lambda reports into m. Attributes Lambda does not report (filename, publish) and
// the shape of the environment block come from m, i.e. from the plan or the prior state.
func (m *functionResourceModel) flatten(clients *conns.Clients, output *lambda.GetFunctionOutput, version string) {
	c := output.Configuration
	arn := aws.ToString(c.FunctionArn)

	m.FunctionName = types.StringValue(aws.ToString(c.FunctionName))
	m.Runtime = types.StringValue(string(c.Runtime))
	m.Handler = types.StringValue(aws.ToString(c.Handler))
	m.Role = types.StringValue(aws.ToString(c.Role))
	m.Description = types.StringValue(aws.ToString(c.Description))
	m.Timeout = types.Int64Value(int64(aws.ToInt32(c.Timeout)))
	m.MemorySize = types.Int64Value(int64(aws.ToInt32(c.MemorySize)))
	m.Environment = flattenEnvironment(m.Environment, c.Environment)
	m.ReservedConcurrentExecutions = types.Int64Value(flattenConcurrency(output.Concurrency))
	if m.Publish.IsNull() || m.Publish.IsUnknown() {
		m.Publish = types.BoolValue(false) // imported
	}
	m.ARN = types.StringValue(arn)
	m.Version = types.StringValue(version)
	m.QualifiedARN = types.StringValue(qualifiedARN(arn, version))
	m.InvokeARN = types.StringValue(invokeARN(clients, arn))
	m.CodeSHA256 = types.StringValue(aws.ToString(c.CodeSha256))
	m.LastModified = types.StringValue(aws.ToString(c.LastModified))
	if m.SourceCodeHash.IsNull() || m.SourceCodeHash.IsUnknown() {
		// Unset in the configuration, or imported: the hash of what Lambda has.
		m.SourceCodeHash = m.CodeSHA256
	}
}

func flattenEnvironment(prior *functionEnvironmentModel, api *awstypes.EnvironmentResponse) *functionEnvironmentModel {
	var vars map[string]string
	if api != nil {
		vars = api.Variables
	}
	if len(vars) == 0 {
		if prior != nil && !prior.Variables.IsUnknown() && len(prior.Variables.Elements()) == 0 {
			return prior // `environment {}` or `variables = {}` as configured
		}
		if prior != nil {
			return &functionEnvironmentModel{Variables: types.MapValueMust(types.StringType, nil)}
		}
		return nil
	}
	return &functionEnvironmentModel{Variables: stringMap(vars)}
}

func flattenConcurrency(c *awstypes.Concurrency) int64 {
	if c == nil || c.ReservedConcurrentExecutions == nil {
		return -1
	}
	return int64(*c.ReservedConcurrentExecutions)
}

func qualifiedARN(arn, version string) string { return arn + ":" + version }

// invokeARN is the URI API Gateway integrations use to call the function. See
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-custom-integrations.html.
func invokeARN(clients *conns.Clients, functionARN string) string {
	partition, region := clients.Partition, clients.Region
	if parts := strings.SplitN(functionARN, ":", 5); len(parts) == 5 {
		partition, region = parts[1], parts[3]
	}
	return fmt.Sprintf("arn:%s:apigateway:%s:lambda:path/2015-03-31/functions/%s/invocations", partition, region, functionARN)
}

// nullUnknowns leaves a partially created function's state without values Terraform cannot store.
func (m *functionResourceModel) nullUnknowns() {
	for _, s := range []*types.String{&m.SourceCodeHash, &m.ARN, &m.QualifiedARN, &m.InvokeARN, &m.Version, &m.CodeSHA256, &m.LastModified} {
		if s.IsUnknown() {
			*s = types.StringNull()
		}
	}
}

type functionResourceModel struct {
	FunctionName                 types.String              `tfsdk:"function_name"`
	Filename                     types.String              `tfsdk:"filename"`
	SourceCodeHash               types.String              `tfsdk:"source_code_hash"`
	Runtime                      types.String              `tfsdk:"runtime"`
	Handler                      types.String              `tfsdk:"handler"`
	Role                         types.String              `tfsdk:"role"`
	Description                  types.String              `tfsdk:"description"`
	Timeout                      types.Int64               `tfsdk:"timeout"`
	MemorySize                   types.Int64               `tfsdk:"memory_size"`
	Environment                  *functionEnvironmentModel `tfsdk:"environment"`
	ReservedConcurrentExecutions types.Int64               `tfsdk:"reserved_concurrent_executions"`
	Publish                      types.Bool                `tfsdk:"publish"`
	ARN                          types.String              `tfsdk:"arn"`
	QualifiedARN                 types.String              `tfsdk:"qualified_arn"`
	InvokeARN                    types.String              `tfsdk:"invoke_arn"`
	Version                      types.String              `tfsdk:"version"`
	CodeSHA256                   types.String              `tfsdk:"code_sha256"`
	LastModified                 types.String              `tfsdk:"last_modified"`
}

type functionEnvironmentModel struct {
	Variables types.Map `tfsdk:"variables"`
}
