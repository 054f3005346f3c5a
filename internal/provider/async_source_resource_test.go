package provider_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	cwltypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
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

const asyncSourceResourceName = "lambdatrigger_async_source.test"

// The default event invoke config, as behavior words it.
const asyncSourceDefaults = "on error: 2 retries after ~1 min and ~2 min; events older than 6h dropped"

func TestAccAsyncSource_S3_basic(t *testing.T) {
	env := asyncSourceEnv(t)
	zip := testfn.WriteZip(t, testfn.Echo, t.TempDir())
	name := acctest.RandomName("as-s3")
	asyncSourceBucket(t, env, name)
	behavior := "s3:ObjectCreated:* under " + name + "/uploads/*.jpg -> Event; " + asyncSourceDefaults

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckAsyncSourceDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: testAccAsyncSourceConfig(env, name, zip, env.RoleARN, asyncSourceS3Block(name, `["s3:ObjectCreated:*"]`, "uploads/", ".jpg")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(asyncSourceResourceName, plancheck.ResourceActionCreate),
						plancheck.ExpectKnownValue(asyncSourceResourceName, tfjsonpath.New("behavior"), knownvalue.StringExact(behavior)),
						plancheck.ExpectKnownValue(asyncSourceResourceName, tfjsonpath.New("invocation_type"), knownvalue.StringExact("Event")),
						plancheck.ExpectKnownValue(asyncSourceResourceName, tfjsonpath.New("principal"), knownvalue.StringExact("s3.amazonaws.com")),
						plancheck.ExpectKnownValue(asyncSourceResourceName, tfjsonpath.New("event_type"), knownvalue.StringExact("S3Event")),
						plancheck.ExpectKnownValue(asyncSourceResourceName, tfjsonpath.New("statement_id"), knownvalue.StringRegexp(regexp.MustCompile(`^lambdatrigger-[0-9a-f]{24}$`))),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckAsyncSourceExists(env, asyncSourceResourceName),
					testAccCheckAsyncSourceS3Fires(env, name, name, "uploads/cat.jpg", true),
					testAccCheckAsyncSourceS3Fires(env, name, name, "other/cat.jpg", false),
					testAccCheckAsyncSourceS3Fires(env, name, name, "uploads/cat.png", false),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					asyncSourceValue("source_arn", knownvalue.StringExact("arn:aws:s3:::"+name)),
					asyncSourceValue("behavior", knownvalue.StringExact(behavior)),
					asyncSourceValue("id", knownvalue.StringRegexp(regexp.MustCompile(`^s3\|`+name+`\|lambdatrigger-[0-9a-f]{20}$`))),
				},
			},
			{
				ResourceName:      asyncSourceResourceName,
				ImportState:       true,
				ImportStateIdFunc: asyncSourceImportID,
				ImportStateVerify: true,
			},
			{
				// Events change in place: the configuration keeps its id, the permission its statement.
				Config: testAccAsyncSourceConfig(env, name, zip, env.RoleARN, asyncSourceS3Block(name, `["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]`, "uploads/", ".jpg")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(asyncSourceResourceName, plancheck.ResourceActionUpdate)},
				},
				// The configuration and the statement of the old events are replaced, not left behind.
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckAsyncSourceLambdaConfigurations(env, name, 1),
					testAccCheckAsyncSourceStatements(env, name, 1),
					testAccCheckAsyncSourceS3Fires(env, name, name, "uploads/dog.jpg", true),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					asyncSourceValue("s3", knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"events": knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("s3:ObjectCreated:*"), knownvalue.StringExact("s3:ObjectRemoved:*")}),
					})),
				},
			},
			{
				Config:   testAccAsyncSourceConfig(env, name, zip, env.RoleARN, asyncSourceS3Block(name, `["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]`, "uploads/", ".jpg")),
				PlanOnly: true,
			},
		},
	})
}

// A source of a published version: the permission is added to the version's policy, and S3 invokes
// the version.
func TestAccAsyncSource_S3_qualifier(t *testing.T) {
	env := asyncSourceEnv(t)
	zip := testfn.WriteZip(t, testfn.Echo, t.TempDir())
	name := acctest.RandomName("as-s3q")
	asyncSourceBucket(t, env, name)
	config := env.ProviderConfig + fmt.Sprintf(`
resource "lambdatrigger_function" "test" {
  function_name    = %[1]q
  filename         = %[2]q
  source_code_hash = filebase64sha256(%[2]q)
  runtime          = "provided.al2023"
  role             = %[3]q
  publish          = true
}

resource "lambdatrigger_async_source" "test" {
  function_name = lambdatrigger_function.test.function_name
  qualifier     = lambdatrigger_function.test.version
  %[4]s
}
`, name, zip, env.RoleARN, asyncSourceS3Block(name, `["s3:ObjectCreated:*"]`, "", ""))

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckAsyncSourceDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckAsyncSourceExists(env, asyncSourceResourceName),
					testAccCheckAsyncSourceS3Fires(env, name, name, "versioned", true),
					testAccCheckAsyncSourceQualifier(env, name, "versioned", "1"),
				),
				ConfigStateChecks: []statecheck.StateCheck{asyncSourceValue("qualifier", knownvalue.StringExact("1"))},
			},
			{
				ResourceName:      asyncSourceResourceName,
				ImportState:       true,
				ImportStateIdFunc: asyncSourceImportID,
				ImportStateVerify: true,
			},
			{Config: config, PlanOnly: true},
		},
	})
}

