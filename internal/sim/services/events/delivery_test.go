package events

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	lambdaevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
)

func (h *harness) rule(name, pattern string, targets ...types.Target) string {
	h.t.Helper()
	out, err := h.client.PutRule(ctx(), &eventbridge.PutRuleInput{Name: aws.String(name), EventPattern: aws.String(pattern)})
	if err != nil {
		h.t.Fatal(err)
	}
	if len(targets) > 0 {
		if _, err := h.client.PutTargets(ctx(), &eventbridge.PutTargetsInput{Rule: aws.String(name), Targets: targets}); err != nil {
			h.t.Fatal(err)
		}
	}
	return aws.ToString(out.RuleArn)
}

func (h *harness) put(entries ...types.PutEventsRequestEntry) *eventbridge.PutEventsOutput {
	h.t.Helper()
	out, err := h.client.PutEvents(ctx(), &eventbridge.PutEventsInput{Entries: entries})
	if err != nil {
		h.t.Fatal(err)
	}
	if out.FailedEntryCount != 0 {
		h.t.Fatalf("PutEvents failed entries: %+v", out.Entries)
	}
	h.settle()
	return out
}

func entry(source, detail string) types.PutEventsRequestEntry {
	return types.PutEventsRequestEntry{Source: aws.String(source), DetailType: aws.String("test"), Detail: aws.String(detail)}
}

