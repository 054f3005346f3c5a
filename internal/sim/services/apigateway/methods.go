package apigateway

import (
	"context"
	"net/http"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// Integration timeouts (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html):
// 50 ms to 29 s, default 29 s. Since June 2024 Regional and private REST APIs may raise the
// limit above 29 s through a quota increase
// (https://aws.amazon.com/about-aws/whats-new/2024/06/amazon-api-gateway-integration-timeout-limit-29-seconds/);
// the simulator grants that increase to REGIONAL and PRIVATE APIs, up to MaxRaisedTimeoutMillis.
const (
	MinTimeoutMillis       = 50
	DefaultTimeoutMillis   = 29000
	MaxRaisedTimeoutMillis = 900000
)

var httpMethods = map[string]bool{"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true, "OPTIONS": true, "ANY": true}

var authorizationTypes = map[string]bool{"NONE": true, "AWS_IAM": true, "CUSTOM": true, "COGNITO_USER_POOLS": true}

var integrationTypes = map[string]bool{"AWS": true, "AWS_PROXY": true, "HTTP": true, "HTTP_PROXY": true, "MOCK": true}

// methodRef names a method in the URI: /restapis/{restApiId}/resources/{resourceId}/methods/{httpMethod}.
type methodRef struct {
	RestAPIID  string `json:"-"`
	ResourceID string `json:"-"`
	HTTPMethod string `json:"-"`
}

func (m *methodRef) bindRef(r *http.Request) {
	m.RestAPIID, m.ResourceID = r.PathValue("restApiId"), r.PathValue("resourceId")
	m.HTTPMethod = strings.ToUpper(r.PathValue("httpMethod"))
}

// PutMethodInput is https://docs.aws.amazon.com/apigateway/latest/api/API_PutMethod.html.
type PutMethodInput struct {
	methodRef
	AuthorizationType string          `json:"authorizationType"`
	AuthorizerID      string          `json:"authorizerId"`
	APIKeyRequired    bool            `json:"apiKeyRequired"`
	OperationName     string          `json:"operationName"`
	RequestParameters map[string]bool `json:"requestParameters"`
}

func (in *PutMethodInput) bind(r *http.Request) { in.bindRef(r) }

// PutMethod adds a method to a resource.
func (s *Service) PutMethod(_ context.Context, in *PutMethodInput) (*Method, *awswire.Error) {
	if !httpMethods[in.HTTPMethod] {
		return nil, badRequest("Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY")
	}
	if !authorizationTypes[in.AuthorizationType] {
		return nil, badRequest("Invalid authorization type specified. Valid options are NONE, AWS_IAM, CUSTOM, COGNITO_USER_POOLS")
	}
	var out Method
	e := s.update(in.RestAPIID, func(doc *restAPIDoc) *awswire.Error {
		r := doc.Resources[in.ResourceID]
		if r == nil {
			return errResourceNotFound()
		}
		if r.ResourceMethods[in.HTTPMethod] != nil {
			return conflict("Method already exists for this resource")
		}
		out = Method{HTTPMethod: in.HTTPMethod, AuthorizationType: in.AuthorizationType, AuthorizerID: in.AuthorizerID,
			APIKeyRequired: in.APIKeyRequired, OperationName: in.OperationName, RequestParameters: in.RequestParameters}
		if r.ResourceMethods == nil {
			r.ResourceMethods = map[string]*Method{}
		}
		r.ResourceMethods[in.HTTPMethod] = &out
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &out, nil
}

// GetMethodInput is https://docs.aws.amazon.com/apigateway/latest/api/API_GetMethod.html.
type GetMethodInput struct{ methodRef }

func (in *GetMethodInput) bind(r *http.Request) { in.bindRef(r) }

// GetMethod describes a method with its integration.
func (s *Service) GetMethod(_ context.Context, in *GetMethodInput) (*Method, *awswire.Error) {
	var out Method
	e := s.view(in.RestAPIID, func(doc *restAPIDoc) *awswire.Error {
		m, e := findMethod(doc, in.methodRef)
		if e == nil {
			out = *m
		}
		return e
	})
	if e != nil {
		return nil, e
	}
	return &out, nil
}

// DeleteMethodInput is https://docs.aws.amazon.com/apigateway/latest/api/API_DeleteMethod.html.
type DeleteMethodInput struct{ methodRef }

func (in *DeleteMethodInput) bind(r *http.Request) { in.bindRef(r) }

// DeleteMethod removes a method and its integration.
func (s *Service) DeleteMethod(_ context.Context, in *DeleteMethodInput) (*Empty, *awswire.Error) {
	e := s.update(in.RestAPIID, func(doc *restAPIDoc) *awswire.Error {
		if _, e := findMethod(doc, in.methodRef); e != nil {
			return e
		}
		delete(doc.Resources[in.ResourceID].ResourceMethods, in.HTTPMethod)
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &Empty{}, nil
}

// PutIntegrationInput is https://docs.aws.amazon.com/apigateway/latest/api/API_PutIntegration.html.
// The integration's own HTTP method travels as "httpMethod" in the body.
type PutIntegrationInput struct {
	methodRef
	Type                  string            `json:"type"`
	IntegrationHTTPMethod string            `json:"httpMethod"`
	URI                   string            `json:"uri"`
	ConnectionType        string            `json:"connectionType"`
	Credentials           string            `json:"credentials"`
	RequestParameters     map[string]string `json:"requestParameters"`
	RequestTemplates      map[string]string `json:"requestTemplates"`
	PassthroughBehavior   string            `json:"passthroughBehavior"`
	ContentHandling       string            `json:"contentHandling"`
	TimeoutInMillis       *int              `json:"timeoutInMillis"`
	CacheNamespace        string            `json:"cacheNamespace"`
	CacheKeyParameters    []string          `json:"cacheKeyParameters"`
}

func (in *PutIntegrationInput) bind(r *http.Request) { in.bindRef(r) }

// PutIntegration sets (or replaces) a method's integration. The front door serves AWS_PROXY
// integrations with Lambda; the other types are stored, and answered with 500 when called.
func (s *Service) PutIntegration(_ context.Context, in *PutIntegrationInput) (*Integration, *awswire.Error) {
	if !integrationTypes[in.Type] {
		return nil, badRequest("Invalid integration type specified. Valid options are HTTP,HTTP_PROXY,AWS,AWS_PROXY,MOCK")
	}
	if in.Type != "MOCK" && in.IntegrationHTTPMethod == "" {
		return nil, badRequest("Enumeration value for HttpMethod must be non-empty")
	}
	if in.Type == "AWS" || in.Type == "AWS_PROXY" {
		if !strings.HasPrefix(in.URI, "arn:") {
			return nil, badRequest("Invalid ARN specified in the request")
		}
		if in.Type == "AWS_PROXY" {
			if _, ok := LambdaFunctionARN(in.URI); !ok && !strings.Contains(in.URI, ":firehose:") {
				return nil, badRequest("Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.")
			}
		}
	}
	out := Integration{
		Type: in.Type, HTTPMethod: in.IntegrationHTTPMethod, URI: in.URI, ConnectionType: in.ConnectionType,
		Credentials: in.Credentials, RequestParameters: in.RequestParameters, RequestTemplates: in.RequestTemplates,
		PassthroughBehavior: in.PassthroughBehavior, ContentHandling: in.ContentHandling,
		TimeoutInMillis: DefaultTimeoutMillis, CacheNamespace: in.CacheNamespace, CacheKeyParameters: in.CacheKeyParameters,
	}
	if out.CacheKeyParameters == nil {
		out.CacheKeyParameters = []string{}
	}
	if out.PassthroughBehavior == "" {
		out.PassthroughBehavior = "WHEN_NO_MATCH"
	}
	if out.ConnectionType == "" {
		out.ConnectionType = "INTERNET"
	}
	e := s.update(in.RestAPIID, func(doc *restAPIDoc) *awswire.Error {
		m, e := findMethod(doc, in.methodRef)
		if e != nil {
			return e
		}
		if in.TimeoutInMillis != nil {
			max := DefaultTimeoutMillis
			if raisable(doc.API) {
				max = MaxRaisedTimeoutMillis
			}
			if *in.TimeoutInMillis < MinTimeoutMillis || *in.TimeoutInMillis > max {
				return badRequest("Timeout should be between %d ms and %d ms", MinTimeoutMillis, max)
			}
			out.TimeoutInMillis = *in.TimeoutInMillis
		}
		if out.CacheNamespace == "" {
			out.CacheNamespace = in.ResourceID
		}
		m.MethodIntegration = &out
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &out, nil
}

// raisable reports whether the API's integration timeout may exceed 29 s (Regional or private).
func raisable(api RestAPI) bool {
	if api.EndpointConfiguration == nil {
		return false
	}
	for _, t := range api.EndpointConfiguration.Types {
		if t == "REGIONAL" || t == "PRIVATE" {
			return true
		}
	}
	return false
}

// GetIntegrationInput is https://docs.aws.amazon.com/apigateway/latest/api/API_GetIntegration.html.
type GetIntegrationInput struct{ methodRef }

func (in *GetIntegrationInput) bind(r *http.Request) { in.bindRef(r) }

// GetIntegration describes a method's integration.
func (s *Service) GetIntegration(_ context.Context, in *GetIntegrationInput) (*Integration, *awswire.Error) {
	var out Integration
	e := s.view(in.RestAPIID, func(doc *restAPIDoc) *awswire.Error {
		m, e := findMethod(doc, in.methodRef)
		if e != nil {
			return e
		}
		if m.MethodIntegration == nil {
			return errIntegrationNotFound()
		}
		out = *m.MethodIntegration
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &out, nil
}

// DeleteIntegrationInput is https://docs.aws.amazon.com/apigateway/latest/api/API_DeleteIntegration.html.
type DeleteIntegrationInput struct{ methodRef }

func (in *DeleteIntegrationInput) bind(r *http.Request) { in.bindRef(r) }

// DeleteIntegration removes a method's integration.
func (s *Service) DeleteIntegration(_ context.Context, in *DeleteIntegrationInput) (*Empty, *awswire.Error) {
	e := s.update(in.RestAPIID, func(doc *restAPIDoc) *awswire.Error {
		m, e := findMethod(doc, in.methodRef)
		if e != nil {
			return e
		}
		if m.MethodIntegration == nil {
			return errIntegrationNotFound()
		}
		m.MethodIntegration = nil
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &Empty{}, nil
}

func findMethod(doc *restAPIDoc, ref methodRef) (*Method, *awswire.Error) {
	r := doc.Resources[ref.ResourceID]
	if r == nil {
		return nil, errResourceNotFound()
	}
	m := r.ResourceMethods[ref.HTTPMethod]
	if m == nil {
		return nil, errMethodNotFound()
	}
	return m, nil
}

// LambdaFunctionARN extracts the function ARN from a Lambda integration URI
// (arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations),
// the only form REST APIs take for Lambda proxy integrations.
func LambdaFunctionARN(uri string) (string, bool) {
	const marker = ":lambda:path/2015-03-31/functions/"
	i := strings.Index(uri, marker)
	if i < 0 || !strings.HasPrefix(uri, "arn:") || !strings.Contains(uri[:i], ":apigateway:") || !strings.HasSuffix(uri, "/invocations") {
		return "", false
	}
	fn := strings.TrimSuffix(uri[i+len(marker):], "/invocations")
	if fn == "" {
		return "", false
	}
	return fn, true
}
