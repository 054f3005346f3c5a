package lambda_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invlog"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

// echoed is what the echo test function answers.
type echoed struct {
	Event   json.RawMessage `json:"event"`
	Context struct {
		RequestID          string `json:"requestId"`
		InvokedFunctionARN string `json:"invokedFunctionArn"`
		FunctionName       string `json:"functionName"`
		FunctionVersion    string `json:"functionVersion"`
		MemoryLimitInMB    int    `json:"memoryLimitInMB"`
		ClientContext      *struct {
			Custom map[string]string `json:"custom"`
		} `json:"clientContext"`
	} `json:"context"`
}

// functionError is the body of a function error.
type functionError struct {
	ErrorType    string `json:"errorType"`
	ErrorMessage string `json:"errorMessage"`
}

func TestInvoke_echo(t *testing.T) {
	t.Parallel()
	h := start(t)
	c := ctx(t)
	h.create(t, "echo", testfn.Echo)

	clientContext := base64.StdEncoding.EncodeToString([]byte(`{"custom":{"caller":"test"}}`))
	out, err := h.client.Invoke(c, &lambda.InvokeInput{
		FunctionName:  aws.String("echo"),
		Payload:       []byte(`{"hello":"world"}`),
		ClientContext: aws.String(clientContext),
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.StatusCode != http.StatusOK || out.FunctionError != nil || aws.ToString(out.ExecutedVersion) != "$LATEST" {
		t.Fatalf("Invoke: status %d, function error %v, executed version %s", out.StatusCode, aws.ToString(out.FunctionError), aws.ToString(out.ExecutedVersion))
	}
	var got echoed
	if err := json.Unmarshal(out.Payload, &got); err != nil {
		t.Fatalf("payload %s: %v", out.Payload, err)
	}
	requestID, _ := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
	switch {
	case string(got.Event) != `{"hello":"world"}`:
		t.Errorf("the function saw event %s", got.Event)
	case got.Context.RequestID != requestID || requestID == "":
		t.Errorf("the function saw request id %q; the response's is %q", got.Context.RequestID, requestID)
	case got.Context.InvokedFunctionARN != functionARN("echo"):
		t.Errorf("invoked function ARN %q", got.Context.InvokedFunctionARN)
	case got.Context.FunctionName != "echo" || got.Context.FunctionVersion != "$LATEST" || got.Context.MemoryLimitInMB != 128:
		t.Errorf("the function saw name %q, version %q, memory %d", got.Context.FunctionName, got.Context.FunctionVersion, got.Context.MemoryLimitInMB)
	case got.Context.ClientContext == nil || got.Context.ClientContext.Custom["caller"] != "test":
		t.Errorf("the function saw client context %+v", got.Context.ClientContext)
	}

	// No payload is the empty event.
	out, err = h.client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String(functionARN("echo"))})
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(out.Payload, &got); err != nil || string(got.Event) != "{}" {
		t.Errorf("invoking without a payload: event %s (%v)", got.Event, err)
	}
}

func TestInvoke_functionErrors(t *testing.T) {
	t.Parallel()
	h := start(t)
	c := ctx(t)
	h.create(t, "fail", testfn.Fail)
	h.create(t, "crash", testfn.Crash)
	h.create(t, "slow", testfn.Sleep, func(in *lambda.CreateFunctionInput) { in.Timeout = aws.Int32(1) })

	cases := []struct {
		function, payload  string
		errorType, message string
	}{
		{"fail", `{}`, "errorString", "boom: the fail function always fails"},
		{"crash", `{}`, "Runtime.ExitError", "Runtime exited with error: exit status 2"},
		{"slow", `{"seconds":3}`, "Sandbox.Timedout", "Task timed out after 1.00 seconds"},
	}
	for _, tc := range cases {
		t.Run(tc.function, func(t *testing.T) {
			out, err := h.client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String(tc.function), Payload: []byte(tc.payload)})
			if err != nil {
				t.Fatal(err)
			}
			// Function errors are answered with 200; the runtime API reports every one as Unhandled.
			if out.StatusCode != http.StatusOK || aws.ToString(out.FunctionError) != "Unhandled" {
				t.Fatalf("status %d, X-Amz-Function-Error %q; want 200 and Unhandled", out.StatusCode, aws.ToString(out.FunctionError))
			}
			var fe functionError
			if err := json.Unmarshal(out.Payload, &fe); err != nil {
				t.Fatalf("error body %s: %v", out.Payload, err)
			}
			if fe.ErrorType != tc.errorType || !strings.Contains(fe.ErrorMessage, tc.message) {
				t.Errorf("error body %s; want errorType %s and a message with %q", out.Payload, tc.errorType, tc.message)
			}
			recs := h.records(t, tc.function)
			if len(recs) != 1 || recs[0].Outcome != invlog.OutcomeFunctionError || recs[0].FunctionError != "Unhandled" || recs[0].ErrorType != tc.errorType {
				t.Errorf("records %+v", recs)
			}
		})
	}
}

