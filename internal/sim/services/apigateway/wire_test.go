package apigateway_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	apigw "github.com/aws/aws-sdk-go-v2/service/apigateway"
	apigwtypes "github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	apigw2 "github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	apigw2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/apigateway"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/apigatewayv2"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/simtest"
)

const fnARN = "arn:aws:lambda:us-east-1:000000000000:function:hello"

var lambdaURI = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + fnARN + "/invocations"

type harness struct {
	url  string
	v1   *apigw.Client
	v2   *apigw2.Client
	rest *apigateway.Service
	http *apigatewayv2.Service
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func start(t *testing.T, st *store.Store) *harness {
	t.Helper()
	clk := clock.NewManual(time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC))
	var srvURL string
	v2, err := apigatewayv2.New(apigatewayv2.Config{Store: st, Clock: clk, Logger: quiet(), Endpoint: func() string { return srvURL }})
	if err != nil {
		t.Fatal(err)
	}
	v1, err := apigateway.New(apigateway.Config{Store: st, Clock: clk, Logger: quiet(), V2: v2})
	if err != nil {
		t.Fatal(err)
	}
	router := server.NewRouter()
	v1.Register(router)
	srv := httptest.NewServer(awswire.WithRequestID(router))
	t.Cleanup(srv.Close)
	srvURL = srv.URL
	creds := credentials.NewStaticCredentialsProvider("AKID", "secret", "")
	return &harness{
		url: srv.URL,
		v1: apigw.New(apigw.Options{Region: "us-east-1", Credentials: creds, BaseEndpoint: aws.String(srv.URL),
			Retryer: aws.NopRetryer{}, HTTPClient: simtest.HTTPClient()}),
		v2: apigw2.New(apigw2.Options{Region: "us-east-1", Credentials: creds, BaseEndpoint: aws.String(srv.URL),
			Retryer: aws.NopRetryer{}, HTTPClient: simtest.HTTPClient()}),
		rest: v1, http: v2,
	}
}

func newStore(t *testing.T) *store.Store {
	st, err := store.OpenTemp()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}

var idShape = regexp.MustCompile(`^[a-z0-9]{10}$`)

// buildREST creates an API with /hello (GET), /items/{id} (ANY) and /{proxy+} (ANY), each with a
// Lambda proxy integration, and deploys it to "prod".
func buildREST(t *testing.T, h *harness) (apiID string) {
	t.Helper()
	c := ctx(t)
	api, err := h.v1.CreateRestApi(c, &apigw.CreateRestApiInput{Name: aws.String("demo"), BinaryMediaTypes: []string{"image/png"}})
	if err != nil {
		t.Fatal(err)
	}
	if !idShape.MatchString(*api.Id) || *api.RootResourceId == "" {
		t.Fatalf("api %q root %q", *api.Id, aws.ToString(api.RootResourceId))
	}
	add := func(parent, part, method string) string {
		r, err := h.v1.CreateResource(c, &apigw.CreateResourceInput{RestApiId: api.Id, ParentId: aws.String(parent), PathPart: aws.String(part)})
		if err != nil {
			t.Fatalf("CreateResource %s: %v", part, err)
		}
		if method != "" {
			putLambda(t, h, *api.Id, *r.Id, method)
		}
		return *r.Id
	}
	add(*api.RootResourceId, "hello", "GET")
	items := add(*api.RootResourceId, "items", "")
	add(items, "{id}", "ANY")
	add(*api.RootResourceId, "{proxy+}", "ANY")
	if _, err := h.v1.CreateDeployment(c, &apigw.CreateDeploymentInput{RestApiId: api.Id, StageName: aws.String("prod")}); err != nil {
		t.Fatal(err)
	}
	return *api.Id
}

func putLambda(t *testing.T, h *harness, apiID, resourceID, method string) {
	t.Helper()
	c := ctx(t)
	if _, err := h.v1.PutMethod(c, &apigw.PutMethodInput{RestApiId: &apiID, ResourceId: &resourceID, HttpMethod: &method, AuthorizationType: aws.String("NONE")}); err != nil {
		t.Fatalf("PutMethod: %v", err)
	}
	if _, err := h.v1.PutIntegration(c, &apigw.PutIntegrationInput{RestApiId: &apiID, ResourceId: &resourceID, HttpMethod: &method,
		Type: apigwtypes.IntegrationTypeAwsProxy, IntegrationHttpMethod: aws.String("POST"), Uri: &lambdaURI}); err != nil {
		t.Fatalf("PutIntegration: %v", err)
	}
}

