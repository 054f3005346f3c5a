package provider_test

// Acceptance tests of lambdatrigger_sync_caller's API Gateway callers, and what every caller's tests
// share: real terraform, a real function (testfn.HTTPEcho), real HTTP requests from the test. The APIs
// are created in test setup with SDK clients (the provider has no resource for them).

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	apigwv2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
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

const syncCallerResourceName = "lambdatrigger_sync_caller.test"

func TestAccSyncCaller_APIGatewayREST_basic(t *testing.T) {
	env := acctest.NewEnv(t)
	zip := testfn.WriteZip(t, testfn.HTTPEcho, t.TempDir())
	name := acctest.RandomName("rest")
	apiID := createRESTAPI(t, env, name, "hello")
	caller := func(method string) string {
		return fmt.Sprintf(`
resource "lambdatrigger_sync_caller" "test" {
  function_name = lambdatrigger_function.test.function_name
  api_gateway {
    api_id      = %q
    stage       = "test"
    method      = %q
    path        = "/hello"
    integration = true
  }
}
`, apiID, method)
	}
	sourceARN := fmt.Sprintf("arn:aws:execute-api:%s:%s:%s/test/GET/hello", env.Clients.Region, env.Clients.AccountID, apiID)
	endpoint := func() string { return restStageURL(env, apiID, "test", "/hello?greeting=hi") }

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckSyncCallerDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: syncFunctionConfig(env, name, zip, 3) + caller("GET"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						// Known at plan time: the API exists, so its type is read; the function does not yet.
						plancheck.ExpectKnownValue(syncCallerResourceName, tfjsonpath.New("behavior"), knownvalue.StringExact(
							"GET /hello on REST API "+apiID+"/test -> RequestResponse; caller waits up to 29 s; no retries (AWS_PROXY integration and permission)")),
						plancheck.ExpectKnownValue(syncCallerResourceName, tfjsonpath.New("event_type"), knownvalue.StringExact("APIGatewayProxyRequest")),
						plancheck.ExpectKnownValue(syncCallerResourceName, tfjsonpath.New("source_arn"), knownvalue.StringExact(sourceARN)),
						plancheck.ExpectKnownValue(syncCallerResourceName, tfjsonpath.New("invocation_type"), knownvalue.StringExact("RequestResponse")),
						plancheck.ExpectUnknownValue(syncCallerResourceName, tfjsonpath.New("timeout_note")),
					},
				},
				Check: testAccCheckSyncCallerHTTP(env, http.MethodGet, endpoint, nil, false, 200, func(ev map[string]any) error {
					return expectJSON(ev, map[string]any{
						"resource": "/hello", "path": "/hello", "httpMethod": "GET",
						"queryStringParameters": map[string]any{"greeting": "hi"},
						"requestContext.stage":  "test",
					})
				}),
				ConfigStateChecks: []statecheck.StateCheck{
					syncValue("id", knownvalue.StringExact(name+",api_gateway,"+apiID+",test,GET,/hello,integration")),
					syncValue("principal", knownvalue.StringExact("apigateway.amazonaws.com")),
					syncValue("statement_id", knownvalue.StringRegexp(regexp.MustCompile(`^lambdatrigger-[0-9a-f]{24}$`))),
					syncValue("source_arn", knownvalue.StringExact(sourceARN)),
					syncValue("payload_limit", knownvalue.StringExact("6 MB request, 6 MB response")),
					syncValue("timeout_note", knownvalue.StringRegexp(regexp.MustCompile(`waits up to 29 s .* function's timeout is 3 s, within it`))),
				},
			},
			{
				ResourceName:                         syncCallerResourceName,
				ImportState:                          true,
				ImportStateId:                        name + ",api_gateway," + apiID + ",test,GET,/hello,integration",
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "id",
			},
			{Config: syncFunctionConfig(env, name, zip, 3) + caller("GET"), PlanOnly: true},
			{
				// Another method is another wiring: the caller is replaced, with a new statement.
				Config: syncFunctionConfig(env, name, zip, 3) + caller("ANY"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(syncCallerResourceName, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				Check: testAccCheckSyncCallerHTTP(env, http.MethodPost, endpoint, []byte("posted"), false, 200, func(ev map[string]any) error {
					return expectJSON(ev, map[string]any{"httpMethod": "POST", "body": "posted"})
				}),
				ConfigStateChecks: []statecheck.StateCheck{
					syncValue("source_arn", knownvalue.StringExact(strings.Replace(sourceARN, "/GET/", "/*/", 1))),
				},
			},
			{Config: syncFunctionConfig(env, name, zip, 3) + caller("ANY"), PlanOnly: true},
		},
	})
}