// Two sources on one bucket, created in one apply, both fire; destroying one keeps the other.
func TestAccAsyncSource_S3_twoOnOneBucket(t *testing.T) {
	env := asyncSourceEnv(t)
	zip := testfn.WriteZip(t, testfn.Echo, t.TempDir())
	name := acctest.RandomName("as-s3two")
	asyncSourceBucket(t, env, name)
	second := fmt.Sprintf(`
resource "lambdatrigger_async_source" "second" {
  function_name = lambdatrigger_function.test.function_name
  %s
}
`, asyncSourceS3Block(name, `["s3:ObjectCreated:*"]`, "b/", ""))
	one := testAccAsyncSourceConfig(env, name, zip, env.RoleARN, asyncSourceS3Block(name, `["s3:ObjectCreated:*"]`, "a/", ""))

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckAsyncSourceDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: one + second,
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckAsyncSourceLambdaConfigurations(env, name, 2),
					testAccCheckAsyncSourceS3Fires(env, name, name, "a/1", true),
					testAccCheckAsyncSourceS3Fires(env, name, name, "b/1", true),
				),
			},
			{Config: one + second, PlanOnly: true},
			{
				Config: one,
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckAsyncSourceLambdaConfigurations(env, name, 1),
					testAccCheckAsyncSourceS3Fires(env, name, name, "a/2", true),
					testAccCheckAsyncSourceS3Fires(env, name, name, "b/2", false),
				),
			},
			{Config: one, PlanOnly: true},
		},
	})
}

func TestAccAsyncSource_SNS_filterPolicy(t *testing.T) {
	env := asyncSourceEnv(t)
	zip := testfn.WriteZip(t, testfn.Echo, t.TempDir())
	name := acctest.RandomName("as-sns")
	topic := asyncSourceTopic(t, env, name)
	block := func(color string) string {
		return fmt.Sprintf(`sns {
    topic_arn     = %q
    filter_policy = jsonencode({ color = [%q] })
  }`, topic, color)
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckAsyncSourceDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: testAccAsyncSourceConfig(env, name, zip, env.RoleARN, block("blue")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(asyncSourceResourceName, tfjsonpath.New("principal"), knownvalue.StringExact("sns.amazonaws.com")),
						plancheck.ExpectKnownValue(asyncSourceResourceName, tfjsonpath.New("event_type"), knownvalue.StringExact("SNSEvent")),
						plancheck.ExpectKnownValue(asyncSourceResourceName, tfjsonpath.New("behavior"), knownvalue.StringExact(
							"sns:"+name+" filtered on MessageAttributes (SNS retries failed deliveries for ~23 days) -> Event; "+asyncSourceDefaults)),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckAsyncSourceExists(env, asyncSourceResourceName),
					testAccCheckAsyncSourceSNSFires(env, name, topic, "blue", true),
					testAccCheckAsyncSourceSNSFires(env, name, topic, "red", false),
				),
			},
			{
				ResourceName:      asyncSourceResourceName,
				ImportState:       true,
				ImportStateIdFunc: asyncSourceImportID,
				ImportStateVerify: true,
			},
			{
				// The filter policy changes on the same subscription.
				Config: testAccAsyncSourceConfig(env, name, zip, env.RoleARN, block("red")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(asyncSourceResourceName, plancheck.ResourceActionUpdate)},
				},
				Check: testAccCheckAsyncSourceSNSFires(env, name, topic, "red", true),
			},
			{Config: testAccAsyncSourceConfig(env, name, zip, env.RoleARN, block("red")), PlanOnly: true},
		},
	})
}

func TestAccAsyncSource_EventBridge_pattern(t *testing.T) {
	env := asyncSourceEnv(t)
	zip := testfn.WriteZip(t, testfn.Echo, t.TempDir())
	name := acctest.RandomName("as-eb")
	source := "acc." + name
	block := func(retries int) string {
		return fmt.Sprintf(`eventbridge {
    event_pattern = jsonencode({ source = [%q] })
    retry_policy {
      maximum_retry_attempts       = %d
      maximum_event_age_in_seconds = 3600
    }
  }`, source, retries)
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckAsyncSourceDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: testAccAsyncSourceConfig(env, name, zip, env.RoleARN, block(3)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(asyncSourceResourceName, tfjsonpath.New("event_type"), knownvalue.StringExact("CloudWatchEvent")),
						plancheck.ExpectKnownValue(asyncSourceResourceName, tfjsonpath.New("source_arn"),
							knownvalue.StringRegexp(regexp.MustCompile(`^arn:aws:events:[a-z0-9-]+:\d{12}:rule/lambdatrigger-[0-9a-f]{24}$`))),
						plancheck.ExpectKnownValue(asyncSourceResourceName, tfjsonpath.New("behavior"),
							knownvalue.StringRegexp(regexp.MustCompile(`^events:lambdatrigger-[0-9a-f]{24} \(event pattern\) \(EventBridge retries 3 times within 1h\) -> Event; `))),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckAsyncSourceExists(env, asyncSourceResourceName),
					testAccCheckAsyncSourceEventBridgeFires(env, name, source, true),
					testAccCheckAsyncSourceEventBridgeFires(env, name, "acc.other", false),
				),
			},
			{
				ResourceName:      asyncSourceResourceName,
				ImportState:       true,
				ImportStateIdFunc: asyncSourceImportID,
				ImportStateVerify: true,
			},
			{
				Config: testAccAsyncSourceConfig(env, name, zip, env.RoleARN, block(0)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(asyncSourceResourceName, plancheck.ResourceActionUpdate)},
				},
			},
			{Config: testAccAsyncSourceConfig(env, name, zip, env.RoleARN, block(0)), PlanOnly: true},
		},
	})
}

