package provider

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	apigwtypes "github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	apigwv2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/conns"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/provider/diagnostics"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/trigger"
)

// The api_gateway kind: the permission for apigateway.amazonaws.com and, with integration = true, the
// AWS_PROXY integration (REST: PutMethod when absent + PutIntegration on an existing resource, then a
// deployment to a named stage; HTTP: CreateIntegration + CreateRoute). What the resource creates on
// the API is marked with its statement ID (operation name, description), so Delete removes exactly
// that and a recreate after drift adopts it.

const apiTypeWebSocket = "WEBSOCKET"

func (r *syncCallerResource) createAPIGateway(ctx context.Context, w syncWiring, f syncCallerFacts) diag.Diagnostics {
	var diags diag.Diagnostics
	conn := r.clients.Lambda
	input := invokePermission(w, "apigateway.amazonaws.com", trigger.ExecuteAPISourceARN(f.arn, w.APIID, w.Stage, w.Method, w.Path))
	if err := addPermission(ctx, conn, input); err != nil {
		diags.Append(diagnostics.APIError("adding the permission of", diagnostics.SyncCallerThing, w.ID(), err))
		return diags
	}
	if !w.Integration {
		return diags
	}
	var d diag.Diagnostics
	switch f.apiType {
	case apiTypeREST:
		d = r.createRESTIntegration(ctx, w, f)
	case apiTypeHTTP:
		d = r.createHTTPIntegration(ctx, w, f)
	default:
		d.AddError("API Gateway API Not Found", fmt.Sprintf("API %s is neither a REST API nor an HTTP API of this account and Region.", w.APIID))
	}
	diags.Append(d...)
	if diags.HasError() {
		// Leave nothing half wired: take back the permission just added.
		if err := removePermissions(ctx, conn, w.FunctionName, w.Qualifier, w.statementID()); err != nil {
			tflog.Warn(ctx, "removing the permission of a failed sync caller", map[string]any{"error": err.Error()})
		}
	}
	return diags
}

func (r *syncCallerResource) createRESTIntegration(ctx context.Context, w syncWiring, f syncCallerFacts) diag.Diagnostics {
	var diags diag.Diagnostics
	conn := r.clients.APIGateway()
	res, err := findRESTResourceByPath(ctx, conn, w.APIID, w.Path)
	if isNotFound(err) {
		diags.Append(diagnostics.APIGatewayResourceNotFound(w.APIID, w.Path))
		return diags
	}
	if err != nil {
		diags.Append(diagnostics.APIError("reading the REST API resources of", diagnostics.SyncCallerThing, w.ID(), err))
		return diags
	}
	method := trigger.RouteMethod(w.Method)
	uri := invokeARN(r.clients, w.functionARN(f.arn))
	existing, err := conn.GetMethod(ctx, &apigateway.GetMethodInput{RestApiId: aws.String(w.APIID), ResourceId: res.Id, HttpMethod: aws.String(method)})
	if err == nil && existing.MethodIntegration != nil && aws.ToString(existing.MethodIntegration.Uri) != uri {
		// Someone else's integration: PutIntegration would replace it, and Delete remove it.
		diags.Append(diagnostics.APIGatewayRouteConflict(w.APIID, method+" "+w.Path, aws.ToString(existing.MethodIntegration.Uri)))
		return diags
	}
	if errorIs[*apigwtypes.NotFoundException](err, "") {
		_, err = conn.PutMethod(ctx, &apigateway.PutMethodInput{
			RestApiId: aws.String(w.APIID), ResourceId: res.Id, HttpMethod: aws.String(method),
			AuthorizationType: aws.String("NONE"), OperationName: aws.String(w.marker()),
		})
	}
	if err != nil {
		diags.Append(diagnostics.APIError("creating the method of", diagnostics.SyncCallerThing, w.ID(), err))
		return diags
	}
	_, err = conn.PutIntegration(ctx, &apigateway.PutIntegrationInput{
		RestApiId: aws.String(w.APIID), ResourceId: res.Id, HttpMethod: aws.String(method),
		Type:                  apigwtypes.IntegrationTypeAwsProxy,
		IntegrationHttpMethod: aws.String("POST"),
		Uri:                   aws.String(uri),
	})
	if err != nil {
		diags.Append(diagnostics.APIError("creating the integration of", diagnostics.SyncCallerThing, w.ID(), err))
		return diags
	}
	if err := deployRESTStage(ctx, conn, w); err != nil {
		diags.Append(diagnostics.APIError("deploying the stage of", diagnostics.SyncCallerThing, w.ID(), err))
	}
	return diags
}

