package sns

import (
	"context"
	"encoding/xml"
	"errors"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Tag rules ("Amazon SNS tags", TagResource API reference): at most 50 tags a topic, keys of 1 to
// 128 characters, values up to 256; keys starting with "aws:" are reserved.
const (
	maxTags        = 50
	maxTagKeyLen   = 128
	maxTagValueLen = 256
)

func validateTags(tags []Tag) *awswire.Error {
	if len(tags) > maxTags {
		return errTagLimitExceeded()
	}
	for _, t := range tags {
		if t.Key == "" || utf8.RuneCountInString(t.Key) > maxTagKeyLen {
			return errInvalidParameter("Tags Reason: Tag keys must be between 1 and %d characters", maxTagKeyLen)
		}
		if utf8.RuneCountInString(t.Value) > maxTagValueLen {
			return errInvalidParameter("Tags Reason: Tag values must be at most %d characters", maxTagValueLen)
		}
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return errTagPolicy("Tag keys starting with 'aws:' are reserved for AWS use: %s", t.Key)
		}
	}
	return nil
}

// TagResourceInput: https://docs.aws.amazon.com/sns/latest/api/API_TagResource.html
type TagResourceInput struct {
	ResourceARN string
	Tags        []Tag
}

func decodeTagResource(form url.Values) (TagResourceInput, *awswire.Error) {
	in := TagResourceInput{ResourceARN: form.Get("ResourceArn"), Tags: queryTags(form, "Tags")}
	return in, checkTopicARN("ResourceArn", in.ResourceARN)
}

// TagResource adds or overwrites tags on a topic.
func (s *Service) TagResource(_ context.Context, in TagResourceInput) (*noResult, *awswire.Error) {
	if e := validateTags(in.Tags); e != nil {
		return nil, e
	}
	err := s.updateTopicTags(in.ResourceARN, func(tags map[string]string) *awswire.Error {
		for _, t := range in.Tags {
			tags[t.Key] = t.Value
		}
		if len(tags) > maxTags {
			return errTagLimitExceeded()
		}
		return nil
	})
	return nil, err
}

// UntagResourceInput: https://docs.aws.amazon.com/sns/latest/api/API_UntagResource.html
type UntagResourceInput struct {
	ResourceARN string
	TagKeys     []string
}

func decodeUntagResource(form url.Values) (UntagResourceInput, *awswire.Error) {
	in := UntagResourceInput{ResourceARN: form.Get("ResourceArn"), TagKeys: awswire.QueryList(form, "TagKeys.member")}
	return in, checkTopicARN("ResourceArn", in.ResourceARN)
}

// UntagResource removes tags from a topic; keys it does not have are ignored.
func (s *Service) UntagResource(_ context.Context, in UntagResourceInput) (*noResult, *awswire.Error) {
	err := s.updateTopicTags(in.ResourceARN, func(tags map[string]string) *awswire.Error {
		for _, k := range in.TagKeys {
			delete(tags, k)
		}
		return nil
	})
	return nil, err
}

func (s *Service) updateTopicTags(arn string, fn func(map[string]string) *awswire.Error) *awswire.Error {
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		t, err := getTopic(tx, arn)
		if err != nil {
			return resourceNotFound(err)
		}
		if e := fn(t.Tags); e != nil {
			return e
		}
		return tx.Put(bucketTopics, t.ARN, t)
	})
	if err != nil {
		return internal(err)
	}
	return nil
}

// resourceNotFound turns the topic's NotFound into the tagging operations' ResourceNotFound.
func resourceNotFound(err error) error {
	var e *awswire.Error
	if errors.As(err, &e) && e.Code == "NotFound" {
		return errResourceNotFound()
	}
	return err
}

// ListTagsForResourceInput: https://docs.aws.amazon.com/sns/latest/api/API_ListTagsForResource.html
type ListTagsForResourceInput struct{ ResourceARN string }

// ListTagsForResourceResult lists a topic's tags, sorted by key.
type ListTagsForResourceResult struct {
	XMLName xml.Name `xml:"ListTagsForResourceResult"`
	Tags    struct {
		Members []Tag `xml:"member"`
	} `xml:"Tags"`
}

func decodeListTagsForResource(form url.Values) (ListTagsForResourceInput, *awswire.Error) {
	in := ListTagsForResourceInput{ResourceARN: form.Get("ResourceArn")}
	return in, checkTopicARN("ResourceArn", in.ResourceARN)
}

// ListTagsForResource answers a topic's tags.
func (s *Service) ListTagsForResource(_ context.Context, in ListTagsForResourceInput) (*ListTagsForResourceResult, *awswire.Error) {
	out := &ListTagsForResourceResult{}
	out.Tags.Members = []Tag{}
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		t, err := getTopic(tx, in.ResourceARN)
		if err != nil {
			return resourceNotFound(err)
		}
		for k, v := range t.Tags {
			out.Tags.Members = append(out.Tags.Members, Tag{Key: k, Value: v})
		}
		return nil
	})
	if err != nil {
		return nil, internal(err)
	}
	sort.Slice(out.Tags.Members, func(i, j int) bool { return out.Tags.Members[i].Key < out.Tags.Members[j].Key })
	return out, nil
}
