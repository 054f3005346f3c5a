package apigateway

import (
	"context"
	"net/http"
	"regexp"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// pathPartPattern is the rule AWS states in its error: a-zA-Z0-9._- and curly braces at the
// beginning and the end, with an optional plus sign before the closing brace.
var pathPartPattern = regexp.MustCompile(`^([a-zA-Z0-9._-]+|\{[a-zA-Z0-9._-]+\+?\})$`)

// GetResourcesInput is https://docs.aws.amazon.com/apigateway/latest/api/API_GetResources.html.
type GetResourcesInput struct {
	RestAPIID string
	Limit     int
	Position  string
	Embed     []string
}

func (in *GetResourcesInput) bind(r *http.Request) {
	in.RestAPIID = r.PathValue("restApiId")
	q := r.URL.Query()
	in.Position = q.Get("position")
	in.Embed = q["embed"]
	if l := q.Get("limit"); l != "" {
		in.Limit = atoiOr(l, -1)
	}
}

// GetResourcesOutput is a page of resources.
type GetResourcesOutput struct {
	Items    []*Resource `json:"item"`
	Position string      `json:"position,omitempty"`
}

// GetResources lists a REST API's resources; methods are included only with embed=methods.
func (s *Service) GetResources(_ context.Context, in *GetResourcesInput) (*GetResourcesOutput, *awswire.Error) {
	limit, e := pageLimit(in.Limit)
	if e != nil {
		return nil, e
	}
	embed := false
	for _, v := range in.Embed {
		for _, part := range strings.Split(v, ",") {
			embed = embed || part == "methods"
		}
	}
	out := &GetResourcesOutput{Items: []*Resource{}}
	e = s.view(in.RestAPIID, func(doc *restAPIDoc) *awswire.Error {
		started := in.Position == ""
		for _, r := range sortedResources(doc.Resources) {
			if !started {
				started = r.ID == in.Position
				continue
			}
			if len(out.Items) == limit {
				out.Position = out.Items[len(out.Items)-1].ID
				break
			}
			out.Items = append(out.Items, resourceView(r, embed))
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}

// resourceView is a resource as GetResource(s) answer it: resourceMethods lists the methods
// (empty objects) unless embedded.
func resourceView(r *Resource, embed bool) *Resource {
	v := *r
	if embed || len(r.ResourceMethods) == 0 {
		return &v
	}
	v.ResourceMethods = map[string]*Method{}
	for k := range r.ResourceMethods {
		v.ResourceMethods[k] = &Method{}
	}
	return &v
}

// GetResourceInput is https://docs.aws.amazon.com/apigateway/latest/api/API_GetResource.html.
type GetResourceInput struct {
	RestAPIID  string
	ResourceID string
	Embed      []string
}

func (in *GetResourceInput) bind(r *http.Request) {
	in.RestAPIID, in.ResourceID = r.PathValue("restApiId"), r.PathValue("resourceId")
	in.Embed = r.URL.Query()["embed"]
}

// GetResource describes one resource.
func (s *Service) GetResource(_ context.Context, in *GetResourceInput) (*Resource, *awswire.Error) {
	var out *Resource
	e := s.view(in.RestAPIID, func(doc *restAPIDoc) *awswire.Error {
		r := doc.Resources[in.ResourceID]
		if r == nil {
			return errResourceNotFound()
		}
		out = resourceView(r, len(in.Embed) > 0)
		return nil
	})
	return out, e
}

// CreateResourceInput is https://docs.aws.amazon.com/apigateway/latest/api/API_CreateResource.html.
type CreateResourceInput struct {
	RestAPIID string `json:"-"`
	ParentID  string `json:"-"`
	PathPart  string `json:"pathPart"`
}

func (in *CreateResourceInput) bind(r *http.Request) {
	in.RestAPIID, in.ParentID = r.PathValue("restApiId"), r.PathValue("resourceId")
}

// CreateResource adds a child resource: a literal path part, a {param}, or a greedy {proxy+}.
func (s *Service) CreateResource(_ context.Context, in *CreateResourceInput) (*Resource, *awswire.Error) {
	if !pathPartPattern.MatchString(in.PathPart) {
		return nil, badRequest("Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.")
	}
	var out Resource
	e := s.update(in.RestAPIID, func(doc *restAPIDoc) *awswire.Error {
		parent := doc.Resources[in.ParentID]
		if parent == nil {
			return errResourceNotFound()
		}
		if strings.HasSuffix(parent.PathPart, "+}") {
			return badRequest("Cannot create a child of a resource with a greedy path variable: %s", parent.Path)
		}
		for _, sib := range doc.Resources {
			if sib.ParentID != in.ParentID {
				continue
			}
			if sib.PathPart == in.PathPart {
				return conflict("Another resource with the same parent already has this name: %s", in.PathPart)
			}
			if isVariable(sib.PathPart) && isVariable(in.PathPart) {
				return badRequest("A sibling (%s) of this resource already has a variable path part -- only one is allowed", sib.PathPart)
			}
		}
		path := strings.TrimSuffix(parent.Path, "/") + "/" + in.PathPart
		out = Resource{ID: newID(6), ParentID: parent.ID, PathPart: in.PathPart, Path: path}
		doc.Resources[out.ID] = &out
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &out, nil
}

// DeleteResourceInput is https://docs.aws.amazon.com/apigateway/latest/api/API_DeleteResource.html.
type DeleteResourceInput struct {
	RestAPIID  string
	ResourceID string
}

func (in *DeleteResourceInput) bind(r *http.Request) {
	in.RestAPIID, in.ResourceID = r.PathValue("restApiId"), r.PathValue("resourceId")
}

// DeleteResource deletes a resource and everything below it; the root cannot be deleted.
func (s *Service) DeleteResource(_ context.Context, in *DeleteResourceInput) (*Empty, *awswire.Error) {
	e := s.update(in.RestAPIID, func(doc *restAPIDoc) *awswire.Error {
		r := doc.Resources[in.ResourceID]
		if r == nil {
			return errResourceNotFound()
		}
		if r.ID == doc.API.RootResourceID {
			return badRequest("Cannot delete the root resource")
		}
		for id, other := range doc.Resources {
			if id == r.ID || strings.HasPrefix(other.Path, r.Path+"/") {
				delete(doc.Resources, id)
			}
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &Empty{}, nil
}

func isVariable(part string) bool { return strings.HasPrefix(part, "{") }

func atoiOr(s string, def int) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' || n > 1e6 {
			return def
		}
		n = n*10 + int(c-'0')
	}
	return n
}