func TestInvoke_logTailAndWarmStart(t *testing.T) {
	t.Parallel()
	h := start(t)
	c := ctx(t)
	h.create(t, "tail", testfn.Echo)

	var requestIDs []string
	for i := 0; i < 2; i++ {
		out, err := h.client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String("tail"), LogType: types.LogTypeTail, Payload: []byte(`[1,2,3]`)})
		if err != nil {
			t.Fatal(err)
		}
		logs, err := base64.StdEncoding.DecodeString(aws.ToString(out.LogResult))
		if err != nil {
			t.Fatalf("X-Amz-Log-Result %q: %v", aws.ToString(out.LogResult), err)
		}
		id, _ := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
		requestIDs = append(requestIDs, id)
		for _, want := range []string{"START RequestId: " + id, "END RequestId: " + id, "REPORT RequestId: " + id, "echo: request " + id} {
			if !strings.Contains(string(logs), want) {
				t.Errorf("log tail %q lacks %q", logs, want)
			}
		}
		if len(logs) > 4096 {
			t.Errorf("log tail is %d bytes, over 4 KB", len(logs))
		}
	}
	out, err := h.client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String("tail")})
	if err != nil || out.LogResult != nil {
		t.Fatalf("without LogType Tail: LogResult %v, %v", out.LogResult, err)
	}

	recs := h.records(t, "tail")
	if len(recs) != 3 {
		t.Fatalf("%d records, want 3", len(recs))
	}
	first, second := recs[0], recs[1]
	switch {
	case first.RequestID != requestIDs[0] || second.RequestID != requestIDs[1]:
		t.Errorf("records of requests %s, %s; invoked %v", first.RequestID, second.RequestID, requestIDs)
	case !first.Cold || second.Cold:
		t.Errorf("cold: first %v, second %v; want true, false", first.Cold, second.Cold)
	case first.EnvironmentID == "" || first.EnvironmentID != second.EnvironmentID:
		t.Errorf("environments %q and %q; want the same warm one", first.EnvironmentID, second.EnvironmentID)
	case first.Outcome != invlog.OutcomeSuccess || first.StatusCode != 200 || first.Trigger != "api" || first.Attempt != 1:
		t.Errorf("first record %+v", first)
	case first.DurationMs <= 0 || first.InitDurationMs <= 0 || second.InitDurationMs != 0:
		t.Errorf("durations: first %.3f ms (init %.3f), second init %.3f", first.DurationMs, first.InitDurationMs, second.InitDurationMs)
	case first.Payload != "[1,2,3]" || !strings.Contains(first.Response, `"event":[1,2,3]`):
		t.Errorf("record payload %q, response %q", first.Payload, first.Response)
	case !strings.Contains(first.Logs, "REPORT RequestId"):
		t.Errorf("record logs %q", first.Logs)
	case first.InvocationType != "RequestResponse" || first.ExecutedVersion != "$LATEST" || first.FunctionARN != functionARN("tail"):
		t.Errorf("record type %s, version %s, arn %s", first.InvocationType, first.ExecutedVersion, first.FunctionARN)
	}
}

