package diagnostics

import (
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// SyncCallerThing names lambdatrigger_sync_caller's object in diagnostics.
const SyncCallerThing = "Lambda Sync Caller"

// SyncCallerImportID is an import ID that names no sync caller.
func SyncCallerImportID(id string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic(
		"Invalid Import ID",
		fmt.Sprintf("Import a sync caller by FUNCTION[:QUALIFIER],KIND,KEY...: "+
			"my-function,api_gateway,API_ID,STAGE,METHOD,PATH[,integration] (for example my-function,api_gateway,a1b2c3,prod,GET,/hello), "+
			"my-function,alb,TARGET_GROUP_ARN, or my-function:live,function_url; got %q.\n\nOriginal Error: %s", id, err),
	)
}

// SyncCallerOneKind is a configuration with none, or more than one, of the caller blocks.
func SyncCallerOneKind(n int) diag.Diagnostic {
	return diag.NewErrorDiagnostic(
		"Exactly One Caller Required",
		fmt.Sprintf("A lambdatrigger_sync_caller wires one caller, but the configuration has %d of the blocks api_gateway, "+
			"alb and function_url. Keep exactly one; use one resource per caller.", n),
	)
}

// APIGatewayAPINotFound is an api_id that is neither a REST API nor an HTTP API of the account.
func APIGatewayAPINotFound(attr path.Path, apiID string, err error) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(attr, "API Gateway API Not Found",
		fmt.Sprintf("No REST API (GetRestApi) and no HTTP API (GetApi) has the ID %q in this account and Region. "+
			"Set %s to the ID of an existing API, or to an attribute of the resource that creates it.\n\nOriginal Error: %s",
			apiID, attr, err))
}

// APIGatewayWebSocket is an api_id naming a WebSocket API, which does not proxy HTTP requests.
func APIGatewayWebSocket(attr path.Path, apiID string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(attr, "WebSocket APIs Are Not Supported",
		fmt.Sprintf("API %q is a WebSocket API; lambdatrigger_sync_caller wires REST and HTTP APIs. "+
			"Set %s to a REST or HTTP API.", apiID, attr))
}

// SyncCallerTimeout warns that the caller gives up before the function's timeout.
func SyncCallerTimeout(attr path.Path, caller string, callerTimeout time.Duration, functionTimeout int64) diag.Diagnostic {
	return diag.NewAttributeWarningDiagnostic(attr, "Function Timeout Longer Than The Caller Waits",
		fmt.Sprintf("%s waits at most %s for the function, but the function may run %d s. A call that takes longer "+
			"gets a 504 from %s while the function keeps running (and is billed). Lower the function's timeout to %d s "+
			"or less, or make the work asynchronous.",
			caller, callerTimeout, functionTimeout, caller, int64(callerTimeout/time.Second)))
}

// APIGatewayIntegrationPath is integration = true without a concrete path or method to attach to.
func APIGatewayIntegrationPath(attr path.Path, what string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(attr, "Integration Needs A Concrete Route",
		fmt.Sprintf("integration = true creates an AWS_PROXY integration on one route, so %s cannot be \"*\". "+
			"Set it (for example path = \"/hello\", or \"/{proxy+}\" to catch every path), or set integration = false "+
			"and wire the integration yourself.", what))
}

// APIGatewayResourceNotFound is a REST API without the resource path the integration attaches to.
func APIGatewayResourceNotFound(apiID, resourcePath string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("api_gateway").AtName("path"), "REST API Resource Not Found",
		fmt.Sprintf("REST API %s has no resource %s (GetResources). lambdatrigger_sync_caller puts the method and its "+
			"integration on an existing resource; create the resource (CreateResource) first, or fix the path.",
			apiID, resourcePath))
}

// APIGatewayRouteConflict is a route (HTTP API) or method (REST API) that exists and already sends
// its requests somewhere else.
func APIGatewayRouteConflict(apiID, routeKey, target string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("api_gateway"), "API Route Already Integrated",
		fmt.Sprintf("API %s already has the route %q, integrated with %q. lambdatrigger_sync_caller does not take "+
			"over an integration it did not create: remove it, or set integration = false to add only the permission.",
			apiID, routeKey, target))
}

// FunctionURLVersionQualifier is a function URL on a numbered version.
func FunctionURLVersionQualifier(err error) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("qualifier"), "Invalid Qualifier For A Function URL",
		"Set qualifier to an alias, or leave it unset for the function itself.\n\nOriginal Error: "+err.Error())
}

// PayloadFormatIgnored warns that a REST API ignores payload_format_version.
func PayloadFormatIgnored(apiID string) diag.Diagnostic {
	return diag.NewAttributeWarningDiagnostic(path.Root("api_gateway").AtName("payload_format_version"),
		"Payload Format Version Ignored",
		fmt.Sprintf("API %s is a REST API: its Lambda proxy integrations always send payload format 1.0 "+
			"(APIGatewayProxyRequest). payload_format_version applies to HTTP APIs only; remove it.", apiID))
}

// APIGatewayDefaultRouteMethod is a method given with the $default route, which matches them all.
func APIGatewayDefaultRouteMethod(attr path.Path) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(attr, "The $default Route Has No Method",
		"An HTTP API's $default route catches every method and path no other route matches, and its source ARN "+
			"names no method. Remove method (or set it to \"*\"), or use a route such as path = \"/hello\".")
}

// RESTDefaultRoute is path = "$default" on a REST API, which has no such route.
func RESTDefaultRoute(apiID string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("api_gateway").AtName("path"), "REST APIs Have No $default Route",
		fmt.Sprintf("API %s is a REST API; $default is an HTTP API route. Set path to a resource path such as "+
			"/{proxy+}, or \"*\" for every path.", apiID))
}
