package apigateway

import (
	"context"
	"net/http"
	"sort"
	"strconv"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// CreateRestApiInput is https://docs.aws.amazon.com/apigateway/latest/api/API_CreateRestApi.html.
type CreateRestApiInput struct {
	Name                      string                 `json:"name"`
	Description               string                 `json:"description"`
	Version                   string                 `json:"version"`
	BinaryMediaTypes          []string               `json:"binaryMediaTypes"`
	APIKeySource              string                 `json:"apiKeySource"`
	EndpointConfiguration     *EndpointConfiguration `json:"endpointConfiguration"`
	DisableExecuteAPIEndpoint bool                   `json:"disableExecuteApiEndpoint"`
	Tags                      map[string]string      `json:"tags"`
}

// CreateRestApi creates a REST API with its root resource "/".
func (s *Service) CreateRestApi(_ context.Context, in *CreateRestApiInput) (*RestAPI, *awswire.Error) {
	if in.Name == "" {
		return nil, badRequest("Invalid REST API name specified: the name must not be empty")
	}
	if in.APIKeySource == "" {
		in.APIKeySource = "HEADER"
	}
	if in.APIKeySource != "HEADER" && in.APIKeySource != "AUTHORIZER" {
		return nil, badRequest("Invalid API Key source specified: %s", in.APIKeySource)
	}
	if in.EndpointConfiguration == nil || len(in.EndpointConfiguration.Types) == 0 {
		// AWS's default endpoint type for a new REST API.
		in.EndpointConfiguration = &EndpointConfiguration{Types: []string{"EDGE"}}
	}
	for _, t := range in.EndpointConfiguration.Types {
		if t != "EDGE" && t != "REGIONAL" && t != "PRIVATE" {
			return nil, badRequest("Invalid endpoint configuration type specified: %s", t)
		}
	}
	api := RestAPI{
		ID:                        newID(10),
		Name:                      in.Name,
		Description:               in.Description,
		Version:                   in.Version,
		CreatedDate:               s.now(),
		BinaryMediaTypes:          in.BinaryMediaTypes,
		APIKeySource:              in.APIKeySource,
		EndpointConfiguration:     in.EndpointConfiguration,
		DisableExecuteAPIEndpoint: in.DisableExecuteAPIEndpoint,
		RootResourceID:            newID(10),
		Tags:                      in.Tags,
	}
	doc := restAPIDoc{
		API:         api,
		Resources:   map[string]*Resource{api.RootResourceID: {ID: api.RootResourceID, Path: "/"}},
		Deployments: map[string]*deploymentDoc{},
		Stages:      map[string]*Stage{},
	}
	if err := s.store.Update(func(tx *store.Tx) error { return tx.Put(bucket, api.ID, &doc) }); err != nil {
		return nil, awswire.InternalError(err)
	}
	s.log.Info("created REST API", "id", api.ID, "name", api.Name)
	return &api, nil
}

// GetRestApiInput is https://docs.aws.amazon.com/apigateway/latest/api/API_GetRestApi.html.
type GetRestApiInput struct{ RestAPIID string }

func (in *GetRestApiInput) bind(r *http.Request) { in.RestAPIID = r.PathValue("restApiId") }

// GetRestApi describes one REST API.
func (s *Service) GetRestApi(_ context.Context, in *GetRestApiInput) (*RestAPI, *awswire.Error) {
	var out RestAPI
	e := s.view(in.RestAPIID, func(doc *restAPIDoc) *awswire.Error { out = doc.API; return nil })
	if e != nil {
		return nil, e
	}
	return &out, nil
}

// GetRestApisInput is https://docs.aws.amazon.com/apigateway/latest/api/API_GetRestApis.html.
type GetRestApisInput struct {
	Limit    int
	Position string
}

func (in *GetRestApisInput) bind(r *http.Request) {
	in.Limit, _ = strconv.Atoi(r.URL.Query().Get("limit"))
	in.Position = r.URL.Query().Get("position")
}

// GetRestApisOutput is a page of REST APIs.
type GetRestApisOutput struct {
	Items    []RestAPI `json:"item"`
	Position string    `json:"position,omitempty"`
}

// GetRestApis lists REST APIs in id order, a page at a time (limit default 25, at most 500).
func (s *Service) GetRestApis(_ context.Context, in *GetRestApisInput) (*GetRestApisOutput, *awswire.Error) {
	limit, e := pageLimit(in.Limit)
	if e != nil {
		return nil, e
	}
	out := &GetRestApisOutput{Items: []RestAPI{}}
	err := s.store.View(func(tx *store.Tx) error {
		return tx.ForEachAfter(bucket, in.Position, func(key string, v []byte) error {
			if len(out.Items) == limit {
				out.Position = out.Items[len(out.Items)-1].ID
				return store.ErrStop
			}
			var doc restAPIDoc
			if err := awswire.DecodeJSON(v, &doc); err != nil {
				return err
			}
			out.Items = append(out.Items, doc.API)
			return nil
		})
	})
	if err != nil {
		return nil, awswire.InternalError(err)
	}
	return out, nil
}

// DeleteRestApiInput is https://docs.aws.amazon.com/apigateway/latest/api/API_DeleteRestApi.html.
type DeleteRestApiInput struct{ RestAPIID string }

func (in *DeleteRestApiInput) bind(r *http.Request) { in.RestAPIID = r.PathValue("restApiId") }

// DeleteRestApi deletes a REST API with its stages: its URLs stop answering at once.
func (s *Service) DeleteRestApi(_ context.Context, in *DeleteRestApiInput) (*Empty, *awswire.Error) {
	var e *awswire.Error
	err := s.store.Update(func(tx *store.Tx) error {
		if _, e = load(tx, in.RestAPIID); e != nil {
			return nil
		}
		return tx.Delete(bucket, in.RestAPIID)
	})
	if err != nil {
		return nil, awswire.InternalError(err)
	}
	if e != nil {
		return nil, e
	}
	return &Empty{}, nil
}

// pageLimit applies API Gateway's paging bounds: default 25, at most 500.
func pageLimit(n int) (int, *awswire.Error) {
	switch {
	case n == 0:
		return 25, nil
	case n < 1 || n > 500:
		return 0, badRequest("Invalid limit specified: must be between 1 and 500")
	}
	return n, nil
}

// sortedResources lists resources by path, the order the console shows them.
func sortedResources(m map[string]*Resource) []*Resource {
	out := make([]*Resource, 0, len(m))
	for _, r := range m {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}