func TestEvents_patternRoutesMatchingEvents(t *testing.T) {
	h := newHarness(t, "")
	ruleARN := h.rule("big-orders", `{"source":["shop"],"detail":{"total":[{"numeric":[">=",100]}]}}`,
		types.Target{Id: aws.String("fn"), Arn: aws.String(lambdaARN)})
	out := h.put(entry("shop", `{"total":150}`), entry("shop", `{"total":5}`), entry("other", `{"total":500}`))

	got := h.lambda.to(lambdaARN)
	if len(got) != 1 {
		t.Fatalf("%d deliveries, want 1 (only the matching event)", len(got))
	}
	m := got[0]
	if m.Principal != "events.amazonaws.com" || m.SourceARN != ruleARN || m.SourceAccount != testAccount {
		t.Fatalf("delivery identity %+v", m)
	}
	var ev lambdaevents.CloudWatchEvent
	if err := json.Unmarshal(m.Body, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.ID != aws.ToString(out.Entries[0].EventId) || ev.Source != "shop" || ev.DetailType != "test" || ev.Version != "0" ||
		ev.AccountID != testAccount || ev.Region != "us-east-1" || !ev.Time.Equal(testStart.Truncate(time.Second)) || string(ev.Detail) != `{"total":150}` {
		t.Fatalf("event %+v", ev)
	}

	// A disabled rule matches nothing.
	if _, err := h.client.DisableRule(ctx(), &eventbridge.DisableRuleInput{Name: aws.String("big-orders")}); err != nil {
		t.Fatal(err)
	}
	h.put(entry("shop", `{"total":150}`))
	if n := len(h.lambda.to(lambdaARN)); n != 1 {
		t.Fatalf("a disabled rule delivered: %d", n)
	}
}

func TestEvents_targetInputs(t *testing.T) {
	h := newHarness(t, "")
	h.rule("ec2", `{"source":["app.ec2"]}`,
		types.Target{Id: aws.String("transformed"), Arn: aws.String(lambdaARN), InputTransformer: &types.InputTransformer{
			InputPathsMap: map[string]string{"instance": "$.detail.instance-id", "state": "$.detail.state", "first": "$.resources[0]", "gone": "$.detail.missing"},
			InputTemplate: aws.String(`{"instance": <instance>, "message": "<instance> is in state \"<state>\"", "rule": <aws.events.rule-name>, "res": <first>, "none": <gone>}`),
		}},
		types.Target{Id: aws.String("constant"), Arn: aws.String(queueARN), Input: aws.String(`{"fixed": 1}`)},
		types.Target{Id: aws.String("path"), Arn: aws.String("arn:aws:sqs:us-east-1:000000000000:path"), InputPath: aws.String("$.detail")},
		types.Target{Id: aws.String("text"), Arn: aws.String("arn:aws:sqs:us-east-1:000000000000:text"), InputTransformer: &types.InputTransformer{
			InputPathsMap: map[string]string{"instance": "$.detail.instance-id"},
			InputTemplate: aws.String(`Instance <instance> changed`),
		}},
	)
	e := entry("app.ec2", `{"instance-id":"i-123","state":"RUNNING"}`)
	e.Resources = []string{"arn:aws:ec2:us-east-1:000000000000:instance/i-123"}
	h.put(e)

	check := func(arn, want string) {
		t.Helper()
		var msgs []deliver.Message
		if arn == lambdaARN {
			msgs = h.lambda.to(arn)
		} else {
			msgs = h.sqs.to(arn)
		}
		if len(msgs) != 1 || string(msgs[0].Body) != want {
			t.Fatalf("%s received %d messages, first %q; want %q", arn, len(msgs), firstBody(msgs), want)
		}
	}
	check(lambdaARN, `{"instance":"i-123","message":"i-123 is in state \"RUNNING\"","rule":"ec2","res":"arn:aws:ec2:us-east-1:000000000000:instance/i-123","none":null}`)
	check(queueARN, `{"fixed": 1}`)
	check("arn:aws:sqs:us-east-1:000000000000:path", `{"instance-id":"i-123","state":"RUNNING"}`)
	check("arn:aws:sqs:us-east-1:000000000000:text", `Instance i-123 changed`)
}

func firstBody(ms []deliver.Message) string {
	if len(ms) == 0 {
		return ""
	}
	return string(ms[0].Body)
}

func TestEvents_retriesThenDeadLetterQueue(t *testing.T) {
	h := newHarness(t, "")
	h.lambda.setFail(func(deliver.Message) error { return errors.New("function is failing") })
	ruleARN := h.rule("r", `{"source":["app"]}`, types.Target{Id: aws.String("fn"), Arn: aws.String(lambdaARN),
		RetryPolicy:      &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(2), MaximumEventAgeInSeconds: aws.Int32(3600)},
		DeadLetterConfig: &types.DeadLetterConfig{Arn: aws.String(dlqARN)}})
	out := h.put(entry("app", `{"n":1}`))
	if n := len(h.lambda.all()); n != 1 {
		t.Fatalf("%d attempts at once, want 1", n)
	}
	// The first retry waits at most 1 s, the second at most 2 s: nothing happens before.
	h.advance(400 * time.Millisecond)
	if n := len(h.lambda.all()); n != 1 {
		t.Fatalf("retried after 0.4 s: %d attempts", n)
	}
	h.advance(600 * time.Millisecond)
	if n := len(h.lambda.all()); n != 2 {
		t.Fatalf("%d attempts after 1 s, want 2", n)
	}
	if n := len(h.sqs.all()); n != 0 {
		t.Fatalf("DLQ used before retries ran out")
	}
	h.advance(2 * time.Second)
	if n := len(h.lambda.all()); n != 3 {
		t.Fatalf("%d attempts after 3 s, want 3 (1 + 2 retries)", n)
	}
	dlq := h.sqs.to(dlqARN)
	if len(dlq) != 1 {
		t.Fatalf("%d DLQ messages, want 1", len(dlq))
	}
	attr := func(k string) string { return dlq[0].Attributes[k].StringValue }
	if attr("RULE_ARN") != ruleARN || attr("TARGET_ARN") != lambdaARN || attr("ERROR_CODE") != "ERROR_FROM_TARGET" ||
		attr("ERROR_MESSAGE") != "function is failing" || attr("EXHAUSTED_RETRY_CONDITION") != "MaximumRetryAttempts" || attr("RETRY_ATTEMPTS") != "2" {
		t.Fatalf("DLQ attributes %+v", dlq[0].Attributes)
	}
	var ev lambdaevents.CloudWatchEvent
	if err := json.Unmarshal(dlq[0].Body, &ev); err != nil || ev.ID != aws.ToString(out.Entries[0].EventId) {
		t.Fatalf("DLQ body is not the event: %s", dlq[0].Body)
	}
	h.advance(time.Hour)
	if n := len(h.lambda.all()); n != 3 {
		t.Fatalf("delivery went on after the DLQ: %d attempts", n)
	}
}

func TestEvents_eventAgeEndsRetries(t *testing.T) {
	h := newHarness(t, "")
	h.lambda.setFail(func(deliver.Message) error { return errors.New("Rate exceeded: throttled") })
	h.rule("r", `{"source":["app"]}`, types.Target{Id: aws.String("fn"), Arn: aws.String(lambdaARN),
		RetryPolicy:      &types.RetryPolicy{MaximumEventAgeInSeconds: aws.Int32(60)},
		DeadLetterConfig: &types.DeadLetterConfig{Arn: aws.String(dlqARN)}})
	h.put(entry("app", `{}`))
	for range 20 {
		h.advance(5 * time.Second)
	}
	dlq := h.sqs.to(dlqARN)
	if len(dlq) != 1 {
		t.Fatalf("%d DLQ messages, want 1", len(dlq))
	}
	attempts := len(h.lambda.all())
	if attempts < 4 || attempts > 8 {
		t.Fatalf("%d attempts within 60 s of exponential backoff", attempts)
	}
	a := dlq[0].Attributes
	if a["EXHAUSTED_RETRY_CONDITION"].StringValue != "MaximumEventAgeInSeconds" || a["ERROR_CODE"].StringValue != "THROTTLING" ||
		a["RETRY_ATTEMPTS"].StringValue != fmt.Sprint(attempts-1) {
		t.Fatalf("DLQ attributes %+v after %d attempts", a, attempts)
	}
}

