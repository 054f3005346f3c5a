package sim_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invlog"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/simtest"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

// The services of the simulator deliver to one another as AWS's do. These tests drive the whole
// simulator over the wire with the real SDK clients.

type clients struct {
	lambda *lambda.Client
	sqs    *sqs.Client
	sns    *sns.Client
	s3     *s3.Client
	events *eventbridge.Client
	logs   *cloudwatchlogs.Client
}

func newClients(endpoint string) clients {
	creds := credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", "")
	cfg := aws.Config{Region: "us-east-1", Credentials: creds, BaseEndpoint: aws.String(endpoint), Retryer: func() aws.Retryer { return aws.NopRetryer{} }, HTTPClient: simtest.HTTPClient()}
	return clients{
		lambda: lambda.NewFromConfig(cfg),
		sqs:    sqs.NewFromConfig(cfg),
		sns:    sns.NewFromConfig(cfg),
		s3:     s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }),
		events: eventbridge.NewFromConfig(cfg),
		logs:   cloudwatchlogs.NewFromConfig(cfg),
	}
}

func createQueue(t *testing.T, c clients, name string) (url, arn string) {
	t.Helper()
	ctx := context.Background()
	out, err := c.sqs.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	attrs, err := c.sqs.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: out.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{"QueueArn"}})
	if err != nil {
		t.Fatal(err)
	}
	return *out.QueueUrl, attrs.Attributes["QueueArn"]
}

// receiveOne long-polls the queue until one message arrives or 10 s pass.
func receiveOne(t *testing.T, c clients, url string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		out, err := c.sqs.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), WaitTimeSeconds: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Messages) > 0 {
			return *out.Messages[0].Body
		}
	}
	t.Fatalf("no message arrived on %s", url)
	return ""
}

func TestWiring_snsAndEventBridgeAndS3DeliverToSQS(t *testing.T) {
	s, _ := startDurable(t, t.TempDir())
	defer s.Close()
	c := newClients(s.Endpoint())
	ctx := context.Background()

	t.Run("SNS", func(t *testing.T) {
		url, arn := createQueue(t, c, "from-sns")
		topic, err := c.sns.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("orders")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.sns.Subscribe(ctx, &sns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("sqs"), Endpoint: aws.String(arn)}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.sns.Publish(ctx, &sns.PublishInput{TopicArn: topic.TopicArn, Message: aws.String("order 42")}); err != nil {
			t.Fatal(err)
		}
		var envelope struct{ Type, Message, TopicArn string }
		if err := json.Unmarshal([]byte(receiveOne(t, c, url)), &envelope); err != nil {
			t.Fatal(err)
		}
		if envelope.Type != "Notification" || envelope.Message != "order 42" || envelope.TopicArn != *topic.TopicArn {
			t.Fatalf("SNS envelope in SQS: %+v", envelope)
		}
	})

	t.Run("EventBridge", func(t *testing.T) {
		url, arn := createQueue(t, c, "from-events")
		if _, err := c.events.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("orders"), EventPattern: aws.String(`{"source":["shop"]}`)}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.events.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("orders"), Targets: []ebtypes.Target{{Id: aws.String("q"), Arn: aws.String(arn)}}}); err != nil {
			t.Fatal(err)
		}
		_, err := c.events.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: []ebtypes.PutEventsRequestEntry{
			{Source: aws.String("other"), DetailType: aws.String("ignored"), Detail: aws.String(`{}`)},
			{Source: aws.String("shop"), DetailType: aws.String("Order Placed"), Detail: aws.String(`{"id":42}`)},
		}})
		if err != nil {
			t.Fatal(err)
		}
		var ev events.CloudWatchEvent
		if err := json.Unmarshal([]byte(receiveOne(t, c, url)), &ev); err != nil {
			t.Fatal(err)
		}
		if ev.Source != "shop" || ev.DetailType != "Order Placed" || string(ev.Detail) != `{"id":42}` {
			t.Fatalf("EventBridge event in SQS: %+v detail %s", ev, ev.Detail)
		}
	})

	t.Run("S3", func(t *testing.T) {
		url, arn := createQueue(t, c, "from-s3")
		if _, err := c.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("photos")}); err != nil {
			t.Fatal(err)
		}
		_, err := c.s3.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{
			Bucket: aws.String("photos"),
			NotificationConfiguration: &s3types.NotificationConfiguration{QueueConfigurations: []s3types.QueueConfiguration{{
				QueueArn: aws.String(arn), Events: []s3types.Event{"s3:ObjectCreated:*"},
				Filter: &s3types.NotificationConfigurationFilter{Key: &s3types.S3KeyFilter{FilterRules: []s3types.FilterRule{{Name: "prefix", Value: aws.String("uploads/")}}}},
			}}},
		})
		if err != nil {
			t.Fatal(err)
		}
		// S3 sends a test event when the configuration is written.
		if body := receiveOne(t, c, url); !strings.Contains(body, `"s3:TestEvent"`) {
			t.Fatalf("first message is not S3's test event: %s", body)
		}
		for _, key := range []string{"elsewhere/a.jpg", "uploads/b.jpg"} {
			if _, err := c.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("photos"), Key: aws.String(key), Body: strings.NewReader("jpeg")}); err != nil {
				t.Fatal(err)
			}
		}
		var ev events.S3Event
		if err := json.Unmarshal([]byte(receiveOne(t, c, url)), &ev); err != nil {
			t.Fatal(err)
		}
		if len(ev.Records) != 1 || ev.Records[0].S3.Object.Key != "uploads/b.jpg" || ev.Records[0].EventName != "ObjectCreated:Put" {
			t.Fatalf("S3 event in SQS: %+v", ev)
		}
	})
}

