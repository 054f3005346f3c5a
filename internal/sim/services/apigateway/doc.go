// Package apigateway is the simulated Amazon API Gateway control plane for REST APIs (the
// "apigateway" restJson API, paths /restapis...), enough of it to wire Lambda proxy integrations:
// REST APIs, resources, methods, integrations, deployments and stages.
//
// The model follows AWS: a REST API is a tree of resources rooted at "/"; methods hang on resources
// and each has at most one integration; CreateDeployment takes a snapshot of the tree, and a stage
// serves the snapshot of the deployment it points at, so a change is live only after a new
// deployment, as on AWS. Each REST API is one document in the store (bucket "apigateway/restapis"),
// rewritten in one transaction per change, so everything acknowledged survives a restart.
//
// Both API Gateway control planes are signed for the service name "apigateway": Handler dispatches
// paths under /v2/ to the HTTP API control plane (package apigatewayv2, given in Config.V2) and
// everything else to this package, so the simulator registers one handler for the signing name.
//
// The deployed stages are served by the front door in internal/sim/callers/apigw, which reads them
// through DeployedStage.
package apigateway
