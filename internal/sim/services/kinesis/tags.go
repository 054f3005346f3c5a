package kinesis

import (
	"context"
	"regexp"
	"sort"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Tags: the stream-named operations (AddTagsToStream, RemoveTagsFromStream, ListTagsForStream)
// and their ARN-named successors (TagResource, UntagResource, ListTagsForResource). A stream
// has at most 50 tags (AddTagsToStream reference); tags cannot change until it is ACTIVE
// (CreateStream reference).

var tagCharsRE = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@%]*$`)

func (v *validation) tags(tags map[string]string, member string, maxCount int) {
	if tags == nil {
		return
	}
	if len(tags) < 1 {
		v.fail("{}", member, constraintMinLen(1))
	}
	if len(tags) > maxCount {
		v.fail("{...}", member, constraintMaxLen(maxCount))
	}
	for k, val := range tags {
		if len(k) < 1 || len(k) > 128 {
			v.fail(k, member, "Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]")
		}
		if len(val) > 256 {
			v.fail(val, member+"."+k, constraintMaxLen(256))
		}
	}
}

func errTooManyTags(stream, account string) *awswire.Error {
	return errInvalidArgument("Failed to add tags to stream %s under account %s because a given stream cannot have more than %d tags associated with it.", stream, account, maxTagsPerStream)
}

func errTagCharacters() *awswire.Error {
	return errInvalidArgument("Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, _ . / = + - %% @.")
}

// AddTagsToStreamInput is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_AddTagsToStream.html
type AddTagsToStreamInput struct {
	StreamName *string           `json:"StreamName"`
	StreamARN  *string           `json:"StreamARN"`
	Tags       map[string]string `json:"Tags"`
}

// AddTagsToStream adds or overwrites tags.
func (s *Service) AddTagsToStream(_ context.Context, in *AddTagsToStreamInput) (*struct{}, *awswire.Error) {
	var v validation
	v.streamRef(in.StreamName, in.StreamARN)
	if v.required(in.Tags != nil, "tags") {
		v.tags(in.Tags, "tags", maxTagsPerRequest)
	}
	if e := v.err(); e != nil {
		return nil, e
	}
	name, e := s.resolveStream(in.StreamName, in.StreamARN)
	if e != nil {
		return nil, e
	}
	return nil, s.addTags(name, in.Tags)
}

func (s *Service) addTags(name string, tags map[string]string) *awswire.Error {
	for k, v := range tags {
		if !tagCharsRE.MatchString(k) || !tagCharsRE.MatchString(v) {
			return errTagCharacters()
		}
	}
	return s.exec(func(tx *store.Tx) (func(), *awswire.Error) {
		st := s.streams[name]
		if st == nil {
			return nil, errStreamNotFound(name, s.cfg.AccountID)
		}
		if st.rec.Status == statusCreating || st.rec.Status == statusDeleting {
			return nil, errStreamNotActive(name, s.cfg.AccountID, st.rec.Status)
		}
		rec := st.rec.clone()
		if rec.Tags == nil {
			rec.Tags = map[string]string{}
		}
		for k, v := range tags {
			rec.Tags[k] = v
		}
		if len(rec.Tags) > maxTagsPerStream {
			return nil, errTooManyTags(name, s.cfg.AccountID)
		}
		if err := tx.Put(bucketStreams, name, rec); err != nil {
			return nil, errInternal(err)
		}
		return s.replaceStream(st, rec), nil
	})
}

// RemoveTagsFromStreamInput is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_RemoveTagsFromStream.html
type RemoveTagsFromStreamInput struct {
	StreamName *string  `json:"StreamName"`
	StreamARN  *string  `json:"StreamARN"`
	TagKeys    []string `json:"TagKeys"`
}

// RemoveTagsFromStream removes tags; keys that are not there are ignored.
func (s *Service) RemoveTagsFromStream(_ context.Context, in *RemoveTagsFromStreamInput) (*struct{}, *awswire.Error) {
	var v validation
	v.streamRef(in.StreamName, in.StreamARN)
	v.tagKeys(in.TagKeys)
	if e := v.err(); e != nil {
		return nil, e
	}
	name, e := s.resolveStream(in.StreamName, in.StreamARN)
	if e != nil {
		return nil, e
	}
	return nil, s.removeTags(name, in.TagKeys)
}

func (v *validation) tagKeys(keys []string) {
	if !v.required(keys != nil, "tagKeys") {
		return
	}
	if len(keys) < 1 {
		v.fail("[]", "tagKeys", constraintMinLen(1))
	}
	if len(keys) > 50 {
		v.fail("[...]", "tagKeys", constraintMaxLen(50))
	}
}

func (s *Service) removeTags(name string, keys []string) *awswire.Error {
	for _, k := range keys {
		if !tagCharsRE.MatchString(k) {
			return errTagCharacters()
		}
	}
	return s.exec(func(tx *store.Tx) (func(), *awswire.Error) {
		st := s.streams[name]
		if st == nil {
			return nil, errStreamNotFound(name, s.cfg.AccountID)
		}
		if st.rec.Status == statusCreating || st.rec.Status == statusDeleting {
			return nil, errStreamNotActive(name, s.cfg.AccountID, st.rec.Status)
		}
		rec := st.rec.clone()
		for _, k := range keys {
			delete(rec.Tags, k)
		}
		if err := tx.Put(bucketStreams, name, rec); err != nil {
			return nil, errInternal(err)
		}
		return s.replaceStream(st, rec), nil
	})
}

// ListTagsForStreamInput is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListTagsForStream.html
type ListTagsForStreamInput struct {
	StreamName           *string `json:"StreamName"`
	StreamARN            *string `json:"StreamARN"`
	ExclusiveStartTagKey *string `json:"ExclusiveStartTagKey"`
	Limit                *int32  `json:"Limit"`
}

// ListTagsForStreamOutput is the answer of ListTagsForStream.
type ListTagsForStreamOutput struct {
	Tags        []Tag `json:"Tags"`
	HasMoreTags bool  `json:"HasMoreTags"`
}

// ListTagsForStream lists tags in key order.
func (s *Service) ListTagsForStream(_ context.Context, in *ListTagsForStreamInput) (*ListTagsForStreamOutput, *awswire.Error) {
	var v validation
	v.streamRef(in.StreamName, in.StreamARN)
	v.intRange(in.Limit, "limit", 1, 50)
	if e := v.err(); e != nil {
		return nil, e
	}
	name, e := s.resolveStream(in.StreamName, in.StreamARN)
	if e != nil {
		return nil, e
	}
	out := &ListTagsForStreamOutput{Tags: []Tag{}}
	limit := derefInt(in.Limit, defaultListTagsLimit)
	return out, s.withStream(name, func(st *stream) *awswire.Error {
		for _, t := range sortedTags(st.rec.Tags) {
			if in.ExclusiveStartTagKey != nil && t.Key <= *in.ExclusiveStartTagKey {
				continue
			}
			if len(out.Tags) == limit {
				out.HasMoreTags = true
				break
			}
			out.Tags = append(out.Tags, t)
		}
		return nil
	})
}

func sortedTags(tags map[string]string) []Tag {
	out := make([]Tag, 0, len(tags))
	for k, v := range tags {
		out = append(out, Tag{Key: k, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// TagResourceInput is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_TagResource.html
type TagResourceInput struct {
	ResourceARN *string           `json:"ResourceARN"`
	Tags        map[string]string `json:"Tags"`
}

// TagResource tags a stream named by ARN.
func (s *Service) TagResource(_ context.Context, in *TagResourceInput) (*struct{}, *awswire.Error) {
	var v validation
	v.resourceARN(in.ResourceARN)
	if v.required(in.Tags != nil, "tags") {
		v.tags(in.Tags, "tags", maxTagsPerRequest)
	}
	if e := v.err(); e != nil {
		return nil, e
	}
	name, e := s.resolveStream(nil, in.ResourceARN)
	if e != nil {
		return nil, e
	}
	return nil, s.addTags(name, in.Tags)
}

// UntagResourceInput is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UntagResource.html
type UntagResourceInput struct {
	ResourceARN *string  `json:"ResourceARN"`
	TagKeys     []string `json:"TagKeys"`
}

// UntagResource removes tags from a stream named by ARN.
func (s *Service) UntagResource(_ context.Context, in *UntagResourceInput) (*struct{}, *awswire.Error) {
	var v validation
	v.resourceARN(in.ResourceARN)
	v.tagKeys(in.TagKeys)
	if e := v.err(); e != nil {
		return nil, e
	}
	name, e := s.resolveStream(nil, in.ResourceARN)
	if e != nil {
		return nil, e
	}
	return nil, s.removeTags(name, in.TagKeys)
}

// ListTagsForResourceInput is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListTagsForResource.html
type ListTagsForResourceInput struct {
	ResourceARN *string `json:"ResourceARN"`
}

// ListTagsForResourceOutput is the answer of ListTagsForResource.
type ListTagsForResourceOutput struct {
	Tags []Tag `json:"Tags"`
}

// ListTagsForResource lists a stream's tags by its ARN.
func (s *Service) ListTagsForResource(_ context.Context, in *ListTagsForResourceInput) (*ListTagsForResourceOutput, *awswire.Error) {
	var v validation
	v.resourceARN(in.ResourceARN)
	if e := v.err(); e != nil {
		return nil, e
	}
	name, e := s.resolveStream(nil, in.ResourceARN)
	if e != nil {
		return nil, e
	}
	out := &ListTagsForResourceOutput{}
	return out, s.withStream(name, func(st *stream) *awswire.Error {
		out.Tags = sortedTags(st.rec.Tags)
		return nil
	})
}

// resourceARN validates a ResourceARN; only stream ARNs name something here (consumer ARNs
// would, on AWS, but enhanced fan-out consumers are not simulated).
func (v *validation) resourceARN(arn *string) {
	if v.required(arn != nil, "resourceARN") {
		v.arn(arn, "resourceARN")
	}
}
