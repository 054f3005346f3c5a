package logs

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

func (h *harness) group(name string, streams ...string) {
	h.t.Helper()
	if _, err := h.client.CreateLogGroup(ctx(), &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(name)}); err != nil {
		h.t.Fatal(err)
	}
	for _, s := range streams {
		if _, err := h.client.CreateLogStream(ctx(), &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(name), LogStreamName: aws.String(s)}); err != nil {
			h.t.Fatal(err)
		}
	}
}

func (h *harness) putLogs(group, stream string, events ...types.InputLogEvent) *cloudwatchlogs.PutLogEventsOutput {
	h.t.Helper()
	out, err := h.client.PutLogEvents(ctx(), &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), LogEvents: events})
	if err != nil {
		h.t.Fatal(err)
	}
	return out
}

func ev(at time.Duration, msg string) types.InputLogEvent {
	return types.InputLogEvent{Timestamp: aws.Int64(ms(at)), Message: aws.String(msg)}
}

func TestLogs_groupsAndStreams(t *testing.T) {
	h := newHarness(t, "")
	for _, g := range []string{"/aws/lambda/a", "/aws/lambda/b", "/aws/lambda/c", "app"} {
		h.group(g)
	}
	_, err := h.client.CreateLogGroup(ctx(), &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("app")})
	var exists *types.ResourceAlreadyExistsException
	if !errors.As(err, &exists) {
		t.Fatalf("duplicate group: %v", err)
	}
	var names []string
	in := &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/aws/lambda/"), Limit: aws.Int32(2)}
	for {
		out, err := h.client.DescribeLogGroups(ctx(), in)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range out.LogGroups {
			names = append(names, aws.ToString(g.LogGroupName))
			if aws.ToString(g.Arn) != "arn:aws:logs:us-east-1:000000000000:log-group:"+aws.ToString(g.LogGroupName)+":*" {
				t.Fatalf("arn %s", aws.ToString(g.Arn))
			}
		}
		if out.NextToken == nil {
			break
		}
		in.NextToken = out.NextToken
	}
	if strings.Join(names, ",") != "/aws/lambda/a,/aws/lambda/b,/aws/lambda/c" {
		t.Fatalf("groups by prefix: %v", names)
	}
	if _, err := h.client.PutRetentionPolicy(ctx(), &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String("app"), RetentionInDays: aws.Int32(7)}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.PutRetentionPolicy(ctx(), &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String("app"), RetentionInDays: aws.Int32(8)})
	var inv *types.InvalidParameterException
	if !errors.As(err, &inv) {
		t.Fatalf("retention 8 days: %v", err)
	}
	out, _ := h.client.DescribeLogGroups(ctx(), &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("app")})
	if len(out.LogGroups) != 1 || aws.ToInt32(out.LogGroups[0].RetentionInDays) != 7 {
		t.Fatalf("retention not shown: %+v", out.LogGroups)
	}

	for _, s := range []string{"s-b", "s-a", "t-c"} {
		if _, err := h.client.CreateLogStream(ctx(), &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("app"), LogStreamName: aws.String(s)}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = h.client.CreateLogStream(ctx(), &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("app"), LogStreamName: aws.String("s-a")})
	if !errors.As(err, &exists) {
		t.Fatalf("duplicate stream: %v", err)
	}
	h.putLogs("app", "s-b", ev(0, "first"))
	h.putLogs("app", "t-c", ev(time.Minute, "later"))
	streamNames := func(in *cloudwatchlogs.DescribeLogStreamsInput) string {
		t.Helper()
		out, err := h.client.DescribeLogStreams(ctx(), in)
		if err != nil {
			t.Fatal(err)
		}
		var n []string
		for _, s := range out.LogStreams {
			n = append(n, aws.ToString(s.LogStreamName))
		}
		return strings.Join(n, ",")
	}
	if got := streamNames(&cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("app"), LogStreamNamePrefix: aws.String("s-")}); got != "s-a,s-b" {
		t.Fatalf("streams by prefix: %s", got)
	}
	if got := streamNames(&cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("app"), OrderBy: types.OrderByLastEventTime, Descending: aws.Bool(true)}); got != "t-c,s-b,s-a" {
		t.Fatalf("streams by last event, descending: %s", got)
	}
	_, err = h.client.DescribeLogStreams(ctx(), &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("app"), OrderBy: types.OrderByLastEventTime, LogStreamNamePrefix: aws.String("s")})
	if !errors.As(err, &inv) {
		t.Fatalf("LastEventTime with a prefix: %v", err)
	}

	if _, err := h.client.DeleteLogGroup(ctx(), &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String("app")}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.DescribeLogStreams(ctx(), &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("app")})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) || !strings.Contains(err.Error(), "The specified log group does not exist.") {
		t.Fatalf("streams of a deleted group: %v", err)
	}
	_, err = h.client.DeleteLogGroup(ctx(), &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String("app")})
	if !errors.As(err, &nf) {
		t.Fatalf("deleting a deleted group: %v", err)
	}
}

