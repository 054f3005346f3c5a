package apigatewayv2

import (
	"time"
)

// Wire types: members as the apigatewayv2 model names them (camelCase); timestamps ISO 8601.

// Timestamp marshals as ISO 8601 in UTC, seconds precision, as the service answers.
type Timestamp time.Time

// MarshalJSON writes "2006-01-02T15:04:05Z".
func (t Timestamp) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(t).UTC().Format("2006-01-02T15:04:05Z") + `"`), nil
}

// UnmarshalJSON reads what MarshalJSON wrote (the store's copy).
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	var tt time.Time
	if err := tt.UnmarshalJSON(b); err != nil {
		return err
	}
	*t = Timestamp(tt)
	return nil
}

// API is an HTTP API (https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid.html).
type API struct {
	APIID                     string            `json:"apiId"`
	Name                      string            `json:"name"`
	ProtocolType              string            `json:"protocolType"`
	APIEndpoint               string            `json:"apiEndpoint"`
	APIKeySelectionExpression string            `json:"apiKeySelectionExpression"`
	RouteSelectionExpression  string            `json:"routeSelectionExpression"`
	Description               string            `json:"description,omitempty"`
	Version                   string            `json:"version,omitempty"`
	DisableExecuteAPIEndpoint bool              `json:"disableExecuteApiEndpoint"`
	CreatedDate               Timestamp         `json:"createdDate"`
	Tags                      map[string]string `json:"tags"`
}

// Integration is an HTTP API integration
// (https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-integrations.html).
type Integration struct {
	IntegrationID        string `json:"integrationId"`
	IntegrationType      string `json:"integrationType"`
	IntegrationURI       string `json:"integrationUri,omitempty"`
	IntegrationMethod    string `json:"integrationMethod,omitempty"`
	PayloadFormatVersion string `json:"payloadFormatVersion,omitempty"`
	TimeoutInMillis      int    `json:"timeoutInMillis"`
	ConnectionType       string `json:"connectionType"`
	Description          string `json:"description,omitempty"`
	CredentialsARN       string `json:"credentialsArn,omitempty"`
	APIGatewayManaged    bool   `json:"apiGatewayManaged,omitempty"`
}

// Route is an HTTP API route (https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-routes.html).
type Route struct {
	RouteID           string `json:"routeId"`
	RouteKey          string `json:"routeKey"`
	Target            string `json:"target,omitempty"`
	AuthorizationType string `json:"authorizationType"`
	APIKeyRequired    bool   `json:"apiKeyRequired"`
	OperationName     string `json:"operationName,omitempty"`
	APIGatewayManaged bool   `json:"apiGatewayManaged,omitempty"`
}

// Stage is an HTTP API stage (https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-stages.html).
type Stage struct {
	StageName            string            `json:"stageName"`
	AutoDeploy           bool              `json:"autoDeploy"`
	DeploymentID         string            `json:"deploymentId,omitempty"`
	Description          string            `json:"description,omitempty"`
	StageVariables       map[string]string `json:"stageVariables,omitempty"`
	CreatedDate          Timestamp         `json:"createdDate"`
	LastUpdatedDate      Timestamp         `json:"lastUpdatedDate"`
	DefaultRouteSettings *RouteSettings    `json:"defaultRouteSettings"`
	RouteSettings        map[string]any    `json:"routeSettings"`
	Tags                 map[string]string `json:"tags"`
	APIGatewayManaged    bool              `json:"apiGatewayManaged,omitempty"`
}

// RouteSettings is a stage's default route settings.
type RouteSettings struct {
	DetailedMetricsEnabled bool `json:"detailedMetricsEnabled"`
}

// Deployment is a snapshot of an HTTP API
// (https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-deployments.html).
type Deployment struct {
	DeploymentID     string    `json:"deploymentId"`
	DeploymentStatus string    `json:"deploymentStatus"`
	Description      string    `json:"description,omitempty"`
	AutoDeployed     bool      `json:"autoDeployed"`
	CreatedDate      Timestamp `json:"createdDate"`
}

// apiDoc is what the store holds per HTTP API.
type apiDoc struct {
	API          API                       `json:"api"`
	Integrations map[string]*Integration   `json:"integrations"`
	Routes       map[string]*Route         `json:"routes"`
	Stages       map[string]*Stage         `json:"stages"`
	Deployments  map[string]*deploymentDoc `json:"deployments"`
}

type deploymentDoc struct {
	Deployment   Deployment              `json:"deployment"`
	Integrations map[string]*Integration `json:"integrations"`
	Routes       map[string]*Route       `json:"routes"`
}
