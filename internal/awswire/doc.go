// Package awswire holds the AWS wire protocols the simulator speaks, in both directions, so that no
// service parses or writes a protocol by hand: error shapes (restJson, awsJson 1.0/1.1, awsQuery,
// restXml), JSON and XML bodies, the request id every answer carries, and SigV4 credential scopes
// used to route a request to its service.
//
// Ground truth for every shape is the aws-sdk-go-v2 module of the service: its request_snapshot and
// response_snapshot files hold the exact bytes the SDK sends and expects.
package awswire
