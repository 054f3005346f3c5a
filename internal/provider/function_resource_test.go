package provider_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/hashicorp/terraform-plugin-testing/compare"
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

const functionResourceName = "lambdatrigger_function.test"

func TestAccFunction_basic(t *testing.T) {
	env := acctest.NewEnv(t)
	dir := t.TempDir()
	echoZip := testfn.WriteZip(t, testfn.Echo, dir)
	recorderZip := testfn.WriteZip(t, testfn.Recorder, dir)
	code := filepath.Join(dir, "code.zip") // its content changes between steps, its path does not
	copyFile(t, echoZip, code)
	name := acctest.RandomName("basic")
	arn := regexp.MustCompile(`^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:` + name + `$`)
	codeChanged := statecheck.CompareValue(compare.ValuesDiffer())

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckFunctionDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: testAccFunctionConfig_basic(env, name, code),
				Check:  testAccCheckFunctionExists(env, functionResourceName),
				ConfigStateChecks: []statecheck.StateCheck{
					expectValue("function_name", knownvalue.StringExact(name)),
					expectValue("runtime", knownvalue.StringExact("provided.al2023")),
					expectValue("handler", knownvalue.StringExact("bootstrap")),
					expectValue("role", knownvalue.StringExact(env.RoleARN)),
					expectValue("description", knownvalue.StringExact("")),
					expectValue("timeout", knownvalue.Int64Exact(3)),
					expectValue("memory_size", knownvalue.Int64Exact(128)),
					expectValue("reserved_concurrent_executions", knownvalue.Int64Exact(-1)),
					expectValue("environment", knownvalue.Null()),
					expectValue("publish", knownvalue.Bool(false)),
					expectValue("version", knownvalue.StringExact("$LATEST")),
					expectValue("arn", knownvalue.StringRegexp(arn)),
					expectValue("qualified_arn", knownvalue.StringRegexp(regexp.MustCompile(`^arn:.*:function:`+name+`:\$LATEST$`))),
					expectValue("invoke_arn", knownvalue.StringRegexp(regexp.MustCompile(
						`^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path/2015-03-31/functions/arn:.*:function:`+name+`/invocations$`))),
					expectValue("code_sha256", knownvalue.StringExact(fileSHA256(t, echoZip))),
					expectValue("source_code_hash", knownvalue.StringExact(fileSHA256(t, echoZip))),
					expectValue("last_modified", knownvalue.NotNull()),
					codeChanged.AddStateValue(functionResourceName, tfjsonpath.New("code_sha256")),
				},
			},
			{
				ResourceName:                         functionResourceName,
				ImportState:                          true,
				ImportStateId:                        name,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "function_name",
				// Lambda keeps the package, not the path it came from.
				ImportStateVerifyIgnore: []string{"filename"},
			},
			{
				// New code at the same path: only source_code_hash tells the provider.
				PreConfig: func() { copyFile(t, recorderZip, code) },
				Config:    testAccFunctionConfig_updated(env, name, code),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(functionResourceName, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(functionResourceName, tfjsonpath.New("code_sha256")),
						plancheck.ExpectKnownValue(functionResourceName, tfjsonpath.New("arn"), knownvalue.StringRegexp(arn)),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckFunctionExists(env, functionResourceName),
					testAccCheckFunctionReservedConcurrency(env, name, aws.Int32(2)),
					testAccCheckFunctionEnvironmentSeen(env, name, map[string]string{"GREETING": "hello", "MODE": "acc"}),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					expectValue("description", knownvalue.StringExact("updated by the acceptance test")),
					expectValue("timeout", knownvalue.Int64Exact(10)),
					expectValue("memory_size", knownvalue.Int64Exact(256)),
					expectValue("reserved_concurrent_executions", knownvalue.Int64Exact(2)),
					expectValue("environment", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"variables": knownvalue.MapExact(map[string]knownvalue.Check{
							"GREETING": knownvalue.StringExact("hello"),
							"MODE":     knownvalue.StringExact("acc"),
						}),
					})),
					expectValue("code_sha256", knownvalue.StringExact(fileSHA256(t, recorderZip))),
					expectValue("version", knownvalue.StringExact("$LATEST")),
					codeChanged.AddStateValue(functionResourceName, tfjsonpath.New("code_sha256")),
				},
			},
			{
				// Against drift: reading back what was applied plans nothing.
				Config:   testAccFunctionConfig_updated(env, name, code),
				PlanOnly: true,
			},
			{
				// Removing the environment and the reservation clears them in Lambda too.
				Config: testAccFunctionConfig_basic(env, name, code),
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckFunctionReservedConcurrency(env, name, nil),
					testAccCheckFunctionEnvironmentSeen(env, name, map[string]string{"GREETING": "", "MODE": ""}),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					expectValue("environment", knownvalue.Null()),
					expectValue("reserved_concurrent_executions", knownvalue.Int64Exact(-1)),
					expectValue("timeout", knownvalue.Int64Exact(3)),
				},
			},
		},
	})
}

