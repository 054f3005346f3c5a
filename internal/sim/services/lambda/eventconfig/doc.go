// Package eventconfig serves Lambda's event invoke config API (API version 2019-09-25): how the
// asynchronous queue treats a function's Event invocations — how many times a failing event is
// retried (MaximumRetryAttempts 0-2, default 2), how old an event may get before it is dropped
// (MaximumEventAgeInSeconds 60-21600, default 21600) and where the record of a success or a
// failure goes (DestinationConfig).
//
// A config belongs to one function version or alias ($LATEST when no qualifier is given), as on
// AWS. Put replaces a config whole; Update merges the members it is given into the stored one.
// The function's execution role must be allowed to reach each destination when the config is
// written (AWS answers InvalidParameterValueException "The function's execution role does not
// have permissions to call SendMessage on arn:..."), checked through a RoleChecker that the
// simulated IAM implements; nil allows everything.
//
// The async queue (internal/sim/async) reads configs through Lookup. Configs live in the store
// bucket "eventconfig/configs", keyed "<function>:<qualifier>", so they survive a restart.
//
// Sources: https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html,
// API_FunctionEventInvokeConfig.html (ranges, S3 on failure only, LastModified in Unix seconds),
// https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html.
package eventconfig
