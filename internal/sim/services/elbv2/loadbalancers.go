package elbv2

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

var nameRE = regexp.MustCompile(`^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$`)

// LoadBalancerXML is a load balancer as ELBv2 describes it.
type LoadBalancerXML struct {
	LoadBalancerArn       string
	DNSName               string
	CanonicalHostedZoneId string
	CreatedTime           string
	LoadBalancerName      string
	Scheme                string
	State                 struct{ Code string }
	Type                  string
	IpAddressType         string
}

func (s *Service) loadBalancerXML(lb *loadBalancer) LoadBalancerXML {
	out := LoadBalancerXML{LoadBalancerArn: lb.ARN, DNSName: lb.DNSName, CanonicalHostedZoneId: canonicalHostedZoneID,
		CreatedTime: lb.Created.UTC().Format("2006-01-02T15:04:05.000Z"), LoadBalancerName: lb.Name,
		Scheme: lb.Scheme, Type: lb.Type, IpAddressType: lb.IPAddressType}
	out.State.Code = stateActive
	return out
}

// CreateLoadBalancerResult is CreateLoadBalancer's answer.
type CreateLoadBalancerResult struct {
	XMLName       xml.Name          `xml:"CreateLoadBalancerResult"`
	LoadBalancers []LoadBalancerXML `xml:"LoadBalancers>member"`
}

// CreateLoadBalancer creates an Application Load Balancer (Name, Scheme, IpAddressType; subnets and
// security groups are accepted and ignored). Creating one with a name in use returns it, as AWS does.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html
func (s *Service) CreateLoadBalancer(_ context.Context, form url.Values) (any, *awswire.Error) {
	name := form.Get("Name")
	if name == "" {
		return nil, errMissing("Name")
	}
	if !nameRE.MatchString(name) || strings.HasPrefix(name, "internal-") {
		return nil, errValidation("The load balancer name '%s' is not valid: it must have at most %d alphanumeric characters or hyphens, must not begin or end with a hyphen, and must not begin with 'internal-'", name, maxNameLength)
	}
	typ := form.Get("Type")
	if typ == "" {
		typ = loadBalancerTypeApp
	}
	if typ != loadBalancerTypeApp {
		return nil, errValidation("The lambdatrigger simulator serves only load balancers of type 'application', not '%s'", typ)
	}
	scheme := form.Get("Scheme")
	if scheme == "" {
		scheme = schemeInternetFacing
	}
	if scheme != schemeInternetFacing && scheme != "internal" {
		return nil, errValidation("1 validation error detected: Value '%s' at 'scheme' failed to satisfy constraint: Member must satisfy enum value set: [internet-facing, internal]", scheme)
	}
	ipType := form.Get("IpAddressType")
	if ipType == "" {
		ipType = ipAddressTypeIPv4
	}
	var lb *loadBalancer
	e := s.update(func(tx *store.Tx) error {
		all, err := allRecords[loadBalancer](tx, bucketLoadBalancers)
		if err != nil {
			return err
		}
		for _, existing := range all {
			if existing.Name == name {
				if existing.Scheme != scheme || existing.Type != typ {
					return errDuplicateLoadBalancerName()
				}
				lb = existing
				return nil
			}
		}
		id := newID()
		lb = &loadBalancer{
			ARN: s.arn("loadbalancer/app/" + name + "/" + id), Name: name, ID: id,
			DNSName: fmt.Sprintf("%s-%s.%s.%s", name, newDNSDigits(), s.region, loadBalancerDNSSuffix),
			Scheme:  scheme, Type: typ, IPAddressType: ipType,
			Subnets: awswire.QueryList(form, "Subnets.member"), Created: s.clock.Now(),
		}
		if scheme == "internal" {
			lb.DNSName = "internal-" + lb.DNSName
		}
		return tx.Put(bucketLoadBalancers, lb.ARN, lb)
	})
	if e != nil {
		return nil, e
	}
	return &CreateLoadBalancerResult{LoadBalancers: []LoadBalancerXML{s.loadBalancerXML(lb)}}, nil
}

// DescribeLoadBalancersResult is DescribeLoadBalancers' answer.
type DescribeLoadBalancersResult struct {
	XMLName       xml.Name          `xml:"DescribeLoadBalancersResult"`
	LoadBalancers []LoadBalancerXML `xml:"LoadBalancers>member"`
	NextMarker    string            `xml:",omitempty"`
}

