package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/acctest"
)

// Plan-time validation of lambdatrigger_sync_caller needs no simulator: terraform validates the
// configuration before it configures the provider.
func TestAccSyncCaller_validation(t *testing.T) {
	acctest.PreCheck(t)
	config := func(body string) string {
		return acctest.ProviderConfig("http://127.0.0.1:1") + fmt.Sprintf(`
resource "lambdatrigger_sync_caller" "test" {
  function_name = "validation"
%s
}
`, body)
	}
	// terraform wraps diagnostics: a space in want matches any white space.
	step := func(body, want string) resource.TestStep {
		return resource.TestStep{Config: config(body), PlanOnly: true, ExpectError: regexp.MustCompile(strings.ReplaceAll(want, " ", `\s+`))}
	}
	const tg = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/50dc6c495c0c9188"

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			step(``, `(?s)Exactly One Caller Required.*has 0 of the blocks`),
			step(`
  function_url { authorization_type = "NONE" }
  alb { target_group_arn = "`+tg+`" }`, `(?s)Exactly One Caller Required.*has 2 of the blocks`),
			step(`api_gateway {}`, `(?s)Missing Required Argument.*api_gateway.api_id`),
			step(`alb {}`, `(?s)Missing Required Argument.*alb.target_group_arn`),
			step(`function_url {}`, `(?s)Missing Required Argument.*authorization_type = "NONE"`),
			step(`api_gateway {
    api_id = "a1b2c3"
    method = "get"
  }`, `(?s)Invalid API Gateway Method.*upper-case`),
			step(`api_gateway {
    api_id = "a1b2c3"
    path   = "hello"
  }`, `(?s)Invalid API Gateway Path.*must start with "/"`),
			step(`api_gateway {
    api_id = "a1b2c3"
    path   = "/pets/*"
  }`, `(?s)Invalid API Gateway Path.*\{proxy\+\}`),
			step(`api_gateway {
    api_id = "a1b2c3"
    stage  = "pro d"
  }`, `Invalid API Gateway Stage`),
			step(`api_gateway {
    api_id                 = "a1b2c3"
    payload_format_version = "3.0"
  }`, `(?s)Invalid Payload Format Version.*1.0, 2.0`),
			step(`api_gateway {
    api_id      = "a1b2c3"
    integration = true
  }`, `(?s)Integration Needs A Concrete Route.*path`),
			step(`api_gateway {
    api_id = "a1b2c3"
    method = "GET"
    path   = "$default"
  }`, `(?s)The \$default Route Has No Method`),
			step(`alb { target_group_arn = "my-tg" }`, `(?s)Invalid Target Group ARN.*target type lambda`),
			step(`function_url { authorization_type = "PUBLIC" }`, `(?s)Invalid Authorization Type.*NONE, AWS_IAM`),
			step(`function_url {
    authorization_type = "NONE"
    invoke_mode        = "STREAM"
  }`, `Invalid Invoke Mode`),
			step(`function_url {
    authorization_type = "NONE"
    cors {
      allow_methods = ["GET", "FETCH"]
      max_age       = 86401
    }
  }`, `(?s)Invalid CORS Method.*FETCH`),
			step(`function_url {
    authorization_type = "NONE"
    cors { max_age = 86401 }
  }`, `Value Out Of Range`),
			step(`qualifier = "7"
  function_url { authorization_type = "NONE" }`, `(?s)Invalid Qualifier For A Function URL.*numbered version 7`),
			step(`qualifier = "a:b"
  alb { target_group_arn = "`+tg+`" }`, `qualifier`),
		},
	})
}
