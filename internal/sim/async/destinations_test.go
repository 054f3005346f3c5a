package async_test

import (
	"encoding/json"
	s3sdk "github.com/aws/aws-sdk-go-v2/service/s3"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	snssdk "github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

var recordTimestamp = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)

// The success record reaches the on-success queue in AWS's exact shape.
func TestSuccessRecordToSQS(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	fnARN := e.createFunction("echoes", testfn.Echo, nil)
	qarn, qurl := e.createQueue("successes")
	e.putConfig("echoes", nil, nil, qarn, "")
	id := e.invokeEvent("echoes", `{"hello": "world"}`)
	body := aws.ToString(e.receive(qurl).Body)

	rec := decode(t, body)
	if got := keys(rec); got != "requestContext,requestPayload,responseContext,responsePayload,timestamp,version" {
		t.Fatalf("record members %s: %s", got, body)
	}
	if !strings.HasPrefix(body, `{"version":"1.0","timestamp":`) {
		t.Errorf("record does not start as AWS's does: %s", body)
	}
	if rec["version"] != "1.0" || !recordTimestamp.MatchString(rec["timestamp"].(string)) {
		t.Errorf("version/timestamp: %v %v", rec["version"], rec["timestamp"])
	}
	rc := rec["requestContext"].(map[string]any)
	want := map[string]any{"requestId": id, "functionArn": fnARN + ":$LATEST", "condition": "Success", "approximateInvokeCount": 1.0}
	if keys(rc) != "approximateInvokeCount,condition,functionArn,requestId" {
		t.Errorf("requestContext members %s", keys(rc))
	}
	for k, v := range want {
		if rc[k] != v {
			t.Errorf("requestContext.%s = %v, want %v", k, rc[k], v)
		}
	}
	if p := rec["requestPayload"].(map[string]any); p["hello"] != "world" {
		t.Errorf("requestPayload %v", p)
	}
	resp := rec["responseContext"].(map[string]any)
	if keys(resp) != "executedVersion,statusCode" || resp["statusCode"] != 200.0 || resp["executedVersion"] != "$LATEST" {
		t.Errorf("responseContext %v (a success has no functionError)", resp)
	}
	if _, ok := rec["responsePayload"].(map[string]any); !ok {
		t.Errorf("responsePayload is not the function's JSON answer: %v", rec["responsePayload"])
	}
	if _, dest := e.notes.get(id, 1); dest != "sqs:"+qarn {
		t.Errorf("destination %q", dest)
	}
}