func TestRESTControlPlane_buildAndDescribe(t *testing.T) {
	h := start(t, newStore(t))
	c := ctx(t)
	apiID := buildREST(t, h)

	res, err := h.v1.GetResources(c, &apigw.GetResourcesInput{RestApiId: &apiID, Embed: []string{"methods"}})
	if err != nil {
		t.Fatal(err)
	}
	paths := map[string]apigwtypes.Resource{}
	for _, r := range res.Items {
		paths[*r.Path] = r
	}
	for _, p := range []string{"/", "/hello", "/items", "/items/{id}", "/{proxy+}"} {
		if _, ok := paths[p]; !ok {
			t.Errorf("GetResources lacks %s: %v", p, paths)
		}
	}
	if m := paths["/items/{id}"].ResourceMethods["ANY"]; m.MethodIntegration == nil || *m.MethodIntegration.Uri != lambdaURI {
		t.Errorf("embedded method: %+v", m)
	}
	hello := paths["/hello"]
	integ, err := h.v1.GetIntegration(c, &apigw.GetIntegrationInput{RestApiId: &apiID, ResourceId: hello.Id, HttpMethod: aws.String("GET")})
	if err != nil {
		t.Fatal(err)
	}
	if integ.Type != apigwtypes.IntegrationTypeAwsProxy || integ.TimeoutInMillis != 29000 || *integ.HttpMethod != "POST" {
		t.Errorf("integration: type %s timeout %d method %s", integ.Type, integ.TimeoutInMillis, *integ.HttpMethod)
	}
	m, err := h.v1.GetMethod(c, &apigw.GetMethodInput{RestApiId: &apiID, ResourceId: hello.Id, HttpMethod: aws.String("GET")})
	if err != nil || *m.AuthorizationType != "NONE" || m.MethodIntegration == nil {
		t.Fatalf("GetMethod: %+v %v", m, err)
	}
	st, err := h.v1.GetStage(c, &apigw.GetStageInput{RestApiId: &apiID, StageName: aws.String("prod")})
	if err != nil || st.DeploymentId == nil {
		t.Fatalf("GetStage: %+v %v", st, err)
	}
	stages, err := h.v1.GetStages(c, &apigw.GetStagesInput{RestApiId: &apiID})
	if err != nil || len(stages.Item) != 1 {
		t.Fatalf("GetStages: %+v %v", stages, err)
	}
	// A second stage on the same deployment, through CreateStage.
	if _, err := h.v1.CreateStage(c, &apigw.CreateStageInput{RestApiId: &apiID, StageName: aws.String("dev"), DeploymentId: st.DeploymentId,
		Variables: map[string]string{"fn": "hello"}}); err != nil {
		t.Fatal(err)
	}
	apis, err := h.v1.GetRestApis(c, &apigw.GetRestApisInput{})
	if err != nil || len(apis.Items) != 1 || *apis.Items[0].Id != apiID || apis.Items[0].CreatedDate == nil {
		t.Fatalf("GetRestApis: %+v %v", apis, err)
	}
	if _, err := h.v1.DeleteStage(c, &apigw.DeleteStageInput{RestApiId: &apiID, StageName: aws.String("dev")}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.v1.DeleteResource(c, &apigw.DeleteResourceInput{RestApiId: &apiID, ResourceId: paths["/items"].Id}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.v1.GetResource(c, &apigw.GetResourceInput{RestApiId: &apiID, ResourceId: paths["/items/{id}"].Id}); !isNotFound(err) {
		t.Fatalf("child of a deleted resource: %v", err)
	}
	// The deployment is a snapshot: the stage still has /items/{id}.
	dep, ok, err := h.rest.DeployedStage(apiID, "prod")
	if err != nil || !ok || dep.Resources[*paths["/items/{id}"].Id] == nil {
		t.Fatalf("deployed snapshot lost a resource deleted after deployment: %v %v", ok, err)
	}
	if _, err := h.v1.DeleteRestApi(c, &apigw.DeleteRestApiInput{RestApiId: &apiID}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.v1.GetRestApi(c, &apigw.GetRestApiInput{RestApiId: &apiID}); !isNotFound(err) {
		t.Fatalf("GetRestApi after delete: %v", err)
	}
}

func isNotFound(err error) bool {
	var nf *apigwtypes.NotFoundException
	var nf2 *apigw2types.NotFoundException
	return errors.As(err, &nf) || errors.As(err, &nf2)
}

func TestRESTControlPlane_errors(t *testing.T) {
	h := start(t, newStore(t))
	c := ctx(t)
	api, err := h.v1.CreateRestApi(c, &apigw.CreateRestApiInput{Name: aws.String("errs")})
	if err != nil {
		t.Fatal(err)
	}
	root := api.RootResourceId
	var bad *apigwtypes.BadRequestException
	var conflict *apigwtypes.ConflictException

	if _, err := h.v1.CreateDeployment(c, &apigw.CreateDeploymentInput{RestApiId: api.Id, StageName: aws.String("p")}); !errors.As(err, &bad) ||
		!strings.Contains(err.Error(), "doesn't contain any methods") {
		t.Errorf("deployment without methods: %v", err)
	}
	if _, err := h.v1.CreateResource(c, &apigw.CreateResourceInput{RestApiId: api.Id, ParentId: root, PathPart: aws.String("a b")}); !errors.As(err, &bad) {
		t.Errorf("bad path part: %v", err)
	}
	r, err := h.v1.CreateResource(c, &apigw.CreateResourceInput{RestApiId: api.Id, ParentId: root, PathPart: aws.String("x")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.v1.CreateResource(c, &apigw.CreateResourceInput{RestApiId: api.Id, ParentId: root, PathPart: aws.String("x")}); !errors.As(err, &conflict) {
		t.Errorf("duplicate resource: %v", err)
	}
	if _, err := h.v1.GetResource(c, &apigw.GetResourceInput{RestApiId: api.Id, ResourceId: aws.String("nope00")}); !isNotFound(err) {
		t.Errorf("unknown resource: %v", err)
	}
	if _, err := h.v1.GetRestApi(c, &apigw.GetRestApiInput{RestApiId: aws.String("zzzzzzzzzz")}); !isNotFound(err) {
		t.Errorf("unknown api: %v", err)
	}
	get := aws.String("GET")
	if _, err := h.v1.PutIntegration(c, &apigw.PutIntegrationInput{RestApiId: api.Id, ResourceId: r.Id, HttpMethod: get,
		Type: apigwtypes.IntegrationTypeAwsProxy, IntegrationHttpMethod: aws.String("POST"), Uri: &lambdaURI}); !isNotFound(err) {
		t.Errorf("integration of a missing method: %v", err)
	}
	if _, err := h.v1.PutMethod(c, &apigw.PutMethodInput{RestApiId: api.Id, ResourceId: r.Id, HttpMethod: get, AuthorizationType: aws.String("AWS_IAM")}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.v1.PutMethod(c, &apigw.PutMethodInput{RestApiId: api.Id, ResourceId: r.Id, HttpMethod: get, AuthorizationType: aws.String("NONE")}); !errors.As(err, &conflict) {
		t.Errorf("duplicate method: %v", err)
	}
	if _, err := h.v1.CreateDeployment(c, &apigw.CreateDeploymentInput{RestApiId: api.Id}); !errors.As(err, &bad) ||
		!strings.Contains(err.Error(), "No integration defined") {
		t.Errorf("deployment with a method without integration: %v", err)
	}
	for _, ms := range []int32{49, 29001} {
		if _, err := h.v1.PutIntegration(c, &apigw.PutIntegrationInput{RestApiId: api.Id, ResourceId: r.Id, HttpMethod: get,
			Type: apigwtypes.IntegrationTypeAwsProxy, IntegrationHttpMethod: aws.String("POST"), Uri: &lambdaURI, TimeoutInMillis: aws.Int32(ms)}); !errors.As(err, &bad) {
			t.Errorf("timeout %d ms on an EDGE API: %v", ms, err)
		}
	}
	if _, err := h.v1.PutIntegration(c, &apigw.PutIntegrationInput{RestApiId: api.Id, ResourceId: r.Id, HttpMethod: get,
		Type: apigwtypes.IntegrationTypeAwsProxy, IntegrationHttpMethod: aws.String("POST"), Uri: aws.String("arn:aws:s3:::bucket")}); !errors.As(err, &bad) {
		t.Errorf("AWS_PROXY to S3: %v", err)
	}
	// Regional APIs may raise the timeout above 29 s (June 2024).
	reg, err := h.v1.CreateRestApi(c, &apigw.CreateRestApiInput{Name: aws.String("regional"),
		EndpointConfiguration: &apigwtypes.EndpointConfiguration{Types: []apigwtypes.EndpointType{apigwtypes.EndpointTypeRegional}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.v1.PutMethod(c, &apigw.PutMethodInput{RestApiId: reg.Id, ResourceId: reg.RootResourceId, HttpMethod: get, AuthorizationType: aws.String("NONE")}); err != nil {
		t.Fatal(err)
	}
	out, err := h.v1.PutIntegration(c, &apigw.PutIntegrationInput{RestApiId: reg.Id, ResourceId: reg.RootResourceId, HttpMethod: get,
		Type: apigwtypes.IntegrationTypeAwsProxy, IntegrationHttpMethod: aws.String("POST"), Uri: &lambdaURI, TimeoutInMillis: aws.Int32(60000)})
	if err != nil || out.TimeoutInMillis != 60000 {
		t.Errorf("60 s timeout on a REGIONAL API: %+v %v", out, err)
	}
}

func TestHTTPControlPlane_quickCreateAndRoutes(t *testing.T) {
	h := start(t, newStore(t))
	c := ctx(t)
	quick, err := h.v2.CreateApi(c, &apigw2.CreateApiInput{Name: aws.String("quick"), ProtocolType: apigw2types.ProtocolTypeHttp, Target: aws.String(fnARN)})
	if err != nil {
		t.Fatal(err)
	}
	if !idShape.MatchString(*quick.ApiId) || !strings.Contains(*quick.ApiEndpoint, *quick.ApiId+".execute-api.localhost:") {
		t.Fatalf("api id %q endpoint %q", *quick.ApiId, *quick.ApiEndpoint)
	}
	integs, err := h.v2.GetIntegrations(c, &apigw2.GetIntegrationsInput{ApiId: quick.ApiId})
	if err != nil || len(integs.Items) != 1 {
		t.Fatalf("GetIntegrations: %+v %v", integs, err)
	}
	in := integs.Items[0]
	if in.IntegrationType != apigw2types.IntegrationTypeAwsProxy || *in.PayloadFormatVersion != "2.0" || *in.TimeoutInMillis != 30000 || !*in.ApiGatewayManaged {
		t.Errorf("quick-create integration: %+v", in)
	}
	routes, err := h.v2.GetRoutes(c, &apigw2.GetRoutesInput{ApiId: quick.ApiId})
	if err != nil || len(routes.Items) != 1 || *routes.Items[0].RouteKey != "$default" {
		t.Fatalf("GetRoutes: %+v %v", routes, err)
	}
	st, err := h.v2.GetStage(c, &apigw2.GetStageInput{ApiId: quick.ApiId, StageName: aws.String("$default")})
	if err != nil || !*st.AutoDeploy || st.CreatedDate == nil {
		t.Fatalf("GetStage $default: %+v %v", st, err)
	}

	api, err := h.v2.CreateApi(c, &apigw2.CreateApiInput{Name: aws.String("manual"), ProtocolType: apigw2types.ProtocolTypeHttp})
	if err != nil {
		t.Fatal(err)
	}
	integ, err := h.v2.CreateIntegration(c, &apigw2.CreateIntegrationInput{ApiId: api.ApiId, IntegrationType: apigw2types.IntegrationTypeAwsProxy,
		IntegrationUri: aws.String(lambdaURI), PayloadFormatVersion: aws.String("1.0")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.v2.CreateRoute(c, &apigw2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("GET /hello/{name}"), Target: aws.String("integrations/" + *integ.IntegrationId)}); err != nil {
		t.Fatal(err)
	}
	var conflict *apigw2types.ConflictException
	if _, err := h.v2.CreateRoute(c, &apigw2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("GET /hello/{name}")}); !errors.As(err, &conflict) {
		t.Errorf("duplicate route: %v", err)
	}
	var bad *apigw2types.BadRequestException
	for _, k := range []string{"FETCH /x", "GET x", "GET /{proxy+}/more"} {
		if _, err := h.v2.CreateRoute(c, &apigw2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String(k)}); !errors.As(err, &bad) {
			t.Errorf("route key %q: %v", k, err)
		}
	}
	if _, err := h.v2.CreateRoute(c, &apigw2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("GET /x"), Target: aws.String("integrations/nope")}); !errors.As(err, &bad) {
		t.Errorf("target of a missing integration: %v", err)
	}
	if _, err := h.v2.CreateIntegration(c, &apigw2.CreateIntegrationInput{ApiId: api.ApiId, IntegrationType: apigw2types.IntegrationTypeAwsProxy,
		IntegrationUri: aws.String(fnARN), PayloadFormatVersion: aws.String("2.0"), TimeoutInMillis: aws.Int32(30001)}); !errors.As(err, &bad) {
		t.Errorf("timeout above 30 s: %v", err)
	}
	if _, err := h.v2.CreateIntegration(c, &apigw2.CreateIntegrationInput{ApiId: api.ApiId, IntegrationType: apigw2types.IntegrationTypeAwsProxy,
		IntegrationUri: aws.String(fnARN), PayloadFormatVersion: aws.String("3.0")}); !errors.As(err, &bad) {
		t.Errorf("payload format 3.0: %v", err)
	}
	// A stage without AutoDeploy serves nothing until a deployment.
	if _, err := h.v2.CreateStage(c, &apigw2.CreateStageInput{ApiId: api.ApiId, StageName: aws.String("prod")}); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := h.http.DeployedStage(*api.ApiId, "prod"); ok {
		t.Fatal("a stage without a deployment must not serve")
	}
	if _, err := h.v2.CreateDeployment(c, &apigw2.CreateDeploymentInput{ApiId: api.ApiId, StageName: aws.String("prod")}); err != nil {
		t.Fatal(err)
	}
	dep, ok, err := h.http.DeployedStage(*api.ApiId, "prod")
	if err != nil || !ok || len(dep.Routes) != 1 {
		t.Fatalf("deployed stage: %+v %v %v", dep, ok, err)
	}
	apis, err := h.v2.GetApis(c, &apigw2.GetApisInput{})
	if err != nil || len(apis.Items) != 2 {
		t.Fatalf("GetApis: %+v %v", apis, err)
	}
	routes, _ = h.v2.GetRoutes(c, &apigw2.GetRoutesInput{ApiId: api.ApiId})
	if _, err := h.v2.DeleteRoute(c, &apigw2.DeleteRouteInput{ApiId: api.ApiId, RouteId: routes.Items[0].RouteId}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.v2.GetRoute(c, &apigw2.GetRouteInput{ApiId: api.ApiId, RouteId: routes.Items[0].RouteId}); !isNotFound(err) {
		t.Errorf("deleted route: %v", err)
	}
	if _, err := h.v2.DeleteApi(c, &apigw2.DeleteApiInput{ApiId: api.ApiId}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.v2.GetApi(c, &apigw2.GetApiInput{ApiId: api.ApiId}); !isNotFound(err) {
		t.Errorf("deleted api: %v", err)
	}
}

func TestControlPlane_unknownOperations(t *testing.T) {
	h := start(t, newStore(t))
	for _, path := range []string{"/apikeys", "/v2/domainnames"} {
		req, _ := http.NewRequest("GET", h.url+path, nil)
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20261129/us-east-1/apigateway/aws4_request, SignedHeaders=host, Signature=x")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode < 400 || resp.Header.Get("X-Amzn-ErrorType") != "UnknownOperationException" {
			t.Errorf("%s: %d %v", path, resp.StatusCode, resp.Header)
		}
	}
}

func TestControlPlane_survivesRestart(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	h := start(t, st)
	restID := buildREST(t, h)
	quick, err := h.v2.CreateApi(ctx(t), &apigw2.CreateApiInput{Name: aws.String("q"), ProtocolType: apigw2types.ProtocolTypeHttp, Target: aws.String(fnARN)})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	st, err = store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h = start(t, st)
	if _, ok, err := h.rest.DeployedStage(restID, "prod"); !ok || err != nil {
		t.Fatalf("REST stage after restart: %v %v", ok, err)
	}
	if _, ok, err := h.http.DeployedStage(*quick.ApiId, "$default"); !ok || err != nil {
		t.Fatalf("HTTP $default stage after restart: %v %v", ok, err)
	}
	if _, err := h.v1.GetRestApi(ctx(t), &apigw.GetRestApiInput{RestApiId: &restID}); err != nil {
		t.Fatal(err)
	}
}
