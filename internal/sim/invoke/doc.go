// Package invoke runs one attempt of a function the way Lambda's invoke path does: it admits the
// attempt against the function's and the account's concurrency, hands it to an execution
// environment, enforces the response limit, and writes the attempt to the invocation log, whether
// it ran, failed, or was throttled.
//
// It knows nothing about HTTP or Terraform. The Lambda API (services/lambda) resolves a function
// name to a Function and maps an *Error to the wire; later callers (the async queue, event source
// mappings, function URLs) use the same Invoker with their own Trigger, so every attempt in the
// simulator is admitted, run and recorded in one place.
//
// Concurrency follows AWS's model (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html):
// a function with reserved concurrency N runs at most N attempts at once; every other function
// shares the account's unreserved pool, which is the account limit (1000) minus all reservations.
// An attempt over its limit is not queued: it is throttled at once with TooManyRequestsException,
// as a synchronous invoke is on AWS.
package invoke
