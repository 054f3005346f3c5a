package apigatewayv2

import (
	"context"
	"net/http"
	"sort"
	"strconv"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// DefaultStage is the stage served at the API's root URL, without a stage segment.
const DefaultStage = "$default"

// CreateApiInput is https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis.html#CreateApi.
type CreateApiInput struct {
	Name                      string            `json:"name"`
	ProtocolType              string            `json:"protocolType"`
	Description               string            `json:"description"`
	Version                   string            `json:"version"`
	RouteKey                  string            `json:"routeKey"`
	RouteSelectionExpression  string            `json:"routeSelectionExpression"`
	Target                    string            `json:"target"`
	DisableExecuteAPIEndpoint bool              `json:"disableExecuteApiEndpoint"`
	Tags                      map[string]string `json:"tags"`
}

// CreateApi creates an HTTP API. With Target it is AWS's quick create: an integration, a
// catch-all route ($default unless RouteKey says otherwise) and a $default stage that deploys
// automatically, all managed by API Gateway
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-basic-concept.html#apigateway-definition-quick-create).
func (s *Service) CreateApi(_ context.Context, in *CreateApiInput) (*API, *awswire.Error) {
	if in.Name == "" {
		return nil, badRequest("Name is required for an API")
	}
	switch in.ProtocolType {
	case "HTTP":
	case "WEBSOCKET":
		return nil, badRequest("The lambdatrigger simulator serves HTTP APIs only, not WEBSOCKET APIs")
	default:
		return nil, badRequest("Invalid protocol specified. Must be one of [HTTP, WEBSOCKET]")
	}
	if in.Target == "" && in.RouteKey != "" {
		return nil, badRequest("RouteKey can only be specified together with Target (quick create)")
	}
	now := s.now()
	id := newID(10)
	api := API{
		APIID: id, Name: in.Name, ProtocolType: in.ProtocolType, APIEndpoint: s.apiEndpoint(id),
		APIKeySelectionExpression: "$request.header.x-api-key",
		RouteSelectionExpression:  "$request.method $request.path",
		Description:               in.Description, Version: in.Version,
		DisableExecuteAPIEndpoint: in.DisableExecuteAPIEndpoint, CreatedDate: now, Tags: in.Tags,
	}
	if api.Tags == nil {
		api.Tags = map[string]string{}
	}
	doc := apiDoc{API: api, Integrations: map[string]*Integration{}, Routes: map[string]*Route{},
		Stages: map[string]*Stage{}, Deployments: map[string]*deploymentDoc{}}
	if in.Target != "" {
		if e := s.quickCreate(&doc, in, now); e != nil {
			return nil, e
		}
	}
	if err := s.store.Update(func(tx *store.Tx) error { return tx.Put(bucket, id, &doc) }); err != nil {
		return nil, awswire.InternalError(err)
	}
	s.log.Info("created HTTP API", "id", id, "name", in.Name, "quickCreate", in.Target != "")
	return &api, nil
}

func (s *Service) quickCreate(doc *apiDoc, in *CreateApiInput, now Timestamp) *awswire.Error {
	routeKey := in.RouteKey
	if routeKey == "" {
		routeKey = "$default"
	}
	if !validRouteKey(routeKey) {
		return badRequest("Invalid route key: %s", routeKey)
	}
	integ := Integration{IntegrationID: newID(7), IntegrationMethod: "POST", IntegrationURI: in.Target,
		TimeoutInMillis: DefaultTimeoutMillis, ConnectionType: "INTERNET", APIGatewayManaged: true}
	if _, ok := LambdaFunctionARN(in.Target); ok {
		// Quick create with a Lambda target uses payload format 2.0.
		integ.IntegrationType, integ.PayloadFormatVersion = "AWS_PROXY", "2.0"
	} else {
		integ.IntegrationType, integ.PayloadFormatVersion = "HTTP_PROXY", "1.0"
		integ.IntegrationMethod = "ANY"
	}
	doc.Integrations[integ.IntegrationID] = &integ
	route := Route{RouteID: newID(7), RouteKey: routeKey, Target: "integrations/" + integ.IntegrationID,
		AuthorizationType: "NONE", APIGatewayManaged: true}
	doc.Routes[route.RouteID] = &route
	doc.Stages[DefaultStage] = &Stage{StageName: DefaultStage, AutoDeploy: true, CreatedDate: now, LastUpdatedDate: now,
		DefaultRouteSettings: &RouteSettings{}, RouteSettings: map[string]any{}, Tags: map[string]string{}, APIGatewayManaged: true}
	s.autoDeploy(doc, now)
	return nil
}

// GetApiInput is https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid.html#GetApi.
type GetApiInput struct{ APIID string }

func (in *GetApiInput) bind(r *http.Request) { in.APIID = r.PathValue("apiId") }

// GetApi describes one HTTP API.
func (s *Service) GetApi(_ context.Context, in *GetApiInput) (*API, *awswire.Error) {
	var out API
	e := s.view(in.APIID, func(doc *apiDoc) *awswire.Error { out = doc.API; return nil })
	if e != nil {
		return nil, e
	}
	return &out, nil
}

// GetApisInput is https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis.html#GetApis.
type GetApisInput struct {
	MaxResults int
	NextToken  string
}

func (in *GetApisInput) bind(r *http.Request) {
	in.MaxResults, _ = strconv.Atoi(r.URL.Query().Get("maxResults"))
	in.NextToken = r.URL.Query().Get("nextToken")
}

// GetApisOutput is a page of APIs.
type GetApisOutput struct {
	Items     []API  `json:"items"`
	NextToken string `json:"nextToken,omitempty"`
}

// GetApis lists HTTP APIs in id order; the next token is the last id of the page.
func (s *Service) GetApis(_ context.Context, in *GetApisInput) (*GetApisOutput, *awswire.Error) {
	limit := in.MaxResults
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	out := &GetApisOutput{Items: []API{}}
	err := s.store.View(func(tx *store.Tx) error {
		return tx.ForEachAfter(bucket, in.NextToken, func(_ string, v []byte) error {
			if len(out.Items) == limit {
				out.NextToken = out.Items[len(out.Items)-1].APIID
				return store.ErrStop
			}
			var doc apiDoc
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

// DeleteApiInput is https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid.html#DeleteApi.
type DeleteApiInput struct{ APIID string }

func (in *DeleteApiInput) bind(r *http.Request) { in.APIID = r.PathValue("apiId") }

// DeleteApi deletes an HTTP API with everything in it.
func (s *Service) DeleteApi(_ context.Context, in *DeleteApiInput) (*Empty, *awswire.Error) {
	var e *awswire.Error
	err := s.store.Update(func(tx *store.Tx) error {
		if _, e = s.load(tx, in.APIID); e != nil {
			return nil
		}
		return tx.Delete(bucket, in.APIID)
	})
	if err != nil {
		return nil, awswire.InternalError(err)
	}
	if e != nil {
		return nil, e
	}
	return &Empty{}, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
