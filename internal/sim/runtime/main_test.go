package runtime

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

// helperModeVar makes the test binary act as a bootstrap that speaks the Runtime API by hand, to
// exercise what aws-lambda-go never does (wrong ids, calls out of order, oversized responses).
const helperModeVar = "RUNTIME_TEST_HELPER"

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperModeVar); mode != "" {
		os.Exit(runHelperBootstrap(mode))
	}
	code := m.Run()
	testfn.Cleanup()
	os.Exit(code)
}

// testManager is a Manager with what tests need to observe it: the pids it starts and the log
// events it emits.
type testManager struct {
	*Manager
	mu   sync.Mutex
	pids map[string]int // environment id -> pid
	logs []sinkCall
}

type sinkCall struct {
	group, stream string
	events        []LogEvent
}

func (tm *testManager) FunctionLog(group, stream string, events []LogEvent) {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	tm.logs = append(tm.logs, sinkCall{group, stream, append([]LogEvent(nil), events...)})
}

func (tm *testManager) pid(t *testing.T, envID string) int {
	t.Helper()
	tm.mu.Lock()
	defer tm.mu.Unlock()
	pid, ok := tm.pids[envID]
	if !ok {
		t.Fatalf("no process recorded for environment %q", envID)
	}
	return pid
}

func (tm *testManager) allPIDs() []int {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	var out []int
	for _, pid := range tm.pids {
		out = append(out, pid)
	}
	return out
}

const testEndpoint = "http://127.0.0.1:4566"

func newTestManager(t *testing.T, c clock.Clock, idle time.Duration) *testManager {
	t.Helper()
	work := t.TempDir() // registered first, so removed after Close
	tm := &testManager{pids: map[string]int{}}
	tm.Manager = NewManager(ManagerConfig{
		Clock:       c,
		WorkDir:     work,
		IdleTimeout: idle,
		Endpoint:    func() string { return testEndpoint },
		Region:      "eu-west-1",
		AccountID:   "123456789012",
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		Logs:        tm,
	})
	tm.onStart = func(envID string, pid int) {
		tm.mu.Lock()
		tm.pids[envID] = pid
		tm.mu.Unlock()
	}
	t.Cleanup(func() {
		if err := tm.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		for _, pid := range tm.allPIDs() {
			if pidAlive(pid) {
				t.Errorf("process %d still running after Close", pid)
			}
		}
	})
	return tm
}

func spec(name string, code []byte) FunctionSpec {
	sum := sha256.Sum256(code)
	return FunctionSpec{
		FunctionName: name,
		Version:      "$LATEST",
		FunctionARN:  "arn:aws:lambda:eu-west-1:123456789012:function:" + name,
		Runtime:      "provided.al2023",
		Handler:      "bootstrap",
		MemoryMB:     128,
		Timeout:      3 * time.Second,
		CodeSHA256:   base64.StdEncoding.EncodeToString(sum[:]),
		Code:         func() ([]byte, error) { return code, nil },
		RevisionID:   "rev-1",
	}
}

func request(id string, payload string) Request {
	return Request{RequestID: id, Payload: []byte(payload)}
}

