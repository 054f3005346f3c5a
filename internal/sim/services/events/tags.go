package events

import (
	"context"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Tags are kept on rules and buses. The resource is named by its ARN:
// arn:aws:events:<region>:<account>:rule/[<bus>/]<name> or ...:event-bus/<name>.

// TagResourceInput is https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TagResource.html
type TagResourceInput struct {
	ResourceARN string
	Tags        []Tag
}

// UntagResourceInput is https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_UntagResource.html
type UntagResourceInput struct {
	ResourceARN string
	TagKeys     []string
}

// ListTagsForResourceInput is https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListTagsForResource.html
type ListTagsForResourceInput struct {
	ResourceARN string
}

// ListTagsForResourceOutput answers ListTagsForResource.
type ListTagsForResourceOutput struct {
	Tags []Tag
}

// TagResource adds or overwrites tags.
func (s *Service) TagResource(_ context.Context, in *TagResourceInput) (*struct{}, *awswire.Error) {
	return &struct{}{}, s.withTags(in.ResourceARN, true, func(m map[string]string) map[string]string { return tagMap(m, in.Tags) })
}

// UntagResource removes tags by key.
func (s *Service) UntagResource(_ context.Context, in *UntagResourceInput) (*struct{}, *awswire.Error) {
	return &struct{}{}, s.withTags(in.ResourceARN, true, func(m map[string]string) map[string]string {
		for _, k := range in.TagKeys {
			delete(m, k)
		}
		return m
	})
}

// ListTagsForResource lists tags in key order.
func (s *Service) ListTagsForResource(_ context.Context, in *ListTagsForResourceInput) (*ListTagsForResourceOutput, *awswire.Error) {
	out := &ListTagsForResourceOutput{Tags: []Tag{}}
	e := s.withTags(in.ResourceARN, false, func(m map[string]string) map[string]string {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		for _, k := range sortedStrings(keys) {
			out.Tags = append(out.Tags, Tag{Key: k, Value: m[k]})
		}
		return m
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}

func sortedStrings(keys []string) []string {
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// withTags applies fn to the tags of the resource named by arn, saving them when write is set.
func (s *Service) withTags(arn string, write bool, fn func(map[string]string) map[string]string) *awswire.Error {
	prefix := "arn:aws:events:" + s.cfg.Region + ":" + s.cfg.AccountID + ":"
	rest, ok := strings.CutPrefix(arn, prefix)
	if !ok {
		return errResourceNotFound(arn)
	}
	var ae *awswire.Error
	run := s.cfg.Store.View
	if write {
		run = s.cfg.Store.Update
	}
	err := run(func(tx *store.Tx) error {
		switch {
		case strings.HasPrefix(rest, "rule/"):
			path := strings.TrimPrefix(rest, "rule/")
			bus, name := DefaultBus, path
			if i := strings.LastIndex(path, "/"); i >= 0 {
				bus, name = path[:i], path[i+1:]
			}
			r, e := getRule(tx, bus, name)
			if e != nil {
				ae = e
				return nil
			}
			r.Tags = fn(ensureMap(r.Tags))
			if write {
				return tx.Put(bucketRules, ruleKey(bus, name), r)
			}
		case strings.HasPrefix(rest, "event-bus/"):
			b, e := getBus(tx, strings.TrimPrefix(rest, "event-bus/"))
			if e != nil {
				ae = e
				return nil
			}
			b.Tags = fn(ensureMap(b.Tags))
			if write {
				return tx.Put(bucketBuses, b.Name, b)
			}
		default:
			ae = errResourceNotFound(arn)
		}
		return nil
	})
	if err != nil {
		return errInternal(err)
	}
	return ae
}

func ensureMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
