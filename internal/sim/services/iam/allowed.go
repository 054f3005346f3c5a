package iam

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/iampolicy"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Allowed tells whether the role may perform action (e.g. "sqs:SendMessage") on resource (an
// ARN), by evaluating the role's inline and attached policies as IAM does: an explicit Deny
// wins, then any Allow, else the request is implicitly denied. When it is not allowed, reason
// says why in words a user can act on. A role that does not exist is a denial with a reason,
// not an error — unless Config.RelaxRoleChecks is set, when it is allowed. err is only for a
// failure of the store.
func (s *Service) Allowed(ctx context.Context, roleARN, action, resource string) (bool, string, error) {
	return s.AllowedWithContext(ctx, roleARN, action, resource, nil)
}

// AllowedWithContext is Allowed with extra request-context keys for policy conditions (e.g.
// "aws:SourceArn"). The simulator fills aws:PrincipalArn, aws:PrincipalAccount,
// aws:PrincipalType, aws:userid, aws:CurrentTime, aws:EpochTime, aws:SecureTransport and
// aws:RequestedRegion (from the resource's ARN); keys given here override them.
func (s *Service) AllowedWithContext(ctx context.Context, roleARN, action, resource string, keys map[string]string) (bool, string, error) {
	var role *roleRecord
	var policies []*iampolicy.Policy
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		var err error
		role, err = findRoleByARN(tx, roleARN, s.cfg.AccountID)
		if err != nil || role == nil {
			return err
		}
		policies, err = rolePolicies(tx, role)
		return err
	})
	if err != nil {
		return false, "", fmt.Errorf("evaluating the policies of %s: %w", roleARN, err)
	}
	if role == nil {
		if s.cfg.RelaxRoleChecks {
			s.log.Debug("role not modelled; allowed by RelaxRoleChecks", "role", roleARN, "action", action, "resource", resource)
			return true, "", nil
		}
		return false, fmt.Sprintf("the role %s does not exist in the simulated IAM, so it cannot perform %s on %s "+
			"(create the role and give it a policy, or relax role checks for roles the simulator does not know)", roleARN, action, resource), nil
	}
	rc := s.requestContext(role, resource)
	for k, v := range keys {
		rc[k] = v
	}
	decision, match := iampolicy.Explain(policies, action, resource, rc)
	switch decision {
	case iampolicy.Allow:
		return true, "", nil
	case iampolicy.ExplicitDeny:
		where := match.Policy.Name
		if match.Sid != "" {
			where += " (statement " + match.Sid + ")"
		}
		return false, fmt.Sprintf("the %s of role %s explicitly denies %s on %s", where, role.ARN, action, resource), nil
	}
	return false, fmt.Sprintf("the role %s has no policy allowing %s on %s", role.ARN, action, resource), nil
}

// findRoleByARN finds the role an ARN names: in this account, with the path and name of the
// ARN (role names regardless of case, as IAM). nil when there is none.
func findRoleByARN(tx *store.Tx, arn, account string) (*roleRecord, error) {
	prefix := "arn:aws:iam::" + account + ":role/"
	rest, ok := strings.CutPrefix(arn, prefix)
	if !ok {
		return nil, nil
	}
	name := rest[strings.LastIndexByte(rest, '/')+1:]
	if name == "" {
		return nil, nil
	}
	var r roleRecord
	if err := tx.Get(rolesBucket, roleKey(name), &r); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	if !strings.EqualFold(r.ARN, arn) { // the same name under another path is another role
		return nil, nil
	}
	return &r, nil
}

// rolePolicies returns the parsed inline and attached policies of a role, each named for
// explanations. Every stored document parsed when it was written; one that no longer does
// (only a newer, stricter simulator could refuse it) grants nothing.
func rolePolicies(tx *store.Tx, r *roleRecord) ([]*iampolicy.Policy, error) {
	var out []*iampolicy.Policy
	err := tx.ForEach(rolePoliciesBucket, childPrefix(r.Name), func(_ string, v []byte) error {
		ip, err := decodeRecord[inlinePolicy](v)
		if err != nil {
			return err
		}
		if p, err := iampolicy.Parse(ip.Document); err == nil {
			p.Name = "inline policy " + ip.Name
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.ForEach(attachedBucket, childPrefix(r.Name), func(_ string, v []byte) error {
		a, err := decodeRecord[attachment](v)
		if err != nil {
			return err
		}
		doc := ""
		if m := findAWSManaged(a.PolicyARN); m != nil {
			doc = m.Document
		} else if p, err := getPolicy(tx, a.PolicyARN); err == nil {
			doc = p.Document
		}
		if p, err := iampolicy.Parse(doc); err == nil {
			p.Name = "managed policy " + a.PolicyARN
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// requestContext is what IAM knows of a request the role makes with its session.
func (s *Service) requestContext(r *roleRecord, resource string) map[string]string {
	now := s.cfg.Clock.Now().UTC()
	rc := map[string]string{
		"aws:PrincipalArn":     r.ARN,
		"aws:PrincipalAccount": s.cfg.AccountID,
		"aws:PrincipalType":    "AssumedRole",
		"aws:userid":           r.ID + ":simulator",
		"aws:CurrentTime":      now.Format("2006-01-02T15:04:05Z"),
		"aws:EpochTime":        strconv.FormatInt(now.Unix(), 10),
		"aws:SecureTransport":  "true",
	}
	if parts := strings.SplitN(resource, ":", 6); len(parts) == 6 && parts[3] != "" {
		rc["aws:RequestedRegion"] = parts[3]
	}
	return rc
}
