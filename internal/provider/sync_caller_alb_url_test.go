package provider_test

// Acceptance tests of lambdatrigger_sync_caller's ALB and function URL callers, and of drift across
// kinds. The shared helpers are in sync_caller_apigateway_test.go.

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbv2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
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

func TestAccSyncCaller_ALB_basic(t *testing.T) {
	env := acctest.NewEnv(t)
	zip := testfn.WriteZip(t, testfn.HTTPEcho, t.TempDir())
	name := acctest.RandomName("alb")
	lb, tg := createALB(t, env, "lt-"+name[len(name)-8:], false)
	endpoint := func() string { return lb.url(env, "/hello?a=1&a=2") }

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckSyncCallerDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: syncFunctionConfig(env, name, zip, 3) + syncALBConfig(tg),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(syncCallerResourceName, tfjsonpath.New("alb").AtMapKey("multi_value_headers"), knownvalue.Bool(false)),
						plancheck.ExpectKnownValue(syncCallerResourceName, tfjsonpath.New("event_type"), knownvalue.StringExact("ALBTargetGroupRequest")),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckSyncCallerHTTP(env, http.MethodGet, endpoint, nil, false, 200, func(ev map[string]any) error {
						return expectJSON(ev, map[string]any{
							"httpMethod": "GET", "path": "/hello", "requestContext.elb.targetGroupArn": tg,
							"queryStringParameters": map[string]any{"a": "2"},
						})
					}),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					syncValue("principal", knownvalue.StringExact("elasticloadbalancing.amazonaws.com")),
					syncValue("source_arn", knownvalue.StringExact(tg)),
					syncValue("payload_limit", knownvalue.StringExact("1 MB request, 1 MB response")),
					syncValue("timeout_note", knownvalue.StringExact("The load balancer has no timeout of its own; the function's timeout (3 s) bounds each request.")),
				},
			},
			{
				ResourceName:                         syncCallerResourceName,
				ImportState:                          true,
				ImportStateId:                        name + ",alb," + tg,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "id",
			},
			{Config: syncFunctionConfig(env, name, zip, 3) + syncALBConfig(tg), PlanOnly: true},
		},
	})
}

func TestAccSyncCaller_ALB_multiValueHeaders(t *testing.T) {
	env := acctest.NewEnv(t)
	zip := testfn.WriteZip(t, testfn.HTTPEcho, t.TempDir())
	name := acctest.RandomName("mvh")
	lb, tg := createALB(t, env, "lt-"+name[len(name)-8:], true)
	endpoint := func() string { return lb.url(env, "/hello?a=1&a=2") }

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckSyncCallerDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: syncFunctionConfig(env, name, zip, 3) + syncALBConfig(tg),
				Check: testAccCheckSyncCallerHTTP(env, http.MethodGet, endpoint, nil, false, 200, func(ev map[string]any) error {
					return expectJSON(ev, map[string]any{"multiValueQueryStringParameters": map[string]any{"a": []any{"1", "2"}}})
				}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(syncCallerResourceName, tfjsonpath.New("alb").AtMapKey("multi_value_headers"), knownvalue.Bool(true)),
				},
			},
			{
				// Turned off outside Terraform: the refresh reads it, the plan stays empty (it is computed).
				PreConfig: func() { setMultiValueHeaders(t, env, tg, false) },
				Config:    syncFunctionConfig(env, name, zip, 3) + syncALBConfig(tg),
				Check: testAccCheckSyncCallerHTTP(env, http.MethodGet, endpoint, nil, false, 200, func(ev map[string]any) error {
					return expectJSON(ev, map[string]any{"queryStringParameters": map[string]any{"a": "2"}})
				}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(syncCallerResourceName, tfjsonpath.New("alb").AtMapKey("multi_value_headers"), knownvalue.Bool(false)),
				},
			},
		},
	})
}

