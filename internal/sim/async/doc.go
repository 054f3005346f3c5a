// Package async is Lambda's asynchronous invocation model: the queue behind InvocationType=Event.
//
// The Lambda API (and every service that invokes a function asynchronously: S3, SNS, EventBridge,
// CloudWatch Logs) stores an accepted event in invoke.PendingEventsBucket before it answers 202.
// The Queue's dispatcher picks events up from there in order and hands them to workers, which run
// one attempt each through the shared invoke.Invoker (InvocationType Event, Attempt n, the event's
// Trigger), then decide, as AWS does
// (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html):
//
//   - a function error (handled, unhandled, timeout, crash) is retried MaximumRetryAttempts times
//     (default 2), one minute after the first attempt and two minutes after the second;
//   - a throttle (429) or a system error (5xx) puts the event back with a backoff growing from 1 s,
//     doubling, to at most 5 minutes; these retries do not spend MaximumRetryAttempts: only the
//     event's age bounds them;
//   - an event older than MaximumEventAgeInSeconds (default 6 h) is not run again: it goes to
//     failure handling with condition EventAgeExceeded;
//   - a function whose reserved concurrency is 0 sends its events straight to failure handling,
//     with no retries. AWS documents no record for this case; the simulator sends condition
//     RetriesExhausted, approximateInvokeCount 0, responseContext statusCode 429, and the DLQ
//     gets ErrorCode 429 "Rate Exceeded.";
//   - success sends the invocation record to the OnSuccess destination; failure sends it to the
//     OnFailure destination and the original event to the function's dead-letter queue
//     (DeadLetterConfig), both when both are set.
//
// Destinations and the dead-letter queue are reached through deliver.Bus, as the function's
// execution role: the role must allow sqs:SendMessage, sns:Publish, lambda:InvokeFunction,
// events:PutEvents or s3:PutObject on the target (RoleChecker), or nothing is delivered and the
// denial is reported in the invocation log (Destination "denied: ...") and the log, as AWS counts
// DestinationDeliveryFailures / DeadLetterErrors.
//
// Durability: an event stays in the pending bucket until it is finished; its progress (attempts,
// next attempt time, last result) is kept beside it in the bucket "async/state" and written
// before the worker lets go of it. A restart in the middle of a retry wait therefore resumes at
// the stored next-attempt time. Delivery is at least once: a crash between a destination delivery
// and the deletion of the event delivers again.
//
// Every wait is on the simulator's Clock, so a manual clock (tests, POST /_sim/clock/advance) or
// --time-scale runs a full retry cycle in milliseconds. The dispatcher also polls the bucket
// (PollInterval of wall time) to see events stored by other services; Notify wakes it at once.
package async
