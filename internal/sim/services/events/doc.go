// Package events serves Amazon EventBridge (CloudWatch Events) on the awsJson 1.1 protocol
// (X-Amz-Target "AWSEvents.<Op>", signing name "events") and executes what it is told: events put
// on a bus are matched against the bus's enabled rules and delivered to each rule's targets, and
// scheduled rules fire on the simulator's Clock.
//
// The model, and why it is shaped this way:
//
//   - State lives in the store under the top-level bucket "events": buses, rules (with the next
//     fire time of a scheduled rule), targets (kept as the JSON the client sent, so
//     ListTargetsByRule echoes every field back), and deliveries.
//   - A delivery is one (event, target) pair waiting to be handed over. PutEvents writes the
//     deliveries of every matching rule in the same transaction that acknowledges the event, so an
//     acknowledged event is never lost: a restart reloads pending deliveries and schedules.
//     The target's input (the event, Input, InputPath or InputTransformer) is computed at that
//     moment, like AWS, which transforms with the rule as it was when the event arrived.
//   - One scheduler goroutine keeps an in-memory heap of due times (deliveries and scheduled
//     rules) rebuilt from the store by New, and sleeps on a Clock timer until the earliest one;
//     a few workers hand deliveries to deliver.Bus with Principal events.amazonaws.com and the
//     rule ARN as SourceARN.
//   - Failures follow the target's RetryPolicy (default 185 retries within 24 hours, as
//     https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html says).
//     AWS documents "exponential back off and jitter" without numbers; the simulator waits
//     1 s, 2 s, 4 s ... doubling up to 8 minutes, each wait drawn from [d/2, d] (so 185 retries
//     span roughly the documented day). A target that denies the delivery (deliver.ErrDenied,
//     error code NO_PERMISSIONS) or does not exist (deliver.ErrNoTarget, NO_RESOURCE) is not
//     retried: "for errors that result from missing permissions to a target, or a target
//     resource that no longer exists ... EventBridge sends these events directly to the target
//     DLQ" (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html).
//     An exhausted delivery goes to the target's DeadLetterConfig queue with the attributes
//     RULE_ARN, TARGET_ARN, ERROR_CODE, ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION (only when a
//     retry limit ended it) and RETRY_ATTEMPTS, the original event as its body; without a DLQ it
//     is dropped and logged.
//   - Scheduled rules: rate(N unit) counts from the rule's creation (or from re-enabling, or a
//     changed expression); cron() fires on minute boundaries in UTC. A fire that was missed
//     (the Clock jumped, or the simulator was down) is caught up, one event per missed
//     occurrence, as long as it is less than 24 hours old; older occurrences are skipped and
//     logged, so a simulator restarted after a week does not flood its targets.
//   - The service is also the deliver.Receiver for "events" ARNs: an event bus can be the
//     target of another rule or of a Lambda destination; Receive puts the event on that bus.
package events
