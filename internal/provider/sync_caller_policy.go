package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	awstypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// The Lambda side of every sync caller: the function's timeout and the permission statements.

// syncPermissionPropagation is how long a caller's own API may keep refusing a permission just
// added (RegisterTargets checks it; AWS's policy changes take seconds to propagate).
const syncPermissionPropagation = 2 * time.Minute

// findFunctionTimeout reads the timeout of the function (version or alias) the caller invokes.
func findFunctionTimeout(ctx context.Context, conn *lambda.Client, name, qualifier string) (int64, error) {
	input := &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(name)}
	if qualifier != "" {
		input.Qualifier = aws.String(qualifier)
	}
	output, err := conn.GetFunctionConfiguration(ctx, input)
	if errorIs[*awstypes.ResourceNotFoundException](err, "") {
		return 0, &notFoundError{what: "Lambda function " + name, err: err}
	}
	if err != nil {
		return 0, err
	}
	return int64(aws.ToInt32(output.Timeout)), nil
}

// policyStatement is the part of a resource-based policy statement the provider reads.
type policyStatement struct {
	Sid       string `json:"Sid"`
	Principal any    `json:"Principal"`
	Action    string `json:"Action"`
	Condition map[string]map[string]any
}

// findPolicyStatement finds a statement of the function's (or the qualifier's) policy by its Sid.
func findPolicyStatement(ctx context.Context, conn *lambda.Client, name, qualifier, sid string) (*policyStatement, error) {
	input := &lambda.GetPolicyInput{FunctionName: aws.String(name)}
	if qualifier != "" {
		input.Qualifier = aws.String(qualifier)
	}
	output, err := conn.GetPolicy(ctx, input)
	if errorIs[*awstypes.ResourceNotFoundException](err, "") {
		return nil, &notFoundError{what: "permission " + sid, err: err}
	}
	if err != nil {
		return nil, err
	}
	var policy struct {
		Statement []policyStatement `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(aws.ToString(output.Policy)), &policy); err != nil {
		return nil, fmt.Errorf("decoding the policy of %s: %w", name, err)
	}
	for i := range policy.Statement {
		if policy.Statement[i].Sid == sid {
			return &policy.Statement[i], nil
		}
	}
	return nil, &notFoundError{what: "permission " + sid}
}

// findPolicyStatements checks that every Sid is in the policy.
func findPolicyStatements(ctx context.Context, conn *lambda.Client, name, qualifier string, sids ...string) error {
	for _, sid := range sids {
		if _, err := findPolicyStatement(ctx, conn, name, qualifier, sid); err != nil {
			return err
		}
	}
	return nil
}

// addPermission adds a statement. The Sid is derived from the wiring, so a statement that already
// exists under it is this caller's own (left by a create that failed half way, or found again after
// drift): it counts as added.
func addPermission(ctx context.Context, conn *lambda.Client, input *lambda.AddPermissionInput) error {
	err := retryWhen(ctx, functionPropagationTimeout, func(ctx context.Context) error {
		_, err := conn.AddPermission(ctx, input)
		return err
	}, func(err error) bool {
		return isFunctionConflict(err) && !errorIs[*awstypes.ResourceConflictException](err, "already exists")
	})
	if errorIs[*awstypes.ResourceConflictException](err, "already exists") {
		return nil
	}
	return err
}

// removePermissions removes statements by Sid; one already gone is done.
func removePermissions(ctx context.Context, conn *lambda.Client, name, qualifier string, sids ...string) error {
	for _, sid := range sids {
		input := &lambda.RemovePermissionInput{FunctionName: aws.String(name), StatementId: aws.String(sid)}
		if qualifier != "" {
			input.Qualifier = aws.String(qualifier)
		}
		err := retryWhen(ctx, functionPropagationTimeout, func(ctx context.Context) error {
			_, err := conn.RemovePermission(ctx, input)
			return err
		}, isFunctionConflict)
		if err != nil && !errorIs[*awstypes.ResourceNotFoundException](err, "") {
			return fmt.Errorf("removing permission %s: %w", sid, err)
		}
	}
	return nil
}

// invokePermission is the lambda:InvokeFunction statement of a service caller.
func invokePermission(w syncWiring, principal, sourceARN string) *lambda.AddPermissionInput {
	input := &lambda.AddPermissionInput{
		FunctionName: aws.String(w.FunctionName),
		StatementId:  aws.String(w.statementID()),
		Action:       aws.String("lambda:InvokeFunction"),
		Principal:    aws.String(principal),
		SourceArn:    aws.String(sourceARN),
	}
	if w.Qualifier != "" {
		input.Qualifier = aws.String(w.Qualifier)
	}
	return input
}
