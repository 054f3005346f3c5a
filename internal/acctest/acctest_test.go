package acctest

import (
	"regexp"
	"strings"
	"testing"
)

func TestProviderConfig(t *testing.T) {
	if got := ProviderConfig(""); strings.Contains(got, "simulator") {
		t.Errorf("AWS config mentions the simulator: %s", got)
	}
	got := ProviderConfig("http://127.0.0.1:1234")
	if !strings.Contains(got, `endpoint = "http://127.0.0.1:1234"`) || !strings.HasPrefix(got, `provider "lambdatrigger" {`) {
		t.Errorf("simulator config: %s", got)
	}
}

func TestRandomName(t *testing.T) {
	a, b := RandomName("x"), RandomName("x")
	if a == b || !regexp.MustCompile(`^tf-acc-x-[0-9a-f]{8}$`).MatchString(a) {
		t.Errorf("RandomName: %s %s", a, b)
	}
}

func TestPreCheck_withoutTFACC(t *testing.T) {
	t.Setenv("TF_ACC", "")
	ran := false
	t.Run("inner", func(t *testing.T) {
		PreCheck(t)
		ran = true
	})
	if ran {
		t.Error("PreCheck did not skip without TF_ACC")
	}
}
