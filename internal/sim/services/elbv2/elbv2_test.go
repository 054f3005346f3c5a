package elbv2_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/elbv2"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/simtest"
)

const fnPrefix = "arn:aws:lambda:us-east-1:000000000000:function:"

// fakePolicy: functions "fn", "fn2" exist; allowed holds "<function arn>|<source arn>" pairs.
type fakePolicy struct {
	mu      sync.Mutex
	allowed map[string]bool
}

func (p *fakePolicy) allow(fn, source string) {
	p.mu.Lock()
	p.allowed[fn+"|"+source] = true
	p.mu.Unlock()
}

func (p *fakePolicy) AllowsInvoke(_ context.Context, functionARN, principal, sourceARN, sourceAccount string) (bool, error) {
	name := strings.Split(strings.TrimPrefix(functionARN, fnPrefix), ":")[0]
	if name != "fn" && name != "fn2" {
		return false, fmt.Errorf("%w: Function not found", deliver.ErrNoTarget)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return principal == "elasticloadbalancing.amazonaws.com" && sourceAccount == "000000000000" && p.allowed[functionARN+"|"+sourceARN], nil
}

type fixture struct {
	svc    *elbv2.Service
	client *elbsdk.Client
	policy *fakePolicy
	url    string
}

func open(t *testing.T, st *store.Store) *fixture {
	t.Helper()
	f := &fixture{policy: &fakePolicy{allowed: map[string]bool{}}}
	var err error
	f.svc, err = elbv2.New(elbv2.Config{Store: st, Clock: clock.NewManual(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)), Region: "us-east-1", AccountID: "000000000000", Lambda: f.policy})
	if err != nil {
		t.Fatal(err)
	}
	router := server.NewRouter()
	f.svc.Register(router)
	srv := httptest.NewServer(awswire.WithRequestID(router))
	t.Cleanup(srv.Close)
	f.url = srv.URL
	f.client = elbsdk.New(elbsdk.Options{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKID", "test", ""),
		BaseEndpoint: aws.String(srv.URL), Retryer: aws.NopRetryer{}, HTTPClient: simtest.HTTPClient()})
	return f
}

func temp(t *testing.T) *fixture {
	st, err := store.OpenTemp()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return open(t, st)
}

func code(err error) string {
	var e smithy.APIError
	if errors.As(err, &e) {
		return e.ErrorCode()
	}
	return fmt.Sprintf("no API error: %v", err)
}

var bg = context.Background()

func (f *fixture) lambdaGroup(t *testing.T, name string) string {
	t.Helper()
	out, err := f.client.CreateTargetGroup(bg, &elbsdk.CreateTargetGroupInput{Name: aws.String(name), TargetType: types.TargetTypeEnumLambda})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.TargetGroups[0].TargetGroupArn)
}

