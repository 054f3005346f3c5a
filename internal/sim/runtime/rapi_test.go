package runtime

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

// TestRuntimeAPI_contract runs a real aws-lambda-go bootstrap and checks that the invocation
// context it builds from the Runtime API headers is the one the caller asked for.
func TestRuntimeAPI_contract(t *testing.T) {
	m := newTestManager(t, clock.Real(), 0)
	fn := spec("contract", fnZip(t, testfn.Echo))
	fn.Timeout = 7 * time.Second
	fn.MemoryMB = 256
	clientContext := `{"client":{"installation_id":"inst-1","app_title":"contract-test","app_version_code":"7","app_package_name":"pkg"},"env":{"platform":"test"},"custom":{"k":"v"}}`
	req := Request{
		RequestID:          "2b1bd18c-bcc6-4cec-814a-1f410bf1336f",
		InvokedFunctionARN: fn.FunctionARN + ":live",
		Payload:            []byte(`{"hello":"world"}`),
		ClientContext:      clientContext,
		TraceID:            "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1",
	}
	res := invoke(t, m, fn, req)
	if res.FunctionError != "" {
		t.Fatalf("function error %s: %s\n%s", res.FunctionError, res.Payload, res.Logs)
	}
	var got struct {
		Event   json.RawMessage `json:"event"`
		Context struct {
			RequestID          string `json:"requestId"`
			InvokedFunctionARN string `json:"invokedFunctionArn"`
			DeadlineMs         int64  `json:"deadlineMs"`
			FunctionName       string `json:"functionName"`
			FunctionVersion    string `json:"functionVersion"`
			MemoryLimitInMB    int    `json:"memoryLimitInMB"`
			LogGroupName       string `json:"logGroupName"`
			LogStreamName      string `json:"logStreamName"`
			ClientContext      struct {
				Client struct {
					InstallationID string `json:"installation_id"`
					AppTitle       string `json:"app_title"`
				} `json:"Client"`
				Env    map[string]string `json:"env"`
				Custom map[string]string `json:"custom"`
			} `json:"clientContext"`
		} `json:"context"`
	}
	decodeJSON(t, res.Payload, &got)
	c := got.Context
	if string(got.Event) != `{"hello":"world"}` {
		t.Errorf("event = %s", got.Event)
	}
	if c.RequestID != req.RequestID {
		t.Errorf("request id = %q, want %q", c.RequestID, req.RequestID)
	}
	if c.InvokedFunctionARN != req.InvokedFunctionARN {
		t.Errorf("invoked ARN = %q, want %q", c.InvokedFunctionARN, req.InvokedFunctionARN)
	}
	if c.ClientContext.Client.InstallationID != "inst-1" || c.ClientContext.Client.AppTitle != "contract-test" ||
		c.ClientContext.Custom["k"] != "v" || c.ClientContext.Env["platform"] != "test" {
		t.Errorf("client context = %+v", c.ClientContext)
	}
	// The deadline is the start of the Invoke phase plus the function's timeout.
	want := res.Start.Add(fn.Timeout).UnixMilli()
	if d := c.DeadlineMs - want; d < -50 || d > 50 {
		t.Errorf("deadline %d is %d ms off start+timeout %d", c.DeadlineMs, d, want)
	}
	if remaining := time.Until(time.UnixMilli(c.DeadlineMs)); remaining < 3*time.Second || remaining > 7*time.Second {
		t.Errorf("deadline leaves %v, want about 7s", remaining)
	}
	if c.FunctionName != "contract" || c.FunctionVersion != "$LATEST" || c.MemoryLimitInMB != 256 {
		t.Errorf("function name/version/memory = %q %q %d", c.FunctionName, c.FunctionVersion, c.MemoryLimitInMB)
	}
	if c.LogGroupName != "/aws/lambda/contract" {
		t.Errorf("log group = %q", c.LogGroupName)
	}
	if !regexp.MustCompile(`^\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{32}$`).MatchString(c.LogStreamName) ||
		!strings.HasSuffix(c.LogStreamName, res.EnvironmentID) {
		t.Errorf("log stream = %q (environment %s)", c.LogStreamName, res.EnvironmentID)
	}

	// aws-lambda-go copies the trace header into _X_AMZN_TRACE_ID, which recorder reports.
	rec := spec("contract-trace", fnZip(t, testfn.Recorder))
	res = invoke(t, m, rec, req)
	var env struct {
		Env map[string]string `json:"env"`
	}
	decodeJSON(t, res.Payload, &env)
	if got := env.Env["_X_AMZN_TRACE_ID"]; got != req.TraceID {
		t.Errorf("trace id seen by the function = %q, want %q", got, req.TraceID)
	}
	// Without one, the simulator makes an X-Ray header.
	req.RequestID, req.TraceID = "generated-trace", ""
	res = invoke(t, m, rec, req)
	decodeJSON(t, res.Payload, &env)
	if got := env.Env["_X_AMZN_TRACE_ID"]; !regexp.MustCompile(`^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$`).MatchString(got) {
		t.Errorf("generated trace id = %q", got)
	}
}

