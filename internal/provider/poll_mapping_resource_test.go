package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	kinesistypes "github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/acctest"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/provider"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

const pollMappingResourceName = "lambdatrigger_poll_mapping.test"

// Source ARNs for plan-only tests: nothing is created, so they need not exist.
const (
	pollTestQueueARN     = "arn:aws:sqs:us-east-1:000000000000:orders"
	pollTestFIFOQueueARN = "arn:aws:sqs:us-east-1:000000000000:orders.fifo"
	pollTestStreamARN    = "arn:aws:kinesis:us-east-1:000000000000:stream/clicks"
	pollTestDDBStreamARN = "arn:aws:dynamodb:us-east-1:000000000000:table/users/stream/2024-01-01T00:00:00.000"
	pollTestDLQARN       = "arn:aws:sqs:us-east-1:000000000000:clicks-dlq"
)

// Every rule Lambda applies across fields fails at plan time, before anything is created.
func TestAccPollMapping_validation(t *testing.T) {
	env := acctest.NewEnv(t)
	step := func(source, settings, want string) resource.TestStep {
		return resource.TestStep{
			Config:      testAccPollMappingConfig_plain(env, source, settings),
			PlanOnly:    true,
			ExpectError: wrapped(want),
		}
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			step("arn:aws:sns:us-east-1:000000000000:topic", "", `Invalid Event Source ARN`),
			step("arn:aws:dynamodb:us-east-1:000000000000:table/users", `starting_position = "LATEST"`, `not the ARN of a DynamoDB stream`),
			step(pollTestStreamARN, "", `needs a starting position`),
			step(pollTestDDBStreamARN, "", `needs a starting position`),
			step(pollTestQueueARN, `starting_position = "LATEST"`, `SQS queue has no starting position`),
			step(pollTestDDBStreamARN, `starting_position = "AT_TIMESTAMP"`, `AT_TIMESTAMP is not a starting position of a dynamodb`),
			step(pollTestStreamARN, `starting_position = "AT_TIMESTAMP"`, `needs starting_position_timestamp`),
			step(pollTestStreamARN, "starting_position = \"LATEST\"\n  starting_position_timestamp = \"2024-01-01T00:00:00Z\"", `only applies with starting position AT_TIMESTAMP`),
			step(pollTestStreamARN, "starting_position = \"AT_TIMESTAMP\"\n  starting_position_timestamp = \"yesterday\"", `Invalid Starting Position Timestamp`),
			step(pollTestStreamARN, `starting_position = "OLDEST"`, `Invalid Starting Position`),
			step(pollTestQueueARN, `batch_size = 100`, `over 10 \(here 100\) needs maximum_batching_window_in_seconds`),
			step(pollTestQueueARN, `batch_size = 10001`, `out of range`),
			step(pollTestFIFOQueueARN, `batch_size = 11`, `too large for a FIFO queue`),
			step(pollTestFIFOQueueARN, `maximum_batching_window_in_seconds = 5`, `FIFO queue has no batching window`),
			step(pollTestQueueARN, `maximum_batching_window_in_seconds = 301`, `out of range`),
			step(pollTestQueueARN, `bisect_batch_on_function_error = true`, `applies to Kinesis and DynamoDB streams only`),
			step(pollTestQueueARN, `maximum_retry_attempts = 2`, `applies to Kinesis and DynamoDB streams only`),
			step(pollTestQueueARN, `maximum_record_age_in_seconds = 60`, `applies to Kinesis and DynamoDB streams only`),
			step(pollTestQueueARN, `parallelization_factor = 2`, `applies to Kinesis and DynamoDB streams only`),
			step(pollTestQueueARN, `tumbling_window_in_seconds = 60`, `applies to Kinesis and DynamoDB streams only`),
			step(pollTestQueueARN, fmt.Sprintf("destination_config {\n    on_failure {\n      destination_arn = %q\n    }\n  }", pollTestDLQARN), `applies to Kinesis and DynamoDB streams only`),
			step(pollTestStreamARN, "starting_position = \"LATEST\"\n  scaling_config {\n    maximum_concurrency = 5\n  }", `scaling_config applies to SQS queues only`),
			step(pollTestQueueARN, "scaling_config {\n    maximum_concurrency = 1\n  }", `maximum concurrency 1 is out of range`),
			step(pollTestStreamARN, "starting_position = \"LATEST\"\n  maximum_record_age_in_seconds = 30", `maximum record age 30 is out of range`),
			step(pollTestStreamARN, "starting_position = \"LATEST\"\n  maximum_retry_attempts = 10001", `out of range`),
			step(pollTestStreamARN, "starting_position = \"LATEST\"\n  parallelization_factor = 11", `out of range`),
			step(pollTestStreamARN, "starting_position = \"LATEST\"\n  tumbling_window_in_seconds = 901", `out of range`),
			step(pollTestStreamARN, "starting_position = \"LATEST\"\n  destination_config {\n    on_failure {\n      destination_arn = \"arn:aws:lambda:us-east-1:000000000000:function:f\"\n    }\n  }", `Invalid Destination`),
			step(pollTestStreamARN, "starting_position = \"LATEST\"\n  destination_config {\n    on_failure {}\n  }", `has no destination_arn`),
			step(pollTestQueueARN, `function_response_types = ["ReportItemFailures"]`, `not a function response type`),
			step(pollTestQueueARN, "filter_criteria {\n    filter {\n      pattern = \"{not json\"\n    }\n  }", `Invalid Filter Pattern`),
			step(pollTestQueueARN, testAccPollMappingFilters(6), `6 filters given`),
			{
				Config:      testAccPollMappingConfig_function(env, pollTestQueueARN, "arn:aws:s3:::bucket", ""),
				PlanOnly:    true,
				ExpectError: wrapped(`Invalid Function Name`),
			},
		},
	})
}