// A failure record goes to each kind of on-failure destination: SQS, SNS, Lambda, EventBridge;
// the dead-letter queue receives the original event too. S3 has no receiver in the simulator yet.
func TestFailureRecordToEachDestination(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	fnARN := e.createFunction("failing", testfn.Fail, nil)

	// SQS.
	qarn, qurl := e.createQueue("fail-sqs")
	e.putConfig("failing", aws.Int32(0), nil, "", qarn)
	e.invokeEvent("failing", `{"to":"sqs"}`)
	checkFailure(t, decode(t, aws.ToString(e.receive(qurl).Body)), fnARN, `{"to":"sqs"}`)

	// SNS, subscribed by a queue (raw delivery off: the record is the notification's Message).
	_, snsQueueURL := e.createQueue("fail-sns-sub")
	topic, err := e.snc.CreateTopic(e.ctx(), &snssdk.CreateTopicInput{Name: aws.String("fail-topic")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.snc.Subscribe(e.ctx(), &snssdk.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("sqs"),
		Endpoint: aws.String("arn:aws:sqs:" + region + ":" + account + ":fail-sns-sub")}); err != nil {
		t.Fatal(err)
	}
	e.putConfig("failing", aws.Int32(0), nil, "", aws.ToString(topic.TopicArn))
	e.invokeEvent("failing", `{"to":"sns"}`)
	note := decode(t, aws.ToString(e.receive(snsQueueURL).Body))
	if note["Type"] != "Notification" || note["TopicArn"] != aws.ToString(topic.TopicArn) {
		t.Fatalf("SNS notification %v", note)
	}
	checkFailure(t, decode(t, note["Message"].(string)), fnARN, `{"to":"sns"}`)

	// EventBridge: a rule on a custom bus forwards to a queue.
	_, ebQueueURL := e.createQueue("fail-events")
	bus, err := e.ebc.CreateEventBus(e.ctx(), &eventbridge.CreateEventBusInput{Name: aws.String("results")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.ebc.PutRule(e.ctx(), &eventbridge.PutRuleInput{Name: aws.String("all-lambda"), EventBusName: aws.String("results"),
		EventPattern: aws.String(`{"source":["lambda"]}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ebc.PutTargets(e.ctx(), &eventbridge.PutTargetsInput{Rule: aws.String("all-lambda"), EventBusName: aws.String("results"),
		Targets: []ebtypes.Target{{Id: aws.String("q"), Arn: aws.String("arn:aws:sqs:" + region + ":" + account + ":fail-events")}}}); err != nil {
		t.Fatal(err)
	}
	busARN := aws.ToString(bus.EventBusArn)
	e.putConfig("failing", aws.Int32(0), nil, "", busARN)
	e.invokeEvent("failing", `{"to":"events"}`)
	ev := decode(t, aws.ToString(e.receive(ebQueueURL).Body))
	if ev["source"] != "lambda" || ev["detail-type"] != "Lambda Function Invocation Result - Failure" {
		t.Errorf("EventBridge event source/detail-type: %v / %v", ev["source"], ev["detail-type"])
	}
	res, _ := json.Marshal(ev["resources"])
	if string(res) != `["`+fnARN+`:$LATEST","`+busARN+`"]` {
		t.Errorf("resources %s", res)
	}
	checkFailure(t, ev["detail"].(map[string]any), fnARN, `{"to":"events"}`)

	// Lambda: the destination function is invoked asynchronously with the record as its event.
	// No resource policy is needed: Lambda calls under the source function's execution role.
	e.createFunction("collector", testfn.Echo, nil)
	collector := "arn:aws:lambda:" + region + ":" + account + ":function:collector"
	e.putConfig("failing", aws.Int32(0), nil, "", collector)
	e.invokeEvent("failing", `{"to":"lambda"}`)
	recs := e.waitRecords("collector", 1)
	if recs[0].InvocationType != "Event" || !strings.HasPrefix(recs[0].Trigger, "lambda:") {
		t.Errorf("collector attempt %+v", recs[0])
	}
	checkFailure(t, decode(t, recs[0].Payload), fnARN, `{"to":"lambda"}`)

	// S3 (on failure only): the record is an object under aws/lambda/async/<function>/.
	if _, err := e.s3c.CreateBucket(e.ctx(), &s3sdk.CreateBucketInput{Bucket: aws.String("failures-bucket")}); err != nil {
		t.Fatal(err)
	}
	e.putConfig("failing", aws.Int32(0), nil, "", "arn:aws:s3:::failures-bucket")
	id := e.invokeEvent("failing", `{"to":"s3"}`)
	e.waitUntil("the S3 outcome", func() bool {
		_, dest := e.notes.get(id, 1)
		return dest != ""
	})
	if _, dest := e.notes.get(id, 1); dest != "s3:arn:aws:s3:::failures-bucket" {
		t.Errorf("S3 destination outcome %q", dest)
	}
	list, err := e.s3c.ListObjectsV2(e.ctx(), &s3sdk.ListObjectsV2Input{Bucket: aws.String("failures-bucket"), Prefix: aws.String("aws/lambda/async/failing/")})
	if err != nil || len(list.Contents) != 1 {
		t.Fatalf("failure records in the bucket: %v %v", list, err)
	}
	key := aws.ToString(list.Contents[0].Key)
	if !regexp.MustCompile(`^aws/lambda/async/failing/\d{4}/\d{2}/\d{2}/\d{4}-\d{2}-\d{2}T\d{2}\.\d{2}\.\d{2}-[0-9a-f-]{36}$`).MatchString(key) {
		t.Errorf("object key %q is not AWS's form", key)
	}
	obj, err := e.s3c.GetObject(e.ctx(), &s3sdk.GetObjectInput{Bucket: aws.String("failures-bucket"), Key: aws.String(key)})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(obj.Body)
	obj.Body.Close()
	checkFailure(t, decode(t, string(body)), fnARN, `{"to":"s3"}`)
}

func checkFailure(t *testing.T, rec map[string]any, fnARN, payload string) {
	t.Helper()
	rc := rec["requestContext"].(map[string]any)
	if rc["condition"] != "RetriesExhausted" || rc["approximateInvokeCount"] != 1.0 || rc["functionArn"] != fnARN+":$LATEST" {
		t.Errorf("requestContext %v", rc)
	}
	got, _ := json.Marshal(rec["requestPayload"])
	if string(got) != payload {
		t.Errorf("requestPayload %s, want %s", got, payload)
	}
	resp := rec["responseContext"].(map[string]any)
	if resp["statusCode"] != 200.0 || resp["executedVersion"] != "$LATEST" || (resp["functionError"] != "Unhandled" && resp["functionError"] != "Handled") {
		t.Errorf("responseContext %v", resp)
	}
	rp, _ := rec["responsePayload"].(map[string]any)
	if rp["errorMessage"] != "boom: the fail function always fails" {
		t.Errorf("responsePayload %v", rec["responsePayload"])
	}
}

// An event older than MaximumEventAgeInSeconds is not run again: it goes to the on-failure
// destination with condition EventAgeExceeded.
func TestEventAgeExceeded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	fnARN := e.createFunction("slowfail", testfn.Fail, nil)
	qarn, qurl := e.createQueue("aged")
	e.putConfig("slowfail", aws.Int32(2), aws.Int32(60), "", qarn)
	id := e.invokeEvent("slowfail", `{"age":1}`)
	e.waitRecords("slowfail", 1)
	e.waitParked(1)
	e.clk.Advance(61 * time.Second)
	rec := decode(t, aws.ToString(e.receive(qurl).Body))
	rc := rec["requestContext"].(map[string]any)
	if rc["condition"] != "EventAgeExceeded" || rc["approximateInvokeCount"] != 1.0 || rc["functionArn"] != fnARN+":$LATEST" {
		t.Errorf("requestContext %v", rc)
	}
	if n := len(e.records("slowfail")); n != 1 {
		t.Errorf("%d attempts, want 1 (the retry came after the event's maximum age)", n)
	}
	if _, dest := e.notes.get(id, 1); dest != "sqs:"+qarn {
		t.Errorf("destination %q", dest)
	}
}

// The dead-letter queue receives the original event with RequestID, ErrorCode and ErrorMessage;
// with an on-failure destination as well, both receive.
func TestDeadLetterQueueAndDestination(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	dlqARN, dlqURL := e.createQueue("dlq")
	dstARN, dstURL := e.createQueue("onfailure")
	e.createFunction("dlqfail", testfn.Fail, func(in *lambdasdk.CreateFunctionInput) {
		in.DeadLetterConfig = &lambdatypes.DeadLetterConfig{TargetArn: aws.String(dlqARN)}
	})
	e.putConfig("dlqfail", aws.Int32(0), nil, "", dstARN)
	id := e.invokeEvent("dlqfail", `{"order":42}`)

	msg := e.receive(dlqURL)
	if aws.ToString(msg.Body) != `{"order":42}` {
		t.Errorf("DLQ body %s, want the original event", aws.ToString(msg.Body))
	}
	attr := func(name string) (string, string) {
		v := msg.MessageAttributes[name]
		return aws.ToString(v.DataType), aws.ToString(v.StringValue)
	}
	if dt, v := attr("RequestID"); dt != "String" || v != id {
		t.Errorf("RequestID %s %q", dt, v)
	}
	if dt, v := attr("ErrorCode"); dt != "Number" || v != "200" {
		t.Errorf("ErrorCode %s %q", dt, v)
	}
	if dt, v := attr("ErrorMessage"); dt != "String" || v != "boom: the fail function always fails" {
		t.Errorf("ErrorMessage %s %q", dt, v)
	}
	checkFailure(t, decode(t, aws.ToString(e.receive(dstURL).Body)), "arn:aws:lambda:"+region+":"+account+":function:dlqfail", `{"order":42}`)
	if _, dest := e.notes.get(id, 1); dest != "sqs:"+dstARN+"; dlq:"+dlqARN {
		t.Errorf("destination %q", dest)
	}
}

// A destination the execution role may not reach receives nothing, and the attempt says why.
func TestDestinationDeniedByRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createFunction("denied", testfn.Echo, nil)
	qarn, qurl := e.createQueue("forbidden")
	e.putConfig("denied", nil, nil, qarn, "")
	e.roles.deny("sqs:SendMessage", qarn) // the role lost the permission after the config was written
	id := e.invokeEvent("denied", `{}`)
	e.waitUntil("the outcome", func() bool { _, d := e.notes.get(id, 1); return d != "" })
	if _, dest := e.notes.get(id, 1); dest != "denied: sqs:SendMessage on "+qarn {
		t.Errorf("destination %q", dest)
	}
	e.empty(qurl)

	// At configuration time AWS refuses the config outright.
	_, err := e.lc.PutFunctionEventInvokeConfig(e.ctx(), &lambdasdk.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("denied"),
		DestinationConfig: &lambdatypes.DestinationConfig{OnSuccess: &lambdatypes.OnSuccess{Destination: aws.String(qarn)}}})
	var ipe *lambdatypes.InvalidParameterValueException
	if !errorsAs(err, &ipe) || aws.ToString(ipe.Message) != "The function's execution role does not have permissions to call SendMessage on "+qarn {
		t.Errorf("Put with a denied destination: %v", err)
	}
}