func TestLogs_putLogEventsRules(t *testing.T) {
	h := newHarness(t, "")
	h.group("g", "s")
	_, err := h.client.PutLogEvents(ctx(), &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"),
		LogEvents: []types.InputLogEvent{ev(time.Second, "b"), ev(0, "a")}})
	var inv *types.InvalidParameterException
	if !errors.As(err, &inv) || !strings.Contains(err.Error(), "chronological order") {
		t.Fatalf("out of order: %v", err)
	}
	_, err = h.client.PutLogEvents(ctx(), &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"),
		LogEvents: []types.InputLogEvent{ev(-13*time.Hour, "a"), ev(12*time.Hour, "b")}})
	if !errors.As(err, &inv) || !strings.Contains(err.Error(), "24 hours") {
		t.Fatalf("batch over 24 hours: %v", err)
	}
	big := strings.Repeat("x", maxBatchBytes/2)
	_, err = h.client.PutLogEvents(ctx(), &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"),
		LogEvents: []types.InputLogEvent{ev(0, big), ev(0, big)}})
	if !errors.As(err, &inv) {
		t.Fatalf("batch over 1,048,576 bytes (26 bytes per event): %v", err)
	}
	_, err = h.client.PutLogEvents(ctx(), &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("missing"), LogEvents: []types.InputLogEvent{ev(0, "a")}})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) || !strings.Contains(err.Error(), "log stream") {
		t.Fatalf("missing stream: %v", err)
	}

	// Too old, too new: rejected and reported, the rest stored. Sequence tokens are ignored.
	out, err := h.client.PutLogEvents(ctx(), &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"),
		SequenceToken: aws.String("garbage"),
		LogEvents:     []types.InputLogEvent{ev(-15*24*time.Hour, "old1"), ev(-15*24*time.Hour+time.Second, "old2")}})
	if err != nil {
		t.Fatal(err)
	}
	if out.RejectedLogEventsInfo == nil || aws.ToInt32(out.RejectedLogEventsInfo.TooOldLogEventEndIndex) != 2 || out.RejectedLogEventsInfo.TooNewLogEventStartIndex != nil {
		t.Fatalf("rejected %+v", out.RejectedLogEventsInfo)
	}
	if out = h.putLogs("g", "s", ev(0, "ok1"), ev(time.Second, "ok2")); out.RejectedLogEventsInfo != nil {
		t.Fatalf("rejected %+v", out.RejectedLogEventsInfo)
	}
	out = h.putLogs("g", "s", ev(2*time.Second, "ok3"), ev(3*time.Hour, "new1"))
	if out.RejectedLogEventsInfo == nil || aws.ToInt32(out.RejectedLogEventsInfo.TooNewLogEventStartIndex) != 1 {
		t.Fatalf("too new %+v", out.RejectedLogEventsInfo)
	}
	if _, err := h.client.PutRetentionPolicy(ctx(), &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String("g"), RetentionInDays: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	out = h.putLogs("g", "s", ev(-24*time.Hour-30*time.Minute, "expired"), ev(-time.Hour, "ok4"))
	if out.RejectedLogEventsInfo == nil || aws.ToInt32(out.RejectedLogEventsInfo.ExpiredLogEventEndIndex) != 1 {
		t.Fatalf("expired %+v", out.RejectedLogEventsInfo)
	}
	got, err := h.client.GetLogEvents(ctx(), &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), StartFromHead: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, e := range got.Events {
		msgs = append(msgs, aws.ToString(e.Message))
	}
	if strings.Join(msgs, ",") != "ok4,ok1,ok2,ok3" {
		t.Fatalf("stored events %v", msgs)
	}
}

