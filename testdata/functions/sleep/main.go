// Command sleep is a test function that sleeps for the number of seconds the event names
// ({"seconds": 5}), ignoring its deadline, so that it can outlive its timeout.
package main

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
)

type event struct {
	Seconds float64 `json:"seconds"`
}

func handle(ctx context.Context, e event) (string, error) {
	fmt.Printf("sleep: sleeping %.2fs\n", e.Seconds)
	time.Sleep(time.Duration(e.Seconds * float64(time.Second)))
	return "slept", nil
}

func main() { lambda.Start(handle) }
