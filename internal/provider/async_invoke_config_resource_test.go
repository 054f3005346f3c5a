package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"
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

const asyncInvokeConfigResourceName = "lambdatrigger_async_invoke_config.test"

func TestAccAsyncInvokeConfig_basic(t *testing.T) {
	env := acctest.NewEnv(t)
	zip := testfn.WriteZip(t, testfn.Echo, t.TempDir())
	name := acctest.RandomName("async-basic")
	functionARN := regexp.MustCompile(`^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:` + name + `(:\$LATEST)?$`)
	const (
		oneRetry  = "on error: 1 retry after ~1 min; events older than 1h dropped"
		noRetries = "on error: no retries; events older than 1m dropped"
		defaults  = "on error: 2 retries after ~1 min and ~2 min; events older than 6h dropped"
	)

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckAsyncInvokeConfigDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: testAccAsyncInvokeConfigConfig_settings(env, name, zip, "maximum_retry_attempts = 1\n  maximum_event_age_in_seconds = 3600"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(asyncInvokeConfigResourceName, plancheck.ResourceActionCreate),
						// The plan already says what Lambda will do.
						plancheck.ExpectKnownValue(asyncInvokeConfigResourceName, tfjsonpath.New("behavior"), knownvalue.StringExact(oneRetry)),
						plancheck.ExpectKnownValue(asyncInvokeConfigResourceName, tfjsonpath.New("id"), knownvalue.StringExact(name)),
					},
				},
				Check: testAccCheckAsyncInvokeConfigInLambda(env, name, "", 1, 3600, "", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					expectAsyncValue("id", knownvalue.StringExact(name)),
					expectAsyncValue("function_name", knownvalue.StringExact(name)),
					expectAsyncValue("qualifier", knownvalue.Null()),
					expectAsyncValue("maximum_retry_attempts", knownvalue.Int64Exact(1)),
					expectAsyncValue("maximum_event_age_in_seconds", knownvalue.Int64Exact(3600)),
					expectAsyncValue("destination_config", knownvalue.Null()),
					expectAsyncValue("function_arn", knownvalue.StringRegexp(functionARN)),
					expectAsyncValue("behavior", knownvalue.StringExact(oneRetry)),
				},
			},
			{
				ResourceName:      asyncInvokeConfigResourceName,
				ImportState:       true,
				ImportStateId:     name,
				ImportStateVerify: true,
			},
			{
				Config: testAccAsyncInvokeConfigConfig_settings(env, name, zip, "maximum_retry_attempts = 0\n  maximum_event_age_in_seconds = 60"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(asyncInvokeConfigResourceName, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(asyncInvokeConfigResourceName, tfjsonpath.New("behavior"), knownvalue.StringExact(noRetries)),
					},
				},
				Check: testAccCheckAsyncInvokeConfigInLambda(env, name, "", 0, 60, "", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					expectAsyncValue("maximum_retry_attempts", knownvalue.Int64Exact(0)),
					expectAsyncValue("maximum_event_age_in_seconds", knownvalue.Int64Exact(60)),
					expectAsyncValue("behavior", knownvalue.StringExact(noRetries)),
				},
			},
			{
				// Against drift: reading back what was applied plans nothing.
				Config:   testAccAsyncInvokeConfigConfig_settings(env, name, zip, "maximum_retry_attempts = 0\n  maximum_event_age_in_seconds = 60"),
				PlanOnly: true,
			},
			{
				// Leaving both unset goes back to Lambda's defaults, in Lambda too.
				Config: testAccAsyncInvokeConfigConfig_settings(env, name, zip, ""),
				Check:  testAccCheckAsyncInvokeConfigInLambda(env, name, "", 2, 21600, "", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					expectAsyncValue("maximum_retry_attempts", knownvalue.Int64Exact(2)),
					expectAsyncValue("maximum_event_age_in_seconds", knownvalue.Int64Exact(21600)),
					expectAsyncValue("behavior", knownvalue.StringExact(defaults)),
				},
			},
		},
	})
}