func TestAccSyncCaller_FunctionURL_none(t *testing.T) {
	env := acctest.NewEnv(t)
	zip := testfn.WriteZip(t, testfn.HTTPEcho, t.TempDir())
	name := acctest.RandomName("urlnone")
	caller := func(extra string) string {
		return fmt.Sprintf(`
resource "lambdatrigger_sync_caller" "test" {
  function_name = lambdatrigger_function.test.function_name
  function_url {
    authorization_type = "NONE"
    %s
    cors {
      allow_origins = ["https://example.com"]
      allow_methods = ["GET", "POST"]
    }
  }
}
`, extra)
	}
	var url string
	endpoint := func() string { return url }

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckSyncCallerDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: syncFunctionConfig(env, name, zip, 3) + caller(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(syncCallerResourceName, tfjsonpath.New("behavior"), knownvalue.StringExact(
							"HTTP requests to the function URL (auth NONE, BUFFERED) -> RequestResponse; the caller waits for the function's timeout; no retries")),
						plancheck.ExpectUnknownValue(syncCallerResourceName, tfjsonpath.New("function_url").AtMapKey("function_url")),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					captureFunctionURL(env, &url),
					testAccCheckSyncCallerHTTP(env, http.MethodGet, func() string { return endpoint() + "hello?x=1" }, nil, false, 200, func(ev map[string]any) error {
						return expectJSON(ev, map[string]any{"version": "2.0", "rawPath": "/hello", "requestContext.http.method": "GET"})
					}),
					testAccCheckSyncCallerStatements(env, name, 2),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					syncValue("principal", knownvalue.StringExact("*")),
					syncValue("event_type", knownvalue.StringExact("LambdaFunctionURLRequest")),
					syncValue("id", knownvalue.StringExact(name+",function_url")),
				},
			},
			{
				ResourceName:                         syncCallerResourceName,
				ImportState:                          true,
				ImportStateId:                        name + ",function_url",
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "id",
			},
			{Config: syncFunctionConfig(env, name, zip, 3) + caller(""), PlanOnly: true},
			{
				// The invoke mode and CORS change in place; the URL stays.
				Config: syncFunctionConfig(env, name, zip, 3) + caller(`invoke_mode = "RESPONSE_STREAM"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(syncCallerResourceName, plancheck.ResourceActionUpdate)},
				},
				Check: testAccCheckSyncCallerHTTP(env, http.MethodGet, func() string { return endpoint() + "again" }, nil, false, 200, nil),
				ConfigStateChecks: []statecheck.StateCheck{
					syncValue("payload_limit", knownvalue.StringExact("6 MB request, 200 MB response")),
				},
			},
			{Config: syncFunctionConfig(env, name, zip, 3) + caller(`invoke_mode = "RESPONSE_STREAM"`), PlanOnly: true},
		},
	})
}

func TestAccSyncCaller_FunctionURL_iam(t *testing.T) {
	env := acctest.NewEnv(t)
	zip := testfn.WriteZip(t, testfn.HTTPEcho, t.TempDir())
	name := acctest.RandomName("urliam")
	config := syncFunctionConfig(env, name, zip, 3) + `
resource "lambdatrigger_sync_caller" "test" {
  function_name = lambdatrigger_function.test.function_name
  function_url {
    authorization_type = "AWS_IAM"
  }
}
`
	var url string
	endpoint := func() string { return url + "signed" }

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckSyncCallerDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					captureFunctionURL(env, &url),
					testAccCheckSyncCallerHTTP(env, http.MethodGet, endpoint, nil, false, 403, nil),
					testAccCheckSyncCallerHTTP(env, http.MethodGet, endpoint, nil, true, 200, func(ev map[string]any) error {
						return expectJSON(ev, map[string]any{"rawPath": "/signed"})
					}),
					testAccCheckSyncCallerStatements(env, name, 0),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					syncValue("principal", knownvalue.Null()),
					syncValue("statement_id", knownvalue.Null()),
				},
			},
			{Config: config, PlanOnly: true},
		},
	})
}

// A public URL whose second statement is removed outside Terraform is detected at refresh and wired
// again by the next apply.
func TestAccSyncCaller_disappears(t *testing.T) {
	env := acctest.NewEnv(t)
	zip := testfn.WriteZip(t, testfn.HTTPEcho, t.TempDir())
	name := acctest.RandomName("urlgone")
	config := syncFunctionConfig(env, name, zip, 3) + `
resource "lambdatrigger_sync_caller" "test" {
  function_name = lambdatrigger_function.test.function_name
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
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					captureFunctionURL(env, &url),
					testAccCheckSyncCallerStatementDisappears(env, syncCallerResourceName, "-invoke"),
					testAccCheckSyncCallerHTTP(env, http.MethodGet, func() string { return url }, nil, false, 403, nil),
				),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(syncCallerResourceName, plancheck.ResourceActionCreate)},
				},
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckSyncCallerStatements(env, name, 2),
					testAccCheckSyncCallerHTTP(env, http.MethodGet, func() string { return url }, nil, false, 200, nil),
				),
			},
			{Config: config, PlanOnly: true},
		},
	})
}

