package elbv2

import (
	"context"
	"encoding/xml"
	"net/url"
	"slices"
	"sort"
	"strconv"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// TargetGroupXML is a target group as ELBv2 describes it.
type TargetGroupXML struct {
	TargetGroupArn             string
	TargetGroupName            string
	Protocol                   string `xml:",omitempty"`
	Port                       int    `xml:",omitempty"`
	VpcId                      string `xml:",omitempty"`
	HealthCheckEnabled         bool
	HealthCheckIntervalSeconds int
	HealthCheckTimeoutSeconds  int
	HealthyThresholdCount      int
	UnhealthyThresholdCount    int
	HealthCheckPath            string
	Matcher                    struct{ HttpCode string }
	LoadBalancerArns           []string `xml:"LoadBalancerArns>member"`
	TargetType                 string
	IpAddressType              string `xml:",omitempty"`
}

func targetGroupXML(tx *store.Tx, tg *targetGroup) (TargetGroupXML, error) {
	lbs, err := loadBalancersOf(tx, tg.ARN)
	if err != nil {
		return TargetGroupXML{}, err
	}
	out := TargetGroupXML{TargetGroupArn: tg.ARN, TargetGroupName: tg.Name, Protocol: tg.Protocol, Port: tg.Port,
		VpcId: tg.VpcID, HealthCheckEnabled: tg.HealthCheckEnabled, HealthCheckIntervalSeconds: lambdaHealthInterval,
		HealthCheckTimeoutSeconds: lambdaHealthTimeout, HealthyThresholdCount: lambdaHealthyCount,
		UnhealthyThresholdCount: lambdaUnhealthyCount, HealthCheckPath: lambdaHealthCheckPath,
		LoadBalancerArns: lbs, TargetType: tg.TargetType}
	if lbs == nil {
		out.LoadBalancerArns = []string{}
	}
	if tg.TargetType != TargetTypeLambda {
		out.IpAddressType = ipAddressTypeIPv4
		out.HealthCheckIntervalSeconds, out.HealthCheckTimeoutSeconds = 30, 5
	}
	out.Matcher.HttpCode = lambdaHealthMatcher
	return out, nil
}

// CreateTargetGroupResult is CreateTargetGroup's answer.
type CreateTargetGroupResult struct {
	XMLName      xml.Name         `xml:"CreateTargetGroupResult"`
	TargetGroups []TargetGroupXML `xml:"TargetGroups>member"`
}

// CreateTargetGroup creates a target group. A lambda group takes no Protocol, Port or VpcId and has
// health checks off by default; other types need all three (they are stored, never routed to).
// A name in use with the same settings returns the existing group, as AWS does.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
func (s *Service) CreateTargetGroup(_ context.Context, form url.Values) (any, *awswire.Error) {
	name := form.Get("Name")
	if name == "" {
		return nil, errMissing("Name")
	}
	if !nameRE.MatchString(name) {
		return nil, errValidation("Target group name '%s' can only contain characters that are alphanumeric characters or hyphens(-), must not begin or end with a hyphen and must be at most %d characters", name, maxNameLength)
	}
	tg := &targetGroup{Name: name, TargetType: form.Get("TargetType"), Protocol: form.Get("Protocol"), VpcID: form.Get("VpcId")}
	if tg.TargetType == "" {
		tg.TargetType = "instance"
	}
	if p := form.Get("Port"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, errValidation("1 validation error detected: Value '%s' at 'port' failed to satisfy constraint: Member must have value between 1 and 65535", p)
		}
		tg.Port = n
	}
	switch tg.TargetType {
	case TargetTypeLambda:
		if tg.Protocol != "" || tg.Port != 0 || tg.VpcID != "" {
			return nil, errValidation("Protocol, port and VPC ID cannot be specified for target groups with target type 'lambda'")
		}
		tg.HealthCheckEnabled = form.Get("HealthCheckEnabled") == "true"
	case "instance", "ip", "alb":
		if tg.Protocol == "" || tg.Port == 0 || tg.VpcID == "" {
			return nil, errValidation("A protocol, port and VPC ID must be specified for target groups with target type '%s'", tg.TargetType)
		}
		tg.HealthCheckEnabled = form.Get("HealthCheckEnabled") != "false"
	default:
		return nil, errValidation("1 validation error detected: Value '%s' at 'targetType' failed to satisfy constraint: Member must satisfy enum value set: [instance, ip, lambda, alb]", tg.TargetType)
	}
	var out TargetGroupXML
	e := s.update(func(tx *store.Tx) error {
		all, err := allRecords[targetGroup](tx, bucketTargetGroups)
		if err != nil {
			return err
		}
		for _, existing := range all {
			if existing.Name == name {
				if existing.TargetType != tg.TargetType || existing.Protocol != tg.Protocol || existing.Port != tg.Port || existing.VpcID != tg.VpcID {
					return errDuplicateTargetGroupName()
				}
				out, err = targetGroupXML(tx, existing)
				return err
			}
		}
		tg.ARN = s.arn("targetgroup/" + name + "/" + newID())
		tg.Attributes = defaultAttributes(tg.TargetType)
		if err := tx.Put(bucketTargetGroups, tg.ARN, tg); err != nil {
			return err
		}
		out, err = targetGroupXML(tx, tg)
		return err
	})
	if e != nil {
		return nil, e
	}
	return &CreateTargetGroupResult{TargetGroups: []TargetGroupXML{out}}, nil
}

// DescribeTargetGroupsResult is DescribeTargetGroups' answer.
type DescribeTargetGroupsResult struct {
	XMLName      xml.Name         `xml:"DescribeTargetGroupsResult"`
	TargetGroups []TargetGroupXML `xml:"TargetGroups>member"`
	NextMarker   string           `xml:",omitempty"`
}