func TestAccSyncCaller_APIGatewayHTTP_payloadV2(t *testing.T) {
	env := acctest.NewEnv(t)
	zip := testfn.WriteZip(t, testfn.HTTPEcho, t.TempDir())
	name := acctest.RandomName("httpapi")
	apiID := createHTTPAPI(t, env, name)
	caller := func(format string) string {
		return fmt.Sprintf(`
resource "lambdatrigger_sync_caller" "test" {
  function_name = lambdatrigger_function.test.function_name
  api_gateway {
    api_id      = %q
    method      = "POST"
    path        = "/items/{id}"
    integration = true
    %s
  }
}
`, apiID, format)
	}
	endpoint := func() string { return httpAPIURL(env, apiID, "/items/42?q=1") }

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckSyncCallerDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: syncFunctionConfig(env, name, zip, 3) + caller(""),
				Check: testAccCheckSyncCallerHTTP(env, http.MethodPost, endpoint, []byte("hello"), false, 200, func(ev map[string]any) error {
					return expectJSON(ev, map[string]any{
						"version": "2.0", "routeKey": "POST /items/{id}", "rawPath": "/items/42", "rawQueryString": "q=1",
						"pathParameters": map[string]any{"id": "42"}, "body": "hello",
						"requestContext.http.method": "POST",
					})
				}),
				ConfigStateChecks: []statecheck.StateCheck{
					syncValue("event_type", knownvalue.StringExact("APIGatewayV2HTTPRequest")),
					syncValue("source_arn", knownvalue.StringExact(fmt.Sprintf("arn:aws:execute-api:%s:%s:%s/*/POST/items/*", env.Clients.Region, env.Clients.AccountID, apiID))),
					syncValue("behavior", knownvalue.StringExact("POST /items/{id} on HTTP API "+apiID+"/* -> RequestResponse; caller waits up to 30 s; no retries (AWS_PROXY integration and permission)")),
				},
			},
			{
				ResourceName:                         syncCallerResourceName,
				ImportState:                          true,
				ImportStateId:                        name + ",api_gateway," + apiID + ",*,POST,/items/{id},integration",
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "id",
			},
			{Config: syncFunctionConfig(env, name, zip, 3) + caller(""), PlanOnly: true},
			{
				// Payload format 1.0 is another integration: replaced, and the event changes shape.
				Config: syncFunctionConfig(env, name, zip, 3) + caller(`payload_format_version = "1.0"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(syncCallerResourceName, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				Check: testAccCheckSyncCallerHTTP(env, http.MethodPost, endpoint, []byte("hello"), false, 200, func(ev map[string]any) error {
					return expectJSON(ev, map[string]any{"version": "1.0", "httpMethod": "POST", "resource": "/items/{id}", "body": "hello"})
				}),
				ConfigStateChecks: []statecheck.StateCheck{syncValue("event_type", knownvalue.StringExact("APIGatewayProxyRequest"))},
			},
			{Config: syncFunctionConfig(env, name, zip, 3) + caller(`payload_format_version = "1.0"`), PlanOnly: true},
		},
	})
}

// Without the permission, API Gateway answers 500 even though the route and integration exist; the
// caller's permission alone makes it 200, and destroying the caller brings the 500 back.
func TestAccSyncCaller_APIGateway_noPermission(t *testing.T) {
	env := acctest.NewEnv(t)
	zip := testfn.WriteZip(t, testfn.HTTPEcho, t.TempDir())
	name := acctest.RandomName("noperm")
	apiID := createHTTPAPI(t, env, name)
	endpoint := func() string { return httpAPIURL(env, apiID, "/hello") }
	permission := `
resource "lambdatrigger_sync_caller" "test" {
  function_name = lambdatrigger_function.test.function_name
  api_gateway {
    api_id = "` + apiID + `"
    method = "GET"
    path   = "/hello"
  }
}
`
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckSyncCallerDestroy(env),
		Steps: []resource.TestStep{
			{
				Config: syncFunctionConfig(env, name, zip, 3),
				Check: resource.ComposeAggregateTestCheckFunc(
					func(s *terraform.State) error {
						return wireHTTPRoute(env, apiID, s.RootModule().Resources["lambdatrigger_function.test"].Primary.Attributes["arn"])
					},
					testAccCheckSyncCallerHTTP(env, http.MethodGet, endpoint, nil, false, 500, nil),
				),
			},
			{
				Config: syncFunctionConfig(env, name, zip, 3) + permission,
				Check:  testAccCheckSyncCallerHTTP(env, http.MethodGet, endpoint, nil, false, 200, nil),
				ConfigStateChecks: []statecheck.StateCheck{
					syncValue("behavior", knownvalue.StringExact("GET /hello on HTTP API "+apiID+"/* -> RequestResponse; caller waits up to 30 s; no retries (permission only)")),
				},
			},
			{Config: syncFunctionConfig(env, name, zip, 3) + permission, PlanOnly: true},
			{
				Config: syncFunctionConfig(env, name, zip, 3),
				Check:  testAccCheckSyncCallerHTTP(env, http.MethodGet, endpoint, nil, false, 500, nil),
			},
		},
	})
}

// An api_id that names no API is a plan-time error, not a failed apply.
func TestAccSyncCaller_APIGateway_apiNotFound(t *testing.T) {
	env := acctest.NewEnv(t)
	zip := testfn.WriteZip(t, testfn.HTTPEcho, t.TempDir())
	name := acctest.RandomName("noapi")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: syncFunctionConfig(env, name, zip, 3)},
			{
				Config: syncFunctionConfig(env, name, zip, 3) + `
resource "lambdatrigger_sync_caller" "test" {
  function_name = lambdatrigger_function.test.function_name
  api_gateway {
    api_id = "nosuchapi"
  }
}
`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)API Gateway API Not Found.*nosuchapi`),
			},
		},
	})
}

