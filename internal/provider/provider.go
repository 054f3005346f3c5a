// Package provider is the lambdatrigger Terraform provider (terraform-plugin-framework, protocol 6).
//
// It always talks to Lambda through aws-sdk-go-v2 clients built by internal/conns; the simulator block
// only changes their endpoint, so no resource knows whether it runs against AWS or the simulator.
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/conns"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/provider/diagnostics"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/provider/validators"
)

// DefaultSimulatorEndpoint is where `simulator serve` listens unless told otherwise.
const DefaultSimulatorEndpoint = "http://127.0.0.1:4566"

var _ provider.Provider = (*lambdatriggerProvider)(nil)

// New returns the provider's constructor for providerserver.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &lambdatriggerProvider{version: version}
	}
}

type lambdatriggerProvider struct {
	version string
}

func (p *lambdatriggerProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "lambdatrigger"
	resp.Version = p.version
}

func (p *lambdatriggerProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	endpoints := map[string]schema.Attribute{}
	for _, s := range conns.Services {
		endpoints[s] = schema.StringAttribute{
			Optional:    true,
			Description: "Endpoint URL of the " + s + " API, overriding the simulator block and AWS_ENDPOINT_URL* for that service.",
			Validators:  []validator.String{validators.EndpointURL()},
		}
	}
	resp.Schema = schema.Schema{
		Description: "Describes how AWS Lambda functions are triggered, against AWS or the bundled local simulator.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				Optional:    true,
				Description: "AWS region. Defaults to the SDK's resolution (AWS_REGION, the profile); us-east-1 with the simulator.",
			},
			"profile": schema.StringAttribute{
				Optional:    true,
				Description: "Named profile of the shared AWS configuration files. Defaults to AWS_PROFILE.",
			},
		},
		Blocks: map[string]schema.Block{
			"endpoints": schema.SingleNestedBlock{
				Description: "Per-service endpoint overrides.",
				Attributes:  endpoints,
			},
			"simulator": schema.SingleNestedBlock{
				Description: "Send every call to the bundled local simulator, with dummy credentials, instead of AWS.",
				Attributes: map[string]schema.Attribute{
					"endpoint": schema.StringAttribute{
						Optional:    true,
						Description: "Address of the simulator. Defaults to " + DefaultSimulatorEndpoint + ".",
						Validators:  []validator.String{validators.EndpointURL()},
					},
				},
			},
		},
	}
}

func (p *lambdatriggerProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var data providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}

	cfg, ok := data.expand(resp)
	if !ok {
		return
	}
	cfg.AppID = "terraform-provider-lambdatrigger/" + p.version

	clients, err := conns.New(ctx, cfg)
	if err != nil {
		resp.Diagnostics.Append(diagnostics.ConfigureError(err))
		return
	}
	tflog.Debug(ctx, "configured AWS clients", map[string]any{
		"account_id": clients.AccountID, "region": clients.Region, "simulator_endpoint": cfg.SimulatorEndpoint,
	})
	resp.ResourceData = clients
	resp.DataSourceData = clients
}

func (p *lambdatriggerProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		newFunctionResource,
		newAsyncSourceResource,
		newPollMappingResource,
		newSyncCallerResource,
		newAsyncInvokeConfigResource,
	}
}

func (p *lambdatriggerProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newFunctionDataSource,
	}
}

// expand turns the provider block into a conns.Config. Values unknown at plan time cannot configure
// clients, so they are errors that name the attribute.
func (m providerModel) expand(resp *provider.ConfigureResponse) (conns.Config, bool) {
	unknown := func(p path.Path) {
		resp.Diagnostics.AddAttributeError(p, "Unknown Provider Configuration Value",
			"The provider needs "+p.String()+" to build its AWS clients, but its value is not known until apply. "+
				"Set it to a literal or a variable, not to an attribute of a resource.")
	}
	var cfg conns.Config
	for name, v := range map[string]types.String{"region": m.Region, "profile": m.Profile} {
		if v.IsUnknown() {
			unknown(path.Root(name))
		}
	}
	cfg.Region = m.Region.ValueString()
	cfg.Profile = m.Profile.ValueString()

	if m.Endpoints != nil {
		cfg.Endpoints = map[string]string{}
		for name, v := range m.Endpoints.byService() {
			if v.IsUnknown() {
				unknown(path.Root("endpoints").AtName(name))
				continue
			}
			if !v.IsNull() {
				cfg.Endpoints[name] = v.ValueString()
			}
		}
	}
	if m.Simulator != nil {
		switch ep := m.Simulator.Endpoint; {
		case ep.IsUnknown():
			unknown(path.Root("simulator").AtName("endpoint"))
		case ep.IsNull() || ep.ValueString() == "":
			cfg.SimulatorEndpoint = DefaultSimulatorEndpoint
		default:
			cfg.SimulatorEndpoint = ep.ValueString()
		}
	}
	return cfg, !resp.Diagnostics.HasError()
}

type providerModel struct {
	Region    types.String    `tfsdk:"region"`
	Profile   types.String    `tfsdk:"profile"`
	Endpoints *endpointsModel `tfsdk:"endpoints"`
	Simulator *simulatorModel `tfsdk:"simulator"`
}

type simulatorModel struct {
	Endpoint types.String `tfsdk:"endpoint"`
}

// endpointsModel has one attribute per name in conns.Services.
type endpointsModel struct {
	Lambda          types.String `tfsdk:"lambda"`
	STS             types.String `tfsdk:"sts"`
	IAM             types.String `tfsdk:"iam"`
	SQS             types.String `tfsdk:"sqs"`
	SNS             types.String `tfsdk:"sns"`
	S3              types.String `tfsdk:"s3"`
	Events          types.String `tfsdk:"events"`
	Logs            types.String `tfsdk:"logs"`
	Kinesis         types.String `tfsdk:"kinesis"`
	DynamoDB        types.String `tfsdk:"dynamodb"`
	DynamoDBStreams types.String `tfsdk:"dynamodbstreams"`
	APIGateway      types.String `tfsdk:"apigateway"`
	APIGatewayV2    types.String `tfsdk:"apigatewayv2"`
	ELBv2           types.String `tfsdk:"elbv2"`
}

func (m endpointsModel) byService() map[string]types.String {
	return map[string]types.String{
		"lambda": m.Lambda, "sts": m.STS, "iam": m.IAM, "sqs": m.SQS, "sns": m.SNS, "s3": m.S3,
		"events": m.Events, "logs": m.Logs, "kinesis": m.Kinesis, "dynamodb": m.DynamoDB,
		"dynamodbstreams": m.DynamoDBStreams, "apigateway": m.APIGateway, "apigatewayv2": m.APIGatewayV2,
		"elbv2": m.ELBv2,
	}
}
