// Package sns is the simulator's Amazon SNS: the awsQuery API (Version 2010-03-31) for topics,
// subscriptions, publishing and tags, and the delivery of published messages to SQS queues,
// Lambda functions and loopback HTTP/S endpoints.
//
// # The model
//
// Everything lives in the store under "sns/": topics, subscriptions, confirmation tokens, and
// the work in progress. Publish evaluates each confirmed subscription's filter policy, then
// writes, in one transaction, the message and one delivery record per subscription that should
// receive it; only after that transaction commits does Publish answer. A scheduler (one
// dispatcher goroutine on the Clock, a few workers) attempts each delivery; an attempt ends in one
// of three ways, each recorded in one transaction that also deletes the delivery record:
//
//   - delivered;
//   - failed: the target does not exist or its resource policy denies SNS (deliver.ErrNoTarget,
//     deliver.ErrDenied: client errors, never retried, as on AWS), or the retry policy ran out;
//     with a RedrivePolicy the notification then becomes a delivery to the dead-letter queue;
//   - dropped: the subscription or topic was deleted meanwhile.
//
// A failed attempt that may be retried rewrites its record with the next due time, from SNS's
// delivery policy for the protocol (retry.go), so a restart resumes exactly where the schedule
// was: New reads every delivery record back and queues it. Delivery is at-least-once, as on AWS.
// Outcomes go to a delivery log and per-topic counters (DeliveryLog, Stats) and to slog.
//
// FIFO topics: Publish needs MessageGroupId and a deduplication id (or ContentBasedDeduplication);
// a repeat within five minutes is accepted but not delivered again and answers the first
// message's id and sequence number. Deliveries of one subscription and message group form a
// chain attempted strictly in publish order, each waiting for the previous one (retries
// included) to finish. FIFO topics take SQS subscriptions only.
//
// HTTP/S subscriptions go through AWS's confirmation flow: Subscribe stores the subscription as
// pending and queues a SubscriptionConfirmation POST carrying SubscribeURL and Token; the
// endpoint confirms by visiting SubscribeURL (which points back at the simulator) or calling
// ConfirmSubscription. Only loopback hosts are accepted, and the delivery client re-checks each
// address it dials and follows no redirect (endpoint.go): the simulator never sends traffic off
// the machine. SQS and Lambda subscriptions (same account) are confirmed at once.
//
// Messages are signed as AWS signs them (signing.go), with a key generated once per data
// directory; the certificate is served where SigningCertURL points.
//
// # Not simulated
//
// SMS, email, mobile push and Firehose endpoints; topic access policies (stored, not evaluated);
// data protection policies and KMS encryption (stored, not applied); message archiving and
// replay (ArchivePolicy, ReplayPolicy are refused); delivery-status logging to CloudWatch Logs
// (the attributes are stored); throttle policies (stored, not applied); retry jitter;
// UnsubscribeConfirmation messages; the expiry of unconfirmed subscriptions; cross-account
// subscriptions (every SQS/Lambda endpoint is taken to be in the simulated account).
package sns
