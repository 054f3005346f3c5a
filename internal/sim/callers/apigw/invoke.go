package apigw

import (
	"context"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
)

type outcomeKind int

const (
	outcomeOK outcomeKind = iota
	// outcomeFailed: API Gateway could not invoke (no such function, no permission, a throttle,
	// a failure of the simulator).
	outcomeFailed
	// outcomeFunctionError: the function ran and failed (X-Amz-Function-Error).
	outcomeFunctionError
	outcomeMalformed
	outcomeTimeout
)

type outcome struct {
	kind    outcomeKind
	payload []byte
}

// TriggerPrefix starts the Trigger of the invocations the front door makes: "apigateway:<source ARN>".
const TriggerPrefix = "apigateway:"

// call invokes the function the way API Gateway's Lambda proxy integration does: checks the
// function's resource policy for apigateway.amazonaws.com from sourceARN, invokes it
// synchronously, and gives up after the integration timeout (on the Clock). The function keeps
// running after a timeout, as on AWS: only the caller stops waiting.
func (f *FrontDoor) call(ctx context.Context, fnARN, sourceARN string, payload []byte, timeout time.Duration) outcome {
	fn, e := f.cfg.Lambda.ResolveFunction(fnARN, "")
	if e != nil {
		f.log.Warn("API Gateway cannot invoke the function", "function", fnARN, "error", e)
		return outcome{kind: outcomeFailed}
	}
	allowed, err := f.cfg.Lambda.AllowsInvoke(ctx, fnARN, Principal, sourceARN, f.cfg.AccountID)
	if err != nil || !allowed {
		f.log.Warn("Execution failed due to configuration error: Invalid permissions on Lambda function",
			"function", fnARN, "sourceArn", sourceARN, "error", err)
		return outcome{kind: outcomeFailed}
	}
	if timeout <= 0 {
		timeout = 29 * time.Second
	}
	callCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	type result struct {
		res invoke.Result
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := f.cfg.Invoker.Invoke(callCtx, fn, invoke.Request{
			Payload: payload, InvocationType: invoke.TypeRequestResponse, Trigger: TriggerPrefix + sourceARN,
		})
		done <- result{res, err}
	}()
	timer := f.cfg.Clock.NewTimer(timeout)
	defer timer.Stop()
	select {
	case out := <-done:
		switch {
		case out.err != nil:
			f.log.Warn("Lambda invocation failed", "function", fnARN, "error", out.err, "throttled", invoke.Throttled(out.err))
			return outcome{kind: outcomeFailed}
		case out.res.FunctionError != "":
			return outcome{kind: outcomeFunctionError, payload: out.res.Payload}
		}
		return outcome{kind: outcomeOK, payload: out.res.Payload}
	case <-timer.C():
		f.log.Warn("Execution failed due to a timeout error", "function", fnARN, "timeout", timeout)
		return outcome{kind: outcomeTimeout}
	case <-ctx.Done():
		return outcome{kind: outcomeFailed}
	}
}