func invoke(t *testing.T, m *testManager, fn FunctionSpec, req Request) Result {
	t.Helper()
	if req.InvokedFunctionARN == "" {
		req.InvokedFunctionARN = fn.FunctionARN
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := m.Invoke(ctx, fn, req)
	if err != nil {
		t.Fatalf("Invoke %s: %v", req.RequestID, err)
	}
	return res
}

func pidAlive(pid int) bool {
	return syscall.Kill(pid, 0) == nil
}

func waitDead(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for pidAlive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("process %d still alive", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func decodeJSON(t *testing.T, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("decoding %s: %v", data, err)
	}
}

// zipOf builds a deployment package from name -> (mode, content) entries, uncompressed so that the
// large test binary packs fast.
type zipItem struct {
	name    string
	mode    os.FileMode
	content []byte
}

func zipOf(t testing.TB, items ...zipItem) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, it := range items {
		hdr := &zip.FileHeader{Name: it.name, Method: zip.Store}
		hdr.SetMode(it.mode)
		w, err := zw.CreateHeader(hdr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(it.content); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var (
	fnZipsMu sync.Mutex
	fnZips   = map[string][]byte{}
)

// fnZip packages a test function built by testfn, uncompressed and once per test process: deflating
// a Go binary under the race detector (testfn.Zip) costs seconds per test. Deflated packages are
// covered by TestExtractZip_deflated.
func fnZip(t *testing.T, name string) []byte {
	t.Helper()
	fnZipsMu.Lock()
	defer fnZipsMu.Unlock()
	if data, ok := fnZips[name]; ok {
		return data
	}
	exe, err := os.ReadFile(testfn.Bootstrap(t, name))
	if err != nil {
		t.Fatal(err)
	}
	data := zipOf(t, zipItem{"bootstrap", 0o755, exe})
	fnZips[name] = data
	return data
}

var (
	helperZipOnce sync.Once
	helperZip     []byte
	helperZipErr  error
)

// helperFunction is a function whose bootstrap is this test binary in the given helper mode.
func helperFunction(t *testing.T, name, mode string) FunctionSpec {
	t.Helper()
	helperZipOnce.Do(func() {
		exe, err := os.Executable()
		if err != nil {
			helperZipErr = err
			return
		}
		data, err := os.ReadFile(exe)
		if err != nil {
			helperZipErr = err
			return
		}
		helperZip = zipOf(t, zipItem{"bootstrap", 0o755, data})
	})
	if helperZipErr != nil {
		t.Fatalf("packaging the test binary: %v", helperZipErr)
	}
	fn := spec(name, helperZip)
	fn.Environment = map[string]string{helperModeVar: mode}
	return fn
}

// runHelperBootstrap is the bootstrap side of the helper modes.
func runHelperBootstrap(mode string) int {
	base := "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime"
	client := &http.Client{}
	call := func(method, url, errType string, body []byte) (int, http.Header, []byte) {
		req, _ := http.NewRequest(method, url, bytes.NewReader(body))
		if errType != "" {
			req.Header.Set("Lambda-Runtime-Function-Error-Type", errType)
		}
		resp, err := client.Do(req)
		if err != nil {
			fmt.Fprintln(os.Stderr, "helper:", err)
			os.Exit(9)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, data
	}
	next := func() (string, http.Header, []byte) {
		status, hdr, body := call("GET", base+"/invocation/next", "", nil)
		if status != http.StatusOK {
			fmt.Fprintln(os.Stderr, "helper: /next answered", status)
			os.Exit(8)
		}
		return hdr.Get("Lambda-Runtime-Aws-Request-Id"), hdr, body
	}
	respond := func(id string, v any) int {
		body, _ := json.Marshal(v)
		status, _, _ := call("POST", base+"/invocation/"+id+"/response", "", body)
		return status
	}

	switch mode {
	case "headers":
		// Reports the raw /next exchange.
		for {
			id, hdr, body := next()
			respond(id, map[string]any{"headers": hdr, "body": string(body)})
		}
	case "protocol":
		id, _, _ := next()
		first := map[string]int{}
		first["wrongID"], _, _ = call("POST", base+"/invocation/not-"+id+"/response", "", []byte("x"))
		first["unknownPath"], _, _ = call("GET", base+"/no-such-endpoint", "", nil)
		first["initErrorAfterInit"], _, _ = call("POST", base+"/init/error", "", []byte("{}"))
		second := map[string]int{}
		second["response"] = respond(id, first)
		second["doubleResponse"], _, _ = call("POST", base+"/invocation/"+id+"/response", "", []byte("again"))
		second["errorAfterResponse"], _, _ = call("POST", base+"/invocation/"+id+"/error", "", []byte("{}"))
		id2, _, _ := next()
		respond(id2, second)
		next()
	case "oversize":
		id, _, _ := next()
		status, _, _ := call("POST", base+"/invocation/"+id+"/response", "", bytes.Repeat([]byte("a"), maxResponseBytes+1))
		id2, _, _ := next()
		respond(id2, map[string]int{"oversizeStatus": status})
		next()
	case "errorheader":
		for {
			id, _, _ := next()
			call("POST", base+"/invocation/"+id+"/error", "Runtime.Custom", []byte("not a JSON document"))
		}
	case "initerror":
		fmt.Println("helper: reporting an init error")
		call("POST", base+"/init/error", "Runtime.NoSuchHandler", []byte(`{"errorMessage":"handler missing","errorType":"Runtime.NoSuchHandler"}`))
		time.Sleep(time.Hour) // AWS expects an exit; the simulator must not depend on it
	case "hanginit":
		time.Sleep(time.Hour)
	default:
		fmt.Fprintln(os.Stderr, "helper: unknown mode", mode)
		return 7
	}
	return 0
}

func isClosedErr(err error) bool { return errors.Is(err, ErrClosed) }

func hasLine(logs []byte, substr string) bool {
	for _, line := range strings.Split(string(logs), "\n") {
		if strings.Contains(line, substr) {
			return true
		}
	}
	return false
}