// DescribeLoadBalancers lists load balancers, all or by LoadBalancerArns or Names (any unknown one
// is LoadBalancerNotFound), PageSize at a time.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeLoadBalancers.html
func (s *Service) DescribeLoadBalancers(_ context.Context, form url.Values) (any, *awswire.Error) {
	arns, names := awswire.QueryList(form, "LoadBalancerArns.member"), awswire.QueryList(form, "Names.member")
	if len(arns) > 0 && len(names) > 0 {
		return nil, errValidation("Load balancer names and load balancer ARNs cannot be specified at the same time")
	}
	var list []*loadBalancer
	e := s.view(func(tx *store.Tx) error {
		all, err := allRecords[loadBalancer](tx, bucketLoadBalancers)
		if err != nil {
			return err
		}
		list, err = pick(all, arns, names, func(lb *loadBalancer) (string, string) { return lb.ARN, lb.Name }, errLoadBalancerNotFound)
		return err
	})
	if e != nil {
		return nil, e
	}
	page, next, e := paginate(list, form)
	if e != nil {
		return nil, e
	}
	out := &DescribeLoadBalancersResult{LoadBalancers: []LoadBalancerXML{}, NextMarker: next}
	for _, lb := range page {
		out.LoadBalancers = append(out.LoadBalancers, s.loadBalancerXML(lb))
	}
	return out, nil
}

// DeleteLoadBalancer deletes a load balancer and its listeners; deleting one that does not exist
// succeeds, as on AWS.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DeleteLoadBalancer.html
func (s *Service) DeleteLoadBalancer(_ context.Context, form url.Values) (any, *awswire.Error) {
	arn := form.Get("LoadBalancerArn")
	if arn == "" {
		return nil, errMissing("LoadBalancerArn")
	}
	var removed []*listener
	e := s.update(func(tx *store.Tx) error {
		if !tx.Has(bucketLoadBalancers, arn) {
			return nil
		}
		ls, err := listenersOf(tx, arn)
		if err != nil {
			return err
		}
		for _, l := range ls {
			if err := tx.Delete(bucketListeners, l.ARN); err != nil {
				return err
			}
		}
		removed = ls
		return tx.Delete(bucketLoadBalancers, arn)
	})
	if e != nil {
		return nil, e
	}
	for _, l := range removed {
		s.notify(ListenerEvent{Deleted: true, Listener: ListenerInfo{ListenerARN: l.ARN, LoadBalancerARN: l.LoadBalancerARN, Port: l.Port}})
	}
	return &DeleteLoadBalancerResult{}, nil
}

// pick filters records by ARNs or names; an unknown one is notFound, as AWS answers.
func pick[T any](all []*T, arns, names []string, key func(*T) (arn, name string), notFound func() *awswire.Error) ([]*T, error) {
	if len(arns) == 0 && len(names) == 0 {
		return all, nil
	}
	var out []*T
	for _, want := range arns {
		found := false
		for _, v := range all {
			if a, _ := key(v); a == want {
				out, found = append(out, v), true
			}
		}
		if !found {
			return nil, notFound()
		}
	}
	for _, want := range names {
		found := false
		for _, v := range all {
			if _, n := key(v); n == want {
				out, found = append(out, v), true
			}
		}
		if !found {
			return nil, notFound()
		}
	}
	return out, nil
}

// paginate serves PageSize (1-400) records from Marker, an opaque offset.
func paginate[T any](list []*T, form url.Values) ([]*T, string, *awswire.Error) {
	size := defaultPageSize
	if v := form.Get("PageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > defaultPageSize {
			return nil, "", errValidation("1 validation error detected: Value '%s' at 'pageSize' failed to satisfy constraint: Member must have value between 1 and 400", v)
		}
		size = n
	}
	start := 0
	if m := form.Get("Marker"); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil || n < 0 || n > len(list) {
			return nil, "", errValidation("Invalid marker '%s'", m)
		}
		start = n
	}
	end := min(start+size, len(list))
	next := ""
	if end < len(list) {
		next = strconv.Itoa(end)
	}
	return list[start:end], next, nil
}