// DescribeTargetGroups lists target groups: all, by TargetGroupArns or Names, or those a load
// balancer forwards to (LoadBalancerArn).
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTargetGroups.html
func (s *Service) DescribeTargetGroups(_ context.Context, form url.Values) (any, *awswire.Error) {
	arns, names, lbARN := awswire.QueryList(form, "TargetGroupArns.member"), awswire.QueryList(form, "Names.member"), form.Get("LoadBalancerArn")
	var list []TargetGroupXML
	e := s.view(func(tx *store.Tx) error {
		all, err := allRecords[targetGroup](tx, bucketTargetGroups)
		if err != nil {
			return err
		}
		picked, err := pick(all, arns, names, func(tg *targetGroup) (string, string) { return tg.ARN, tg.Name }, errTargetGroupNotFound)
		if err != nil {
			return err
		}
		if lbARN != "" {
			if !tx.Has(bucketLoadBalancers, lbARN) {
				return errLoadBalancerNotFound()
			}
		}
		for _, tg := range picked {
			x, err := targetGroupXML(tx, tg)
			if err != nil {
				return err
			}
			if lbARN != "" && !slices.Contains(x.LoadBalancerArns, lbARN) {
				continue
			}
			list = append(list, x)
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	ptrs := make([]*TargetGroupXML, len(list))
	for i := range list {
		ptrs[i] = &list[i]
	}
	page, next, e := paginate(ptrs, form)
	if e != nil {
		return nil, e
	}
	out := &DescribeTargetGroupsResult{TargetGroups: []TargetGroupXML{}, NextMarker: next}
	for _, x := range page {
		out.TargetGroups = append(out.TargetGroups, *x)
	}
	return out, nil
}

// DeleteTargetGroup deletes a target group no listener forwards to; an unknown one succeeds.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DeleteTargetGroup.html
func (s *Service) DeleteTargetGroup(_ context.Context, form url.Values) (any, *awswire.Error) {
	arn := form.Get("TargetGroupArn")
	if arn == "" {
		return nil, errMissing("TargetGroupArn")
	}
	e := s.update(func(tx *store.Tx) error {
		if !tx.Has(bucketTargetGroups, arn) {
			return nil
		}
		lbs, err := loadBalancersOf(tx, arn)
		if err != nil {
			return err
		}
		if len(lbs) > 0 {
			return errResourceInUse("Target group '%s' is currently in use by a listener or a rule", arn)
		}
		return tx.Delete(bucketTargetGroups, arn)
	})
	if e != nil {
		return nil, e
	}
	return &DeleteTargetGroupResult{}, nil
}

// AttributeXML is one target group attribute.
type AttributeXML struct {
	Key   string
	Value string
}

func attributesXML(attrs map[string]string) []AttributeXML {
	out := []AttributeXML{}
	for k, v := range attrs {
		out = append(out, AttributeXML{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// DescribeTargetGroupAttributesResult is DescribeTargetGroupAttributes' answer.
type DescribeTargetGroupAttributesResult struct {
	XMLName    xml.Name       `xml:"DescribeTargetGroupAttributesResult"`
	Attributes []AttributeXML `xml:"Attributes>member"`
}

// DescribeTargetGroupAttributes: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTargetGroupAttributes.html
func (s *Service) DescribeTargetGroupAttributes(_ context.Context, form url.Values) (any, *awswire.Error) {
	arn := form.Get("TargetGroupArn")
	if arn == "" {
		return nil, errMissing("TargetGroupArn")
	}
	var tg *targetGroup
	e := s.view(func(tx *store.Tx) (err error) {
		tg, err = getTargetGroup(tx, arn)
		return err
	})
	if e != nil {
		return nil, e
	}
	return &DescribeTargetGroupAttributesResult{Attributes: attributesXML(tg.Attributes)}, nil
}

// ModifyTargetGroupAttributesResult is ModifyTargetGroupAttributes' answer: every attribute.
type ModifyTargetGroupAttributesResult struct {
	XMLName    xml.Name       `xml:"ModifyTargetGroupAttributesResult"`
	Attributes []AttributeXML `xml:"Attributes>member"`
}

// ModifyTargetGroupAttributes sets attributes the group's type knows; for a lambda group that is
// lambda.multi_value_headers.enabled ("true" or "false").
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyTargetGroupAttributes.html
func (s *Service) ModifyTargetGroupAttributes(_ context.Context, form url.Values) (any, *awswire.Error) {
	arn := form.Get("TargetGroupArn")
	if arn == "" {
		return nil, errMissing("TargetGroupArn")
	}
	changes := awswire.QueryStructList(form, "Attributes.member")
	if len(changes) == 0 {
		return nil, errMissing("Attributes")
	}
	var tg *targetGroup
	e := s.update(func(tx *store.Tx) (err error) {
		tg, err = getTargetGroup(tx, arn)
		if err != nil {
			return err
		}
		for _, c := range changes {
			key, value := c["Key"], c["Value"]
			if _, known := defaultAttributes(tg.TargetType)[key]; !known {
				return errValidation("Target group attribute key '%s' is not recognized", key)
			}
			if key == AttrMultiValueHeaders && value != "true" && value != "false" {
				return errValidation("Target group attribute value '%s' for key '%s' is not valid: it must be 'true' or 'false'", value, key)
			}
			tg.Attributes[key] = value
		}
		return tx.Put(bucketTargetGroups, arn, tg)
	})
	if e != nil {
		return nil, e
	}
	return &ModifyTargetGroupAttributesResult{Attributes: attributesXML(tg.Attributes)}, nil
}