// A configuration of a published version, imported by name:qualifier.
func TestAccAsyncInvokeConfig_qualifier(t *testing.T) {
	env := acctest.NewEnv(t)
	zip := testfn.WriteZip(t, testfn.Echo, t.TempDir())
	name := acctest.RandomName("async-qualifier")

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckAsyncInvokeConfigDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: testAccAsyncInvokeConfigConfig_qualifier(env, name, zip),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						// The version is published in this apply: the ID waits for it, the behavior does not.
						plancheck.ExpectUnknownValue(asyncInvokeConfigResourceName, tfjsonpath.New("id")),
						plancheck.ExpectKnownValue(asyncInvokeConfigResourceName, tfjsonpath.New("behavior"),
							knownvalue.StringExact("on error: 1 retry after ~1 min; events older than 2m dropped")),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckAsyncInvokeConfigInLambda(env, name, "1", 1, 120, "", ""),
					// The unqualified function has no configuration of its own.
					testAccCheckAsyncInvokeConfigAbsent(env, name, ""),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					expectAsyncValue("id", knownvalue.StringExact(name+":1")),
					expectAsyncValue("qualifier", knownvalue.StringExact("1")),
					expectAsyncValue("function_arn", knownvalue.StringRegexp(regexp.MustCompile(`:function:`+name+`:1$`))),
					expectAsyncValue("behavior", knownvalue.StringExact("on error: 1 retry after ~1 min; events older than 2m dropped")),
				},
			},
			{
				ResourceName:      asyncInvokeConfigResourceName,
				ImportState:       true,
				ImportStateId:     name + ":1",
				ImportStateVerify: true,
			},
		},
	})
}

func TestAccAsyncInvokeConfig_disappears(t *testing.T) {
	env := acctest.NewEnv(t)
	zip := testfn.WriteZip(t, testfn.Echo, t.TempDir())
	name := acctest.RandomName("async-disappears")

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckAsyncInvokeConfigDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: testAccAsyncInvokeConfigConfig_settings(env, name, zip, ""),
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckAsyncInvokeConfigExists(env, asyncInvokeConfigResourceName),
					testAccCheckAsyncInvokeConfigDisappears(env, name),
				),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(asyncInvokeConfigResourceName, plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(functionResourceName, plancheck.ResourceActionNoop),
					},
				},
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// Destinations on success and on failure, changed and removed: Put replaces the whole configuration,
// so what leaves the Terraform configuration leaves Lambda's too.
func TestAccAsyncInvokeConfig_destinations(t *testing.T) {
	env := acctest.NewEnv(t)
	zip := testfn.WriteZip(t, testfn.Echo, t.TempDir())
	name := acctest.RandomName("async-dest")
	queueARN, _ := asyncConfigCreateQueue(t, env, name+"-dlq")
	topicARN := asyncConfigCreateTopic(t, env, name+"-results")
	bucketARN := asyncConfigCreateBucket(t, env, name+"-failed")
	role := asyncConfigCreateRole(t, env, name, map[string]string{"sqs:SendMessage": queueARN, "sns:Publish": topicARN, "s3:PutObject": bucketARN})

	both := fmt.Sprintf(`
  destination_config {
    on_success {
      destination = %q
    }
    on_failure {
      destination = %q
    }
  }`, topicARN, queueARN)
	failureToS3 := fmt.Sprintf(`
  destination_config {
    on_failure {
      destination = %q
    }
  }`, bucketARN)

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckAsyncInvokeConfigDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: testAccAsyncInvokeConfigConfig_role(env, name, zip, role, "maximum_event_age_in_seconds = 3600"+both),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(asyncInvokeConfigResourceName, tfjsonpath.New("behavior"), knownvalue.StringExact(
							"on error: 2 retries after ~1 min and ~2 min; events older than 1h expire; failures -> sqs:"+name+"-dlq; successes -> sns:"+name+"-results")),
					},
				},
				Check: testAccCheckAsyncInvokeConfigInLambda(env, name, "", 2, 3600, topicARN, queueARN),
				ConfigStateChecks: []statecheck.StateCheck{
					expectAsyncValue("destination_config", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"on_success": knownvalue.ObjectExact(map[string]knownvalue.Check{"destination": knownvalue.StringExact(topicARN)}),
						"on_failure": knownvalue.ObjectExact(map[string]knownvalue.Check{"destination": knownvalue.StringExact(queueARN)}),
					})),
				},
			},
			{
				ResourceName:      asyncInvokeConfigResourceName,
				ImportState:       true,
				ImportStateId:     name,
				ImportStateVerify: true,
			},
			{
				Config: testAccAsyncInvokeConfigConfig_role(env, name, zip, role, failureToS3),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(asyncInvokeConfigResourceName, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(asyncInvokeConfigResourceName, tfjsonpath.New("behavior"), knownvalue.StringExact(
							"on error: 2 retries after ~1 min and ~2 min; events older than 6h expire; failures -> s3:"+name+"-failed")),
					},
				},
				// The on-success destination is gone from Lambda, not only from the state.
				Check: testAccCheckAsyncInvokeConfigInLambda(env, name, "", 2, 21600, "", bucketARN),
			},
			{
				Config:   testAccAsyncInvokeConfigConfig_role(env, name, zip, role, failureToS3),
				PlanOnly: true,
			},
			{
				Config: testAccAsyncInvokeConfigConfig_role(env, name, zip, role, ""),
				Check:  testAccCheckAsyncInvokeConfigInLambda(env, name, "", 2, 21600, "", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					expectAsyncValue("destination_config", knownvalue.Null()),
				},
			},
		},
	})
}

