package lambda

import (
	"context"
	"net/http"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Tags belong to a function as a whole and are named by its unqualified ARN.

// TagResourceInput is the body of TagResource.
type TagResourceInput struct {
	Resource string            `json:"-"`
	Tags     map[string]string `json:"Tags"`
}

func (in *TagResourceInput) setResource(s string) { in.Resource = s }

// TagResource adds or replaces tags. https://docs.aws.amazon.com/lambda/latest/api/API_TagResource.html
func (s *Service) TagResource(_ context.Context, in *TagResourceInput) (*struct{}, *awswire.Error) {
	return nil, s.changeTags(in.Resource, func(tags map[string]string) *awswire.Error {
		for k, v := range in.Tags {
			tags[k] = v
		}
		return checkTags(in.Tags, len(tags))
	})
}

// UntagResourceInput names the resource and the keys to remove.
type UntagResourceInput struct {
	Resource string
	TagKeys  []string
}

func bindUntagResource(r *http.Request, in *UntagResourceInput) {
	in.Resource, in.TagKeys = r.PathValue("Resource"), r.URL.Query()["tagKeys"]
}

// UntagResource removes tags. https://docs.aws.amazon.com/lambda/latest/api/API_UntagResource.html
func (s *Service) UntagResource(_ context.Context, in *UntagResourceInput) (*struct{}, *awswire.Error) {
	return nil, s.changeTags(in.Resource, func(tags map[string]string) *awswire.Error {
		for _, k := range in.TagKeys {
			delete(tags, k)
		}
		return nil
	})
}

// ListTagsInput names the resource.
type ListTagsInput struct {
	Resource string
}

func (in *ListTagsInput) setResource(s string) { in.Resource = s }

// ListTagsOutput is the resource's tags.
type ListTagsOutput struct {
	Tags map[string]string `json:"Tags"`
}

// ListTags: https://docs.aws.amazon.com/lambda/latest/api/API_ListTags.html
func (s *Service) ListTags(_ context.Context, in *ListTagsInput) (*ListTagsOutput, *awswire.Error) {
	ref, e := s.taggedFunction(in.Resource)
	if e != nil {
		return nil, e
	}
	out := &ListTagsOutput{Tags: map[string]string{}}
	e = s.view(func(tx *store.Tx) error {
		rec, err := getFunction(tx, ref.Name)
		if err != nil {
			return err
		}
		if rec == nil {
			return abort(functionNotFound(s.refARN(ref)))
		}
		for k, v := range rec.Tags {
			out.Tags[k] = v
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}

// taggedFunction reads the Resource of the tag operations: a function's unqualified ARN.
func (s *Service) taggedFunction(resource string) (functionRef, *awswire.Error) {
	if !strings.HasPrefix(resource, "arn:") {
		var v validation
		v.pattern("resource", resource, `arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:(function:[a-zA-Z0-9-_]+(:(\$LATEST|[a-zA-Z0-9-_]+))?|layer:([a-zA-Z0-9-_]+)|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})`)
		return functionRef{}, v.err()
	}
	ref, e := parseFunctionName(resource, true)
	if e != nil {
		return ref, invalidParameter("The lambdatrigger simulator tags functions only; %s is not a function ARN.", resource)
	}
	if ref.Qualifier != "" {
		return ref, invalidParameter("Tags on function aliases and versions are not supported. Please specify a function ARN.")
	}
	if !s.ours(ref) {
		return ref, functionNotFound(s.refARN(ref))
	}
	return ref, nil
}

func (s *Service) changeTags(resource string, change func(tags map[string]string) *awswire.Error) *awswire.Error {
	ref, e := s.taggedFunction(resource)
	if e != nil {
		return e
	}
	return s.update(func(tx *store.Tx) error {
		rec, err := getFunction(tx, ref.Name)
		if err != nil {
			return err
		}
		if rec == nil {
			return abort(functionNotFound(s.refARN(ref)))
		}
		if rec.Tags == nil {
			rec.Tags = map[string]string{}
		}
		if e := change(rec.Tags); e != nil {
			return abort(e)
		}
		if len(rec.Tags) == 0 {
			rec.Tags = nil
		}
		return putFunction(tx, rec)
	})
}
