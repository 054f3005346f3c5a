package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/acctest"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

func TestAccFunctionDataSource_basic(t *testing.T) {
	env := acctest.NewEnv(t)
	zip := testfn.WriteZip(t, testfn.Echo, t.TempDir())
	name := acctest.RandomName("ds")
	const dataSourceName = "data.lambdatrigger_function.test"
	same := func(attr string) statecheck.StateCheck {
		return statecheck.CompareValuePairs(functionResourceName, tfjsonpath.New(attr), dataSourceName, tfjsonpath.New(attr), compare.ValuesSame())
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckFunctionDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: testAccFunctionDataSourceConfig(env, name, zip),
				ConfigStateChecks: []statecheck.StateCheck{
					same("function_name"), same("arn"), same("qualified_arn"), same("invoke_arn"), same("runtime"),
					same("handler"), same("role"), same("description"), same("timeout"), same("memory_size"),
					same("code_sha256"), same("last_modified"), same("reserved_concurrent_executions"),
					statecheck.ExpectKnownValue(dataSourceName, tfjsonpath.New("state"), knownvalue.StringExact("Active")),
					statecheck.ExpectKnownValue(dataSourceName, tfjsonpath.New("environment").AtMapKey("variables"),
						knownvalue.MapExact(map[string]knownvalue.Check{"COLOR": knownvalue.StringExact("blue")})),
				},
			},
		},
	})
}

func TestAccFunctionDataSource_notFound(t *testing.T) {
	env := acctest.NewEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.ProviderConfig + `data "lambdatrigger_function" "test" { function_name = "tf-acc-does-not-exist" }`,
				ExpectError: regexp.MustCompile(`(?s)Lambda Function Not Found.*tf-acc-does-not-exist`),
			},
		},
	})
}

func testAccFunctionDataSourceConfig(env *acctest.Env, name, zip string) string {
	return env.ProviderConfig + fmt.Sprintf(`
resource "lambdatrigger_function" "test" {
  function_name    = %[1]q
  filename         = %[2]q
  source_code_hash = filebase64sha256(%[2]q)
  runtime          = "provided.al2023"
  role             = %[3]q
  description      = "read back by the data source"
  memory_size      = 192

  reserved_concurrent_executions = 1

  environment {
    variables = { COLOR = "blue" }
  }
}

data "lambdatrigger_function" "test" {
  function_name = lambdatrigger_function.test.function_name
}
`, name, zip, env.RoleARN)
}