// An Event invoke of a failing function, under a configuration with no retries and an on-failure
// queue, ends as one invocation record in that queue, in AWS's shape.
func TestAccAsyncInvokeConfig_delivers(t *testing.T) {
	env := acctest.NewEnv(t)
	zip := testfn.WriteZip(t, testfn.Fail, t.TempDir())
	name := acctest.RandomName("async-delivers")
	queueARN, queueURL := asyncConfigCreateQueue(t, env, name+"-dlq")
	role := asyncConfigCreateRole(t, env, name, map[string]string{"sqs:SendMessage": queueARN})
	const event = `{"order":42,"items":["a","b"]}`

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckAsyncInvokeConfigDestroy(env),
		Steps: []resource.TestStep{
			{
				// The queue's ARN goes through terraform_data, as an ARN from a resource created in the
				// same apply would: behavior is then known only after apply.
				Config: testAccAsyncInvokeConfigConfig_role(env, name, zip, role, `maximum_retry_attempts = 0
  destination_config {
    on_failure {
      destination = terraform_data.dlq.output
    }
  }`) + fmt.Sprintf(`
resource "terraform_data" "dlq" {
  input = %q
}
`, queueARN),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectUnknownValue(asyncInvokeConfigResourceName, tfjsonpath.New("behavior")),
					},
				},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(asyncInvokeConfigResourceName, "behavior",
						"on error: no retries; events older than 6h expire; failures -> sqs:"+name+"-dlq"),
					testAccCheckAsyncInvokeConfigDeliversFailure(env, name, queueURL, event),
				),
			},
		},
	})
}

// Plan-time validation needs no simulator: terraform validates before it configures the provider.
func TestAccAsyncInvokeConfig_validation(t *testing.T) {
	acctest.PreCheck(t)
	config := func(body string) string {
		return acctest.ProviderConfig("http://127.0.0.1:1") + fmt.Sprintf(`
resource "lambdatrigger_async_invoke_config" "test" {
%s
}
`, body)
	}
	step := func(body, want string) resource.TestStep {
		// terraform wraps long diagnostics: a space in want matches any white space.
		want = "(?s)" + strings.ReplaceAll(want, " ", `\s+`)
		return resource.TestStep{Config: config(body), PlanOnly: true, ExpectError: regexp.MustCompile(want)}
	}
	withName := func(extra string) string { return "  function_name = \"validation\"\n  " + extra }
	destination := func(which, arn string) string {
		return withName(fmt.Sprintf(`destination_config {
    %s {
      destination = %q
    }
  }`, which, arn))
	}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			step(withName("maximum_retry_attempts = 3"), `maximum_retry_attempts is 3, but Lambda accepts 0 to 2 retries`),
			step(withName("maximum_retry_attempts = -1"), `Lambda accepts 0 to 2 retries`),
			step(withName("maximum_event_age_in_seconds = 59"), `maximum_event_age_in_seconds is 59, but Lambda accepts 60 to 21600`),
			step(withName("maximum_event_age_in_seconds = 21601"), `Lambda accepts 60 to 21600 seconds`),
			step(destination("on_success", "arn:aws:s3:::my-bucket"), `Invalid Destination.*only as an on-failure destination`),
			step(destination("on_failure", "orders-dlq"), `Invalid Destination.*is not an ARN`),
			step(destination("on_failure", "arn:aws:dynamodb:us-east-1:123456789012:table/t"),
				`Invalid Destination.*must be one of: sqs, sns, lambda, events, s3`),
			step(destination("on_success", "arn:aws:events:us-east-1:123456789012:rule/r"),
				`Invalid Destination.*event-bus/default`),
			step(destination("on_failure", "arn:aws:sqs:us-east-1:123456789012:"), `Invalid Destination`),
			step(`  function_name = "arn:aws:lambda:us-east-1:123456789012:function:f:1"`, `Invalid Function Name.*qualifier`),
			step(`  function_name = "has.dot"`, `Invalid Function Name`),
			step(withName(`qualifier = "0"`), `Invalid Qualifier.*numbered from 1`),
			step(withName(`qualifier = "has space"`), `Invalid Qualifier`),
			step(withName(`destination_config {
    on_failure {}
  }`), `Missing Destination.*destination_config.on_failure block has no destination`),
		},
	})
}