// deployRESTStage makes a REST API change live on the named stage; with any stage ("*") the next
// deployment does.
func deployRESTStage(ctx context.Context, conn *apigateway.Client, w syncWiring) error {
	if w.Stage == trigger.Wildcard {
		return nil
	}
	_, err := conn.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{
		RestApiId: aws.String(w.APIID), StageName: aws.String(w.Stage), Description: aws.String(w.marker()),
	})
	return err
}

func (r *syncCallerResource) createHTTPIntegration(ctx context.Context, w syncWiring, f syncCallerFacts) diag.Diagnostics {
	var diags diag.Diagnostics
	conn := r.clients.APIGatewayV2()
	integ, err := findHTTPIntegrationByMarker(ctx, conn, w.APIID, w.marker())
	if isNotFound(err) {
		var out *apigatewayv2.CreateIntegrationOutput
		out, err = conn.CreateIntegration(ctx, &apigatewayv2.CreateIntegrationInput{
			ApiId:                aws.String(w.APIID),
			IntegrationType:      apigwv2types.IntegrationTypeAwsProxy,
			IntegrationUri:       aws.String(w.functionARN(f.arn)),
			IntegrationMethod:    aws.String("POST"),
			PayloadFormatVersion: aws.String(w.payloadFormat()),
			Description:          aws.String(w.marker()),
		})
		if out != nil {
			integ = &apigwv2types.Integration{IntegrationId: out.IntegrationId}
		}
	}
	if err != nil {
		diags.Append(diagnostics.APIError("creating the integration of", diagnostics.SyncCallerThing, w.ID(), err))
		return diags
	}
	target := "integrations/" + aws.ToString(integ.IntegrationId)
	route, err := findHTTPRouteByKey(ctx, conn, w.APIID, w.routeKey())
	switch {
	case err == nil && aws.ToString(route.Target) == target:
		return diags // adopted after drift
	case err == nil:
		diags.Append(diagnostics.APIGatewayRouteConflict(w.APIID, w.routeKey(), aws.ToString(route.Target)))
	case isNotFound(err):
		_, err = conn.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{
			ApiId: aws.String(w.APIID), RouteKey: aws.String(w.routeKey()), Target: aws.String(target), OperationName: aws.String(w.marker()),
		})
		if err != nil {
			diags.Append(diagnostics.APIError("creating the route of", diagnostics.SyncCallerThing, w.ID(), err))
		}
	default:
		diags.Append(diagnostics.APIError("reading the routes of", diagnostics.SyncCallerThing, w.ID(), err))
	}
	if diags.HasError() {
		deleteHTTPIntegration(ctx, conn, w.APIID, aws.ToString(integ.IntegrationId))
	}
	return diags
}

// readAPIGateway checks every part is still there: the API, the permission and, with integration,
// the integration and its route. A missing part is a notFoundError.
func (r *syncCallerResource) readAPIGateway(ctx context.Context, w syncWiring, m *syncCallerResourceModel) error {
	if err := findPolicyStatements(ctx, r.clients.Lambda, w.FunctionName, w.Qualifier, w.statementID()); err != nil {
		return err
	}
	apiType, err := findAPIGatewayAPIType(ctx, r.clients, w.APIID)
	if err != nil || !w.Integration {
		return err
	}
	switch apiType {
	case apiTypeREST:
		conn := r.clients.APIGateway()
		res, err := findRESTResourceByPath(ctx, conn, w.APIID, w.Path)
		if err != nil {
			return err
		}
		out, err := conn.GetIntegration(ctx, &apigateway.GetIntegrationInput{
			RestApiId: aws.String(w.APIID), ResourceId: res.Id, HttpMethod: aws.String(trigger.RouteMethod(w.Method)),
		})
		if errorIs[*apigwtypes.NotFoundException](err, "") {
			return &notFoundError{what: "integration of " + w.routeKey(), err: err}
		}
		if err != nil {
			return err
		}
		if want := invokeARN(r.clients, w.functionARN(arnContext(r.clients))); aws.ToString(out.Uri) != want {
			return &notFoundError{what: fmt.Sprintf("integration of %s with URI %s (it is %s)", w.routeKey(), want, aws.ToString(out.Uri))}
		}
	case apiTypeHTTP:
		conn := r.clients.APIGatewayV2()
		integ, err := findHTTPIntegrationByMarker(ctx, conn, w.APIID, w.marker())
		if err != nil {
			return err
		}
		route, err := findHTTPRouteByKey(ctx, conn, w.APIID, w.routeKey())
		if err != nil {
			return err
		}
		if aws.ToString(route.Target) != "integrations/"+aws.ToString(integ.IntegrationId) {
			return &notFoundError{what: "route " + w.routeKey() + " to the integration"}
		}
		if got := aws.ToString(integ.PayloadFormatVersion); got != "" && got != w.payloadFormat() {
			m.APIGateway.PayloadFormatVersion = types.StringValue(got)
		}
	}
	return nil
}