// The plan already shows the defaults Lambda applies for the kind of source and what the mapping does.
func TestAccPollMapping_planBehavior(t *testing.T) {
	env := acctest.NewEnv(t)
	step := func(source, settings string, checks ...plancheck.PlanCheck) resource.TestStep {
		return resource.TestStep{
			Config:             testAccPollMappingConfig_plain(env, source, settings),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks:   resource.ConfigPlanChecks{PostApplyPreRefresh: checks},
		}
	}
	known := func(attr string, check knownvalue.Check) plancheck.PlanCheck {
		return plancheck.ExpectKnownValue(pollMappingResourceName, tfjsonpath.New(attr), check)
	}
	behavior := func(want string) plancheck.PlanCheck { return known("behavior", knownvalue.StringExact(want)) }

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			step(pollTestQueueARN, "",
				plancheck.ExpectResourceAction(pollMappingResourceName, plancheck.ResourceActionCreate),
				known("batch_size", knownvalue.Int64Exact(10)),
				known("maximum_batching_window_in_seconds", knownvalue.Int64Exact(0)),
				known("enabled", knownvalue.Bool(true)),
				known("parallelization_factor", knownvalue.Null()),
				known("maximum_retry_attempts", knownvalue.Null()),
				known("bisect_batch_on_function_error", knownvalue.Null()),
				plancheck.ExpectUnknownValue(pollMappingResourceName, tfjsonpath.New("uuid")),
				behavior("polls sqs:orders; batches of up to 10; failed batches retried after the visibility timeout"),
			),
			step(pollTestQueueARN, "batch_size = 100\n  maximum_batching_window_in_seconds = 5\n  function_response_types = [\"ReportBatchItemFailures\"]\n  scaling_config {\n    maximum_concurrency = 10\n  }",
				behavior("polls sqs:orders; batches of up to 100 or 5 s; failed items retried individually; at most 10 concurrent"),
			),
			step(pollTestFIFOQueueARN, "enabled = false\n  filter_criteria {\n    filter {\n      pattern = jsonencode({ body = { type = [\"order\"] } })\n    }\n  }",
				behavior("disabled; would poll sqs:orders.fifo; batches of up to 10; only records matching 1 filter (others deleted); in order per message group; failed batches retried after the visibility timeout"),
			),
			step(pollTestStreamARN, `starting_position = "TRIM_HORIZON"`,
				known("batch_size", knownvalue.Int64Exact(100)),
				known("parallelization_factor", knownvalue.Int64Exact(1)),
				known("maximum_retry_attempts", knownvalue.Int64Exact(-1)),
				known("maximum_record_age_in_seconds", knownvalue.Int64Exact(-1)),
				known("bisect_batch_on_function_error", knownvalue.Bool(false)),
				known("tumbling_window_in_seconds", knownvalue.Int64Exact(0)),
				behavior("polls kinesis:clicks from TRIM_HORIZON; batches of up to 100; on error: retried until it succeeds or expires"),
			),
			step(pollTestStreamARN, fmt.Sprintf("starting_position = \"LATEST\"\n  bisect_batch_on_function_error = true\n  maximum_retry_attempts = 2\n  parallelization_factor = 4\n  destination_config {\n    on_failure {\n      destination_arn = %q\n    }\n  }", pollTestDLQARN),
				behavior("polls kinesis:clicks from LATEST; batches of up to 100; 4 batches per shard at once; on error: batch split in two, 2 retries, then -> sqs:clicks-dlq"),
			),
			{
				// The documentation's example plans, and its comment tells the truth.
				Config:             env.ProviderConfig + pollMappingExample(t),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPreRefresh: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue("lambdatrigger_poll_mapping.orders", tfjsonpath.New("behavior"), knownvalue.StringExact(
						"polls sqs:orders; batches of up to 100 or 5 s; only records matching 1 filter (others deleted); failed items retried individually; at most 10 concurrent")),
				}},
			},
			step(pollTestDDBStreamARN, "starting_position = \"LATEST\"\n  tumbling_window_in_seconds = 60\n  maximum_record_age_in_seconds = 3600\n  function_response_types = [\"ReportBatchItemFailures\"]",
				behavior("polls dynamodb:users from LATEST; batches of up to 100; tumbling windows of 60 s; on error: checkpoint at the first failed record, retried until records are 1h old, then skipped"),
			),
		},
	})
}

// pollMappingExample is the resource's example from the documentation.
func pollMappingExample(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testfn.ModuleRoot(), "examples", "resources", "lambdatrigger_poll_mapping", "resource.tf"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// wrapped matches want in terraform's output, which wraps diagnostics at any space.
func wrapped(want string) *regexp.Regexp {
	return regexp.MustCompile(`(?i)` + strings.ReplaceAll(want, " ", `\s+`))
}

func testAccPollMappingFilters(n int) string {
	s := "filter_criteria {\n"
	for i := range n {
		s += fmt.Sprintf("    filter {\n      pattern = jsonencode({ body = { n = [%d] } })\n    }\n", i)
	}
	return s + "  }"
}

// testAccPollMappingConfig_plain is a mapping of source to a function given by name only, for plans.
func testAccPollMappingConfig_plain(env *acctest.Env, source, settings string) string {
	return testAccPollMappingConfig_function(env, source, "orders-handler", settings)
}

func testAccPollMappingConfig_function(env *acctest.Env, source, function, settings string) string {
	return env.ProviderConfig + fmt.Sprintf(`
resource "lambdatrigger_poll_mapping" "test" {
  function_name    = %q
  event_source_arn = %q
  %s
}
`, function, source, settings)
}

// AWS managed policies that let Lambda's pollers read each kind of source.
const (
	pollSQSPolicy      = "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"
	pollKinesisPolicy  = "arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole"
	pollDynamoDBPolicy = "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole"

	// pollWait bounds the real-time waits for what the pollers and the function do.
	pollWait = 15 * time.Second
)

var pollUUID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func TestAccPollMapping_SQS_basic(t *testing.T) {
	env := acctest.NewEnv(t)
	f := newPollFixture(t, env, "sqs-basic", testfn.Echo, pollSQSPolicy, nil)
	queueARN, queueURL := createPollQueue(t, env, f.name, nil)
	const behavior = "polls sqs:%s; batches of up to 10; failed batches retried after the visibility timeout"

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckPollMappingDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: f.config(queueARN, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(pollMappingResourceName, plancheck.ResourceActionCreate),
						plancheck.ExpectKnownValue(pollMappingResourceName, tfjsonpath.New("behavior"), knownvalue.StringExact(fmt.Sprintf(behavior, f.name))),
						plancheck.ExpectKnownValue(pollMappingResourceName, tfjsonpath.New("batch_size"), knownvalue.Int64Exact(10)),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckPollMappingExists(env, pollMappingResourceName),
					testAccCheckPollMappingDelivers(env, f.name, "sqs:"+queueARN, func() { sendPollMessages(t, env, queueURL, "", "m-1", "m-2", "m-3") }, "m-1", "m-2", "m-3"),
					testAccCheckPollQueueDrained(env, queueURL),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					expectPollValue("uuid", knownvalue.StringRegexp(pollUUID)),
					expectPollValue("id", knownvalue.StringRegexp(pollUUID)),
					expectPollValue("state", knownvalue.StringExact("Enabled")),
					expectPollValue("enabled", knownvalue.Bool(true)),
					expectPollValue("function_arn", knownvalue.StringRegexp(regexp.MustCompile(`:function:`+f.name+`$`))),
					expectPollValue("event_source_arn", knownvalue.StringExact(queueARN)),
					expectPollValue("batch_size", knownvalue.Int64Exact(10)),
					expectPollValue("maximum_batching_window_in_seconds", knownvalue.Int64Exact(0)),
					expectPollValue("starting_position", knownvalue.Null()),
					expectPollValue("maximum_retry_attempts", knownvalue.Null()),
					expectPollValue("destination_config", knownvalue.Null()),
					expectPollValue("behavior", knownvalue.StringExact(fmt.Sprintf(behavior, f.name))),
				},
			},
			{
				Config:   f.config(queueARN, ""),
				PlanOnly: true,
			},
			{
				ResourceName:      pollMappingResourceName,
				ImportState:       true,
				ImportStateIdFunc: pollMappingImportID,
				ImportStateVerify: true,
				// Lambda reports the function's ARN, not the name it was given; the poll results move on.
				ImportStateVerifyIgnore: []string{"function_name", "last_processing_result", "state_transition_reason"},
			},
		},
	})
}

