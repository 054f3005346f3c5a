package esm_test

import (
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/esm"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/dynamodb"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/iam"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/kinesis"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/sqs"
)

// The services sim.go builds fill every member of esm.Config (a compile-time check of the wiring).
var _ = esm.Config{
	Invoker:   (*invoke.Invoker)(nil),
	Functions: (*lambda.Service)(nil),
	SQS:       (*sqs.Service)(nil),
	Kinesis:   (*kinesis.Service)(nil),
	DynamoDB:  (*dynamodb.Service)(nil),
	Roles:     (*iam.Service)(nil),
}