func (r *syncCallerResource) deleteAPIGateway(ctx context.Context, w syncWiring) error {
	if w.Integration {
		apiType, err := findAPIGatewayAPIType(ctx, r.clients, w.APIID)
		switch {
		case isNotFound(err):
		case err != nil:
			return err
		case apiType == apiTypeREST:
			if err := deleteRESTIntegration(ctx, r.clients.APIGateway(), w); err != nil {
				return err
			}
		case apiType == apiTypeHTTP:
			conn := r.clients.APIGatewayV2()
			integ, err := findHTTPIntegrationByMarker(ctx, conn, w.APIID, w.marker())
			if err != nil && !isNotFound(err) {
				return err
			}
			route, rerr := findHTTPRouteByKey(ctx, conn, w.APIID, w.routeKey())
			if rerr != nil && !isNotFound(rerr) {
				return rerr
			}
			if route != nil && (aws.ToString(route.OperationName) == w.marker() ||
				(integ != nil && aws.ToString(route.Target) == "integrations/"+aws.ToString(integ.IntegrationId))) {
				_, err := conn.DeleteRoute(ctx, &apigatewayv2.DeleteRouteInput{ApiId: aws.String(w.APIID), RouteId: route.RouteId})
				if err != nil && !errorIs[*apigwv2types.NotFoundException](err, "") {
					return err
				}
			}
			if integ != nil {
				deleteHTTPIntegration(ctx, conn, w.APIID, aws.ToString(integ.IntegrationId))
			}
		}
	}
	return removePermissions(ctx, r.clients.Lambda, w.FunctionName, w.Qualifier, w.statementID())
}

// deleteRESTIntegration removes the integration, and the method when the resource created it.
func deleteRESTIntegration(ctx context.Context, conn *apigateway.Client, w syncWiring) error {
	res, err := findRESTResourceByPath(ctx, conn, w.APIID, w.Path)
	if isNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	method := aws.String(trigger.RouteMethod(w.Method))
	_, err = conn.DeleteIntegration(ctx, &apigateway.DeleteIntegrationInput{RestApiId: aws.String(w.APIID), ResourceId: res.Id, HttpMethod: method})
	if err != nil && !errorIs[*apigwtypes.NotFoundException](err, "") {
		return err
	}
	out, err := conn.GetMethod(ctx, &apigateway.GetMethodInput{RestApiId: aws.String(w.APIID), ResourceId: res.Id, HttpMethod: method})
	if err == nil && aws.ToString(out.OperationName) == w.marker() {
		_, err = conn.DeleteMethod(ctx, &apigateway.DeleteMethodInput{RestApiId: aws.String(w.APIID), ResourceId: res.Id, HttpMethod: method})
	}
	if err != nil && !errorIs[*apigwtypes.NotFoundException](err, "") {
		return err
	}
	err = deployRESTStage(ctx, conn, w)
	if errorIs[*apigwtypes.BadRequestException](err, "doesn't contain any methods") {
		// Nothing left to deploy: the stage keeps its last deployment, whose calls now fail for want
		// of the permission removed next.
		tflog.Warn(ctx, "REST API has no methods left; stage not redeployed", map[string]any{"api_id": w.APIID, "stage": w.Stage})
		return nil
	}
	return err
}

