package sqs

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/simtest"
)

// testStart is the manual clock's start: any fixed instant works.
var testStart = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// env is one simulated SQS behind a real HTTP server, driven by the real SDK client.
type env struct {
	t      testing.TB
	svc    *Service
	store  *store.Store
	clock  *clock.Manual
	bus    *deliver.Bus
	srv    *httptest.Server
	client *awssqs.Client
}

type envOptions struct {
	store *store.Store // default store.OpenTemp, closed with the test
	clock *clock.Manual
}

func newEnv(t testing.TB, opts envOptions) *env {
	e := &env{t: t, clock: opts.clock, store: opts.store, bus: deliver.NewBus()}
	if e.clock == nil {
		e.clock = clock.NewManual(testStart)
	}
	if e.store == nil {
		st, err := store.OpenTemp()
		if err != nil {
			t.Fatal(err)
		}
		e.store = st
		t.Cleanup(func() { st.Close() })
	}
	var url string
	svc, err := New(Config{
		Store: e.store, Clock: e.clock, Bus: e.bus, Region: "us-east-1", AccountID: "000000000000",
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		Endpoint: func() string { return url },
	})
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	router := server.NewRouter()
	svc.Register(router)
	// The URL is known before the server starts, so handlers read it race-free.
	e.srv = httptest.NewUnstartedServer(awswire.WithRequestID(router))
	url = "http://" + e.srv.Listener.Addr().String()
	e.srv.Start()
	t.Cleanup(func() {
		svc.Close()
		e.srv.Close()
	})
	e.client = newClient(e.srv.URL)
	return e
}

func newClient(endpoint string) *awssqs.Client {
	return awssqs.New(awssqs.Options{
		BaseEndpoint:     aws.String(endpoint),
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		RetryMaxAttempts: 1,
		HTTPClient:       simtest.HTTPClient(),
	})
}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// createQueue creates a queue and answers its URL.
func (e *env) createQueue(name string, attrs map[string]string) string {
	e.t.Helper()
	out, err := e.client.CreateQueue(ctx(e.t), &awssqs.CreateQueueInput{QueueName: aws.String(name), Attributes: attrs})
	if err != nil {
		e.t.Fatalf("CreateQueue %s: %v", name, err)
	}
	return aws.ToString(out.QueueUrl)
}

func (e *env) send(url, body string) *awssqs.SendMessageOutput {
	e.t.Helper()
	out, err := e.client.SendMessage(ctx(e.t), &awssqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(body)})
	if err != nil {
		e.t.Fatalf("SendMessage: %v", err)
	}
	return out
}

// receive receives up to n messages without waiting, with every attribute.
func (e *env) receive(url string, n int32) *awssqs.ReceiveMessageOutput {
	e.t.Helper()
	out, err := e.client.ReceiveMessage(ctx(e.t), &awssqs.ReceiveMessageInput{
		QueueUrl: aws.String(url), MaxNumberOfMessages: n,
		MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{"All"}, MessageAttributeNames: []string{"All"},
	})
	if err != nil {
		e.t.Fatalf("ReceiveMessage: %v", err)
	}
	return out
}

func (e *env) bodies(url string, n int32) []string {
	e.t.Helper()
	var out []string
	for _, m := range e.receive(url, n).Messages {
		out = append(out, aws.ToString(m.Body))
	}
	return out
}

func (e *env) attributes(url string) map[string]string {
	e.t.Helper()
	out, err := e.client.GetQueueAttributes(ctx(e.t), &awssqs.GetQueueAttributesInput{
		QueueUrl: aws.String(url), AttributeNames: []sqstypes.QueueAttributeName{"All"},
	})
	if err != nil {
		e.t.Fatalf("GetQueueAttributes: %v", err)
	}
	return out.Attributes
}

func (e *env) arn(url string) string {
	e.t.Helper()
	return e.attributes(url)["QueueArn"]
}

// apiCode is the error code the SDK reports (for SQS, the awsQuery code of x-amzn-query-error).
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want error %s, got success", code)
	}
	if got := apiCode(err); got != code {
		t.Fatalf("want error code %s, got %q (%v)", code, got, err)
	}
}

// waitPending waits until n timers are parked on the manual clock (a long poll is waiting).
func waitPending(t testing.TB, c *clock.Manual, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for c.Pending() < n {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %d parked timers (have %d)", n, c.Pending())
		}
		time.Sleep(time.Millisecond)
	}
}
