package logs

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	lambdaevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/runtime"
)

func decode(t *testing.T, m deliver.Message) lambdaevents.CloudwatchLogsData {
	t.Helper()
	var e lambdaevents.CloudwatchLogsEvent
	if err := json.Unmarshal(m.Body, &e); err != nil {
		t.Fatalf("body %s: %v", m.Body, err)
	}
	d, err := e.AWSLogs.Parse()
	if err != nil {
		t.Fatalf("awslogs.data does not decode: %v", err)
	}
	return d
}

func (h *harness) subscribe(group, name, pattern string) error {
	_, err := h.client.PutSubscriptionFilter(ctx(), &cloudwatchlogs.PutSubscriptionFilterInput{LogGroupName: aws.String(group),
		FilterName: aws.String(name), FilterPattern: aws.String(pattern), DestinationArn: aws.String(lambdaARN)})
	return err
}

func TestLogs_subscriptionDeliversBatches(t *testing.T) {
	h := newHarness(t, "")
	h.group("/aws/lambda/app", "s1", "s2")
	if err := h.subscribe("/aws/lambda/app", "errors", "ERROR"); err != nil {
		t.Fatal(err)
	}
	h.settle()
	msgs := h.lambda.all()
	if len(msgs) != 1 {
		t.Fatalf("%d messages after subscribing, want the control message", len(msgs))
	}
	control := decode(t, msgs[0])
	if control.MessageType != "CONTROL_MESSAGE" || len(control.LogEvents) != 1 || !strings.Contains(control.LogEvents[0].Message, "CWL CONTROL MESSAGE") {
		t.Fatalf("control message %+v", control)
	}

	h.putLogs("/aws/lambda/app", "s1", ev(0, "INFO start"), ev(time.Millisecond, "ERROR one"), ev(2*time.Millisecond, "ERROR two"))
	h.putLogs("/aws/lambda/app", "s1", ev(3*time.Millisecond, "ERROR three"))
	h.putLogs("/aws/lambda/app", "s2", ev(4*time.Millisecond, "ERROR other stream"))
	h.settle()
	if n := len(h.lambda.all()); n != 1 {
		t.Fatalf("delivered before the batch window closed: %d messages", n)
	}
	h.advance(time.Second)
	msgs = h.lambda.all()[1:]
	if len(msgs) != 2 {
		t.Fatalf("%d batches, want one per stream", len(msgs))
	}
	byStream := map[string]lambdaevents.CloudwatchLogsData{}
	for _, m := range msgs {
		if m.Principal != "logs.amazonaws.com" || m.SourceARN != "arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/app:*" || m.SourceAccount != testAccount {
			t.Fatalf("delivery identity %+v", m)
		}
		d := decode(t, m)
		byStream[d.LogStream] = d
	}
	s1 := byStream["s1"]
	if s1.MessageType != "DATA_MESSAGE" || s1.Owner != testAccount || s1.LogGroup != "/aws/lambda/app" || len(s1.SubscriptionFilters) != 1 || s1.SubscriptionFilters[0] != "errors" {
		t.Fatalf("batch header %+v", s1)
	}
	var got []string
	for _, e := range s1.LogEvents {
		got = append(got, e.Message)
		if e.ID == "" || e.Timestamp < ms(0) {
			t.Fatalf("event %+v", e)
		}
	}
	if strings.Join(got, ",") != "ERROR one,ERROR two,ERROR three" {
		t.Fatalf("s1 batch %v (the INFO line must be filtered out)", got)
	}
	if d := byStream["s2"]; len(d.LogEvents) != 1 || d.LogEvents[0].Message != "ERROR other stream" {
		t.Fatalf("s2 batch %+v", d)
	}
	h.advance(time.Minute)
	if n := len(h.lambda.all()); n != 3 {
		t.Fatalf("batches sent twice: %d messages", n)
	}
}

func TestLogs_subscriptionLimitAndLifecycle(t *testing.T) {
	h := newHarness(t, "")
	h.group("g", "s")
	for _, name := range []string{"one", "two"} {
		if err := h.subscribe("g", name, ""); err != nil {
			t.Fatal(err)
		}
	}
	err := h.subscribe("g", "three", "")
	var le *types.LimitExceededException
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "Resource limit exceeded.") {
		t.Fatalf("third filter: %v", err)
	}
	// Updating an existing filter is not a third one.
	if err := h.subscribe("g", "two", "ERROR"); err != nil {
		t.Fatalf("updating a filter: %v", err)
	}
	out, err := h.client.DescribeSubscriptionFilters(ctx(), &cloudwatchlogs.DescribeSubscriptionFiltersInput{LogGroupName: aws.String("g")})
	if err != nil || len(out.SubscriptionFilters) != 2 || aws.ToString(out.SubscriptionFilters[1].FilterPattern) != "ERROR" ||
		aws.ToString(out.SubscriptionFilters[0].DestinationArn) != lambdaARN {
		t.Fatalf("DescribeSubscriptionFilters %+v %v", out, err)
	}
	if _, err := h.client.DeleteSubscriptionFilter(ctx(), &cloudwatchlogs.DeleteSubscriptionFilterInput{LogGroupName: aws.String("g"), FilterName: aws.String("one")}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.DeleteSubscriptionFilter(ctx(), &cloudwatchlogs.DeleteSubscriptionFilterInput{LogGroupName: aws.String("g"), FilterName: aws.String("one")})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("deleting a deleted filter: %v", err)
	}
	if err := h.subscribe("g", "three", ""); err != nil {
		t.Fatalf("a filter after deleting one: %v", err)
	}
	err = h.subscribe("g", "bad", "[a, b]")
	var inv *types.InvalidParameterException
	if !errors.As(err, &inv) {
		t.Fatalf("unsupported pattern: %v", err)
	}
}

