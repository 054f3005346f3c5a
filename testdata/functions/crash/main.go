// Command crash is a test function that exits in the middle of an invocation, as a process that
// crashes does. The event may say {"init": true} to make it exit before it ever asks for work, which
// is checked through the environment variable CRASH_AT_INIT instead, since init has no event.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
)

func handle(ctx context.Context, event json.RawMessage) (json.RawMessage, error) {
	fmt.Println("crash: exiting with status 2")
	os.Exit(2)
	return nil, nil
}

func main() {
	if os.Getenv("CRASH_AT_INIT") != "" {
		fmt.Fprintln(os.Stderr, "crash: failing during init")
		os.Exit(3)
	}
	lambda.Start(handle)
}