func expectAsyncValue(attr string, check knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(asyncInvokeConfigResourceName, tfjsonpath.New(attr), check)
}

func testAccCheckAsyncInvokeConfigExists(env *acctest.Env, n string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[n]
		if !ok {
			return fmt.Errorf("not found: %s", n)
		}
		_, err := provider.FindAsyncInvokeConfigByTwoPartKey(context.Background(), env.Clients.Lambda,
			rs.Primary.Attributes["function_name"], rs.Primary.Attributes["qualifier"])
		return err
	}
}

func testAccCheckAsyncInvokeConfigDestroy(env *acctest.Env) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "lambdatrigger_async_invoke_config" {
				continue
			}
			_, err := provider.FindAsyncInvokeConfigByTwoPartKey(context.Background(), env.Clients.Lambda,
				rs.Primary.Attributes["function_name"], rs.Primary.Attributes["qualifier"])
			if provider.IsNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			return fmt.Errorf("Lambda function event invoke config %s still exists", rs.Primary.Attributes["id"])
		}
		return nil
	}
}

func testAccCheckAsyncInvokeConfigAbsent(env *acctest.Env, name, qualifier string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		_, err := provider.FindAsyncInvokeConfigByTwoPartKey(context.Background(), env.Clients.Lambda, name, qualifier)
		if provider.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		return fmt.Errorf("Lambda function %s (qualifier %q) has an event invoke config", name, qualifier)
	}
}

// testAccCheckAsyncInvokeConfigInLambda asks Lambda directly (not the state) what it has stored.
func testAccCheckAsyncInvokeConfigInLambda(env *acctest.Env, name, qualifier string, retries, age int32, onSuccess, onFailure string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		input := &lambda.GetFunctionEventInvokeConfigInput{FunctionName: aws.String(name)}
		if qualifier != "" {
			input.Qualifier = aws.String(qualifier)
		}
		output, err := env.Clients.Lambda.GetFunctionEventInvokeConfig(context.Background(), input)
		if err != nil {
			return err
		}
		if got := aws.ToInt32(output.MaximumRetryAttempts); got != retries {
			return fmt.Errorf("MaximumRetryAttempts = %d, want %d", got, retries)
		}
		if got := aws.ToInt32(output.MaximumEventAgeInSeconds); got != age {
			return fmt.Errorf("MaximumEventAgeInSeconds = %d, want %d", got, age)
		}
		var gotSuccess, gotFailure string
		if d := output.DestinationConfig; d != nil {
			if d.OnSuccess != nil {
				gotSuccess = aws.ToString(d.OnSuccess.Destination)
			}
			if d.OnFailure != nil {
				gotFailure = aws.ToString(d.OnFailure.Destination)
			}
		}
		if gotSuccess != onSuccess || gotFailure != onFailure {
			return fmt.Errorf("destinations: on success %q, on failure %q; want %q, %q", gotSuccess, gotFailure, onSuccess, onFailure)
		}
		return nil
	}
}

// testAccCheckAsyncInvokeConfigDisappears deletes the configuration behind terraform's back.
func testAccCheckAsyncInvokeConfigDisappears(env *acctest.Env, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		_, err := env.Clients.Lambda.DeleteFunctionEventInvokeConfig(context.Background(),
			&lambda.DeleteFunctionEventInvokeConfigInput{FunctionName: aws.String(name)})
		return err
	}
}

