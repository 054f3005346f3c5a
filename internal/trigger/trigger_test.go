package trigger

import (
	"strings"
	"testing"
	"time"
)

func TestValidateFunctionName(t *testing.T) {
	for name, ok := range map[string]bool{
		"echo":                  true,
		"my-function_1":         true,
		strings.Repeat("a", 64): true,
		"":                      false,
		strings.Repeat("a", 65): false,
		"has space":             false,
		"has.dot":               false,
		"arn:aws:lambda:us-east-1:000000000000:function:echo": false,
	} {
		if err := ValidateFunctionName(name); (err == nil) != ok {
			t.Errorf("ValidateFunctionName(%q) = %v, want ok=%v", name, err, ok)
		}
	}
}

func TestValidateRoleARN(t *testing.T) {
	for arn, ok := range map[string]bool{
		"arn:aws:iam::123456789012:role/lambda":               true,
		"arn:aws:iam::123456789012:role/service-role/x+=,.@-": true,
		"arn:aws-us-gov:iam::123456789012:role/lambda":        true,
		"arn:aws-cn:iam::123456789012:role/lambda":            true,
		"arn:aws:iam::12345678901:role/lambda":                false,
		"arn:aws:iam::123456789012:user/lambda":               false,
		"arn:aws:iam:us-east-1:123456789012:role/lambda":      false,
		"lambda":                          false,
		"arn:aws:iam::123456789012:role/": false,
		"arn:aws:iam::123456789012:role/with space": false,
	} {
		if err := ValidateRoleARN(arn); (err == nil) != ok {
			t.Errorf("ValidateRoleARN(%q) = %v, want ok=%v", arn, err, ok)
		}
	}
}

func TestValidateHandler(t *testing.T) {
	for h, ok := range map[string]bool{
		"bootstrap":              true,
		"index.handler":          true,
		"":                       false,
		"a b":                    false,
		strings.Repeat("h", 129): false,
	} {
		if err := ValidateHandler(h); (err == nil) != ok {
			t.Errorf("ValidateHandler(%q) = %v, want ok=%v", h, err, ok)
		}
	}
}

func TestRuntimes(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Runtimes {
		if seen[r.ID] {
			t.Errorf("runtime %s listed twice", r.ID)
		}
		seen[r.ID] = true
		if r.Custom != strings.HasPrefix(r.ID, "provided") {
			t.Errorf("runtime %s: Custom = %v", r.ID, r.Custom)
		}
	}
	for _, id := range []string{"provided.al2023", "provided.al2", "nodejs22.x", "python3.13", "java21", "dotnet8", "ruby3.4"} {
		if err := ValidateRuntime(id); err != nil {
			t.Errorf("ValidateRuntime(%q) = %v", id, err)
		}
	}
	for _, id := range []string{"go1.x", "provided", "nodejs14.x", "python2.7", "", "PROVIDED.AL2023"} {
		err := ValidateRuntime(id)
		if err == nil || !strings.Contains(err.Error(), "provided.al2023") {
			t.Errorf("ValidateRuntime(%q) = %v, want an error listing the runtimes", id, err)
		}
	}
	r, _ := LookupRuntime("nodejs18.x")
	if !r.Deprecated(time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)) || r.Deprecated(time.Date(2025, 8, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("nodejs18.x deprecation edge is wrong")
	}
	r, _ = LookupRuntime("ruby4.0")
	if r.Deprecated(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("a runtime without an announced date is never deprecated")
	}
}

func TestValidateEnvironmentKey(t *testing.T) {
	for key, ok := range map[string]bool{
		"FOO":               true,
		"foo_bar9":          true,
		"Ab":                true,
		"A":                 false, // at least two characters
		"9A":                false,
		"_FOO":              false,
		"FOO-BAR":           false,
		"FOO BAR":           false,
		"":                  false,
		"AWS_REGION":        false,
		"_HANDLER":          false,
		"AWS_ACCESS_KEY_ID": false,
		"LAMBDA_TASK_ROOT":  false,
		"AWS_REGION_X":      true,
	} {
		if err := ValidateEnvironmentKey(key); (err == nil) != ok {
			t.Errorf("ValidateEnvironmentKey(%q) = %v, want ok=%v", key, err, ok)
		}
	}
}

func TestEnvironmentSize(t *testing.T) {
	if n := EnvironmentSize(nil); n != 0 {
		t.Errorf("EnvironmentSize(nil) = %d", n)
	}
	if n, want := EnvironmentSize(map[string]string{"AB": "c", "DE": "<&>"}), len(`{"AB":"c","DE":"<&>"}`); n != want {
		t.Errorf("EnvironmentSize = %d, want %d", n, want)
	}
	if n, want := EnvironmentSize(map[string]string{"AB": "a\"b\n"}), len(`{"AB":"a\"b\n"}`); n != want {
		t.Errorf("EnvironmentSize with escapes = %d, want %d", n, want)
	}
	// {"AB":"<v>"} is 9 bytes around the value.
	if err := ValidateEnvironmentSize(map[string]string{"AB": strings.Repeat("x", EnvironmentMaxBytes-9)}); err != nil {
		t.Errorf("exactly 4096 bytes: %v", err)
	}
	if err := ValidateEnvironmentSize(map[string]string{"AB": strings.Repeat("x", EnvironmentMaxBytes-8)}); err == nil {
		t.Errorf("4097 bytes accepted")
	}
}
