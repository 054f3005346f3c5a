package lambda_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"

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

// waitTimeout bounds the waiters; they return as soon as the state is reached.
const waitTimeout = 2 * time.Minute

const (
	testRole    = "arn:aws:iam::000000000000:role/lambda-test"
	testAccount = "000000000000"
	testRegion  = "us-east-1"
)

// harness is a simulator serving on 127.0.0.1 and a real SDK client pointed at it.
type harness struct {
	sim      *sim.Simulator
	client   *lambda.Client
	endpoint string
}

func start(t *testing.T) *harness {
	t.Helper()
	s, err := sim.New(sim.Config{InMemory: true, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start("127.0.0.1:0"); err != nil {
		s.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("closing simulator: %v", err)
		}
	})
	return &harness{sim: s, client: newClient(s.Endpoint()), endpoint: s.Endpoint()}
}

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// newClient is the SDK's Lambda client with static credentials, no retries (so a throttle or a
// 5xx is seen as it was answered) and the simulator as its endpoint.
func newClient(endpoint string) *lambda.Client {
	return lambda.New(lambda.Options{
		Region:       testRegion,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		BaseEndpoint: aws.String(endpoint),
		Retryer:      aws.NopRetryer{},
		HTTPClient:   simtest.HTTPClient(),
	})
}

// ctx bounds a test's calls. It is generous: it only turns a hang into a failure, and a loaded
// machine (the race detector, parallel packages) can be slow to build and start functions.
func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	return c
}

// stub names a package with a shell-script bootstrap: for tests of the control plane, which
// never run it, it keeps requests small (a Go test function is megabytes, slow to send and to
// decode under the race detector).
const stub = "stub"

// stubZip is a small valid package; different contents give different CodeSha256s.
func stubZip(t *testing.T, content string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	hdr := &zip.FileHeader{Name: "bootstrap", Method: zip.Deflate}
	hdr.SetMode(0o755)
	w, err := zw.CreateHeader(hdr)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "#!/bin/sh\n# "+content+"\n")
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// create creates a provided.al2023 function running the named test function (or stub) and
// waits until it is Active.
func (h *harness) create(t *testing.T, name, fn string, edit ...func(*lambda.CreateFunctionInput)) *lambda.CreateFunctionOutput {
	t.Helper()
	var code []byte
	if fn == stub {
		code = stubZip(t, name)
	} else {
		code = testfn.Zip(t, fn)
	}
	in := &lambda.CreateFunctionInput{
		FunctionName: aws.String(name),
		Runtime:      types.RuntimeProvidedal2023,
		Handler:      aws.String("bootstrap"),
		Role:         aws.String(testRole),
		Code:         &types.FunctionCode{ZipFile: code},
	}
	for _, e := range edit {
		e(in)
	}
	out, err := h.client.CreateFunction(ctx(t), in)
	if err != nil {
		t.Fatalf("CreateFunction %s: %v", name, err)
	}
	h.waitActive(t, name)
	return out
}

func (h *harness) waitActive(t *testing.T, name string) {
	t.Helper()
	w := lambda.NewFunctionActiveV2Waiter(h.client, func(o *lambda.FunctionActiveV2WaiterOptions) {
		o.MinDelay, o.MaxDelay = 20*time.Millisecond, 100*time.Millisecond
	})
	if err := w.Wait(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String(name)}, waitTimeout); err != nil {
		t.Fatalf("waiting for %s to be Active: %v", name, err)
	}
}

func (h *harness) waitUpdated(t *testing.T, name string) {
	t.Helper()
	w := lambda.NewFunctionUpdatedV2Waiter(h.client, func(o *lambda.FunctionUpdatedV2WaiterOptions) {
		o.MinDelay, o.MaxDelay = 20*time.Millisecond, 100*time.Millisecond
	})
	if err := w.Wait(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String(name)}, waitTimeout); err != nil {
		t.Fatalf("waiting for the update of %s: %v", name, err)
	}
}

func (h *harness) waitVersion(t *testing.T, name, version string) {
	t.Helper()
	w := lambda.NewPublishedVersionActiveWaiter(h.client, func(o *lambda.PublishedVersionActiveWaiterOptions) {
		o.MinDelay, o.MaxDelay = 20*time.Millisecond, 100*time.Millisecond
	})
	in := &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(name), Qualifier: aws.String(version)}
	if err := w.Wait(ctx(t), in, waitTimeout); err != nil {
		t.Fatalf("waiting for %s:%s to be Active: %v", name, version, err)
	}
}

// records reads the invocation log of a function from the admin API.
func (h *harness) records(t *testing.T, function string) []invlog.Record {
	t.Helper()
	resp, err := http.Get(h.endpoint + "/_sim/invocations?function=" + url.QueryEscape(function))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /_sim/invocations: %s", resp.Status)
	}
	var body struct {
		Invocations []invlog.Record `json:"invocations"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return body.Invocations
}

// apiError asserts err is an AWS API error with the code and HTTP status, and returns it.
func apiError(t *testing.T, err error, code string, status int) smithy.APIError {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s (%d)", code, status)
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("got %v (%T), want an API error %s", err, err, code)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("error code = %s (%v), want %s", ae.ErrorCode(), err, code)
	}
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) && re.HTTPStatusCode() != status {
		t.Fatalf("status = %d, want %d (%v)", re.HTTPStatusCode(), status, err)
	}
	return ae
}

func functionARN(name string) string {
	return "arn:aws:lambda:" + testRegion + ":" + testAccount + ":function:" + name
}
