// Package alb is the Application Load Balancer's front door: it turns an HTTP request that reached
// a listener into an ALBTargetGroupRequest event, invokes the function registered in the listener's
// target group synchronously (as Elastic Load Balancing does), and turns the function's
// ALBTargetGroupResponse back into the HTTP answer.
//
// A listener is reached three ways:
//
//   - its own loopback port: every listener gets an HTTP server on 127.0.0.1:<Port> when that port
//     is free, else on an ephemeral port (DescribeListeners keeps AWS's Port; the real addresses are
//     in Addresses and on the admin page ServeAddresses, e.g. GET /_sim/alb/listeners). Ports are
//     opened on CreateListener, closed on DeleteListener/DeleteLoadBalancer and Close, and reopened
//     from the store when the simulator restarts;
//   - by Host through the simulator's port: `curl -H 'Host: <DNSName>' http://127.0.0.1:4566/path`
//     (DNSName is "<name>-<digits>.<region>.elb.localhost"): the listener whose Port equals the Host
//     header's port, else the load balancer's lowest-port listener;
//   - by path through the simulator's port, with no DNS or Host header:
//     http://127.0.0.1:4566/_alb/<load-balancer-name>/<listener-port>/<path>.
//
// The mapping follows https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html:
// header names are lowercased; with lambda.multi_value_headers.enabled off, a repeated header or
// query parameter passes its last value (headers, queryStringParameters), with it on, all values
// (multiValueHeaders, multiValueQueryStringParameters); query strings are passed as sent, not
// URL-decoded; a body of a textual content type is passed as is, any other is base64-encoded with
// isBase64Encoded true. Request and response are limited to 1 MB each.
//
// Errors are answered as an ALB answers them, with its HTML error page and "Server: awselb/2.0":
// 502 for a function error, a malformed response (not a JSON object, no integer statusCode, bad
// base64) or a response over 1 MB; 502 also when the function's policy no longer lets
// elasticloadbalancing.amazonaws.com invoke it from the target group (RegisterTargets checks it,
// so this only happens when the permission is removed later; AWS's exact status for that case is
// not documented and was not confirmed); 503 when the target group has no registered function or
// Lambda throttles; 413 for a request body over 1 MB (simulator's choice, unconfirmed); 400 for a
// WebSocket upgrade, as documented.
//
// Not simulated: statusDescription is not written as the status line's reason phrase (net/http
// writes the standard one); listener rules (only default actions); HTTPS listeners; health checks.
package alb
