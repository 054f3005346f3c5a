package lambda

import (
	"context"
	"net/http"
	"regexp"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// A function's resource-based policy says who may invoke it. Policies are kept per qualifier, as
// on AWS: a statement added with Qualifier=x belongs to version (or alias) x and is returned by
// GetPolicy with Qualifier=x only; statements added without a qualifier (or with $LATEST) belong
// to the function. The policy's RevisionId is the RevisionId of the version it belongs to, and
// every change to the policy gives that version a new one.

// policyMaxBytes is the size limit of a resource-based policy (20 KB).
const policyMaxBytes = 20480

const (
	statementIDPattern   = `([a-zA-Z0-9-_.]+)`
	actionPattern        = `(lambda:[*]|lambda:[a-zA-Z]+|[*])`
	sourceAccountPattern = `\d{12}`
	principalOrgPattern  = `^o-[a-z0-9]{10,32}$`
	eventTokenPattern    = `[a-zA-Z0-9._\-]+`
)

var (
	statementIDRE   = regexp.MustCompile(`^[a-zA-Z0-9-_.]{1,100}$`)
	actionRE        = regexp.MustCompile(`^` + actionPattern + `$`)
	sourceAccountRE = regexp.MustCompile(`^` + sourceAccountPattern + `$`)
	principalOrgRE  = regexp.MustCompile(principalOrgPattern)
	eventTokenRE    = regexp.MustCompile(`^` + eventTokenPattern + `$`)
	accountIDRE     = regexp.MustCompile(`^\d{12}$`)
)

// Policy is a resource-based policy document, as GetPolicy returns it (a JSON string).
type Policy struct {
	Version   string            `json:"Version"`
	ID        string            `json:"Id"`
	Statement []PolicyStatement `json:"Statement"`
}

// PolicyStatement is one permission, in the form Lambda writes AddPermission's parameters.
type PolicyStatement struct {
	Sid       string                       `json:"Sid"`
	Effect    string                       `json:"Effect"`
	Principal any                          `json:"Principal"`
	Action    string                       `json:"Action"`
	Resource  string                       `json:"Resource"`
	Condition map[string]map[string]string `json:"Condition,omitempty"`
}

// AddPermissionInput is the body of AddPermission.
type AddPermissionInput struct {
	FunctionName          string `json:"-"`
	Qualifier             string `json:"-"`
	StatementID           string `json:"StatementId"`
	Action                string `json:"Action"`
	Principal             string `json:"Principal"`
	SourceARN             string `json:"SourceArn,omitempty"`
	SourceAccount         string `json:"SourceAccount,omitempty"`
	EventSourceToken      string `json:"EventSourceToken,omitempty"`
	RevisionID            string `json:"RevisionId,omitempty"`
	PrincipalOrgID        string `json:"PrincipalOrgID,omitempty"`
	FunctionURLAuthType   string `json:"FunctionUrlAuthType,omitempty"`
	InvokedViaFunctionURL *bool  `json:"InvokedViaFunctionUrl,omitempty"`
}

func (in *AddPermissionInput) setFunctionName(s string) { in.FunctionName = s }
func (in *AddPermissionInput) setQualifier(s string)    { in.Qualifier = s }

// AddPermissionOutput is the statement added, as a JSON string.
type AddPermissionOutput struct {
	Statement string `json:"Statement"`
}

// AddPermission grants a principal (an AWS service, an account, or everyone) permission to use
// the function, optionally only for one version and from one source.
// https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html
func (s *Service) AddPermission(_ context.Context, in *AddPermissionInput) (*AddPermissionOutput, *awswire.Error) {
	if e := in.validate(); e != nil {
		return nil, e
	}
	ref, e := parseFunctionName(in.FunctionName, true)
	if e != nil {
		return nil, e
	}
	if ref, e = ref.withQualifier(in.Qualifier); e != nil {
		return nil, e
	}
	principal, e := policyPrincipal(in.Principal)
	if e != nil {
		return nil, e
	}
	st := PolicyStatement{
		Sid:       in.StatementID,
		Effect:    "Allow",
		Principal: principal,
		Action:    in.Action,
		Resource:  s.qualifiedARN(ref.Name, ref.Qualifier),
	}
	cond := func(op, key, value string) {
		if st.Condition == nil {
			st.Condition = map[string]map[string]string{}
		}
		if st.Condition[op] == nil {
			st.Condition[op] = map[string]string{}
		}
		st.Condition[op][key] = value
	}
	if in.SourceAccount != "" {
		cond("StringEquals", "AWS:SourceAccount", in.SourceAccount)
	}
	if in.EventSourceToken != "" {
		cond("StringEquals", "lambda:EventSourceToken", in.EventSourceToken)
	}
	if in.PrincipalOrgID != "" {
		cond("StringEquals", "aws:PrincipalOrgID", in.PrincipalOrgID)
	}
	if in.FunctionURLAuthType != "" {
		cond("StringEquals", "lambda:FunctionUrlAuthType", in.FunctionURLAuthType)
	}
	if in.InvokedViaFunctionURL != nil && *in.InvokedViaFunctionURL {
		cond("Bool", "lambda:InvokedViaFunctionUrl", "true")
	}
	if in.SourceARN != "" {
		cond("ArnLike", "AWS:SourceArn", in.SourceARN)
	}

	e = s.update(func(tx *store.Tx) error {
		t, err := s.resolve(tx, ref)
		if err != nil {
			return err
		}
		rev := t.revisionID()
		if in.RevisionID != "" && in.RevisionID != *rev {
			return abort(preconditionFailed())
		}
		pol, err := getPolicy(tx, ref.Name, ref.Qualifier)
		if err != nil {
			return err
		}
		if pol == nil {
			pol = &policyRecord{}
		}
		for _, existing := range pol.Statements {
			if existing.Sid == in.StatementID {
				return abort(conflict("The statement id (%s) provided already exists. Please provide a new statement id, or remove the existing statement.", in.StatementID))
			}
		}
		pol.Statements = append(pol.Statements, st)
		if size := len(mustJSON(policyDocument(pol))); size > policyMaxBytes {
			return abort(lambdaError(http.StatusBadRequest, "PolicyLengthExceededException",
				"The final policy size (%d) is bigger than the limit (%d).", size, policyMaxBytes))
		}
		if err := putPolicy(tx, ref.Name, ref.Qualifier, pol); err != nil {
			return err
		}
		*rev = awswire.NewUUID()
		return t.save(tx)
	})
	if e != nil {
		return nil, e
	}
	return &AddPermissionOutput{Statement: mustJSON(st)}, nil
}

func (in *AddPermissionInput) validate() *awswire.Error {
	var v validation
	if !statementIDRE.MatchString(in.StatementID) {
		v.pattern("statementId", in.StatementID, statementIDPattern)
	}
	if !actionRE.MatchString(in.Action) {
		v.pattern("action", in.Action, actionPattern)
	}
	if in.Principal == "" || strings.ContainsAny(in.Principal, " \t\r\n") {
		v.pattern("principal", in.Principal, `[^\s]+`)
	}
	if in.SourceAccount != "" && !sourceAccountRE.MatchString(in.SourceAccount) {
		v.pattern("sourceAccount", in.SourceAccount, sourceAccountPattern)
	}
	if in.PrincipalOrgID != "" && !principalOrgRE.MatchString(in.PrincipalOrgID) {
		v.pattern("principalOrgID", in.PrincipalOrgID, principalOrgPattern)
	}
	if in.EventSourceToken != "" && !eventTokenRE.MatchString(in.EventSourceToken) {
		v.pattern("eventSourceToken", in.EventSourceToken, eventTokenPattern)
	}
	if in.FunctionURLAuthType != "" && in.FunctionURLAuthType != "NONE" && in.FunctionURLAuthType != "AWS_IAM" {
		v.enum("functionUrlAuthType", in.FunctionURLAuthType, "NONE", "AWS_IAM")
	}
	if in.SourceARN != "" && !strings.HasPrefix(in.SourceARN, "arn:") {
		v.pattern("sourceArn", in.SourceARN, `arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:([a-z]{2}(-gov)?-[a-z]+-\d{1})?:(\d{12})?:(.*)`)
	}
	return v.err()
}

// policyPrincipal writes AddPermission's Principal as a policy does: a service principal as
// {"Service": ...}, an account or IAM ARN as {"AWS": ...}, everyone as "*".
func policyPrincipal(p string) (any, *awswire.Error) {
	switch {
	case p == "*":
		return "*", nil
	case accountIDRE.MatchString(p):
		return map[string]string{"AWS": "arn:aws:iam::" + p + ":root"}, nil
	case strings.HasPrefix(p, "arn:"):
		return map[string]string{"AWS": p}, nil
	case strings.Contains(p, "."):
		return map[string]string{"Service": p}, nil
	}
	return nil, invalidParameter("The provided principal was invalid. Please check the principal and try again.")
}

func policyDocument(pol *policyRecord) Policy {
	return Policy{Version: "2012-10-17", ID: "default", Statement: pol.Statements}
}

// save stores the target's configuration after a change to it.
func (t *target) save(tx *store.Tx) error {
	if t.alias != nil {
		return putAlias(tx, t.fn.Config.FunctionName, t.alias)
	}
	if t.ver != nil {
		return putVersion(tx, t.fn.Config.FunctionName, t.ver)
	}
	return putFunction(tx, t.fn)
}

// GetPolicyInput names a function and, optionally, a qualifier.
type GetPolicyInput = GetFunctionInput

// GetPolicyOutput is the policy as a JSON string, and its revision.
type GetPolicyOutput struct {
	Policy     string `json:"Policy"`
	RevisionID string `json:"RevisionId"`
}

// GetPolicy: https://docs.aws.amazon.com/lambda/latest/api/API_GetPolicy.html
func (s *Service) GetPolicy(_ context.Context, in *GetPolicyInput) (*GetPolicyOutput, *awswire.Error) {
	ref, e := parseFunctionName(in.FunctionName, true)
	if e != nil {
		return nil, e
	}
	if ref, e = ref.withQualifier(in.Qualifier); e != nil {
		return nil, e
	}
	var out *GetPolicyOutput
	e = s.view(func(tx *store.Tx) error {
		t, err := s.resolve(tx, ref)
		if err != nil {
			return err
		}
		pol, err := getPolicy(tx, ref.Name, ref.Qualifier)
		if err != nil {
			return err
		}
		if pol == nil {
			return abort(notFound("The resource you requested does not exist."))
		}
		out = &GetPolicyOutput{Policy: mustJSON(policyDocument(pol)), RevisionID: *t.revisionID()}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}

// RemovePermissionInput names the statement to remove.
type RemovePermissionInput struct {
	FunctionName string
	StatementID  string
	Qualifier    string
	RevisionID   string
}

func bindRemovePermission(r *http.Request, in *RemovePermissionInput) {
	q := r.URL.Query()
	in.FunctionName, in.StatementID = r.PathValue("FunctionName"), r.PathValue("StatementId")
	in.Qualifier, in.RevisionID = q.Get("Qualifier"), q.Get("RevisionId")
}

// RemovePermission removes one statement from the policy of the function or of the qualifier.
// https://docs.aws.amazon.com/lambda/latest/api/API_RemovePermission.html
func (s *Service) RemovePermission(_ context.Context, in *RemovePermissionInput) (*struct{}, *awswire.Error) {
	ref, e := parseFunctionName(in.FunctionName, true)
	if e != nil {
		return nil, e
	}
	if ref, e = ref.withQualifier(in.Qualifier); e != nil {
		return nil, e
	}
	e = s.update(func(tx *store.Tx) error {
		t, err := s.resolve(tx, ref)
		if err != nil {
			return err
		}
		rev := t.revisionID()
		if in.RevisionID != "" && in.RevisionID != *rev {
			return abort(preconditionFailed())
		}
		pol, err := getPolicy(tx, ref.Name, ref.Qualifier)
		if err != nil {
			return err
		}
		if pol == nil {
			return abort(notFound("No policy is associated with the given resource."))
		}
		kept := pol.Statements[:0]
		for _, st := range pol.Statements {
			if st.Sid != in.StatementID {
				kept = append(kept, st)
			}
		}
		if len(kept) == len(pol.Statements) {
			return abort(notFound("Statement %s is not found in resource policy.", in.StatementID))
		}
		pol.Statements = kept
		if err := putPolicy(tx, ref.Name, ref.Qualifier, pol); err != nil {
			return err
		}
		*rev = awswire.NewUUID()
		return t.save(tx)
	})
	if e != nil {
		return nil, e
	}
	return nil, nil
}