func TestAccPollMapping_SQS_partialBatchFailure(t *testing.T) {
	env := acctest.NewEnv(t)
	f := newPollFixture(t, env, "sqs-partial", testfn.Batch, pollSQSPolicy, nil)
	dlqARN, dlqURL := createPollQueue(t, env, f.name+"-dlq", nil)
	redrive, _ := json.Marshal(map[string]any{"deadLetterTargetArn": dlqARN, "maxReceiveCount": 2})
	queueARN, queueURL := createPollQueue(t, env, f.name, map[string]string{
		"VisibilityTimeout": "2",
		"RedrivePolicy":     string(redrive),
	})
	settings := `function_response_types = ["ReportBatchItemFailures"]`

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckPollMappingDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: f.config(queueARN, settings),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(pollMappingResourceName, tfjsonpath.New("behavior"), knownvalue.StringExact(
							"polls sqs:"+f.name+"; batches of up to 10; failed items retried individually")),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					func(*terraform.State) error {
						sendPollMessages(t, env, queueURL, "", "ok-1", "fail-item-2", "ok-3")
						return nil
					},
					// Only the reported item comes back, twice (maxReceiveCount 2), then goes to the DLQ.
					testAccCheckPollQueueReceives(env, dlqURL, "fail-item-2"),
					testAccCheckPollDeliveryCounts(env, f.name, map[string]func(int) bool{
						"ok-1":        func(n int) bool { return n == 1 },
						"ok-3":        func(n int) bool { return n == 1 },
						"fail-item-2": func(n int) bool { return n >= 2 },
					}),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					expectPollValue("function_response_types", knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("ReportBatchItemFailures")})),
				},
			},
			{
				Config:   f.config(queueARN, settings),
				PlanOnly: true,
			},
		},
	})
}

func TestAccPollMapping_SQS_fifo(t *testing.T) {
	env := acctest.NewEnv(t)
	f := newPollFixture(t, env, "sqs-fifo", testfn.Echo, pollSQSPolicy, nil)
	queueARN, queueURL := createPollQueue(t, env, f.name+".fifo", map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true"})
	settings := "batch_size = 3"

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckPollMappingDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: f.config(queueARN, settings),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(pollMappingResourceName, tfjsonpath.New("behavior"), knownvalue.StringExact(
							"polls sqs:"+f.name+".fifo; batches of up to 3; in order per message group; failed batches retried after the visibility timeout")),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckPollMappingDelivers(env, f.name, "sqs:"+queueARN, func() {
						sendPollMessages(t, env, queueURL, "a", "a-1", "a-2", "a-3", "a-4", "a-5")
						sendPollMessages(t, env, queueURL, "b", "b-1", "b-2", "b-3")
					}, "a-1", "a-2", "a-3", "a-4", "a-5", "b-1", "b-2", "b-3"),
					testAccCheckPollOrder(env, f.name, []string{"a-1", "a-2", "a-3", "a-4", "a-5"}, []string{"b-1", "b-2", "b-3"}),
					testAccCheckPollBatchSizes(env, f.name, func(n int) bool { return n >= 1 && n <= 3 }),
				),
			},
			{
				Config:   f.config(queueARN, settings),
				PlanOnly: true,
			},
		},
	})
}

func TestAccPollMapping_SQS_filter(t *testing.T) {
	env := acctest.NewEnv(t)
	f := newPollFixture(t, env, "sqs-filter", testfn.Echo, pollSQSPolicy, nil)
	queueARN, queueURL := createPollQueue(t, env, f.name, nil)
	settings := `filter_criteria {
    filter {
      pattern = jsonencode({ body = { type = ["order"] } })
    }
  }`

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckPollMappingDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: f.config(queueARN, settings),
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckPollMappingDelivers(env, f.name, "sqs:"+queueARN, func() {
						sendPollMessages(t, env, queueURL, "", `{"type":"refund","n":1}`, "plain text", `{"type":"order","n":2}`)
					}, `{"type":"order","n":2}`),
					// Messages that match no filter are deleted, not delivered.
					testAccCheckPollQueueDrained(env, queueURL),
					testAccCheckPollDeliveryCounts(env, f.name, map[string]func(int) bool{
						`{"type":"refund","n":1}`: func(n int) bool { return n == 0 },
						"plain text":              func(n int) bool { return n == 0 },
					}),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					expectPollValue("filter_criteria", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"filter": knownvalue.SetExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
							"pattern": knownvalue.StringExact(`{"body":{"type":["order"]}}`),
						})}),
					})),
				},
			},
			{
				Config:   f.config(queueARN, settings),
				PlanOnly: true,
			},
			{
				ResourceName:            pollMappingResourceName,
				ImportState:             true,
				ImportStateIdFunc:       pollMappingImportID,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"function_name", "last_processing_result", "state_transition_reason"},
			},
		},
	})
}