// A REST method already integrated with something else is not taken over: the apply fails, says
// why, and takes back the permission it added.
func TestAccSyncCaller_APIGatewayREST_integrationConflict(t *testing.T) {
	env := acctest.NewEnv(t)
	zip := testfn.WriteZip(t, testfn.HTTPEcho, t.TempDir())
	name := acctest.RandomName("conflict")
	apiID := createRESTAPI(t, env, name, "hello")
	ctx := context.Background()
	conn := env.Clients.APIGateway()
	res, err := conn.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: aws.String(apiID)})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Items {
		if aws.ToString(r.Path) != "/hello" {
			continue
		}
		if _, err := conn.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: aws.String(apiID), ResourceId: r.Id, HttpMethod: aws.String("GET"), AuthorizationType: aws.String("NONE")}); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.PutIntegration(ctx, &apigateway.PutIntegrationInput{RestApiId: aws.String(apiID), ResourceId: r.Id, HttpMethod: aws.String("GET"),
			Type: "HTTP_PROXY", IntegrationHttpMethod: aws.String("GET"), Uri: aws.String("https://example.com/")}); err != nil {
			t.Fatal(err)
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: syncFunctionConfig(env, name, zip, 3) + `
resource "lambdatrigger_sync_caller" "test" {
  function_name = lambdatrigger_function.test.function_name
  api_gateway {
    api_id      = "` + apiID + `"
    method      = "GET"
    path        = "/hello"
    integration = true
  }
}
`,
				ExpectError: regexp.MustCompile(`(?s)API Route Already Integrated.*https://example.com/`),
			},
			{
				Config: syncFunctionConfig(env, name, zip, 3),
				Check: func(*terraform.State) error {
					out, err := env.Clients.Lambda.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String(name)})
					if err == nil && strings.Contains(aws.ToString(out.Policy), "lambdatrigger-") {
						return fmt.Errorf("the failed apply left its permission: %s", aws.ToString(out.Policy))
					}
					return nil
				},
			},
		},
	})
}

