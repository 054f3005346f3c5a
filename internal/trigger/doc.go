// Package trigger is the catalog of what AWS Lambda accepts and how services trigger it: pure data and
// validation, no I/O, nothing from Terraform or the AWS SDK.
//
// The provider reads it for schemas and plan-time validation, the simulator for its own checks, so a
// fact about Lambda is written once. shared/design/SEMANTICS.md is the source of every value here.
//
// This first part holds the function-level facts (ranges of CreateFunction's parameters, runtimes,
// environment variables); the per-service table of triggers joins it later.
package trigger
