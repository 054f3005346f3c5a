package testfn

// ESMBatch answers event source mapping batches (SQS, Kinesis, DynamoDB Streams) with a partial
// batch response chosen by the records' content ("fail": true, "respond": "error"|"null"|...; see
// testdata/functions/esmbatch/main.go). The event source mapping tests of internal/sim/esm use it.
const ESMBatch = "esmbatch"
