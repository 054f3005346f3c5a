package iam

import (
	"context"
	"encoding/xml"
	"errors"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// CreatePolicyResult is the answer of CreatePolicy.
type CreatePolicyResult struct {
	XMLName xml.Name `xml:"CreatePolicyResult"`
	Policy  Policy   `xml:"Policy"`
}

// CreatePolicy: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html
// A customer managed policy with one version, v1, the default. Policy names are unique in the
// account whatever their path and case.
func (s *Service) CreatePolicy(_ context.Context, in CreatePolicyInput) (*CreatePolicyResult, *awswire.Error) {
	if _, e := parseIdentity(in.PolicyDocument); e != nil {
		return nil, e
	}
	if policySize(in.PolicyDocument) > maxManagedPolicy {
		return nil, errLimitExceeded("Cannot exceed quota for PolicySize: %d", maxManagedPolicy)
	}
	now := s.cfg.Clock.Now().UTC()
	p := &managedPolicy{
		Name:        in.PolicyName,
		ID:          newID("ANPA"),
		Path:        in.Path,
		ARN:         "arn:aws:iam::" + s.cfg.AccountID + ":policy" + in.Path + in.PolicyName,
		Description: in.Description,
		Document:    in.PolicyDocument,
		Created:     now,
		Updated:     now,
		Tags:        in.Tags,
	}
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		taken := false
		err := tx.ForEach(policiesBucket, "", func(_ string, v []byte) error {
			q, err := decodeRecord[managedPolicy](v)
			if err == nil && strings.EqualFold(q.Name, in.PolicyName) {
				taken = true
				return store.ErrStop
			}
			return err
		})
		if err != nil {
			return err
		}
		if taken {
			return errEntityAlreadyExists("A policy called %s already exists. Duplicate names are not allowed.", in.PolicyName)
		}
		return tx.Put(policiesBucket, p.ARN, p)
	})
	if err != nil {
		return nil, internal(err)
	}
	return &CreatePolicyResult{Policy: policyXML(p, 0, true)}, nil
}

func policyXML(p *managedPolicy, attachments int, details bool) Policy {
	out := Policy{
		Arn:              p.ARN,
		AttachmentCount:  attachments,
		CreateDate:       timestamp(p.Created),
		DefaultVersionID: defaultVersion,
		IsAttachable:     true,
		Path:             p.Path,
		PolicyID:         p.ID,
		PolicyName:       p.Name,
		UpdateDate:       timestamp(p.Updated),
	}
	if details {
		out.Description = p.Description
		out.Tags = tagsXML(p.Tags)
	}
	return out
}

func awsPolicyXML(p *awsManagedPolicy, attachments int) Policy {
	return Policy{
		Arn:              p.ARN(),
		AttachmentCount:  attachments,
		CreateDate:       timestamp(p.Created),
		DefaultVersionID: p.Version,
		IsAttachable:     true,
		Path:             p.Path,
		PolicyID:         p.ID(),
		PolicyName:       p.Name,
		UpdateDate:       timestamp(p.Updated),
	}
}

// attachmentCount counts the roles a managed policy is attached to.
func attachmentCount(tx *store.Tx, arn string) int {
	n := 0
	tx.ForEach(attachedBucket, "", func(k string, _ []byte) error {
		if _, a, _ := strings.Cut(k, "/"); a == arn {
			n++
		}
		return nil
	})
	return n
}

// getPolicy reads a customer managed policy; NoSuchEntity when there is none.
func getPolicy(tx *store.Tx, arn string) (*managedPolicy, error) {
	var p managedPolicy
	if err := tx.Get(policiesBucket, arn, &p); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, errNoSuchPolicy(arn)
		}
		return nil, err
	}
	return &p, nil
}

// GetPolicyResult is the answer of GetPolicy.
type GetPolicyResult struct {
	XMLName xml.Name `xml:"GetPolicyResult"`
	Policy  Policy   `xml:"Policy"`
}

// GetPolicy: https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicy.html
// It knows customer managed policies and the AWS managed ones of managed.go.
func (s *Service) GetPolicy(_ context.Context, in GetPolicyInput) (*GetPolicyResult, *awswire.Error) {
	var out Policy
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		if a := findAWSManaged(in.PolicyARN); a != nil {
			out = awsPolicyXML(a, attachmentCount(tx, in.PolicyARN))
			return nil
		}
		p, err := getPolicy(tx, in.PolicyARN)
		if err != nil {
			return err
		}
		out = policyXML(p, attachmentCount(tx, in.PolicyARN), true)
		return nil
	})
	if err != nil {
		return nil, internal(err)
	}
	return &GetPolicyResult{Policy: out}, nil
}

