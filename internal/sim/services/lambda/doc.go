// Package lambda serves AWS Lambda's API (restJson1, API version 2015-03-31) on the simulator:
// the control plane of functions, versions, reserved concurrency, resource-based policies and
// tags, and the Invoke API, whose synchronous path runs through internal/sim/invoke.
//
// It is shaped like dzbarsky/aws-in-a-box's services: one method per AWS operation, named after it,
// with typed input and output and a link to its reference page; one generic dispatcher (handle)
// decodes the JSON body, binds the members restJson carries in the path, query and headers, and
// writes the answer or the error in Lambda's shape. The request and response shapes follow the
// SDK's snapshots (aws-sdk-go-v2/service/lambda request_snapshot and response_snapshot).
//
// All state is in the store (see store.go for the buckets), written before an operation answers:
// a simulator restarted on the same data directory has every function, version, package, policy,
// reservation and tag, and resumes the state changes (Pending -> Active) it had not completed.
package lambda