// deleteHTTPIntegration removes an integration; one still used by a route someone else added stays.
func deleteHTTPIntegration(ctx context.Context, conn *apigatewayv2.Client, apiID, id string) {
	_, err := conn.DeleteIntegration(ctx, &apigatewayv2.DeleteIntegrationInput{ApiId: aws.String(apiID), IntegrationId: aws.String(id)})
	if err != nil && !errorIs[*apigwv2types.NotFoundException](err, "") {
		tflog.Warn(ctx, "leaving an HTTP API integration in place", map[string]any{"api_id": apiID, "integration_id": id, "error": err.Error()})
	}
}

// findAPIGatewayAPIType tells a REST API (GetRestApi) from an HTTP or WebSocket API (GetApi).
func findAPIGatewayAPIType(ctx context.Context, clients *conns.Clients, apiID string) (string, error) {
	_, err := clients.APIGateway().GetRestApi(ctx, &apigateway.GetRestApiInput{RestApiId: aws.String(apiID)})
	if err == nil {
		return apiTypeREST, nil
	}
	if !errorIs[*apigwtypes.NotFoundException](err, "") {
		return "", err
	}
	out, err := clients.APIGatewayV2().GetApi(ctx, &apigatewayv2.GetApiInput{ApiId: aws.String(apiID)})
	if errorIs[*apigwv2types.NotFoundException](err, "") {
		return "", &notFoundError{what: "API Gateway API " + apiID, err: err}
	}
	if err != nil {
		return "", err
	}
	if out.ProtocolType == apigwv2types.ProtocolTypeWebsocket {
		return apiTypeWebSocket, nil
	}
	return apiTypeHTTP, nil
}

func findRESTResourceByPath(ctx context.Context, conn *apigateway.Client, apiID, path string) (*apigwtypes.Resource, error) {
	p := apigateway.NewGetResourcesPaginator(conn, &apigateway.GetResourcesInput{RestApiId: aws.String(apiID), Limit: aws.Int32(500)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if errorIs[*apigwtypes.NotFoundException](err, "") {
			return nil, &notFoundError{what: "REST API " + apiID, err: err}
		}
		if err != nil {
			return nil, err
		}
		for i := range page.Items {
			if aws.ToString(page.Items[i].Path) == path {
				return &page.Items[i], nil
			}
		}
	}
	return nil, &notFoundError{what: "resource " + path + " of REST API " + apiID}
}

func findHTTPIntegrationByMarker(ctx context.Context, conn *apigatewayv2.Client, apiID, marker string) (*apigwv2types.Integration, error) {
	input := &apigatewayv2.GetIntegrationsInput{ApiId: aws.String(apiID)}
	for {
		page, err := conn.GetIntegrations(ctx, input)
		if errorIs[*apigwv2types.NotFoundException](err, "") {
			return nil, &notFoundError{what: "HTTP API " + apiID, err: err}
		}
		if err != nil {
			return nil, err
		}
		for i := range page.Items {
			if aws.ToString(page.Items[i].Description) == marker {
				return &page.Items[i], nil
			}
		}
		if aws.ToString(page.NextToken) == "" {
			return nil, &notFoundError{what: "integration of HTTP API " + apiID}
		}
		input.NextToken = page.NextToken
	}
}

func findHTTPRouteByKey(ctx context.Context, conn *apigatewayv2.Client, apiID, routeKey string) (*apigwv2types.Route, error) {
	input := &apigatewayv2.GetRoutesInput{ApiId: aws.String(apiID)}
	for {
		page, err := conn.GetRoutes(ctx, input)
		if errorIs[*apigwv2types.NotFoundException](err, "") {
			return nil, &notFoundError{what: "HTTP API " + apiID, err: err}
		}
		if err != nil {
			return nil, err
		}
		for i := range page.Items {
			if aws.ToString(page.Items[i].RouteKey) == routeKey {
				return &page.Items[i], nil
			}
		}
		if aws.ToString(page.NextToken) == "" {
			return nil, &notFoundError{what: "route " + routeKey + " of HTTP API " + apiID}
		}
		input.NextToken = page.NextToken
	}
}
