package lambda

import (
	"fmt"
	"strings"
)

// runtimes is the Runtime enum of Lambda's API (aws-sdk-go-v2/service/lambda types.Runtime, v1.115.0).
// CreateFunction accepts any of them except those blocked below; the execution environments run
// only the OS-only runtimes, and invoking another one answers InvalidRuntimeException.
var runtimes = []string{
	"nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x",
	"nodejs16.x", "nodejs18.x", "nodejs20.x", "nodejs22.x", "nodejs24.x", "nodejs26.x",
	"java8", "java8.al2", "java11", "java17", "java21", "java25",
	"java8.al2023", "java11.al2023", "java17.al2023",
	"python2.7", "python3.6", "python3.7", "python3.8", "python3.9", "python3.10", "python3.11",
	"python3.12", "python3.13", "python3.14", "python3.15",
	"dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet6", "dotnet8", "dotnet10",
	"nodejs4.3-edge", "go1.x",
	"ruby2.5", "ruby2.7", "ruby3.2", "ruby3.3", "ruby3.4", "ruby4.0",
	"provided", "provided.al2", "provided.al2023", "custom",
}

// blockedRuntimes are deprecated runtimes whose "block function create" date passed years ago
// (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html#runtimes-deprecated); the value
// is the runtime AWS's message recommends instead. More recent deprecations are accepted, since
// their block dates have moved more than once.
var blockedRuntimes = map[string]string{
	"nodejs":         "nodejs22.x",
	"nodejs4.3":      "nodejs22.x",
	"nodejs4.3-edge": "nodejs22.x",
	"nodejs6.10":     "nodejs22.x",
	"nodejs8.10":     "nodejs22.x",
	"nodejs10.x":     "nodejs22.x",
	"nodejs12.x":     "nodejs22.x",
	"python2.7":      "python3.13",
	"python3.6":      "python3.13",
	"dotnetcore1.0":  "dotnet8",
	"dotnetcore2.0":  "dotnet8",
	"dotnetcore2.1":  "dotnet8",
	"ruby2.5":        "ruby3.3",
}

// checkRuntime answers whether CreateFunction or UpdateFunctionConfiguration may set runtime.
func checkRuntime(runtime string) error {
	known := false
	for _, r := range runtimes {
		if r == runtime {
			known = true
			break
		}
	}
	if !known {
		return fmt.Errorf("Value %s at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [%s] or be a valid ARN",
			runtime, strings.Join(runtimes, ", "))
	}
	if instead, ok := blockedRuntimes[runtime]; ok {
		return fmt.Errorf("The runtime parameter of %s is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (%s) while creating or updating functions.",
			runtime, instead)
	}
	return nil
}
