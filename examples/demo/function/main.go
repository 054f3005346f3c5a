// Command function is the demo's Lambda function: a provided.al2023 bootstrap built with
// aws-lambda-go that greets whoever the event names and says how it was invoked.
package main

import (
	"context"
	"fmt"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

type event struct {
	Name  string `json:"name"`
	Model string `json:"model"`
}

type answer struct {
	Greeting  string `json:"greeting"`
	RequestID string `json:"requestId"`
	Function  string `json:"function"`
	Version   string `json:"version"`
}

func handle(ctx context.Context, e event) (answer, error) {
	lc, _ := lambdacontext.FromContext(ctx)
	fmt.Printf("greeting %q (invoked as %s)\n", e.Name, e.Model)
	return answer{
		Greeting:  fmt.Sprintf("hello, %s", e.Name),
		RequestID: lc.AwsRequestID,
		Function:  lambdacontext.FunctionName,
		Version:   lambdacontext.FunctionVersion,
	}, nil
}

func main() { lambda.Start(handle) }