func TestLogs_subscriptionChecksLambdaPolicy(t *testing.T) {
	var asked []string
	allowGroup := ""
	p := policy{allow: func(fn, principal, source, account string) bool {
		asked = append(asked, principal+" "+source)
		return fn == lambdaARN && principal == "logs.amazonaws.com" && source == allowGroup && account == testAccount
	}}
	h2 := newHarnessWithPolicy(t, p)
	h2.group("g", "s")
	err := h2.subscribe("g", "f", "")
	var inv *types.InvalidParameterException
	if !errors.As(err, &inv) || !strings.Contains(err.Error(), "Could not execute the lambda function.") {
		t.Fatalf("subscription without permission: %v", err)
	}
	if len(asked) != 2 || !strings.Contains(asked[1], "logs.us-east-1.amazonaws.com") {
		t.Fatalf("principals asked: %v", asked)
	}
	allowGroup = "arn:aws:logs:us-east-1:000000000000:log-group:g:*"
	if err := h2.subscribe("g", "f", ""); err != nil {
		t.Fatalf("subscription with permission: %v", err)
	}
}

func newHarnessWithPolicy(t *testing.T, p LambdaPolicy) *harness {
	h := &harness{t: t, clock: clock.NewManual(testStart), lambda: &recorder{}, policy: p}
	h.open("")
	t.Cleanup(h.close)
	return h
}

func TestLogs_deliveryRetriesThenDrops(t *testing.T) {
	h := newHarness(t, "")
	h.group("g", "s")
	if err := h.subscribe("g", "f", ""); err != nil {
		t.Fatal(err)
	}
	h.settle()
	h.lambda.setFail(func(deliver.Message) error { return errors.New("throttled") })
	h.putLogs("g", "s", ev(0, "hello"))
	h.advance(time.Second)
	if n := len(h.lambda.all()); n != 2 {
		t.Fatalf("%d messages, want control + first attempt", n)
	}
	h.advance(time.Second)
	h.lambda.setFail(nil)
	h.advance(2 * time.Second)
	msgs := h.lambda.all()
	if len(msgs) != 4 {
		t.Fatalf("%d messages, want control + 3 attempts", len(msgs))
	}
	if d := decode(t, msgs[3]); len(d.LogEvents) != 1 || d.LogEvents[0].Message != "hello" {
		t.Fatalf("retried batch %+v", d)
	}
	h.advance(time.Hour)
	if n := len(h.lambda.all()); n != 4 {
		t.Fatalf("delivered again after success: %d", n)
	}
	// A denied destination is not retried.
	h.lambda.setFail(func(deliver.Message) error { return deliver.ErrDenied })
	h.putLogs("g", "s", ev(time.Second, "denied"))
	h.advance(time.Hour)
	if n := len(h.lambda.all()); n != 5 {
		t.Fatalf("denied batch retried: %d messages", n)
	}
}

func TestLogs_restartKeepsLogsAndPendingBatches(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, dir)
	h.group("g", "s")
	if err := h.subscribe("g", "f", "ERROR"); err != nil {
		t.Fatal(err)
	}
	h.settle()
	h.putLogs("g", "s", ev(0, "ERROR before restart"), ev(time.Millisecond, "INFO kept"))
	h.restart(dir)
	out, err := h.client.GetLogEvents(ctx(), &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), StartFromHead: aws.Bool(true)})
	if err != nil || len(out.Events) != 2 {
		t.Fatalf("events after restart %+v %v", out, err)
	}
	h.advance(time.Second)
	msgs := h.lambda.all()
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want control + the batch pending at restart", len(msgs))
	}
	if d := decode(t, msgs[1]); len(d.LogEvents) != 1 || d.LogEvents[0].Message != "ERROR before restart" {
		t.Fatalf("batch after restart %+v", d)
	}
	subs, err := h.client.DescribeSubscriptionFilters(ctx(), &cloudwatchlogs.DescribeSubscriptionFiltersInput{LogGroupName: aws.String("g")})
	if err != nil || len(subs.SubscriptionFilters) != 1 {
		t.Fatalf("filters after restart %+v %v", subs, err)
	}
}

func TestLogs_functionLogSink(t *testing.T) {
	h := newHarness(t, "")
	var sink runtime.LogSink = h.svc
	stream := "2026/03/02/[$LATEST]0123456789abcdef"
	sink.FunctionLog("/aws/lambda/fn", stream, []runtime.LogEvent{
		{Time: testStart.Add(time.Second), Message: "START RequestId: 1 Version: $LATEST\n"},
		{Time: testStart.Add(2 * time.Second), Message: "hello from the function\n"},
	})
	sink.FunctionLog("/aws/lambda/fn", stream, []runtime.LogEvent{{Time: testStart.Add(3 * time.Second), Message: "END RequestId: 1\n"}})
	groups, err := h.client.DescribeLogGroups(ctx(), &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/aws/lambda/")})
	if err != nil || len(groups.LogGroups) != 1 || aws.ToString(groups.LogGroups[0].LogGroupName) != "/aws/lambda/fn" {
		t.Fatalf("group created on first use: %+v %v", groups, err)
	}
	out, err := h.client.GetLogEvents(ctx(), &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("/aws/lambda/fn"), LogStreamName: aws.String(stream), StartFromHead: aws.Bool(true)})
	if err != nil || len(out.Events) != 3 || aws.ToString(out.Events[1].Message) != "hello from the function\n" {
		t.Fatalf("function log %+v %v", out, err)
	}
}
