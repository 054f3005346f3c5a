package trigger

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// The trigger catalog: one row per AWS service that can trigger a function (the nineteen services of
// the mission, with API Gateway's REST and HTTP APIs as two rows, plus function URLs), from
// shared/design/SEMANTICS.md sections D and F. The provider reads it for schemas, plan-time checks and
// the plan preview; the simulator reads it to build events and choose the delivery path.

// Model is how a service invokes a function.
type Model string

const (
	ModelSync  Model = "synchronous"  // the caller waits for the answer (RequestResponse)
	ModelAsync Model = "asynchronous" // Lambda queues the event, retries, routes the result (Event)
	ModelPoll  Model = "poll"         // an event source mapping polls, batches and invokes
)

// Invocation types of the Invoke API (X-Amz-Invocation-Type).
const (
	InvocationRequestResponse = "RequestResponse"
	InvocationEvent           = "Event"
)

// Sizes, in bytes.
const (
	KB = 1024
	MB = 1024 * 1024

	// SyncPayloadMaxBytes is Invoke's request and response limit for RequestResponse (SEMANTICS A1).
	SyncPayloadMaxBytes = 6 * MB
	// AsyncPayloadMaxBytes is Invoke's request limit for Event, raised from 256 KB in October 2025.
	AsyncPayloadMaxBytes = 1 * MB
	// StreamedResponseMaxBytes is the largest response of InvokeWithResponseStream (SEMANTICS A1).
	StreamedResponseMaxBytes = 200 * MB
)

// Service keys of the catalog's rows.
const (
	ServiceALB             = "alb"
	ServiceAPIGatewayREST  = "apigateway_rest"
	ServiceAPIGatewayHTTP  = "apigateway_http"
	ServiceFunctionURL     = "function_url"
	ServiceCognito         = "cognito_idp"
	ServiceLexV2           = "lexv2"
	ServiceAlexa           = "alexa"
	ServiceCloudFront      = "cloudfront"
	ServiceFirehose        = "firehose"
	ServiceS3              = "s3"
	ServiceSNS             = "sns"
	ServiceSES             = "ses"
	ServiceCloudFormation  = "cloudformation"
	ServiceCloudWatchLogs  = "logs"
	ServiceEventBridge     = "events"
	ServiceCodeCommit      = "codecommit"
	ServiceConfig          = "config"
	ServiceSQS             = "sqs"
	ServiceKinesis         = "kinesis"
	ServiceDynamoDBStreams = "dynamodb_streams"
)

// ARNContext is what every source ARN is built in.
type ARNContext struct {
	Partition string // "aws" when empty
	Region    string
	AccountID string
}

func (c ARNContext) partition() string {
	if c.Partition == "" {
		return "aws"
	}
	return c.Partition
}

// PayloadLimit is the largest request and response a service passes to and from a function.
type PayloadLimit struct {
	RequestBytes  int64
	ResponseBytes int64
	Note          string // where the limit comes from, or how it varies
}

// String is the limit for people, e.g. "6 MB request, 6 MB response".
func (l PayloadLimit) String() string {
	if l.RequestBytes == 0 && l.ResponseBytes == 0 {
		return "not documented"
	}
	s := ByteSize(l.RequestBytes) + " request, " + ByteSize(l.ResponseBytes) + " response"
	if l.ResponseBytes == 0 {
		s = ByteSize(l.RequestBytes) + " request (the response is ignored)"
	}
	return s
}

