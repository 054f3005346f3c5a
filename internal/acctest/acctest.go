// Package acctest is what acceptance tests share: provider factories, the checks that decide whether
// they can run, and an in-process simulator to run them against.
//
// A test calls NewEnv first. By default it starts a simulator in the test process (in memory, on
// 127.0.0.1:0) and points the provider at it; with LAMBDATRIGGER_ACC_TARGET=aws it uses the AWS
// account of the standard credential chain instead, and skips, saying why, when that is not usable.
// The same test code runs against both: only the provider block and the SDK clients differ.
package acctest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/conns"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/provider"
)

const (
	// ProviderName is the provider's local name in test configurations.
	ProviderName = "lambdatrigger"

	// TargetEnv selects what acceptance tests run against: "simulator" (the default) or "aws".
	TargetEnv = "LAMBDATRIGGER_ACC_TARGET"
	// RoleARNEnv names the execution role functions get on AWS; the simulator needs no real role.
	RoleARNEnv = "LAMBDATRIGGER_ACC_ROLE_ARN"

	// SimulatorRegion and SimulatorAccountID are the simulated account tests run in.
	SimulatorRegion    = "us-east-1"
	SimulatorAccountID = "000000000000"
	// SimulatorRoleARN is a well-formed execution role for functions in the simulator.
	SimulatorRoleARN = "arn:aws:iam::000000000000:role/lambdatrigger-acc"
)

// ProtoV6ProviderFactories serves the provider in the test process, so terraform-plugin-testing never
// looks for it in a registry.
var ProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	ProviderName: providerserver.NewProtocol6WithError(provider.New("acctest")()),
}

// IsAWS reports whether acceptance tests target a real AWS account.
func IsAWS() bool { return strings.EqualFold(os.Getenv(TargetEnv), "aws") }

// PreCheck skips the test, saying why, unless it can run: TF_ACC is set and a terraform binary is
// there (without one terraform-plugin-testing would try to download it and exit the process).
func PreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test skipped: set TF_ACC=1 to run it")
	}
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		if info, err := os.Stat(p); err != nil || info.IsDir() {
			t.Skipf("acceptance test skipped: TF_ACC_TERRAFORM_PATH=%s is not a terraform binary (%v)", p, err)
		}
		return
	}
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Skip("acceptance test skipped: no terraform on PATH and TF_ACC_TERRAFORM_PATH unset " +
			"(scripts/ensure-terraform.sh builds one)")
	}
}

// Env is where one acceptance test runs.
type Env struct {
	// Endpoint is the simulator's address; empty on AWS.
	Endpoint string
	// ProviderConfig is the provider block to put in front of every test configuration.
	ProviderConfig string
	// Clients reach the same place as the provider, for checks made outside terraform.
	Clients *conns.Clients
	// RoleARN is an execution role functions can be given.
	RoleARN string
}

// NewEnv runs PreCheck, then starts a simulator or, with LAMBDATRIGGER_ACC_TARGET=aws, checks that
// AWS can be used.
func NewEnv(t *testing.T) *Env {
	t.Helper()
	PreCheck(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	if IsAWS() {
		role := os.Getenv(RoleARNEnv)
		if role == "" {
			t.Skipf("acceptance test skipped: %s=aws needs %s, the ARN of a role Lambda can assume", TargetEnv, RoleARNEnv)
		}
		clients, err := conns.New(ctx, conns.Config{})
		if err != nil {
			t.Skipf("acceptance test skipped: %s=aws but AWS is not usable: %v", TargetEnv, err)
		}
		return &Env{ProviderConfig: ProviderConfig(""), Clients: clients, RoleARN: role}
	}

	endpoint := StartSimulator(t)
	clients, err := conns.New(ctx, conns.Config{SimulatorEndpoint: endpoint})
	if err != nil {
		t.Fatalf("connecting to the simulator at %s: %v", endpoint, err)
	}
	return &Env{Endpoint: endpoint, ProviderConfig: ProviderConfig(endpoint), Clients: clients, RoleARN: SimulatorRoleARN}
}

// ProviderConfig is the provider block for the simulator at endpoint, or for AWS when endpoint is "".
func ProviderConfig(endpoint string) string {
	if endpoint == "" {
		return fmt.Sprintf("provider %q {}\n", ProviderName)
	}
	return fmt.Sprintf(`provider %q {
  simulator {
    endpoint = %q
  }
}
`, ProviderName, endpoint)
}

// RandomName is a name unlikely to collide with another test's, e.g. "tf-acc-basic-1a2b3c4d".
func RandomName(prefix string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return "tf-acc-" + prefix + "-" + hex.EncodeToString(b)
}