func TestLogs_getLogEventsPaging(t *testing.T) {
	h := newHarness(t, "")
	h.group("g", "s")
	var events []types.InputLogEvent
	for i := range 5 {
		events = append(events, ev(time.Duration(i)*time.Second, fmt.Sprintf("m%d", i)))
	}
	h.putLogs("g", "s", events...)
	get := func(in cloudwatchlogs.GetLogEventsInput) (*cloudwatchlogs.GetLogEventsOutput, string) {
		t.Helper()
		in.LogGroupName, in.LogStreamName = aws.String("g"), aws.String("s")
		out, err := h.client.GetLogEvents(ctx(), &in)
		if err != nil {
			t.Fatal(err)
		}
		var m []string
		for _, e := range out.Events {
			m = append(m, aws.ToString(e.Message))
		}
		return out, strings.Join(m, ",")
	}
	// Without startFromHead the newest events come back.
	out, got := get(cloudwatchlogs.GetLogEventsInput{Limit: aws.Int32(2)})
	if got != "m3,m4" {
		t.Fatalf("tail %s", got)
	}
	out, got = get(cloudwatchlogs.GetLogEventsInput{Limit: aws.Int32(2), NextToken: out.NextBackwardToken})
	if got != "m1,m2" {
		t.Fatalf("backward page %s", got)
	}
	_, got = get(cloudwatchlogs.GetLogEventsInput{Limit: aws.Int32(2), NextToken: out.NextBackwardToken})
	if got != "m0" {
		t.Fatalf("last backward page %s", got)
	}
	head, got := get(cloudwatchlogs.GetLogEventsInput{Limit: aws.Int32(3), StartFromHead: aws.Bool(true)})
	if got != "m0,m1,m2" {
		t.Fatalf("head %s", got)
	}
	next, got := get(cloudwatchlogs.GetLogEventsInput{Limit: aws.Int32(3), NextToken: head.NextForwardToken})
	if got != "m3,m4" {
		t.Fatalf("forward page %s", got)
	}
	end, got := get(cloudwatchlogs.GetLogEventsInput{NextToken: next.NextForwardToken})
	if got != "" || aws.ToString(end.NextForwardToken) != aws.ToString(next.NextForwardToken) {
		t.Fatalf("end of stream: %q, token %s vs %s", got, aws.ToString(end.NextForwardToken), aws.ToString(next.NextForwardToken))
	}
	// New events appear behind the forward token, as a tail -f would see them.
	h.putLogs("g", "s", ev(10*time.Second, "m5"))
	if _, got = get(cloudwatchlogs.GetLogEventsInput{NextToken: next.NextForwardToken}); got != "m5" {
		t.Fatalf("after new events %s", got)
	}
	if _, got = get(cloudwatchlogs.GetLogEventsInput{StartFromHead: aws.Bool(true), StartTime: aws.Int64(ms(time.Second)), EndTime: aws.Int64(ms(3 * time.Second))}); got != "m1,m2" {
		t.Fatalf("time range %s", got)
	}
}

