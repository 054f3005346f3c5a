// Package dynamodb is the simulated Amazon DynamoDB and DynamoDB Streams. Both speak awsJson 1.0
// and are signed for "dynamodb"; X-Amz-Target tells them apart ("DynamoDB_20120810.<Operation>"
// and "DynamoDBStreams_20120810.<Operation>"). Errors carry __type
// "com.amazonaws.dynamodb.v20120810#<Code>", and every answer carries the X-Amz-Crc32 header the
// SDKs check (crc.go).
//
// # Tables and items
//
// A table has a partition key and an optional sort key (S, N or B), PROVISIONED or
// PAY_PER_REQUEST billing, and optionally a stream. It is CREATING for Config.CreateDelay, then
// ACTIVE; UpdateTable makes it UPDATING for Config.UpdateDelay; DeleteTable makes it DELETING for
// Config.DeleteDelay, then it is gone. Transitions are lazy (model.go): the state at a simulated
// time is computed from the stored record and the clock, so every reader agrees and a restart
// resumes them. Data-plane operations on a CREATING or DELETING table answer
// ResourceNotFoundException. ItemCount and TableSizeBytes are exact at all times (AWS refreshes
// them about every six hours).
//
// Items are stored under an order-preserving encoding of their key (keys.go), so a partition's
// items are contiguous and sorted by sort key, numerically for numbers. Numbers are exact
// decimals of up to 38 digits (number.go), never floats. The expression language is parsed by a
// hand-written lexer and parser (expr_lex.go, expr_parse.go) that report AWS's messages in AWS's
// priority order, and evaluated in expr_eval.go: conditions and filters (comparisons, BETWEEN,
// IN, AND/OR/NOT, attribute_exists, attribute_not_exists, attribute_type, begins_with, contains,
// size), key conditions, update expressions (SET with + and -, if_not_exists and list_append;
// REMOVE; ADD; DELETE) and projections. Reserved words are refused as AWS refuses them.
//
// # Streams
//
// Enabling a stream (CreateTable or UpdateTable) creates a new stream, with a new label and ARN
// every time; disabling closes its open shard and leaves it readable, DISABLED, for 24 hours, as
// does DeleteTable. Every write that changes an item appends its record (INSERT, MODIFY, REMOVE,
// with the images of the stream's view type) in the same transaction as the item, so a record
// exists exactly when the write was acknowledged; a failed condition or a write that changes
// nothing (a PutItem of an identical item, an UpdateItem that sets what is there) leaves none,
// as Streams.html documents.
//
// Sequence numbers come from one service-wide counter in the store, shown as 21-digit numbers, so
// they increase across shards, streams and restarts. A stream has one open shard at a time; a
// write that finds the open shard older than Config.ShardRollInterval (4 hours by default) closes
// it and opens a child (ParentShardId), as AWS rolls shards about every four hours. Records are
// readable for 24 hours of the service's clock (TrimmedDataAccessException behind the horizon),
// and are removed from the store by the janitor (janitor.go). Shard iterators are signed tokens
// that expire after 15 minutes.
//
// # Durability and concurrency
//
// Item writes go through the store's group committer (store.Committer): concurrent writers share one bbolt
// transaction and one fsync, a lone writer does not wait, and nothing is answered before its
// commit. Each write reads the table, the item and the stream inside that transaction, so
// conditions, counts and sequence numbers are exact under concurrency. Table operations use a
// transaction of their own; reads use read transactions and never wait for writers.
//
// Store layout: see model.go.
//
// # API for the event-source-mapping poller
//
// The poller reads without iterators, keeping its own checkpoint (the sequence number of the last
// record it processed in a shard); internal.go:
//
//	arn, enabled, err := svc.LatestStreamARNInternal(table)   // or the ESM's EventSourceArn
//	info, err := svc.DescribeStreamInternal(arn)              // status, view type
//	shards, err := svc.StreamShardsInternal(arn)              // []StreamShard, with lineage
//	cp, err := svc.PositionInternal(arn, shardID, "LATEST")   // or "TRIM_HORIZON" (gives "")
//	recs, err := svc.ReadStreamInternal(arn, shardID, cp, 100) // records after cp, in order
//	cp = recs[len(recs)-1].Dynamodb.SequenceNumber            // after the batch succeeded
//
// Each StreamRecord marshals to JSON exactly as a record of the event Lambda delivers from a
// DynamoDB stream (eventSourceARN included). A poller starts with the shards whose parent is
// absent or finished, and moves to a shard's child once the shard is Closed and
// ReadStreamInternal returns nothing more: a child is processed only after its parent, which keeps
// each item's changes in order. Errors are ErrStreamNotFound, ErrShardNotFound and
// ErrBadSequenceNumber (wrapped; test with errors.Is); CompareSequenceNumbers orders two sequence
// numbers.
//
// # Not simulated
//
// Secondary indexes (CreateTable with GlobalSecondaryIndexes or LocalSecondaryIndexes answers a
// ValidationException saying so; Query and Scan with IndexName answer AWS's "The table does not
// have the specified index"), transactions (TransactWriteItems, TransactGetItems), PartiQL,
// time to live (DescribeTimeToLive answers DISABLED; UpdateTimeToLive is not served), backups,
// global tables, imports and exports, Kinesis streaming destinations, resource policies, SSE with
// a KMS key, and the legacy parameters (Expected, AttributesToGet, KeyConditions, QueryFilter,
// ScanFilter, AttributeUpdates, ConditionalOperator), which answer a ValidationException. Unserved
// operations answer UnknownOperationException. Every read is strongly consistent. With
// Config.EnforceThroughput, PROVISIONED capacity is a plain per-second budget (no burst or
// adaptive capacity).
package dynamodb
