// Package elbv2 serves the part of Elastic Load Balancing v2 (awsQuery, Version 2015-12-01, SigV4
// signing name "elasticloadbalancing") that puts a Lambda function behind an Application Load
// Balancer: load balancers, target groups of TargetType lambda, their targets and attributes, and
// listeners whose default action forwards to a target group.
//
// The model follows AWS's "Use Lambda functions as targets of an Application Load Balancer" page
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html):
//
//   - a lambda target group has no port, protocol or VPC, and holds at most one function (a
//     function, version or alias ARN); registering a second one is TooManyTargets;
//   - RegisterTargets checks, as AWS does, that the function's resource-based policy lets
//     elasticloadbalancing.amazonaws.com invoke it from the target group ARN, and answers AWS's
//     AccessDenied text otherwise;
//   - lambda.multi_value_headers.enabled (default false) chooses the event's header shape.
//
// Networking is not simulated: a load balancer has no subnets, security groups or zones; its
// DNSName is "<name>-<digits>.<region>.elb.localhost" (AWS: ...elb.amazonaws.com) so that the ALB
// front door (internal/sim/callers/alb) can route a request by its Host header. The front door
// reads the routing table through Route and Listeners, and follows listener changes through
// Subscribe, to open and close a loopback port per listener.
//
// Everything is kept in the store under "elbv2/" and written before an operation answers.
package elbv2