func syncFunctionConfig(env *acctest.Env, name, zip string, timeout int) string {
	return env.ProviderConfig + fmt.Sprintf(`
resource "lambdatrigger_function" "test" {
  function_name    = %[1]q
  filename         = %[2]q
  source_code_hash = filebase64sha256(%[2]q)
  runtime          = "provided.al2023"
  role             = %[3]q
  timeout          = %[4]d
}
`, name, zip, env.RoleARN, timeout)
}

func syncValue(attr string, check knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(syncCallerResourceName, tfjsonpath.New(attr), check)
}

func createRESTAPI(t *testing.T, env *acctest.Env, name, pathPart string) string {
	t.Helper()
	ctx := context.Background()
	conn := env.Clients.APIGateway()
	api, err := conn.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String(name)})
	if err != nil {
		t.Fatalf("CreateRestApi: %v", err)
	}
	t.Cleanup(func() { conn.DeleteRestApi(context.Background(), &apigateway.DeleteRestApiInput{RestApiId: api.Id}) })
	res, err := conn.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: api.Id})
	if err != nil || len(res.Items) == 0 {
		t.Fatalf("GetResources: %v", err)
	}
	if _, err := conn.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: api.Id, ParentId: res.Items[0].Id, PathPart: aws.String(pathPart)}); err != nil {
		t.Fatalf("CreateResource: %v", err)
	}
	return aws.ToString(api.Id)
}

func createHTTPAPI(t *testing.T, env *acctest.Env, name string) string {
	t.Helper()
	ctx := context.Background()
	conn := env.Clients.APIGatewayV2()
	api, err := conn.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String(name), ProtocolType: apigwv2types.ProtocolTypeHttp})
	if err != nil {
		t.Fatalf("CreateApi: %v", err)
	}
	t.Cleanup(func() { conn.DeleteApi(context.Background(), &apigatewayv2.DeleteApiInput{ApiId: api.ApiId}) })
	if _, err := conn.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: api.ApiId, StageName: aws.String("$default"), AutoDeploy: aws.Bool(true)}); err != nil {
		t.Fatalf("CreateStage: %v", err)
	}
	return aws.ToString(api.ApiId)
}

// wireHTTPRoute adds GET /hello with an AWS_PROXY integration to the function, but no permission.
func wireHTTPRoute(env *acctest.Env, apiID, functionARN string) error {
	ctx := context.Background()
	conn := env.Clients.APIGatewayV2()
	integ, err := conn.CreateIntegration(ctx, &apigatewayv2.CreateIntegrationInput{
		ApiId: aws.String(apiID), IntegrationType: apigwv2types.IntegrationTypeAwsProxy,
		IntegrationUri: aws.String(functionARN), PayloadFormatVersion: aws.String("2.0"),
	})
	if err != nil {
		return fmt.Errorf("CreateIntegration: %w", err)
	}
	_, err = conn.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{
		ApiId: aws.String(apiID), RouteKey: aws.String("GET /hello"), Target: aws.String("integrations/" + aws.ToString(integ.IntegrationId)),
	})
	return err
}

// restStageURL reaches a REST API stage: the simulator's path form, or the execute-api host.
func restStageURL(env *acctest.Env, apiID, stage, path string) string {
	if env.Endpoint != "" {
		return fmt.Sprintf("%s/restapis/%s/%s/_user_request_%s", env.Endpoint, apiID, stage, path)
	}
	return fmt.Sprintf("https://%s.execute-api.%s.amazonaws.com/%s%s", apiID, env.Clients.Region, stage, path)
}

