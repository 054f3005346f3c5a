// Package sqs is the simulated Amazon SQS: standard and FIFO queues over both of SQS's wire
// protocols, durable in the simulator's store, on the simulator's clock.
//
// # Wire
//
// Current SDKs and the AWS CLI v1 speak awsJson 1.0: X-Amz-Target "AmazonSQS.<Operation>" with
// X-Amzn-Query-Mode: true; errors are {"__type": "com.amazonaws.sqs#<Code>", "message": ...} plus
// the header "x-amzn-query-error: <awsQuery code>;Sender", from which query-compatible SDKs take
// the code they report (e.g. AWS.SimpleQueueService.NonExistentQueue). Older clients, the AWS CLI
// v2 of Debian 12 among them, speak awsQuery: a form with Action and Version=2012-11-05, posted to
// the endpoint or to the queue URL, answered in XML (xmlns http://queue.amazonaws.com/doc/2012-11-05/).
// Both protocols decode into the same typed inputs (types.go) and run the same operations. Queue
// URLs are <Config.Endpoint>/<account>/<name>; a QueueUrl is resolved by the account and name in
// its path, whatever its host.
//
// # Model
//
// The store is the truth (layout in persist.go): a queue record per queue, and per message its
// metadata, its body and, once received, its receive state (receive count, visibility deadline,
// receipt token). Each queue keeps an in-memory index of its messages, rebuilt from the store by
// New, so receives pick messages without reading the store. Every change is made in the index
// first, committed to the store, then published (or undone if the commit failed):
//
//   - SendMessage is acknowledged only after its commit; concurrent writers share one commit
//     (store.Committer: a group commit without bbolt Batch's 10 ms wait). A message being committed is
//     invisible, and in a FIFO queue it holds back the later messages of its group, so group
//     order is the order of sequence numbers.
//   - ReceiveMessage marks the picked messages in flight (new receipt token, visibility deadline)
//     and commits their receive state before answering, so a restart neither loses a receive nor
//     forgets that a message is in flight (at-least-once, as on AWS).
//   - DeleteMessage and ChangeMessageVisibility commit before answering.
//
// Time is read only from the Config.Clock, and lazily: a message is visible when the clock passed
// its deadline (end of its delay or of its visibility timeout) and is gone when the clock passed
// its enqueue time plus the retention period; expired messages are removed by the receive that
// finds them. The only timers are long polls, which sleep until the wait ends, the next message
// becomes visible, or a send, delete or visibility change wakes them. Nothing else needs resuming
// after a restart: deadlines are absolute times in the store.
//
// Semantics follow AWS's documentation: visibility timeout 30 s by default, up to 12 hours in all;
// per-message delay (standard) and queue DelaySeconds (retroactive for FIFO); retention 4 days by
// default; RedrivePolicy moves a message to its dead-letter queue at the receive that would make
// its receive count exceed maxReceiveCount (the count travels with it, a FIFO DLQ resets its
// enqueue time); FIFO delivers each MessageGroupId in order and not at all while one of its
// messages is in flight, deduplicates by MessageDeduplicationId or the SHA-256 of the body for five
// minutes (per group with DeduplicationScope messageGroup), numbers messages with a growing
// SequenceNumber and honours ReceiveRequestAttemptId retries; MD5OfMessageBody and
// MD5OfMessageAttributes are computed as AWS computes them (SDKs verify them); the message size
// limit is 1 MiB, the 2025 quota.
//
// # Go API for the simulator
//
// Other parts of the simulator use SQS without HTTP:
//
//   - Service implements deliver.Receiver and registers on Config.Bus as "sqs": Receive stores a
//     message into the queue named by its TargetARN (SNS subscriptions, S3 notifications,
//     EventBridge targets, Lambda destinations), honouring MessageGroupID and DeduplicationID for
//     FIFO queues; a missing queue is deliver.ErrNoTarget.
//   - For Lambda's event source mapping: LookupQueue(arn) describes a queue (FIFO, visibility
//     timeout, redrive); ReceiveInternal(ctx, arn, n, wait) receives up to n messages with every
//     system and message attribute, long-polling on the clock; DeleteInternal(arn, handle) and
//     ChangeVisibilityInternal(arn, handle, timeout) acknowledge them. They share the wire
//     operations' code, so visibility, receive counts, redrive and FIFO locking apply unchanged.
//     A missing queue is ErrQueueDoesNotExist.
//
// # Not simulated
//
// Queue policies (Policy is stored and answered, never enforced), KMS and SSE (the attributes are
// stored only), AddPermission/RemovePermission and message move tasks (they answer the
// unknown-operation error), the short-poll sampling of standard queues (a receive sees every
// visible message), and at-least-once duplicates of standard queues (a message is never delivered
// twice while in flight).
package sqs
