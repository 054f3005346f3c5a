package iam

import (
	"crypto/sha256"
	"strings"
	"time"
)

// awsManagedPolicy is one AWS managed policy the simulator knows. Their documents are those of
// the AWS Managed Policy Reference Guide (one page per policy, e.g.
// https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaBasicExecutionRole.html),
// as of November 2026; the Lambda guide's "AWS managed policies for AWS Lambda" lists the
// Lambda ones (https://docs.aws.amazon.com/lambda/latest/dg/security-iam-awsmanpol.html).
type awsManagedPolicy struct {
	Name     string
	Path     string
	Version  string // the default version, whose document this is
	Created  time.Time
	Updated  time.Time
	Document string
}

func (p *awsManagedPolicy) ARN() string { return "arn:aws:iam::aws:policy" + p.Path + p.Name }

// ID is stable across runs: AWS's real policy IDs are not documented, so the simulator derives
// one (ANPA + 17 characters) from the name.
func (p *awsManagedPolicy) ID() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	sum := sha256.Sum256([]byte(p.Name))
	out := []byte("ANPA")
	for _, c := range sum[:17] {
		out = append(out, alphabet[int(c)%len(alphabet)])
	}
	return string(out)
}

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// awsManagedPolicies are the AWS managed policies Lambda users attach to execution roles,
// plus AdministratorAccess. Creation and edit times are the reference pages' "Policy details".
var awsManagedPolicies = []*awsManagedPolicy{
	{
		Name: "AWSLambdaBasicExecutionRole", Path: "/service-role/", Version: "v1",
		Created: date("2015-04-09T15:03:43Z"), Updated: date("2015-04-09T15:03:43Z"),
		Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}`,
	},
	{
		// https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaSQSQueueExecutionRole.html
		Name: "AWSLambdaSQSQueueExecutionRole", Path: "/service-role/", Version: "v1",
		Created: date("2018-06-14T21:50:45Z"), Updated: date("2018-06-14T21:50:45Z"),
		Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:ReceiveMessage","sqs:DeleteMessage","sqs:GetQueueAttributes","logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}`,
	},
	{
		// https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaKinesisExecutionRole.html
		Name: "AWSLambdaKinesisExecutionRole", Path: "/service-role/", Version: "v2",
		Created: date("2015-04-09T15:14:16Z"), Updated: date("2018-11-19T20:09:24Z"),
		Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kinesis:DescribeStream","kinesis:DescribeStreamSummary","kinesis:GetRecords","kinesis:GetShardIterator","kinesis:ListShards","kinesis:ListStreams","kinesis:SubscribeToShard","logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}`,
	},
	{
		// https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaDynamoDBExecutionRole.html
		Name: "AWSLambdaDynamoDBExecutionRole", Path: "/service-role/", Version: "v1",
		Created: date("2015-04-09T15:09:29Z"), Updated: date("2015-04-09T15:09:29Z"),
		Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:DescribeStream","dynamodb:GetRecords","dynamodb:GetShardIterator","dynamodb:ListStreams","logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}`,
	},
	{
		// https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaRole.html
		Name: "AWSLambdaRole", Path: "/service-role/", Version: "v1",
		Created: date("2015-02-06T18:41:28Z"), Updated: date("2015-02-06T18:41:28Z"),
		Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["lambda:InvokeFunction"],"Resource":["*"]}]}`,
	},
	{
		// https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html
		Name: "AdministratorAccess", Path: "/", Version: "v1",
		Created: date("2015-02-06T18:39:46Z"), Updated: date("2015-02-06T18:39:46Z"),
		Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
	},
}

// findAWSManaged returns the AWS managed policy with that ARN, or nil.
func findAWSManaged(arn string) *awsManagedPolicy {
	if !strings.HasPrefix(arn, "arn:aws:iam::aws:policy/") {
		return nil
	}
	for _, p := range awsManagedPolicies {
		if p.ARN() == arn {
			return p
		}
	}
	return nil
}