func TestAccPollMapping_Kinesis_basic(t *testing.T) {
	env := acctest.NewEnv(t)
	f := newPollFixture(t, env, "kinesis-basic", testfn.Echo, pollKinesisPolicy, nil)
	streamARN := createPollStream(t, env, f.name)
	putPollRecords(t, env, f.name, "before-1", "before-2")

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckPollMappingDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: f.config(streamARN, `starting_position = "TRIM_HORIZON"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(pollMappingResourceName, tfjsonpath.New("behavior"), knownvalue.StringExact(
							"polls kinesis:"+f.name+" from TRIM_HORIZON; batches of up to 100; on error: retried until it succeeds or expires")),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckPollMappingExists(env, pollMappingResourceName),
					// TRIM_HORIZON: the records already in the stream come too.
					testAccCheckPollMappingDelivers(env, f.name, "kinesis:"+streamARN, func() { putPollRecords(t, env, f.name, "after-1") }, "before-1", "before-2", "after-1"),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					expectPollValue("starting_position", knownvalue.StringExact("TRIM_HORIZON")),
					expectPollValue("batch_size", knownvalue.Int64Exact(100)),
					expectPollValue("parallelization_factor", knownvalue.Int64Exact(1)),
					expectPollValue("maximum_retry_attempts", knownvalue.Int64Exact(-1)),
					expectPollValue("maximum_record_age_in_seconds", knownvalue.Int64Exact(-1)),
					expectPollValue("bisect_batch_on_function_error", knownvalue.Bool(false)),
					expectPollValue("tumbling_window_in_seconds", knownvalue.Int64Exact(0)),
					expectPollValue("state", knownvalue.StringExact("Enabled")),
				},
			},
			{
				Config:   f.config(streamARN, `starting_position = "TRIM_HORIZON"`),
				PlanOnly: true,
			},
			{
				ResourceName:            pollMappingResourceName,
				ImportState:             true,
				ImportStateIdFunc:       pollMappingImportID,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"function_name", "last_processing_result", "state_transition_reason"},
			},
			{
				// A new starting position replaces the mapping of the same pair: the old one must be
				// gone (not Deleting) before the new one is created.
				Config: f.config(streamARN, "starting_position = \"LATEST\"\n  parallelization_factor = 2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(pollMappingResourceName, plancheck.ResourceActionDestroyBeforeCreate),
					},
				},
				Check: testAccCheckPollMappingDelivers(env, f.name, "kinesis:"+streamARN, func() { putPollRecords(t, env, f.name, "latest-1") }, "latest-1"),
				ConfigStateChecks: []statecheck.StateCheck{
					expectPollValue("starting_position", knownvalue.StringExact("LATEST")),
					expectPollValue("parallelization_factor", knownvalue.Int64Exact(2)),
				},
			},
			{
				Config:   f.config(streamARN, "starting_position = \"LATEST\"\n  parallelization_factor = 2"),
				PlanOnly: true,
			},
		},
	})
}

func TestAccPollMapping_Kinesis_bisect(t *testing.T) {
	env := acctest.NewEnv(t)
	f := newPollFixture(t, env, "kinesis-bisect", testfn.Batch, pollKinesisPolicy, nil)
	streamARN := createPollStream(t, env, f.name)
	putPollRecords(t, env, f.name, "ok-1", "ok-2", "fail-batch-3", "ok-4")
	settings := "starting_position = \"TRIM_HORIZON\"\n  bisect_batch_on_function_error = true\n  maximum_retry_attempts = 0"

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckPollMappingDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: f.config(streamARN, settings),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(pollMappingResourceName, tfjsonpath.New("behavior"), knownvalue.StringExact(
							"polls kinesis:"+f.name+" from TRIM_HORIZON; batches of up to 100; on error: batch split in two, no retries, then skipped")),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					// The failing batch is split until the bad record is alone.
					testAccCheckPollEventually(env, f.name, "a batch holding only fail-batch-3", func(batches [][]string) bool {
						return slices.ContainsFunc(batches, func(b []string) bool { return len(b) == 1 && b[0] == "fail-batch-3" })
					}),
					testAccCheckPollEventually(env, f.name, "a 4-record batch first", func(batches [][]string) bool {
						return len(batches) > 0 && len(batches[0]) == 4
					}),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					expectPollValue("bisect_batch_on_function_error", knownvalue.Bool(true)),
					expectPollValue("maximum_retry_attempts", knownvalue.Int64Exact(0)),
				},
			},
			{
				Config:   f.config(streamARN, settings),
				PlanOnly: true,
			},
		},
	})
}

func TestAccPollMapping_Kinesis_onFailure(t *testing.T) {
	env := acctest.NewEnv(t)
	dlqName := acctest.RandomName("kinesis-onfailure-dlq")
	dlqARN, dlqURL := createPollQueue(t, env, dlqName, nil)
	f := newPollFixture(t, env, "kinesis-onfailure", testfn.Batch, pollKinesisPolicy, map[string]string{"sqs:SendMessage": dlqARN})
	streamARN := createPollStream(t, env, f.name)
	putPollRecords(t, env, f.name, "fail-batch-1")
	settings := fmt.Sprintf(`starting_position = "TRIM_HORIZON"
  maximum_retry_attempts = 1
  destination_config {
    on_failure {
      destination_arn = %q
    }
  }`, dlqARN)

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckPollMappingDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: f.config(streamARN, settings),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(pollMappingResourceName, tfjsonpath.New("behavior"), knownvalue.StringExact(
							"polls kinesis:"+f.name+" from TRIM_HORIZON; batches of up to 100; on error: 1 retry, then -> sqs:"+dlqName)),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					// A first attempt and one retry, then the batch's record (metadata only) goes to the queue.
					testAccCheckPollQueueReceives(env, dlqURL, `"KinesisBatchInfo"`, streamARN, `"RetryAttemptsExhausted"`),
					testAccCheckPollDeliveryCounts(env, f.name, map[string]func(int) bool{"fail-batch-1": func(n int) bool { return n == 2 }}),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					expectPollValue("destination_config", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"on_failure": knownvalue.ObjectExact(map[string]knownvalue.Check{"destination_arn": knownvalue.StringExact(dlqARN)}),
					})),
				},
			},
			{
				Config:   f.config(streamARN, settings),
				PlanOnly: true,
			},
			{
				// Removing the destination removes it from Lambda too.
				Config: f.config(streamARN, "starting_position = \"TRIM_HORIZON\"\n  maximum_retry_attempts = 1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(pollMappingResourceName, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{expectPollValue("destination_config", knownvalue.Null())},
			},
			{
				Config:   f.config(streamARN, "starting_position = \"TRIM_HORIZON\"\n  maximum_retry_attempts = 1"),
				PlanOnly: true,
			},
		},
	})
}

func TestAccPollMapping_DynamoDB_basic(t *testing.T) {
	env := acctest.NewEnv(t)
	f := newPollFixture(t, env, "ddb-basic", testfn.Echo, pollDynamoDBPolicy, nil)
	streamARN := createPollTable(t, env, f.name)

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckPollMappingDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: f.config(streamARN, "starting_position = \"TRIM_HORIZON\"\n  batch_size = 5"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(pollMappingResourceName, tfjsonpath.New("behavior"), knownvalue.StringExact(
							"polls dynamodb:"+f.name+" from TRIM_HORIZON; batches of up to 5; on error: retried until it succeeds or expires")),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckPollMappingExists(env, pollMappingResourceName),
					testAccCheckPollMappingDelivers(env, f.name, streamARN, func() { putPollItems(t, env, f.name, "item-1", "item-2") }, "item-1", "item-2"),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					expectPollValue("event_source_arn", knownvalue.StringExact(streamARN)),
					expectPollValue("batch_size", knownvalue.Int64Exact(5)),
					expectPollValue("state", knownvalue.StringExact("Enabled")),
				},
			},
			{
				Config:   f.config(streamARN, "starting_position = \"TRIM_HORIZON\"\n  batch_size = 5"),
				PlanOnly: true,
			},
			{
				ResourceName:            pollMappingResourceName,
				ImportState:             true,
				ImportStateIdFunc:       pollMappingImportID,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"function_name", "last_processing_result", "state_transition_reason"},
			},
		},
	})
}

// Tumbling windows: the function gets the state it returned, and the last invocation of a window says so.
func TestAccPollMapping_DynamoDB_tumblingWindow(t *testing.T) {
	env := acctest.NewEnv(t)
	f := newPollFixture(t, env, "ddb-window", testfn.Batch, pollDynamoDBPolicy, nil)
	streamARN := createPollTable(t, env, f.name)
	settings := "starting_position = \"TRIM_HORIZON\"\n  tumbling_window_in_seconds = 2"

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckPollMappingDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: f.config(streamARN, settings),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(pollMappingResourceName, tfjsonpath.New("behavior"), knownvalue.StringExact(
							"polls dynamodb:"+f.name+" from TRIM_HORIZON; batches of up to 100; tumbling windows of 2 s; on error: retried until it succeeds or expires")),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					func(*terraform.State) error {
						putPollItems(t, env, f.name, "w-1", "w-2", "w-3")
						return nil
					},
					// The window's invocations carry the state the function returned, and the last one says so.
					testAccCheckPollInvocation(env, f.name, "a final invocation of a window with its state", func(r pollInvocation) bool {
						var ev struct {
							Window                 any            `json:"window"`
							State                  map[string]int `json:"state"`
							IsFinalInvokeForWindow bool           `json:"isFinalInvokeForWindow"`
						}
						return json.Unmarshal([]byte(r.Payload), &ev) == nil && ev.Window != nil && ev.IsFinalInvokeForWindow && ev.State["records"] == 3
					}),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					expectPollValue("tumbling_window_in_seconds", knownvalue.Int64Exact(2)),
				},
			},
			{
				Config:   f.config(streamARN, settings),
				PlanOnly: true,
			},
		},
	})
}

func TestAccPollMapping_disappears(t *testing.T) {
	env := acctest.NewEnv(t)
	f := newPollFixture(t, env, "poll-disappears", testfn.Echo, pollSQSPolicy, nil)
	queueARN, _ := createPollQueue(t, env, f.name, nil)

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckPollMappingDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: f.config(queueARN, ""),
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckPollMappingExists(env, pollMappingResourceName),
					testAccCheckPollMappingDisappears(env, pollMappingResourceName),
				),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(pollMappingResourceName, plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(functionResourceName, plancheck.ResourceActionNoop),
					},
				},
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// Changing the batch size updates the mapping in place, and the poller uses the new size; disabling
// stops it.
func TestAccPollMapping_update(t *testing.T) {
	env := acctest.NewEnv(t)
	f := newPollFixture(t, env, "poll-update", testfn.Echo, pollSQSPolicy, nil)
	queueARN, queueURL := createPollQueue(t, env, f.name, nil)
	small := "batch_size = 2"
	large := "batch_size = 20\n  maximum_batching_window_in_seconds = 2"
	var uuid string

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckPollMappingDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: f.config(queueARN, small),
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckPollMappingUUID(pollMappingResourceName, &uuid),
					testAccCheckPollMappingDelivers(env, f.name, "sqs:"+queueARN, func() {
						sendPollMessages(t, env, queueURL, "", "s-1", "s-2", "s-3", "s-4", "s-5", "s-6")
					}, "s-1", "s-2", "s-3", "s-4", "s-5", "s-6"),
					testAccCheckPollBatchSizes(env, f.name, func(n int) bool { return n <= 2 }),
				),
			},
			{
				Config:   f.config(queueARN, small),
				PlanOnly: true,
			},
			{
				Config: f.config(queueARN, large),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(pollMappingResourceName, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(pollMappingResourceName, tfjsonpath.New("behavior"), knownvalue.StringExact(
							"polls sqs:"+f.name+"; batches of up to 20 or 2 s; failed batches retried after the visibility timeout")),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckPollMappingSameUUID(pollMappingResourceName, &uuid),
					testAccCheckPollMappingDelivers(env, f.name, "sqs:"+queueARN, func() {
						sendPollMessages(t, env, queueURL, "", "l-1", "l-2", "l-3", "l-4", "l-5", "l-6")
					}, "l-1", "l-2", "l-3", "l-4", "l-5", "l-6"),
					// The window gathers the six messages sent together: batches larger than the old size.
					testAccCheckPollEventually(env, f.name, "a batch of more than 2 records", func(batches [][]string) bool {
						return slices.ContainsFunc(batches, func(b []string) bool { return len(b) > 2 })
					}),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					expectPollValue("batch_size", knownvalue.Int64Exact(20)),
					expectPollValue("maximum_batching_window_in_seconds", knownvalue.Int64Exact(2)),
				},
			},
			{
				Config:   f.config(queueARN, large),
				PlanOnly: true,
			},
			{
				Config: f.config(queueARN, large+"\n  enabled = false"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(pollMappingResourceName, plancheck.ResourceActionUpdate)},
				},
				Check: testAccCheckPollMappingSameUUID(pollMappingResourceName, &uuid),
				ConfigStateChecks: []statecheck.StateCheck{
					expectPollValue("state", knownvalue.StringExact("Disabled")),
					expectPollValue("enabled", knownvalue.Bool(false)),
					expectPollValue("behavior", knownvalue.StringExact(
						"disabled; would poll sqs:"+f.name+"; batches of up to 20 or 2 s; failed batches retried after the visibility timeout")),
				},
			},
			{
				Config:   f.config(queueARN, large+"\n  enabled = false"),
				PlanOnly: true,
			},
		},
	})
}

// pollFixture is a function with an execution role allowed to read one kind of source.
type pollFixture struct {
	env  *acctest.Env
	name string
	zip  string
	role string
}

// newPollFixture creates the execution role in IAM (the simulator's IAM is strict: Lambda checks
// the role when the mapping is created) with the managed policy and inline grants (action -> ARN).
func newPollFixture(t *testing.T, env *acctest.Env, prefix, function, managedPolicy string, grants map[string]string) *pollFixture {
	t.Helper()
	name := acctest.RandomName(prefix)
	return &pollFixture{
		env:  env,
		name: name,
		zip:  testfn.WriteZip(t, function, t.TempDir()),
		role: createPollRole(t, env, name, managedPolicy, grants),
	}
}

func (f *pollFixture) config(source, settings string) string {
	return f.env.ProviderConfig + fmt.Sprintf(`
resource "lambdatrigger_function" "test" {
  function_name    = %[1]q
  filename         = %[2]q
  source_code_hash = filebase64sha256(%[2]q)
  runtime          = "provided.al2023"
  role             = %[3]q
}

resource "lambdatrigger_poll_mapping" "test" {
  function_name    = lambdatrigger_function.test.function_name
  event_source_arn = %[4]q
  %[5]s
}
`, f.name, f.zip, f.role, source, settings)
}

func expectPollValue(attr string, check knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(pollMappingResourceName, tfjsonpath.New(attr), check)
}

func pollMappingImportID(s *terraform.State) (string, error) {
	rs, ok := s.RootModule().Resources[pollMappingResourceName]
	if !ok {
		return "", fmt.Errorf("not found: %s", pollMappingResourceName)
	}
	return rs.Primary.Attributes["uuid"], nil
}

func testAccCheckPollMappingExists(env *acctest.Env, n string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[n]
		if !ok {
			return fmt.Errorf("not found: %s", n)
		}
		_, err := provider.FindPollMappingByUUID(context.Background(), env.Clients.Lambda, rs.Primary.Attributes["uuid"])
		return err
	}
}

func testAccCheckPollMappingDestroy(env *acctest.Env) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "lambdatrigger_poll_mapping" {
				continue
			}
			_, err := provider.FindPollMappingByUUID(context.Background(), env.Clients.Lambda, rs.Primary.Attributes["uuid"])
			if provider.IsNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			return fmt.Errorf("event source mapping %s still exists", rs.Primary.Attributes["uuid"])
		}
		return nil
	}
}

// testAccCheckPollMappingDisappears deletes the mapping outside Terraform and waits until it is gone.
func testAccCheckPollMappingDisappears(env *acctest.Env, n string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		uuid := s.RootModule().Resources[n].Primary.Attributes["uuid"]
		ctx := context.Background()
		if _, err := env.Clients.Lambda.DeleteEventSourceMapping(ctx, &lambda.DeleteEventSourceMappingInput{UUID: aws.String(uuid)}); err != nil {
			return err
		}
		return pollUntil(pollWait, "mapping "+uuid+" gone", func() (bool, error) {
			_, err := provider.FindPollMappingByUUID(ctx, env.Clients.Lambda, uuid)
			if provider.IsNotFound(err) {
				return true, nil
			}
			return false, err
		})
	}
}

func testAccCheckPollMappingUUID(n string, uuid *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		*uuid = s.RootModule().Resources[n].Primary.Attributes["uuid"]
		return nil
	}
}

func testAccCheckPollMappingSameUUID(n string, uuid *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		if got := s.RootModule().Resources[n].Primary.Attributes["uuid"]; got != *uuid {
			return fmt.Errorf("mapping replaced: UUID %s, was %s", got, *uuid)
		}
		return nil
	}
}

// pollInvocation is a record of the simulator's invocation log (GET /_sim/invocations).
type pollInvocation struct {
	Trigger       string `json:"trigger"`
	Payload       string `json:"payload"`
	Response      string `json:"response"`
	Outcome       string `json:"outcome"`
	FunctionError string `json:"functionError"`
}

func pollInvocations(env *acctest.Env, function string) ([]pollInvocation, error) {
	resp, err := http.Get(env.Endpoint + "/_sim/invocations?function=" + url.QueryEscape(function))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /_sim/invocations: %s", resp.Status)
	}
	var out struct {
		Invocations []pollInvocation `json:"invocations"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	return out.Invocations, nil
}

// pollBatch reads the records' contents out of an invocation's event: SQS bodies, Kinesis data
// (base64-decoded), DynamoDB keys ("id" attribute).
func pollBatch(payload string) []string {
	var ev struct {
		Records []struct {
			Body    *string `json:"body"`
			Kinesis *struct {
				Data []byte `json:"data"`
			} `json:"kinesis"`
			DynamoDB *struct {
				Keys map[string]map[string]string `json:"Keys"`
			} `json:"dynamodb"`
		} `json:"Records"`
	}
	if json.Unmarshal([]byte(payload), &ev) != nil {
		return nil
	}
	var out []string
	for _, r := range ev.Records {
		switch {
		case r.Body != nil:
			out = append(out, *r.Body)
		case r.Kinesis != nil:
			out = append(out, string(r.Kinesis.Data))
		case r.DynamoDB != nil:
			out = append(out, r.DynamoDB.Keys["id"]["S"])
		}
	}
	return out
}

// pollBatches are the batches the function received, oldest first.
func pollBatches(env *acctest.Env, function string) ([][]string, error) {
	recs, err := pollInvocations(env, function)
	if err != nil {
		return nil, err
	}
	var out [][]string
	for _, r := range recs {
		out = append(out, pollBatch(r.Payload))
	}
	return out, nil
}

// testAccCheckPollMappingDelivers runs send, then waits until the function has received every one
// of want through an invocation whose trigger names the source (exactly "sqs:<arn>" for SQS).
func testAccCheckPollMappingDelivers(env *acctest.Env, function, trigger string, send func(), want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if env.Endpoint == "" {
			return nil // the invocation log is the simulator's
		}
		send()
		return pollUntil(pollWait, fmt.Sprintf("%s delivered through %s", strings.Join(want, ", "), trigger), func() (bool, error) {
			recs, err := pollInvocations(env, function)
			if err != nil {
				return false, err
			}
			got := map[string]bool{}
			for _, r := range recs {
				if r.Trigger != trigger && !(strings.HasPrefix(trigger, "arn:") && strings.HasSuffix(r.Trigger, ":"+trigger)) {
					continue
				}
				for _, b := range pollBatch(r.Payload) {
					got[b] = true
				}
			}
			for _, w := range want {
				if !got[w] {
					return false, nil
				}
			}
			return true, nil
		})
	}
}