func TestEvents_deniedGoesStraightToDLQ(t *testing.T) {
	h := newHarness(t, "")
	h.lambda.setFail(func(deliver.Message) error {
		return fmt.Errorf("%w: no permission for events.amazonaws.com", deliver.ErrDenied)
	})
	h.rule("r", `{"source":["app"]}`, types.Target{Id: aws.String("fn"), Arn: aws.String(lambdaARN),
		DeadLetterConfig: &types.DeadLetterConfig{Arn: aws.String(dlqARN)}})
	h.put(entry("app", `{}`))
	if n := len(h.lambda.all()); n != 1 {
		t.Fatalf("%d attempts, want 1 (permission errors are not retried)", n)
	}
	dlq := h.sqs.to(dlqARN)
	if len(dlq) != 1 {
		t.Fatalf("%d DLQ messages, want 1", len(dlq))
	}
	a := dlq[0].Attributes
	if a["ERROR_CODE"].StringValue != "NO_PERMISSIONS" || a["RETRY_ATTEMPTS"].StringValue != "0" {
		t.Fatalf("DLQ attributes %+v", a)
	}
	if _, ok := a["EXHAUSTED_RETRY_CONDITION"]; ok {
		t.Fatalf("EXHAUSTED_RETRY_CONDITION set for a non-retryable error: %+v", a)
	}
	h.advance(time.Hour)
	if n := len(h.lambda.all()); n != 1 {
		t.Fatalf("denied delivery retried: %d attempts", n)
	}
}

func TestEvents_failureWithoutDLQIsDropped(t *testing.T) {
	h := newHarness(t, "")
	h.lambda.setFail(func(deliver.Message) error { return deliver.ErrNoTarget })
	h.rule("r", `{"source":["app"]}`, types.Target{Id: aws.String("fn"), Arn: aws.String(lambdaARN)})
	h.put(entry("app", `{}`))
	h.advance(time.Hour)
	if n := len(h.lambda.all()); n != 1 {
		t.Fatalf("missing target retried: %d attempts", n)
	}
	if n := len(h.sqs.all()); n != 0 {
		t.Fatalf("messages without a DLQ: %d", n)
	}
}