// TestWiring_lambdaPolicyGuardsS3Notifications: S3 refuses a notification to a function whose
// policy does not let s3.amazonaws.com invoke it from that bucket, and accepts it once the
// permission exists; an upload then runs the function asynchronously with the S3 event.
func TestWiring_lambdaPolicyGuardsS3Notifications(t *testing.T) {
	s, _ := startDurable(t, t.TempDir())
	defer s.Close()
	c := newClients(s.Endpoint())
	ctx := context.Background()
	fnARN := createEcho(t, c, "thumbs")
	if _, err := c.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("media")}); err != nil {
		t.Fatal(err)
	}
	put := func() error {
		_, err := c.s3.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{
			Bucket: aws.String("media"),
			NotificationConfiguration: &s3types.NotificationConfiguration{LambdaFunctionConfigurations: []s3types.LambdaFunctionConfiguration{{
				LambdaFunctionArn: aws.String(fnARN), Events: []s3types.Event{"s3:ObjectCreated:*"},
			}}},
		})
		return err
	}
	var apiErr smithy.APIError
	if err := put(); !errors.As(err, &apiErr) || apiErr.ErrorCode() != "InvalidArgument" || !strings.Contains(apiErr.ErrorMessage(), "Unable to validate the following destination configurations") {
		t.Fatalf("notification without permission: %v", err)
	}
	// A permission for another bucket does not help.
	addPermission(t, c, "thumbs", "other", "arn:aws:s3:::other-bucket")
	if err := put(); err == nil {
		t.Fatal("a permission scoped to another bucket validated the destination")
	}
	addPermission(t, c, "thumbs", "media", "arn:aws:s3:::media")
	if err := put(); err != nil {
		t.Fatalf("notification with permission: %v", err)
	}
	if _, err := c.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("media"), Key: aws.String("cat.jpg"), Body: strings.NewReader("x")}); err != nil {
		t.Fatal(err)
	}

	// A worker delivers the notification; the async queue runs the accepted event.
	rec := waitRecord(t, s.Endpoint(), func(r invlog.Record) bool {
		return r.FunctionName == "thumbs" && r.Trigger == "s3:arn:aws:s3:::media"
	})
	var echoed struct{ Event events.S3Event }
	if err := json.Unmarshal([]byte(rec.Response), &echoed); err != nil || len(echoed.Event.Records) != 1 || echoed.Event.Records[0].S3.Object.Key != "cat.jpg" {
		t.Fatalf("the function got: %s (%v)", rec.Response, err)
	}
	if rec.InvocationType != "Event" || rec.Outcome != invlog.OutcomeSuccess {
		t.Fatalf("record: %+v", rec)
	}
}

