package iam

import (
	"errors"
	"unicode"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/iampolicy"
)

// Size quotas of IAM documents, counted without whitespace ("IAM and AWS STS quotas",
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
const (
	maxTrustPolicy   = 2048  // role trust policy length (the default quota)
	maxManagedPolicy = 6144  // managed policy size
	maxRoleInline    = 10240 // all inline policies of a role, together
	maxAttached      = 10    // managed policies attached to a role (the default quota)
)

// policySize counts a document's characters as IAM does for its quotas: whitespace excluded.
func policySize(doc string) int {
	n := 0
	for _, r := range doc {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// parseIdentity parses a permissions policy, answering MalformedPolicyDocument as IAM does.
func parseIdentity(doc string) (*iampolicy.Policy, *awswire.Error) {
	p, err := iampolicy.Parse(doc)
	return p, policyError(err)
}

// parseTrust parses a role trust policy, with its size quota.
func parseTrust(doc string) *awswire.Error {
	if _, err := iampolicy.ParseTrust(doc); err != nil {
		return policyError(err)
	}
	if policySize(doc) > maxTrustPolicy {
		return errLimitExceeded("Cannot exceed quota for ACLSizePerRole: %d", maxTrustPolicy)
	}
	return nil
}

func policyError(err error) *awswire.Error {
	if err == nil {
		return nil
	}
	var pe *iampolicy.Error
	if errors.As(err, &pe) {
		return errMalformedPolicy(pe.Message)
	}
	return errServiceFailure(err)
}