// Every part of the wiring is checked at refresh: a target deregistered or a route deleted outside
// Terraform is planned for creation again, and the apply wires it back (adopting what is left).
func TestAccSyncCaller_driftEachPart(t *testing.T) {
	env := acctest.NewEnv(t)
	zip := testfn.WriteZip(t, testfn.HTTPEcho, t.TempDir())
	name := acctest.RandomName("drift")
	lb, tg := createALB(t, env, "lt-"+name[len(name)-8:], false)
	apiID := createHTTPAPI(t, env, name)
	config := syncFunctionConfig(env, name, zip, 3) + fmt.Sprintf(`
resource "lambdatrigger_sync_caller" "alb" {
  function_name = lambdatrigger_function.test.function_name
  alb {
    target_group_arn = %q
  }
}

resource "lambdatrigger_sync_caller" "test" {
  function_name = lambdatrigger_function.test.function_name
  api_gateway {
    api_id      = %q
    method      = "GET"
    path        = "/hello"
    integration = true
  }
}
`, tg, apiID)
	albURL := func() string { return lb.url(env, "/") }
	apiURL := func() string { return httpAPIURL(env, apiID, "/hello") }
	recreated := resource.ConfigPlanChecks{
		PostApplyPostRefresh: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction("lambdatrigger_sync_caller.alb", plancheck.ResourceActionCreate),
			plancheck.ExpectResourceAction(syncCallerResourceName, plancheck.ResourceActionCreate),
		},
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckSyncCallerDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckSyncCallerHTTP(env, http.MethodGet, albURL, nil, false, 200, nil),
					testAccCheckSyncCallerHTTP(env, http.MethodGet, apiURL, nil, false, 200, nil),
					func(s *terraform.State) error {
						fn := s.RootModule().Resources["lambdatrigger_function.test"].Primary.Attributes["arn"]
						if _, err := env.Clients.ELBv2().DeregisterTargets(context.Background(), &elbv2.DeregisterTargetsInput{
							TargetGroupArn: aws.String(tg), Targets: []elbv2types.TargetDescription{{Id: aws.String(fn)}},
						}); err != nil {
							return err
						}
						route, err := provider.FindHTTPRouteByKey(context.Background(), env.Clients.APIGatewayV2(), apiID, "GET /hello")
						if err != nil {
							return err
						}
						_, err = env.Clients.APIGatewayV2().DeleteRoute(context.Background(), &apigatewayv2.DeleteRouteInput{ApiId: aws.String(apiID), RouteId: route.RouteId})
						return err
					},
				),
				ConfigPlanChecks:   recreated,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckSyncCallerHTTP(env, http.MethodGet, albURL, nil, false, 200, nil),
					testAccCheckSyncCallerHTTP(env, http.MethodGet, apiURL, nil, false, 200, nil),
				),
			},
			{Config: config, PlanOnly: true},
		},
	})
}

