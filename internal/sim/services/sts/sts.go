// Package sts serves the one STS operation the provider needs: GetCallerIdentity, which it calls at
// configure time to learn the account id. Every other action answers STS's unknown-action error.
package sts

import (
	"encoding/xml"
	"net/http"
	"net/url"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// Version is the awsQuery API version STS requests carry.
const Version = "2011-06-15"

const xmlns = "https://sts.amazonaws.com/doc/2011-06-15/"

// Service answers STS requests for one simulated account.
type Service struct {
	accountID string
}

// New returns STS for accountID.
func New(accountID string) *Service { return &Service{accountID: accountID} }

func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := awswire.RequestID(r.Context())
	if err := r.ParseForm(); err != nil {
		awswire.WriteQueryError(w, reqID, awswire.Errorf(http.StatusBadRequest, "MalformedQueryString", "%v", err))
		return
	}
	action := r.Form.Get("Action")
	switch action {
	case "GetCallerIdentity":
		awswire.WriteQueryResult(w, reqID, action, xmlns, s.GetCallerIdentity(r.Form))
	default:
		awswire.WriteQueryError(w, reqID, awswire.Errorf(http.StatusBadRequest, "InvalidAction",
			"Could not find operation %s for version %s", action, Version))
	}
}

// GetCallerIdentityResult is the answer of GetCallerIdentity.
type GetCallerIdentityResult struct {
	XMLName xml.Name `xml:"GetCallerIdentityResult"`
	Account string   `xml:"Account"`
	Arn     string   `xml:"Arn"`
	UserID  string   `xml:"UserId"`
}

// GetCallerIdentity: https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
// The simulator has one principal, the account's root user.
func (s *Service) GetCallerIdentity(url.Values) GetCallerIdentityResult {
	return GetCallerIdentityResult{
		Account: s.accountID,
		Arn:     "arn:aws:iam::" + s.accountID + ":root",
		UserID:  s.accountID,
	}
}
