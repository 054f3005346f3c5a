package apigatewayv2

import (
	"context"
	"net/http"
	"regexp"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// routeKeyPattern: "$default", or a method (or ANY) and a path whose segments are literals or
// {name} variables, with a greedy {name+} allowed only last
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html).
var routeKeyPattern = regexp.MustCompile(`^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) (/|(/([a-zA-Z0-9._~:@!$&'()*,;=-]+|\{[a-zA-Z0-9._-]+\}))+(/\{[a-zA-Z0-9._-]+\+\})?|/\{[a-zA-Z0-9._-]+\+\})$`)

func validRouteKey(k string) bool { return k == "$default" || routeKeyPattern.MatchString(k) }

// CreateRouteInput is https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-routes.html#CreateRoute.
type CreateRouteInput struct {
	APIID             string `json:"-"`
	RouteKey          string `json:"routeKey"`
	Target            string `json:"target"`
	AuthorizationType string `json:"authorizationType"`
	APIKeyRequired    bool   `json:"apiKeyRequired"`
	OperationName     string `json:"operationName"`
}

func (in *CreateRouteInput) bind(r *http.Request) { in.APIID = r.PathValue("apiId") }

// CreateRoute adds a route; its target is "integrations/<integration id>".
func (s *Service) CreateRoute(_ context.Context, in *CreateRouteInput) (*Route, *awswire.Error) {
	if !validRouteKey(in.RouteKey) {
		return nil, badRequest("Unable to create route %s. The route key must be $default or an HTTP method and a resource path, e.g. \"GET /pets\"", in.RouteKey)
	}
	if in.AuthorizationType == "" {
		in.AuthorizationType = "NONE"
	}
	switch in.AuthorizationType {
	case "NONE", "AWS_IAM", "JWT", "CUSTOM":
	default:
		return nil, badRequest("Invalid authorization type specified: %s", in.AuthorizationType)
	}
	out := Route{RouteID: newID(7), RouteKey: in.RouteKey, Target: in.Target, AuthorizationType: in.AuthorizationType,
		APIKeyRequired: in.APIKeyRequired, OperationName: in.OperationName}
	e := s.update(in.APIID, func(doc *apiDoc) *awswire.Error {
		if in.Target != "" {
			id, ok := strings.CutPrefix(in.Target, "integrations/")
			if !ok || doc.Integrations[id] == nil {
				return badRequest("Invalid integration target specified: %s", in.Target)
			}
		}
		for _, r := range doc.Routes {
			if r.RouteKey == in.RouteKey {
				return conflict("Route with key %s already exists for this API", in.RouteKey)
			}
		}
		doc.Routes[out.RouteID] = &out
		s.autoDeploy(doc, s.now())
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &out, nil
}

// GetRouteInput names one route.
type GetRouteInput struct{ APIID, RouteID string }

func (in *GetRouteInput) bind(r *http.Request) {
	in.APIID, in.RouteID = r.PathValue("apiId"), r.PathValue("routeId")
}

// GetRoute describes one route.
func (s *Service) GetRoute(_ context.Context, in *GetRouteInput) (*Route, *awswire.Error) {
	var out Route
	e := s.view(in.APIID, func(doc *apiDoc) *awswire.Error {
		r := doc.Routes[in.RouteID]
		if r == nil {
			return errRouteNotFound(in.RouteID)
		}
		out = *r
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &out, nil
}

// GetRoutesInput names an API.
type GetRoutesInput struct{ APIID string }

func (in *GetRoutesInput) bind(r *http.Request) { in.APIID = r.PathValue("apiId") }

// GetRoutesOutput lists routes.
type GetRoutesOutput struct {
	Items []Route `json:"items"`
}

// GetRoutes lists an API's routes.
func (s *Service) GetRoutes(_ context.Context, in *GetRoutesInput) (*GetRoutesOutput, *awswire.Error) {
	out := &GetRoutesOutput{Items: []Route{}}
	e := s.view(in.APIID, func(doc *apiDoc) *awswire.Error {
		for _, k := range sortedKeys(doc.Routes) {
			out.Items = append(out.Items, *doc.Routes[k])
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}

// DeleteRouteInput names one route.
type DeleteRouteInput struct{ APIID, RouteID string }

func (in *DeleteRouteInput) bind(r *http.Request) {
	in.APIID, in.RouteID = r.PathValue("apiId"), r.PathValue("routeId")
}

// DeleteRoute deletes a route.
func (s *Service) DeleteRoute(_ context.Context, in *DeleteRouteInput) (*Empty, *awswire.Error) {
	e := s.update(in.APIID, func(doc *apiDoc) *awswire.Error {
		if doc.Routes[in.RouteID] == nil {
			return errRouteNotFound(in.RouteID)
		}
		delete(doc.Routes, in.RouteID)
		s.autoDeploy(doc, s.now())
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &Empty{}, nil
}
