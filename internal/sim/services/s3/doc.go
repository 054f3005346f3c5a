// Package s3 is the simulated Amazon S3: buckets, objects and the event notifications that make
// S3 a trigger of Lambda functions (and of SQS queues, SNS topics and EventBridge).
//
// # Wire
//
// S3 speaks restXml (awswire.WriteXML, awswire.WriteRestXMLError). A request addresses its bucket
// path-style (/<bucket>/<key>) or virtual-hosted-style (Host: <bucket>.localhost:4566,
// <bucket>.s3.localhost:4566); Register routes both: the Host matcher for the second, the SigV4
// signing name "s3" for everything signed for S3. The operation is chosen by method, by whether a
// key is named, and by the sub-resource in the query string (?notification, ?uploads, ?delete, ...).
//
// # Model
//
// Buckets, object metadata and object bytes live in the store (state.go has the layout); an
// object's bytes are one store value, so a PUT is capped by Config.MaxObjectSize (512 MiB by
// default; AWS allows 5 GiB) and answered EntityTooLarge above it. Uploads are verified as S3
// verifies them: aws-chunked bodies (the SDKs' default streaming encoding over HTTPS, with the
// checksum in a trailer) are decoded to their payload, and Content-MD5 and x-amz-checksum-* are
// checked; objects uploaded without a checksum get S3's default CRC64NVME. Buckets are never
// versioned; configuration sub-resources other than notifications answer what a fresh bucket has,
// and refuse changes with NotImplemented (subresources.go).
//
// # Notifications
//
// PutBucketNotificationConfiguration replaces a bucket's whole configuration after validating it
// as S3 does: event names, filter rules, ARNs, overlapping configurations, and then every
// destination (a Lambda function's policy through Config.LambdaPolicy; a queue or topic by
// delivering S3's s3:TestEvent to it). Each object write that matches a configuration stores an
// event record in the outbox in the write's own transaction; a worker delivers the outbox through
// the deliver.Bus with principal s3.amazonaws.com, source arn:aws:s3:::<bucket> and the account,
// deletes what was delivered, retries on the clock what was not, and resumes after a restart
// (outbox.go).
package s3
