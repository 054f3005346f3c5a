package iam

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/simtest"
)

const testAccount = "000000000000"

var (
	ctx       = context.Background()
	testStart = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
)

const lambdaTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// harness is one IAM service over the wire with a manual clock.
type harness struct {
	t      *testing.T
	clk    *clock.Manual
	st     *store.Store
	relax  bool
	svc    *Service
	srv    *httptest.Server
	client *iam.Client
	url    string
}

type harnessOption func(*harness)

// withStore runs the harness on a given store (restart tests); the harness does not close it.
func withStore(st *store.Store) harnessOption { return func(h *harness) { h.st = st } }

func withRelax() harnessOption { return func(h *harness) { h.relax = true } }

func newHarness(t *testing.T, opts ...harnessOption) *harness {
	t.Helper()
	h := &harness{t: t, clk: clock.NewManual(testStart)}
	for _, o := range opts {
		o(h)
	}
	if h.st == nil {
		st, err := store.OpenTemp()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		h.st = st
	}
	var err error
	h.svc, err = New(Config{Store: h.st, Clock: h.clk, AccountID: testAccount, RelaxRoleChecks: h.relax,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	router := server.NewRouter()
	h.svc.Register(router)
	h.srv = httptest.NewServer(awswire.WithRequestID(router))
	h.url = h.srv.URL
	// IAM is global: clients sign for "iam" in us-east-1.
	h.client = iam.New(iam.Options{
		BaseEndpoint:     aws.String(h.srv.URL),
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		RetryMaxAttempts: 1,
		HTTPClient:       simtest.HTTPClient(),
	})
	t.Cleanup(h.stop)
	return h
}

func (h *harness) stop() {
	if h.srv != nil {
		h.srv.Close()
		h.srv = nil
	}
	if h.svc != nil {
		h.svc.Close()
		h.svc = nil
	}
}

func (h *harness) createRole(t *testing.T, name string) string {
	t.Helper()
	out, err := h.client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(lambdaTrust)})
	if err != nil {
		t.Fatalf("CreateRole %s: %v", name, err)
	}
	return aws.ToString(out.Role.Arn)
}

func (h *harness) putRolePolicy(t *testing.T, role, name, doc string) {
	t.Helper()
	if _, err := h.client.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String(name), PolicyDocument: aws.String(doc)}); err != nil {
		t.Fatalf("PutRolePolicy %s/%s: %v", role, name, err)
	}
}

// wantAPIError asserts err is an AWS error with that code and, when msg is not empty, message.
func wantAPIError(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v, want %s", err, code)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("code %s (%s), want %s", ae.ErrorCode(), ae.ErrorMessage(), code)
	}
	if msg != "" && ae.ErrorMessage() != msg {
		t.Fatalf("message %q, want %q", ae.ErrorMessage(), msg)
	}
}

// decodeDoc undoes the URL encoding IAM puts on documents.
func decodeDoc(t *testing.T, s *string) string {
	t.Helper()
	d, err := url.QueryUnescape(aws.ToString(s))
	if err != nil {
		t.Fatal(err)
	}
	return d
}
