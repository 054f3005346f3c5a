package provider

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// pollFakeAPI answers the event source mapping calls from a script: each route gives its answers in
// order (the last one repeats), so the tests see what AWS does in transitions.
type pollFakeAPI struct {
	mu      sync.Mutex
	answers map[string][]pollFakeAnswer // "POST /2015-03-31/event-source-mappings/" ...
	calls   map[string]int
}

type pollFakeAnswer struct {
	status int
	code   string // AWS error code, "" for success
	body   any
}

func (f *pollFakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	key := r.Method + " " + strings.TrimSuffix(r.URL.Path, "/")
	answers := f.answers[key]
	n := f.calls[key]
	f.calls[key]++
	f.mu.Unlock()
	if len(answers) == 0 {
		http.Error(w, "unexpected "+key, http.StatusTeapot)
		return
	}
	a := answers[min(n, len(answers)-1)]
	w.Header().Set("Content-Type", "application/json")
	if a.code != "" {
		w.Header().Set("X-Amzn-ErrorType", a.code)
	}
	w.WriteHeader(a.status)
	json.NewEncoder(w).Encode(a.body)
}

func (f *pollFakeAPI) count(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[key]
}

func pollFakeLambda(t *testing.T, f *pollFakeAPI) *lambda.Client {
	t.Helper()
	f.calls = map[string]int{}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return lambda.New(lambda.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKID", "secret", ""),
		BaseEndpoint: aws.String(srv.URL),
		Retryer:      aws.NopRetryer{},
	})
}

const (
	pollESMPath = "/2015-03-31/event-source-mappings"
	pollOldUUID = "11111111-1111-1111-1111-111111111111"
	pollNewUUID = "22222222-2222-2222-2222-222222222222"
)

// Pain point 5: the previous mapping of the pair is still Deleting; the create waits for it to go.
func TestCreatePollMapping_waitsForDeletingMapping(t *testing.T) {
	f := &pollFakeAPI{answers: map[string][]pollFakeAnswer{
		"POST " + pollESMPath: {
			{409, "ResourceConflictException", map[string]string{"message": "The event source arn (a) and function (f) provided mapping already exists. Please update or delete the existing mapping with UUID " + pollOldUUID}},
			{202, "", map[string]string{"UUID": pollNewUUID, "State": "Creating"}},
		},
		"GET " + pollESMPath + "/" + pollOldUUID: {
			{200, "", map[string]string{"UUID": pollOldUUID, "State": "Deleting"}},
			{200, "", map[string]string{"UUID": pollOldUUID, "State": "Deleting"}},
			{404, "ResourceNotFoundException", map[string]string{"Message": "The resource you requested does not exist."}},
		},
	}}
	conn := pollFakeLambda(t, f)
	out, err := createPollMapping(context.Background(), conn, &lambda.CreateEventSourceMappingInput{FunctionName: aws.String("f"), EventSourceArn: aws.String("a")}, 30*time.Second)
	if err != nil || aws.ToString(out.UUID) != pollNewUUID {
		t.Fatalf("createPollMapping = %v, %v; want the new mapping", out, err)
	}
	if n := f.count("POST " + pollESMPath); n != 2 {
		t.Errorf("%d creates, want 2", n)
	}
}

// A live duplicate is not retried: the user must import or delete it.
func TestCreatePollMapping_liveDuplicate(t *testing.T) {
	f := &pollFakeAPI{answers: map[string][]pollFakeAnswer{
		"POST " + pollESMPath:                    {{409, "ResourceConflictException", map[string]string{"message": "... already exists. Please update or delete the existing mapping with UUID " + pollOldUUID}}},
		"GET " + pollESMPath + "/" + pollOldUUID: {{200, "", map[string]string{"UUID": pollOldUUID, "State": "Enabled"}}},
	}}
	conn := pollFakeLambda(t, f)
	_, err := createPollMapping(context.Background(), conn, &lambda.CreateEventSourceMappingInput{FunctionName: aws.String("f"), EventSourceArn: aws.String("a")}, 30*time.Second)
	if !isPollMappingDuplicate(err) || f.count("POST "+pollESMPath) != 1 {
		t.Fatalf("err = %v after %d creates; want the 409 at once", err, f.count("POST "+pollESMPath))
	}
}