// ByteSize writes n in the units AWS's pages use: "6 MB", "256 KB", "100 bytes".
func ByteSize(n int64) string {
	switch {
	case n >= MB && n%MB == 0:
		return fmt.Sprintf("%d MB", n/MB)
	case n >= KB && n%KB == 0:
		return fmt.Sprintf("%d KB", n/KB)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}

// Service is one row of the catalog.
type Service struct {
	Key  string // one of the Service* constants
	Name string // the service as AWS names it
	// Model and InvocationType: how the service invokes (InvocationType is "" for event source
	// mappings, whose pollers invoke synchronously on the service's behalf).
	Model          Model
	InvocationType string
	// Principal is the lambda:AddPermission principal; "" when the service needs no resource-based
	// policy (its role or the execution role carries the permission).
	Principal string
	// SourceARNForm documents the AddPermission SourceArn; SourceARN builds it from the row's
	// parts, in the order SourceARNForm names them. Both are empty/nil when there is none.
	SourceARNForm string
	SourceARN     func(c ARNContext, parts ...string) string
	// Wiring is the service-side call that points the service at the function.
	Wiring string
	// EventType and ResponseType are the github.com/aws/aws-lambda-go/events type names ("" where
	// aws-lambda-go has none).
	EventType    string
	ResponseType string
	Payload      PayloadLimit
	// CallerTimeout is how long the caller waits for the answer; 0 when it has no timeout of its
	// own (the function's timeout is the only bound) or the model is not synchronous.
	CallerTimeout time.Duration
	Notes         string
}

// Lookup returns the row of a service key.
func Lookup(key string) (Service, bool) {
	for _, s := range Catalog {
		if s.Key == key {
			return s, true
		}
	}
	return Service{}, false
}

// ByModel returns the rows of one invocation model, in catalog order.
func ByModel(m Model) []Service {
	var out []Service
	for _, s := range Catalog {
		if s.Model == m {
			out = append(out, s)
		}
	}
	return out
}

// arnOf builds arn:<partition>:<service>:<region>:<account>:<resource>.
func arnOf(c ARNContext, service, resource string) string {
	return "arn:" + c.partition() + ":" + service + ":" + c.Region + ":" + c.AccountID + ":" + resource
}

func part(parts []string, i int) string {
	if i < len(parts) {
		return parts[i]
	}
	return ""
}

// Catalog is the table. Every value comes from SEMANTICS.md D and F.
var Catalog = []Service{
	{
		Key: ServiceALB, Name: "Elastic Load Balancing (Application Load Balancer)",
		Model: ModelSync, InvocationType: InvocationRequestResponse,
		Principal:     "elasticloadbalancing.amazonaws.com",
		SourceARNForm: "<target group ARN>",
		SourceARN:     func(_ ARNContext, parts ...string) string { return part(parts, 0) },
		Wiring:        "CreateTargetGroup TargetType=lambda, then RegisterTargets Id=<function or alias ARN> (one function per target group, same account and Region)",
		EventType:     "ALBTargetGroupRequest", ResponseType: "ALBTargetGroupResponse",
		Payload: PayloadLimit{RequestBytes: 1 * MB, ResponseBytes: 1 * MB, Note: "request and response bodies; no WebSockets"},
		Notes:   "No caller timeout of its own is documented for Lambda targets: the function's timeout bounds the call. Multi-value headers follow the target group attribute lambda.multi_value_headers.enabled. A malformed response gives 502.",
	},
	{
		Key: ServiceAPIGatewayREST, Name: "Amazon API Gateway (REST API)",
		Model: ModelSync, InvocationType: InvocationRequestResponse,
		Principal:     "apigateway.amazonaws.com",
		SourceARNForm: "arn:aws:execute-api:<region>:<account>:<api_id>/<stage>/<METHOD>/<path>",
		SourceARN: func(c ARNContext, parts ...string) string {
			return ExecuteAPISourceARN(c, part(parts, 0), part(parts, 1), part(parts, 2), part(parts, 3))
		},
		Wiring:    "PutIntegration type=AWS_PROXY, integrationHttpMethod=POST, uri=arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations; then CreateDeployment to the stage",
		EventType: "APIGatewayProxyRequest", ResponseType: "APIGatewayProxyResponse",
		Payload:       PayloadLimit{RequestBytes: SyncPayloadMaxBytes, ResponseBytes: SyncPayloadMaxBytes, Note: "Lambda's synchronous limit (API Gateway itself takes 10 MB)"},
		CallerTimeout: 29 * time.Second,
		Notes:         "The 29 s default integration timeout can be raised for Regional and private REST APIs since June 2024. A missing permission gives 500, a malformed response 502, a timeout 504. No retries.",
	},
	{
		Key: ServiceAPIGatewayHTTP, Name: "Amazon API Gateway (HTTP API)",
		Model: ModelSync, InvocationType: InvocationRequestResponse,
		Principal:     "apigateway.amazonaws.com",
		SourceARNForm: "arn:aws:execute-api:<region>:<account>:<api_id>/<stage>/<METHOD><path>, or .../<stage>/$default",
		SourceARN: func(c ARNContext, parts ...string) string {
			return ExecuteAPISourceARN(c, part(parts, 0), part(parts, 1), part(parts, 2), part(parts, 3))
		},
		Wiring:    "CreateIntegration IntegrationType=AWS_PROXY, PayloadFormatVersion 1.0|2.0, then CreateRoute RouteKey=\"<METHOD> <path>\" Target=integrations/<id>",
		EventType: "APIGatewayV2HTTPRequest", ResponseType: "APIGatewayV2HTTPResponse",
		Payload:       PayloadLimit{RequestBytes: SyncPayloadMaxBytes, ResponseBytes: SyncPayloadMaxBytes, Note: "Lambda's synchronous limit (API Gateway itself takes 10 MB)"},
		CallerTimeout: 30 * time.Second,
		Notes:         "Integration timeout 50 to 30,000 ms, 30 s by default. Payload format 1.0 delivers APIGatewayProxyRequest instead. No retries.",
	},
	{
		Key: ServiceFunctionURL, Name: "AWS Lambda function URL",
		Model: ModelSync, InvocationType: InvocationRequestResponse,
		Principal:     "*",
		SourceARNForm: "",
		Wiring:        "CreateFunctionUrlConfig AuthType=NONE|AWS_IAM, InvokeMode=BUFFERED|RESPONSE_STREAM; with NONE, AddPermission lambda:InvokeFunctionUrl (FunctionUrlAuthType=NONE) and, since October 2025, lambda:InvokeFunction (InvokedViaFunctionUrl=true) for principal *",
		EventType:     "LambdaFunctionURLRequest", ResponseType: "LambdaFunctionURLResponse",
		Payload: PayloadLimit{RequestBytes: SyncPayloadMaxBytes, ResponseBytes: SyncPayloadMaxBytes, Note: "BUFFERED; RESPONSE_STREAM responses go up to 200 MB"},
		Notes:   "URL https://<url-id>.lambda-url.<region>.on.aws; the event is HTTP API payload format 2.0. AWS_IAM needs SigV4-signed requests. The function's timeout (up to 900 s) is the only bound.",
	},
	{
		Key: ServiceCognito, Name: "Amazon Cognito user pools",
		Model: ModelSync, InvocationType: InvocationRequestResponse,
		Principal:     "cognito-idp.amazonaws.com",
		SourceARNForm: "arn:aws:cognito-idp:<region>:<account>:userpool/<user_pool_id>",
		SourceARN: func(c ARNContext, parts ...string) string {
			return arnOf(c, "cognito-idp", "userpool/"+part(parts, 0))
		},
		Wiring:    "CreateUserPool/UpdateUserPool LambdaConfig{PreSignUp, PostConfirmation, PreTokenGeneration(Config), DefineAuthChallenge, ...}",
		EventType: "CognitoEventUserPools*", ResponseType: "(the event, with response filled in)",
		Payload:       PayloadLimit{RequestBytes: SyncPayloadMaxBytes, ResponseBytes: SyncPayloadMaxBytes, Note: "Lambda's synchronous limit; Cognito documents none of its own"},
		CallerTimeout: 5 * time.Second,
		Notes:         "Cognito retries a trigger that does not answer in 5 s, three attempts in all; the 5 s cannot be changed. Custom sender triggers are asynchronous.",
	},
	{
		Key: ServiceLexV2, Name: "Amazon Lex V2",
		Model: ModelSync, InvocationType: InvocationRequestResponse,
		Principal:     "lexv2.amazonaws.com",
		SourceARNForm: "arn:aws:lex:<region>:<account>:bot-alias/<bot_id>/<alias_id>",
		SourceARN: func(c ARNContext, parts ...string) string {
			return arnOf(c, "lex", "bot-alias/"+part(parts, 0)+"/"+part(parts, 1))
		},
		Wiring:    "CreateBotAlias/UpdateBotAlias botAliasLocaleSettings.<locale>.codeHookSpecification.lambdaCodeHook{lambdaARN, codeHookInterfaceVersion}",
		EventType: "", ResponseType: "",
		Payload:       PayloadLimit{RequestBytes: 12 * KB, ResponseBytes: 25 * KB, Note: "Lex V2 quotas"},
		CallerTimeout: 30 * time.Second,
		Notes:         "aws-lambda-go has only the V1 LexEvent. The principal and source ARN pair is not confirmed on an AWS page. Streaming fulfillment updates allow 1 to 900 s.",
	},
	{
		Key: ServiceAlexa, Name: "Alexa Skills Kit",
		Model: ModelSync, InvocationType: InvocationRequestResponse,
		Principal:     "alexa-appkit.amazon.com",
		SourceARNForm: "",
		Wiring:        "skill endpoint set to the function ARN (Alexa developer console or SMAPI); AddPermission EventSourceToken=<skill ID>",
		EventType:     "", ResponseType: "",
		Payload:       PayloadLimit{RequestBytes: SyncPayloadMaxBytes, ResponseBytes: 24 * KB, Note: "24 KB response (Amazon's Alexa documentation)"},
		CallerTimeout: 8 * time.Second,
		Notes:         "Smart home skills use alexa-connectedhome.amazon.com. The 8 s timeout is not confirmed on an AWS page. aws-lambda-go has no Alexa type.",
	},
	{
		Key: ServiceCloudFront, Name: "Amazon CloudFront (Lambda@Edge)",
		Model: ModelSync, InvocationType: InvocationRequestResponse,
		Principal:     "",
		SourceARNForm: "",
		Wiring:        "CreateDistribution/UpdateDistribution CacheBehavior LambdaFunctionAssociations{EventType, LambdaFunctionARN (numbered version), IncludeBody}; function in us-east-1; execution role trusts edgelambda.amazonaws.com",
		EventType:     "", ResponseType: "",
		Payload:       PayloadLimit{RequestBytes: 40 * KB, ResponseBytes: 40 * KB, Note: "viewer events; origin events 1 MB"},
		CallerTimeout: 5 * time.Second,
		Notes:         "Viewer events 5 s, origin events 30 s. Execution error 500, invalid response 502, throttle or timeout 503. aws-lambda-go has no CloudFront type on main.",
	},
	{
		Key: ServiceFirehose, Name: "Amazon Data Firehose (data transformation)",
		Model: ModelSync, InvocationType: InvocationRequestResponse,
		Principal:     "",
		SourceARNForm: "",
		Wiring:        "CreateDeliveryStream/UpdateDestination ProcessingConfiguration{Enabled, Processors[{Type: Lambda, Parameters[LambdaArn, NumberOfRetries, BufferSizeInMBs, BufferIntervalInSeconds]}]}; the stream's role needs lambda:InvokeFunction and lambda:GetFunctionConfiguration",
		EventType:     "KinesisFirehoseEvent", ResponseType: "KinesisFirehoseResponse",
		Payload:       PayloadLimit{RequestBytes: SyncPayloadMaxBytes, ResponseBytes: SyncPayloadMaxBytes},
		CallerTimeout: 5 * time.Minute,
		Notes:         "Buffers 0.2 to 3 MB (1 MB default) and 60 s by default before invoking; retries a failed invocation 3 times by default, then the records count as ProcessingFailed.",
	},
	{
		Key: ServiceS3, Name: "Amazon S3 event notifications",
		Model: ModelAsync, InvocationType: InvocationEvent,
		Principal:     "s3.amazonaws.com",
		SourceARNForm: "arn:aws:s3:::<bucket>",
		SourceARN: func(c ARNContext, parts ...string) string {
			return "arn:" + c.partition() + ":s3:::" + part(parts, 0)
		},
		Wiring:    "PutBucketNotificationConfiguration LambdaFunctionConfigurations[{LambdaFunctionArn, Events, Filter}] (replaces the whole configuration; the permission must exist first)",
		EventType: "S3Event",
		Payload:   PayloadLimit{RequestBytes: AsyncPayloadMaxBytes},
		Notes:     "Add SourceAccount with the bucket ARN. S3 validates the permission at PUT time.",
	},
	{
		Key: ServiceSNS, Name: "Amazon SNS",
		Model: ModelAsync, InvocationType: InvocationEvent,
		Principal:     "sns.amazonaws.com",
		SourceARNForm: "arn:aws:sns:<region>:<account>:<topic>",
		SourceARN: func(c ARNContext, parts ...string) string {
			return arnOf(c, "sns", part(parts, 0))
		},
		Wiring:    "Subscribe Protocol=lambda, Endpoint=<function ARN>",
		EventType: "SNSEvent",
		Payload:   PayloadLimit{RequestBytes: AsyncPayloadMaxBytes},
		Notes:     "SNS retries Lambda deliveries 3 times at once, 2 after 1 s, 10 with backoff to 20 s, then 100,000 every 20 s.",
	},
	{
		Key: ServiceSES, Name: "Amazon SES email receiving",
		Model: ModelAsync, InvocationType: InvocationEvent,
		Principal:     "ses.amazonaws.com",
		SourceARNForm: "arn:aws:ses:<region>:<account>:receipt-rule-set/<rule_set>:receipt-rule/<rule>",
		SourceARN: func(c ARNContext, parts ...string) string {
			return arnOf(c, "ses", "receipt-rule-set/"+part(parts, 0)+":receipt-rule/"+part(parts, 1))
		},
		Wiring:    "CreateReceiptRule Actions[{LambdaAction{FunctionArn, InvocationType Event|RequestResponse, TopicArn}}], then SetActiveReceiptRuleSet",
		EventType: "SimpleEmailEvent", ResponseType: "SimpleEmailDisposition",
		Payload:       PayloadLimit{RequestBytes: AsyncPayloadMaxBytes},
		CallerTimeout: 30 * time.Second,
		Notes:         "InvocationType RequestResponse (30 s) lets the function answer a disposition (STOP_RULE, STOP_RULE_SET, CONTINUE); Event is the default. Add SourceAccount.",
	},
	{
		Key: ServiceCloudFormation, Name: "AWS CloudFormation custom resources",
		Model: ModelAsync, InvocationType: InvocationEvent,
		Principal:     "",
		SourceARNForm: "",
		Wiring:        "AWS::CloudFormation::CustomResource or Custom::<Name> with ServiceToken=<function ARN> (same Region), ServiceTimeout 1 to 3600 s",
		EventType:     "cfn.Event", ResponseType: "cfn.Response",
		Payload: PayloadLimit{RequestBytes: AsyncPayloadMaxBytes, Note: "the answer is a PUT of at most 4096 bytes to ResponseURL"},
		Notes:   "Types are in package github.com/aws/aws-lambda-go/cfn. The return value is ignored; only the PUT to the presigned ResponseURL counts.",
	},
	{
		Key: ServiceCloudWatchLogs, Name: "Amazon CloudWatch Logs subscription filters",
		Model: ModelAsync, InvocationType: InvocationEvent,
		Principal:     "logs.amazonaws.com",
		SourceARNForm: "arn:aws:logs:<region>:<account>:log-group:<log_group>:*",
		SourceARN: func(c ARNContext, parts ...string) string {
			return arnOf(c, "logs", "log-group:"+part(parts, 0)+":*")
		},
		Wiring:    "PutSubscriptionFilter logGroupName, filterName, filterPattern, destinationArn=<function ARN>",
		EventType: "CloudwatchLogsEvent",
		Payload:   PayloadLimit{RequestBytes: AsyncPayloadMaxBytes},
		Notes:     "At most 2 subscription filters per log group. The data is gzip-compressed and base64-encoded. Older pages use the principal logs.<region>.amazonaws.com.",
	},
	{
		Key: ServiceEventBridge, Name: "Amazon EventBridge (CloudWatch Events)",
		Model: ModelAsync, InvocationType: InvocationEvent,
		Principal:     "events.amazonaws.com",
		SourceARNForm: "arn:aws:events:<region>:<account>:rule/[<event_bus>/]<rule>",
		SourceARN: func(c ARNContext, parts ...string) string {
			bus, rule := part(parts, 0), part(parts, 1)
			if bus == "" || bus == "default" {
				return arnOf(c, "events", "rule/"+rule)
			}
			return arnOf(c, "events", "rule/"+bus+"/"+rule)
		},
		Wiring:    "PutRule (pattern or schedule), then PutTargets {Id, Arn, RetryPolicy, DeadLetterConfig}",
		EventType: "CloudWatchEvent",
		Payload:   PayloadLimit{RequestBytes: AsyncPayloadMaxBytes},
		Notes:     "EventBridge retries delivery for 24 h and 185 attempts by default (RetryPolicy 0 to 185, 60 to 86400 s).",
	},
	{
		Key: ServiceCodeCommit, Name: "AWS CodeCommit triggers",
		Model: ModelAsync, InvocationType: InvocationEvent,
		Principal:     "codecommit.amazonaws.com",
		SourceARNForm: "arn:aws:codecommit:<region>:<account>:<repository>",
		SourceARN: func(c ARNContext, parts ...string) string {
			return arnOf(c, "codecommit", part(parts, 0))
		},
		Wiring:    "PutRepositoryTriggers (replaces every trigger) {name, destinationArn, customData, branches, events}",
		EventType: "CodeCommitEvent",
		Payload:   PayloadLimit{RequestBytes: AsyncPayloadMaxBytes},
		Notes:     "At most 10 triggers per repository; the function must be in the repository's Region.",
	},
	{
		Key: ServiceConfig, Name: "AWS Config custom Lambda rules",
		Model: ModelAsync, InvocationType: InvocationEvent,
		Principal:     "config.amazonaws.com",
		SourceARNForm: "",
		Wiring:        "PutConfigRule Source{Owner: CUSTOM_LAMBDA, SourceIdentifier: <function ARN>, SourceDetails}; the function answers with PutEvaluations and the resultToken",
		EventType:     "ConfigEvent",
		Payload:       PayloadLimit{RequestBytes: AsyncPayloadMaxBytes},
		Notes:         "Use SourceAccount, not SourceArn: the rule ARN exists only after PutConfigRule, which checks the permission (a cycle).",
	},
	{
		Key: ServiceSQS, Name: "Amazon SQS",
		Model: ModelPoll, InvocationType: "",
		Principal: "",
		Wiring:    "CreateEventSourceMapping EventSourceArn=<queue ARN>; the execution role needs sqs:ReceiveMessage, DeleteMessage, GetQueueAttributes",
		EventType: "SQSEvent", ResponseType: "SQSEventResponse",
		Payload: PayloadLimit{RequestBytes: SyncPayloadMaxBytes, ResponseBytes: SyncPayloadMaxBytes, Note: "per batch"},
		Notes:   "Batch size 10 by default, up to 10,000 for standard queues and 10 for FIFO. ReportBatchItemFailures for partial batches.",
	},
	{
		Key: ServiceKinesis, Name: "Amazon Kinesis Data Streams",
		Model: ModelPoll, InvocationType: "",
		Principal: "",
		Wiring:    "CreateEventSourceMapping EventSourceArn=<stream or consumer ARN>; the role needs kinesis:DescribeStream(Summary), GetRecords, GetShardIterator, ListShards, ListStreams, SubscribeToShard",
		EventType: "KinesisEvent", ResponseType: "KinesisEventResponse",
		Payload: PayloadLimit{RequestBytes: SyncPayloadMaxBytes, ResponseBytes: SyncPayloadMaxBytes, Note: "per batch"},
		Notes:   "Errors retry the batch until success or record expiry, blocking the shard, unless MaximumRetryAttempts, bisection or an on-failure destination say otherwise.",
	},
	{
		Key: ServiceDynamoDBStreams, Name: "Amazon DynamoDB Streams",
		Model: ModelPoll, InvocationType: "",
		Principal: "",
		Wiring:    "CreateEventSourceMapping EventSourceArn=<stream ARN>; the role needs dynamodb:DescribeStream, GetRecords, GetShardIterator, ListStreams",
		EventType: "DynamoDBEvent", ResponseType: "DynamoDBEventResponse",
		Payload: PayloadLimit{RequestBytes: SyncPayloadMaxBytes, ResponseBytes: SyncPayloadMaxBytes, Note: "per batch"},
		Notes:   "Polled 4 times a second per shard; no AT_TIMESTAMP starting position.",
	},
}

// Sync callers: the HTTP front doors of the synchronous model (API Gateway, ALB, function URLs).

// APIGatewayMethods are the HTTP methods API Gateway routes; ANY (or "*") stands for all of them.
var APIGatewayMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"}

// Wildcard is the "any stage / any method / any path" value of a sync caller.
const Wildcard = "*"

// DefaultRoute is the HTTP API route (and stage) that catches requests no other route matches.
const DefaultRoute = "$default"

var (
	stageNamePattern   = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,128}$`)
	apiPathPattern     = regexp.MustCompile(`^/[a-zA-Z0-9._~:@!$&'()+,;=%{}/-]*$`)
	pathParamPattern   = regexp.MustCompile(`\{[a-zA-Z0-9._-]+\+?\}`)
	targetGroupPattern = regexp.MustCompile(`^arn:aws[a-zA-Z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup/[a-zA-Z0-9-]{1,32}/[0-9a-f]+$`)
)

// APIGatewayMethod is the method as a source ARN and a route carry it: upper case, "*" for ANY.
func APIGatewayMethod(method string) string {
	m := strings.ToUpper(method)
	if m == "ANY" || m == "" {
		return Wildcard
	}
	return m
}

// RouteMethod is the method as a route key or a REST method names it: ANY for "*".
func RouteMethod(method string) string {
	if m := APIGatewayMethod(method); m != Wildcard {
		return m
	}
	return "ANY"
}

// ExecuteAPISourceARN is the SourceArn with which API Gateway invokes a function for a stage, method
// and resource path, in the form AWS's own SAM translator writes: <api>/<stage>/<METHOD><path>,
// "*" for any stage, ANY method or any path, path parameters ({id}, {proxy+}) as "*", no trailing
// slash, and <api>/<stage>/$default for an HTTP API's $default route. Lambda matches it with
// ArnLike, where "*" also spans "/".
func ExecuteAPISourceARN(c ARNContext, apiID, stage, method, path string) string {
	if stage == "" {
		stage = Wildcard
	}
	resource := apiID + "/" + stage + "/"
	switch path {
	case DefaultRoute:
		resource += DefaultRoute
	case "", Wildcard:
		resource += APIGatewayMethod(method) + "/" + Wildcard
	default:
		resource += APIGatewayMethod(method) + SourceARNPath(path)
	}
	return "arn:" + c.partition() + ":execute-api:" + c.Region + ":" + c.AccountID + ":" + resource
}

// SourceARNPath is a resource path as a source ARN carries it: parameters as "*", no trailing slash
// (API Gateway drops it), "/" for the root.
func SourceARNPath(path string) string {
	p := pathParamPattern.ReplaceAllString(path, Wildcard)
	if len(p) > 1 {
		p = strings.TrimRight(p, "/")
		if p == "" {
			p = "/"
		}
	}
	return p
}

// ValidateAPIGatewayStage checks a stage: "*" for any, $default, or a stage name.
func ValidateAPIGatewayStage(stage string) error {
	if stage == Wildcard || stage == DefaultRoute || stageNamePattern.MatchString(stage) {
		return nil
	}
	return fmt.Errorf("stage %q must be \"*\" (any stage), \"$default\" or a stage name of letters, digits, hyphens and underscores", stage)
}

// ValidateAPIGatewayMethod checks a method: "*" or one of APIGatewayMethods (case-sensitive, as AWS).
func ValidateAPIGatewayMethod(method string) error {
	if method == Wildcard {
		return nil
	}
	for _, m := range APIGatewayMethods {
		if method == m {
			return nil
		}
	}
	return fmt.Errorf("method %q must be \"*\" or one of %s (upper case)", method, strings.Join(APIGatewayMethods, ", "))
}

// ValidateAPIGatewayPath checks a resource path: "*" (any path), "$default" (an HTTP API's default
// route) or a path starting with "/", with {param} or {proxy+} segments.
func ValidateAPIGatewayPath(path string) error {
	if path == Wildcard || path == DefaultRoute {
		return nil
	}
	if !strings.HasPrefix(path, "/") {
		return fmt.Errorf("path %q must start with \"/\" (or be \"*\" for any path, \"$default\" for an HTTP API's default route)", path)
	}
	if strings.Contains(path, "*") {
		return fmt.Errorf("path %q has a \"*\": use {name} or {proxy+} path parameters, or \"*\" alone for any path", path)
	}
	if strings.Contains(path, "//") || !apiPathPattern.MatchString(path) {
		return fmt.Errorf("path %q is not a resource path (letters, digits, -._~ and {parameters} between single slashes)", path)
	}
	return nil
}

// ValidateTargetGroupARN checks the ARN of an Elastic Load Balancing target group.
func ValidateTargetGroupARN(arn string) error {
	if targetGroupPattern.MatchString(arn) {
		return nil
	}
	return fmt.Errorf("%q is not a target group ARN (arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>)", arn)
}

// ValidateFunctionURLQualifier checks the qualifier of a function URL: an alias, or none. Function
// URLs cannot point at a numbered version (CreateFunctionUrlConfig's Qualifier pattern). The
// qualifier's own form is ValidateQualifier's (async.go).
func ValidateFunctionURLQualifier(q string) error {
	if err := ValidateQualifier(q); err != nil {
		return err
	}
	if versionPattern.MatchString(q) {
		return fmt.Errorf("function URLs attach to the function or to an alias, not to the numbered version %s", q)
	}
	return nil
}

// Function URL values (CreateFunctionUrlConfig).
const (
	FunctionURLAuthNone   = "NONE"
	FunctionURLAuthIAM    = "AWS_IAM"
	InvokeModeBuffered    = "BUFFERED"
	InvokeModeStream      = "RESPONSE_STREAM"
	FunctionURLCORSMaxAge = 86400 // seconds
)

// Payload format versions of HTTP API Lambda integrations.
const (
	PayloadFormat10 = "1.0"
	PayloadFormat20 = "2.0"
)
