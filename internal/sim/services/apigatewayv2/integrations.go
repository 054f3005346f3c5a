package apigatewayv2

import (
	"context"
	"net/http"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// HTTP API integration timeouts: 50 ms to 30 s, default 30 s
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html).
const (
	MinTimeoutMillis     = 50
	DefaultTimeoutMillis = 30000
	MaxTimeoutMillis     = 30000
)

var integrationTypes = map[string]bool{"AWS": true, "AWS_PROXY": true, "HTTP": true, "HTTP_PROXY": true, "MOCK": true}

// CreateIntegrationInput is
// https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-integrations.html#CreateIntegration.
type CreateIntegrationInput struct {
	APIID                string `json:"-"`
	IntegrationType      string `json:"integrationType"`
	IntegrationURI       string `json:"integrationUri"`
	IntegrationMethod    string `json:"integrationMethod"`
	PayloadFormatVersion string `json:"payloadFormatVersion"`
	TimeoutInMillis      *int   `json:"timeoutInMillis"`
	ConnectionType       string `json:"connectionType"`
	Description          string `json:"description"`
	CredentialsARN       string `json:"credentialsArn"`
}

func (in *CreateIntegrationInput) bind(r *http.Request) { in.APIID = r.PathValue("apiId") }

// CreateIntegration adds an integration. The front door serves AWS_PROXY integrations with a
// Lambda function (its ARN, or the apigateway invocations URI); others are stored and answer 500.
func (s *Service) CreateIntegration(_ context.Context, in *CreateIntegrationInput) (*Integration, *awswire.Error) {
	if !integrationTypes[in.IntegrationType] {
		return nil, badRequest("Invalid integration type specified. Valid options are AWS,AWS_PROXY,HTTP,HTTP_PROXY,MOCK")
	}
	out := Integration{IntegrationID: newID(7), IntegrationType: in.IntegrationType, IntegrationURI: in.IntegrationURI,
		IntegrationMethod: in.IntegrationMethod, PayloadFormatVersion: in.PayloadFormatVersion,
		TimeoutInMillis: DefaultTimeoutMillis, ConnectionType: in.ConnectionType, Description: in.Description,
		CredentialsARN: in.CredentialsARN}
	if out.ConnectionType == "" {
		out.ConnectionType = "INTERNET"
	}
	if in.IntegrationType == "AWS_PROXY" {
		if _, ok := LambdaFunctionARN(in.IntegrationURI); !ok {
			return nil, badRequest("Invalid integration URI specified. For AWS_PROXY integrations the URI must be a Lambda function ARN or its invocation URI")
		}
		if out.IntegrationMethod == "" {
			out.IntegrationMethod = "POST"
		}
	}
	switch out.PayloadFormatVersion {
	case "1.0", "2.0":
	case "":
		if in.IntegrationType == "AWS_PROXY" {
			return nil, badRequest("PayloadFormatVersion is required for AWS_PROXY integrations of HTTP APIs; supported values are 1.0 and 2.0")
		}
		out.PayloadFormatVersion = "1.0"
	default:
		return nil, badRequest("Invalid payload format version specified: %s. Supported values are 1.0 and 2.0", out.PayloadFormatVersion)
	}
	if in.TimeoutInMillis != nil {
		if *in.TimeoutInMillis < MinTimeoutMillis || *in.TimeoutInMillis > MaxTimeoutMillis {
			return nil, badRequest("Timeout must be between %d ms and %d ms", MinTimeoutMillis, MaxTimeoutMillis)
		}
		out.TimeoutInMillis = *in.TimeoutInMillis
	}
	e := s.update(in.APIID, func(doc *apiDoc) *awswire.Error {
		doc.Integrations[out.IntegrationID] = &out
		s.autoDeploy(doc, s.now())
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &out, nil
}

// GetIntegrationInput names one integration.
type GetIntegrationInput struct{ APIID, IntegrationID string }

func (in *GetIntegrationInput) bind(r *http.Request) {
	in.APIID, in.IntegrationID = r.PathValue("apiId"), r.PathValue("integrationId")
}

// GetIntegration describes one integration.
func (s *Service) GetIntegration(_ context.Context, in *GetIntegrationInput) (*Integration, *awswire.Error) {
	var out Integration
	e := s.view(in.APIID, func(doc *apiDoc) *awswire.Error {
		i := doc.Integrations[in.IntegrationID]
		if i == nil {
			return errIntegrationNotFound(in.IntegrationID)
		}
		out = *i
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &out, nil
}

// GetIntegrationsInput names an API.
type GetIntegrationsInput struct{ APIID string }

func (in *GetIntegrationsInput) bind(r *http.Request) { in.APIID = r.PathValue("apiId") }

// GetIntegrationsOutput lists integrations.
type GetIntegrationsOutput struct {
	Items []Integration `json:"items"`
}

// GetIntegrations lists an API's integrations.
func (s *Service) GetIntegrations(_ context.Context, in *GetIntegrationsInput) (*GetIntegrationsOutput, *awswire.Error) {
	out := &GetIntegrationsOutput{Items: []Integration{}}
	e := s.view(in.APIID, func(doc *apiDoc) *awswire.Error {
		for _, k := range sortedKeys(doc.Integrations) {
			out.Items = append(out.Items, *doc.Integrations[k])
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}

// DeleteIntegrationInput names one integration.
type DeleteIntegrationInput struct{ APIID, IntegrationID string }

func (in *DeleteIntegrationInput) bind(r *http.Request) {
	in.APIID, in.IntegrationID = r.PathValue("apiId"), r.PathValue("integrationId")
}

// DeleteIntegration deletes an integration no route targets.
func (s *Service) DeleteIntegration(_ context.Context, in *DeleteIntegrationInput) (*Empty, *awswire.Error) {
	e := s.update(in.APIID, func(doc *apiDoc) *awswire.Error {
		if doc.Integrations[in.IntegrationID] == nil {
			return errIntegrationNotFound(in.IntegrationID)
		}
		for _, r := range doc.Routes {
			if r.Target == "integrations/"+in.IntegrationID {
				return conflict("Integration %s is in use by route %s", in.IntegrationID, r.RouteKey)
			}
		}
		delete(doc.Integrations, in.IntegrationID)
		s.autoDeploy(doc, s.now())
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &Empty{}, nil
}

// LambdaFunctionARN extracts the function ARN from an HTTP API integration URI: a function ARN
// (alias or version qualified or not), or the invocations URI
// arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations.
func LambdaFunctionARN(uri string) (string, bool) {
	if strings.HasPrefix(uri, "arn:") && strings.Contains(uri, ":lambda:") && strings.Contains(uri, ":function:") && !strings.Contains(uri, "/") {
		return uri, true
	}
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