func TestLogs_filterLogEvents(t *testing.T) {
	h := newHarness(t, "")
	h.group("g", "a", "b")
	h.putLogs("g", "a", ev(0, "ERROR disk full"), ev(2*time.Second, `{"level":"warn","latency":750,"user":{"id":"u-1"},"ok":false}`))
	h.putLogs("g", "b", ev(time.Second, "INFO all good"), ev(3*time.Second, "ERROR Exiting now"), ev(4*time.Second, `{"level":"error","latency":20,"user":{"id":"admin-7"},"ok":true,"tags":["x","y"]}`))
	filter := func(pattern string, in ...func(*cloudwatchlogs.FilterLogEventsInput)) string {
		t.Helper()
		req := &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g"), FilterPattern: aws.String(pattern)}
		for _, f := range in {
			f(req)
		}
		out, err := h.client.FilterLogEvents(ctx(), req)
		if err != nil {
			t.Fatalf("%q: %v", pattern, err)
		}
		var m []string
		for _, e := range out.Events {
			m = append(m, aws.ToString(e.LogStreamName)+":"+strings.Fields(aws.ToString(e.Message))[0])
		}
		return strings.Join(m, " ")
	}
	for pattern, want := range map[string]string{
		``:                                    `a:ERROR b:INFO a:{"level":"warn","latency":750,"user":{"id":"u-1"},"ok":false} b:ERROR b:{"level":"error","latency":20,"user":{"id":"admin-7"},"ok":true,"tags":["x","y"]}`,
		`ERROR`:                               `a:ERROR b:ERROR`,
		`ERROR -Exiting`:                      `a:ERROR`,
		`?INFO ?full`:                         `a:ERROR b:INFO`,
		`"all good"`:                          `b:INFO`,
		`{ $.level = "warn" }`:                `a:{"level":"warn","latency":750,"user":{"id":"u-1"},"ok":false}`,
		`{ $.latency > 100 }`:                 `a:{"level":"warn","latency":750,"user":{"id":"u-1"},"ok":false}`,
		`{ $.user.id = admin-* }`:             `b:{"level":"error","latency":20,"user":{"id":"admin-7"},"ok":true,"tags":["x","y"]}`,
		`{ $.ok IS TRUE && $.tags[1] = "y" }`: `b:{"level":"error","latency":20,"user":{"id":"admin-7"},"ok":true,"tags":["x","y"]}`,
		`{ ($.latency < 10) || ($.level != "warn") }`: `b:{"level":"error","latency":20,"user":{"id":"admin-7"},"ok":true,"tags":["x","y"]}`,
		`{ $.tags NOT EXISTS }`:                       `a:{"level":"warn","latency":750,"user":{"id":"u-1"},"ok":false}`,
	} {
		if got := filter(pattern); got != want {
			t.Errorf("%q:\n got %s\nwant %s", pattern, got, want)
		}
	}
	if got := filter("ERROR", func(in *cloudwatchlogs.FilterLogEventsInput) { in.LogStreamNames = []string{"b"} }); got != "b:ERROR" {
		t.Errorf("by stream name: %s", got)
	}
	if got := filter("", func(in *cloudwatchlogs.FilterLogEventsInput) {
		in.StartTime, in.EndTime = aws.Int64(ms(time.Second)), aws.Int64(ms(3*time.Second))
	}); got != `b:INFO a:{"level":"warn","latency":750,"user":{"id":"u-1"},"ok":false}` {
		t.Errorf("by time: %s", got)
	}
	// Pagination walks all events exactly once.
	var seen []string
	req := &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g"), Limit: aws.Int32(2)}
	for {
		out, err := h.client.FilterLogEvents(ctx(), req)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range out.Events {
			seen = append(seen, aws.ToString(e.EventId))
		}
		if out.NextToken == nil {
			break
		}
		req.NextToken = out.NextToken
	}
	if len(seen) != 5 {
		t.Fatalf("paged through %d events, want 5", len(seen))
	}
	for _, bad := range []string{`[ip, user, status = 404]`, `%ERR.*%`, `{ $.a = }`, `{ $.a > "x" }`, `ERROR:`, `"unterminated`, `?a b`} {
		_, err := h.client.FilterLogEvents(ctx(), &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g"), FilterPattern: aws.String(bad)})
		var inv *types.InvalidParameterException
		if !errors.As(err, &inv) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestLogs_unknownOperation(t *testing.T) {
	h := newHarness(t, "")
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/", strings.NewReader("{}"))
	req.Header.Set("X-Amz-Target", "Logs_20140328.StartQuery")
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
