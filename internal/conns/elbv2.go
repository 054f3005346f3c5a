package conns

import (
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
)

// ELBv2 is the client of Elastic Load Balancing v2 (application load balancers and their target
// groups; the "elbv2" endpoint).
func (c *Clients) ELBv2() *elasticloadbalancingv2.Client {
	return cached(c, "elbv2", func() *elasticloadbalancingv2.Client {
		return elasticloadbalancingv2.NewFromConfig(c.AWSConfig, func(o *elasticloadbalancingv2.Options) { c.SetEndpoint(&o.BaseEndpoint, "elbv2") })
	})
}
