// Package conns builds the aws-sdk-go-v2 clients the provider uses, for AWS or for the simulator.
//
// There is one code path: the simulator is only a different endpoint with dummy credentials, so no
// resource ever asks which one it talks to. The precedence of endpoints, per service, is: an explicit
// Config.Endpoints entry, then Config.SimulatorEndpoint, then the SDK's own resolution (which honours
// AWS_ENDPOINT_URL_<SERVICE> and AWS_ENDPOINT_URL), then AWS's public endpoint.
package conns

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Services are the keys Config.Endpoints accepts: the AWS APIs the provider calls, or will call.
var Services = []string{
	"lambda", "sts", "iam", "sqs", "sns", "s3", "events", "logs", "kinesis",
	"dynamodb", "dynamodbstreams", "apigateway", "apigatewayv2", "elbv2",
}

// SimulatorRegion is the region used with the simulator when none is configured.
const SimulatorRegion = "us-east-1"

// Simulator credentials: the simulator accepts any unless it runs with --require-auth.
const (
	SimulatorAccessKeyID     = "test"
	SimulatorSecretAccessKey = "test"
)

// Config says where the clients go.
type Config struct {
	Region  string // empty: the SDK's resolution (AWS_REGION, the profile...)
	Profile string // empty: the SDK's resolution (AWS_PROFILE...)
	// Endpoints overrides the endpoint of single services, keyed by a name in Services.
	Endpoints map[string]string
	// SimulatorEndpoint, when set, is the endpoint of every service without its own entry in
	// Endpoints, and credentials become static dummy ones.
	SimulatorEndpoint string
	// AppID is added to the SDK's User-Agent, e.g. "terraform-provider-lambdatrigger/1.2.3".
	AppID string
}

// Clients are the configured SDK clients plus the identity they act as.
type Clients struct {
	Lambda *lambda.Client
	STS    *sts.Client

	AccountID string
	Region    string
	Partition string // "aws", "aws-cn", "aws-us-gov"...

	// AWSConfig builds clients for services added later, with their endpoint set by SetEndpoint:
	// s3.NewFromConfig(c.AWSConfig, func(o *s3.Options) { c.SetEndpoint(&o.BaseEndpoint, "s3"); o.UsePathStyle = c.S3UsePathStyle })
	AWSConfig aws.Config
	// S3UsePathStyle is true when S3 is reached through an overridden endpoint (the simulator's
	// 127.0.0.1:4566 has no <bucket>.host names), so S3 clients must set UsePathStyle.
	S3UsePathStyle bool

	endpoints map[string]string
	cache     clientCache // clients built on first use (apigateway.go, elbv2.go)
}

// New loads the SDK configuration, builds the clients and asks STS who they are.
func New(ctx context.Context, cfg Config) (*Clients, error) {
	endpoints, err := resolveEndpoints(cfg)
	if err != nil {
		return nil, err
	}

	var opts []func(*config.LoadOptions) error
	if cfg.Region != "" {
		opts = append(opts, config.WithRegion(cfg.Region))
	}
	if cfg.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(cfg.Profile))
	}
	if cfg.SimulatorEndpoint != "" {
		opts = append(opts, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(SimulatorAccessKeyID, SimulatorSecretAccessKey, "")))
	}
	if cfg.AppID != "" {
		opts = append(opts, config.WithAppID(cfg.AppID))
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("loading AWS SDK configuration: %w", err)
	}
	if awsCfg.Region == "" && cfg.SimulatorEndpoint != "" {
		awsCfg.Region = SimulatorRegion
	}
	if awsCfg.Region == "" {
		return nil, errors.New("no AWS region: set region in the provider block, AWS_REGION, or a region in the AWS profile")
	}

	c := &Clients{
		AWSConfig:      awsCfg,
		Region:         awsCfg.Region,
		endpoints:      endpoints,
		S3UsePathStyle: endpoints["s3"] != "",
	}
	c.Lambda = lambda.NewFromConfig(awsCfg, func(o *lambda.Options) { c.SetEndpoint(&o.BaseEndpoint, "lambda") })
	c.STS = sts.NewFromConfig(awsCfg, func(o *sts.Options) { c.SetEndpoint(&o.BaseEndpoint, "sts") })

	id, err := c.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return nil, fmt.Errorf("getting caller identity from STS: %w", err)
	}
	c.AccountID = aws.ToString(id.Account)
	c.Partition = partitionOf(aws.ToString(id.Arn))
	return c, nil
}

// Endpoint is the overridden endpoint of a service, or nil to let the SDK resolve it.
func (c *Clients) Endpoint(service string) *string {
	if ep, ok := c.endpoints[service]; ok {
		return aws.String(ep)
	}
	return nil
}

// SetEndpoint overrides *base with the service's endpoint when one is configured, and leaves it alone
// otherwise: the SDK has already put AWS_ENDPOINT_URL_<SERVICE> or AWS_ENDPOINT_URL there.
func (c *Clients) SetEndpoint(base **string, service string) {
	if ep := c.Endpoint(service); ep != nil {
		*base = ep
	}
}

func resolveEndpoints(cfg Config) (map[string]string, error) {
	out := map[string]string{}
	if cfg.SimulatorEndpoint != "" {
		for _, s := range Services {
			out[s] = cfg.SimulatorEndpoint
		}
	}
	var unknown []string
	for s, ep := range cfg.Endpoints {
		if !isService(s) {
			unknown = append(unknown, s)
			continue
		}
		if ep != "" {
			out[s] = ep
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("unknown service in endpoints: %s (known: %s)", strings.Join(unknown, ", "), strings.Join(Services, ", "))
	}
	return out, nil
}

func isService(name string) bool {
	for _, s := range Services {
		if s == name {
			return true
		}
	}
	return false
}

// partitionOf reads the partition from an ARN; AWS's commercial partition if it cannot.
func partitionOf(arn string) string {
	parts := strings.SplitN(arn, ":", 3)
	if len(parts) < 3 || parts[0] != "arn" || parts[1] == "" {
		return "aws"
	}
	return parts[1]
}