// TestRuntimeAPI_nextHeaders checks the raw /next answer, header by header.
func TestRuntimeAPI_nextHeaders(t *testing.T) {
	m := newTestManager(t, clock.Real(), 0)
	fn := helperFunction(t, "headers", "headers")
	req := Request{
		RequestID:          "req-headers",
		InvokedFunctionARN: fn.FunctionARN + ":3",
		Payload:            []byte(`{"a":1}`),
		TraceID:            "Root=1-00000001-000000000000000000000001;Parent=0000000000000001;Sampled=0",
	}
	res := invoke(t, m, fn, req)
	var got struct {
		Headers http.Header `json:"headers"`
		Body    string      `json:"body"`
	}
	decodeJSON(t, res.Payload, &got)
	h := got.Headers
	for name, want := range map[string]string{
		"Lambda-Runtime-Aws-Request-Id":       req.RequestID,
		"Lambda-Runtime-Invoked-Function-Arn": req.InvokedFunctionARN,
		"Lambda-Runtime-Trace-Id":             req.TraceID,
		"Content-Type":                        "application/json",
	} {
		if h.Get(name) != want {
			t.Errorf("%s = %q, want %q", name, h.Get(name), want)
		}
	}
	if _, ok := h["Lambda-Runtime-Client-Context"]; ok {
		t.Errorf("Lambda-Runtime-Client-Context sent without a client context")
	}
	deadline, err := strconv.ParseInt(h.Get("Lambda-Runtime-Deadline-Ms"), 10, 64)
	if err != nil || deadline != res.Start.Add(3*time.Second).UnixMilli() {
		t.Errorf("Lambda-Runtime-Deadline-Ms = %q, want %d", h.Get("Lambda-Runtime-Deadline-Ms"), res.Start.Add(3*time.Second).UnixMilli())
	}
	if got.Body != `{"a":1}` {
		t.Errorf("body = %q", got.Body)
	}
}

// TestRuntimeAPI_protocolErrors drives the API out of order: wrong ids are 400, calls the lifecycle
// does not allow are 403, unknown paths 404.
func TestRuntimeAPI_protocolErrors(t *testing.T) {
	m := newTestManager(t, clock.Real(), 0)
	fn := helperFunction(t, "protocol", "protocol")
	first := invoke(t, m, fn, request("p-1", `{}`))
	second := invoke(t, m, fn, request("p-2", `{}`))
	var a, b map[string]int
	decodeJSON(t, first.Payload, &a)
	decodeJSON(t, second.Payload, &b)
	for name, want := range map[string]int{"wrongID": 400, "unknownPath": 404, "initErrorAfterInit": 403} {
		if a[name] != want {
			t.Errorf("%s: status %d, want %d", name, a[name], want)
		}
	}
	for name, want := range map[string]int{"response": 202, "doubleResponse": 403, "errorAfterResponse": 403} {
		if b[name] != want {
			t.Errorf("%s: status %d, want %d", name, b[name], want)
		}
	}
	if second.Cold || second.EnvironmentID != first.EnvironmentID {
		t.Errorf("refused calls must not end the environment")
	}
}

// TestRuntimeAPI_responseTooLarge: over 6 MB the runtime gets 413 and the caller
// Function.ResponseSizeTooLarge.
func TestRuntimeAPI_responseTooLarge(t *testing.T) {
	m := newTestManager(t, clock.Real(), 0)
	fn := helperFunction(t, "oversize", "oversize")
	res := invoke(t, m, fn, request("big-1", `{}`))
	if res.FunctionError != "Unhandled" || res.ErrorType != "Function.ResponseSizeTooLarge" {
		t.Fatalf("result = %s %s: %s", res.FunctionError, res.ErrorType, res.Payload)
	}
	want := fmt.Sprintf(`{"errorType":"Function.ResponseSizeTooLarge","errorMessage":"Response payload size (%d bytes) exceeded maximum allowed payload size (6291556 bytes)."}`, maxResponseBytes+1)
	if string(res.Payload) != want {
		t.Errorf("payload = %s\nwant      %s", res.Payload, want)
	}
	res = invoke(t, m, fn, request("big-2", `{}`))
	if string(res.Payload) != `{"oversizeStatus":413}` {
		t.Errorf("runtime saw %s, want 413", res.Payload)
	}
}