// httpAPIURL reaches an HTTP API's $default stage.
func httpAPIURL(env *acctest.Env, apiID, path string) string {
	if env.Endpoint != "" {
		return fmt.Sprintf("%s/restapis/%s/$default/_user_request_%s", env.Endpoint, apiID, path)
	}
	return fmt.Sprintf("https://%s.execute-api.%s.amazonaws.com%s", apiID, env.Clients.Region, path)
}

// testAccCheckSyncCallerHTTP sends a real request and checks the status and, when given, the event
// the function echoed.
func testAccCheckSyncCallerHTTP(env *acctest.Env, method string, target func() string, body []byte, signed bool, want int, check func(map[string]any) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, method, target(), bytes.NewReader(body))
		if err != nil {
			return err
		}
		if body != nil {
			req.Header.Set("Content-Type", "text/plain")
		}
		if signed {
			creds, err := env.Clients.AWSConfig.Credentials.Retrieve(ctx)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(body)
			if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "lambda", env.Clients.Region, time.Now()); err != nil {
				return err
			}
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return fmt.Errorf("%s %s: %w", method, req.URL, err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != want {
			return fmt.Errorf("%s %s: status %d, want %d; body %s", method, req.URL, resp.StatusCode, want, data)
		}
		if check == nil {
			return nil
		}
		var ev map[string]any
		if err := json.Unmarshal(data, &ev); err != nil {
			return fmt.Errorf("%s %s: the answer %q is not the echoed event: %w", method, req.URL, data, err)
		}
		return check(ev)
	}
}

// expectJSON checks members of an event; a key with dots is a path ("requestContext.stage").
func expectJSON(ev map[string]any, want map[string]any) error {
	for key, w := range want {
		var got any = ev
		for _, k := range strings.Split(key, ".") {
			m, _ := got.(map[string]any)
			got = m[k]
		}
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(w)
		if !bytes.Equal(gj, wj) {
			return fmt.Errorf("the function saw %s = %s, want %s", key, gj, wj)
		}
	}
	return nil
}

// testAccCheckSyncCallerDestroy checks, through the production finders, that every caller left
// nothing behind: no statement in the policy, no target in the target group, no route in the API.
func testAccCheckSyncCallerDestroy(env *acctest.Env) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		ctx := context.Background()
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "lambdatrigger_sync_caller" {
				continue
			}
			a := rs.Primary.Attributes
			if sid := a["statement_id"]; sid != "" {
				_, err := provider.FindPolicyStatement(ctx, env.Clients.Lambda, a["function_name"], a["qualifier"], sid)
				if err == nil {
					return fmt.Errorf("statement %s is still in the policy of %s", sid, a["function_name"])
				}
				if !provider.IsNotFound(err) {
					return err
				}
			}
			if tg := a["alb.target_group_arn"]; tg != "" {
				fnARN := fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", env.Clients.Region, env.Clients.AccountID, a["function_name"])
				_, err := provider.FindTargetGroupTarget(ctx, env.Clients.ELBv2(), tg, fnARN)
				if err == nil {
					return fmt.Errorf("%s is still registered in %s", fnARN, tg)
				}
				if !provider.IsNotFound(err) {
					return err
				}
			}
			if a["api_gateway.integration"] == "true" && strings.Contains(a["event_type"], "V2") {
				key := a["api_gateway.method"] + " " + a["api_gateway.path"]
				_, err := provider.FindHTTPRouteByKey(ctx, env.Clients.APIGatewayV2(), a["api_gateway.api_id"], key)
				if err == nil {
					return fmt.Errorf("route %s is still in HTTP API %s", key, a["api_gateway.api_id"])
				}
				if !provider.IsNotFound(err) {
					return err
				}
			}
		}
		return nil
	}
}
