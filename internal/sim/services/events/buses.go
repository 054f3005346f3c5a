package events

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Tag is a resource tag.
type Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

var busNamePattern = regexp.MustCompile(`^[/\.\-_A-Za-z0-9]{1,256}$`)

func (s *Service) ensureDefaultBus() error {
	return s.cfg.Store.Update(func(tx *store.Tx) error {
		if tx.Has(bucketBuses, DefaultBus) {
			return nil
		}
		now := s.now()
		return tx.Put(bucketBuses, DefaultBus, busRecord{Name: DefaultBus, ARN: s.busARN(DefaultBus), Created: now, Modified: now})
	})
}

func getBus(tx *store.Tx, name string) (*busRecord, *awswire.Error) {
	var b busRecord
	if err := tx.Get(bucketBuses, name, &b); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, errBusNotFound(name)
		}
		return nil, errInternal(err)
	}
	return &b, nil
}

// CreateEventBusInput is https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html
type CreateEventBusInput struct {
	Name            string
	Description     string
	EventSourceName string
	Tags            []Tag
}

// CreateEventBusOutput answers CreateEventBus.
type CreateEventBusOutput struct {
	EventBusArn string
	Description string `json:",omitempty"`
}

// CreateEventBus creates a custom event bus.
func (s *Service) CreateEventBus(_ context.Context, in *CreateEventBusInput) (*CreateEventBusOutput, *awswire.Error) {
	if !busNamePattern.MatchString(in.Name) {
		return nil, errConstraint(in.Name, "name", `Member must satisfy regular expression pattern: [/\.\-_A-Za-z0-9]+`)
	}
	if in.EventSourceName != "" {
		return nil, errValidation("Partner event sources are not supported by the lambdatrigger simulator.")
	}
	if strings.Contains(in.Name, "/") {
		return nil, errValidation("Event bus name must not contain '/'.")
	}
	if in.Name == DefaultBus {
		return nil, errBusExists(in.Name)
	}
	var out *CreateEventBusOutput
	var ae *awswire.Error
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		if tx.Has(bucketBuses, in.Name) {
			ae = errBusExists(in.Name)
			return nil
		}
		now := s.now()
		b := busRecord{Name: in.Name, ARN: s.busARN(in.Name), Description: in.Description, Created: now, Modified: now, Tags: tagMap(nil, in.Tags)}
		out = &CreateEventBusOutput{EventBusArn: b.ARN, Description: b.Description}
		return tx.Put(bucketBuses, b.Name, b)
	})
	if err != nil {
		return nil, errInternal(err)
	}
	return out, ae
}

// DescribeEventBusInput is https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DescribeEventBus.html
type DescribeEventBusInput struct {
	Name string
}

// DescribeEventBusOutput answers DescribeEventBus.
type DescribeEventBusOutput struct {
	Arn              string
	Name             string
	Description      string `json:",omitempty"`
	CreationTime     awswire.Timestamp
	LastModifiedTime awswire.Timestamp
}

// DescribeEventBus describes a bus (the default one when Name is empty).
func (s *Service) DescribeEventBus(_ context.Context, in *DescribeEventBusInput) (*DescribeEventBusOutput, *awswire.Error) {
	name := busName(in.Name)
	var out *DescribeEventBusOutput
	var ae *awswire.Error
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		b, e := getBus(tx, name)
		if e != nil {
			ae = e
			return nil
		}
		out = &DescribeEventBusOutput{Arn: b.ARN, Name: b.Name, Description: b.Description, CreationTime: epoch(b.Created), LastModifiedTime: epoch(b.Modified)}
		return nil
	})
	if err != nil {
		return nil, errInternal(err)
	}
	return out, ae
}

// ListEventBusesInput is https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListEventBuses.html
type ListEventBusesInput struct {
	NamePrefix string
	NextToken  string
	Limit      *int
}

// EventBus is one entry of ListEventBuses.
type EventBus struct {
	Arn              string
	Name             string
	Description      string `json:",omitempty"`
	CreationTime     awswire.Timestamp
	LastModifiedTime awswire.Timestamp
}

// ListEventBusesOutput answers ListEventBuses.
type ListEventBusesOutput struct {
	EventBuses []EventBus
	NextToken  string `json:",omitempty"`
}

// ListEventBuses lists buses by name, with a prefix and pagination.
func (s *Service) ListEventBuses(_ context.Context, in *ListEventBusesInput) (*ListEventBusesOutput, *awswire.Error) {
	limit, e := pageLimit(in.Limit)
	if e != nil {
		return nil, e
	}
	after, e := decodeToken(in.NextToken)
	if e != nil {
		return nil, e
	}
	out := &ListEventBusesOutput{EventBuses: []EventBus{}}
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		return tx.ForEachAfter(bucketBuses, after, func(key string, value []byte) error {
			if !strings.HasPrefix(key, in.NamePrefix) {
				if key > in.NamePrefix {
					return store.ErrStop
				}
				return nil
			}
			if len(out.EventBuses) == limit {
				out.NextToken = encodeToken(lastBusName(out.EventBuses))
				return store.ErrStop
			}
			var b busRecord
			if err := unmarshal(value, &b); err != nil {
				return err
			}
			out.EventBuses = append(out.EventBuses, EventBus{Arn: b.ARN, Name: b.Name, Description: b.Description, CreationTime: epoch(b.Created), LastModifiedTime: epoch(b.Modified)})
			return nil
		})
	})
	if err != nil {
		return nil, errInternal(err)
	}
	return out, nil
}

func lastBusName(bs []EventBus) string { return bs[len(bs)-1].Name }

// DeleteEventBusInput is https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DeleteEventBus.html
type DeleteEventBusInput struct {
	Name string
}

// DeleteEventBus deletes a custom bus with its rules and their targets (deliveries already
// accepted still go out). Deleting a bus that does not exist succeeds, as on AWS.
func (s *Service) DeleteEventBus(_ context.Context, in *DeleteEventBusInput) (*struct{}, *awswire.Error) {
	name := busName(in.Name)
	if name == DefaultBus {
		return nil, errValidation("Cannot delete event bus default.")
	}
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		if err := tx.Delete(bucketBuses, name); err != nil {
			return err
		}
		var keys []string
		prefix := name + keySep
		for _, bucket := range []string{bucketRules, bucketTargets} {
			keys = keys[:0]
			if err := tx.ForEach(bucket, prefix, func(k string, _ []byte) error { keys = append(keys, k); return nil }); err != nil {
				return err
			}
			for _, k := range keys {
				if err := tx.Delete(bucket, k); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, errInternal(err)
	}
	return &struct{}{}, nil
}

func tagMap(m map[string]string, tags []Tag) map[string]string {
	if len(tags) == 0 {
		return m
	}
	if m == nil {
		m = map[string]string{}
	}
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	return m
}
