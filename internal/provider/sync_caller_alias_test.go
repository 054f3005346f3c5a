package provider_test

// Helpers are in sync_caller_apigateway_test.go and sync_caller_alb_url_test.go.

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/acctest"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/provider"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

// A URL on an alias: the URL config and both public statements belong to the alias (Lambda keeps
// policies per qualifier), and the function sees the alias in its invoked ARN.
func TestAccSyncCaller_FunctionURL_alias(t *testing.T) {
	env := acctest.NewEnv(t)
	zip := testfn.WriteZip(t, testfn.HTTPEcho, t.TempDir())
	name := acctest.RandomName("urlalias")
	function := syncFunctionConfig(env, name, zip, 3)
	config := function + `
resource "lambdatrigger_sync_caller" "test" {
  function_name = lambdatrigger_function.test.function_name
  qualifier     = "live"
  function_url {
    authorization_type = "NONE"
  }
}
`
	var url string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckSyncCallerDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: function,
				Check: func(*terraform.State) error {
					ctx := context.Background()
					v, err := env.Clients.Lambda.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String(name)})
					if err != nil {
						return err
					}
					_, err = env.Clients.Lambda.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String(name), Name: aws.String("live"), FunctionVersion: v.Version})
					return err
				},
			},
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					captureFunctionURL(env, &url),
					testAccCheckSyncCallerHTTP(env, http.MethodGet, func() string { return url + "aliased" }, nil, false, 200, func(ev map[string]any) error {
						return expectJSON(ev, map[string]any{"rawPath": "/aliased"})
					}),
					func(s *terraform.State) error {
						sid := s.RootModule().Resources[syncCallerResourceName].Primary.Attributes["statement_id"]
						for _, id := range []string{sid, sid + "-invoke"} {
							if _, err := provider.FindPolicyStatement(context.Background(), env.Clients.Lambda, name, "live", id); err != nil {
								return fmt.Errorf("the alias's policy: %w", err)
							}
							if _, err := provider.FindPolicyStatement(context.Background(), env.Clients.Lambda, name, "", id); !provider.IsNotFound(err) {
								return fmt.Errorf("statement %s is in the unqualified function's policy too (%v)", id, err)
							}
						}
						return nil
					},
				),
				ConfigStateChecks: []statecheck.StateCheck{syncValue("id", knownvalue.StringExact(name+":live,function_url"))},
			},
			{
				ResourceName:                         syncCallerResourceName,
				ImportState:                          true,
				ImportStateId:                        name + ":live,function_url",
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "id",
			},
			{Config: config, PlanOnly: true},
		},
	})
}