func syncALBConfig(tg string) string {
	return fmt.Sprintf(`
resource "lambdatrigger_sync_caller" "test" {
  function_name = lambdatrigger_function.test.function_name
  alb {
    target_group_arn = %q
  }
}
`, tg)
}

type loadBalancer struct {
	name, dns string
	port      int32
}

// url reaches the listener: through the simulator's path form, or the load balancer's DNS name.
func (lb loadBalancer) url(env *acctest.Env, path string) string {
	if env.Endpoint != "" {
		return fmt.Sprintf("%s/_alb/%s/%d%s", env.Endpoint, lb.name, lb.port, path)
	}
	return fmt.Sprintf("http://%s:%d%s", lb.dns, lb.port, path)
}

func createALB(t *testing.T, env *acctest.Env, name string, multiValueHeaders bool) (loadBalancer, string) {
	t.Helper()
	ctx := context.Background()
	conn := env.Clients.ELBv2()
	lbOut, err := conn.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String(name)})
	if err != nil {
		t.Fatalf("CreateLoadBalancer: %v", err)
	}
	lb := lbOut.LoadBalancers[0]
	t.Cleanup(func() {
		conn.DeleteLoadBalancer(context.Background(), &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn})
	})
	tgOut, err := conn.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String(name), TargetType: elbv2types.TargetTypeEnumLambda})
	if err != nil {
		t.Fatalf("CreateTargetGroup: %v", err)
	}
	tg := aws.ToString(tgOut.TargetGroups[0].TargetGroupArn)
	t.Cleanup(func() {
		conn.DeleteTargetGroup(context.Background(), &elbv2.DeleteTargetGroupInput{TargetGroupArn: aws.String(tg)})
	})
	setMultiValueHeaders(t, env, tg, multiValueHeaders)
	const port = 8080
	l, err := conn.CreateListener(ctx, &elbv2.CreateListenerInput{
		LoadBalancerArn: lb.LoadBalancerArn, Port: aws.Int32(port), Protocol: elbv2types.ProtocolEnumHttp,
		DefaultActions: []elbv2types.Action{{Type: elbv2types.ActionTypeEnumForward, TargetGroupArn: aws.String(tg)}},
	})
	if err != nil {
		t.Fatalf("CreateListener: %v", err)
	}
	t.Cleanup(func() {
		conn.DeleteListener(context.Background(), &elbv2.DeleteListenerInput{ListenerArn: l.Listeners[0].ListenerArn})
	})
	return loadBalancer{name: name, dns: aws.ToString(lb.DNSName), port: port}, tg
}

func setMultiValueHeaders(t *testing.T, env *acctest.Env, tg string, on bool) {
	t.Helper()
	_, err := env.Clients.ELBv2().ModifyTargetGroupAttributes(context.Background(), &elbv2.ModifyTargetGroupAttributesInput{
		TargetGroupArn: aws.String(tg),
		Attributes:     []elbv2types.TargetGroupAttribute{{Key: aws.String("lambda.multi_value_headers.enabled"), Value: aws.String(fmt.Sprint(on))}},
	})
	if err != nil {
		t.Fatalf("ModifyTargetGroupAttributes: %v", err)
	}
}

// captureFunctionURL stores the URL to call (ending in "/"): the function URL itself on AWS, its
// path form on the simulator (no DNS for <url-id>.lambda-url.<region>.localhost needed).
func captureFunctionURL(env *acctest.Env, dst *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[syncCallerResourceName]
		if !ok {
			return fmt.Errorf("not found: %s", syncCallerResourceName)
		}
		raw := rs.Primary.Attributes["function_url.function_url"]
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			return fmt.Errorf("function_url %q is not a URL", raw)
		}
		*dst = strings.TrimSuffix(raw, "/") + "/"
		if env.Endpoint != "" {
			urlID, _, _ := strings.Cut(u.Hostname(), ".")
			*dst = env.Endpoint + "/_url/" + urlID + "/"
		}
		return nil
	}
}