func TestLoadBalancers(t *testing.T) {
	f := temp(t)
	out, err := f.client.CreateLoadBalancer(bg, &elbsdk.CreateLoadBalancerInput{Name: aws.String("my-alb"), Subnets: []string{"subnet-a"}})
	if err != nil {
		t.Fatal(err)
	}
	lb := out.LoadBalancers[0]
	if !strings.HasPrefix(aws.ToString(lb.LoadBalancerArn), "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/my-alb/") ||
		!strings.HasPrefix(aws.ToString(lb.DNSName), "my-alb-") || !strings.HasSuffix(aws.ToString(lb.DNSName), ".us-east-1.elb.localhost") ||
		lb.Type != types.LoadBalancerTypeEnumApplication || lb.State.Code != types.LoadBalancerStateEnumActive || lb.Scheme != types.LoadBalancerSchemeEnumInternetFacing ||
		!aws.ToTime(lb.CreatedTime).Equal(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Fatalf("CreateLoadBalancer = %+v", lb)
	}
	// The same name and settings: the same load balancer; other settings: DuplicateLoadBalancerName.
	again, err := f.client.CreateLoadBalancer(bg, &elbsdk.CreateLoadBalancerInput{Name: aws.String("my-alb")})
	if err != nil || aws.ToString(again.LoadBalancers[0].LoadBalancerArn) != aws.ToString(lb.LoadBalancerArn) {
		t.Errorf("idempotent create: %v", err)
	}
	var dup *types.DuplicateLoadBalancerNameException
	if _, err := f.client.CreateLoadBalancer(bg, &elbsdk.CreateLoadBalancerInput{Name: aws.String("my-alb"), Scheme: types.LoadBalancerSchemeEnumInternal}); !errors.As(err, &dup) {
		t.Errorf("duplicate name: %v", err)
	}
	if _, err := f.client.CreateLoadBalancer(bg, &elbsdk.CreateLoadBalancerInput{Name: aws.String("-bad")}); code(err) != "ValidationError" {
		t.Errorf("bad name: %v", err)
	}
	desc, err := f.client.DescribeLoadBalancers(bg, &elbsdk.DescribeLoadBalancersInput{Names: []string{"my-alb"}})
	if err != nil || len(desc.LoadBalancers) != 1 || aws.ToString(desc.LoadBalancers[0].DNSName) != aws.ToString(lb.DNSName) {
		t.Fatalf("DescribeLoadBalancers: %+v %v", desc, err)
	}
	var nf *types.LoadBalancerNotFoundException
	if _, err := f.client.DescribeLoadBalancers(bg, &elbsdk.DescribeLoadBalancersInput{Names: []string{"nope"}}); !errors.As(err, &nf) {
		t.Errorf("unknown name: %v", err)
	}
	if _, err := f.client.DeleteLoadBalancer(bg, &elbsdk.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.DescribeLoadBalancers(bg, &elbsdk.DescribeLoadBalancersInput{LoadBalancerArns: []string{aws.ToString(lb.LoadBalancerArn)}}); !errors.As(err, &nf) {
		t.Errorf("after delete: %v", err)
	}
	if _, err := f.client.DeleteLoadBalancer(bg, &elbsdk.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn}); err != nil {
		t.Errorf("deleting again: %v", err)
	}
}