// testAccCheckPollEventually waits until the batches the function received satisfy ok.
func testAccCheckPollEventually(env *acctest.Env, function, what string, ok func([][]string) bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if env.Endpoint == "" {
			return nil
		}
		var last [][]string
		err := pollUntil(pollWait, what, func() (bool, error) {
			batches, err := pollBatches(env, function)
			last = batches
			return err == nil && ok(batches), err
		})
		if err != nil {
			return fmt.Errorf("%w; batches received: %q", err, last)
		}
		return nil
	}
}

// testAccCheckPollInvocation waits for an invocation satisfying ok.
func testAccCheckPollInvocation(env *acctest.Env, function, what string, ok func(pollInvocation) bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if env.Endpoint == "" {
			return nil
		}
		var last []pollInvocation
		err := pollUntil(pollWait, what, func() (bool, error) {
			recs, err := pollInvocations(env, function)
			last = recs
			return err == nil && slices.ContainsFunc(recs, ok), err
		})
		if err != nil {
			var seen []string
			for _, r := range last {
				seen = append(seen, r.Payload+" -> "+r.Response)
			}
			return fmt.Errorf("%w; invocations: %s", err, strings.Join(seen, "\n"))
		}
		return nil
	}
}

// testAccCheckPollDeliveryCounts checks how many times each record was delivered (once everything
// else has settled: call it after a check that waits).
func testAccCheckPollDeliveryCounts(env *acctest.Env, function string, counts map[string]func(int) bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if env.Endpoint == "" {
			return nil
		}
		batches, err := pollBatches(env, function)
		if err != nil {
			return err
		}
		n := map[string]int{}
		for _, b := range batches {
			for _, r := range b {
				n[r]++
			}
		}
		for rec, ok := range counts {
			if !ok(n[rec]) {
				return fmt.Errorf("%q delivered %d times; batches: %q", rec, n[rec], batches)
			}
		}
		return nil
	}
}

