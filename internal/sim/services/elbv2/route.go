package elbv2

import (
	"errors"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// The ALB front door (internal/sim/callers/alb) reads the routing table here: which listener a
// request reached, which target group it forwards to, which function that group holds, and how
// the event's headers are shaped.

// ErrNoRoute is returned by the Route functions when no load balancer or listener matches.
var ErrNoRoute = errors.New("elbv2: no such load balancer or listener")

// Route is where a request to a listener goes.
type Route struct {
	LoadBalancerARN  string
	LoadBalancerName string
	DNSName          string
	ListenerARN      string
	Port             int
	TargetGroupARN   string
	// FunctionARN is the registered function ("" when the group has no target yet).
	FunctionARN string
	// MultiValueHeaders is the group's lambda.multi_value_headers.enabled.
	MultiValueHeaders bool
	// Lambda is false for a target group of another type (nothing to invoke).
	Lambda bool
}

// ListenerInfo identifies a listener, for the front door's loopback ports.
type ListenerInfo struct {
	ListenerARN     string
	LoadBalancerARN string
	Port            int
}

// ListenerEvent reports a listener created or deleted (Deleted).
type ListenerEvent struct {
	Deleted  bool
	Listener ListenerInfo
}

// Subscribe calls fn after every listener change has committed (from the request's goroutine).
func (s *Service) Subscribe(fn func(ListenerEvent)) {
	s.mu.Lock()
	s.subscribers = append(s.subscribers, fn)
	s.mu.Unlock()
}

func (s *Service) notify(ev ListenerEvent) {
	s.mu.Lock()
	subs := append([]func(ListenerEvent){}, s.subscribers...)
	s.mu.Unlock()
	for _, fn := range subs {
		fn(ev)
	}
}

// Listeners lists every listener (the front door opens their ports at start).
func (s *Service) Listeners() ([]ListenerInfo, error) {
	var out []ListenerInfo
	err := s.store.View(func(tx *store.Tx) error {
		all, err := allRecords[listener](tx, bucketListeners)
		for _, l := range all {
			out = append(out, ListenerInfo{ListenerARN: l.ARN, LoadBalancerARN: l.LoadBalancerARN, Port: l.Port})
		}
		return err
	})
	return out, err
}

// RouteByListener is the route of one listener.
func (s *Service) RouteByListener(listenerARN string) (Route, error) {
	var r Route
	err := s.store.View(func(tx *store.Tx) error {
		l, err := getListener(tx, listenerARN)
		if err != nil {
			return ErrNoRoute
		}
		lb, err := getLoadBalancer(tx, l.LoadBalancerARN)
		if err != nil {
			return ErrNoRoute
		}
		r, err = routeOf(tx, lb, l)
		return err
	})
	return r, err
}

// RouteByName is the route of the listener on port of the load balancer named name.
func (s *Service) RouteByName(name string, port int) (Route, error) {
	return s.routeWhere(func(lb *loadBalancer) bool { return lb.Name == name }, port, true)
}

// RouteByHost is the route of a request whose Host (without its port) is a load balancer's DNS
// name: the listener on port if the load balancer has one, else its lowest-port listener.
func (s *Service) RouteByHost(host string, port int) (Route, error) {
	host = strings.ToLower(host)
	return s.routeWhere(func(lb *loadBalancer) bool { return strings.ToLower(lb.DNSName) == host }, port, false)
}

// IsLoadBalancerHost reports whether host (without port) has the form of a load balancer DNS name.
func IsLoadBalancerHost(host string) bool {
	return strings.HasSuffix(strings.ToLower(host), "."+loadBalancerDNSSuffix)
}

func (s *Service) routeWhere(match func(*loadBalancer) bool, port int, exact bool) (Route, error) {
	var r Route
	err := s.store.View(func(tx *store.Tx) error {
		all, err := allRecords[loadBalancer](tx, bucketLoadBalancers)
		if err != nil {
			return err
		}
		for _, lb := range all {
			if !match(lb) {
				continue
			}
			ls, err := listenersOf(tx, lb.ARN)
			if err != nil {
				return err
			}
			for _, l := range ls {
				if l.Port == port {
					r, err = routeOf(tx, lb, l)
					return err
				}
			}
			if !exact && len(ls) > 0 {
				r, err = routeOf(tx, lb, ls[0])
				return err
			}
			return ErrNoRoute
		}
		return ErrNoRoute
	})
	return r, err
}

func routeOf(tx *store.Tx, lb *loadBalancer, l *listener) (Route, error) {
	r := Route{LoadBalancerARN: lb.ARN, LoadBalancerName: lb.Name, DNSName: lb.DNSName, ListenerARN: l.ARN,
		Port: l.Port, TargetGroupARN: l.targetGroupARN()}
	tg, err := getTargetGroup(tx, r.TargetGroupARN)
	if err != nil {
		var e *awswire.Error
		if errors.As(err, &e) {
			return r, nil // the group is gone (AWS refuses to delete one in use): nothing to invoke
		}
		return r, err
	}
	r.Lambda = tg.TargetType == TargetTypeLambda
	r.MultiValueHeaders = tg.Attributes[AttrMultiValueHeaders] == "true"
	if len(tg.Targets) > 0 {
		r.FunctionARN = tg.Targets[0]
	}
	return r, nil
}