// A rule the resource creates from a schedule fires on the simulator's clock, here 60 times faster:
// rate(1 minute) fires about every second.
func TestAccAsyncSource_EventBridge_schedule(t *testing.T) {
	env := acctest.NewScaledEnv(t, 60)
	zip := testfn.WriteZip(t, testfn.Echo, t.TempDir())
	name := acctest.RandomName("as-sched")
	// 900 s of simulated time are 15 s of real time under the scaled clock.
	config := env.ProviderConfig + fmt.Sprintf(`
resource "lambdatrigger_function" "test" {
  function_name    = %[1]q
  filename         = %[2]q
  source_code_hash = filebase64sha256(%[2]q)
  runtime          = "provided.al2023"
  role             = %[3]q
  timeout          = 900
}

resource "lambdatrigger_async_source" "test" {
  function_name = lambdatrigger_function.test.function_name
  eventbridge {
    schedule_expression = "rate(1 minute)"
  }
}
`, name, zip, env.RoleARN)

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckAsyncSourceDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(asyncSourceResourceName, tfjsonpath.New("behavior"),
							knownvalue.StringRegexp(regexp.MustCompile(`^events:lambdatrigger-[0-9a-f]{24} \(rate\(1 minute\)\) \(EventBridge retries 185 times within 24h\) -> Event; `))),
					},
				},
				Check: testAccCheckAsyncSourceScheduleFires(env, name, 2),
			},
			{Config: config, PlanOnly: true},
		},
	})
}

func TestAccAsyncSource_CloudWatchLogs_basic(t *testing.T) {
	env := asyncSourceEnv(t)
	zip := testfn.WriteZip(t, testfn.Echo, t.TempDir())
	name := acctest.RandomName("as-logs")
	group := "/acc/" + name
	asyncSourceLogGroup(t, env, group)
	config := testAccAsyncSourceConfig(env, name, zip, env.RoleARN, fmt.Sprintf(`cloudwatch_logs {
    log_group_name = %q
    filter_name    = "errors"
    filter_pattern = "ERROR"
  }`, group))

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckAsyncSourceDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(asyncSourceResourceName, tfjsonpath.New("principal"), knownvalue.StringExact("logs.amazonaws.com")),
						plancheck.ExpectKnownValue(asyncSourceResourceName, tfjsonpath.New("event_type"), knownvalue.StringExact("CloudwatchLogsEvent")),
						plancheck.ExpectKnownValue(asyncSourceResourceName, tfjsonpath.New("source_arn"),
							knownvalue.StringRegexp(regexp.MustCompile(`^arn:aws:logs:[a-z0-9-]+:\d{12}:log-group:`+regexp.QuoteMeta(group)+`:\*$`))),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckAsyncSourceExists(env, asyncSourceResourceName),
					testAccCheckAsyncSourceLogsFire(env, name, group),
				),
			},
			{
				ResourceName:      asyncSourceResourceName,
				ImportState:       true,
				ImportStateIdFunc: asyncSourceImportID,
				ImportStateVerify: true,
			},
			{Config: config, PlanOnly: true},
		},
	})
}

// Every part removed outside Terraform (here: the notification entry and the permission, as Delete
// removes them) is noticed by Read, and the next plan wires the source again.
func TestAccAsyncSource_disappears(t *testing.T) {
	env := asyncSourceEnv(t)
	zip := testfn.WriteZip(t, testfn.Echo, t.TempDir())
	name := acctest.RandomName("as-gone")
	asyncSourceBucket(t, env, name)

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckAsyncSourceDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: testAccAsyncSourceConfig(env, name, zip, env.RoleARN, asyncSourceS3Block(name, `["s3:ObjectCreated:*"]`, "", "")),
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckAsyncSourceExists(env, asyncSourceResourceName),
					testAccCheckAsyncSourceDisappears(env, asyncSourceResourceName),
					testAccCheckAsyncSourceLambdaConfigurations(env, name, 0),
				),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(asyncSourceResourceName, plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction("lambdatrigger_function.test", plancheck.ResourceActionNoop),
					},
				},
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// Each source's own part deleted outside Terraform (the subscription, the target, the filter) is
// detected by Read, and the next apply wires it again, keeping the permission.
func TestAccAsyncSource_drift(t *testing.T) {
	env := asyncSourceEnv(t)
	zip := testfn.WriteZip(t, testfn.Echo, t.TempDir())
	name := acctest.RandomName("as-drift")
	topic := asyncSourceTopic(t, env, name)
	group := "/acc/" + name
	asyncSourceLogGroup(t, env, group)
	blocks := map[string]string{
		"sns":         fmt.Sprintf("sns {\n    topic_arn = %q\n  }", topic),
		"eventbridge": fmt.Sprintf("eventbridge {\n    event_pattern = jsonencode({ source = [%q] })\n  }", "acc."+name),
		"logs":        fmt.Sprintf("cloudwatch_logs {\n    log_group_name = %q\n    filter_name = \"all\"\n  }", group),
	}
	removeOutside := map[string]func(attrs map[string]string) error{
		"sns": func(a map[string]string) error {
			_, err := asyncSourceSNS(env).Unsubscribe(context.Background(), &sns.UnsubscribeInput{SubscriptionArn: aws.String(a["sns.subscription_arn"])})
			return err
		},
		"eventbridge": func(a map[string]string) error {
			_, err := asyncSourceEvents(env).RemoveTargets(context.Background(), &eventbridge.RemoveTargetsInput{
				Rule: aws.String(a["eventbridge.rule_name"]), Ids: []string{a["eventbridge.target_id"]}})
			return err
		},
		"logs": func(a map[string]string) error {
			_, err := asyncSourceLogs(env).DeleteSubscriptionFilter(context.Background(), &cloudwatchlogs.DeleteSubscriptionFilterInput{
				LogGroupName: aws.String(group), FilterName: aws.String("all")})
			return err
		},
	}
	for _, kind := range []string{"sns", "eventbridge", "logs"} {
		t.Run(kind, func(t *testing.T) {
			config := testAccAsyncSourceConfig(env, name+"-"+kind, zip, env.RoleARN, blocks[kind])
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				CheckDestroy:             testAccCheckAsyncSourceDestroy(env),
				Steps: []resource.TestStep{
					{
						Config: config,
						Check: func(s *terraform.State) error {
							rs := s.RootModule().Resources[asyncSourceResourceName]
							if err := removeOutside[kind](rs.Primary.Attributes); err != nil {
								return err
							}
							if err := provider.FindAsyncSource(context.Background(), env.Clients, rs.Primary.Attributes); !provider.IsNotFound(err) {
								return fmt.Errorf("after removing the %s part outside Terraform, the finder says %v", kind, err)
							}
							return nil
						},
						ExpectNonEmptyPlan: true,
					},
					{Config: config, Check: testAccCheckAsyncSourceExists(env, asyncSourceResourceName)},
					{Config: config, PlanOnly: true},
				},
			})
		})
	}
}