func TestInvoke_concurrentEnvironments(t *testing.T) {
	t.Parallel()
	h := start(t)
	c := ctx(t)
	h.create(t, "parallel", testfn.Sleep)

	const n = 3
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := h.client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String("parallel"), Payload: []byte(`{"seconds":2}`)})
			if err == nil && out.FunctionError != nil {
				err = errors.New(string(out.Payload))
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	envs := map[string]bool{}
	for _, r := range h.records(t, "parallel") {
		envs[r.EnvironmentID] = true
	}
	if len(envs) != n {
		t.Errorf("%d concurrent invocations ran in %d environments, want %d", n, len(envs), n)
	}
}

func TestInvoke_throttles(t *testing.T) {
	t.Parallel()
	h := start(t)
	c := ctx(t)
	h.create(t, "zero", stub)
	if _, err := h.client.PutFunctionConcurrency(c, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("zero"), ReservedConcurrentExecutions: aws.Int32(0)}); err != nil {
		t.Fatal(err)
	}
	_, err := h.client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String("zero")})
	var tm *types.TooManyRequestsException
	if !errors.As(err, &tm) {
		t.Fatalf("invoking with reserved concurrency 0: %v, want TooManyRequestsException", err)
	}
	apiError(t, err, "TooManyRequestsException", http.StatusTooManyRequests)
	if tm.Reason != types.ThrottleReasonReservedFunctionConcurrentInvocationLimitExceeded || aws.ToString(tm.Message) != "Rate Exceeded." || aws.ToString(tm.RetryAfterSeconds) == "" {
		t.Errorf("throttle: reason %s, message %q, Retry-After %q", tm.Reason, aws.ToString(tm.Message), aws.ToString(tm.RetryAfterSeconds))
	}
	recs := h.records(t, "zero")
	if len(recs) != 1 || recs[0].Outcome != invlog.OutcomeThrottled || recs[0].StatusCode != 429 || recs[0].ErrorType != "TooManyRequestsException" {
		t.Errorf("throttled attempt recorded as %+v", recs)
	}

	// With a reservation of 1, of two invocations at once one runs and the other is throttled.
	h.create(t, "one", testfn.Sleep)
	if _, err := h.client.PutFunctionConcurrency(c, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("one"), ReservedConcurrentExecutions: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := h.client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String("one"), Payload: []byte(`{"seconds":3}`)})
			errs <- err
		}()
	}
	var ran, throttled int
	for range 2 {
		err := <-errs
		switch {
		case err == nil:
			ran++
		case errors.As(err, &tm):
			throttled++
		default:
			t.Errorf("concurrent invocation: %v", err)
		}
	}
	if ran != 1 || throttled != 1 {
		t.Errorf("reserved concurrency 1: %d ran and %d were throttled, want 1 and 1", ran, throttled)
	}
	if _, err := h.client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String("one"), Payload: []byte(`{"seconds":0}`)}); err != nil {
		t.Fatalf("invoking once the first has ended: %v", err)
	}
}

