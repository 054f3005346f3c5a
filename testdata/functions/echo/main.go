// Command echo is a test function: it returns the event it received and the invocation context it saw.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

type seen struct {
	Event   json.RawMessage `json:"event"`
	Context contextSeen     `json:"context"`
}

type contextSeen struct {
	RequestID          string `json:"requestId"`
	InvokedFunctionARN string `json:"invokedFunctionArn"`
	DeadlineMs         int64  `json:"deadlineMs"`
	FunctionName       string `json:"functionName"`
	FunctionVersion    string `json:"functionVersion"`
	MemoryLimitInMB    int    `json:"memoryLimitInMB"`
	LogGroupName       string `json:"logGroupName"`
	LogStreamName      string `json:"logStreamName"`
	ClientContext      any    `json:"clientContext,omitempty"`
	PID                int    `json:"pid"`
}

func handle(ctx context.Context, event json.RawMessage) (seen, error) {
	lc, _ := lambdacontext.FromContext(ctx)
	deadline, _ := ctx.Deadline()
	out := seen{Event: event, Context: contextSeen{
		FunctionName:    lambdacontext.FunctionName,
		FunctionVersion: lambdacontext.FunctionVersion,
		MemoryLimitInMB: lambdacontext.MemoryLimitInMB,
		LogGroupName:    lambdacontext.LogGroupName,
		LogStreamName:   lambdacontext.LogStreamName,
		DeadlineMs:      deadline.UnixMilli(),
		PID:             os.Getpid(),
	}}
	if lc != nil {
		out.Context.RequestID = lc.AwsRequestID
		out.Context.InvokedFunctionARN = lc.InvokedFunctionArn
		if len(lc.ClientContext.Custom) > 0 || lc.ClientContext.Client.AppTitle != "" {
			out.Context.ClientContext = lc.ClientContext
		}
	}
	fmt.Printf("echo: request %s\n", out.Context.RequestID)
	return out, nil
}

func main() { lambda.Start(handle) }
