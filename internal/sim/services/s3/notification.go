package s3

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// PutBucketNotificationConfigurationInput is the operation's request.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html
type PutBucketNotificationConfigurationInput struct {
	Bucket                    string
	NotificationConfiguration *NotificationConfiguration
	// SkipDestinationValidation is x-amz-skip-destination-validation: store the destinations
	// without checking them (and without test events).
	SkipDestinationValidation bool
	Requester                 requester
}

func (s *Service) handlePutBucketNotificationConfiguration(c *call) *awswire.Error {
	doc := &NotificationConfiguration{}
	if _, e := readXMLPayload(c.r, doc, false); e != nil {
		return e
	}
	e := s.PutBucketNotificationConfiguration(c.ctx, &PutBucketNotificationConfigurationInput{
		Bucket: c.bucket, NotificationConfiguration: doc,
		SkipDestinationValidation: strings.EqualFold(c.r.Header.Get("X-Amz-Skip-Destination-Validation"), "true"),
		Requester:                 c.requester(),
	})
	if e != nil {
		return e
	}
	c.w.WriteHeader(http.StatusOK)
	return nil
}

// PutBucketNotificationConfiguration replaces the bucket's whole notification configuration. As on
// S3 it first validates the document, then every destination: a Lambda function's policy must let
// s3.amazonaws.com invoke it from this bucket and account, and a queue or topic must accept S3's
// test event (which is how S3 learns that it exists and that its policy lets S3 send). The
// destinations that fail are reported together, in document order, and nothing is stored.
func (s *Service) PutBucketNotificationConfiguration(ctx context.Context, in *PutBucketNotificationConfigurationInput) *awswire.Error {
	exists := false
	if err := s.store.View(func(tx *store.Tx) error { exists = tx.Has(bucketsBucket, in.Bucket); return nil }); err != nil {
		return errInternal(err)
	}
	if !exists {
		return errNoSuchBucket(in.Bucket)
	}
	conf, e := validateNotification(in.NotificationConfiguration)
	if e != nil {
		return e
	}
	if !in.SkipDestinationValidation {
		if e := s.validateDestinations(ctx, in.Bucket, conf, in.Requester); e != nil {
			return e
		}
	}
	if len(conf.Destinations) == 0 && !conf.EventBridge {
		conf = nil
	}
	err := s.store.Update(func(tx *store.Tx) error {
		b, err := getBucket(tx, in.Bucket)
		if errors.Is(err, store.ErrNotFound) {
			return abort(errNoSuchBucket(in.Bucket))
		}
		if err != nil {
			return err
		}
		b.Notification = conf
		return tx.Put(bucketsBucket, b.Name, b)
	})
	return txError(err)
}

// validateDestinations checks each destination once, in document order.
func (s *Service) validateDestinations(ctx context.Context, bucket string, conf *notificationConfig, rq requester) *awswire.Error {
	var failures []destinationFailure
	checked := map[string]bool{}
	for _, d := range conf.Destinations {
		if checked[d.Kind+" "+d.ARN] {
			continue
		}
		checked[d.Kind+" "+d.ARN] = true
		if d.Kind == kindLambda {
			if !s.lambdaAllows(ctx, d.ARN, bucket) {
				failures = append(failures, destinationFailure{name: d.ARN + ", null", reason: "Not authorized to invoke function [" + d.ARN + "]"})
			}
			continue
		}
		if strings.HasSuffix(d.ARN, ".fifo") {
			// S3 sends to standard queues and topics only, and refuses FIFO ones at this point
			// (the reason's text is the simulator's: S3's own is not documented).
			failures = append(failures, destinationFailure{name: d.ARN, reason: "FIFO " + kindNoun(d.Kind) + "s are not supported as S3 event notification destinations"})
			continue
		}
		if reason := s.sendTestEvent(ctx, bucket, d, rq); reason != "" {
			failures = append(failures, destinationFailure{name: d.ARN, reason: reason})
		}
	}
	if len(failures) > 0 {
		return errDestinationValidation(failures)
	}
	return nil
}

func (s *Service) lambdaAllows(ctx context.Context, functionARN, bucket string) bool {
	if s.cfg.LambdaPolicy == nil {
		return false
	}
	ok, err := s.cfg.LambdaPolicy.AllowsInvoke(ctx, functionARN, "s3.amazonaws.com", bucketARN(bucket), s.cfg.AccountID)
	if err != nil {
		s.log.Info("Lambda destination not validated", "function", functionARN, "bucket", bucket, "error", err)
		return false
	}
	return ok
}

// sendTestEvent delivers S3's test event to a queue or topic and returns why it failed, in S3's
// words ("" when it was accepted).
func (s *Service) sendTestEvent(ctx context.Context, bucket string, d destination, rq requester) string {
	noun := kindNoun(d.Kind)
	body, err := json.Marshal(testEvent{Service: "Amazon S3", Event: "s3:TestEvent", Time: awswire.XMLTime(s.now()),
		Bucket: bucket, RequestID: rq.RequestID, HostID: rq.HostID})
	if err != nil {
		return err.Error()
	}
	err = s.cfg.Bus.Deliver(ctx, deliver.Message{TargetARN: d.ARN, Body: body, Principal: "s3.amazonaws.com", Subject: "Amazon S3 Notification",
		SourceARN: bucketARN(bucket), SourceAccount: s.cfg.AccountID})
	switch {
	case err == nil:
		return ""
	case errors.Is(err, deliver.ErrNoTarget):
		return "The destination " + noun + " does not exist"
	case errors.Is(err, deliver.ErrDenied):
		return "Permissions on the destination " + noun + " do not allow S3 to publish notifications from this bucket"
	}
	s.log.Info("S3 test event not accepted", "target", d.ARN, "bucket", bucket, "error", err)
	return "Unable to publish a test notification to the destination " + noun + ": " + err.Error()
}

func kindNoun(kind string) string {
	return map[string]string{kindQueue: "queue", kindTopic: "topic", kindLambda: "function"}[kind]
}

// handleGetBucketNotificationConfiguration answers the stored configuration, an empty document
// when there is none.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketNotificationConfiguration.html
func (s *Service) handleGetBucketNotificationConfiguration(c *call) *awswire.Error {
	b, e := s.withBucket(c)
	if e != nil {
		return e
	}
	awswire.WriteXML(c.w, http.StatusOK, b.Notification.document())
	return nil
}
