package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/conns"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/provider/diagnostics"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/provider/validators"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/trigger"
)

var (
	_ resource.Resource                   = (*syncCallerResource)(nil)
	_ resource.ResourceWithConfigure      = (*syncCallerResource)(nil)
	_ resource.ResourceWithImportState    = (*syncCallerResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*syncCallerResource)(nil)
	_ resource.ResourceWithValidateConfig = (*syncCallerResource)(nil)
)

func newSyncCallerResource() resource.Resource {
	return &syncCallerResource{}
}

type syncCallerResource struct {
	clients *conns.Clients
}

func (r *syncCallerResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sync_caller"
}

func (r *syncCallerResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, Description: desc}
	}
	resp.Schema = schema.Schema{
		Description: "A synchronous (RequestResponse) caller of a Lambda function: an API Gateway REST or HTTP API route, " +
			"an Application Load Balancer target group, or a function URL. It adds the permission the caller needs " +
			"and, where asked, the caller's own wiring, and explains in the plan how the function will be called.",
		Attributes: map[string]schema.Attribute{
			"id": computed("`FUNCTION[:QUALIFIER],KIND,KEY...`, also the import ID: `my-function,api_gateway,a1b2c3,prod,GET,/hello[,integration]`, " +
				"`my-function,alb,<target group ARN>` or `my-function:live,function_url`."),
			"function_name": schema.StringAttribute{
				Required:    true,
				Description: "Name of the function the caller invokes. Changing it replaces the caller.",
				Validators:  []validator.String{validators.FunctionName()},
			},
			"qualifier": schema.StringAttribute{
				Optional: true,
				Description: "Version or alias the caller invokes (function URLs: an alias only). Unset, the caller invokes " +
					"the unqualified function ($LATEST). Changing it replaces the caller.",
				Validators: []validator.String{validators.Qualifier()},
			},
			"invocation_type": computed("How the caller invokes the function: always `RequestResponse` (it waits for the answer)."),
			"principal":       computed("Principal of the permission added to the function's resource-based policy (`*` for a public function URL; null for an AWS_IAM one, which needs none)."),
			"statement_id":    computed("Statement ID of that permission, derived from what the caller wires so it never collides; a public function URL also adds `<statement_id>-invoke`."),
			"source_arn":      computed("Source ARN the permission is scoped to: the `execute-api` ARN of the API, stage, method and path, or the target group ARN."),
			"event_type":      computed("Event the function receives, as github.com/aws/aws-lambda-go/events names it: `APIGatewayProxyRequest`, `APIGatewayV2HTTPRequest`, `ALBTargetGroupRequest` or `LambdaFunctionURLRequest`."),
			"payload_limit":   computed("Largest request and response the caller passes, e.g. `6 MB request, 6 MB response`."),
			"timeout_note":    computed("How long the caller waits compared with the function's timeout. A function timeout longer than the caller waits is also a plan-time warning."),
			"behavior":        computed("One line saying who calls the function and how, e.g. `GET /hello on REST API a1b2c3/prod -> RequestResponse; caller waits up to 29 s; no retries (permission only)`."),
		},
		Blocks: map[string]schema.Block{
			syncKindAPIGateway: schema.SingleNestedBlock{
				Description: "An API Gateway REST API or HTTP API calls the function.",
				Attributes: map[string]schema.Attribute{
					"api_id": schema.StringAttribute{
						Optional:    true,
						Description: "ID of the REST API or HTTP API (required in this block). Its type is read at plan time.",
					},
					"stage": schema.StringAttribute{
						Optional:    true,
						Description: "Stage allowed to call the function; `*` (the default) allows every stage.",
						Validators:  []validator.String{validators.APIGatewayStage()},
					},
					"method": schema.StringAttribute{
						Optional:    true,
						Description: "HTTP method allowed (GET, POST, ... or ANY); `*` (the default) allows every method.",
						Validators:  []validator.String{validators.APIGatewayMethod()},
					},
					"path": schema.StringAttribute{
						Optional: true,
						Description: "Resource path allowed, as the API defines it (`/hello`, `/pets/{id}`, `/{proxy+}`), or `$default` " +
							"for an HTTP API's default route; `*` (the default) allows every path.",
						Validators: []validator.String{validators.APIGatewayPath()},
					},
					"integration": schema.BoolAttribute{
						Optional: true,
						Description: "Also create the AWS_PROXY integration: for a REST API the method and its integration on the existing " +
							"resource `path` (and a deployment to `stage` when it names one); for an HTTP API an integration and the route " +
							"`METHOD path`. Defaults to false: only the permission.",
					},
					"payload_format_version": schema.StringAttribute{
						Optional:    true,
						Description: "Payload format of an HTTP API integration: `2.0` (the default) or `1.0`. REST APIs always send 1.0.",
						Validators:  []validator.String{validators.OneOf("Invalid Payload Format Version", trigger.PayloadFormat10, trigger.PayloadFormat20)},
					},
				},
			},
			syncKindALB: schema.SingleNestedBlock{
				Description: "An Application Load Balancer target group (target type `lambda`) forwards requests to the function.",
				Attributes: map[string]schema.Attribute{
					"target_group_arn": schema.StringAttribute{
						Optional:    true,
						Description: "ARN of the target group (required in this block). One function per target group, as AWS requires.",
						Validators:  []validator.String{validators.TargetGroupARN()},
					},
					"multi_value_headers": schema.BoolAttribute{
						Computed:    true,
						Description: "Whether the target group sends multi-value headers and query strings (its `lambda.multi_value_headers.enabled` attribute).",
					},
				},
			},
			syncKindFunctionURL: schema.SingleNestedBlock{
				Description: "A function URL: a dedicated HTTPS endpoint for the function.",
				Attributes: map[string]schema.Attribute{
					"authorization_type": schema.StringAttribute{
						Optional: true,
						Description: "`NONE` (public: the two public permission statements AWS requires are added) or `AWS_IAM` " +
							"(SigV4-signed requests only). Required in this block; changing it replaces the caller.",
						Validators: []validator.String{validators.OneOf("Invalid Authorization Type", trigger.FunctionURLAuthNone, trigger.FunctionURLAuthIAM)},
					},
					"invoke_mode": schema.StringAttribute{
						Optional:    true,
						Description: "`BUFFERED` (the default; 6 MB responses) or `RESPONSE_STREAM` (streamed responses up to 200 MB).",
						Validators:  []validator.String{validators.OneOf("Invalid Invoke Mode", trigger.InvokeModeBuffered, trigger.InvokeModeStream)},
					},
					"function_url": schema.StringAttribute{
						Computed:    true,
						Description: "The URL, `https://<url-id>.lambda-url.<region>.on.aws/` on AWS.",
					},
				},
				Blocks: map[string]schema.Block{
					"cors": schema.SingleNestedBlock{
						Description: "Cross-origin resource sharing settings of the URL.",
						Attributes: map[string]schema.Attribute{
							"allow_credentials": schema.BoolAttribute{Optional: true, Description: "Whether cookies and credentials are allowed."},
							"allow_headers":     schema.SetAttribute{Optional: true, ElementType: types.StringType, Description: "Headers allowed in requests."},
							"allow_methods": schema.SetAttribute{Optional: true, ElementType: types.StringType, Description: "Methods allowed (`GET`, `POST`, ... or `*`).",
								Validators: []validator.Set{setvalidator.ValueStringsAre(validators.CORSMethod())}},
							"allow_origins":  schema.SetAttribute{Optional: true, ElementType: types.StringType, Description: "Origins allowed, e.g. `https://www.example.com` or `*`."},
							"expose_headers": schema.SetAttribute{Optional: true, ElementType: types.StringType, Description: "Response headers exposed to the browser."},
							"max_age": schema.Int64Attribute{Optional: true, Description: "Seconds a browser caches a preflight answer, 0 to 86400.",
								Validators: []validator.Int64{validators.Int64Between(0, trigger.FunctionURLCORSMaxAge, "seconds")}},
						},
					},
				},
			},
		},
	}
}