// Removing the permission outside Terraform stops S3's deliveries as on AWS (the event is not run),
// Read notices it, and the next apply restores it.
func TestAccAsyncSource_permissionRemoved(t *testing.T) {
	env := asyncSourceEnv(t)
	zip := testfn.WriteZip(t, testfn.Echo, t.TempDir())
	name := acctest.RandomName("as-perm")
	asyncSourceBucket(t, env, name)
	config := testAccAsyncSourceConfig(env, name, zip, env.RoleARN, asyncSourceS3Block(name, `["s3:ObjectCreated:*"]`, "", ""))

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckAsyncSourceDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckAsyncSourceS3Fires(env, name, name, "before", true),
					testAccCheckAsyncSourceRemovePermission(env, asyncSourceResourceName),
					testAccCheckAsyncSourceS3Fires(env, name, name, "without-permission", false),
				),
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				Check:  testAccCheckAsyncSourceS3Fires(env, name, name, "restored", true),
			},
			{Config: config, PlanOnly: true},
		},
	})
}

// The function fails, its event invoke config allows no retry, and the on-failure queue receives the
// record of the S3 event.
func TestAccAsyncSource_failureDestination(t *testing.T) {
	env := asyncSourceEnv(t)
	zip := testfn.WriteZip(t, testfn.Fail, t.TempDir())
	name := acctest.RandomName("as-fail")
	asyncSourceBucket(t, env, name)
	queueARN, queueURL := asyncSourceQueue(t, env, name+"-dlq")
	role := asyncSourceRole(t, env, name, queueARN)
	invokeConfig := fmt.Sprintf(`
resource "lambdatrigger_async_invoke_config" "test" {
  function_name          = lambdatrigger_function.test.function_name
  maximum_retry_attempts = 0
  destination_config {
    on_failure {
      destination = %q
    }
  }
}
`, queueARN)
	// The function and its invoke config first: behavior reads the invoke config at plan time, so a
	// config created in the same apply shows in behavior only from the next plan.
	functionOnly := env.ProviderConfig + fmt.Sprintf(`
resource "lambdatrigger_function" "test" {
  function_name    = %[1]q
  filename         = %[2]q
  source_code_hash = filebase64sha256(%[2]q)
  runtime          = "provided.al2023"
  role             = %[3]q
}
`, name, zip, role) + invokeConfig
	config := testAccAsyncSourceConfig(env, name, zip, role, asyncSourceS3Block(name, `["s3:ObjectCreated:*"]`, "", "")) + invokeConfig
	behavior := "s3:ObjectCreated:* under " + name + "/* -> Event; on error: no retries; events older than 6h expire; failures -> sqs:" + name + "-dlq"

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckAsyncSourceDestroy(env),
		Steps: []resource.TestStep{
			{Config: functionOnly},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(asyncSourceResourceName, tfjsonpath.New("behavior"), knownvalue.StringExact(behavior)),
					},
				},
				Check: testAccCheckAsyncSourceFailureRecord(env, name, queueURL, "broken.jpg"),
				ConfigStateChecks: []statecheck.StateCheck{
					asyncSourceValue("behavior", knownvalue.StringExact(behavior)),
				},
			},
			{Config: config, PlanOnly: true},
		},
	})
}

