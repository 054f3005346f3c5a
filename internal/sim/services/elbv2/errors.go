package elbv2

import (
	"fmt"
	"net/http"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// Every error the service answers is built here. Codes are the wire codes of the aws-sdk-go-v2
// elasticloadbalancingv2 module (types/errors.go ErrorCode and response_snapshot/*.error.snap);
// statuses are 400 as in the snapshots, except AccessDenied (403). Texts are AWS's where quoted
// in public reports, otherwise the simulator's own.

func errLoadBalancerNotFound() *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "LoadBalancerNotFound", "One or more load balancers not found")
}

func errTargetGroupNotFound() *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "TargetGroupNotFound", "One or more target groups not found")
}

func errListenerNotFound() *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "ListenerNotFound", "One or more listeners not found")
}

func errDuplicateTargetGroupName() *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "DuplicateTargetGroupName", "A target group with the same name exists, but with different settings")
}

func errDuplicateLoadBalancerName() *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "DuplicateLoadBalancerName", "A load balancer with the same name exists, but with different settings")
}

func errDuplicateListener() *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "DuplicateListener", "A listener already exists on this port for this load balancer")
}

func errTooManyTargets() *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "TooManyTargets", "You can register only one Lambda function per target group")
}

func errInvalidTarget(format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "InvalidTarget", format, args...)
}

func errResourceInUse(format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "ResourceInUse", format, args...)
}

// errValidation is the awsQuery ValidationError every AWS query service answers for a request
// that breaks the model's constraints.
func errValidation(format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, "ValidationError", format, args...)
}

func errMissing(member string) *awswire.Error {
	return errValidation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", lowerFirst(member))
}

// errAccessDenied is RegisterTargets' refusal when the function's policy does not let Elastic Load
// Balancing invoke it; the text is AWS's (quoted in ansible/ansible#52253).
func errAccessDenied(functionARN, targetGroupARN string) *awswire.Error {
	return awswire.Errorf(http.StatusForbidden, "AccessDenied",
		"elasticloadbalancing principal does not have permission to invoke %s from target group %s", functionARN, targetGroupARN)
}

func errInternal(err error) *awswire.Error {
	return awswire.InternalError(fmt.Errorf("elbv2: %w", err))
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}

func awswireErr(code, format string, args ...any) *awswire.Error {
	return awswire.Errorf(http.StatusBadRequest, code, format, args...)
}