func (r *syncCallerResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.clients = clientsFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *syncCallerResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan syncCallerResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	w, _ := plan.wiring()
	facts, diags := r.readFacts(ctx, w, true)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	switch w.Kind {
	case syncKindAPIGateway:
		resp.Diagnostics.Append(r.createAPIGateway(ctx, w, facts)...)
	case syncKindALB:
		resp.Diagnostics.Append(r.createALB(ctx, w, facts)...)
	case syncKindFunctionURL:
		url, d := r.createFunctionURL(ctx, w, plan.FunctionURL)
		resp.Diagnostics.Append(d...)
		plan.FunctionURL.URL = types.StringValue(url)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if plan.ALB != nil {
		plan.ALB.MultiValueHeaders = types.BoolValue(facts.multiValueHeaders)
	}
	plan.fill(w, facts)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *syncCallerResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state syncCallerResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	w, _ := state.wiring()

	var err error
	switch w.Kind {
	case syncKindAPIGateway:
		err = r.readAPIGateway(ctx, w, &state)
	case syncKindALB:
		err = r.readALB(ctx, w, &state)
	case syncKindFunctionURL:
		err = r.readFunctionURL(ctx, w, &state)
	}
	if isNotFound(err) {
		// A part of the wiring was removed outside Terraform: the next apply creates it all again
		// (Create adopts the parts that are still there).
		tflog.Warn(ctx, "sync caller wiring incomplete, removing from state", map[string]any{"id": w.ID(), "missing": err.Error()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(diagnostics.APIError("reading", diagnostics.SyncCallerThing, w.ID(), err))
		return
	}
	w, _ = state.wiring() // Read may have learned the payload format of an imported integration
	facts, diags := r.readFacts(ctx, w, false)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if state.ALB != nil {
		state.ALB.MultiValueHeaders = types.BoolValue(facts.multiValueHeaders)
	}
	state.ID = types.StringValue(w.ID())
	d := w.describe(facts.syncFacts)
	state.setDescription(d, true)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update changes what can change in place (a function URL's CORS and invoke mode) and records the
// refreshed descriptions; everything else that identifies the wiring replaces the caller (ModifyPlan).
func (r *syncCallerResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state syncCallerResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	w, _ := plan.wiring()
	facts, diags := r.readFacts(ctx, w, false)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if w.Kind == syncKindFunctionURL && !functionURLConfigEqual(plan.FunctionURL, state.FunctionURL) {
		url, d := r.updateFunctionURL(ctx, w, plan.FunctionURL)
		resp.Diagnostics.Append(d...)
		if resp.Diagnostics.HasError() {
			return
		}
		plan.FunctionURL.URL = types.StringValue(url)
	}
	if plan.ALB != nil && plan.ALB.MultiValueHeaders.IsUnknown() {
		plan.ALB.MultiValueHeaders = types.BoolValue(facts.multiValueHeaders)
	}
	plan.fill(w, facts)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *syncCallerResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state syncCallerResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	w, _ := state.wiring()
	var err error
	switch w.Kind {
	case syncKindAPIGateway:
		err = r.deleteAPIGateway(ctx, w)
	case syncKindALB:
		err = r.deleteALB(ctx, w)
	case syncKindFunctionURL:
		err = r.deleteFunctionURL(ctx, w)
	}
	if err != nil {
		resp.Diagnostics.Append(diagnostics.APIError("deleting", diagnostics.SyncCallerThing, w.ID(), err))
	}
}

func (r *syncCallerResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	w, err := parseSyncCallerID(req.ID)
	if err != nil {
		resp.Diagnostics.Append(diagnostics.SyncCallerImportID(req.ID, err))
		return
	}
	m := syncCallerResourceModel{
		ID:           types.StringValue(w.ID()),
		FunctionName: types.StringValue(w.FunctionName),
		Qualifier:    optionalString(w.Qualifier, ""),
	}
	switch w.Kind {
	case syncKindAPIGateway:
		m.APIGateway = &syncAPIGatewayModel{
			APIID:                types.StringValue(w.APIID),
			Stage:                optionalString(w.Stage, trigger.Wildcard),
			Method:               optionalString(w.Method, trigger.Wildcard),
			Path:                 optionalString(w.Path, trigger.Wildcard),
			Integration:          types.BoolNull(),
			PayloadFormatVersion: types.StringNull(),
		}
		if w.Integration {
			m.APIGateway.Integration = types.BoolValue(true)
		}
	case syncKindALB:
		m.ALB = &syncALBModel{TargetGroupARN: types.StringValue(w.TargetGroupARN), MultiValueHeaders: types.BoolNull()}
	case syncKindFunctionURL:
		// Read fills the block from GetFunctionUrlConfig.
		m.FunctionURL = &syncFunctionURLModel{AuthorizationType: types.StringNull(), InvokeMode: types.StringNull(), URL: types.StringNull()}
	}
	m.setDescription(syncDescription{
		InvocationType: types.StringNull(), Principal: types.StringNull(), StatementID: types.StringNull(), SourceARN: types.StringNull(),
		EventType: types.StringNull(), PayloadLimit: types.StringNull(), TimeoutNote: types.StringNull(), Behavior: types.StringNull(),
	}, true)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// ValidateConfig checks what no single attribute can: exactly one caller block, the attributes a
// block requires, a route the integration can attach to, and a function URL's qualifier.
func (r *syncCallerResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var config syncCallerResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	n := 0
	for _, present := range []bool{config.APIGateway != nil, config.ALB != nil, config.FunctionURL != nil} {
		if present {
			n++
		}
	}
	if n != 1 {
		resp.Diagnostics.Append(diagnostics.SyncCallerOneKind(n))
		return
	}
	required := func(v types.String, p path.Path, example string) {
		if v.IsNull() {
			resp.Diagnostics.AddAttributeError(p, "Missing Required Argument",
				fmt.Sprintf("The %s block needs %s; set it, for example %s.", p.ParentPath(), p, example))
		}
	}
	switch {
	case config.APIGateway != nil:
		g, p := config.APIGateway, path.Root(syncKindAPIGateway)
		required(g.APIID, p.AtName("api_id"), `api_id = aws_apigatewayv2_api.example.id`)
		if g.Integration.ValueBool() {
			if v := g.Path; v.IsNull() || (!v.IsUnknown() && v.ValueString() == trigger.Wildcard) {
				resp.Diagnostics.Append(diagnostics.APIGatewayIntegrationPath(p.AtName("path"), "path"))
			}
		}
		if g.Path.ValueString() == trigger.DefaultRoute && !g.Method.IsNull() && !g.Method.IsUnknown() && g.Method.ValueString() != trigger.Wildcard {
			resp.Diagnostics.Append(diagnostics.APIGatewayDefaultRouteMethod(p.AtName("method")))
		}
	case config.ALB != nil:
		required(config.ALB.TargetGroupARN, path.Root(syncKindALB).AtName("target_group_arn"), `target_group_arn = aws_lb_target_group.example.arn`)
	case config.FunctionURL != nil:
		required(config.FunctionURL.AuthorizationType, path.Root(syncKindFunctionURL).AtName("authorization_type"), `authorization_type = "NONE"`)
		if q := config.Qualifier; !q.IsNull() && !q.IsUnknown() {
			if err := trigger.ValidateFunctionURLQualifier(q.ValueString()); err != nil {
				resp.Diagnostics.Append(diagnostics.FunctionURLVersionQualifier(err))
			}
		}
	}
}

// ModifyPlan computes the descriptive attributes, reading what the configuration cannot say (the
// API's type, the function's timeout, the target group's attributes) so the plan shows them; warns
// when the function outlives the caller; and replaces the caller when what it wires changes.
func (r *syncCallerResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan syncCallerResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var state *syncCallerResourceModel
	if !req.State.Raw.IsNull() {
		state = &syncCallerResourceModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}

	w, known := plan.wiring()
	replace := false
	if state != nil {
		old, _ := state.wiring()
		replace = !known || syncReplaced(w, old)
		if replace {
			resp.RequiresReplace = append(resp.RequiresReplace, syncReplacePaths(w, old)...)
		}
	}
	if !known || r.clients == nil {
		plan.unknownComputed(state, replace)
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}

	facts, diags := r.readFacts(ctx, w, true)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if s, over := w.callerTimeoutExceeded(facts.syncFacts); over {
		resp.Diagnostics.Append(diagnostics.SyncCallerTimeout(path.Root("function_name"), callerName(s), s.CallerTimeout, facts.functionTimeout))
	}
	if w.Kind == syncKindAPIGateway && facts.apiType == apiTypeREST && w.PayloadFormat != "" {
		resp.Diagnostics.Append(diagnostics.PayloadFormatIgnored(w.APIID))
	}
	if w.Kind == syncKindAPIGateway && facts.apiType == apiTypeREST && w.Path == trigger.DefaultRoute {
		resp.Diagnostics.Append(diagnostics.RESTDefaultRoute(w.APIID))
		return
	}

	plan.ID = types.StringValue(w.ID())
	plan.setDescription(w.describe(facts.syncFacts), true)
	if plan.ALB != nil {
		plan.ALB.MultiValueHeaders = types.BoolUnknown()
		if facts.targetGroupKnown {
			plan.ALB.MultiValueHeaders = types.BoolValue(facts.multiValueHeaders)
		}
	}
	if plan.FunctionURL != nil {
		plan.FunctionURL.URL = types.StringUnknown()
		if state != nil && !replace && state.FunctionURL != nil {
			plan.FunctionURL.URL = state.FunctionURL.URL
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// syncReplaced reports whether going from old to w replaces the caller: anything but a function URL's
// CORS and invoke mode does.
func syncReplaced(w, old syncWiring) bool {
	w.InvokeMode, old.InvokeMode = "", ""
	if w.Kind == syncKindAPIGateway && old.Kind == syncKindAPIGateway {
		w.PayloadFormat, old.PayloadFormat = w.payloadFormat(), old.payloadFormat()
	}
	return w != old
}

// syncReplacePaths names the attributes whose change replaces the caller, for the plan's "forces
// replacement" marks.
func syncReplacePaths(w, old syncWiring) path.Paths {
	var ps path.Paths
	add := func(changed bool, p path.Path) {
		if changed {
			ps = append(ps, p)
		}
	}
	add(w.FunctionName != old.FunctionName, path.Root("function_name"))
	add(w.Qualifier != old.Qualifier, path.Root("qualifier"))
	if w.Kind != old.Kind {
		return append(ps, path.Root(w.Kind), path.Root(old.Kind))
	}
	g := path.Root(w.Kind)
	add(w.APIID != old.APIID, g.AtName("api_id"))
	add(w.Stage != old.Stage, g.AtName("stage"))
	add(w.Method != old.Method, g.AtName("method"))
	add(w.Path != old.Path, g.AtName("path"))
	add(w.Integration != old.Integration, g.AtName("integration"))
	add(w.Kind == syncKindAPIGateway && w.payloadFormat() != old.payloadFormat(), g.AtName("payload_format_version"))
	add(w.TargetGroupARN != old.TargetGroupARN, g.AtName("target_group_arn"))
	add(w.AuthType != old.AuthType, g.AtName("authorization_type"))
	if len(ps) == 0 {
		ps = append(ps, g)
	}
	return ps
}

// syncCallerFacts are syncFacts plus what only the ALB needs.
type syncCallerFacts struct {
	syncFacts
	multiValueHeaders bool
	targetGroupKnown  bool
}

// readFacts reads the function's timeout and the caller's own facts. At plan time (strict) an API or
// target group that does not exist is an error: the configuration names it by a known ID.
func (r *syncCallerResource) readFacts(ctx context.Context, w syncWiring, strict bool) (syncCallerFacts, diag.Diagnostics) {
	var diags diag.Diagnostics
	f := syncCallerFacts{syncFacts: syncFacts{arn: arnContext(r.clients)}}

	timeout, err := findFunctionTimeout(ctx, r.clients.Lambda, w.FunctionName, w.Qualifier)
	switch {
	case isNotFound(err):
		// Created in this apply: the note waits for it.
	case err != nil:
		diags.Append(diagnostics.APIError("reading the function of", diagnostics.SyncCallerThing, w.ID(), err))
		return f, diags
	default:
		f.functionTimeout = timeout
	}

	switch w.Kind {
	case syncKindAPIGateway:
		t, err := findAPIGatewayAPIType(ctx, r.clients, w.APIID)
		switch {
		case isNotFound(err) && strict:
			diags.Append(diagnostics.APIGatewayAPINotFound(path.Root(syncKindAPIGateway).AtName("api_id"), w.APIID, err))
		case isNotFound(err):
		case err != nil:
			diags.Append(diagnostics.APIError("reading the API of", diagnostics.SyncCallerThing, w.ID(), err))
		case t == apiTypeWebSocket:
			diags.Append(diagnostics.APIGatewayWebSocket(path.Root(syncKindAPIGateway).AtName("api_id"), w.APIID))
		default:
			f.apiType = t
		}
	case syncKindALB:
		mvh, err := findTargetGroupMultiValueHeaders(ctx, r.clients.ELBv2(), w.TargetGroupARN)
		switch {
		case isNotFound(err) && strict:
			diags.AddAttributeError(path.Root(syncKindALB).AtName("target_group_arn"), "Target Group Not Found",
				fmt.Sprintf("No target group %s exists (DescribeTargetGroupAttributes). Set target_group_arn to an existing "+
					"target group of target type lambda.\n\nOriginal Error: %s", w.TargetGroupARN, err))
		case isNotFound(err):
		case err != nil:
			diags.Append(diagnostics.APIError("reading the target group of", diagnostics.SyncCallerThing, w.ID(), err))
		default:
			f.multiValueHeaders, f.targetGroupKnown = mvh, true
		}
	}
	return f, diags
}

// fill completes a planned state after apply: the values the plan could not know yet, computed from
// what is known now. Values the plan knew stay as planned, so the apply never contradicts the plan;
// the next refresh brings them up to date.
func (m *syncCallerResourceModel) fill(w syncWiring, f syncCallerFacts) {
	m.ID = types.StringValue(w.ID())
	m.setDescription(w.describe(f.syncFacts), false)
	m.nullUnknowns()
}

// setDescription writes d into m: every attribute (overwrite), or only those still unknown.
func (m *syncCallerResourceModel) setDescription(d syncDescription, overwrite bool) {
	for _, p := range []struct {
		dst *types.String
		src types.String
	}{
		{&m.InvocationType, d.InvocationType}, {&m.Principal, d.Principal}, {&m.StatementID, d.StatementID},
		{&m.SourceARN, d.SourceARN}, {&m.EventType, d.EventType}, {&m.PayloadLimit, d.PayloadLimit},
		{&m.TimeoutNote, d.TimeoutNote}, {&m.Behavior, d.Behavior},
	} {
		if overwrite || p.dst.IsUnknown() {
			*p.dst = p.src
		}
	}
}

// unknownComputed marks what cannot be computed yet (the wiring itself is not known).
func (m *syncCallerResourceModel) unknownComputed(state *syncCallerResourceModel, replace bool) {
	keep := state != nil && !replace
	for _, p := range []*types.String{&m.ID, &m.Principal, &m.StatementID, &m.SourceARN, &m.EventType, &m.PayloadLimit, &m.TimeoutNote, &m.Behavior} {
		if !keep {
			*p = types.StringUnknown()
		}
	}
	m.InvocationType = types.StringValue(trigger.InvocationRequestResponse)
	if m.ALB != nil && !keep {
		m.ALB.MultiValueHeaders = types.BoolUnknown()
	}
	if m.FunctionURL != nil && !keep {
		m.FunctionURL.URL = types.StringUnknown()
	}
}

// nullUnknowns leaves no unknown value in a state (a fact that stayed unknown, e.g. a function that
// does not exist, is recorded as null and read again at the next refresh).
func (m *syncCallerResourceModel) nullUnknowns() {
	for _, p := range []*types.String{&m.ID, &m.InvocationType, &m.Principal, &m.StatementID, &m.SourceARN, &m.EventType, &m.PayloadLimit, &m.TimeoutNote, &m.Behavior} {
		if p.IsUnknown() {
			*p = types.StringNull()
		}
	}
	if m.ALB != nil && m.ALB.MultiValueHeaders.IsUnknown() {
		m.ALB.MultiValueHeaders = types.BoolNull()
	}
	if m.FunctionURL != nil && m.FunctionURL.URL.IsUnknown() {
		m.FunctionURL.URL = types.StringNull()
	}
}

// wiring reads the model; known is false while a value that identifies the wiring is unknown.
func (m *syncCallerResourceModel) wiring() (syncWiring, bool) {
	known := true
	str := func(v types.String, def string) string {
		if v.IsUnknown() {
			known = false
			return ""
		}
		if v.IsNull() {
			return def
		}
		return v.ValueString()
	}
	w := syncWiring{FunctionName: str(m.FunctionName, ""), Qualifier: str(m.Qualifier, "")}
	switch {
	case m.APIGateway != nil:
		g := m.APIGateway
		w.Kind = syncKindAPIGateway
		w.APIID = str(g.APIID, "")
		w.Stage = str(g.Stage, trigger.Wildcard)
		w.Method = str(g.Method, trigger.Wildcard)
		w.Path = str(g.Path, trigger.Wildcard)
		w.PayloadFormat = str(g.PayloadFormatVersion, "")
		if g.Integration.IsUnknown() {
			known = false
		}
		w.Integration = g.Integration.ValueBool()
	case m.ALB != nil:
		w.Kind = syncKindALB
		w.TargetGroupARN = str(m.ALB.TargetGroupARN, "")
	case m.FunctionURL != nil:
		w.Kind = syncKindFunctionURL
		w.AuthType = str(m.FunctionURL.AuthorizationType, "")
		w.InvokeMode = str(m.FunctionURL.InvokeMode, "")
	}
	return w, known
}

// arnContext is the account the provider acts in.
func arnContext(c *conns.Clients) trigger.ARNContext {
	return trigger.ARNContext{Partition: c.Partition, Region: c.Region, AccountID: c.AccountID}
}

// optionalString is null when s is the default, so imports match configurations that leave it unset.
func optionalString(s, def string) types.String {
	if s == def {
		return types.StringNull()
	}
	return types.StringValue(s)
}

type syncCallerResourceModel struct {
	ID             types.String          `tfsdk:"id"`
	FunctionName   types.String          `tfsdk:"function_name"`
	Qualifier      types.String          `tfsdk:"qualifier"`
	InvocationType types.String          `tfsdk:"invocation_type"`
	Principal      types.String          `tfsdk:"principal"`
	StatementID    types.String          `tfsdk:"statement_id"`
	SourceARN      types.String          `tfsdk:"source_arn"`
	EventType      types.String          `tfsdk:"event_type"`
	PayloadLimit   types.String          `tfsdk:"payload_limit"`
	TimeoutNote    types.String          `tfsdk:"timeout_note"`
	Behavior       types.String          `tfsdk:"behavior"`
	APIGateway     *syncAPIGatewayModel  `tfsdk:"api_gateway"`
	ALB            *syncALBModel         `tfsdk:"alb"`
	FunctionURL    *syncFunctionURLModel `tfsdk:"function_url"`
}

type syncAPIGatewayModel struct {
	APIID                types.String `tfsdk:"api_id"`
	Stage                types.String `tfsdk:"stage"`
	Method               types.String `tfsdk:"method"`
	Path                 types.String `tfsdk:"path"`
	Integration          types.Bool   `tfsdk:"integration"`
	PayloadFormatVersion types.String `tfsdk:"payload_format_version"`
}

type syncALBModel struct {
	TargetGroupARN    types.String `tfsdk:"target_group_arn"`
	MultiValueHeaders types.Bool   `tfsdk:"multi_value_headers"`
}

type syncFunctionURLModel struct {
	AuthorizationType types.String   `tfsdk:"authorization_type"`
	InvokeMode        types.String   `tfsdk:"invoke_mode"`
	URL               types.String   `tfsdk:"function_url"`
	CORS              *syncCORSModel `tfsdk:"cors"`
}

type syncCORSModel struct {
	AllowCredentials types.Bool  `tfsdk:"allow_credentials"`
	AllowHeaders     types.Set   `tfsdk:"allow_headers"`
	AllowMethods     types.Set   `tfsdk:"allow_methods"`
	AllowOrigins     types.Set   `tfsdk:"allow_origins"`
	ExposeHeaders    types.Set   `tfsdk:"expose_headers"`
	MaxAge           types.Int64 `tfsdk:"max_age"`
}
