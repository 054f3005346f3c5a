package runtime

import (
	"encoding/json"
	"fmt"
	"time"
)

// functionErrorUnhandled is the X-Amz-Function-Error of every function error the simulator reports.
//
// AWS's Invoke reference defines Handled as "the runtime caught an error thrown by the function and
// formatted it into a JSON document" and Unhandled as "the runtime didn't handle the error", but for
// runtimes that speak the Runtime API every error AWS returns is "Unhandled", including an error that
// aws-lambda-go posts to /invocation/{id}/error for a handler that returned an error. AWS's own page
// for Go function errors shows exactly that: a handler returning errors.New(...) gives
// {"errorMessage": ..., "errorType": "errorString"} with "FunctionError": "Unhandled"
// (https://docs.aws.amazon.com/lambda/latest/dg/golang-exceptions.html, "Using the AWS CLI";
// the Node.js page, nodejs-exceptions.html, shows the same for a thrown ReferenceError). "Handled"
// belongs to the pre-Runtime-API runtimes (Node.js callback(err)), which the simulator does not run.
const functionErrorUnhandled = "Unhandled"

// Platform error types, as AWS reports them.
const (
	// errorTypeTimeout: the invocation ran past the function's timeout.
	errorTypeTimeout = "Sandbox.Timedout"
	// errorTypeExit: the runtime process exited before answering.
	errorTypeExit = "Runtime.ExitError"
	// errorTypeEntrypoint: the bootstrap is missing or cannot be executed.
	errorTypeEntrypoint = "Runtime.InvalidEntrypoint"
	// errorTypeUnknown: the runtime reported an error without saying its type.
	errorTypeUnknown = "Runtime.Unknown"
	// errorTypeResponseTooLarge: the runtime posted a response over maxResponseBytes. Name and
	// message from aws-lambda-runtime-interface-emulator (interop.ErrorResponseTooLarge).
	errorTypeResponseTooLarge = "Function.ResponseSizeTooLarge"
)

// maxResponseBytes is the synchronous response quota of 6 MB as the Runtime API enforces it
// (interop.MaxPayloadSize in aws-lambda-runtime-interface-emulator).
const maxResponseBytes = 6291556

// functionError is the error document the caller receives as the payload of a function error.
type functionError struct {
	ErrorType    string          `json:"errorType"`
	ErrorMessage string          `json:"errorMessage"`
	StackTrace   json.RawMessage `json:"stackTrace,omitempty"`
}

// functionAnswer is what an invocation ended with, as the caller will see it.
type functionAnswer struct {
	payload       []byte
	functionError string // "" or functionErrorUnhandled
	errorType     string
}

func (fe *functionError) answer() *functionAnswer {
	body, _ := json.Marshal(fe)
	return &functionAnswer{payload: body, functionError: functionErrorUnhandled, errorType: fe.ErrorType}
}

// timeoutError is the body AWS returns when a function times out, e.g.
// {"errorType":"Sandbox.Timedout","errorMessage":"RequestId: <id> Error: Task timed out after 3.00 seconds"}.
// AWS's documentation does not print this body; the shape is the one AWS returns as quoted in public
// projects (and reproduced by aws-lambda-runtime-interface-emulator forks). The seconds are the
// configured timeout, with two decimals.
func timeoutError(requestID string, timeout time.Duration) *functionError {
	return &functionError{
		ErrorType:    errorTypeTimeout,
		ErrorMessage: fmt.Sprintf("RequestId: %s Error: Task timed out after %.2f seconds", requestID, timeout.Seconds()),
	}
}

// exitError is the body AWS returns when the runtime process exits before answering, e.g.
// {"errorType":"Runtime.ExitError","errorMessage":"RequestId: <id> Error: Runtime exited with error: exit status 2"}.
// status is Go's own rendering of the process state (AWS's runtime manager is written in Go, hence
// "exit status 2" or "signal: killed").
func exitError(requestID, status string) *functionError {
	return &functionError{
		ErrorType:    errorTypeExit,
		ErrorMessage: fmt.Sprintf("RequestId: %s Error: Runtime exited with error: %s", requestID, status),
	}
}

// entrypointError is AWS's answer when the bootstrap cannot be run, e.g.
// {"errorType":"Runtime.InvalidEntrypoint","errorMessage":"RequestId: <id> Error: Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]"}
// (AWS Lambda troubleshooting guide, "Couldn't find valid bootstrap (Runtime.InvalidEntrypoint)").
func entrypointFailure(requestID, msg string) *functionError {
	return &functionError{
		ErrorType:    errorTypeEntrypoint,
		ErrorMessage: fmt.Sprintf("RequestId: %s Error: %s", requestID, msg),
	}
}

// postedError turns what a runtime posted to /invocation/{id}/error or /runtime/init/error into the
// error the caller receives. The body is returned as posted when it is an error document; when it
// is not, AWS builds the error from the Lambda-Runtime-Function-Error-Type header (SEMANTICS A4).
func postedError(headerType string, body []byte) *functionAnswer {
	var doc struct {
		ErrorType    *string `json:"errorType"`
		ErrorMessage *string `json:"errorMessage"`
	}
	if json.Unmarshal(body, &doc) == nil && (doc.ErrorType != nil || doc.ErrorMessage != nil) {
		errType := headerType
		if doc.ErrorType != nil && *doc.ErrorType != "" {
			errType = *doc.ErrorType
		}
		if errType == "" {
			errType = errorTypeUnknown
		}
		return &functionAnswer{payload: body, functionError: functionErrorUnhandled, errorType: errType}
	}
	if headerType == "" {
		headerType = errorTypeUnknown
	}
	return (&functionError{ErrorType: headerType, ErrorMessage: string(body)}).answer()
}