// testAccCheckAsyncInvokeConfigDeliversFailure fires one Event invoke and waits for its failure
// record in the on-failure queue.
func testAccCheckAsyncInvokeConfigDeliversFailure(env *acctest.Env, name, queueURL, event string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		output, err := env.Clients.Lambda.Invoke(ctx, &lambda.InvokeInput{
			FunctionName:   aws.String(name),
			InvocationType: lambdatypes.InvocationTypeEvent,
			Payload:        []byte(event),
		})
		if err != nil {
			return fmt.Errorf("invoking %s asynchronously: %w", name, err)
		}
		if output.StatusCode != 202 {
			return fmt.Errorf("Event invoke of %s answered %d, want 202", name, output.StatusCode)
		}

		client := asyncConfigSQSClient(env)
		for {
			received, err := client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
				QueueUrl: aws.String(queueURL), WaitTimeSeconds: 1, MaxNumberOfMessages: 10,
			})
			if err != nil {
				return fmt.Errorf("receiving from the on-failure queue: %w", err)
			}
			if len(received.Messages) > 1 {
				return fmt.Errorf("the on-failure queue got %d records for one event", len(received.Messages))
			}
			if len(received.Messages) == 1 {
				return asyncConfigCheckFailureRecord(aws.ToString(received.Messages[0].Body), name, event)
			}
			if ctx.Err() != nil {
				return fmt.Errorf("no failure record reached the on-failure queue within 15 s")
			}
		}
	}
}

func asyncConfigCheckFailureRecord(body, name, event string) error {
	var record struct {
		Version        string `json:"version"`
		Timestamp      string `json:"timestamp"`
		RequestContext struct {
			RequestID              string `json:"requestId"`
			FunctionARN            string `json:"functionArn"`
			Condition              string `json:"condition"`
			ApproximateInvokeCount int    `json:"approximateInvokeCount"`
		} `json:"requestContext"`
		RequestPayload  json.RawMessage `json:"requestPayload"`
		ResponseContext struct {
			StatusCode      int    `json:"statusCode"`
			ExecutedVersion string `json:"executedVersion"`
			FunctionError   string `json:"functionError"`
		} `json:"responseContext"`
		ResponsePayload json.RawMessage `json:"responsePayload"`
	}
	if err := json.Unmarshal([]byte(body), &record); err != nil {
		return fmt.Errorf("decoding the failure record %s: %w", body, err)
	}
	rc := record.RequestContext
	var problems []string
	if record.Version != "1.0" || record.Timestamp == "" {
		problems = append(problems, fmt.Sprintf("version %q, timestamp %q", record.Version, record.Timestamp))
	}
	if rc.Condition != "RetriesExhausted" || rc.ApproximateInvokeCount != 1 || rc.RequestID == "" {
		problems = append(problems, fmt.Sprintf("condition %q, approximateInvokeCount %d, requestId %q", rc.Condition, rc.ApproximateInvokeCount, rc.RequestID))
	}
	if !strings.Contains(rc.FunctionARN, ":function:"+name) {
		problems = append(problems, "functionArn "+rc.FunctionARN)
	}
	if !asyncConfigJSONEqual(record.RequestPayload, []byte(event)) {
		problems = append(problems, "requestPayload "+string(record.RequestPayload))
	}
	if record.ResponseContext.FunctionError == "" || record.ResponseContext.ExecutedVersion != "$LATEST" {
		problems = append(problems, fmt.Sprintf("responseContext %+v", record.ResponseContext))
	}
	if !strings.Contains(string(record.ResponsePayload), "boom") {
		problems = append(problems, "responsePayload "+string(record.ResponsePayload))
	}
	if len(problems) > 0 {
		return fmt.Errorf("failure record %s: unexpected %s", body, strings.Join(problems, "; "))
	}
	return nil
}

func asyncConfigJSONEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xs, _ := json.Marshal(x)
	ys, _ := json.Marshal(y)
	return string(xs) == string(ys)
}

// asyncConfigCreateRole makes an execution role Lambda can assume, allowed to send to the given
// destinations and nothing else: Lambda checks the role when a destination is configured and when it
// delivers, so a test must not rely on a role that may do anything. It is deleted when the test ends.
func asyncConfigCreateRole(t *testing.T, env *acctest.Env, name string, destinations map[string]string) string {
	t.Helper()
	ctx := context.Background()
	client := iam.NewFromConfig(env.Clients.AWSConfig, func(o *iam.Options) { env.Clients.SetEndpoint(&o.BaseEndpoint, "iam") })
	const trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	created, err := client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)})
	if err != nil {
		t.Fatalf("creating role %s: %v", name, err)
	}
	type statement struct {
		Effect   string   `json:"Effect"`
		Action   string   `json:"Action"`
		Resource []string `json:"Resource"`
	}
	var statements []statement
	for action, arn := range destinations {
		statements = append(statements, statement{Effect: "Allow", Action: action, Resource: []string{arn, arn + "/*"}})
	}
	policy, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	if _, err := client.PutRolePolicy(ctx, &iam.PutRolePolicyInput{
		RoleName: aws.String(name), PolicyName: aws.String("destinations"), PolicyDocument: aws.String(string(policy)),
	}); err != nil {
		t.Fatalf("allowing role %s to reach its destinations: %v", name, err)
	}
	t.Cleanup(func() {
		_, _ = client.DeleteRolePolicy(context.Background(), &iam.DeleteRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("destinations")})
		_, _ = client.DeleteRole(context.Background(), &iam.DeleteRoleInput{RoleName: aws.String(name)})
	})
	return aws.ToString(created.Role.Arn)
}