func TestTargetGroups(t *testing.T) {
	f := temp(t)
	out, err := f.client.CreateTargetGroup(bg, &elbsdk.CreateTargetGroupInput{Name: aws.String("fn-tg"), TargetType: types.TargetTypeEnumLambda})
	if err != nil {
		t.Fatal(err)
	}
	tg := out.TargetGroups[0]
	if tg.TargetType != types.TargetTypeEnumLambda || tg.Port != nil || tg.Protocol != "" || tg.VpcId != nil || aws.ToBool(tg.HealthCheckEnabled) ||
		!strings.HasPrefix(aws.ToString(tg.TargetGroupArn), "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/fn-tg/") {
		t.Fatalf("CreateTargetGroup = %+v", tg)
	}
	if _, err := f.client.CreateTargetGroup(bg, &elbsdk.CreateTargetGroupInput{Name: aws.String("x"), TargetType: types.TargetTypeEnumLambda, Port: aws.Int32(80)}); code(err) != "ValidationError" {
		t.Errorf("lambda group with a port: %v", err)
	}
	var dup *types.DuplicateTargetGroupNameException
	if _, err := f.client.CreateTargetGroup(bg, &elbsdk.CreateTargetGroupInput{Name: aws.String("fn-tg"), TargetType: types.TargetTypeEnumIp,
		Port: aws.Int32(80), Protocol: types.ProtocolEnumHttp, VpcId: aws.String("vpc-1")}); !errors.As(err, &dup) {
		t.Errorf("duplicate name: %v", err)
	}
	attrs, err := f.client.DescribeTargetGroupAttributes(bg, &elbsdk.DescribeTargetGroupAttributesInput{TargetGroupArn: tg.TargetGroupArn})
	if err != nil || len(attrs.Attributes) != 1 || aws.ToString(attrs.Attributes[0].Key) != elbv2.AttrMultiValueHeaders || aws.ToString(attrs.Attributes[0].Value) != "false" {
		t.Fatalf("default attributes: %+v %v", attrs, err)
	}
	mod, err := f.client.ModifyTargetGroupAttributes(bg, &elbsdk.ModifyTargetGroupAttributesInput{TargetGroupArn: tg.TargetGroupArn,
		Attributes: []types.TargetGroupAttribute{{Key: aws.String(elbv2.AttrMultiValueHeaders), Value: aws.String("true")}}})
	if err != nil || aws.ToString(mod.Attributes[0].Value) != "true" {
		t.Fatalf("ModifyTargetGroupAttributes: %+v %v", mod, err)
	}
	if _, err := f.client.ModifyTargetGroupAttributes(bg, &elbsdk.ModifyTargetGroupAttributesInput{TargetGroupArn: tg.TargetGroupArn,
		Attributes: []types.TargetGroupAttribute{{Key: aws.String("stickiness.enabled"), Value: aws.String("true")}}}); code(err) != "ValidationError" {
		t.Errorf("unknown attribute: %v", err)
	}
	var nf *types.TargetGroupNotFoundException
	if _, err := f.client.DescribeTargetGroupAttributes(bg, &elbsdk.DescribeTargetGroupAttributesInput{TargetGroupArn: aws.String("arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/nope/0123456789abcdef")}); !errors.As(err, &nf) {
		t.Errorf("unknown group: %v", err)
	}
	desc, err := f.client.DescribeTargetGroups(bg, &elbsdk.DescribeTargetGroupsInput{Names: []string{"fn-tg"}})
	if err != nil || len(desc.TargetGroups) != 1 {
		t.Fatalf("DescribeTargetGroups: %+v %v", desc, err)
	}
}

