package events

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/smithy-go"
)

func apiCode(t *testing.T, err error) string {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want an AWS API error, got %v", err)
	}
	return ae.ErrorCode()
}

func TestEvents_rulesLifecycle(t *testing.T) {
	h := newHarness(t, "")
	out, err := h.client.PutRule(ctx(), &eventbridge.PutRuleInput{
		Name: aws.String("orders"), EventPattern: aws.String(`{"source":["shop"]}`), Description: aws.String("d"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToString(out.RuleArn), "arn:aws:events:us-east-1:000000000000:rule/orders"; got != want {
		t.Fatalf("RuleArn %s, want %s", got, want)
	}
	d, err := h.client.DescribeRule(ctx(), &eventbridge.DescribeRuleInput{Name: aws.String("orders")})
	if err != nil {
		t.Fatal(err)
	}
	if d.State != types.RuleStateEnabled || aws.ToString(d.EventBusName) != "default" || aws.ToString(d.EventPattern) != `{"source":["shop"]}` || aws.ToString(d.Description) != "d" {
		t.Fatalf("DescribeRule %+v", d)
	}
	if _, err := h.client.DisableRule(ctx(), &eventbridge.DisableRuleInput{Name: aws.String("orders")}); err != nil {
		t.Fatal(err)
	}
	d, _ = h.client.DescribeRule(ctx(), &eventbridge.DescribeRuleInput{Name: aws.String("orders")})
	if d.State != types.RuleStateDisabled {
		t.Fatalf("state after DisableRule: %s", d.State)
	}
	if _, err := h.client.EnableRule(ctx(), &eventbridge.EnableRuleInput{Name: aws.String("orders")}); err != nil {
		t.Fatal(err)
	}
	tags, err := h.client.ListTagsForResource(ctx(), &eventbridge.ListTagsForResourceInput{ResourceARN: out.RuleArn})
	if err != nil || len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "team" {
		t.Fatalf("tags %+v %v", tags, err)
	}

	// A custom bus: its rules carry the bus in their ARN, and schedules are refused there.
	bus, err := h.client.CreateEventBus(ctx(), &eventbridge.CreateEventBusInput{Name: aws.String("custom")})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(bus.EventBusArn); got != "arn:aws:events:us-east-1:000000000000:event-bus/custom" {
		t.Fatalf("EventBusArn %s", got)
	}
	out, err = h.client.PutRule(ctx(), &eventbridge.PutRuleInput{Name: aws.String("r"), EventBusName: aws.String("custom"), EventPattern: aws.String(`{"source":["x"]}`)})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(out.RuleArn); got != "arn:aws:events:us-east-1:000000000000:rule/custom/r" {
		t.Fatalf("RuleArn on a custom bus %s", got)
	}
	_, err = h.client.PutRule(ctx(), &eventbridge.PutRuleInput{Name: aws.String("s"), EventBusName: aws.String("custom"), ScheduleExpression: aws.String("rate(5 minutes)")})
	if code := apiCode(t, err); code != "ValidationException" {
		t.Fatalf("schedule on a custom bus: %s", code)
	}
	_, err = h.client.CreateEventBus(ctx(), &eventbridge.CreateEventBusInput{Name: aws.String("custom")})
	var exists *types.ResourceAlreadyExistsException
	if !errors.As(err, &exists) {
		t.Fatalf("duplicate bus: %v", err)
	}
	buses, err := h.client.ListEventBuses(ctx(), &eventbridge.ListEventBusesInput{})
	if err != nil || len(buses.EventBuses) != 2 {
		t.Fatalf("ListEventBuses %+v %v", buses, err)
	}
	desc, err := h.client.DescribeEventBus(ctx(), &eventbridge.DescribeEventBusInput{})
	if err != nil || aws.ToString(desc.Name) != "default" {
		t.Fatalf("default bus %+v %v", desc, err)
	}

	// Deleting a rule with targets is refused; without them it goes.
	if _, err := h.client.PutTargets(ctx(), &eventbridge.PutTargetsInput{Rule: aws.String("orders"), Targets: []types.Target{{Id: aws.String("t1"), Arn: aws.String(lambdaARN)}}}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.DeleteRule(ctx(), &eventbridge.DeleteRuleInput{Name: aws.String("orders")})
	if code := apiCode(t, err); code != "ValidationException" || !strings.Contains(err.Error(), "Rule can't be deleted since it has targets.") {
		t.Fatalf("DeleteRule with targets: %v", err)
	}
	if _, err := h.client.RemoveTargets(ctx(), &eventbridge.RemoveTargetsInput{Rule: aws.String("orders"), Ids: []string{"t1"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.DeleteRule(ctx(), &eventbridge.DeleteRuleInput{Name: aws.String("orders")}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.DescribeRule(ctx(), &eventbridge.DescribeRuleInput{Name: aws.String("orders")})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) || !strings.Contains(err.Error(), "Rule orders does not exist on EventBus default.") {
		t.Fatalf("DescribeRule after delete: %v", err)
	}
}

func TestEvents_putRuleValidation(t *testing.T) {
	h := newHarness(t, "")
	_, err := h.client.PutRule(ctx(), &eventbridge.PutRuleInput{Name: aws.String("bad"), EventPattern: aws.String(`{"source":"not-an-array"}`)})
	var inv *types.InvalidEventPatternException
	if !errors.As(err, &inv) || !strings.Contains(err.Error(), "Event pattern is not valid. Reason: ") {
		t.Fatalf("invalid pattern: %v", err)
	}
	for _, expr := range []string{"rate(1 minutes)", "rate(5 minute)", "rate(0 minutes)", "cron(0 10 * * * *)", "cron(0 10 * *)", "every 5 minutes"} {
		_, err = h.client.PutRule(ctx(), &eventbridge.PutRuleInput{Name: aws.String("s"), ScheduleExpression: aws.String(expr)})
		if code := apiCode(t, err); code != "ValidationException" || !strings.Contains(err.Error(), "Parameter ScheduleExpression is not valid.") {
			t.Fatalf("%q: %v", expr, err)
		}
	}
	_, err = h.client.PutRule(ctx(), &eventbridge.PutRuleInput{Name: aws.String("none")})
	if code := apiCode(t, err); code != "ValidationException" {
		t.Fatalf("rule without pattern or schedule: %v", err)
	}
	_, err = h.client.PutRule(ctx(), &eventbridge.PutRuleInput{Name: aws.String("x"), EventBusName: aws.String("missing"), EventPattern: aws.String(`{"source":["a"]}`)})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("rule on a missing bus: %v", err)
	}
}

func TestEvents_targetsLimitAndEcho(t *testing.T) {
	h := newHarness(t, "")
	if _, err := h.client.PutRule(ctx(), &eventbridge.PutRuleInput{Name: aws.String("r"), EventPattern: aws.String(`{"source":["a"]}`)}); err != nil {
		t.Fatal(err)
	}
	var targets []types.Target
	for i := range 5 {
		targets = append(targets, types.Target{Id: aws.String(fmt.Sprintf("t%d", i)), Arn: aws.String(lambdaARN),
			RetryPolicy:      &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(3), MaximumEventAgeInSeconds: aws.Int32(120)},
			DeadLetterConfig: &types.DeadLetterConfig{Arn: aws.String(dlqARN)},
			InputTransformer: &types.InputTransformer{InputPathsMap: map[string]string{"s": "$.source"}, InputTemplate: aws.String(`"<s>"`)}})
	}
	out, err := h.client.PutTargets(ctx(), &eventbridge.PutTargetsInput{Rule: aws.String("r"), Targets: targets})
	if err != nil || out.FailedEntryCount != 0 {
		t.Fatalf("PutTargets %+v %v", out, err)
	}
	_, err = h.client.PutTargets(ctx(), &eventbridge.PutTargetsInput{Rule: aws.String("r"), Targets: []types.Target{{Id: aws.String("sixth"), Arn: aws.String(lambdaARN)}}})
	var le *types.LimitExceededException
	if !errors.As(err, &le) {
		t.Fatalf("sixth target: %v", err)
	}
	// Replacing an existing Id is not a new target.
	if _, err := h.client.PutTargets(ctx(), &eventbridge.PutTargetsInput{Rule: aws.String("r"), Targets: []types.Target{{Id: aws.String("t0"), Arn: aws.String(queueARN)}}}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.PutTargets(ctx(), &eventbridge.PutTargetsInput{Rule: aws.String("r"), Targets: []types.Target{{Id: aws.String("t1"), Arn: aws.String(lambdaARN),
		RetryPolicy: &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(186)}}}})
	if code := apiCode(t, err); code != "ValidationException" {
		t.Fatalf("MaximumRetryAttempts 186: %v", err)
	}
	list, err := h.client.ListTargetsByRule(ctx(), &eventbridge.ListTargetsByRuleInput{Rule: aws.String("r"), Limit: aws.Int32(2)})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Targets) != 2 || list.NextToken == nil || aws.ToString(list.Targets[0].Arn) != queueARN {
		t.Fatalf("first page %+v", list)
	}
	t1 := list.Targets[1]
	if aws.ToInt32(t1.RetryPolicy.MaximumRetryAttempts) != 3 || aws.ToString(t1.DeadLetterConfig.Arn) != dlqARN || aws.ToString(t1.InputTransformer.InputTemplate) != `"<s>"` {
		t.Fatalf("target not echoed: %+v", t1)
	}
	rest, err := h.client.ListTargetsByRule(ctx(), &eventbridge.ListTargetsByRuleInput{Rule: aws.String("r"), NextToken: list.NextToken})
	if err != nil || len(rest.Targets) != 3 || rest.NextToken != nil {
		t.Fatalf("second page %+v %v", rest, err)
	}
	names, err := h.client.ListRuleNamesByTarget(ctx(), &eventbridge.ListRuleNamesByTargetInput{TargetArn: aws.String(queueARN)})
	if err != nil || len(names.RuleNames) != 1 || names.RuleNames[0] != "r" {
		t.Fatalf("ListRuleNamesByTarget %+v %v", names, err)
	}
}

func TestEvents_listRulesPagination(t *testing.T) {
	h := newHarness(t, "")
	for _, n := range []string{"a1", "a2", "a3", "b1"} {
		if _, err := h.client.PutRule(ctx(), &eventbridge.PutRuleInput{Name: aws.String(n), EventPattern: aws.String(`{"source":["a"]}`)}); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	in := &eventbridge.ListRulesInput{NamePrefix: aws.String("a"), Limit: aws.Int32(2)}
	for {
		out, err := h.client.ListRules(ctx(), in)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range out.Rules {
			names = append(names, aws.ToString(r.Name))
		}
		if out.NextToken == nil {
			break
		}
		in.NextToken = out.NextToken
	}
	if strings.Join(names, ",") != "a1,a2,a3" {
		t.Fatalf("ListRules with prefix: %v", names)
	}
}

func TestEvents_putEventsEntryErrors(t *testing.T) {
	h := newHarness(t, "")
	out, err := h.client.PutEvents(ctx(), &eventbridge.PutEventsInput{Entries: []types.PutEventsRequestEntry{
		{Source: aws.String("app"), DetailType: aws.String("t"), Detail: aws.String(`{"ok":true}`)},
		{Source: aws.String("app"), DetailType: aws.String("t")},
		{Source: aws.String("app"), DetailType: aws.String("t"), Detail: aws.String(`[1]`)},
		{Source: aws.String("aws.ec2"), DetailType: aws.String("t"), Detail: aws.String(`{}`)},
		{Source: aws.String("app"), DetailType: aws.String("t"), Detail: aws.String(`{}`), EventBusName: aws.String("nope")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if out.FailedEntryCount != 4 || aws.ToString(out.Entries[0].EventId) == "" {
		t.Fatalf("entries %+v", out.Entries)
	}
	codes := []string{aws.ToString(out.Entries[1].ErrorCode), aws.ToString(out.Entries[2].ErrorCode), aws.ToString(out.Entries[3].ErrorCode), aws.ToString(out.Entries[4].ErrorCode)}
	if strings.Join(codes, ",") != "InvalidArgument,MalformedDetail,NotAuthorizedForSourceException,ResourceNotFoundException" {
		t.Fatalf("error codes %v", codes)
	}
	var eleven []types.PutEventsRequestEntry
	for range 11 {
		eleven = append(eleven, types.PutEventsRequestEntry{Source: aws.String("a"), DetailType: aws.String("t"), Detail: aws.String(`{}`)})
	}
	_, err = h.client.PutEvents(ctx(), &eventbridge.PutEventsInput{Entries: eleven})
	if code := apiCode(t, err); code != "ValidationException" {
		t.Fatalf("11 entries: %v", err)
	}
	big := `{"x":"` + strings.Repeat("a", maxEntriesSize) + `"}`
	_, err = h.client.PutEvents(ctx(), &eventbridge.PutEventsInput{Entries: []types.PutEventsRequestEntry{{Source: aws.String("a"), DetailType: aws.String("t"), Detail: aws.String(big)}}})
	if code := apiCode(t, err); code != "ValidationException" {
		t.Fatalf("oversized entry: %v", err)
	}
	// Just under the limit is accepted.
	fits := `{"x":"` + strings.Repeat("a", maxEntriesSize-len(`{"x":""}`)-2) + `"}`
	out, err = h.client.PutEvents(ctx(), &eventbridge.PutEventsInput{Entries: []types.PutEventsRequestEntry{{Source: aws.String("a"), DetailType: aws.String("t"), Detail: aws.String(fits)}}})
	if err != nil || out.FailedEntryCount != 0 {
		t.Fatalf("entry at the limit: %+v %v", out, err)
	}
}

func TestEvents_testEventPattern(t *testing.T) {
	h := newHarness(t, "")
	ev := `{"id":"1","account":"000000000000","source":"shop","time":"2026-01-01T00:00:00Z","region":"us-east-1","resources":[],"detail-type":"order","detail":{"total":120}}`
	for pat, want := range map[string]bool{
		`{"source":["shop"],"detail":{"total":[{"numeric":[">",100]}]}}`: true,
		`{"source":["shop"],"detail":{"total":[{"numeric":["<",100]}]}}`: false,
		`{"source":["other"]}`: false,
	} {
		out, err := h.client.TestEventPattern(ctx(), &eventbridge.TestEventPatternInput{Event: aws.String(ev), EventPattern: aws.String(pat)})
		if err != nil {
			t.Fatal(err)
		}
		if out.Result != want {
			t.Fatalf("%s: %v, want %v", pat, out.Result, want)
		}
	}
	_, err := h.client.TestEventPattern(ctx(), &eventbridge.TestEventPatternInput{Event: aws.String(ev), EventPattern: aws.String(`{"source":`)})
	var inv *types.InvalidEventPatternException
	if !errors.As(err, &inv) {
		t.Fatalf("bad pattern: %v", err)
	}
}

func TestEvents_unknownOperation(t *testing.T) {
	h := newHarness(t, "")
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/", strings.NewReader("{}"))
	req.Header.Set("X-Amz-Target", "AWSEvents.StartReplay")
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "UnknownOperationException") {
		t.Fatalf("unknown operation answered %d %s", resp.StatusCode, body)
	}
}