// What AWS would refuse is refused at plan time.
func TestAccAsyncSource_validation(t *testing.T) {
	env := asyncSourceEnv(t)
	zip := testfn.WriteZip(t, testfn.Echo, t.TempDir())
	name := acctest.RandomName("as-valid")
	asyncSourceBucket(t, env, name)
	group := "/acc/" + name
	asyncSourceLogGroup(t, env, group)
	fn := func(body string) string { return testAccAsyncSourceConfig(env, name, zip, env.RoleARN, body) }
	planOnly := func(config, msg string) resource.TestStep {
		return resource.TestStep{Config: config, PlanOnly: true, ExpectError: regexp.MustCompile(msg)}
	}
	first := fn(asyncSourceS3Block(name, `["s3:ObjectCreated:*"]`, "photos/", ""))
	overlapping := first + fmt.Sprintf(`
resource "lambdatrigger_async_source" "second" {
  function_name = lambdatrigger_function.test.function_name
  %s
}
`, asyncSourceS3Block(name, `["s3:ObjectCreated:Put"]`, "photos/2024/", ""))

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			planOnly(fn(""), "Exactly One Event Source Required"),
			planOnly(fn(asyncSourceS3Block(name, `["s3:ObjectCreated:*"]`, "", "")+"\n  sns {\n    topic_arn = \"arn:aws:sns:us-east-1:000000000000:t\"\n  }"), "Exactly One Event Source Required"),
			planOnly(fn(asyncSourceS3Block(name, `["s3:ObjectCreated:*", "s3:ObjectCreated:Put"]`, "", "")), "Overlapping S3 Event Types"),
			planOnly(fn(asyncSourceS3Block(name, `["s3:ObjectMade"]`, "", "")), "Invalid S3 Event Type"),
			planOnly(fn(`eventbridge {
    rule_arn      = "arn:aws:events:us-east-1:000000000000:rule/r"
    event_pattern = jsonencode({ source = ["x"] })
  }`), "Conflicting Rule Attributes"),
			planOnly(fn(`eventbridge {
    schedule_expression = "every 5 minutes"
  }`), "Invalid Schedule Expression"),
			planOnly(fn(`eventbridge {
    schedule_expression = "rate(5 minutes)"
    retry_policy {
      maximum_retry_attempts = 186
    }
  }`), "185"),
			planOnly(fn(`sns {
    topic_arn     = "arn:aws:sns:us-east-1:000000000000:t"
    filter_policy = "not json"
  }`), "Invalid Filter Policy"),
			{
				// Two filters on the group already: a third is refused at plan time.
				PreConfig: func() { asyncSourceFillLogGroup(t, env, group) },
				Config: fn(fmt.Sprintf(`cloudwatch_logs {
    log_group_name = %q
    filter_name    = "third"
  }`, group)),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile("Too Many Subscription Filters"),
			},
			{Config: first},
			// The bucket now has a configuration for photos/ on every ObjectCreated event.
			planOnly(overlapping, "Overlapping S3 Notification Configurations"),
			{
				// Two overlapping sources created in one apply: only S3 can tell, and the diagnostic says what to change.
				Config: first + fmt.Sprintf(`
resource "lambdatrigger_async_source" "wide" {
  function_name = lambdatrigger_function.test.function_name
  %s
}

resource "lambdatrigger_async_source" "narrow" {
  function_name = lambdatrigger_function.test.function_name
  %s
}
`, asyncSourceS3Block(name+"-2", `["s3:ObjectCreated:*"]`, "photos/", ""), asyncSourceS3Block(name+"-2", `["s3:ObjectCreated:Put"]`, "photos/2024/", "")),
				PreConfig:   func() { asyncSourceBucket(t, env, name+"-2") },
				ExpectError: regexp.MustCompile("Overlapping S3 Notification Configurations"),
			},
		},
	})
}

// Helpers.

func asyncSourceValue(attr string, check knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(asyncSourceResourceName, tfjsonpath.New(attr), check)
}

// asyncSourceEnv is an environment whose checks read the simulator's invocation log.
func asyncSourceEnv(t *testing.T) *acctest.Env {
	t.Helper()
	env := acctest.NewEnv(t)
	if env.Endpoint == "" {
		t.Skip("async source acceptance tests read the simulator's invocation log")
	}
	return env
}

func asyncSourceImportID(s *terraform.State) (string, error) {
	rs, ok := s.RootModule().Resources[asyncSourceResourceName]
	if !ok {
		return "", fmt.Errorf("%s not in state", asyncSourceResourceName)
	}
	return rs.Primary.ID, nil
}

func testAccAsyncSourceConfig(env *acctest.Env, name, zip, role, block string) string {
	return env.ProviderConfig + fmt.Sprintf(`
resource "lambdatrigger_function" "test" {
  function_name    = %[1]q
  filename         = %[2]q
  source_code_hash = filebase64sha256(%[2]q)
  runtime          = "provided.al2023"
  role             = %[3]q
}

resource "lambdatrigger_async_source" "test" {
  function_name = lambdatrigger_function.test.function_name
  %[4]s
}
`, name, zip, role, block)
}

func asyncSourceS3Block(bucket, events, prefix, suffix string) string {
	b := fmt.Sprintf("s3 {\n    bucket = %q\n    events = %s\n", bucket, events)
	if prefix != "" {
		b += fmt.Sprintf("    filter_prefix = %q\n", prefix)
	}
	if suffix != "" {
		b += fmt.Sprintf("    filter_suffix = %q\n", suffix)
	}
	return b + "  }"
}

func asyncSourceS3(env *acctest.Env) *s3.Client {
	return s3.NewFromConfig(env.Clients.AWSConfig, func(o *s3.Options) {
		env.Clients.SetEndpoint(&o.BaseEndpoint, "s3")
		o.UsePathStyle = env.Clients.S3UsePathStyle
	})
}

func asyncSourceSNS(env *acctest.Env) *sns.Client {
	return sns.NewFromConfig(env.Clients.AWSConfig, func(o *sns.Options) { env.Clients.SetEndpoint(&o.BaseEndpoint, "sns") })
}

func asyncSourceEvents(env *acctest.Env) *eventbridge.Client {
	return eventbridge.NewFromConfig(env.Clients.AWSConfig, func(o *eventbridge.Options) { env.Clients.SetEndpoint(&o.BaseEndpoint, "events") })
}

func asyncSourceLogs(env *acctest.Env) *cloudwatchlogs.Client {
	return cloudwatchlogs.NewFromConfig(env.Clients.AWSConfig, func(o *cloudwatchlogs.Options) { env.Clients.SetEndpoint(&o.BaseEndpoint, "logs") })
}

