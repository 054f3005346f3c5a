package runtime

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

func TestManager_warmReuse(t *testing.T) {
	m := newTestManager(t, clock.Real(), 0)
	fn := spec("warm", fnZip(t, testfn.Echo))

	first := invoke(t, m, fn, request("w-1", `{}`))
	second := invoke(t, m, fn, request("w-2", `{}`))
	if !first.Cold || first.EnvironmentID == "" || first.InitDuration <= 0 {
		t.Errorf("first invoke: cold=%v env=%q init=%v", first.Cold, first.EnvironmentID, first.InitDuration)
	}
	if second.Cold || second.EnvironmentID != first.EnvironmentID || second.InitDuration != 0 {
		t.Errorf("second invoke: cold=%v env=%q (first %q) init=%v", second.Cold, second.EnvironmentID, first.EnvironmentID, second.InitDuration)
	}

	// A new revision is new code or configuration: never served by the old environments.
	updated := fn
	updated.RevisionID = "rev-2"
	third := invoke(t, m, updated, request("w-3", `{}`))
	if !third.Cold || third.EnvironmentID == first.EnvironmentID {
		t.Errorf("revision change reused environment %s", third.EnvironmentID)
	}
}

func TestManager_concurrentInvokesGetDistinctEnvironments(t *testing.T) {
	m := newTestManager(t, clock.Real(), 0)
	fn := spec("parallel", fnZip(t, testfn.Sleep))
	const n = 3
	results := make([]Result, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = invoke(t, m, fn, request(fmt.Sprintf("c-%d", i), `{"seconds":0.3}`))
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, res := range results {
		if string(res.Payload) != `"slept"` || !res.Cold {
			t.Errorf("invoke %d: cold=%v payload=%s", i, res.Cold, res.Payload)
		}
		seen[res.EnvironmentID] = true
	}
	if len(seen) != n {
		t.Errorf("%d concurrent invokes used %d environments", n, len(seen))
	}
	// Now all three are idle, and a fourth invoke takes one of them.
	res := invoke(t, m, fn, request("c-after", `{"seconds":0}`))
	if res.Cold || !seen[res.EnvironmentID] {
		t.Errorf("invoke after the burst: cold=%v env=%s", res.Cold, res.EnvironmentID)
	}
}

func TestManager_functionError(t *testing.T) {
	m := newTestManager(t, clock.Real(), 0)
	fn := spec("failing", fnZip(t, testfn.Fail))
	res := invoke(t, m, fn, request("f-1", `{}`))
	if res.FunctionError != "Unhandled" || res.ErrorType != "errorString" {
		t.Fatalf("function error %q type %q", res.FunctionError, res.ErrorType)
	}
	var body struct {
		ErrorMessage string `json:"errorMessage"`
		ErrorType    string `json:"errorType"`
	}
	decodeJSON(t, res.Payload, &body)
	if body.ErrorMessage != "boom: the fail function always fails" || body.ErrorType != "errorString" {
		t.Errorf("error document = %s", res.Payload)
	}
	if !hasLine(res.Logs, "fail: about to fail") {
		t.Errorf("logs lack the function's output:\n%s", res.Logs)
	}
	// A function error is an answer: the environment stays warm.
	again := invoke(t, m, fn, request("f-2", `{}`))
	if again.Cold || again.EnvironmentID != res.EnvironmentID {
		t.Errorf("environment not reused after a function error")
	}
}

func TestManager_crashDuringInvoke(t *testing.T) {
	m := newTestManager(t, clock.Real(), 0)
	fn := spec("crashing", fnZip(t, testfn.Crash))
	res := invoke(t, m, fn, request("crash-1", `{}`))
	want := `{"errorType":"Runtime.ExitError","errorMessage":"RequestId: crash-1 Error: Runtime exited with error: exit status 2"}`
	if res.FunctionError != "Unhandled" || res.ErrorType != "Runtime.ExitError" || string(res.Payload) != want {
		t.Fatalf("result = %q %q %s", res.FunctionError, res.ErrorType, res.Payload)
	}
	for _, line := range []string{"crash: exiting with status 2", "RequestId: crash-1 Error: Runtime exited with error: exit status 2", "END RequestId: crash-1"} {
		if !hasLine(res.Logs, line) {
			t.Errorf("logs lack %q:\n%s", line, res.Logs)
		}
	}
	if pid := m.pid(t, res.EnvironmentID); pidAlive(pid) {
		t.Errorf("crashed environment's process %d still running", pid)
	}
	next := invoke(t, m, fn, request("crash-2", `{}`))
	if !next.Cold || next.EnvironmentID == res.EnvironmentID {
		t.Errorf("invoke after a crash: cold=%v env=%s", next.Cold, next.EnvironmentID)
	}
}

func TestManager_crashDuringInit(t *testing.T) {
	m := newTestManager(t, clock.Real(), 0)
	fn := spec("init-crash", fnZip(t, testfn.Crash))
	fn.Environment = map[string]string{"CRASH_AT_INIT": "1"}
	res := invoke(t, m, fn, request("ic-1", `{}`))
	want := `{"errorType":"Runtime.ExitError","errorMessage":"RequestId: ic-1 Error: Runtime exited with error: exit status 3"}`
	if res.FunctionError != "Unhandled" || string(res.Payload) != want {
		t.Fatalf("result = %q %s", res.FunctionError, res.Payload)
	}
	lines := strings.Split(strings.TrimSuffix(string(res.Logs), "\n"), "\n")
	if len(lines) < 4 || lines[0] != "crash: failing during init" || lines[1] != "START RequestId: ic-1 Version: $LATEST" {
		t.Errorf("init output must come before START:\n%s", res.Logs)
	}
	if !res.Cold || res.InitDuration <= 0 || !strings.Contains(lines[len(lines)-1], "Init Duration: ") {
		t.Errorf("cold=%v init=%v report=%q", res.Cold, res.InitDuration, lines[len(lines)-1])
	}
}

func TestManager_timeout(t *testing.T) {
	m := newTestManager(t, clock.Real(), 0)
	fn := spec("slow", fnZip(t, testfn.Sleep))
	fn.Timeout = time.Second
	start := time.Now()
	res := invoke(t, m, fn, request("to-1", `{"seconds":5}`))
	elapsed := time.Since(start)
	want := `{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: to-1 Error: Task timed out after 1.00 seconds"}`
	if res.FunctionError != "Unhandled" || res.ErrorType != "Sandbox.Timedout" || string(res.Payload) != want {
		t.Fatalf("result = %q %q %s", res.FunctionError, res.ErrorType, res.Payload)
	}
	if elapsed < time.Second || elapsed > 4*time.Second {
		t.Errorf("timeout took %v", elapsed)
	}
	if res.Duration < time.Second || res.Duration > 2*time.Second {
		t.Errorf("duration %v", res.Duration)
	}
	if !hasLine(res.Logs, "sleep: sleeping 5.00s") ||
		!regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z to-1 Task timed out after 1\.00 seconds$`).Match(res.Logs) {
		t.Errorf("logs:\n%s", res.Logs)
	}
	if pid := m.pid(t, res.EnvironmentID); pidAlive(pid) {
		t.Errorf("timed-out process %d still running", pid)
	}
	next := invoke(t, m, fn, request("to-2", `{"seconds":0}`))
	if !next.Cold || string(next.Payload) != `"slept"` {
		t.Errorf("invoke after a timeout: cold=%v payload=%s", next.Cold, next.Payload)
	}
}

// TestManager_processEnvironment: a function sees the Lambda variables and its own, and nothing
// of the host.
func TestManager_processEnvironment(t *testing.T) {
	t.Setenv("LEAK_CANARY", "host-value")
	m := newTestManager(t, clock.Real(), 0)
	fn := spec("recorder", fnZip(t, testfn.Recorder))
	fn.Environment = map[string]string{"USER_VAR": "mine", "LANG": "C.UTF-8", "AWS_REGION": "xx-nowhere-1"}
	res := invoke(t, m, fn, request("env-1", `{}`))
	var got struct {
		Env map[string]string `json:"env"`
		Cwd string            `json:"cwd"`
	}
	decodeJSON(t, res.Payload, &got)

	var keys []string
	for k := range got.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	want := []string{
		"AWS_ACCESS_KEY_ID", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
		"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE",
		"AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_RUNTIME_API", "AWS_REGION",
		"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_XRAY_CONTEXT_MISSING", "LAMBDA_RUNTIME_DIR",
		"LAMBDA_TASK_ROOT", "LANG", "LD_LIBRARY_PATH", "PATH", "TMPDIR", "TZ", "USER_VAR",
		"_HANDLER",
		"_X_AMZN_TRACE_ID", // set by aws-lambda-go itself from Lambda-Runtime-Trace-Id
	}
	if strings.Join(keys, " ") != strings.Join(want, " ") {
		t.Errorf("environment keys\n got %v\nwant %v", keys, want)
	}
	for k, v := range map[string]string{
		"USER_VAR":                        "mine",
		"LANG":                            "C.UTF-8",   // unreserved: the user's value wins
		"AWS_REGION":                      "eu-west-1", // reserved: Lambda's value wins
		"AWS_DEFAULT_REGION":              "eu-west-1",
		"AWS_ENDPOINT_URL":                testEndpoint,
		"AWS_LAMBDA_FUNCTION_NAME":        "recorder",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_LAMBDA_INITIALIZATION_TYPE":  "on-demand",
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/recorder",
		"_HANDLER":                        "bootstrap",
		"TZ":                              ":UTC",
		"PATH":                            "/usr/local/bin:/usr/bin/:/bin:/opt/bin",
		"AWS_ACCESS_KEY_ID":               FunctionAccessKeyID,
	} {
		if got.Env[k] != v {
			t.Errorf("%s = %q, want %q", k, got.Env[k], v)
		}
	}
	if got.Cwd != got.Env["LAMBDA_TASK_ROOT"] || filepath.Base(filepath.Dir(got.Cwd)) != "code" {
		t.Errorf("cwd %q, task root %q", got.Cwd, got.Env["LAMBDA_TASK_ROOT"])
	}
	if !regexp.MustCompile(`^127\.0\.0\.1:\d+$`).MatchString(got.Env["AWS_LAMBDA_RUNTIME_API"]) {
		t.Errorf("AWS_LAMBDA_RUNTIME_API = %q", got.Env["AWS_LAMBDA_RUNTIME_API"])
	}
	tmp := got.Env["TMPDIR"]
	if filepath.Base(filepath.Dir(tmp)) != res.EnvironmentID {
		t.Errorf("TMPDIR %q is not the environment's own", tmp)
	}
	if info, err := os.Stat(tmp); err != nil || !info.IsDir() {
		t.Errorf("TMPDIR %q: %v", tmp, err)
	}
	if !strings.HasSuffix(got.Env["AWS_LAMBDA_LOG_STREAM_NAME"], "[$LATEST]"+res.EnvironmentID) {
		t.Errorf("log stream %q", got.Env["AWS_LAMBDA_LOG_STREAM_NAME"])
	}
}

func TestManager_logs(t *testing.T) {
	m := newTestManager(t, clock.Real(), 0)
	fn := spec("logging", fnZip(t, testfn.Echo))
	fn.MemoryMB = 192
	cold := invoke(t, m, fn, request("log-1", `{}`))
	warm := invoke(t, m, fn, request("log-2", `{}`))

	report := regexp.MustCompile(`^REPORT RequestId: (log-\d)\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 192 MB\tMax Memory Used: \d+ MB\t(Init Duration: \d+\.\d\d ms\t)?$`)
	for _, tc := range []struct {
		res  Result
		id   string
		init bool
	}{{cold, "log-1", true}, {warm, "log-2", false}} {
		lines := strings.Split(strings.TrimSuffix(string(tc.res.Logs), "\n"), "\n")
		if len(lines) != 4 {
			t.Fatalf("%s: want START, output, END, REPORT; got\n%s", tc.id, tc.res.Logs)
		}
		if lines[0] != "START RequestId: "+tc.id+" Version: $LATEST" || lines[1] != "echo: request "+tc.id || lines[2] != "END RequestId: "+tc.id {
			t.Errorf("%s: lines\n%s", tc.id, tc.res.Logs)
		}
		mm := report.FindStringSubmatch(lines[3])
		if mm == nil || mm[1] != tc.id || (mm[2] != "") != tc.init {
			t.Errorf("%s: REPORT line %q (want Init Duration: %v)", tc.id, lines[3], tc.init)
		}
	}

	// The sink receives the same lines under the function's log group and the environment's stream.
	// It is fed from a queue, off the invocation's path: closing the manager delivers what is queued.
	if err := m.Manager.Close(); err != nil {
		t.Fatal(err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var got []string
	for _, call := range m.logs {
		if call.group != "/aws/lambda/logging" || !strings.HasSuffix(call.stream, "[$LATEST]"+cold.EnvironmentID) {
			t.Errorf("sink call to %s %s", call.group, call.stream)
		}
		for _, ev := range call.events {
			got = append(got, ev.Message)
			if ev.Time.IsZero() {
				t.Errorf("event without a time: %q", ev.Message)
			}
		}
	}
	want := strings.TrimSuffix(string(cold.Logs)+string(warm.Logs), "\n")
	if strings.Join(got, "\n") != want {
		t.Errorf("sink got\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
}

func TestManager_invalidate(t *testing.T) {
	m := newTestManager(t, clock.Real(), 0)
	fn := spec("invalidated", fnZip(t, testfn.Sleep))
	other := spec("bystander", fnZip(t, testfn.Sleep))

	idle := invoke(t, m, fn, request("i-1", `{"seconds":0}`))
	bystander := invoke(t, m, other, request("b-1", `{"seconds":0}`))
	m.Invalidate("invalidated")
	if pid := m.pid(t, idle.EnvironmentID); pidAlive(pid) {
		t.Errorf("idle environment's process %d survived Invalidate", pid)
	}
	if !pidAlive(m.pid(t, bystander.EnvironmentID)) {
		t.Errorf("Invalidate stopped another function's environment")
	}

	// A busy environment finishes its invocation, then stops.
	done := make(chan Result, 1)
	go func() { done <- invoke(t, m, fn, request("i-2", `{"seconds":0.4}`)) }()
	time.Sleep(150 * time.Millisecond)
	m.Invalidate("invalidated")
	busy := <-done
	if string(busy.Payload) != `"slept"` {
		t.Errorf("invalidated busy invocation: %s", busy.Payload)
	}
	if pid := m.pid(t, busy.EnvironmentID); pidAlive(pid) {
		t.Errorf("busy environment's process %d survived its invocation", pid)
	}
	after := invoke(t, m, fn, request("i-3", `{"seconds":0}`))
	if !after.Cold {
		t.Errorf("invoke after Invalidate was warm")
	}
}

func TestManager_idleReaping(t *testing.T) {
	clk := clock.NewManual(time.Now())
	m := newTestManager(t, clk, 10*time.Minute)
	fn := spec("reaped", fnZip(t, testfn.Echo))
	res := invoke(t, m, fn, request("r-1", `{}`))
	pid := m.pid(t, res.EnvironmentID)

	clk.Advance(9 * time.Minute)
	time.Sleep(50 * time.Millisecond)
	if !pidAlive(pid) {
		t.Fatalf("environment stopped before its idle timeout")
	}
	clk.Advance(2 * time.Minute)
	waitDead(t, pid)
	again := invoke(t, m, fn, request("r-2", `{}`))
	if !again.Cold {
		t.Errorf("invoke after reaping was warm")
	}

	// Using an environment restarts its idle period.
	clk.Advance(9 * time.Minute)
	warm := invoke(t, m, fn, request("r-3", `{}`))
	clk.Advance(9 * time.Minute)
	time.Sleep(50 * time.Millisecond)
	if warm.Cold || !pidAlive(m.pid(t, warm.EnvironmentID)) {
		t.Errorf("environment used 9 minutes ago was reaped (cold=%v)", warm.Cold)
	}
}

func TestManager_close(t *testing.T) {
	m := newTestManager(t, clock.Real(), 0)
	fn := spec("closing", fnZip(t, testfn.Sleep))
	fn.Timeout = 30 * time.Second
	idle := invoke(t, m, fn, request("cl-1", `{"seconds":0}`))

	busyErr := make(chan error, 1)
	go func() {
		_, err := m.Invoke(context.Background(), fn, Request{RequestID: "cl-2", Payload: []byte(`{"seconds":20}`)})
		busyErr <- err
	}()
	time.Sleep(200 * time.Millisecond) // the idle environment takes it; wait until it sleeps

	start := time.Now()
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Close took %v", d)
	}
	if err := <-busyErr; !isClosedErr(err) {
		t.Errorf("busy invoke ended with %v, want ErrClosed", err)
	}
	for _, pid := range m.allPIDs() {
		if pidAlive(pid) {
			t.Errorf("process %d still running after Close", pid)
		}
	}
	if _, err := m.Invoke(context.Background(), fn, request("cl-3", `{}`)); !errors.Is(err, ErrClosed) {
		t.Errorf("Invoke after Close: %v", err)
	}
	if pidAlive(m.pid(t, idle.EnvironmentID)) {
		t.Errorf("environment survived Close")
	}
}

func TestManager_callerGivesUp(t *testing.T) {
	m := newTestManager(t, clock.Real(), 0)
	fn := spec("abandoned", fnZip(t, testfn.Sleep))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := m.Invoke(ctx, fn, request("g-1", `{"seconds":0.3}`)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Invoke: %v", err)
	}
	// The function ran to its end and its environment went back to the pool.
	deadline := time.Now().Add(5 * time.Second)
	for {
		res := invoke(t, m, fn, request("g-2", `{"seconds":0}`))
		if !res.Cold {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("abandoned invocation's environment never became idle")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestManager_unsupportedRuntime(t *testing.T) {
	m := newTestManager(t, clock.Real(), 0)
	fn := spec("python", fnZip(t, testfn.Echo))
	fn.Runtime = "python3.12"
	if _, err := m.Invoke(context.Background(), fn, request("u-1", `{}`)); !errors.Is(err, ErrUnsupportedRuntime) {
		t.Errorf("Invoke: %v, want ErrUnsupportedRuntime", err)
	}
}

func TestManager_invalidEntrypoint(t *testing.T) {
	m := newTestManager(t, clock.Real(), 0)
	for _, tc := range []struct {
		name string
		zip  []byte
		msg  string
	}{
		{"no-bootstrap", zipOf(t, zipItem{"main", 0o755, []byte("#!/bin/sh\n")}), "Couldn't find valid bootstrap(s): ["},
		{"not-executable", zipOf(t, zipItem{"bootstrap", 0o644, []byte("#!/bin/sh\n")}), "permission denied"},
	} {
		res := invoke(t, m, spec(tc.name, tc.zip), request(tc.name, `{}`))
		var doc functionError
		decodeJSON(t, res.Payload, &doc)
		if res.FunctionError != "Unhandled" || doc.ErrorType != "Runtime.InvalidEntrypoint" ||
			!strings.HasPrefix(doc.ErrorMessage, "RequestId: "+tc.name+" Error: ") || !strings.Contains(doc.ErrorMessage, tc.msg) {
			t.Errorf("%s: %q %s", tc.name, res.FunctionError, res.Payload)
		}
		if !hasLine(res.Logs, "REPORT RequestId: "+tc.name) {
			t.Errorf("%s: logs\n%s", tc.name, res.Logs)
		}
	}
}

func TestManager_codeIsExtractedOnce(t *testing.T) {
	m := newTestManager(t, clock.Real(), 0)
	data := fnZip(t, testfn.Echo)
	loads := 0
	var mu sync.Mutex
	fn := spec("once", data)
	fn.Code = func() ([]byte, error) {
		mu.Lock()
		loads++
		mu.Unlock()
		return data, nil
	}
	other := fn
	other.FunctionName = "once-twin" // same code, another function
	invoke(t, m, fn, request("o-1", `{}`))
	invoke(t, m, other, request("o-2", `{}`))
	if loads != 1 {
		t.Errorf("code loaded %d times, want 1", loads)
	}

	bad := spec("mismatch", data)
	bad.CodeSHA256 = spec("x", []byte("other")).CodeSHA256
	if _, err := m.Invoke(context.Background(), bad, request("o-3", `{}`)); err == nil {
		t.Errorf("code that does not match its SHA-256 was run")
	}
}