func testAccCheckPollBatchSizes(env *acctest.Env, function string, ok func(int) bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if env.Endpoint == "" {
			return nil
		}
		batches, err := pollBatches(env, function)
		if err != nil {
			return err
		}
		for _, b := range batches {
			if len(b) > 0 && !ok(len(b)) {
				return fmt.Errorf("a batch of %d records: %q", len(b), batches)
			}
		}
		return nil
	}
}

// testAccCheckPollOrder checks that each group's records arrived in order.
func testAccCheckPollOrder(env *acctest.Env, function string, groups ...[]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if env.Endpoint == "" {
			return nil
		}
		batches, err := pollBatches(env, function)
		if err != nil {
			return err
		}
		var seen []string
		for _, b := range batches {
			seen = append(seen, b...)
		}
		for _, g := range groups {
			var got []string
			for _, r := range seen {
				if slices.Contains(g, r) {
					got = append(got, r)
				}
			}
			if !slices.Equal(got, g) {
				return fmt.Errorf("received %q, want %q in that order", got, g)
			}
		}
		return nil
	}
}

func pollUntil(timeout time.Duration, what string, done func() (bool, error)) error {
	deadline := time.Now().Add(timeout)
	for {
		ok, err := done()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func createPollRole(t *testing.T, env *acctest.Env, name, managedPolicy string, grants map[string]string) string {
	t.Helper()
	ctx := context.Background()
	client := iam.NewFromConfig(env.Clients.AWSConfig, func(o *iam.Options) { env.Clients.SetEndpoint(&o.BaseEndpoint, "iam") })
	const trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	created, err := client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)})
	if err != nil {
		t.Fatalf("creating role %s: %v", name, err)
	}
	if _, err := client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(name), PolicyArn: aws.String(managedPolicy)}); err != nil {
		t.Fatalf("attaching %s to role %s: %v", managedPolicy, name, err)
	}
	if len(grants) > 0 {
		var statements []map[string]any
		for action, arn := range grants {
			statements = append(statements, map[string]any{"Effect": "Allow", "Action": action, "Resource": arn})
		}
		policy, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
		if _, err := client.PutRolePolicy(ctx, &iam.PutRolePolicyInput{
			RoleName: aws.String(name), PolicyName: aws.String("grants"), PolicyDocument: aws.String(string(policy)),
		}); err != nil {
			t.Fatalf("granting role %s: %v", name, err)
		}
	}
	t.Cleanup(func() {
		ctx := context.Background()
		_, _ = client.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("grants")})
		_, _ = client.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String(name), PolicyArn: aws.String(managedPolicy)})
		_, _ = client.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String(name)})
	})
	return aws.ToString(created.Role.Arn)
}