func TestTargets(t *testing.T) {
	f := temp(t)
	tg := f.lambdaGroup(t, "fn-tg")
	fn, fn2 := fnPrefix+"fn", fnPrefix+"fn2"
	reg := func(ids ...string) error {
		var targets []types.TargetDescription
		for _, id := range ids {
			targets = append(targets, types.TargetDescription{Id: aws.String(id)})
		}
		_, err := f.client.RegisterTargets(bg, &elbsdk.RegisterTargetsInput{TargetGroupArn: aws.String(tg), Targets: targets})
		return err
	}
	err := reg(fn)
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "AccessDenied" ||
		apiErr.ErrorMessage() != fmt.Sprintf("elasticloadbalancing principal does not have permission to invoke %s from target group %s", fn, tg) {
		t.Fatalf("without permission: %v", err)
	}
	var invalid *types.InvalidTargetException
	if err := reg(fnPrefix + "missing"); !errors.As(err, &invalid) {
		t.Errorf("unknown function: %v", err)
	}
	if err := reg("arn:aws:lambda:eu-west-1:000000000000:function:fn"); !errors.As(err, &invalid) {
		t.Errorf("other region: %v", err)
	}
	if err := reg("i-0123456789"); !errors.As(err, &invalid) {
		t.Errorf("not a function ARN: %v", err)
	}
	f.policy.allow(fn, tg)
	f.policy.allow(fn2, tg)
	if err := reg(fn); err != nil {
		t.Fatal(err)
	}
	if err := reg(fn); err != nil {
		t.Errorf("registering again: %v", err)
	}
	var tooMany *types.TooManyTargetsException
	if err := reg(fn2); !errors.As(err, &tooMany) {
		t.Errorf("a second function: %v", err)
	}
	health, err := f.client.DescribeTargetHealth(bg, &elbsdk.DescribeTargetHealthInput{TargetGroupArn: aws.String(tg)})
	if err != nil || len(health.TargetHealthDescriptions) != 1 || aws.ToString(health.TargetHealthDescriptions[0].Target.Id) != fn ||
		health.TargetHealthDescriptions[0].TargetHealth.State != types.TargetHealthStateEnumUnused {
		t.Fatalf("DescribeTargetHealth: %+v %v", health, err)
	}
	if _, err := f.client.DeregisterTargets(bg, &elbsdk.DeregisterTargetsInput{TargetGroupArn: aws.String(tg), Targets: []types.TargetDescription{{Id: aws.String(fn)}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.DeregisterTargets(bg, &elbsdk.DeregisterTargetsInput{TargetGroupArn: aws.String(tg), Targets: []types.TargetDescription{{Id: aws.String(fn)}}}); !errors.As(err, &invalid) {
		t.Errorf("deregistering twice: %v", err)
	}
	if err := reg(fn2); err != nil {
		t.Errorf("another function after deregistering: %v", err)
	}
}

func TestListeners(t *testing.T) {
	f := temp(t)
	var events []elbv2.ListenerEvent
	f.svc.Subscribe(func(ev elbv2.ListenerEvent) { events = append(events, ev) })
	lb, err := f.client.CreateLoadBalancer(bg, &elbsdk.CreateLoadBalancerInput{Name: aws.String("lb")})
	if err != nil {
		t.Fatal(err)
	}
	lbARN := lb.LoadBalancers[0].LoadBalancerArn
	tg := f.lambdaGroup(t, "tg")
	f.policy.allow(fnPrefix+"fn", tg)
	if _, err := f.client.RegisterTargets(bg, &elbsdk.RegisterTargetsInput{TargetGroupArn: aws.String(tg), Targets: []types.TargetDescription{{Id: aws.String(fnPrefix + "fn")}}}); err != nil {
		t.Fatal(err)
	}
	forward := []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: aws.String(tg)}}
	l, err := f.client.CreateListener(bg, &elbsdk.CreateListenerInput{LoadBalancerArn: lbARN, Port: aws.Int32(8080), Protocol: types.ProtocolEnumHttp, DefaultActions: forward})
	if err != nil {
		t.Fatal(err)
	}
	listener := l.Listeners[0]
	if aws.ToInt32(listener.Port) != 8080 || listener.Protocol != types.ProtocolEnumHttp || aws.ToString(listener.DefaultActions[0].TargetGroupArn) != tg {
		t.Fatalf("CreateListener = %+v", listener)
	}
	var dup *types.DuplicateListenerException
	if _, err := f.client.CreateListener(bg, &elbsdk.CreateListenerInput{LoadBalancerArn: lbARN, Port: aws.Int32(8080), Protocol: types.ProtocolEnumHttp, DefaultActions: forward}); !errors.As(err, &dup) {
		t.Errorf("same port: %v", err)
	}
	var tgnf *types.TargetGroupNotFoundException
	if _, err := f.client.CreateListener(bg, &elbsdk.CreateListenerInput{LoadBalancerArn: lbARN, Port: aws.Int32(81), DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward,
		TargetGroupArn: aws.String("arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/nope/0123456789abcdef")}}}); !errors.As(err, &tgnf) {
		t.Errorf("unknown target group: %v", err)
	}
	var lbnf *types.LoadBalancerNotFoundException
	if _, err := f.client.CreateListener(bg, &elbsdk.CreateListenerInput{LoadBalancerArn: aws.String("arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/nope/0123456789abcdef"),
		Port: aws.Int32(81), DefaultActions: forward}); !errors.As(err, &lbnf) {
		t.Errorf("unknown load balancer: %v", err)
	}
	desc, err := f.client.DescribeListeners(bg, &elbsdk.DescribeListenersInput{LoadBalancerArn: lbARN})
	if err != nil || len(desc.Listeners) != 1 || aws.ToString(desc.Listeners[0].ListenerArn) != aws.ToString(listener.ListenerArn) {
		t.Fatalf("DescribeListeners: %+v %v", desc, err)
	}
	groups, err := f.client.DescribeTargetGroups(bg, &elbsdk.DescribeTargetGroupsInput{LoadBalancerArn: lbARN})
	if err != nil || len(groups.TargetGroups) != 1 || groups.TargetGroups[0].LoadBalancerArns[0] != aws.ToString(lbARN) {
		t.Fatalf("DescribeTargetGroups by load balancer: %+v %v", groups, err)
	}
	health, _ := f.client.DescribeTargetHealth(bg, &elbsdk.DescribeTargetHealthInput{TargetGroupArn: aws.String(tg)})
	if th := health.TargetHealthDescriptions[0].TargetHealth; th.State != types.TargetHealthStateEnumUnavailable || th.Reason != types.TargetHealthReasonEnumHealthCheckDisabled {
		t.Errorf("health of a used lambda target: %+v", th)
	}
	r, err := f.svc.RouteByName("lb", 8080)
	if err != nil || r.FunctionARN != fnPrefix+"fn" || r.TargetGroupARN != tg || !r.Lambda || r.MultiValueHeaders {
		t.Errorf("RouteByName = %+v, %v", r, err)
	}
	if r, err := f.svc.RouteByHost(aws.ToString(lb.LoadBalancers[0].DNSName), 4566); err != nil || r.Port != 8080 {
		t.Errorf("RouteByHost = %+v, %v", r, err)
	}
	if _, err := f.svc.RouteByName("lb", 9999); !errors.Is(err, elbv2.ErrNoRoute) {
		t.Errorf("RouteByName to a missing port: %v", err)
	}
	var inUse *types.ResourceInUseException
	if _, err := f.client.DeleteTargetGroup(bg, &elbsdk.DeleteTargetGroupInput{TargetGroupArn: aws.String(tg)}); !errors.As(err, &inUse) {
		t.Errorf("deleting a group in use: %v", err)
	}
	if _, err := f.client.DeleteListener(bg, &elbsdk.DeleteListenerInput{ListenerArn: listener.ListenerArn}); err != nil {
		t.Fatal(err)
	}
	var lnf *types.ListenerNotFoundException
	if _, err := f.client.DeleteListener(bg, &elbsdk.DeleteListenerInput{ListenerArn: listener.ListenerArn}); !errors.As(err, &lnf) {
		t.Errorf("deleting twice: %v", err)
	}
	if _, err := f.client.DeleteTargetGroup(bg, &elbsdk.DeleteTargetGroupInput{TargetGroupArn: aws.String(tg)}); err != nil {
		t.Errorf("deleting the unused group: %v", err)
	}
	if len(events) != 2 || events[0].Deleted || !events[1].Deleted || events[0].Listener.Port != 8080 {
		t.Errorf("listener events = %+v", events)
	}
}

