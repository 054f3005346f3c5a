package iam

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Version is the awsQuery API version IAM requests carry.
const Version = "2010-05-08"

// XMLNS is the namespace of IAM responses.
const XMLNS = "https://iam.amazonaws.com/doc/2010-05-08/"

// Config is what the IAM service needs from the simulator.
type Config struct {
	Store *store.Store
	// Clock stamps CreateDate/UpdateDate and gives aws:CurrentTime to policy conditions;
	// default the wall clock.
	Clock clock.Clock
	// AccountID is the simulated account (default 000000000000). IAM is global: ARNs carry no
	// Region, and clients sign for "iam" in us-east-1 whatever the simulator's Region.
	AccountID string
	Logger    *slog.Logger
	// RelaxRoleChecks makes Allowed answer true for a role that does not exist in the
	// simulated IAM, for users who never model IAM. Roles that exist are always evaluated.
	RelaxRoleChecks bool
}

// Service is the simulated IAM of one account: roles, their inline and attached policies,
// customer managed policies, and the policy check other services ask before acting with a
// function's execution role (Allowed).
type Service struct {
	cfg   Config
	log   *slog.Logger
	query *awswire.QueryService
}

// New builds the service. IAM has no background work: everything it knows is in the store.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("iam: a store is required")
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real()
	}
	if cfg.AccountID == "" {
		cfg.AccountID = "000000000000"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Service{cfg: cfg, log: cfg.Logger}
	s.query = &awswire.QueryService{Version: Version, XMLNS: XMLNS, MaxBody: maxRequestBody, Ops: s.ops()}
	return s, nil
}

// maxRequestBody bounds a request: the largest document IAM takes (an inline policy of 10,240
// characters, not counting whitespace) URL-encoded twice over, with room to spare.
const maxRequestBody = 1 << 20

// Register adds IAM's routes: awsQuery requests with Version=2010-05-08, and anything signed
// for "iam".
func (s *Service) Register(r *server.Router) {
	r.QueryVersion(Version, s)
	r.Service("iam", s)
}

// ServeHTTP serves the IAM API.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.query.ServeHTTP(w, r) }

// Close releases nothing: IAM runs no goroutines.
func (s *Service) Close() error { return nil }

func (s *Service) ops() map[string]awswire.QueryOp {
	ops := map[string]awswire.QueryOp{
		"CreateRole":               adapt("CreateRole", decodeCreateRole, s.CreateRole),
		"GetRole":                  adapt("GetRole", decodeGetRole, s.GetRole),
		"ListRoles":                adapt("ListRoles", decodeListRoles, s.ListRoles),
		"DeleteRole":               adapt("DeleteRole", decodeDeleteRole, s.DeleteRole),
		"UpdateAssumeRolePolicy":   adapt("UpdateAssumeRolePolicy", decodeUpdateAssumeRolePolicy, s.UpdateAssumeRolePolicy),
		"PutRolePolicy":            adapt("PutRolePolicy", decodePutRolePolicy, s.PutRolePolicy),
		"GetRolePolicy":            adapt("GetRolePolicy", decodeGetRolePolicy, s.GetRolePolicy),
		"DeleteRolePolicy":         adapt("DeleteRolePolicy", decodeDeleteRolePolicy, s.DeleteRolePolicy),
		"ListRolePolicies":         adapt("ListRolePolicies", decodeListRolePolicies, s.ListRolePolicies),
		"CreatePolicy":             adapt("CreatePolicy", decodeCreatePolicy, s.CreatePolicy),
		"GetPolicy":                adapt("GetPolicy", decodeGetPolicy, s.GetPolicy),
		"GetPolicyVersion":         adapt("GetPolicyVersion", decodeGetPolicyVersion, s.GetPolicyVersion),
		"DeletePolicy":             adapt("DeletePolicy", decodeDeletePolicy, s.DeletePolicy),
		"ListPolicies":             adapt("ListPolicies", decodeListPolicies, s.ListPolicies),
		"AttachRolePolicy":         adapt("AttachRolePolicy", decodeAttachRolePolicy, s.AttachRolePolicy),
		"DetachRolePolicy":         adapt("DetachRolePolicy", decodeDetachRolePolicy, s.DetachRolePolicy),
		"ListAttachedRolePolicies": adapt("ListAttachedRolePolicies", decodeListAttachedRolePolicies, s.ListAttachedRolePolicies),
	}
	// IAM's other actions answer a clear InvalidAction, never a silent success; an Action IAM
	// does not have gets awswire's InvalidAction ("The action X is not valid for this web service.").
	for _, a := range unservedActions {
		ops[a] = func(action string) awswire.QueryOp {
			return func(context.Context, url.Values) (any, *awswire.Error) { return nil, errUnservedAction(action) }
		}(a)
	}
	return ops
}

// unservedActions are the role- and policy-related IAM operations (the iam module's
// api_op_*.go files) that tools call around roles and that the simulator does not serve yet.
var unservedActions = []string{
	"TagRole", "UntagRole", "ListRoleTags", "UpdateRole", "UpdateRoleDescription",
	"PutRolePermissionsBoundary", "DeleteRolePermissionsBoundary", "CreatePolicyVersion",
	"DeletePolicyVersion", "ListPolicyVersions", "SetDefaultPolicyVersion", "TagPolicy", "UntagPolicy",
	"ListPolicyTags", "ListEntitiesForPolicy", "ListInstanceProfilesForRole", "CreateServiceLinkedRole",
	"DeleteServiceLinkedRole", "SimulatePrincipalPolicy", "SimulateCustomPolicy", "CreateUser",
	"GetUser", "DeleteUser", "ListUsers", "CreateGroup", "CreateInstanceProfile", "AddRoleToInstanceProfile",
	"RemoveRoleFromInstanceProfile", "DeleteInstanceProfile", "GetInstanceProfile", "CreateAccessKey",
	"AttachUserPolicy", "AttachGroupPolicy", "PutUserPolicy", "PutGroupPolicy", "GetAccountAuthorizationDetails",
}
