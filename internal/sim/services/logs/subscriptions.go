package logs

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// maxSubscriptions is AWS's "Subscription filters: 2 per log group" quota (not adjustable).
const maxSubscriptions = 2

var filterNamePattern = regexp.MustCompile(`^[^:*]{1,512}$`)

// PutSubscriptionFilterInput is https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutSubscriptionFilter.html
type PutSubscriptionFilterInput struct {
	LogGroupName   string `json:"logGroupName"`
	FilterName     string `json:"filterName"`
	FilterPattern  string `json:"filterPattern"`
	DestinationArn string `json:"destinationArn"`
	RoleArn        string `json:"roleArn"`
	Distribution   string `json:"distribution"`
}

// PutSubscriptionFilter creates or replaces a subscription filter.
func (s *Service) PutSubscriptionFilter(ctx context.Context, in *PutSubscriptionFilterInput) (*struct{}, *awswire.Error) {
	if !filterNamePattern.MatchString(in.FilterName) {
		return nil, errConstraint(in.FilterName, "filterName", "Member must satisfy regular expression pattern: [^:*]*")
	}
	if in.DestinationArn == "" {
		return nil, errConstraint("null", "destinationArn", "Member must not be null")
	}
	switch in.Distribution {
	case "", "Random", "ByLogStream":
	default:
		return nil, errConstraint(in.Distribution, "distribution", "Member must satisfy enum value set: [Random, ByLogStream]")
	}
	if _, e := s.compileFilter(in.FilterPattern); e != nil {
		return nil, e
	}
	service, err := deliver.ARNService(in.DestinationArn)
	if err != nil {
		return nil, errInvalidParameter("destinationArn %s is not a valid ARN.", in.DestinationArn)
	}
	var exists bool
	if err := s.cfg.Store.View(func(tx *store.Tx) error {
		exists = tx.Has(bucketGroups, in.LogGroupName)
		return nil
	}); err != nil {
		return nil, errInternal(err)
	}
	if !exists {
		return nil, errGroupNotFound()
	}
	if service == "lambda" {
		if e := s.checkLambda(ctx, in.DestinationArn, in.LogGroupName); e != nil {
			return nil, e
		}
	}
	var ae *awswire.Error
	var due []dueBatch
	err = s.cfg.Store.Update(func(tx *store.Tx) error {
		due = due[:0]
		if _, e := getGroup(tx, in.LogGroupName); e != nil {
			ae = e
			return nil
		}
		var old subRecord
		replacing := tx.Get(bucketSubs, subKey(in.LogGroupName, in.FilterName), &old) == nil
		if !replacing {
			count := 0
			if err := tx.ForEach(bucketSubs, in.LogGroupName+keySep, func(string, []byte) error { count++; return nil }); err != nil {
				return err
			}
			if count >= maxSubscriptions {
				ae = errLimitExceeded()
				return nil
			}
		}
		now := s.now()
		sub := subRecord{Group: in.LogGroupName, Name: in.FilterName, Pattern: in.FilterPattern, DestinationARN: in.DestinationArn,
			RoleARN: in.RoleArn, Distribution: in.Distribution, Created: millis(now)}
		if replacing {
			sub.Created = old.Created
		}
		if err := tx.Put(bucketSubs, subKey(in.LogGroupName, in.FilterName), sub); err != nil {
			return err
		}
		if replacing && old.DestinationARN == in.DestinationArn {
			return nil
		}
		// "CloudWatch Logs may emit ... records with a CONTROL_MESSAGE type, mainly for
		// checking if the destination is reachable."
		b, err := s.newBatch(tx, &sub, "", now, now)
		if err != nil {
			return err
		}
		b.Control, b.Open = true, false
		b.Events = []batchLogEvent{{ID: "", Timestamp: millis(now), Message: "CWL CONTROL MESSAGE: Checking health of destination " + destinationKind(service) + "."}}
		due = append(due, dueBatch{b.Key, b.DueAt})
		return tx.Put(bucketOutbox, b.Key, b)
	})
	if err != nil {
		return nil, errInternal(err)
	}
	if ae != nil {
		return nil, ae
	}
	s.schedule(due)
	return &struct{}{}, nil
}

