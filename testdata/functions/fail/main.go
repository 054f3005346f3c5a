// Command fail is a test function whose handler returns an error, which the runtime reports as a
// Handled function error.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-lambda-go/lambda"
)

func handle(ctx context.Context, event json.RawMessage) (json.RawMessage, error) {
	fmt.Println("fail: about to fail")
	return nil, errors.New("boom: the fail function always fails")
}

func main() { lambda.Start(handle) }
