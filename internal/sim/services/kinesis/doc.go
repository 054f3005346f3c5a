// Package kinesis is the simulated Amazon Kinesis Data Streams: awsJson 1.1 (X-Amz-Target
// "Kinesis_20131202.<Operation>", SigV4 signing name "kinesis", errors as a bare "__type"), and
// the CBOR form of the same protocol that the AWS SDK for Java sends by default (cbor.go).
//
// # Model
//
// A stream is a set of shards, each owning a contiguous range of the 128-bit hash key space. A
// record goes to the open shard whose range holds its hash key, the MD5 of its partition key read
// as a big-endian integer (or its ExplicitHashKey), and gets a sequence number that is strictly
// greater than every earlier one of its shard. New streams split the space evenly exactly as AWS
// does (range i starts at i*floor(2^128/n)); ON_DEMAND streams start with 4 shards, AWS's 4 MB/s
// of initial write capacity at 1 MB/s per shard. Sequence numbers have AWS's 56-digit layout
// (seqnum.go), so code that compares them as big integers behaves as on AWS.
//
// Streams move through AWS's states on the service's Clock: CREATING (no shards yet; puts answer
// ResourceNotFoundException) -> ACTIVE after Config.CreateDelay; a SplitShard, MergeShards or
// UpdateShardCount makes the stream UPDATING and takes effect Config.UpdateDelay later, when
// parents close (EndingSequenceNumber = their last record's sequence number) and children open
// with ParentShardId / AdjacentParentShardId; other reshards meanwhile answer
// ResourceInUseException, while reads and writes go on against the parents. DeleteStream makes it
// DELETING, then it is gone with its records. Transitions are stored, so a restart resumes them.
//
// Records older than the retention period (24 to 8,760 hours) are invisible at once and removed
// from the store every Config.TrimInterval; TRIM_HORIZON starts at the oldest unexpired record. A
// closed shard whose records have all expired is no longer listed. Shard iterators expire five
// minutes after they are handed out (ExpiredIteratorException). GetRecords on a closed shard
// read to its end returns a null NextShardIterator and the ChildShards.
//
// Per-shard throughput limits (1,000 records or 1 MiB written, 5 reads or 2 MiB read per second)
// are off unless Config.Throughput is set, since they would mostly make tests flaky; with them on,
// PutRecords fails single entries with ProvisionedThroughputExceededException, as AWS does.
//
// # Durability and concurrency
//
// One goroutine, the committer (commit.go), makes every change, so the order of changes is the
// order of sequence numbers, and a reshard falls cleanly between two groups of writes. Writes are
// group-committed: every PutRecord(s) waiting when a commit starts is stored, with its shard's
// counter, in one bbolt transaction, and no caller is answered before that commit. A restart
// reloads streams, shards and counters, so sequence numbers keep increasing. Readers read the
// committed store directly and never wait for the committer.
//
// Store layout: see model.go.
//
// # API for the event-source-mapping poller
//
// The poller reads without iterators, keeping its own checkpoint (the sequence number of the
// last record it has processed in a shard); internal.go:
//
//	info, err := svc.DescribeInternal(streamARN)              // status, retention
//	shards, err := svc.ListShardsInternal(streamARN)          // []StreamShard, with lineage
//	cp, err := svc.PositionInternal(streamARN, shardID, "LATEST", time.Time{}) // or TRIM_HORIZON, AT_TIMESTAMP
//	recs, err := svc.ReadInternal(streamARN, shardID, cp, 100) // records after cp, in order
//	cp = recs[len(recs)-1].SequenceNumber                     // after the batch succeeded
//	cp, err = CheckpointBefore(failedSeq)                     // or: retry from a failed record
//
// A poller starts with the shards that have no unfinished parent (ParentShardID and
// AdjacentParentShardID empty, expired, or finished) and moves to a shard's children once the
// shard is Closed and ReadInternal returns nothing after its EndingSequenceNumber — AWS's rule
// that a child is processed only after its parents, which keeps per-partition-key order across
// reshards. Errors are ErrStreamNotFound, ErrStreamNotReady, ErrShardNotFound and
// ErrBadSequenceNumber (wrapped; test with errors.Is). CompareSequenceNumbers orders two
// sequence numbers of one shard.
//
// # Not simulated
//
// Enhanced fan-out consumers (RegisterStreamConsumer, SubscribeToShard), server-side encryption
// (EncryptionType is always NONE), enhanced monitoring, resource policies, UpdateStreamMode,
// warm throughput and account settings; those operations answer UnknownOperationException.
// On-demand streams do not scale by themselves; their 4 shards are fixed.
package kinesis
