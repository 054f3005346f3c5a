package provider

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/conns"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/provider/diagnostics"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/provider/validators"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/trigger"
)

var (
	_ datasource.DataSource              = (*functionDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*functionDataSource)(nil)
)

func newFunctionDataSource() datasource.DataSource {
	return &functionDataSource{}
}

type functionDataSource struct {
	clients *conns.Clients
}

func (d *functionDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_function"
}

func (d *functionDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, Description: desc}
	}
	resp.Schema = schema.Schema{
		Description: "Reads an existing Lambda function ($LATEST) by name.",
		Attributes: map[string]schema.Attribute{
			"function_name": schema.StringAttribute{
				Required:    true,
				Description: "Name of the function.",
				Validators:  []validator.String{validators.FunctionName()},
			},
			"arn":           computed("ARN of the function (unqualified)."),
			"qualified_arn": computed("ARN of the function's `$LATEST` version."),
			"invoke_arn":    computed("ARN API Gateway uses to invoke the function."),
			"version":       computed("Version read: `$LATEST`."),
			"runtime":       computed("Runtime identifier."),
			"handler":       computed("Entry point of the function."),
			"role":          computed("ARN of the execution role."),
			"description":   computed("Description of the function."),
			"code_sha256":   computed("Base64-encoded SHA-256 of the deployment package."),
			"last_modified": computed("When the function was last changed (ISO 8601)."),
			"state":         computed("State of the function: Pending, Active, Inactive or Failed."),
			"timeout": schema.Int64Attribute{
				Computed: true, Description: "Seconds the function may run per invocation.",
			},
			"memory_size": schema.Int64Attribute{
				Computed: true, Description: "Memory in MB.",
			},
			"reserved_concurrent_executions": schema.Int64Attribute{
				Computed: true, Description: "Reserved concurrency, or -1 when none is reserved.",
			},
			"environment": schema.SingleNestedAttribute{
				Computed:    true,
				Description: "Environment of the function.",
				Attributes: map[string]schema.Attribute{
					"variables": schema.MapAttribute{
						Computed: true, ElementType: types.StringType, Description: "Environment variables by name.",
					},
				},
			},
		},
	}
}

func (d *functionDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.clients = clientsFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *functionDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var data functionDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := data.FunctionName.ValueString()

	output, err := findFunctionByName(ctx, d.clients.Lambda, name)
	if isNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("function_name"), "Lambda Function Not Found",
			fmt.Sprintf("No Lambda function named %q exists in %s of account %s. Check function_name and the "+
				"provider's region (or simulator endpoint).\n\nOriginal Error: %s", name, d.clients.Region, d.clients.AccountID, err))
		return
	}
	if err != nil {
		resp.Diagnostics.Append(diagnostics.APIError("reading", functionThing, name, err))
		return
	}

	c := output.Configuration
	arn := aws.ToString(c.FunctionArn)
	data.ARN = types.StringValue(arn)
	data.Version = types.StringValue(trigger.VersionLatest)
	data.QualifiedARN = types.StringValue(qualifiedARN(arn, trigger.VersionLatest))
	data.InvokeARN = types.StringValue(invokeARN(d.clients, arn))
	data.Runtime = types.StringValue(string(c.Runtime))
	data.Handler = types.StringValue(aws.ToString(c.Handler))
	data.Role = types.StringValue(aws.ToString(c.Role))
	data.Description = types.StringValue(aws.ToString(c.Description))
	data.CodeSHA256 = types.StringValue(aws.ToString(c.CodeSha256))
	data.LastModified = types.StringValue(aws.ToString(c.LastModified))
	data.State = types.StringValue(string(c.State))
	data.Timeout = types.Int64Value(int64(aws.ToInt32(c.Timeout)))
	data.MemorySize = types.Int64Value(int64(aws.ToInt32(c.MemorySize)))
	data.ReservedConcurrentExecutions = types.Int64Value(flattenConcurrency(output.Concurrency))
	vars := map[string]string{}
	if c.Environment != nil {
		vars = c.Environment.Variables
	}
	data.Environment = &functionEnvironmentModel{Variables: stringMap(vars)}
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}

type functionDataSourceModel struct {
	FunctionName                 types.String              `tfsdk:"function_name"`
	ARN                          types.String              `tfsdk:"arn"`
	QualifiedARN                 types.String              `tfsdk:"qualified_arn"`
	InvokeARN                    types.String              `tfsdk:"invoke_arn"`
	Version                      types.String              `tfsdk:"version"`
	Runtime                      types.String              `tfsdk:"runtime"`
	Handler                      types.String              `tfsdk:"handler"`
	Role                         types.String              `tfsdk:"role"`
	Description                  types.String              `tfsdk:"description"`
	CodeSHA256                   types.String              `tfsdk:"code_sha256"`
	LastModified                 types.String              `tfsdk:"last_modified"`
	State                        types.String              `tfsdk:"state"`
	Timeout                      types.Int64               `tfsdk:"timeout"`
	MemorySize                   types.Int64               `tfsdk:"memory_size"`
	ReservedConcurrentExecutions types.Int64               `tfsdk:"reserved_concurrent_executions"`
	Environment                  *functionEnvironmentModel `tfsdk:"environment"`
}
