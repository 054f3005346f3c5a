package s3

import (
	"context"
	"crypto/md5"
	"fmt"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
)

// Receive implements deliver.Receiver: another service writes an object into a bucket named by
// its ARN (arn:aws:s3:::bucket), as Lambda does with the records of failed asynchronous invocations
// and of failed stream batches. The sender names the key in Message.ObjectKey. The object is stored
// (and the bucket's own notifications recorded) before Receive returns.
func (s *Service) Receive(_ context.Context, m deliver.Message) error {
	bucket, ok := strings.CutPrefix(m.TargetARN, "arn:aws:s3:::")
	if !ok || bucket == "" || strings.Contains(bucket, "/") {
		return fmt.Errorf("%w: %s is not a bucket ARN", deliver.ErrNoTarget, m.TargetARN)
	}
	if m.ObjectKey == "" {
		return fmt.Errorf("s3: a delivery to %s names no object key", m.TargetARN)
	}
	_, e := s.PutObject(&PutObjectInput{
		Bucket: bucket, Key: m.ObjectKey,
		Body:      &payload{data: m.Body, md5: md5.Sum(m.Body)},
		Meta:      objectHeaders{ContentType: "application/json"},
		Requester: requester{PrincipalID: "AWS:" + m.Principal, SourceIP: "127.0.0.1"},
	})
	if e != nil {
		if e.Code == "NoSuchBucket" {
			return fmt.Errorf("%w: bucket %s", deliver.ErrNoTarget, bucket)
		}
		return e
	}
	return nil
}
