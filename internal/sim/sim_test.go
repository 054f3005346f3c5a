package sim_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invlog"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/simtest"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testfn.Cleanup()
	os.Exit(code)
}

func startDurable(t *testing.T, dir string) (*sim.Simulator, *lambda.Client) {
	t.Helper()
	s, err := sim.New(sim.Config{DataDir: dir, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start("127.0.0.1:0"); err != nil {
		s.Close()
		t.Fatal(err)
	}
	client := lambda.New(lambda.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		BaseEndpoint: aws.String(s.Endpoint()),
		Retryer:      aws.NopRetryer{},
		HTTPClient:   simtest.HTTPClient(),
	})
	return s, client
}

func waitActive(t *testing.T, client *lambda.Client, name string) {
	t.Helper()
	w := lambda.NewFunctionActiveV2Waiter(client, func(o *lambda.FunctionActiveV2WaiterOptions) {
		o.MinDelay, o.MaxDelay = 20*time.Millisecond, 100*time.Millisecond
	})
	if err := w.Wait(context.Background(), &lambda.GetFunctionInput{FunctionName: aws.String(name)}, 2*time.Minute); err != nil {
		t.Fatalf("waiting for %s: %v", name, err)
	}
}

// TestSimulator_restartKeepsFunctions closes a durable simulator and starts another on its data
// directory: functions, versions, policies, reservations, tags, invocation records and accepted
// events are all still there, and the functions run.
func TestSimulator_restartKeepsFunctions(t *testing.T) {
	dir := t.TempDir()
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	s1, client := startDurable(t, dir)
	_, err := client.CreateFunction(c, &lambda.CreateFunctionInput{
		FunctionName: aws.String("durable"),
		Runtime:      types.RuntimeProvidedal2023,
		Handler:      aws.String("bootstrap"),
		Role:         aws.String("arn:aws:iam::000000000000:role/lambda-test"),
		Code:         &types.FunctionCode{ZipFile: testfn.Zip(t, testfn.Echo)},
		Publish:      true,
		Tags:         map[string]string{"kept": "yes"},
		Environment:  &types.Environment{Variables: map[string]string{"MODE": "durable"}},
	})
	if err != nil {
		s1.Close()
		t.Fatal(err)
	}
	waitActive(t, client, "durable")
	steps := []func() error{
		func() error {
			_, err := client.AddPermission(c, &lambda.AddPermissionInput{FunctionName: aws.String("durable"), Qualifier: aws.String("1"),
				StatementId: aws.String("sns"), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("sns.amazonaws.com")})
			return err
		},
		func() error {
			_, err := client.PutFunctionConcurrency(c, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("durable"), ReservedConcurrentExecutions: aws.Int32(7)})
			return err
		},
		func() error {
			_, err := client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String("durable"), Payload: []byte(`{"before":"restart"}`)})
			return err
		},
		func() error {
			_, err := client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String("durable"), InvocationType: types.InvocationTypeEvent, Payload: []byte(`{"async":true}`)})
			return err
		},
		func() error {
			// Closed while Pending: the next simulator completes the transition.
			_, err := client.CreateFunction(c, &lambda.CreateFunctionInput{
				FunctionName: aws.String("pending"), Runtime: types.RuntimeProvidedal2023, Handler: aws.String("bootstrap"),
				Role: aws.String("arn:aws:iam::000000000000:role/lambda-test"), Code: &types.FunctionCode{ZipFile: testfn.Zip(t, testfn.Echo)},
			})
			return err
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			s1.Close()
			t.Fatal(err)
		}
	}
	if err := s1.Close(); err != nil {
		t.Fatal(err)
	}

	s2, client := startDurable(t, dir)
	defer s2.Close()
	// The accepted event was run by the async queue, before the restart or after it: it is in the
	// invocation log, which survived the restart too.
	waitRecord(t, s2.Endpoint(), func(r invlog.Record) bool {
		return r.FunctionName == "durable" && r.InvocationType == "Event" && r.Payload == `{"async":true}` && r.Outcome == invlog.OutcomeSuccess
	})
	fn, err := client.GetFunction(c, &lambda.GetFunctionInput{FunctionName: aws.String("durable")})
	if err != nil {
		t.Fatal(err)
	}
	if fn.Configuration.State != types.StateActive || fn.Tags["kept"] != "yes" || fn.Concurrency == nil ||
		aws.ToInt32(fn.Concurrency.ReservedConcurrentExecutions) != 7 || fn.Configuration.Environment.Variables["MODE"] != "durable" {
		t.Errorf("after restart: state %s, tags %v, concurrency %+v, environment %+v", fn.Configuration.State, fn.Tags, fn.Concurrency, fn.Configuration.Environment)
	}
	versions, err := client.ListVersionsByFunction(c, &lambda.ListVersionsByFunctionInput{FunctionName: aws.String("durable")})
	if err != nil || len(versions.Versions) != 2 {
		t.Fatalf("versions after restart: %v, %v", versions, err)
	}
	pol, err := client.GetPolicy(c, &lambda.GetPolicyInput{FunctionName: aws.String("durable"), Qualifier: aws.String("1")})
	if err != nil {
		t.Fatalf("GetPolicy after restart: %v", err)
	}
	var doc struct{ Statement []struct{ Sid string } }
	if json.Unmarshal([]byte(aws.ToString(pol.Policy)), &doc); len(doc.Statement) != 1 || doc.Statement[0].Sid != "sns" {
		t.Errorf("policy after restart: %s", aws.ToString(pol.Policy))
	}
	for _, q := range []*string{nil, aws.String("1")} {
		out, err := client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String("durable"), Qualifier: q, Payload: []byte(`{"after":"restart"}`)})
		if err != nil || out.FunctionError != nil {
			t.Fatalf("invoking after restart (qualifier %v): %v %s", aws.ToString(q), err, out.Payload)
		}
		var echoed struct{ Event map[string]string }
		if json.Unmarshal(out.Payload, &echoed); echoed.Event["after"] != "restart" {
			t.Errorf("after restart the function answered %s", out.Payload)
		}
	}
	waitActive(t, client, "pending")

	resp, err := http.Get(s2.Endpoint() + "/_sim/invocations?function=durable")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var recs struct{ Invocations []invlog.Record }
	if err := json.NewDecoder(resp.Body).Decode(&recs); err != nil {
		t.Fatal(err)
	}
	// Before the restart: the sync invoke and the async event; after it: two sync invokes, the first
	// of them cold (a restarted simulator has no warm environment).
	var sync []invlog.Record
	for _, r := range recs.Invocations {
		if r.InvocationType == "RequestResponse" {
			sync = append(sync, r)
		}
	}
	if len(recs.Invocations) != 4 || len(sync) != 3 || sync[0].Payload != `{"before":"restart"}` || !sync[1].Cold {
		t.Errorf("invocation records after restart: %+v", recs.Invocations)
	}
}

// waitRecord polls /_sim/invocations until a record satisfies ok (10 s at most).
func waitRecord(t *testing.T, endpoint string, ok func(invlog.Record) bool) invlog.Record {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(endpoint + "/_sim/invocations")
		if err != nil {
			t.Fatal(err)
		}
		var body struct{ Invocations []invlog.Record }
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range body.Invocations {
			if ok(r) {
				return r
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no matching invocation record among %d", len(body.Invocations))
		}
		time.Sleep(50 * time.Millisecond)
	}
}