func asyncSourceSQS(env *acctest.Env) *sqs.Client {
	return sqs.NewFromConfig(env.Clients.AWSConfig, func(o *sqs.Options) { env.Clients.SetEndpoint(&o.BaseEndpoint, "sqs") })
}

func asyncSourceBucket(t *testing.T, env *acctest.Env, name string) {
	t.Helper()
	if _, err := asyncSourceS3(env).CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("creating bucket %s: %v", name, err)
	}
}

func asyncSourceTopic(t *testing.T, env *acctest.Env, name string) string {
	t.Helper()
	out, err := asyncSourceSNS(env).CreateTopic(context.Background(), &sns.CreateTopicInput{Name: aws.String(name)})
	if err != nil {
		t.Fatalf("creating topic %s: %v", name, err)
	}
	return aws.ToString(out.TopicArn)
}

func asyncSourceLogGroup(t *testing.T, env *acctest.Env, group string) {
	t.Helper()
	ctx := context.Background()
	client := asyncSourceLogs(env)
	if _, err := client.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)}); err != nil {
		t.Fatalf("creating log group %s: %v", group, err)
	}
	if _, err := client.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String("app")}); err != nil {
		t.Fatalf("creating log stream of %s: %v", group, err)
	}
}

// asyncSourceFillLogGroup gives the group its two subscription filters, to a function made for them.
func asyncSourceFillLogGroup(t *testing.T, env *acctest.Env, group string) {
	t.Helper()
	ctx := context.Background()
	name := acctest.RandomName("as-fill")
	zip := testfn.WriteZip(t, testfn.Echo, t.TempDir())
	code, err := asyncSourceReadFile(zip)
	if err != nil {
		t.Fatal(err)
	}
	fnOut, err := env.Clients.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String(name), Role: aws.String(env.RoleARN),
		Runtime: "provided.al2023", Handler: aws.String("bootstrap"), Code: &asyncSourceFunctionCode{ZipFile: code}})
	if err != nil {
		t.Fatalf("creating function %s: %v", name, err)
	}
	arn := aws.ToString(fnOut.FunctionArn)
	if _, err := env.Clients.Lambda.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: aws.String(name), StatementId: aws.String("logs"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("logs.amazonaws.com")}); err != nil {
		t.Fatalf("allowing logs to invoke %s: %v", name, err)
	}
	for _, f := range []string{"one", "two"} {
		err := asyncSourceRetry(30*time.Second, func() error {
			_, err := asyncSourceLogs(env).PutSubscriptionFilter(ctx, &cloudwatchlogs.PutSubscriptionFilterInput{LogGroupName: aws.String(group),
				FilterName: aws.String(f), FilterPattern: aws.String(""), DestinationArn: aws.String(arn)})
			return err
		})
		if err != nil {
			t.Fatalf("putting subscription filter %s: %v", f, err)
		}
	}
}

func asyncSourceQueue(t *testing.T, env *acctest.Env, name string) (arn, queueURL string) {
	t.Helper()
	ctx := context.Background()
	created, err := asyncSourceSQS(env).CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name)})
	if err != nil {
		t.Fatalf("creating queue %s: %v", name, err)
	}
	attrs, err := asyncSourceSQS(env).GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: created.QueueUrl,
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
	if err != nil {
		t.Fatalf("reading queue %s: %v", name, err)
	}
	return attrs.Attributes[string(sqstypes.QueueAttributeNameQueueArn)], aws.ToString(created.QueueUrl)
}

// asyncSourceRole is an execution role in the simulated IAM allowed to send to the queue.
func asyncSourceRole(t *testing.T, env *acctest.Env, name, queueARN string) string {
	t.Helper()
	ctx := context.Background()
	client := iam.NewFromConfig(env.Clients.AWSConfig, func(o *iam.Options) { env.Clients.SetEndpoint(&o.BaseEndpoint, "iam") })
	const trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	created, err := client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)})
	if err != nil {
		t.Fatalf("creating role %s: %v", name, err)
	}
	policy := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":%q}]}`, queueARN)
	if _, err := client.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("dlq"), PolicyDocument: aws.String(policy)}); err != nil {
		t.Fatalf("allowing role %s to send to its queue: %v", name, err)
	}
	return aws.ToString(created.Role.Arn)
}

// asyncSourceInvocation is a record of the simulator's invocation log.
type asyncSourceInvocation struct {
	Trigger        string `json:"trigger"`
	InvocationType string `json:"invocationType"`
	Payload        string `json:"payload"`
	Outcome        string `json:"outcome"`
	Qualifier      string `json:"qualifier"`
}

