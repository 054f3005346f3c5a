package iam

import (
	"context"
	"encoding/xml"
	"errors"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// CreateRoleResult is the answer of CreateRole.
type CreateRoleResult struct {
	XMLName xml.Name `xml:"CreateRoleResult"`
	Role    Role     `xml:"Role"`
}

// CreateRole: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
// The trust policy is checked as IAM checks it (a Principal, no Resource, its size quota); the
// simulator does not use it afterwards: Lambda is assumed able to assume every role.
func (s *Service) CreateRole(_ context.Context, in CreateRoleInput) (*CreateRoleResult, *awswire.Error) {
	if e := parseTrust(in.AssumeRolePolicyDocument); e != nil {
		return nil, e
	}
	r := &roleRecord{
		Name:               in.RoleName,
		ID:                 newID("AROA"),
		Path:               in.Path,
		ARN:                "arn:aws:iam::" + s.cfg.AccountID + ":role" + in.Path + in.RoleName,
		Description:        in.Description,
		AssumeRolePolicy:   in.AssumeRolePolicyDocument,
		MaxSessionDuration: in.MaxSessionDuration,
		Created:            s.cfg.Clock.Now().UTC(),
		Tags:               in.Tags,
	}
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		if tx.Has(rolesBucket, roleKey(in.RoleName)) {
			return errEntityAlreadyExists("Role with name %s already exists.", in.RoleName)
		}
		return tx.Put(rolesBucket, roleKey(in.RoleName), r)
	})
	if err != nil {
		return nil, internal(err)
	}
	s.log.Debug("role created", "role", r.ARN)
	return &CreateRoleResult{Role: r.toXML(true)}, nil
}

// getRole reads a role inside a transaction; NoSuchEntity when there is none.
func getRole(tx *store.Tx, name string) (*roleRecord, error) {
	var r roleRecord
	if err := tx.Get(rolesBucket, roleKey(name), &r); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, errNoSuchRole(name)
		}
		return nil, err
	}
	return &r, nil
}

// GetRoleResult is the answer of GetRole.
type GetRoleResult struct {
	XMLName xml.Name `xml:"GetRoleResult"`
	Role    Role     `xml:"Role"`
}

// GetRole: https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html
func (s *Service) GetRole(_ context.Context, in GetRoleInput) (*GetRoleResult, *awswire.Error) {
	var r *roleRecord
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		var err error
		r, err = getRole(tx, in.RoleName)
		return err
	})
	if err != nil {
		return nil, internal(err)
	}
	return &GetRoleResult{Role: r.toXML(true)}, nil
}

// ListRolesResult is the answer of ListRoles.
type ListRolesResult struct {
	XMLName     xml.Name      `xml:"ListRolesResult"`
	IsTruncated bool          `xml:"IsTruncated"`
	Marker      string        `xml:"Marker,omitempty"`
	Roles       members[Role] `xml:"Roles"`
}

// ListRoles: https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRoles.html
// Like AWS, the list leaves out each role's tags (GetRole has them).
func (s *Service) ListRoles(_ context.Context, in ListRolesInput) (*ListRolesResult, *awswire.Error) {
	byKey := map[string]*roleRecord{}
	var keys []string
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		return tx.ForEach(rolesBucket, "", func(k string, v []byte) error {
			r, err := decodeRecord[roleRecord](v)
			if err != nil {
				return err
			}
			if strings.HasPrefix(r.Path, in.PathPrefix) {
				byKey[k] = r
				keys = append(keys, k)
			}
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
	out := &ListRolesResult{IsTruncated: next != "", Marker: next}
	for _, k := range keys[from:to] {
		out.Roles.Members = append(out.Roles.Members, byKey[k].toXML(false))
	}
	return out, nil
}

// DeleteRole: https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRole.html
// As in AWS, a role with attached or inline policies cannot be deleted (DeleteConflict).
func (s *Service) DeleteRole(_ context.Context, in DeleteRoleInput) (*noResult, *awswire.Error) {
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		if _, err := getRole(tx, in.RoleName); err != nil {
			return err
		}
		if hasAny(tx, attachedBucket, childPrefix(in.RoleName)) {
			return errDeleteConflict("Cannot delete entity, must detach all policies first.")
		}
		if hasAny(tx, rolePoliciesBucket, childPrefix(in.RoleName)) {
			return errDeleteConflict("Cannot delete entity, must delete policies first.")
		}
		return tx.Delete(rolesBucket, roleKey(in.RoleName))
	})
	if err != nil {
		return nil, internal(err)
	}
	return nil, nil
}

// UpdateAssumeRolePolicy: https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAssumeRolePolicy.html
func (s *Service) UpdateAssumeRolePolicy(_ context.Context, in UpdateAssumeRolePolicyInput) (*noResult, *awswire.Error) {
	if e := parseTrust(in.PolicyDocument); e != nil {
		return nil, e
	}
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		r, err := getRole(tx, in.RoleName)
		if err != nil {
			return err
		}
		r.AssumeRolePolicy = in.PolicyDocument
		return tx.Put(rolesBucket, roleKey(in.RoleName), r)
	})
	if err != nil {
		return nil, internal(err)
	}
	return nil, nil
}

// hasAny tells whether bucket holds a key with prefix.
func hasAny(tx *store.Tx, bucket, prefix string) bool {
	found := false
	tx.ForEach(bucket, prefix, func(string, []byte) error {
		found = true
		return store.ErrStop
	})
	return found
}
