package conns

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// The clients built on first use are built once, with the configured endpoint.
func TestLazyClients(t *testing.T) {
	c := &Clients{AWSConfig: aws.Config{Region: "us-east-1"}, endpoints: map[string]string{
		"apigateway": "http://127.0.0.1:1", "apigatewayv2": "http://127.0.0.1:2", "elbv2": "http://127.0.0.1:3",
	}}
	first, again := c.APIGateway(), c.APIGateway()
	firstV2, againV2 := c.APIGatewayV2(), c.APIGatewayV2()
	firstELB, againELB := c.ELBv2(), c.ELBv2()
	if first != again || firstV2 != againV2 || firstELB != againELB {
		t.Fatal("a client was built twice")
	}
	for name, got := range map[string]*string{
		"apigateway":   c.APIGateway().Options().BaseEndpoint,
		"apigatewayv2": c.APIGatewayV2().Options().BaseEndpoint,
		"elbv2":        c.ELBv2().Options().BaseEndpoint,
	} {
		if aws.ToString(got) != c.endpoints[name] {
			t.Errorf("%s endpoint %q, want %q", name, aws.ToString(got), c.endpoints[name])
		}
	}
}