func asyncSourceInvocations(env *acctest.Env, function string) ([]asyncSourceInvocation, error) {
	resp, err := http.Get(env.Endpoint + "/_sim/invocations?function=" + url.QueryEscape(function))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var body struct {
		Invocations []asyncSourceInvocation `json:"invocations"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, fmt.Errorf("reading the invocation log: %w", err)
	}
	return body.Invocations, nil
}

// asyncSourceAwait waits until the function ran with a payload containing marker (want), or checks
// that it did not within a few seconds (!want). It returns the matching invocations.
func asyncSourceAwait(env *acctest.Env, function, trigger, marker string, want bool) ([]asyncSourceInvocation, error) {
	deadline := time.Now().Add(10 * time.Second)
	if !want {
		deadline = time.Now().Add(3 * time.Second)
	}
	for {
		all, err := asyncSourceInvocations(env, function)
		if err != nil {
			return nil, err
		}
		var found []asyncSourceInvocation
		for _, inv := range all {
			if strings.Contains(inv.Payload, marker) {
				found = append(found, inv)
			}
		}
		if want && len(found) > 0 {
			for _, inv := range found {
				if inv.InvocationType != "Event" || !strings.HasPrefix(inv.Trigger, trigger) {
					return nil, fmt.Errorf("%s ran with invocation type %q and trigger %q, want Event and %s", function, inv.InvocationType, inv.Trigger, trigger)
				}
			}
			return found, nil
		}
		if !want && len(found) > 0 {
			return nil, fmt.Errorf("%s ran for %q (trigger %s), which must not reach it", function, marker, found[0].Trigger)
		}
		if time.Now().After(deadline) {
			if want {
				return nil, fmt.Errorf("%s did not run for %q within 10 s (invocations: %d)", function, marker, len(all))
			}
			return nil, nil
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func testAccCheckAsyncSourceS3Fires(env *acctest.Env, function, bucket, key string, want bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if _, err := asyncSourceS3(env).PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
			Body: strings.NewReader("x")}); err != nil {
			return fmt.Errorf("putting %s: %w", key, err)
		}
		found, err := asyncSourceAwait(env, function, "s3:arn:aws:s3:::"+bucket, `"key":"`+key+`"`, want)
		if err != nil {
			return err
		}
		if want {
			if len(found) != 1 {
				return fmt.Errorf("%s ran %d times for %s, want once", function, len(found), key)
			}
			var event struct {
				Records []struct {
					EventSource string `json:"eventSource"`
					EventName   string `json:"eventName"`
					S3          struct {
						Bucket struct {
							Name string `json:"name"`
						} `json:"bucket"`
					} `json:"s3"`
				} `json:"Records"`
			}
			if err := json.Unmarshal([]byte(found[0].Payload), &event); err != nil || len(event.Records) != 1 {
				return fmt.Errorf("the payload is not an S3Event with one record (%v): %s", err, found[0].Payload)
			}
			r := event.Records[0]
			if r.EventSource != "aws:s3" || r.S3.Bucket.Name != bucket || !strings.HasPrefix(r.EventName, "ObjectCreated:") {
				return fmt.Errorf("unexpected S3 record: %s", found[0].Payload)
			}
		}
		return nil
	}
}

func testAccCheckAsyncSourceQualifier(env *acctest.Env, function, marker, qualifier string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		found, err := asyncSourceAwait(env, function, "s3:", marker, true)
		if err != nil {
			return err
		}
		if found[0].Qualifier != qualifier {
			return fmt.Errorf("S3 invoked qualifier %q, want %q", found[0].Qualifier, qualifier)
		}
		return nil
	}
}

func testAccCheckAsyncSourceSNSFires(env *acctest.Env, function, topic, color string, want bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		marker := "message-" + color + "-" + fmt.Sprint(time.Now().UnixNano())
		if _, err := asyncSourceSNS(env).Publish(context.Background(), &sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String(marker),
			MessageAttributes: map[string]snstypes.MessageAttributeValue{"color": {DataType: aws.String("String"), StringValue: aws.String(color)}}}); err != nil {
			return fmt.Errorf("publishing: %w", err)
		}
		_, err := asyncSourceAwait(env, function, "sns:"+topic, marker, want)
		return err
	}
}

func testAccCheckAsyncSourceEventBridgeFires(env *acctest.Env, function, source string, want bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		marker := fmt.Sprintf("detail-%d", time.Now().UnixNano())
		out, err := asyncSourceEvents(env).PutEvents(context.Background(), &eventbridge.PutEventsInput{Entries: []ebtypes.PutEventsRequestEntry{{
			Source: aws.String(source), DetailType: aws.String("acc"), Detail: aws.String(fmt.Sprintf(`{"marker":%q}`, marker))}}})
		if err != nil || out.FailedEntryCount > 0 {
			return fmt.Errorf("putting an event: %v (%d failed)", err, out.FailedEntryCount)
		}
		_, err = asyncSourceAwait(env, function, "events:arn:aws:events:", marker, want)
		return err
	}
}

// testAccCheckAsyncSourceScheduleFires waits for n scheduled events from the resource's rule.
func testAccCheckAsyncSourceScheduleFires(env *acctest.Env, function string, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		deadline := time.Now().Add(15 * time.Second)
		got := 0
		for time.Now().Before(deadline) {
			all, err := asyncSourceInvocations(env, function)
			if err != nil {
				return err
			}
			got = 0
			for _, inv := range all {
				if strings.HasPrefix(inv.Trigger, "events:") && strings.Contains(inv.Payload, `"Scheduled Event"`) && inv.InvocationType == "Event" {
					got++
				}
			}
			if got >= n {
				return nil
			}
			time.Sleep(250 * time.Millisecond)
		}
		return fmt.Errorf("%s got %d scheduled events within 15 s, want at least %d", function, got, n)
	}
}

func testAccCheckAsyncSourceLogsFire(env *acctest.Env, function, group string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		now := time.Now().UnixMilli()
		if _, err := asyncSourceLogs(env).PutLogEvents(context.Background(), &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group),
			LogStreamName: aws.String("app"), LogEvents: []cwltypes.InputLogEvent{
				{Timestamp: aws.Int64(now), Message: aws.String("ERROR disk full")},
				{Timestamp: aws.Int64(now), Message: aws.String("INFO all good")},
			}}); err != nil {
			return fmt.Errorf("putting log events: %w", err)
		}
		// The payload is gzip+base64 (awslogs.data): the marker is not readable, so wait for a batch
		// that is not CloudWatch Logs' health check and decode it.
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			all, err := asyncSourceInvocations(env, function)
			if err != nil {
				return err
			}
			for _, inv := range all {
				data, err := asyncSourceDecodeLogs(inv.Payload)
				if err != nil || strings.Contains(data, "CWL CONTROL MESSAGE") {
					continue
				}
				if !strings.HasPrefix(inv.Trigger, "logs:") {
					return fmt.Errorf("trigger %q, want logs:...", inv.Trigger)
				}
				if !strings.Contains(data, "ERROR disk full") || strings.Contains(data, "INFO all good") {
					return fmt.Errorf("the batch does not hold exactly the matching event: %s", data)
				}
				return nil
			}
			time.Sleep(250 * time.Millisecond)
		}
		return fmt.Errorf("%s got no log batch within 10 s", function)
	}
}

func testAccCheckAsyncSourceLambdaConfigurations(env *acctest.Env, bucket string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		out, err := asyncSourceS3(env).GetBucketNotificationConfiguration(context.Background(), &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String(bucket)})
		if err != nil {
			return err
		}
		if got := len(out.LambdaFunctionConfigurations); got != want {
			return fmt.Errorf("bucket %s has %d Lambda configurations, want %d", bucket, got, want)
		}
		return nil
	}
}

func testAccCheckAsyncSourceStatements(env *acctest.Env, function string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		out, err := env.Clients.Lambda.GetPolicy(context.Background(), &lambda.GetPolicyInput{FunctionName: aws.String(function)})
		if err != nil {
			return err
		}
		var policy struct{ Statement []json.RawMessage }
		if err := json.Unmarshal([]byte(aws.ToString(out.Policy)), &policy); err != nil {
			return err
		}
		if len(policy.Statement) != want {
			return fmt.Errorf("%s's policy has %d statements, want %d: %s", function, len(policy.Statement), want, aws.ToString(out.Policy))
		}
		return nil
	}
}

func testAccCheckAsyncSourceRemovePermission(env *acctest.Env, n string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[n]
		if !ok {
			return fmt.Errorf("%s not in state", n)
		}
		_, err := env.Clients.Lambda.RemovePermission(context.Background(), &lambda.RemovePermissionInput{
			FunctionName: aws.String(rs.Primary.Attributes["function_name"]), StatementId: aws.String(rs.Primary.Attributes["statement_id"])})
		return err
	}
}

func testAccCheckAsyncSourceFailureRecord(env *acctest.Env, function, queueURL, key string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if _, err := asyncSourceS3(env).PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(function), Key: aws.String(key), Body: strings.NewReader("x")}); err != nil {
			return err
		}
		for ctx.Err() == nil {
			out, err := asyncSourceSQS(env).ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(queueURL), WaitTimeSeconds: 1})
			if err != nil {
				return fmt.Errorf("receiving from the on-failure queue: %w", err)
			}
			if len(out.Messages) == 0 {
				continue
			}
			var record struct {
				RequestContext struct {
					Condition   string `json:"condition"`
					FunctionARN string `json:"functionArn"`
				} `json:"requestContext"`
				RequestPayload struct {
					Records []struct {
						S3 struct {
							Object struct {
								Key string `json:"key"`
							} `json:"object"`
						} `json:"s3"`
					} `json:"Records"`
				} `json:"requestPayload"`
			}
			body := aws.ToString(out.Messages[0].Body)
			if err := json.Unmarshal([]byte(body), &record); err != nil {
				return fmt.Errorf("the record is not JSON: %s", body)
			}
			if record.RequestContext.Condition != "RetriesExhausted" || !strings.Contains(record.RequestContext.FunctionARN, function) ||
				len(record.RequestPayload.Records) != 1 || record.RequestPayload.Records[0].S3.Object.Key != key {
				return fmt.Errorf("unexpected failure record: %s", body)
			}
			return nil
		}
		return fmt.Errorf("no failure record reached the queue within 15 s")
	}
}

func testAccCheckAsyncSourceExists(env *acctest.Env, n string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[n]
		if !ok {
			return fmt.Errorf("%s not in state", n)
		}
		return provider.FindAsyncSource(context.Background(), env.Clients, rs.Primary.Attributes)
	}
}

// testAccCheckAsyncSourceDisappears unwires the source with the provider's own Delete.
func testAccCheckAsyncSourceDisappears(env *acctest.Env, n string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[n]
		if !ok {
			return fmt.Errorf("%s not in state", n)
		}
		return provider.DeleteAsyncSource(context.Background(), env.Clients, rs.Primary.Attributes)
	}
}

func testAccCheckAsyncSourceDestroy(env *acctest.Env) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "lambdatrigger_async_source" {
				continue
			}
			err := provider.FindAsyncSource(context.Background(), env.Clients, rs.Primary.Attributes)
			if err == nil {
				return fmt.Errorf("async source %s still exists", rs.Primary.ID)
			}
			if !provider.IsNotFound(err) {
				return err
			}
		}
		return nil
	}
}

type asyncSourceFunctionCode = lambdatypes.FunctionCode

func asyncSourceReadFile(p string) ([]byte, error) { return os.ReadFile(p) }

// asyncSourceRetry retries fn for a while: a permission added a moment ago may not be visible yet.
func asyncSourceRetry(d time.Duration, fn func() error) error {
	deadline := time.Now().Add(d)
	for {
		err := fn()
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// asyncSourceDecodeLogs reads the CloudwatchLogsEvent payload's awslogs.data (base64 of gzip).
func asyncSourceDecodeLogs(payload string) (string, error) {
	var event struct {
		AWSLogs struct {
			Data string `json:"data"`
		} `json:"awslogs"`
	}
	if err := json.Unmarshal([]byte(payload), &event); err != nil {
		return "", err
	}
	raw, err := base64.StdEncoding.DecodeString(event.AWSLogs.Data)
	if err != nil {
		return "", err
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return "", err
	}
	data, err := io.ReadAll(zr)
	return string(data), err
}