// IAM propagation: the role's permission is refused a few times, then granted.
func TestCreatePollMapping_retriesRolePropagation(t *testing.T) {
	f := &pollFakeAPI{answers: map[string][]pollFakeAnswer{
		"POST " + pollESMPath: {
			{400, "InvalidParameterValueException", map[string]string{"message": "The provided execution role does not have permissions to call ReceiveMessage on SQS"}},
			{400, "InvalidParameterValueException", map[string]string{"message": "The provided execution role does not have permissions to call ReceiveMessage on SQS"}},
			{202, "", map[string]string{"UUID": pollNewUUID, "State": "Creating"}},
		},
	}}
	conn := pollFakeLambda(t, f)
	out, err := createPollMapping(context.Background(), conn, &lambda.CreateEventSourceMappingInput{FunctionName: aws.String("f")}, 30*time.Second)
	if err != nil || aws.ToString(out.UUID) != pollNewUUID || f.count("POST "+pollESMPath) != 3 {
		t.Fatalf("createPollMapping = %v, %v after %d calls", out, err, f.count("POST "+pollESMPath))
	}

	// Bounded: a refusal that lasts is reported.
	f = &pollFakeAPI{answers: map[string][]pollFakeAnswer{
		"POST " + pollESMPath: {{400, "InvalidParameterValueException", map[string]string{"message": "The provided execution role does not have permissions to call ReceiveMessage on SQS"}}},
	}}
	conn = pollFakeLambda(t, f)
	if _, err := createPollMapping(context.Background(), conn, &lambda.CreateEventSourceMappingInput{FunctionName: aws.String("f")}, time.Second); err == nil ||
		!strings.Contains(err.Error(), "execution role") {
		t.Fatalf("err = %v, want the role refusal", err)
	}
}

// Pain point 3: an update while the mapping is in transition is retried.
func TestUpdatePollMapping_retriesInUse(t *testing.T) {
	f := &pollFakeAPI{answers: map[string][]pollFakeAnswer{
		"PUT " + pollESMPath + "/" + pollNewUUID: {
			{400, "ResourceInUseException", map[string]string{"Message": "Cannot update the event source mapping because it is in use."}},
			{202, "", map[string]string{"UUID": pollNewUUID, "State": "Updating"}},
		},
	}}
	conn := pollFakeLambda(t, f)
	if err := updatePollMapping(context.Background(), conn, &lambda.UpdateEventSourceMappingInput{UUID: aws.String(pollNewUUID)}, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	if n := f.count("PUT " + pollESMPath + "/" + pollNewUUID); n != 2 {
		t.Errorf("%d updates, want 2", n)
	}
}

// Pain point 4: the create waits through Creating to Enabled.
func TestWaitPollMappingStable(t *testing.T) {
	f := &pollFakeAPI{answers: map[string][]pollFakeAnswer{
		"GET " + pollESMPath + "/" + pollNewUUID: {
			{200, "", map[string]string{"UUID": pollNewUUID, "State": "Creating"}},
			{200, "", map[string]string{"UUID": pollNewUUID, "State": "Creating"}},
			{200, "", map[string]string{"UUID": pollNewUUID, "State": "Enabled"}},
		},
	}}
	conn := pollFakeLambda(t, f)
	out, err := waitPollMappingStable(context.Background(), conn, pollNewUUID, 30*time.Second)
	if err != nil || aws.ToString(out.State) != "Enabled" {
		t.Fatalf("waitPollMappingStable = %v, %v", out, err)
	}
	if n := f.count("GET " + pollESMPath + "/" + pollNewUUID); n != 3 {
		t.Errorf("%d reads, want 3", n)
	}
}