func TestUnknownAction(t *testing.T) {
	f := temp(t)
	resp, err := simtest.HTTPClient().PostForm(f.url, url.Values{"Action": {"CreateTrustStore"}, "Version": {elbv2.Version}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("unknown action: %d", resp.StatusCode)
	}
}

func TestRestart(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	f := open(t, st)
	lb, err := f.client.CreateLoadBalancer(bg, &elbsdk.CreateLoadBalancerInput{Name: aws.String("lb")})
	if err != nil {
		t.Fatal(err)
	}
	tg := f.lambdaGroup(t, "tg")
	if _, err := f.client.CreateListener(bg, &elbsdk.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Port: aws.Int32(80),
		DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: aws.String(tg)}}}); err != nil {
		t.Fatal(err)
	}
	f.svc.Close()
	st.Close()

	st, err = store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f = open(t, st)
	ls, err := f.svc.Listeners()
	if err != nil || len(ls) != 1 || ls[0].Port != 80 {
		t.Fatalf("listeners after restart: %+v %v", ls, err)
	}
	desc, err := f.client.DescribeLoadBalancers(bg, &elbsdk.DescribeLoadBalancersInput{})
	if err != nil || len(desc.LoadBalancers) != 1 || aws.ToString(desc.LoadBalancers[0].DNSName) != aws.ToString(lb.LoadBalancers[0].DNSName) {
		t.Fatalf("load balancers after restart: %+v %v", desc, err)
	}
}

