package iam

import (
	"context"
	"encoding/xml"
	"errors"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// PutRolePolicy: https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html
// It creates or replaces an inline policy. The document must be one IAM accepts
// (MalformedPolicyDocument otherwise), and all inline policies of the role together stay
// within 10,240 characters without whitespace.
func (s *Service) PutRolePolicy(_ context.Context, in PutRolePolicyInput) (*noResult, *awswire.Error) {
	if _, e := parseIdentity(in.PolicyDocument); e != nil {
		return nil, e
	}
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		r, err := getRole(tx, in.RoleName)
		if err != nil {
			return err
		}
		total := policySize(in.PolicyDocument)
		err = tx.ForEach(rolePoliciesBucket, childPrefix(in.RoleName), func(_ string, v []byte) error {
			p, err := decodeRecord[inlinePolicy](v)
			if err == nil && p.Name != in.PolicyName {
				total += policySize(p.Document)
			}
			return err
		})
		if err != nil {
			return err
		}
		if total > maxRoleInline {
			return errLimitExceeded("Maximum policy size of %d bytes exceeded for role %s", maxRoleInline, r.Name)
		}
		return tx.Put(rolePoliciesBucket, childKey(in.RoleName, in.PolicyName),
			inlinePolicy{RoleName: r.Name, Name: in.PolicyName, Document: in.PolicyDocument})
	})
	if err != nil {
		return nil, internal(err)
	}
	return nil, nil
}

// getRolePolicy reads an inline policy; NoSuchEntity for a missing role or policy.
func getRolePolicy(tx *store.Tx, role, name string) (*roleRecord, *inlinePolicy, error) {
	r, err := getRole(tx, role)
	if err != nil {
		return nil, nil, err
	}
	var p inlinePolicy
	if err := tx.Get(rolePoliciesBucket, childKey(role, name), &p); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil, errNoSuchRolePolicy(name)
		}
		return nil, nil, err
	}
	return r, &p, nil
}

// GetRolePolicyResult is the answer of GetRolePolicy; the document is URL-encoded, as in AWS.
type GetRolePolicyResult struct {
	XMLName        xml.Name `xml:"GetRolePolicyResult"`
	PolicyDocument string   `xml:"PolicyDocument"`
	PolicyName     string   `xml:"PolicyName"`
	RoleName       string   `xml:"RoleName"`
}

// GetRolePolicy: https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html
func (s *Service) GetRolePolicy(_ context.Context, in GetRolePolicyInput) (*GetRolePolicyResult, *awswire.Error) {
	var out *GetRolePolicyResult
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		r, p, err := getRolePolicy(tx, in.RoleName, in.PolicyName)
		if err != nil {
			return err
		}
		out = &GetRolePolicyResult{PolicyDocument: encodeDocument(p.Document), PolicyName: p.Name, RoleName: r.Name}
		return nil
	})
	if err != nil {
		return nil, internal(err)
	}
	return out, nil
}

// DeleteRolePolicy: https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRolePolicy.html
func (s *Service) DeleteRolePolicy(_ context.Context, in DeleteRolePolicyInput) (*noResult, *awswire.Error) {
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		if _, _, err := getRolePolicy(tx, in.RoleName, in.PolicyName); err != nil {
			return err
		}
		return tx.Delete(rolePoliciesBucket, childKey(in.RoleName, in.PolicyName))
	})
	if err != nil {
		return nil, internal(err)
	}
	return nil, nil
}

// ListRolePoliciesResult is the answer of ListRolePolicies.
type ListRolePoliciesResult struct {
	XMLName     xml.Name        `xml:"ListRolePoliciesResult"`
	IsTruncated bool            `xml:"IsTruncated"`
	Marker      string          `xml:"Marker,omitempty"`
	PolicyNames members[string] `xml:"PolicyNames"`
}

// ListRolePolicies: https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRolePolicies.html
func (s *Service) ListRolePolicies(_ context.Context, in ListRolePoliciesInput) (*ListRolePoliciesResult, *awswire.Error) {
	var names []string
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		if _, err := getRole(tx, in.RoleName); err != nil {
			return err
		}
		return tx.ForEach(rolePoliciesBucket, childPrefix(in.RoleName), func(_ string, v []byte) error {
			p, err := decodeRecord[inlinePolicy](v)
			if err == nil {
				names = append(names, p.Name)
			}
			return err
		})
	})
	if err != nil {
		return nil, internal(err)
	}
	from, to, next, e := pageOf(names, in.Marker, in.MaxItems)
	if e != nil {
		return nil, e
	}
	return &ListRolePoliciesResult{IsTruncated: next != "", Marker: next, PolicyNames: members[string]{names[from:to]}}, nil
}
