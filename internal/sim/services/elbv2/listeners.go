package elbv2

import (
	"context"
	"encoding/xml"
	"net/url"
	"strconv"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// ActionXML is a listener action as ELBv2 describes it: a forward to one target group, written
// both as TargetGroupArn and as ForwardConfig, as AWS answers.
type ActionXML struct {
	Type           string
	TargetGroupArn string
	Order          int `xml:",omitempty"`
	ForwardConfig  struct {
		TargetGroups []struct {
			TargetGroupArn string
			Weight         int
		} `xml:"TargetGroups>member"`
		TargetGroupStickinessConfig struct{ Enabled bool }
	}
}

// ListenerXML is a listener as ELBv2 describes it.
type ListenerXML struct {
	ListenerArn     string
	LoadBalancerArn string
	Port            int
	Protocol        string
	DefaultActions  []ActionXML `xml:"DefaultActions>member"`
}

func listenerXML(l *listener) ListenerXML {
	out := ListenerXML{ListenerArn: l.ARN, LoadBalancerArn: l.LoadBalancerARN, Port: l.Port, Protocol: l.Protocol, DefaultActions: []ActionXML{}}
	for _, a := range l.Actions {
		x := ActionXML{Type: a.Type, TargetGroupArn: a.TargetGroupARN, Order: a.Order}
		x.ForwardConfig.TargetGroups = append(x.ForwardConfig.TargetGroups, struct {
			TargetGroupArn string
			Weight         int
		}{a.TargetGroupARN, 1})
		out.DefaultActions = append(out.DefaultActions, x)
	}
	return out
}

// CreateListenerResult is CreateListener's answer.
type CreateListenerResult struct {
	XMLName   xml.Name      `xml:"CreateListenerResult"`
	Listeners []ListenerXML `xml:"Listeners>member"`
}

// CreateListener adds an HTTP listener whose default action forwards to a target group (by
// TargetGroupArn or a one-group ForwardConfig). Other protocols and action types are refused.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html
func (s *Service) CreateListener(_ context.Context, form url.Values) (any, *awswire.Error) {
	lbARN := form.Get("LoadBalancerArn")
	if lbARN == "" {
		return nil, errMissing("LoadBalancerArn")
	}
	protocol := form.Get("Protocol")
	if protocol == "" {
		protocol = protocolHTTP
	}
	if protocol != protocolHTTP {
		return nil, awswireErr("UnsupportedProtocol", "The lambdatrigger simulator serves only HTTP listeners, not '%s'", protocol)
	}
	port, err := strconv.Atoi(form.Get("Port"))
	if form.Get("Port") == "" {
		port, err = 80, nil
	}
	if err != nil || port < 1 || port > 65535 {
		return nil, errValidation("1 validation error detected: Value '%s' at 'port' failed to satisfy constraint: Member must have value between 1 and 65535", form.Get("Port"))
	}
	var actions []action
	for _, a := range awswire.QueryStructList(form, "DefaultActions.member") {
		if a["Type"] != actionForward {
			return nil, awswireErr("InvalidLoadBalancerAction", "The lambdatrigger simulator supports only forward actions, not '%s'", a["Type"])
		}
		tg := a["TargetGroupArn"]
		if tg == "" {
			tg = a["ForwardConfig.TargetGroups.member.1.TargetGroupArn"]
		}
		if tg == "" {
			return nil, awswireErr("InvalidLoadBalancerAction", "A forward action must name a target group")
		}
		order, _ := strconv.Atoi(a["Order"])
		actions = append(actions, action{Type: actionForward, TargetGroupARN: tg, Order: order})
	}
	if len(actions) == 0 {
		return nil, errMissing("DefaultActions")
	}
	var l *listener
	e := s.update(func(tx *store.Tx) error {
		lb, err := getLoadBalancer(tx, lbARN)
		if err != nil {
			return err
		}
		for _, a := range actions {
			if _, err := getTargetGroup(tx, a.TargetGroupARN); err != nil {
				return err
			}
		}
		existing, err := listenersOf(tx, lbARN)
		if err != nil {
			return err
		}
		for _, x := range existing {
			if x.Port == port {
				return errDuplicateListener()
			}
		}
		l = &listener{ARN: s.arn("listener/app/" + lb.Name + "/" + lb.ID + "/" + newID()), LoadBalancerARN: lbARN,
			Port: port, Protocol: protocol, Actions: actions}
		return tx.Put(bucketListeners, l.ARN, l)
	})
	if e != nil {
		return nil, e
	}
	s.notify(ListenerEvent{Listener: ListenerInfo{ListenerARN: l.ARN, LoadBalancerARN: l.LoadBalancerARN, Port: l.Port}})
	return &CreateListenerResult{Listeners: []ListenerXML{listenerXML(l)}}, nil
}

// DescribeListenersResult is DescribeListeners' answer.
type DescribeListenersResult struct {
	XMLName    xml.Name      `xml:"DescribeListenersResult"`
	Listeners  []ListenerXML `xml:"Listeners>member"`
	NextMarker string        `xml:",omitempty"`
}

// DescribeListeners lists a load balancer's listeners, or listeners by ARN.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeListeners.html
func (s *Service) DescribeListeners(_ context.Context, form url.Values) (any, *awswire.Error) {
	lbARN, arns := form.Get("LoadBalancerArn"), awswire.QueryList(form, "ListenerArns.member")
	if lbARN == "" && len(arns) == 0 {
		return nil, errValidation("You must specify either listener ARNs or a load balancer ARN")
	}
	var list []*listener
	e := s.view(func(tx *store.Tx) error {
		if lbARN != "" {
			if _, err := getLoadBalancer(tx, lbARN); err != nil {
				return err
			}
			ls, err := listenersOf(tx, lbARN)
			list = ls
			return err
		}
		for _, a := range arns {
			l, err := getListener(tx, a)
			if err != nil {
				return err
			}
			list = append(list, l)
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	page, next, e := paginate(list, form)
	if e != nil {
		return nil, e
	}
	out := &DescribeListenersResult{Listeners: []ListenerXML{}, NextMarker: next}
	for _, l := range page {
		out.Listeners = append(out.Listeners, listenerXML(l))
	}
	return out, nil
}

// DeleteListener: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DeleteListener.html
func (s *Service) DeleteListener(_ context.Context, form url.Values) (any, *awswire.Error) {
	arn := form.Get("ListenerArn")
	if arn == "" {
		return nil, errMissing("ListenerArn")
	}
	var l *listener
	e := s.update(func(tx *store.Tx) (err error) {
		if l, err = getListener(tx, arn); err != nil {
			return err
		}
		return tx.Delete(bucketListeners, arn)
	})
	if e != nil {
		return nil, e
	}
	s.notify(ListenerEvent{Deleted: true, Listener: ListenerInfo{ListenerARN: l.ARN, LoadBalancerARN: l.LoadBalancerARN, Port: l.Port}})
	return &DeleteListenerResult{}, nil
}
