package lambda_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invlog"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/runtime"
	lambdasvc "github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

// manualLambda is the Lambda API on a manual clock, so tests decide when Pending ends.
type manualLambda struct {
	clock   *clock.Manual
	store   *store.Store
	runtime *runtime.Manager
	invoker *invoke.Invoker
	svc     *lambdasvc.Service
	server  *httptest.Server
	client  *lambda.Client
}

const activationDelay = time.Minute

func startManual(t *testing.T) *manualLambda {
	t.Helper()
	st, err := store.OpenTemp()
	if err != nil {
		t.Fatal(err)
	}
	m := &manualLambda{clock: clock.NewManual(time.Now()), store: st}
	m.runtime = runtime.NewManager(runtime.ManagerConfig{Clock: m.clock, WorkDir: t.TempDir(), Logger: quietLogger()})
	log := invlog.New(st)
	m.invoker = invoke.New(invoke.Config{Runtime: m.runtime, Log: log, Clock: m.clock, Logger: quietLogger()})
	m.serve(t)
	t.Cleanup(func() {
		m.server.Close()
		m.svc.Close()
		m.runtime.Close()
		log.Close()
		st.Close()
	})
	return m
}

// serve builds a Lambda service on the store, as a simulator (re)starting does.
func (m *manualLambda) serve(t *testing.T) {
	t.Helper()
	svc, err := lambdasvc.New(lambdasvc.Config{Store: m.store, Runtime: m.runtime, Invoker: m.invoker, Clock: m.clock,
		Logger: quietLogger(), ActivationDelay: activationDelay})
	if err != nil {
		t.Fatal(err)
	}
	m.svc = svc
	m.server = httptest.NewServer(awswire.WithRequestID(svc))
	m.client = newClient(m.server.URL)
}

// settle advances the clock until the function's State and LastUpdateStatus are as wanted.
func (m *manualLambda) settle(t *testing.T, name string, qualifier *string) *lambda.GetFunctionConfigurationOutput {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		m.clock.Advance(activationDelay)
		cfg, err := m.client.GetFunctionConfiguration(ctx(t), &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(name), Qualifier: qualifier})
		if err != nil {
			t.Fatal(err)
		}
		if cfg.State == types.StateActive && cfg.LastUpdateStatus == types.LastUpdateStatusSuccessful {
			return cfg
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s stayed %s/%s", name, cfg.State, cfg.LastUpdateStatus)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestLambda_statesFollowTheClock(t *testing.T) {
	t.Parallel()
	m := startManual(t)
	c := ctx(t)
	const name = "stately"
	_, err := m.client.CreateFunction(c, &lambda.CreateFunctionInput{
		FunctionName: aws.String(name), Runtime: types.RuntimeProvidedal2023, Handler: aws.String("bootstrap"),
		Role: aws.String(testRole), Code: &types.FunctionCode{ZipFile: testfn.Zip(t, testfn.Echo)},
	})
	if err != nil {
		t.Fatal(err)
	}

	// Pending: no invocation, no change, no version.
	_, err = m.client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String(name)})
	ae := apiError(t, err, "ResourceConflictException", http.StatusConflict)
	if want := "The operation cannot be performed at this time. The function is currently in the following state: Pending"; ae.ErrorMessage() != want {
		t.Errorf("invoking a Pending function: %q, want %q", ae.ErrorMessage(), want)
	}
	_, err = m.client.UpdateFunctionConfiguration(c, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(name), Timeout: aws.Int32(5)})
	apiError(t, err, "ResourceConflictException", http.StatusConflict)
	_, err = m.client.PublishVersion(c, &lambda.PublishVersionInput{FunctionName: aws.String(name)})
	apiError(t, err, "ResourceConflictException", http.StatusConflict)
	_, err = m.client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String(name), InvocationType: types.InvocationTypeDryRun})
	apiError(t, err, "ResourceConflictException", http.StatusConflict)

	// A restart while Pending resumes the transition.
	m.server.Close()
	m.svc.Close()
	m.serve(t)
	cfg := m.settle(t, name, nil)
	if cfg.StateReason != nil || cfg.StateReasonCode != "" {
		t.Errorf("Active function still has a state reason: %v %s", aws.ToString(cfg.StateReason), cfg.StateReasonCode)
	}

	// InProgress: invocations still run; another change waits.
	upd, err := m.client.UpdateFunctionConfiguration(c, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(name), Timeout: aws.Int32(5)})
	if err != nil {
		t.Fatal(err)
	}
	if upd.LastUpdateStatus != types.LastUpdateStatusInProgress || aws.ToString(upd.LastUpdateStatusReason) != "The function is being created." || upd.LastUpdateStatusReasonCode != "Creating" {
		t.Errorf("update answered %s / %q / %s", upd.LastUpdateStatus, aws.ToString(upd.LastUpdateStatusReason), upd.LastUpdateStatusReasonCode)
	}
	if out, err := m.client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String(name)}); err != nil || out.FunctionError != nil {
		t.Fatalf("invoking during an update: %v", err)
	}
	_, err = m.client.UpdateFunctionCode(c, &lambda.UpdateFunctionCodeInput{FunctionName: aws.String(name), ZipFile: testfn.Zip(t, testfn.Echo)})
	apiError(t, err, "ResourceConflictException", http.StatusConflict)
	cfg = m.settle(t, name, nil)
	if aws.ToInt32(cfg.Timeout) != 5 {
		t.Errorf("Timeout = %d after the update", aws.ToInt32(cfg.Timeout))
	}

	// A published version is Pending, then Active, on its own.
	v, err := m.client.PublishVersion(c, &lambda.PublishVersionInput{FunctionName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	if v.State != types.StatePending {
		t.Errorf("new version is %s, want Pending", v.State)
	}
	_, err = m.client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String(name), Qualifier: aws.String("1")})
	apiError(t, err, "ResourceConflictException", http.StatusConflict)
	m.settle(t, name, aws.String("1"))
	out, err := m.client.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String(name), Qualifier: aws.String("1")})
	if err != nil || aws.ToString(out.ExecutedVersion) != "1" {
		t.Fatalf("invoking version 1: %v", err)
	}
}