func TestAccFunction_disappears(t *testing.T) {
	env := acctest.NewEnv(t)
	zip := testfn.WriteZip(t, testfn.Echo, t.TempDir())
	name := acctest.RandomName("disappears")

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckFunctionDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: testAccFunctionConfig_basic(env, name, zip),
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckFunctionExists(env, functionResourceName),
					testAccCheckFunctionDisappears(env, name),
				),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(functionResourceName, plancheck.ResourceActionCreate),
					},
				},
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

func TestAccFunction_invoke(t *testing.T) {
	env := acctest.NewEnv(t)
	zip := testfn.WriteZip(t, testfn.Echo, t.TempDir())
	name := acctest.RandomName("invoke")

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckFunctionDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: testAccFunctionConfig_basic(env, name, zip),
				Check:  testAccCheckFunctionEchoes(env, functionResourceName),
			},
		},
	})
}

func TestAccFunction_publish(t *testing.T) {
	env := acctest.NewEnv(t)
	zip := testfn.WriteZip(t, testfn.Echo, t.TempDir())
	name := acctest.RandomName("publish")
	versioned := func(v string) *regexp.Regexp {
		return regexp.MustCompile(`^arn:.*:function:` + name + `:` + regexp.QuoteMeta(v) + `$`)
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckFunctionDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: testAccFunctionConfig_publish(env, name, zip, 3),
				ConfigStateChecks: []statecheck.StateCheck{
					expectValue("version", knownvalue.StringExact("1")),
					expectValue("qualified_arn", knownvalue.StringRegexp(versioned("1"))),
				},
			},
			{
				Config: testAccFunctionConfig_publish(env, name, zip, 5),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectUnknownValue(functionResourceName, tfjsonpath.New("version")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectValue("version", knownvalue.StringExact("2")),
					expectValue("qualified_arn", knownvalue.StringRegexp(versioned("2"))),
				},
			},
			{
				// Turning publishing off points the qualified ARN back at $LATEST; nothing is unpublished.
				Config: testAccFunctionConfig_basic(env, name, zip),
				ConfigStateChecks: []statecheck.StateCheck{
					expectValue("version", knownvalue.StringExact("$LATEST")),
					expectValue("qualified_arn", knownvalue.StringRegexp(versioned("$LATEST"))),
				},
			},
		},
	})
}

// A package that is not there fails the apply with a message naming filename, and creates nothing.
func TestAccFunction_missingPackage(t *testing.T) {
	env := acctest.NewEnv(t)
	zip := filepath.Join(t.TempDir(), "missing.zip")

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckFunctionDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: env.ProviderConfig + fmt.Sprintf(`
resource "lambdatrigger_function" "test" {
  function_name = %q
  filename      = %q
  runtime       = "provided.al2023"
  role          = %q
}
`, acctest.RandomName("missing"), zip, env.RoleARN),
				ExpectError: regexp.MustCompile(`(?s)Unable To Read Deployment Package.*missing.zip`),
			},
		},
	})
}