// TestWiring_functionLogsLandInCloudWatchLogs: what a function prints is readable with the
// CloudWatch Logs API in /aws/lambda/<function>, as on AWS.
func TestWiring_functionLogsLandInCloudWatchLogs(t *testing.T) {
	s, _ := startDurable(t, t.TempDir())
	defer s.Close()
	c := newClients(s.Endpoint())
	ctx := context.Background()
	createEcho(t, c, "talker")
	out, err := c.lambda.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("talker"), Payload: []byte(`{"hello":"logs"}`)})
	if err != nil {
		t.Fatal(err)
	}
	if out.FunctionError != nil {
		t.Fatalf("function error: %s", out.Payload)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		ev, err := c.logs.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("/aws/lambda/talker")})
		var text strings.Builder
		if err == nil {
			for _, e := range ev.Events {
				text.WriteString(*e.Message)
			}
		}
		if strings.Contains(text.String(), "echo: request") && strings.Contains(text.String(), "REPORT RequestId:") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("function logs never reached CloudWatch Logs (err %v): %q", err, text.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func createEcho(t *testing.T, c clients, name string) string {
	t.Helper()
	out, err := c.lambda.CreateFunction(context.Background(), &lambda.CreateFunctionInput{
		FunctionName: aws.String(name),
		Runtime:      types.RuntimeProvidedal2023,
		Handler:      aws.String("bootstrap"),
		Role:         aws.String("arn:aws:iam::000000000000:role/lambda-test"),
		Code:         &types.FunctionCode{ZipFile: testfn.Zip(t, testfn.Echo)},
	})
	if err != nil {
		t.Fatal(err)
	}
	waitActive(t, c.lambda, name)
	return *out.FunctionArn
}

func addPermission(t *testing.T, c clients, fn, sid, sourceARN string) {
	t.Helper()
	_, err := c.lambda.AddPermission(context.Background(), &lambda.AddPermissionInput{
		FunctionName: aws.String(fn), StatementId: aws.String(sid), Action: aws.String("lambda:InvokeFunction"),
		Principal: aws.String("s3.amazonaws.com"), SourceArn: aws.String(sourceARN), SourceAccount: aws.String("000000000000"),
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestWiring_functionURLThroughTheSimulator: a function URL created with the SDK serves plain HTTP
// requests through the simulator's own port once its two public permissions exist.
func TestWiring_functionURLThroughTheSimulator(t *testing.T) {
	s, _ := startDurable(t, t.TempDir())
	defer s.Close()
	c := newClients(s.Endpoint())
	ctx := context.Background()
	createEcho(t, c, "public")
	out, err := c.lambda.CreateFunctionUrlConfig(ctx, &lambda.CreateFunctionUrlConfigInput{FunctionName: aws.String("public"), AuthType: types.FunctionUrlAuthTypeNone})
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(*out.FunctionUrl)
	if err != nil {
		t.Fatal(err)
	}
	id, _, _ := strings.Cut(u.Hostname(), ".")
	get := func() (int, string) {
		resp, err := http.Get(s.Endpoint() + "/_url/" + id + "/hello?x=1")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, body := get(); code != http.StatusForbidden {
		t.Fatalf("without the public permissions: %d %s", code, body)
	}
	for sid, action := range map[string]string{"url": "lambda:InvokeFunctionUrl", "invoke": "lambda:InvokeFunction"} {
		in := &lambda.AddPermissionInput{FunctionName: aws.String("public"), StatementId: aws.String(sid), Action: aws.String(action), Principal: aws.String("*")}
		if action == "lambda:InvokeFunctionUrl" {
			in.FunctionUrlAuthType = types.FunctionUrlAuthTypeNone
		}
		if _, err := c.lambda.AddPermission(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	code, body := get()
	if code != http.StatusOK || !strings.Contains(body, `"rawPath":"/hello"`) || !strings.Contains(body, `"rawQueryString":"x=1"`) {
		t.Fatalf("with the permissions: %d %s", code, body)
	}
}
