// Package apigatewayv2 is the simulated Amazon API Gateway v2 control plane for HTTP APIs (the
// "apigatewayv2" restJson API, paths /v2/apis...): APIs (with quick create), Lambda proxy
// integrations in payload formats 1.0 and 2.0, routes, stages with automatic deployment, and
// deployments.
//
// Each HTTP API is one document in the store (bucket "apigatewayv2/apis"), rewritten in one
// transaction per change. A stage with AutoDeploy serves the API as it is now; any other stage
// serves the snapshot of the deployment it points at, as on AWS.
//
// Requests reach this package through the "apigateway" signing name, which it shares with the REST
// API control plane: package apigateway's handler passes /v2/ paths here (apigateway.Config.V2).
// The front door (internal/sim/callers/apigw) reads deployed stages through DeployedStage.
package apigatewayv2
