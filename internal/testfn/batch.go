package testfn

// Batch answers event source mapping batches (SQS, Kinesis, DynamoDB Streams) with a partial batch
// response chosen by the records' content ("fail": true, "respond": "error"|"null"|...; see
// testdata/functions/batch/main.go).
const Batch = "batch"
