// Package trigger is the catalog of what AWS Lambda accepts and how services trigger it: pure data and
// validation, no I/O, nothing from Terraform or the AWS SDK.
//
// The provider reads it for schemas and plan-time validation, the simulator for its own checks, so a
// fact about Lambda is written once. shared/design/SEMANTICS.md is the source of every value here.
//
// It holds the function-level facts (ranges of CreateFunction's parameters, runtimes, environment
// variables; function.go, runtime.go, environment.go), the trigger catalog — one row per service
// that can invoke a function, with its model, principal, source-ARN form, wiring call, event type
// and limits (catalog.go) — and the facts of the async and poll models (async.go, poll.go).
package trigger
