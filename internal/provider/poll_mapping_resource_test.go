package provider_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/acctest"
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
