package testfn

// Batch answers SQS, Kinesis and DynamoDB Streams batches as ReportBatchItemFailures expects: records
// containing "fail-item" are reported, "fail-batch" fails the invocation, and tumbling windows get
// their state back (see its main.go).
const Batch = "batch"