// PolicyVersion is IAM's PolicyVersion shape; Document is URL-encoded, as in AWS.
type PolicyVersion struct {
	CreateDate       string `xml:"CreateDate"`
	Document         string `xml:"Document"`
	IsDefaultVersion bool   `xml:"IsDefaultVersion"`
	VersionID        string `xml:"VersionId"`
}

// GetPolicyVersionResult is the answer of GetPolicyVersion.
type GetPolicyVersionResult struct {
	XMLName       xml.Name      `xml:"GetPolicyVersionResult"`
	PolicyVersion PolicyVersion `xml:"PolicyVersion"`
}

// GetPolicyVersion: https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html
// Each policy has one version: v1 for customer policies, the documented default for AWS ones.
func (s *Service) GetPolicyVersion(_ context.Context, in GetPolicyVersionInput) (*GetPolicyVersionResult, *awswire.Error) {
	if a := findAWSManaged(in.PolicyARN); a != nil {
		if in.VersionID != a.Version {
			return nil, errNoSuchPolicyVersion(in.PolicyARN, in.VersionID)
		}
		return &GetPolicyVersionResult{PolicyVersion: PolicyVersion{CreateDate: timestamp(a.Updated),
			Document: encodeDocument(a.Document), IsDefaultVersion: true, VersionID: a.Version}}, nil
	}
	var p *managedPolicy
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		var err error
		p, err = getPolicy(tx, in.PolicyARN)
		return err
	})
	if err != nil {
		e := internal(err)
		if e.Code == "NoSuchEntity" {
			return nil, errNoSuchPolicyVersion(in.PolicyARN, in.VersionID)
		}
		return nil, e
	}
	if in.VersionID != defaultVersion {
		return nil, errNoSuchPolicyVersion(in.PolicyARN, in.VersionID)
	}
	return &GetPolicyVersionResult{PolicyVersion: PolicyVersion{CreateDate: timestamp(p.Created),
		Document: encodeDocument(p.Document), IsDefaultVersion: true, VersionID: defaultVersion}}, nil
}

// DeletePolicy: https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeletePolicy.html
// A policy attached to a role cannot be deleted (DeleteConflict), nor an AWS managed one.
func (s *Service) DeletePolicy(_ context.Context, in DeletePolicyInput) (*noResult, *awswire.Error) {
	if findAWSManaged(in.PolicyARN) != nil {
		// The simulator's text: AWS refuses it too, its exact answer is not documented.
		return nil, errInvalidInput("The AWS managed policy %s cannot be deleted.", in.PolicyARN)
	}
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		if _, err := getPolicy(tx, in.PolicyARN); err != nil {
			return err
		}
		if attachmentCount(tx, in.PolicyARN) > 0 {
			return errDeleteConflict("Cannot delete a policy attached to entities.")
		}
		return tx.Delete(policiesBucket, in.PolicyARN)
	})
	if err != nil {
		return nil, internal(err)
	}
	return nil, nil
}

// ListPoliciesResult is the answer of ListPolicies.
type ListPoliciesResult struct {
	XMLName     xml.Name        `xml:"ListPoliciesResult"`
	IsTruncated bool            `xml:"IsTruncated"`
	Marker      string          `xml:"Marker,omitempty"`
	Policies    members[Policy] `xml:"Policies"`
}

// ListPolicies: https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListPolicies.html
// Scope All lists the customer policies and the AWS managed ones the simulator knows (not all
// of AWS's). Like AWS, the list leaves out descriptions and tags.
func (s *Service) ListPolicies(_ context.Context, in ListPoliciesInput) (*ListPoliciesResult, *awswire.Error) {
	byARN := map[string]Policy{}
	var keys []string
	add := func(p Policy) {
		if !strings.HasPrefix(p.Path, in.PathPrefix) || (in.OnlyAttached && p.AttachmentCount == 0) {
			return
		}
		byARN[p.Arn] = p
		keys = append(keys, p.Arn)
	}
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		if in.Scope != "Local" {
			for _, a := range awsManagedPolicies {
				add(awsPolicyXML(a, attachmentCount(tx, a.ARN())))
			}
		}
		if in.Scope == "AWS" {
			return nil
		}
		return tx.ForEach(policiesBucket, "", func(k string, v []byte) error {
			p, err := decodeRecord[managedPolicy](v)
			if err == nil {
				add(policyXML(p, attachmentCount(tx, k), false))
			}
			return err
		})
	})
	if err != nil {
		return nil, internal(err)
	}
	from, to, next, e := pageOf(keys, in.Marker, in.MaxItems)
	if e != nil {
		return nil, e
	}
	out := &ListPoliciesResult{IsTruncated: next != "", Marker: next}
	for _, k := range keys[from:to] {
		out.Policies.Members = append(out.Policies.Members, byARN[k])
	}
	return out, nil
}
