package iam

import (
	"context"
	"encoding/xml"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// AttachRolePolicy: https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html
// Attaching a policy already attached changes nothing; a role holds at most 10 managed policies
// (IAM's default quota).
func (s *Service) AttachRolePolicy(_ context.Context, in AttachRolePolicyInput) (*noResult, *awswire.Error) {
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		r, err := getRole(tx, in.RoleName)
		if err != nil {
			return err
		}
		policyName := ""
		if a := findAWSManaged(in.PolicyARN); a != nil {
			policyName = a.Name
		} else {
			p, err := getPolicy(tx, in.PolicyARN)
			if err != nil {
				return errNotAttachable(in.PolicyARN)
			}
			policyName = p.Name
		}
		key := childKey(in.RoleName, in.PolicyARN)
		if tx.Has(attachedBucket, key) {
			return nil
		}
		n := 0
		tx.ForEach(attachedBucket, childPrefix(in.RoleName), func(string, []byte) error { n++; return nil })
		if n >= maxAttached {
			return errLimitExceeded("Cannot exceed quota for PoliciesPerRole: %d", maxAttached)
		}
		return tx.Put(attachedBucket, key, attachment{RoleName: r.Name, PolicyARN: in.PolicyARN, PolicyName: policyName})
	})
	if err != nil {
		return nil, internal(err)
	}
	return nil, nil
}

// DetachRolePolicy: https://docs.aws.amazon.com/IAM/latest/APIReference/API_DetachRolePolicy.html
func (s *Service) DetachRolePolicy(_ context.Context, in DetachRolePolicyInput) (*noResult, *awswire.Error) {
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		if _, err := getRole(tx, in.RoleName); err != nil {
			return err
		}
		key := childKey(in.RoleName, in.PolicyARN)
		if !tx.Has(attachedBucket, key) {
			return errNoSuchPolicy(in.PolicyARN)
		}
		return tx.Delete(attachedBucket, key)
	})
	if err != nil {
		return nil, internal(err)
	}
	return nil, nil
}

// AttachedPolicy is IAM's AttachedPolicy shape.
type AttachedPolicy struct {
	PolicyArn  string `xml:"PolicyArn"`
	PolicyName string `xml:"PolicyName"`
}

// ListAttachedRolePoliciesResult is the answer of ListAttachedRolePolicies.
type ListAttachedRolePoliciesResult struct {
	XMLName          xml.Name                `xml:"ListAttachedRolePoliciesResult"`
	AttachedPolicies members[AttachedPolicy] `xml:"AttachedPolicies"`
	IsTruncated      bool                    `xml:"IsTruncated"`
	Marker           string                  `xml:"Marker,omitempty"`
}

// ListAttachedRolePolicies: https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAttachedRolePolicies.html
// PathPrefix filters on the policies' paths.
func (s *Service) ListAttachedRolePolicies(_ context.Context, in ListAttachedRolePoliciesInput) (*ListAttachedRolePoliciesResult, *awswire.Error) {
	byKey := map[string]AttachedPolicy{}
	var keys []string
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		if _, err := getRole(tx, in.RoleName); err != nil {
			return err
		}
		return tx.ForEach(attachedBucket, childPrefix(in.RoleName), func(k string, v []byte) error {
			a, err := decodeRecord[attachment](v)
			if err != nil {
				return err
			}
			if !strings.HasPrefix(policyPath(a.PolicyARN), in.PathPrefix) {
				return nil
			}
			byKey[k] = AttachedPolicy{PolicyArn: a.PolicyARN, PolicyName: a.PolicyName}
			keys = append(keys, k)
			return nil
		})
	})
	if err != nil {
		return nil, internal(err)
	}
	from, to, next, e := pageOf(keys, in.Marker, in.MaxItems)
	if e != nil {
		return nil, e
	}
	out := &ListAttachedRolePoliciesResult{IsTruncated: next != "", Marker: next}
	for _, k := range keys[from:to] {
		out.AttachedPolicies.Members = append(out.AttachedPolicies.Members, byKey[k])
	}
	return out, nil
}

// policyPath is the path of a policy ARN: "arn:aws:iam::aws:policy/service-role/X" has
// "/service-role/".
func policyPath(arn string) string {
	_, rest, ok := strings.Cut(arn, ":policy/")
	if !ok {
		return "/"
	}
	i := strings.LastIndexByte(rest, '/')
	return "/" + rest[:i+1]
}