// Plan-time validation needs no simulator and no credentials: terraform validates the configuration
// before it configures the provider.
func TestAccFunction_validation(t *testing.T) {
	acctest.PreCheck(t)
	zip := filepath.Join(t.TempDir(), "never-read.zip")
	config := func(extra string) string {
		return acctest.ProviderConfig("http://127.0.0.1:1") + fmt.Sprintf(`
resource "lambdatrigger_function" "test" {
  function_name = "validation"
  filename      = %q
  runtime       = "provided.al2023"
  role          = %q
%s
}
`, zip, acctest.SimulatorRoleARN, extra)
	}
	step := func(extra, want string) resource.TestStep {
		return resource.TestStep{Config: config(extra), PlanOnly: true, ExpectError: regexp.MustCompile(want)}
	}
	other := func(name, runtime, role string) resource.TestStep {
		return resource.TestStep{
			Config: acctest.ProviderConfig("http://127.0.0.1:1") + fmt.Sprintf(`
resource "lambdatrigger_function" "test" {
  function_name = %q
  filename      = %q
  runtime       = %q
  role          = %q
}
`, name, zip, runtime, role),
			PlanOnly: true,
		}
	}
	withError := func(s resource.TestStep, want string) resource.TestStep {
		s.ExpectError = regexp.MustCompile(want)
		return s
	}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			step(`timeout = 0`, `timeout is 0, but Lambda accepts 1 to 900 seconds`),
			step(`timeout = 901`, `Lambda accepts 1 to 900 seconds`),
			step(`memory_size = 127`, `memory_size is 127, but Lambda accepts 128 to 10240 MB`),
			step(`memory_size = 10241`, `Lambda accepts 128 to 10240 MB`),
			step(`reserved_concurrent_executions = -2`, `Set it to -1 to leave the function`),
			step(`environment {
    variables = { "1BAD" = "x" }
  }`, `(?s)Invalid Environment Variable Name.*must start with a letter`),
			step(`environment {
    variables = { AWS_REGION = "x" }
  }`, `(?s)Invalid Environment Variable Name.*reserved by Lambda`),
			step(fmt.Sprintf(`environment {
    variables = { BIG = %q }
  }`, strings.Repeat("x", 4100)), `Environment Variables Too Large`),
			step(`description = "`+strings.Repeat("d", 257)+`"`, `Lambda accepts at most 256`),
			step(`handler = "has space"`, `Invalid Handler`),
			withError(other("validation", "provided.al2023", "lambda-role"), `(?s)Invalid Role ARN.*arn:aws:iam::123456789012:role/lambda-exec`),
			withError(other("validation", "provided.al2023", "arn:aws:iam::123456789012:user/someone"), `Invalid Role ARN`),
			withError(other("has.dot", "provided.al2023", acctest.SimulatorRoleARN), `Invalid Function Name`),
			withError(other("validation", "go1.x", acctest.SimulatorRoleARN), `(?s)Unsupported Runtime.*provided.al2023`),
			withError(other("validation", "nodejs22.x", acctest.SimulatorRoleARN), `(?s)Missing Handler.*index.handler`),
		},
	})
}

// A provider that cannot reach its endpoint says so, and what to do.
func TestAccProvider_unreachableSimulator(t *testing.T) {
	acctest.PreCheck(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: acctest.ProviderConfig("http://127.0.0.1:1") + fmt.Sprintf(`
resource "lambdatrigger_function" "test" {
  function_name = "unreachable"
  filename      = "never-read.zip"
  runtime       = "provided.al2023"
  role          = %q
}
`, acctest.SimulatorRoleARN),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Unable To Configure AWS Clients.*check that the simulator is running`),
			},
			{
				Config:      acctest.ProviderConfig("127.0.0.1:4566") + `data "lambdatrigger_function" "x" { function_name = "x" }`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Invalid Endpoint URL`),
			},
		},
	})
}

func expectValue(attr string, check knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(functionResourceName, tfjsonpath.New(attr), check)
}

func testAccCheckFunctionExists(env *acctest.Env, n string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[n]
		if !ok {
			return fmt.Errorf("not found: %s", n)
		}
		output, err := provider.FindFunctionByName(context.Background(), env.Clients.Lambda, rs.Primary.Attributes["function_name"])
		if err != nil {
			return err
		}
		if got := string(output.Configuration.State); got != "Active" {
			return fmt.Errorf("function %s is %s, want Active", rs.Primary.Attributes["function_name"], got)
		}
		return nil
	}
}

func testAccCheckFunctionDestroy(env *acctest.Env) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "lambdatrigger_function" {
				continue
			}
			name := rs.Primary.Attributes["function_name"]
			_, err := provider.FindFunctionByName(context.Background(), env.Clients.Lambda, name)
			if provider.IsNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			return fmt.Errorf("Lambda function %s still exists", name)
		}
		return nil
	}
}

// testAccCheckFunctionDisappears deletes the function behind terraform's back.
func testAccCheckFunctionDisappears(env *acctest.Env, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		_, err := env.Clients.Lambda.DeleteFunction(context.Background(), &lambda.DeleteFunctionInput{FunctionName: aws.String(name)})
		return err
	}
}

// testAccCheckFunctionReservedConcurrency asks GetFunctionConcurrency, not GetFunction the provider reads.
func testAccCheckFunctionReservedConcurrency(env *acctest.Env, name string, want *int32) resource.TestCheckFunc {
	return func(*terraform.State) error {
		output, err := env.Clients.Lambda.GetFunctionConcurrency(context.Background(), &lambda.GetFunctionConcurrencyInput{FunctionName: aws.String(name)})
		if err != nil {
			return err
		}
		if got := output.ReservedConcurrentExecutions; (got == nil) != (want == nil) || (got != nil && *got != *want) {
			return fmt.Errorf("GetFunctionConcurrency: %v, want %v", aws.ToInt32(got), aws.ToInt32(want))
		}
		return nil
	}
}