func destinationKind(service string) string {
	switch service {
	case "lambda":
		return "Lambda function"
	case "kinesis":
		return "Kinesis stream"
	case "firehose":
		return "Firehose stream"
	}
	return service
}

// checkLambda asks the function's policy whether CloudWatch Logs may invoke it for this group;
// AWS accepts either logs.amazonaws.com or the older regional principal.
func (s *Service) checkLambda(ctx context.Context, functionARN, group string) *awswire.Error {
	if s.cfg.LambdaPolicy == nil {
		return nil
	}
	source := s.groupARN(group)
	for _, principal := range []string{Principal, "logs." + s.cfg.Region + ".amazonaws.com"} {
		ok, err := s.cfg.LambdaPolicy.AllowsInvoke(ctx, functionARN, principal, source, s.cfg.AccountID)
		if err != nil {
			if errors.Is(err, deliver.ErrNoTarget) {
				return errLambdaNotAllowed()
			}
			return errInternal(err)
		}
		if ok {
			return nil
		}
	}
	return errLambdaNotAllowed()
}

// DescribeSubscriptionFiltersInput is https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeSubscriptionFilters.html
type DescribeSubscriptionFiltersInput struct {
	LogGroupName     string `json:"logGroupName"`
	FilterNamePrefix string `json:"filterNamePrefix"`
	NextToken        string `json:"nextToken"`
	Limit            *int   `json:"limit"`
}

// SubscriptionFilter is one entry of DescribeSubscriptionFilters.
type SubscriptionFilter struct {
	FilterName     string `json:"filterName"`
	LogGroupName   string `json:"logGroupName"`
	FilterPattern  string `json:"filterPattern"`
	DestinationArn string `json:"destinationArn"`
	RoleArn        string `json:"roleArn,omitempty"`
	Distribution   string `json:"distribution,omitempty"`
	CreationTime   int64  `json:"creationTime"`
}

// DescribeSubscriptionFiltersOutput answers DescribeSubscriptionFilters.
type DescribeSubscriptionFiltersOutput struct {
	SubscriptionFilters []SubscriptionFilter `json:"subscriptionFilters"`
	NextToken           string               `json:"nextToken,omitempty"`
}

// DescribeSubscriptionFilters lists a group's subscription filters by name.
func (s *Service) DescribeSubscriptionFilters(_ context.Context, in *DescribeSubscriptionFiltersInput) (*DescribeSubscriptionFiltersOutput, *awswire.Error) {
	limit, e := pageLimit(in.Limit, 50)
	if e != nil {
		return nil, e
	}
	after, e := decodeToken(in.NextToken)
	if e != nil {
		return nil, e
	}
	out := &DescribeSubscriptionFiltersOutput{SubscriptionFilters: []SubscriptionFilter{}}
	var ae *awswire.Error
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		if _, e := getGroup(tx, in.LogGroupName); e != nil {
			ae = e
			return nil
		}
		return tx.ForEach(bucketSubs, subKey(in.LogGroupName, in.FilterNamePrefix), func(_ string, v []byte) error {
			var sub subRecord
			if err := json.Unmarshal(v, &sub); err != nil {
				return err
			}
			if after != "" && sub.Name <= after {
				return nil
			}
			if len(out.SubscriptionFilters) == limit {
				out.NextToken = encodeToken(out.SubscriptionFilters[len(out.SubscriptionFilters)-1].FilterName)
				return store.ErrStop
			}
			out.SubscriptionFilters = append(out.SubscriptionFilters, SubscriptionFilter{FilterName: sub.Name, LogGroupName: sub.Group,
				FilterPattern: sub.Pattern, DestinationArn: sub.DestinationARN, RoleArn: sub.RoleARN, Distribution: sub.Distribution, CreationTime: sub.Created})
			return nil
		})
	})
	if err != nil {
		return nil, errInternal(err)
	}
	if ae != nil {
		return nil, ae
	}
	return out, nil
}

// DeleteSubscriptionFilterInput is https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteSubscriptionFilter.html
type DeleteSubscriptionFilterInput struct {
	LogGroupName string `json:"logGroupName"`
	FilterName   string `json:"filterName"`
}

