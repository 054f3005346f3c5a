package elbv2

import (
	"context"
	"encoding/xml"
	"errors"
	"net/url"
	"slices"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

func targetIDs(form url.Values) ([]string, *awswire.Error) {
	var ids []string
	for _, t := range awswire.QueryStructList(form, "Targets.member") {
		if t["Id"] == "" {
			return nil, errMissing("Targets.member.Id")
		}
		ids = append(ids, t["Id"])
	}
	if len(ids) == 0 {
		return nil, errMissing("Targets")
	}
	return ids, nil
}

// checkFunctionTarget validates a lambda target: a function (or version or alias) ARN of this
// account and Region whose policy lets Elastic Load Balancing invoke it from the target group.
func (s *Service) checkFunctionTarget(ctx context.Context, id, tgARN string) *awswire.Error {
	parts := strings.Split(id, ":")
	if len(parts) < 7 || len(parts) > 8 || parts[0] != "arn" || parts[2] != "lambda" || parts[5] != "function" {
		return errInvalidTarget("The target ID '%s' is not a valid Lambda function ARN", id)
	}
	if parts[3] != s.region || parts[4] != s.accountID {
		return errInvalidTarget("The Lambda function '%s' must be in the same account and Region as the target group", id)
	}
	ok, err := s.lambda.AllowsInvoke(ctx, id, lambdaPrincipal, tgARN, s.accountID)
	if errors.Is(err, deliver.ErrNoTarget) {
		return errInvalidTarget("The Lambda function '%s' does not exist", id)
	}
	if err != nil {
		return errInternal(err)
	}
	if !ok {
		return errAccessDenied(id, tgARN)
	}
	return nil
}

// RegisterTargetsResult is RegisterTargets' (empty) answer.
type RegisterTargetsResult struct {
	XMLName xml.Name `xml:"RegisterTargetsResult"`
}

// RegisterTargets registers the function of a lambda target group: one function per group, which
// Elastic Load Balancing must be allowed to invoke. Registering the registered function again is a
// no-op. Other target types store their targets unchecked.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RegisterTargets.html
func (s *Service) RegisterTargets(ctx context.Context, form url.Values) (any, *awswire.Error) {
	arn := form.Get("TargetGroupArn")
	if arn == "" {
		return nil, errMissing("TargetGroupArn")
	}
	ids, e := targetIDs(form)
	if e != nil {
		return nil, e
	}
	var tg *targetGroup
	if e := s.view(func(tx *store.Tx) (err error) { tg, err = getTargetGroup(tx, arn); return err }); e != nil {
		return nil, e
	}
	if tg.TargetType == TargetTypeLambda {
		if len(ids) > 1 {
			return nil, errTooManyTargets()
		}
		if len(tg.Targets) > 0 && tg.Targets[0] != ids[0] {
			return nil, errTooManyTargets()
		}
		// The policy lives in Lambda's part of the store: it is read before this service's own
		// transaction, never inside it.
		if e := s.checkFunctionTarget(ctx, ids[0], arn); e != nil {
			return nil, e
		}
	}
	e = s.update(func(tx *store.Tx) error {
		tg, err := getTargetGroup(tx, arn)
		if err != nil {
			return err
		}
		if tg.TargetType == TargetTypeLambda && len(tg.Targets) > 0 && tg.Targets[0] != ids[0] {
			return errTooManyTargets()
		}
		for _, id := range ids {
			if !slices.Contains(tg.Targets, id) {
				tg.Targets = append(tg.Targets, id)
			}
		}
		return tx.Put(bucketTargetGroups, arn, tg)
	})
	if e != nil {
		return nil, e
	}
	return &RegisterTargetsResult{}, nil
}

// DeregisterTargetsResult is DeregisterTargets' (empty) answer.
type DeregisterTargetsResult struct {
	XMLName xml.Name `xml:"DeregisterTargetsResult"`
}

// DeregisterTargets removes targets; a target that is not registered is InvalidTarget, as on AWS.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DeregisterTargets.html
func (s *Service) DeregisterTargets(_ context.Context, form url.Values) (any, *awswire.Error) {
	arn := form.Get("TargetGroupArn")
	if arn == "" {
		return nil, errMissing("TargetGroupArn")
	}
	ids, e := targetIDs(form)
	if e != nil {
		return nil, e
	}
	e = s.update(func(tx *store.Tx) error {
		tg, err := getTargetGroup(tx, arn)
		if err != nil {
			return err
		}
		for _, id := range ids {
			i := slices.Index(tg.Targets, id)
			if i < 0 {
				return errInvalidTarget("The following targets are not registered in target group '%s': '%s'", arn, id)
			}
			tg.Targets = slices.Delete(tg.Targets, i, i+1)
		}
		return tx.Put(bucketTargetGroups, arn, tg)
	})
	if e != nil {
		return nil, e
	}
	return &DeregisterTargetsResult{}, nil
}

// TargetHealthDescriptionXML is one target's health.
type TargetHealthDescriptionXML struct {
	Target       struct{ Id string }
	TargetHealth struct {
		State       string
		Reason      string `xml:",omitempty"`
		Description string `xml:",omitempty"`
	}
}

// DescribeTargetHealthResult is DescribeTargetHealth's answer.
type DescribeTargetHealthResult struct {
	XMLName                  xml.Name                     `xml:"DescribeTargetHealthResult"`
	TargetHealthDescriptions []TargetHealthDescriptionXML `xml:"TargetHealthDescriptions>member"`
}

// DescribeTargetHealth reports each target's health. No health check runs in the simulator: a
// target whose group no listener uses is "unused" (Target.NotInUse); otherwise it is "unavailable"
// with Target.HealthCheckDisabled, which is what AWS reports for a lambda target with health
// checks off (their default).
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTargetHealth.html
func (s *Service) DescribeTargetHealth(_ context.Context, form url.Values) (any, *awswire.Error) {
	arn := form.Get("TargetGroupArn")
	if arn == "" {
		return nil, errMissing("TargetGroupArn")
	}
	var wanted []string
	for _, t := range awswire.QueryStructList(form, "Targets.member") {
		wanted = append(wanted, t["Id"])
	}
	out := &DescribeTargetHealthResult{TargetHealthDescriptions: []TargetHealthDescriptionXML{}}
	e := s.view(func(tx *store.Tx) error {
		tg, err := getTargetGroup(tx, arn)
		if err != nil {
			return err
		}
		lbs, err := loadBalancersOf(tx, arn)
		if err != nil {
			return err
		}
		ids := tg.Targets
		if len(wanted) > 0 {
			ids = wanted
		}
		for _, id := range ids {
			var d TargetHealthDescriptionXML
			d.Target.Id = id
			switch {
			case !slices.Contains(tg.Targets, id):
				d.TargetHealth.State, d.TargetHealth.Reason, d.TargetHealth.Description = targetStateUnused, "Target.NotRegistered", "Target is not registered to the target group"
			case len(lbs) == 0:
				d.TargetHealth.State, d.TargetHealth.Reason, d.TargetHealth.Description = targetStateUnused, "Target.NotInUse", "Target group is not configured to receive traffic from the load balancer"
			case tg.HealthCheckEnabled:
				d.TargetHealth.State = "healthy"
			default:
				d.TargetHealth.State, d.TargetHealth.Reason, d.TargetHealth.Description = targetStateUnavailable, "Target.HealthCheckDisabled", "Health checks are disabled"
			}
			out.TargetHealthDescriptions = append(out.TargetHealthDescriptions, d)
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}
