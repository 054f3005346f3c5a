package conns

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// fakeSTS answers GetCallerIdentity (awsQuery) and records the Authorization header it saw.
type fakeSTS struct {
	mu    sync.Mutex
	auths []string
}

func (f *fakeSTS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.auths = append(f.auths, r.Header.Get("Authorization"))
	f.mu.Unlock()
	_ = r.ParseForm()
	if r.Form.Get("Action") != "GetCallerIdentity" {
		http.Error(w, "unexpected action", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	_, _ = w.Write([]byte(`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::000000000000:root</Arn>
    <UserId>000000000000</UserId>
    <Account>000000000000</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`))
}

// cleanEnv keeps the developer's AWS settings out of the test.
func cleanEnv(t *testing.T) {
	dir := t.TempDir()
	for _, k := range []string{"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL",
		"AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_LAMBDA", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"} {
		t.Setenv(k, "")
	}
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

func TestNew_simulator(t *testing.T) {
	cleanEnv(t)
	fake := &fakeSTS{}
	srv := httptest.NewServer(fake)
	defer srv.Close()

	c, err := New(context.Background(), Config{SimulatorEndpoint: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if c.AccountID != "000000000000" || c.Region != "us-east-1" || c.Partition != "aws" {
		t.Errorf("identity = %q %q %q", c.AccountID, c.Region, c.Partition)
	}
	if got := fake.auths[0]; !strings.Contains(got, "Credential=test/") || !strings.Contains(got, "/us-east-1/sts/aws4_request") {
		t.Errorf("Authorization = %q, want the dummy key signing for us-east-1", got)
	}
	for _, s := range Services {
		if ep := c.Endpoint(s); ep == nil || *ep != srv.URL {
			t.Errorf("Endpoint(%s) = %v, want %s", s, ep, srv.URL)
		}
	}
	if !c.S3UsePathStyle {
		t.Error("S3UsePathStyle must be set with the simulator")
	}
	if c.Lambda == nil || c.STS == nil {
		t.Error("clients missing")
	}
}

func TestNew_endpointsOverrideSimulator(t *testing.T) {
	cleanEnv(t)
	sim := httptest.NewServer(http.NotFoundHandler())
	defer sim.Close()
	fake := &fakeSTS{}
	stsSrv := httptest.NewServer(fake)
	defer stsSrv.Close()

	c, err := New(context.Background(), Config{
		Region:            "eu-west-1",
		SimulatorEndpoint: sim.URL,
		Endpoints:         map[string]string{"sts": stsSrv.URL, "sqs": ""},
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Region != "eu-west-1" {
		t.Errorf("Region = %q", c.Region)
	}
	if len(fake.auths) != 1 {
		t.Errorf("STS endpoint override not used")
	}
	if ep := c.Endpoint("lambda"); ep == nil || *ep != sim.URL {
		t.Errorf("Endpoint(lambda) = %v", ep)
	}
	if ep := c.Endpoint("sqs"); ep == nil || *ep != sim.URL {
		t.Errorf("an empty endpoint must not hide the simulator: Endpoint(sqs) = %v", ep)
	}
}

func TestNew_AWSWithEnvEndpoint(t *testing.T) {
	cleanEnv(t)
	fake := &fakeSTS{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	t.Setenv("AWS_REGION", "us-west-2")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_ENDPOINT_URL_STS", srv.URL)

	c, err := New(context.Background(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Region != "us-west-2" || c.AccountID != "000000000000" {
		t.Errorf("identity = %q %q", c.Region, c.AccountID)
	}
	if got := fake.auths[0]; !strings.Contains(got, "Credential=AKIDEXAMPLE/") {
		t.Errorf("Authorization = %q, want the environment's credentials", got)
	}
	if c.Endpoint("lambda") != nil || c.S3UsePathStyle {
		t.Error("no endpoint is overridden in the provider configuration")
	}
}

func TestNew_errors(t *testing.T) {
	cleanEnv(t)
	if _, err := New(context.Background(), Config{Endpoints: map[string]string{"nosuch": "http://x"}}); err == nil || !strings.Contains(err.Error(), "nosuch") {
		t.Errorf("unknown service: %v", err)
	}
	if _, err := New(context.Background(), Config{}); err == nil || !strings.Contains(err.Error(), "region") {
		t.Errorf("no region: %v", err)
	}
}

func TestPartitionOf(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:iam::1:root":       "aws",
		"arn:aws-cn:iam::1:root":    "aws-cn",
		"arn:aws-us-gov:sts::1:x/y": "aws-us-gov",
		"":                          "aws",
		"not-an-arn":                "aws",
	} {
		if got := partitionOf(arn); got != want {
			t.Errorf("partitionOf(%q) = %q, want %q", arn, got, want)
		}
	}
}
