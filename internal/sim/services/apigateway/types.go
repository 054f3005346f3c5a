package apigateway

// Wire types: members named as the apigateway restJson model names them (the SDK's
// serializers.go/deserializers.go). Timestamps are epoch seconds in this API.

// RestAPI is a REST API (https://docs.aws.amazon.com/apigateway/latest/api/API_RestApi.html).
type RestAPI struct {
	ID                        string                 `json:"id"`
	Name                      string                 `json:"name"`
	Description               string                 `json:"description,omitempty"`
	CreatedDate               float64                `json:"createdDate"`
	Version                   string                 `json:"version,omitempty"`
	BinaryMediaTypes          []string               `json:"binaryMediaTypes,omitempty"`
	APIKeySource              string                 `json:"apiKeySource"`
	EndpointConfiguration     *EndpointConfiguration `json:"endpointConfiguration,omitempty"`
	DisableExecuteAPIEndpoint bool                   `json:"disableExecuteApiEndpoint"`
	RootResourceID            string                 `json:"rootResourceId"`
	Tags                      map[string]string      `json:"tags,omitempty"`
}

// EndpointConfiguration says whether an API is EDGE, REGIONAL or PRIVATE.
type EndpointConfiguration struct {
	Types []string `json:"types,omitempty"`
}

// Resource is a path in a REST API (https://docs.aws.amazon.com/apigateway/latest/api/API_Resource.html).
type Resource struct {
	ID              string             `json:"id"`
	ParentID        string             `json:"parentId,omitempty"`
	PathPart        string             `json:"pathPart,omitempty"`
	Path            string             `json:"path"`
	ResourceMethods map[string]*Method `json:"resourceMethods,omitempty"`
}

// Method is a method of a resource (https://docs.aws.amazon.com/apigateway/latest/api/API_Method.html).
type Method struct {
	HTTPMethod        string          `json:"httpMethod"`
	AuthorizationType string          `json:"authorizationType"`
	AuthorizerID      string          `json:"authorizerId,omitempty"`
	APIKeyRequired    bool            `json:"apiKeyRequired"`
	OperationName     string          `json:"operationName,omitempty"`
	RequestParameters map[string]bool `json:"requestParameters,omitempty"`
	MethodIntegration *Integration    `json:"methodIntegration,omitempty"`
}

// Integration is a method's back end (https://docs.aws.amazon.com/apigateway/latest/api/API_Integration.html).
type Integration struct {
	Type                string            `json:"type"`
	HTTPMethod          string            `json:"httpMethod,omitempty"`
	URI                 string            `json:"uri,omitempty"`
	ConnectionType      string            `json:"connectionType,omitempty"`
	Credentials         string            `json:"credentials,omitempty"`
	RequestParameters   map[string]string `json:"requestParameters,omitempty"`
	RequestTemplates    map[string]string `json:"requestTemplates,omitempty"`
	PassthroughBehavior string            `json:"passthroughBehavior,omitempty"`
	ContentHandling     string            `json:"contentHandling,omitempty"`
	TimeoutInMillis     int               `json:"timeoutInMillis"`
	CacheNamespace      string            `json:"cacheNamespace,omitempty"`
	CacheKeyParameters  []string          `json:"cacheKeyParameters"`
}

// Deployment is a snapshot of a REST API (https://docs.aws.amazon.com/apigateway/latest/api/API_Deployment.html).
type Deployment struct {
	ID          string  `json:"id"`
	Description string  `json:"description,omitempty"`
	CreatedDate float64 `json:"createdDate"`
}

// Stage is a named reference to a deployment (https://docs.aws.amazon.com/apigateway/latest/api/API_Stage.html).
type Stage struct {
	StageName           string            `json:"stageName"`
	DeploymentID        string            `json:"deploymentId"`
	Description         string            `json:"description,omitempty"`
	Variables           map[string]string `json:"variables,omitempty"`
	TracingEnabled      bool              `json:"tracingEnabled"`
	CacheClusterEnabled bool              `json:"cacheClusterEnabled"`
	CacheClusterStatus  string            `json:"cacheClusterStatus"`
	CreatedDate         float64           `json:"createdDate"`
	LastUpdatedDate     float64           `json:"lastUpdatedDate"`
	Tags                map[string]string `json:"tags,omitempty"`
}

// restAPIDoc is what the store holds per REST API: the API, its live resource tree, its
// deployments with their snapshots, and its stages.
type restAPIDoc struct {
	API         RestAPI                   `json:"api"`
	Resources   map[string]*Resource      `json:"resources"`
	Deployments map[string]*deploymentDoc `json:"deployments"`
	Stages      map[string]*Stage         `json:"stages"`
}

type deploymentDoc struct {
	Deployment Deployment           `json:"deployment"`
	Resources  map[string]*Resource `json:"resources"`
}
