package provider_test

import (
	"os"
	"testing"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testfn.Cleanup()
	os.Exit(code)
}
