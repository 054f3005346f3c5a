package provider

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbv2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/provider/diagnostics"
)

// The alb kind: the permission for elasticloadbalancing.amazonaws.com scoped to the target group,
// then RegisterTargets of the function. Elastic Load Balancing checks the permission when the target
// is registered, so the permission comes first, and a refusal is retried while it propagates.

// multiValueHeadersAttribute is the target group attribute that switches multi-value headers on.
const multiValueHeadersAttribute = "lambda.multi_value_headers.enabled"

func (r *syncCallerResource) createALB(ctx context.Context, w syncWiring, f syncCallerFacts) diag.Diagnostics {
	var diags diag.Diagnostics
	input := invokePermission(w, "elasticloadbalancing.amazonaws.com", w.TargetGroupARN)
	if err := addPermission(ctx, r.clients.Lambda, input); err != nil {
		diags.Append(diagnostics.APIError("adding the permission of", diagnostics.SyncCallerThing, w.ID(), err))
		return diags
	}
	conn := r.clients.ELBv2()
	err := retryWhen(ctx, syncPermissionPropagation, func(ctx context.Context) error {
		_, err := conn.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{
			TargetGroupArn: aws.String(w.TargetGroupARN),
			Targets:        []elbv2types.TargetDescription{{Id: aws.String(w.functionARN(f.arn))}},
		})
		return err
	}, isELBPermissionPropagation)
	if err != nil {
		diags.Append(diagnostics.APIError("registering the function in the target group of", diagnostics.SyncCallerThing, w.ID(), err))
		if err := removePermissions(ctx, r.clients.Lambda, w.FunctionName, w.Qualifier, w.statementID()); err != nil {
			tflog.Warn(ctx, "removing the permission of a failed sync caller", map[string]any{"error": err.Error()})
		}
	}
	return diags
}

func (r *syncCallerResource) readALB(ctx context.Context, w syncWiring, _ *syncCallerResourceModel) error {
	if err := findPolicyStatements(ctx, r.clients.Lambda, w.FunctionName, w.Qualifier, w.statementID()); err != nil {
		return err
	}
	_, err := findTargetGroupTarget(ctx, r.clients.ELBv2(), w.TargetGroupARN, w.functionARN(arnContext(r.clients)))
	return err
}

func (r *syncCallerResource) deleteALB(ctx context.Context, w syncWiring) error {
	_, err := r.clients.ELBv2().DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{
		TargetGroupArn: aws.String(w.TargetGroupARN),
		Targets:        []elbv2types.TargetDescription{{Id: aws.String(w.functionARN(arnContext(r.clients)))}},
	})
	if err != nil && !errorIs[*elbv2types.TargetGroupNotFoundException](err, "") && !errorIs[*elbv2types.InvalidTargetException](err, "") {
		return err
	}
	return removePermissions(ctx, r.clients.Lambda, w.FunctionName, w.Qualifier, w.statementID())
}

// findTargetGroupTarget finds the function among the target group's registered targets.
func findTargetGroupTarget(ctx context.Context, conn *elbv2.Client, targetGroupARN, id string) (*elbv2types.TargetHealthDescription, error) {
	out, err := conn.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(targetGroupARN)})
	if errorIs[*elbv2types.TargetGroupNotFoundException](err, "") {
		return nil, &notFoundError{what: "target group " + targetGroupARN, err: err}
	}
	if err != nil {
		return nil, err
	}
	for i, d := range out.TargetHealthDescriptions {
		if d.Target != nil && aws.ToString(d.Target.Id) == id {
			return &out.TargetHealthDescriptions[i], nil
		}
	}
	return nil, &notFoundError{what: "target " + id + " of target group " + targetGroupARN}
}

// findTargetGroupMultiValueHeaders reads lambda.multi_value_headers.enabled.
func findTargetGroupMultiValueHeaders(ctx context.Context, conn *elbv2.Client, targetGroupARN string) (bool, error) {
	out, err := conn.DescribeTargetGroupAttributes(ctx, &elbv2.DescribeTargetGroupAttributesInput{TargetGroupArn: aws.String(targetGroupARN)})
	if errorIs[*elbv2types.TargetGroupNotFoundException](err, "") {
		return false, &notFoundError{what: "target group " + targetGroupARN, err: err}
	}
	if err != nil {
		return false, err
	}
	for _, a := range out.Attributes {
		if aws.ToString(a.Key) == multiValueHeadersAttribute {
			return aws.ToString(a.Value) == "true", nil
		}
	}
	return false, nil
}

// isELBPermissionPropagation is RegisterTargets refusing a Lambda target whose permission it cannot
// see yet ("elasticloadbalancing principal does not have permission to invoke ...").
func isELBPermissionPropagation(err error) bool {
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	code := apiErr.ErrorCode()
	return (code == "InvalidTarget" || code == "AccessDenied") && strings.Contains(apiErr.ErrorMessage(), "permission")
}
