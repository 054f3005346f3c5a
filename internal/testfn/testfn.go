// Package testfn builds the real test functions in testdata/functions with the Go toolchain and
// packages them as AWS does: a zip whose `bootstrap` is the executable of a provided.al2023 function.
//
// Tests use it instead of checked-in binaries so that every run exercises a real aws-lambda-go
// runtime client against the simulator's Runtime API.
package testfn

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// Names of the functions in testdata/functions.
const (
	Echo     = "echo"     // returns the event and the context it saw
	Fail     = "fail"     // returns an error (Handled)
	Crash    = "crash"    // exits during the invocation (or during init with CRASH_AT_INIT set)
	Sleep    = "sleep"    // sleeps {"seconds": N}, ignoring its deadline
	Recorder = "recorder" // reports its process environment
)

var (
	mu       sync.Mutex
	buildDir string
	built    = map[string]string{}
)

// ModuleRoot is the repository root, found from this source file's location.
func ModuleRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Bootstrap builds the named test function once per test process and returns the executable's path.
func Bootstrap(tb testing.TB, name string) string {
	tb.Helper()
	path, err := build(name)
	if err != nil {
		tb.Fatalf("building test function %s: %v", name, err)
	}
	return path
}

// BuildBootstrap builds the named test function outside a test (benchmarks, the demo) and returns
// the executable's path. The binary lives until Cleanup.
func BuildBootstrap(name string) (string, error) { return build(name) }

// Zip returns a deployment package for the named test function: a zip with an executable `bootstrap`.
func Zip(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := ZipFile(Bootstrap(tb, name))
	if err != nil {
		tb.Fatalf("zipping test function %s: %v", name, err)
	}
	return data
}

// WriteZip writes the named function's deployment package into dir and returns the file's path.
func WriteZip(tb testing.TB, name, dir string) string {
	tb.Helper()
	path := filepath.Join(dir, name+".zip")
	if err := os.WriteFile(path, Zip(tb, name), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// ZipFile packages the executable at path as `bootstrap` (mode 0755) in a zip. The entry is stored,
// not deflated: under -race, deflating a Go binary takes seconds, and the runtime package has its
// own test of deflated packages.
func ZipFile(path string) ([]byte, error) {
	exe, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	hdr := &zip.FileHeader{Name: "bootstrap", Method: zip.Store}
	hdr.SetMode(0o755)
	w, err := zw.CreateHeader(hdr)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(exe); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Cleanup removes the binaries built by this process; call it from TestMain after m.Run.
func Cleanup() {
	mu.Lock()
	defer mu.Unlock()
	if buildDir != "" {
		os.RemoveAll(buildDir)
		buildDir = ""
		built = map[string]string{}
	}
}

func build(name string) (string, error) {
	mu.Lock()
	defer mu.Unlock()
	if path, ok := built[name]; ok {
		return path, nil
	}
	if buildDir == "" {
		dir, err := os.MkdirTemp("", "lambdatrigger-testfn-")
		if err != nil {
			return "", err
		}
		buildDir = dir
	}
	out := filepath.Join(buildDir, name, "bootstrap")
	// lambda.norpc drops aws-lambda-go's legacy go1.x RPC mode: provided.* runtimes use the Runtime API only.
	cmd := exec.Command("go", "build", "-trimpath", "-tags", "lambda.norpc", "-o", out, "./testdata/functions/"+name)
	cmd.Dir = ModuleRoot()
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, msg)
	}
	built[name] = out
	return out, nil
}