// DeleteSubscriptionFilter deletes a subscription filter; batches already closed still go out.
func (s *Service) DeleteSubscriptionFilter(_ context.Context, in *DeleteSubscriptionFilterInput) (*struct{}, *awswire.Error) {
	var ae *awswire.Error
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		if _, e := getGroup(tx, in.LogGroupName); e != nil {
			ae = e
			return nil
		}
		if !tx.Has(bucketSubs, subKey(in.LogGroupName, in.FilterName)) {
			ae = errFilterNotFound()
			return nil
		}
		if err := deletePrefix(tx, bucketOpen, openKey(in.LogGroupName, in.FilterName, "")); err != nil {
			return err
		}
		return tx.Delete(bucketSubs, subKey(in.LogGroupName, in.FilterName))
	})
	if err != nil {
		return nil, errInternal(err)
	}
	return &struct{}{}, ae
}

// route appends events just stored in group/stream to the open batch of every subscription
// filter of the group that they match.
func (s *Service) route(tx *store.Tx, group, stream string, events []batchLogEvent, now time.Time) ([]dueBatch, error) {
	var subs []subRecord
	if err := tx.ForEach(bucketSubs, group+keySep, func(_ string, v []byte) error {
		var sub subRecord
		if err := json.Unmarshal(v, &sub); err != nil {
			return err
		}
		subs = append(subs, sub)
		return nil
	}); err != nil {
		return nil, err
	}
	var due []dueBatch
	for i := range subs {
		sub := &subs[i]
		fp, e := s.compileFilter(sub.Pattern)
		if e != nil {
			s.log.Warn("skipping a subscription whose pattern no longer compiles", "group", group, "filter", sub.Name)
			continue
		}
		var b *batchRecord
		for _, ev := range events {
			if !fp.match(ev.Message) {
				continue
			}
			var err error
			if b == nil {
				if b, err = s.openBatch(tx, sub, stream, now); err != nil {
					return nil, err
				}
			}
			size := len(ev.Message) + eventOverhead
			if len(b.Events) > 0 && b.Bytes+size > maxPayloadBytes {
				// Full: close it now and start another.
				b.Open, b.DueAt = false, now
				if err := tx.Put(bucketOutbox, b.Key, b); err != nil {
					return nil, err
				}
				due = append(due, dueBatch{b.Key, b.DueAt})
				if b, err = s.newBatch(tx, sub, stream, now, now.Add(s.cfg.BatchWindow)); err != nil {
					return nil, err
				}
			}
			b.Events = append(b.Events, ev)
			b.Bytes += size
		}
		if b != nil {
			if err := tx.Put(bucketOutbox, b.Key, b); err != nil {
				return nil, err
			}
			due = append(due, dueBatch{b.Key, b.DueAt})
		}
	}
	return due, nil
}

// maxPayloadBytes bounds the messages of one batch, so the compressed payload stays well under
// Lambda's asynchronous payload limit.
const maxPayloadBytes = 256 << 10

// openBatch returns the open batch of (filter, stream), or a new one due after the window.
func (s *Service) openBatch(tx *store.Tx, sub *subRecord, stream string, now time.Time) (*batchRecord, error) {
	ok := openKey(sub.Group, sub.Name, stream)
	if key, err := tx.GetRaw(bucketOpen, ok); err == nil {
		var b batchRecord
		if err := tx.Get(bucketOutbox, string(key), &b); err == nil && b.Open {
			return &b, nil
		}
	}
	return s.newBatch(tx, sub, stream, now, now.Add(s.cfg.BatchWindow))
}

func (s *Service) newBatch(tx *store.Tx, sub *subRecord, stream string, now, due time.Time) (*batchRecord, error) {
	seq, err := tx.NextSequence(bucketOutbox)
	if err != nil {
		return nil, err
	}
	b := &batchRecord{Key: store.SeqKey(seq), Group: sub.Group, Stream: stream, Filter: sub.Name, DestinationARN: sub.DestinationARN,
		Created: now, DueAt: due, Open: true}
	if stream != "" {
		if err := tx.PutRaw(bucketOpen, openKey(sub.Group, sub.Name, stream), []byte(b.Key)); err != nil {
			return nil, err
		}
	}
	return b, nil
}
