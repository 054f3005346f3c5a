package elbv2

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"math/big"
	"time"
)

// Store buckets, keyed by ARN.
const (
	bucketLoadBalancers = "elbv2/loadbalancers"
	bucketTargetGroups  = "elbv2/targetgroups"
	bucketListeners     = "elbv2/listeners"
)

// Target types, protocols and the attribute that shapes Lambda events.
const (
	TargetTypeLambda       = "lambda"
	AttrMultiValueHeaders  = "lambda.multi_value_headers.enabled"
	lambdaPrincipal        = "elasticloadbalancing.amazonaws.com"
	loadBalancerDNSSuffix  = "elb.localhost"
	canonicalHostedZoneID  = "Z35SXDOTRQ7X7K" // us-east-1's ALB zone; there is no DNS here
	maxNameLength          = 32
	defaultPageSize        = 400
	lambdaHealthInterval   = 35
	lambdaHealthTimeout    = 30
	lambdaHealthyCount     = 5
	lambdaUnhealthyCount   = 2
	lambdaHealthMatcher    = "200"
	lambdaHealthCheckPath  = "/"
	stateActive            = "active"
	loadBalancerTypeApp    = "application"
	schemeInternetFacing   = "internet-facing"
	ipAddressTypeIPv4      = "ipv4"
	actionForward          = "forward"
	protocolHTTP           = "HTTP"
	targetStateUnavailable = "unavailable"
	targetStateUnused      = "unused"
)

// loadBalancer is a stored load balancer.
type loadBalancer struct {
	ARN           string    `json:"arn"`
	Name          string    `json:"name"`
	ID            string    `json:"id"`
	DNSName       string    `json:"dnsName"`
	Scheme        string    `json:"scheme"`
	Type          string    `json:"type"`
	IPAddressType string    `json:"ipAddressType"`
	Subnets       []string  `json:"subnets,omitempty"`
	Created       time.Time `json:"created"`
}

// targetGroup is a stored target group; a lambda group's Targets holds at most one function.
type targetGroup struct {
	ARN                string            `json:"arn"`
	Name               string            `json:"name"`
	TargetType         string            `json:"targetType"`
	Protocol           string            `json:"protocol,omitempty"`
	Port               int               `json:"port,omitempty"`
	VpcID              string            `json:"vpcId,omitempty"`
	HealthCheckEnabled bool              `json:"healthCheckEnabled"`
	Attributes         map[string]string `json:"attributes"`
	Targets            []string          `json:"targets,omitempty"`
}

// listener is a stored listener with its default actions.
type listener struct {
	ARN             string   `json:"arn"`
	LoadBalancerARN string   `json:"loadBalancerArn"`
	Port            int      `json:"port"`
	Protocol        string   `json:"protocol"`
	Actions         []action `json:"actions"`
}

// action is a listener action; the simulator forwards only.
type action struct {
	Type           string `json:"type"`
	TargetGroupARN string `json:"targetGroupArn"`
	Order          int    `json:"order,omitempty"`
}

func (l *listener) targetGroupARN() string {
	for _, a := range l.Actions {
		if a.Type == actionForward {
			return a.TargetGroupARN
		}
	}
	return ""
}

func defaultAttributes(targetType string) map[string]string {
	if targetType == TargetTypeLambda {
		return map[string]string{AttrMultiValueHeaders: "false"}
	}
	return map[string]string{
		"deregistration_delay.timeout_seconds": "300",
		"stickiness.enabled":                   "false",
		"stickiness.type":                      "lb_cookie",
	}
}

func (s *Service) arn(resource string) string {
	return fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:%s", s.region, s.accountID, resource)
}

// newID is the 16 hex digits that end AWS's load balancer, target group and listener ARNs.
func newID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// newDNSDigits is the number in a load balancer's DNS name (AWS uses 9 or 10 digits).
func newDNSDigits() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(9_000_000_000))
	return fmt.Sprint(n.Int64() + 1_000_000_000)
}

// Results of the operations without output members: the SDK still expects the element.
type (
	DeleteLoadBalancerResult struct {
		XMLName xml.Name `xml:"DeleteLoadBalancerResult"`
	}
	DeleteTargetGroupResult struct {
		XMLName xml.Name `xml:"DeleteTargetGroupResult"`
	}
	DeleteListenerResult struct {
		XMLName xml.Name `xml:"DeleteListenerResult"`
	}
)