// testAccCheckSyncCallerStatements counts the function's statements that belong to sync callers.
func testAccCheckSyncCallerStatements(env *acctest.Env, function string, want int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs := s.RootModule().Resources[syncCallerResourceName]
		sid := rs.Primary.Attributes["statement_id"]
		if want == 0 {
			if sid != "" {
				return fmt.Errorf("statement_id is %q, want none", sid)
			}
			return nil
		}
		for _, id := range []string{sid, sid + "-invoke"}[:want] {
			if _, err := provider.FindPolicyStatement(context.Background(), env.Clients.Lambda, function, "", id); err != nil {
				return err
			}
		}
		return nil
	}
}

// testAccCheckSyncCallerStatementDisappears removes one of the caller's statements outside Terraform.
func testAccCheckSyncCallerStatementDisappears(env *acctest.Env, n, suffix string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs := s.RootModule().Resources[n]
		_, err := env.Clients.Lambda.RemovePermission(context.Background(), &lambda.RemovePermissionInput{
			FunctionName: aws.String(rs.Primary.Attributes["function_name"]),
			StatementId:  aws.String(rs.Primary.Attributes["statement_id"] + suffix),
		})
		return err
	}
}

// A target group registers a published version: the qualifier is not known until the function is
// published in the same apply, the permission goes to that version's policy and the target is the
// version's ARN.
func TestAccSyncCaller_ALB_version(t *testing.T) {
	env := acctest.NewEnv(t)
	zip := testfn.WriteZip(t, testfn.HTTPEcho, t.TempDir())
	name := acctest.RandomName("albver")
	lb, tg := createALB(t, env, "lt-"+name[len(name)-8:], false)
	config := env.ProviderConfig + fmt.Sprintf(`
resource "lambdatrigger_function" "test" {
  function_name    = %[1]q
  filename         = %[2]q
  source_code_hash = filebase64sha256(%[2]q)
  runtime          = "provided.al2023"
  role             = %[3]q
  publish          = true
}

resource "lambdatrigger_sync_caller" "test" {
  function_name = lambdatrigger_function.test.function_name
  qualifier     = lambdatrigger_function.test.version
  alb {
    target_group_arn = %[4]q
  }
}
`, name, zip, env.RoleARN, tg)

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckSyncCallerDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectUnknownValue(syncCallerResourceName, tfjsonpath.New("statement_id")),
						plancheck.ExpectUnknownValue(syncCallerResourceName, tfjsonpath.New("behavior")),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckSyncCallerHTTP(env, http.MethodGet, func() string { return lb.url(env, "/v") }, nil, false, 200, nil),
					func(s *terraform.State) error {
						sid := s.RootModule().Resources[syncCallerResourceName].Primary.Attributes["statement_id"]
						if _, err := provider.FindPolicyStatement(context.Background(), env.Clients.Lambda, name, "1", sid); err != nil {
							return fmt.Errorf("version 1's policy: %w", err)
						}
						if _, err := provider.FindPolicyStatement(context.Background(), env.Clients.Lambda, name, "", sid); !provider.IsNotFound(err) {
							return fmt.Errorf("statement %s is in the unqualified function's policy too (%v)", sid, err)
						}
						fn := fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s:1", env.Clients.Region, env.Clients.AccountID, name)
						_, err := provider.FindTargetGroupTarget(context.Background(), env.Clients.ELBv2(), tg, fn)
						return err
					},
				),
				ConfigStateChecks: []statecheck.StateCheck{
					syncValue("id", knownvalue.StringExact(name+":1,alb,"+tg)),
					syncValue("behavior", knownvalue.StringExact("requests forwarded to target group "+lb.name+" -> RequestResponse; the load balancer waits for the function's timeout; no retries")),
				},
			},
			{Config: config, PlanOnly: true},
		},
	})
}