func pollSQSClient(env *acctest.Env) *sqs.Client {
	return sqs.NewFromConfig(env.Clients.AWSConfig, func(o *sqs.Options) { env.Clients.SetEndpoint(&o.BaseEndpoint, "sqs") })
}

func createPollQueue(t *testing.T, env *acctest.Env, name string, attributes map[string]string) (arn, queueURL string) {
	t.Helper()
	ctx := context.Background()
	client := pollSQSClient(env)
	created, err := client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name), Attributes: attributes})
	if err != nil {
		t.Fatalf("creating queue %s: %v", name, err)
	}
	queueURL = aws.ToString(created.QueueUrl)
	t.Cleanup(func() {
		_, _ = client.DeleteQueue(context.Background(), &sqs.DeleteQueueInput{QueueUrl: aws.String(queueURL)})
	})
	attrs, err := client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(queueURL), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
	if err != nil {
		t.Fatalf("reading the ARN of queue %s: %v", name, err)
	}
	return attrs.Attributes[string(sqstypes.QueueAttributeNameQueueArn)], queueURL
}

// sendPollMessages sends bodies in order; group, when set, is the FIFO message group.
func sendPollMessages(t *testing.T, env *acctest.Env, queueURL, group string, bodies ...string) {
	t.Helper()
	client := pollSQSClient(env)
	for _, b := range bodies {
		in := &sqs.SendMessageInput{QueueUrl: aws.String(queueURL), MessageBody: aws.String(b)}
		if group != "" {
			in.MessageGroupId = aws.String(group)
		}
		if _, err := client.SendMessage(context.Background(), in); err != nil {
			t.Errorf("sending %q: %v", b, err)
		}
	}
}