func TestInvoke_requestChecks(t *testing.T) {
	t.Parallel()
	h := start(t)
	c := ctx(t)
	h.create(t, "checked", stub)

	big := []byte(`"` + strings.Repeat("a", 6291456) + `"`)
	_, err := h.client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String("checked"), Payload: big})
	ae := apiError(t, err, "RequestEntityTooLargeException", http.StatusRequestEntityTooLarge)
	if ae.ErrorMessage() != "Request must be smaller than 6291456 bytes for the InvokeFunction operation" {
		t.Errorf("oversized request: %q", ae.ErrorMessage())
	}
	event := []byte(`"` + strings.Repeat("a", 1048577) + `"`)
	_, err = h.client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String("checked"), InvocationType: types.InvocationTypeEvent, Payload: event})
	ae = apiError(t, err, "RequestEntityTooLargeException", http.StatusRequestEntityTooLarge)
	if !strings.Contains(ae.ErrorMessage(), "byte payload is too large for the Event invocation type (limit 1048576 bytes)") {
		t.Errorf("oversized event: %q", ae.ErrorMessage())
	}

	_, err = h.client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String("checked"), Payload: []byte("not json")})
	var irc *types.InvalidRequestContentException
	if !errors.As(err, &irc) || !strings.HasPrefix(aws.ToString(irc.Message), "Could not parse request body into json") {
		t.Errorf("non-JSON payload: %v, want InvalidRequestContentException", err)
	}
	apiError(t, err, "InvalidRequestContentException", http.StatusBadRequest)

	_, err = h.client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String("checked"), InvocationType: "Later"})
	apiError(t, err, "ValidationException", http.StatusBadRequest)
	_, err = h.client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String("missing")})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) || aws.ToString(nf.Message) != "Function not found: "+functionARN("missing") {
		t.Errorf("invoking a missing function: %v", err)
	}
	_, err = h.client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String("checked"), Qualifier: aws.String("3")})
	apiError(t, err, "ResourceNotFoundException", http.StatusNotFound)

	dry, err := h.client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String("checked"), InvocationType: types.InvocationTypeDryRun})
	if err != nil || dry.StatusCode != http.StatusNoContent {
		t.Fatalf("DryRun: %v, %v; want 204", dry, err)
	}
	async, err := h.client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String("checked"), InvocationType: types.InvocationTypeEvent, Payload: []byte(`{"n":1}`)})
	if err != nil || async.StatusCode != http.StatusAccepted {
		t.Fatalf("Event: %v, %v; want 202", async, err)
	}
	recs := h.records(t, "checked")
	if len(recs) != 1 || recs[0].Outcome != invlog.OutcomeDryRun || recs[0].StatusCode != 204 {
		t.Errorf("records %+v; want only the dry run (the event waits for the async queue)", recs)
	}
}

func TestInvoke_versionsAndRuntimes(t *testing.T) {
	t.Parallel()
	h := start(t)
	c := ctx(t)
	h.create(t, "versioned", testfn.Echo, func(in *lambda.CreateFunctionInput) { in.Publish = true })
	h.waitVersion(t, "versioned", "1")
	if _, err := h.client.UpdateFunctionCode(c, &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("versioned"), ZipFile: testfn.Zip(t, testfn.Fail)}); err != nil {
		t.Fatal(err)
	}
	h.waitUpdated(t, "versioned")

	for _, in := range []*lambda.InvokeInput{
		{FunctionName: aws.String("versioned"), Qualifier: aws.String("1")},
		{FunctionName: aws.String("versioned:1")},
	} {
		out, err := h.client.Invoke(c, in)
		if err != nil {
			t.Fatal(err)
		}
		var got echoed
		json.Unmarshal(out.Payload, &got)
		if out.FunctionError != nil || aws.ToString(out.ExecutedVersion) != "1" || got.Context.InvokedFunctionARN != functionARN("versioned")+":1" || got.Context.FunctionVersion != "1" {
			t.Errorf("version 1: executed %s, error %v, payload %s", aws.ToString(out.ExecutedVersion), aws.ToString(out.FunctionError), out.Payload)
		}
	}
	out, err := h.client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String("versioned")})
	if err != nil || aws.ToString(out.FunctionError) == "" {
		t.Errorf("$LATEST runs the new code (fail): %v, %s", err, out.Payload)
	}

	// Any runtime of the API can be created; only the OS-only runtimes run.
	h.create(t, "python", stub, func(in *lambda.CreateFunctionInput) {
		in.Runtime, in.Handler = types.RuntimePython312, aws.String("app.handler")
	})
	_, err = h.client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String("python")})
	var ir *types.InvalidRuntimeException
	if !errors.As(err, &ir) || !strings.Contains(aws.ToString(ir.Message), "simulator") {
		t.Errorf("invoking python3.12: %v, want InvalidRuntimeException explaining the simulator", err)
	}
	apiError(t, err, "InvalidRuntimeException", http.StatusBadGateway)
}