// testAccCheckFunctionEnvironmentSeen invokes the recorder function and checks the variables its
// process was given; an empty wanted value means the variable must be absent.
func testAccCheckFunctionEnvironmentSeen(env *acctest.Env, name string, want map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		payload, err := invoke(env, name, `{}`)
		if err != nil {
			return err
		}
		var report struct {
			Env map[string]string `json:"env"`
		}
		if err := json.Unmarshal(payload, &report); err != nil {
			return fmt.Errorf("decoding the recorder's answer %s: %w", payload, err)
		}
		for k, v := range want {
			if got, ok := report.Env[k]; got != v || (v == "" && ok) {
				return fmt.Errorf("the function saw %s=%q (present: %v), want %q", k, got, ok, v)
			}
		}
		return nil
	}
}

// testAccCheckFunctionEchoes invokes the echo function and checks the event and context it saw.
func testAccCheckFunctionEchoes(env *acctest.Env, n string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[n]
		if !ok {
			return fmt.Errorf("not found: %s", n)
		}
		name, arn := rs.Primary.Attributes["function_name"], rs.Primary.Attributes["arn"]
		payload, err := invoke(env, name, `{"hello":"world","n":[1,2,3]}`)
		if err != nil {
			return err
		}
		var seen struct {
			Event   map[string]any `json:"event"`
			Context struct {
				RequestID          string `json:"requestId"`
				InvokedFunctionARN string `json:"invokedFunctionArn"`
				FunctionName       string `json:"functionName"`
				FunctionVersion    string `json:"functionVersion"`
				MemoryLimitInMB    int    `json:"memoryLimitInMB"`
			} `json:"context"`
		}
		if err := json.Unmarshal(payload, &seen); err != nil {
			return fmt.Errorf("decoding the echo %s: %w", payload, err)
		}
		if got, _ := json.Marshal(seen.Event); string(got) != `{"hello":"world","n":[1,2,3]}` {
			return fmt.Errorf("the function saw event %s", got)
		}
		c := seen.Context
		if c.FunctionName != name || c.InvokedFunctionARN != arn || c.FunctionVersion != "$LATEST" || c.MemoryLimitInMB != 128 || c.RequestID == "" {
			return fmt.Errorf("the function saw context %+v; want name %s, ARN %s, $LATEST, 128 MB, a request id", c, name, arn)
		}
		return nil
	}
}

func invoke(env *acctest.Env, name, event string) ([]byte, error) {
	output, err := env.Clients.Lambda.Invoke(context.Background(), &lambda.InvokeInput{
		FunctionName: aws.String(name),
		Payload:      []byte(event),
	})
	if err != nil {
		return nil, fmt.Errorf("invoking %s: %w", name, err)
	}
	if output.FunctionError != nil {
		return nil, fmt.Errorf("invoking %s: function error %s: %s", name, aws.ToString(output.FunctionError), output.Payload)
	}
	if output.StatusCode != 200 {
		return nil, fmt.Errorf("invoking %s: status %d", name, output.StatusCode)
	}
	return output.Payload, nil
}

func testAccFunctionConfig_basic(env *acctest.Env, name, zip string) string {
	return env.ProviderConfig + fmt.Sprintf(`
resource "lambdatrigger_function" "test" {
  function_name    = %[1]q
  filename         = %[2]q
  source_code_hash = filebase64sha256(%[2]q)
  runtime          = "provided.al2023"
  role             = %[3]q
}
`, name, zip, env.RoleARN)
}

func testAccFunctionConfig_updated(env *acctest.Env, name, zip string) string {
	return env.ProviderConfig + fmt.Sprintf(`
resource "lambdatrigger_function" "test" {
  function_name    = %[1]q
  filename         = %[2]q
  source_code_hash = filebase64sha256(%[2]q)
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  role             = %[3]q
  description      = "updated by the acceptance test"
  timeout          = 10
  memory_size      = 256

  reserved_concurrent_executions = 2

  environment {
    variables = {
      GREETING = "hello"
      MODE     = "acc"
    }
  }
}
`, name, zip, env.RoleARN)
}

func testAccFunctionConfig_publish(env *acctest.Env, name, zip string, timeout int) string {
	return env.ProviderConfig + fmt.Sprintf(`
resource "lambdatrigger_function" "test" {
  function_name    = %[1]q
  filename         = %[2]q
  source_code_hash = filebase64sha256(%[2]q)
  runtime          = "provided.al2023"
  role             = %[3]q
  timeout          = %[4]d
  publish          = true
}
`, name, zip, env.RoleARN, timeout)
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return base64.StdEncoding.EncodeToString(sum[:])
}
