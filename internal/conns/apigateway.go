package conns

import (
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
)

// clientCache holds the clients built on first use, so a provider that never touches a service never
// builds its client.
type clientCache struct {
	mu      sync.Mutex
	clients map[string]any
}

// cached returns the client stored under service, building it with build the first time.
func cached[T any](c *Clients, service string, build func() T) T {
	c.cache.mu.Lock()
	defer c.cache.mu.Unlock()
	if v, ok := c.cache.clients[service]; ok {
		return v.(T)
	}
	if c.cache.clients == nil {
		c.cache.clients = map[string]any{}
	}
	v := build()
	c.cache.clients[service] = v
	return v
}

// APIGateway is the client of API Gateway's REST APIs (the "apigateway" endpoint).
func (c *Clients) APIGateway() *apigateway.Client {
	return cached(c, "apigateway", func() *apigateway.Client {
		return apigateway.NewFromConfig(c.AWSConfig, func(o *apigateway.Options) { c.SetEndpoint(&o.BaseEndpoint, "apigateway") })
	})
}

// APIGatewayV2 is the client of API Gateway's HTTP and WebSocket APIs (the "apigatewayv2" endpoint).
func (c *Clients) APIGatewayV2() *apigatewayv2.Client {
	return cached(c, "apigatewayv2", func() *apigatewayv2.Client {
		return apigatewayv2.NewFromConfig(c.AWSConfig, func(o *apigatewayv2.Options) { c.SetEndpoint(&o.BaseEndpoint, "apigatewayv2") })
	})
}
