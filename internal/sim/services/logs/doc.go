// Package logs serves Amazon CloudWatch Logs on the awsJson 1.1 protocol (X-Amz-Target
// "Logs_20140328.<Op>", signing name "logs"): log groups, log streams, log events, and the
// subscription filters that forward matching events to a Lambda function (or any ARN the
// deliver.Bus routes), plus the sink that lands function output in /aws/lambda/<function>.
//
// The model, and why it is shaped this way:
//
//   - State lives in the store under "logs/": groups, streams, events, subscription filters and
//     an outbox of subscription batches. Group names contain "/" (/aws/lambda/f), which the store
//     reads as a bucket path, so names are only ever keys, never bucket names. A stream has a
//     numeric id; an event's key is <stream id><timestamp><sequence>, all zero-padded, so a
//     stream's events sort by timestamp and a stream's deletion is one prefix.
//   - PutLogEvents follows https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html:
//     at most 10,000 events and 1,048,576 bytes (each message's UTF-8 bytes plus 26), in
//     chronological order, spanning at most 24 hours; events more than 2 hours in the future,
//     more than 14 days old, or older than the group's retention are rejected and reported in
//     rejectedLogEventsInfo while the rest are stored. Sequence tokens are ignored ("The sequence
//     token is now ignored in PutLogEvents actions"); a token is still returned for old clients.
//   - Filter patterns (FilterLogEvents, subscription filters) implement a documented subset of
//     https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html:
//     terms, quoted phrases, ?term alternatives, -term exclusions, and JSON patterns
//     { $.a.b = value } with = != < > <= >=, * wildcards in strings, IS TRUE/FALSE/NULL,
//     NOT EXISTS, && || and parentheses. Space-delimited [..] patterns and %regex% patterns
//     answer InvalidParameterException rather than match wrongly.
//   - Subscriptions: at most two per group ("Resource limit exceeded."). Matching events are
//     appended, in the same transaction as PutLogEvents, to an open batch per (filter, stream) in
//     the outbox; a batch is sent one second (on the Clock) after its first event, or at once
//     when it reaches 256 KiB of messages. AWS documents no batching window; one second keeps
//     deliveries prompt and batched. A batch is delivered as {"awslogs":{"data": base64(gzip(
//     {messageType, owner, logGroup, logStream, subscriptionFilters, logEvents}))}} with Principal
//     logs.amazonaws.com and SourceARN arn:aws:logs:<region>:<account>:log-group:<name>:*.
//     A new subscription first sends a CONTROL_MESSAGE ("CWL CONTROL MESSAGE: Checking health of
//     destination ...") as AWS does to check that the destination is reachable.
//     A delivery that fails is retried with backoff (1 s doubling to 5 minutes) for up to 24 hours
//     (a simulator choice: AWS does not document its retry schedule); a denied or missing target
//     is dropped and logged.
//   - PutSubscriptionFilter to a Lambda function checks, through Config.LambdaPolicy, that the
//     function's policy lets logs.amazonaws.com (or the older logs.<region>.amazonaws.com) invoke
//     it for this log group, and answers AWS's InvalidParameterException otherwise.
package logs