func asyncConfigSQSClient(env *acctest.Env) *sqs.Client {
	return sqs.NewFromConfig(env.Clients.AWSConfig, func(o *sqs.Options) { env.Clients.SetEndpoint(&o.BaseEndpoint, "sqs") })
}

// asyncConfigCreateQueue makes a standard queue outside terraform (the provider has no queue resource) and
// returns its ARN and URL; it is deleted when the test ends.
func asyncConfigCreateQueue(t *testing.T, env *acctest.Env, name string) (arn, url string) {
	t.Helper()
	ctx := context.Background()
	client := asyncConfigSQSClient(env)
	created, err := client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name)})
	if err != nil {
		t.Fatalf("creating queue %s: %v", name, err)
	}
	url = aws.ToString(created.QueueUrl)
	t.Cleanup(func() {
		_, _ = client.DeleteQueue(context.Background(), &sqs.DeleteQueueInput{QueueUrl: aws.String(url)})
	})
	attrs, err := client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
	if err != nil {
		t.Fatalf("reading the ARN of queue %s: %v", name, err)
	}
	return attrs.Attributes[string(sqstypes.QueueAttributeNameQueueArn)], url
}

func asyncConfigCreateTopic(t *testing.T, env *acctest.Env, name string) string {
	t.Helper()
	client := sns.NewFromConfig(env.Clients.AWSConfig, func(o *sns.Options) { env.Clients.SetEndpoint(&o.BaseEndpoint, "sns") })
	created, err := client.CreateTopic(context.Background(), &sns.CreateTopicInput{Name: aws.String(name)})
	if err != nil {
		t.Fatalf("creating topic %s: %v", name, err)
	}
	arn := aws.ToString(created.TopicArn)
	t.Cleanup(func() {
		_, _ = client.DeleteTopic(context.Background(), &sns.DeleteTopicInput{TopicArn: aws.String(arn)})
	})
	return arn
}

func asyncConfigCreateBucket(t *testing.T, env *acctest.Env, name string) string {
	t.Helper()
	client := s3.NewFromConfig(env.Clients.AWSConfig, func(o *s3.Options) {
		env.Clients.SetEndpoint(&o.BaseEndpoint, "s3")
		o.UsePathStyle = env.Clients.S3UsePathStyle
	})
	if _, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("creating bucket %s: %v", name, err)
	}
	t.Cleanup(func() {
		_, _ = client.DeleteBucket(context.Background(), &s3.DeleteBucketInput{Bucket: aws.String(name)})
	})
	return "arn:" + env.Clients.Partition + ":s3:::" + name
}

func testAccAsyncInvokeConfigConfig_settings(env *acctest.Env, name, zip, settings string) string {
	return testAccAsyncInvokeConfigConfig_role(env, name, zip, env.RoleARN, settings)
}

func testAccAsyncInvokeConfigConfig_role(env *acctest.Env, name, zip, role, settings string) string {
	return env.ProviderConfig + fmt.Sprintf(`
resource "lambdatrigger_function" "test" {
  function_name    = %[1]q
  filename         = %[2]q
  source_code_hash = filebase64sha256(%[2]q)
  runtime          = "provided.al2023"
  role             = %[3]q
}

resource "lambdatrigger_async_invoke_config" "test" {
  function_name = lambdatrigger_function.test.function_name
  %[4]s
}
`, name, zip, role, settings)
}

func testAccAsyncInvokeConfigConfig_qualifier(env *acctest.Env, name, zip string) string {
	return env.ProviderConfig + fmt.Sprintf(`
resource "lambdatrigger_function" "test" {
  function_name    = %[1]q
  filename         = %[2]q
  source_code_hash = filebase64sha256(%[2]q)
  runtime          = "provided.al2023"
  role             = %[3]q
  publish          = true
}

resource "lambdatrigger_async_invoke_config" "test" {
  function_name                = lambdatrigger_function.test.function_name
  qualifier                    = lambdatrigger_function.test.version
  maximum_retry_attempts       = 1
  maximum_event_age_in_seconds = 120
}
`, name, zip, env.RoleARN)
}