// testAccCheckPollQueueDrained waits until the queue holds no message, visible or in flight.
func testAccCheckPollQueueDrained(env *acctest.Env, queueURL string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		client := pollSQSClient(env)
		return pollUntil(pollWait, "queue "+queueURL+" empty", func() (bool, error) {
			out, err := client.GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{
				QueueUrl: aws.String(queueURL),
				AttributeNames: []sqstypes.QueueAttributeName{
					sqstypes.QueueAttributeNameApproximateNumberOfMessages, sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible,
				},
			})
			if err != nil {
				return false, err
			}
			return out.Attributes[string(sqstypes.QueueAttributeNameApproximateNumberOfMessages)] == "0" &&
				out.Attributes[string(sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible)] == "0", nil
		})
	}
}

// testAccCheckPollQueueReceives waits for a message containing every one of want (left in the queue).
func testAccCheckPollQueueReceives(env *acctest.Env, queueURL string, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		client := pollSQSClient(env)
		var bodies []string
		err := pollUntil(pollWait, fmt.Sprintf("a message containing %q in %s", want, queueURL), func() (bool, error) {
			out, err := client.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{
				QueueUrl: aws.String(queueURL), MaxNumberOfMessages: 10,
			})
			if err != nil {
				return false, err
			}
			for _, m := range out.Messages {
				body := aws.ToString(m.Body)
				bodies = append(bodies, body)
				if !slices.ContainsFunc(want, func(w string) bool { return !strings.Contains(body, w) }) {
					return true, nil
				}
			}
			return false, nil
		})
		if err != nil {
			return fmt.Errorf("%w; received %q", err, bodies)
		}
		return nil
	}
}

func pollKinesisClient(env *acctest.Env) *kinesis.Client {
	return kinesis.NewFromConfig(env.Clients.AWSConfig, func(o *kinesis.Options) { env.Clients.SetEndpoint(&o.BaseEndpoint, "kinesis") })
}

// createPollStream creates a one-shard stream and waits until it is active.
func createPollStream(t *testing.T, env *acctest.Env, name string) string {
	t.Helper()
	ctx := context.Background()
	client := pollKinesisClient(env)
	if _, err := client.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String(name), ShardCount: aws.Int32(1)}); err != nil {
		t.Fatalf("creating stream %s: %v", name, err)
	}
	t.Cleanup(func() {
		_, _ = client.DeleteStream(context.Background(), &kinesis.DeleteStreamInput{StreamName: aws.String(name), EnforceConsumerDeletion: aws.Bool(true)})
	})
	var arn string
	err := pollUntil(30*time.Second, "stream "+name+" active", func() (bool, error) {
		out, err := client.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(name)})
		if err != nil {
			return false, err
		}
		arn = aws.ToString(out.StreamDescriptionSummary.StreamARN)
		return out.StreamDescriptionSummary.StreamStatus == kinesistypes.StreamStatusActive, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return arn
}

func putPollRecords(t *testing.T, env *acctest.Env, stream string, data ...string) {
	t.Helper()
	client := pollKinesisClient(env)
	for _, d := range data {
		if _, err := client.PutRecord(context.Background(), &kinesis.PutRecordInput{
			StreamName: aws.String(stream), Data: []byte(d), PartitionKey: aws.String("pk"),
		}); err != nil {
			t.Errorf("putting %q: %v", d, err)
		}
	}
}

func pollDynamoDBClient(env *acctest.Env) *dynamodb.Client {
	return dynamodb.NewFromConfig(env.Clients.AWSConfig, func(o *dynamodb.Options) { env.Clients.SetEndpoint(&o.BaseEndpoint, "dynamodb") })
}

// createPollTable creates a table keyed by "id" with a NEW_IMAGE stream and returns the stream's ARN.
func createPollTable(t *testing.T, env *acctest.Env, name string) string {
	t.Helper()
	ctx := context.Background()
	client := pollDynamoDBClient(env)
	out, err := client.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: ddbtypes.ScalarAttributeTypeS}},
		KeySchema:            []ddbtypes.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: ddbtypes.KeyTypeHash}},
		BillingMode:          ddbtypes.BillingModePayPerRequest,
		StreamSpecification:  &ddbtypes.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: ddbtypes.StreamViewTypeNewImage},
	})
	if err != nil {
		t.Fatalf("creating table %s: %v", name, err)
	}
	t.Cleanup(func() {
		_, _ = client.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	})
	return aws.ToString(out.TableDescription.LatestStreamArn)
}

func putPollItems(t *testing.T, env *acctest.Env, table string, ids ...string) {
	t.Helper()
	client := pollDynamoDBClient(env)
	for _, id := range ids {
		if _, err := client.PutItem(context.Background(), &dynamodb.PutItemInput{
			TableName: aws.String(table),
			Item:      map[string]ddbtypes.AttributeValue{"id": &ddbtypes.AttributeValueMemberS{Value: id}},
		}); err != nil {
			t.Errorf("putting item %q: %v", id, err)
		}
	}
}
