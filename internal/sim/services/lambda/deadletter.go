package lambda

import (
	"context"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// RoleChecker answers whether an execution role allows an action on a resource (the simulated
// IAM). The reason explains a denial.
type RoleChecker interface {
	Allowed(ctx context.Context, roleARN, action, resource string) (bool, string, error)
}

// checkDeadLetter validates a DeadLetterConfig as AWS does at configuration time: the target is an
// SQS queue or an SNS topic, and the execution role may send to it (SEMANTICS.md B: "The provided
// execution role does not have permissions to call SendMessage on SQS").
func (s *Service) checkDeadLetter(ctx context.Context, role, target string) *awswire.Error {
	if target == "" {
		return nil
	}
	parts := strings.SplitN(target, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || (parts[2] != "sqs" && parts[2] != "sns") {
		return invalidParameter("The dead-letter target %s is not an SQS queue or SNS topic ARN.", target)
	}
	if s.roles == nil || role == "" {
		return nil
	}
	action, call, service := "sqs:SendMessage", "SendMessage", "SQS"
	if parts[2] == "sns" {
		action, call, service = "sns:Publish", "Publish", "SNS"
	}
	ok, _, err := s.roles.Allowed(ctx, role, action, target)
	if err != nil {
		return internalError(err)
	}
	if !ok {
		return invalidParameter("The provided execution role does not have permissions to call %s on %s", call, service)
	}
	return nil
}

// currentRole is the execution role $LATEST of an existing function has ("" when unknown).
func (s *Service) currentRole(name string) string {
	var role string
	s.view(func(tx *store.Tx) error {
		if rec, err := getFunction(tx, name); err == nil && rec != nil {
			role = rec.Config.Role
		}
		return nil
	})
	return role
}
