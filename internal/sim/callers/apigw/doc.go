// Package apigw is the front door of API Gateway's deployed stages: it turns an HTTP request into
// the Lambda proxy event of the REST API or HTTP API that owns it, invokes the function
// synchronously, and turns the answer back into an HTTP response, with the errors API Gateway
// gives (500 without permission, 502/500 for a malformed answer, 504/503 after the integration
// timeout).
//
// Requests reach it two ways (Register):
//
//   - by Host: http://<api-id>.execute-api.localhost:<port>/<stage>/<path> (any domain after
//     "execute-api." is accepted, so *.execute-api.<region>.amazonaws.com pointed at the simulator
//     works too). For HTTP APIs a first segment that names no stage goes to the $default stage,
//     as on AWS.
//   - by path, needing no DNS: http://127.0.0.1:<port>/restapis/<api-id>/<stage>/_user_request_/<path>,
//     LocalStack's convention (use "$default" as the stage of an HTTP API's default stage). The
//     control plane also lives under /restapis, but its requests are SigV4-signed for
//     "apigateway" and the router sends signed requests to the control plane before it looks at
//     paths, so only unsigned requests arrive here; an unsigned request of any other shape gets
//     API Gateway's 403 {"message":"Missing Authentication Token"}.
//
// Methods and routes with AWS_IAM authorization require a SigV4 Authorization header (the
// signature is not verified); authorizers (CUSTOM, COGNITO_USER_POOLS, JWT) are not simulated,
// and calls to them are refused with 500 rather than let through.
//
// The translation (route matching, event building, response mapping) is pure and lives in
// match.go, event.go and response.go; frontdoor.go and invoke.go do the I/O. Every time reading
// and the integration timeout go through the Clock.
package apigw