func TestEvents_scheduleFiresOncePerPeriod(t *testing.T) {
	h := newHarness(t, "")
	out, err := h.client.PutRule(ctx(), &eventbridge.PutRuleInput{Name: aws.String("tick"), ScheduleExpression: aws.String("rate(5 minutes)")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.PutTargets(ctx(), &eventbridge.PutTargetsInput{Rule: aws.String("tick"), Targets: []types.Target{{Id: aws.String("fn"), Arn: aws.String(lambdaARN)}}}); err != nil {
		t.Fatal(err)
	}
	h.advance(4*time.Minute + 59*time.Second)
	if n := len(h.lambda.all()); n != 0 {
		t.Fatalf("fired before 5 minutes: %d", n)
	}
	h.advance(time.Second)
	msgs := h.lambda.all()
	if len(msgs) != 1 {
		t.Fatalf("%d events at 5 minutes, want 1", len(msgs))
	}
	var ev lambdaevents.CloudWatchEvent
	if err := json.Unmarshal(msgs[0].Body, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Source != "aws.events" || ev.DetailType != "Scheduled Event" || string(ev.Detail) != "{}" || len(ev.Resources) != 1 ||
		ev.Resources[0] != aws.ToString(out.RuleArn) || !ev.Time.Equal(testStart.Add(5*time.Minute).Truncate(time.Second)) {
		t.Fatalf("scheduled event %+v", ev)
	}
	h.advance(4 * time.Minute)
	if n := len(h.lambda.all()); n != 1 {
		t.Fatalf("%d events at 9 minutes, want 1", n)
	}
	h.advance(time.Minute)
	if n := len(h.lambda.all()); n != 2 {
		t.Fatalf("%d events at 10 minutes, want 2", n)
	}
	// A jump of three periods catches up with one event per period.
	h.advance(15 * time.Minute)
	if n := len(h.lambda.all()); n != 5 {
		t.Fatalf("%d events at 25 minutes, want 5", n)
	}
	if _, err := h.client.DisableRule(ctx(), &eventbridge.DisableRuleInput{Name: aws.String("tick")}); err != nil {
		t.Fatal(err)
	}
	h.advance(30 * time.Minute)
	if n := len(h.lambda.all()); n != 5 {
		t.Fatalf("a disabled schedule fired: %d", n)
	}
}

func TestEvents_cronScheduleFiresOnTheMinute(t *testing.T) {
	h := newHarness(t, "")
	// testStart is 10:00:30 on Monday 2 March 2026; the next weekday 10:15 is the same day.
	if _, err := h.client.PutRule(ctx(), &eventbridge.PutRuleInput{Name: aws.String("c"), ScheduleExpression: aws.String("cron(15 10 ? * MON-FRI *)")}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.PutTargets(ctx(), &eventbridge.PutTargetsInput{Rule: aws.String("c"), Targets: []types.Target{{Id: aws.String("q"), Arn: aws.String(queueARN)}}}); err != nil {
		t.Fatal(err)
	}
	h.advance(14*time.Minute + 29*time.Second)
	if n := len(h.sqs.all()); n != 0 {
		t.Fatalf("fired before 10:15: %d", n)
	}
	h.advance(time.Second)
	if n := len(h.sqs.all()); n != 1 {
		t.Fatalf("%d events at 10:15, want 1", n)
	}
}

func TestEvents_busAsTarget(t *testing.T) {
	h := newHarness(t, "")
	if _, err := h.client.CreateEventBus(ctx(), &eventbridge.CreateEventBusInput{Name: aws.String("second")}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.PutRule(ctx(), &eventbridge.PutRuleInput{Name: aws.String("inner"), EventBusName: aws.String("second"), EventPattern: aws.String(`{"source":["app"]}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.PutTargets(ctx(), &eventbridge.PutTargetsInput{Rule: aws.String("inner"), EventBusName: aws.String("second"), Targets: []types.Target{{Id: aws.String("q"), Arn: aws.String(queueARN)}}}); err != nil {
		t.Fatal(err)
	}
	h.rule("forward", `{"source":["app"]}`, types.Target{Id: aws.String("bus"), Arn: aws.String("arn:aws:events:us-east-1:000000000000:event-bus/second")})
	h.put(entry("app", `{"hop":1}`))
	got := h.sqs.to(queueARN)
	if len(got) != 1 {
		t.Fatalf("%d events through the second bus, want 1", len(got))
	}
	var ev lambdaevents.CloudWatchEvent
	if err := json.Unmarshal(got[0].Body, &ev); err != nil || string(ev.Detail) != `{"hop":1}` || ev.Source != "app" {
		t.Fatalf("forwarded event %s %v", got[0].Body, err)
	}
	// Receive on a bus that does not exist is ErrNoTarget, so the sender can tell.
	err := h.bus.Deliver(ctx(), deliver.Message{TargetARN: "arn:aws:events:us-east-1:000000000000:event-bus/none", Body: []byte(`{"source":"a","detail-type":"b","detail":{}}`)})
	if !errors.Is(err, deliver.ErrNoTarget) {
		t.Fatalf("delivery to a missing bus: %v", err)
	}
}

func TestEvents_restartKeepsRulesTargetsAndPendingWork(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, dir)
	h.lambda.setFail(func(deliver.Message) error { return errors.New("down") })
	h.rule("r", `{"source":["app"]}`, types.Target{Id: aws.String("fn"), Arn: aws.String(lambdaARN)})
	if _, err := h.client.PutRule(ctx(), &eventbridge.PutRuleInput{Name: aws.String("tick"), ScheduleExpression: aws.String("rate(10 minutes)")}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.PutTargets(ctx(), &eventbridge.PutTargetsInput{Rule: aws.String("tick"), Targets: []types.Target{{Id: aws.String("q"), Arn: aws.String(queueARN)}}}); err != nil {
		t.Fatal(err)
	}
	out := h.put(entry("app", `{"keep":true}`))
	if n := len(h.lambda.all()); n != 1 {
		t.Fatalf("%d attempts before restart", n)
	}

	h.restart(dir)
	h.lambda.setFail(nil)
	if _, err := h.client.DescribeRule(ctx(), &eventbridge.DescribeRuleInput{Name: aws.String("r")}); err != nil {
		t.Fatalf("rule lost in restart: %v", err)
	}
	list, err := h.client.ListTargetsByRule(ctx(), &eventbridge.ListTargetsByRuleInput{Rule: aws.String("r")})
	if err != nil || len(list.Targets) != 1 {
		t.Fatalf("targets lost in restart: %+v %v", list, err)
	}
	h.advance(time.Second)
	got := h.lambda.all()
	if len(got) != 2 {
		t.Fatalf("%d attempts after restart, want 2 (the pending retry)", len(got))
	}
	var ev lambdaevents.CloudWatchEvent
	if err := json.Unmarshal(got[1].Body, &ev); err != nil || ev.ID != aws.ToString(out.Entries[0].EventId) {
		t.Fatalf("retried event %s", got[1].Body)
	}
	h.advance(10 * time.Minute)
	if n := len(h.sqs.to(queueARN)); n != 1 {
		t.Fatalf("schedule after restart fired %d times, want 1", n)
	}
}