// TestRuntimeAPI_errorFromHeader: an error body that is not an error document is rebuilt from the
// Lambda-Runtime-Function-Error-Type header.
func TestRuntimeAPI_errorFromHeader(t *testing.T) {
	m := newTestManager(t, clock.Real(), 0)
	fn := helperFunction(t, "errorheader", "errorheader")
	res := invoke(t, m, fn, request("eh-1", `{}`))
	if res.FunctionError != "Unhandled" || res.ErrorType != "Runtime.Custom" {
		t.Fatalf("result = %q %q", res.FunctionError, res.ErrorType)
	}
	if string(res.Payload) != `{"errorType":"Runtime.Custom","errorMessage":"not a JSON document"}` {
		t.Errorf("payload = %s", res.Payload)
	}
}

// TestRuntimeAPI_initError: /runtime/init/error answers the first invocation, and the environment
// is discarded even though the runtime does not exit.
func TestRuntimeAPI_initError(t *testing.T) {
	m := newTestManager(t, clock.Real(), 0)
	fn := helperFunction(t, "initerror", "initerror")
	res := invoke(t, m, fn, request("ie-1", `{}`))
	if res.FunctionError != "Unhandled" || res.ErrorType != "Runtime.NoSuchHandler" {
		t.Fatalf("result = %q %q: %s", res.FunctionError, res.ErrorType, res.Payload)
	}
	if string(res.Payload) != `{"errorMessage":"handler missing","errorType":"Runtime.NoSuchHandler"}` {
		t.Errorf("payload = %s", res.Payload)
	}
	if !res.Cold || !hasLine(res.Logs, "helper: reporting an init error") {
		t.Errorf("cold=%v logs:\n%s", res.Cold, res.Logs)
	}
	if pid := m.pid(t, res.EnvironmentID); pidAlive(pid) {
		t.Errorf("process %d still running after its init error", pid)
	}
	again := invoke(t, m, fn, request("ie-2", `{}`))
	if !again.Cold || again.EnvironmentID == res.EnvironmentID {
		t.Errorf("an environment whose init failed was reused")
	}
}

// TestRuntimeAPI_slowInit: an Init phase past 10 s does not fail by itself; as on AWS the rest of
// it counts against the function's timeout, which then ends the invocation.
func TestRuntimeAPI_slowInit(t *testing.T) {
	clk := clock.NewManual(time.Now())
	m := newTestManager(t, clk, 0)
	fn := helperFunction(t, "hanginit", "hanginit")
	fn.Timeout = 2 * time.Second
	done := make(chan Result, 1)
	go func() { done <- invoke(t, m, fn, request("slow-1", `{}`)) }()

	waitPending(t, clk, 1) // the init limit
	clk.Advance(9 * time.Second)
	select {
	case res := <-done:
		t.Fatalf("ended before the init limit: %s", res.Payload)
	case <-time.After(50 * time.Millisecond):
	}
	clk.Advance(time.Second)
	waitPending(t, clk, 1) // the function timeout, now counting
	clk.Advance(2 * time.Second)
	res := <-done
	want := `{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: slow-1 Error: Task timed out after 2.00 seconds"}`
	if res.FunctionError != "Unhandled" || string(res.Payload) != want {
		t.Errorf("result = %q %s", res.FunctionError, res.Payload)
	}
	if res.InitDuration != 10*time.Second || res.Duration != 2*time.Second {
		t.Errorf("init %v, duration %v; want 10s and 2s", res.InitDuration, res.Duration)
	}
	if pid := m.pid(t, res.EnvironmentID); pidAlive(pid) {
		t.Errorf("process %d still running", pid)
	}
}

// waitPending waits until n timers wait on the manual clock, i.e. the code under test is parked.
func waitPending(t *testing.T, clk *clock.Manual, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for clk.Pending() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d timers pending, want %d", clk.Pending(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
