// Package esm is Lambda's poll-based model: event source mappings and the pollers that read
// SQS queues, Kinesis streams and DynamoDB streams and invoke functions synchronously with
// batches. The HTTP API lives in internal/sim/services/lambda/esmapi, which only decodes and
// encodes; everything else is here.
//
// # Mappings
//
// A mapping is stored in bucket "esm/mappings" under its UUID, with every member of
// CreateEventSourceMapping echoed back exactly as set and AWS's defaults filled in (BatchSize 10
// for SQS and 100 for streams, no batching window; for streams ParallelizationFactor 1,
// MaximumRetryAttempts -1, MaximumRecordAgeInSeconds -1, BisectBatchOnFunctionError false,
// TumblingWindowInSeconds 0, an empty OnFailure destination), so a client that reads it back sees
// no drift. States take Config.TransitionDelay on the clock: Creating then Enabled or Disabled,
// Updating (or Enabling/Disabling when only Enabled changes), Deleting then gone. An update or a
// delete during a transition is ResourceInUseException (400); a second mapping of the same source
// and function (even one still Deleting) is ResourceConflictException (409) naming the existing
// UUID, in the words AWS uses for SQS and for streams. Creation checks that the source exists, the
// rules of SEMANTICS.md C1/C2 (StartingPosition required for streams and refused for SQS; batches
// over 10 need a window on SQS; FIFO batches at most 10; stream-only members refused for SQS;
// ranges as ValidationException), the filter patterns, and that the execution role may poll
// (sqs:ReceiveMessage, DeleteMessage, GetQueueAttributes; kinesis:GetRecords, GetShardIterator,
// DescribeStream, ListShards; dynamodb:GetRecords, GetShardIterator, DescribeStream, ListStreams)
// and reach an OnFailure destination.
//
// # SQS (sqspoller.go)
//
// Long-poll receives fill a batch until it is full, the batching window ends or the event would
// pass 6 MB; the function gets an SQS event; success deletes the batch, a function error leaves it
// to the visibility timeout (so the queue's redrive policy moves it to its DLQ after
// maxReceiveCount), ReportBatchItemFailures deletes all but the listed messages under AWS's rules
// (response.go). FIFO order and one batch in flight per message group come from the queue's own
// group locking. Filter criteria delete the messages no filter matches. One poller runs at first
// and one more is added each time a poller fills a whole batch, up to ScalingConfig's
// MaximumConcurrency (default 5, AWS's initial poller count). Messages in flight are the queue's:
// a restart loses none (they come back after their visibility timeout).
//
// # Kinesis and DynamoDB Streams (streampoller.go, streamsource.go)
//
// One worker per shard reads from the shard's checkpoint (bucket "esm/checkpoints", key
// "<uuid>/<shardId>", written after every processed batch and as soon as a shard is first
// positioned, so LATEST survives a restart), once per second (Kinesis) or every 250 ms
// (DynamoDB) on the clock. Children start once their parents are finished. A failed batch is
// retried whole, blocking the shard, until it succeeds, MaximumRetryAttempts is exceeded
// (condition RetryAttemptsExhausted) or its records are older than MaximumRecordAgeInSeconds
// (RecordAgeExceeded); the discarded batch's metadata (KinesisBatchInfo / DDBStreamBatchInfo)
// goes to the OnFailure destination (SQS, SNS, or S3, which also gets the batch, as an object
// under aws/lambda/<mapping UUID>/<shard id>/) over the deliver bus. BisectBatchOnFunctionError
// halves a failed batch without counting a retry. ReportBatchItemFailures checkpoints just before
// the lowest failed sequence number. Filtered-out records are skipped and the checkpoint moves
// past them. Throttles and invocation errors are retried without counting.
//
// Tumbling windows (TumblingWindowInSeconds): records fall into windows aligned on the window
// size by their arrival time; a batch never spans two windows; each invocation carries window,
// state (what the function returned last in this window, {} at first), shardId, eventSourceARN,
// isFinalInvokeForWindow and isWindowTerminatedEarly; when a window's time is up (or a record of
// a later window arrives) a final invocation with no records and isFinalInvokeForWindow true
// carries the window's state. The open window and its state are stored with the checkpoint.
//
// # Not simulated yet
//
// ParallelizationFactor N sends a shard's records as up to N concurrent batches, one lane per
// partition key hash (item key for DynamoDB), so each key stays in order; but a failure in any
// lane retries all lanes of that read (records of lanes that succeeded come again:
// at-least-once, where AWS retries only the failed lane), a partial batch response counts as a
// failure of its lane, and tumbling windows run with one lane. isWindowTerminatedEarly is always false (no
// 1 MB state limit); the retry count of a
// batch in flight is not durable (a restart starts counting again); OnSuccess destinations; pollers do not wake on a new record (no hook in the stream services),
// so stream latency is up to one poll interval.
package esm