// FuzzQuery posts arbitrary forms to every operation: answers are AWS-shaped, never 5xx.
func FuzzQuery(f *testing.F) {
	f.Add("Action=CreateLoadBalancer&Name=__Name__&Scheme=internet-facing&Type=application&Version=2015-12-01")
	f.Add("Action=CreateTargetGroup&Name=__Name__&TargetType=lambda&Version=2015-12-01")
	f.Add("Action=RegisterTargets&TargetGroupArn=__TargetGroupArn__&Targets.member.1.Id=__Id__&Version=2015-12-01")
	f.Add("Action=CreateListener&DefaultActions.member.1.TargetGroupArn=__TargetGroupArn__&DefaultActions.member.1.Type=forward&LoadBalancerArn=__LoadBalancerArn__&Port=1&Protocol=HTTP&Version=2015-12-01")
	f.Add("Action=ModifyTargetGroupAttributes&Attributes.member.1.Key=__Key__&Attributes.member.1.Value=__Value__&TargetGroupArn=__TargetGroupArn__&Version=2015-12-01")
	f.Add("Action=DescribeLoadBalancers&PageSize=1&Marker=x&Version=2015-12-01")
	st, err := store.OpenTemp()
	if err != nil {
		f.Fatal(err)
	}
	defer st.Close()
	svc, err := elbv2.New(elbv2.Config{Store: st, Lambda: &fakePolicy{allowed: map[string]bool{}}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, form string) {
		req := httptest.NewRequest("POST", "/", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		svc.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%q: %d %s", form, rec.Code, rec.Body)
		}
	})
}

// TestCLI runs the AWS CLI (v2 when present, else v1) against the service.
func TestCLI(t *testing.T) {
	cli := awsCLI(t)
	f := temp(t)
	run := func(args ...string) string {
		t.Helper()
		c, cancel := context.WithTimeout(bg, 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(c, cli, append(args, "--endpoint-url", f.url, "--region", "us-east-1", "--output", "text")...)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	arn := run("elbv2", "create-target-group", "--name", "cli-tg", "--target-type", "lambda", "--query", "TargetGroups[0].TargetGroupArn")
	if !strings.Contains(arn, ":targetgroup/cli-tg/") {
		t.Fatalf("create-target-group: %q", arn)
	}
	if dns := run("elbv2", "create-load-balancer", "--name", "cli-lb", "--query", "LoadBalancers[0].DNSName"); !strings.HasSuffix(dns, ".elb.localhost") {
		t.Errorf("create-load-balancer: %q", dns)
	}
}

func awsCLI(t *testing.T) string {
	t.Helper()
	candidates := []string{}
	if p := os.Getenv("LAMBDATRIGGER_AWSCLI"); p != "" {
		candidates = append(candidates, p)
	}
	if out, err := exec.Command("/usr/bin/aws", "--version").CombinedOutput(); err == nil && strings.HasPrefix(string(out), "aws-cli/2") {
		candidates = append(candidates, "/usr/bin/aws")
	}
	if p, err := exec.LookPath("aws"); err == nil {
		candidates = append(candidates, p)
	}
	for _, c := range candidates {
		if err := exec.Command(c, "--version").Run(); err == nil {
			return c
		}
	}
	t.Skip("no working AWS CLI: set LAMBDATRIGGER_AWSCLI, or install Debian's awscli (v2) or the v1 CLI")
	return ""
}
