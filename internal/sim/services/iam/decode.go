package iam

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// The awsQuery shapes IAM requests use (the iam module's request_snapshot/*.snap, v1.66.0):
// plain members (RoleName=...&Path=...), Tags.member.N.Key / .Value, and policy documents
// as form values (URL-encoded JSON on the wire, plain JSON once the form is decoded).

// Constraints of the IAM API reference (shapes roleNameType, pathType, policyNameType, ...).
var (
	namePattern       = regexp.MustCompile(`^[\w+=,.@-]+$`)
	pathPattern       = regexp.MustCompile(`^(/|/[\x21-\x7E]+/)$`)
	pathPrefixPattern = regexp.MustCompile(`^/[\x21-\x7F]*$`)
	versionPattern    = regexp.MustCompile(`^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$`)
)

const (
	maxRoleName    = 64
	maxPolicyName  = 128
	maxPath        = 512
	maxDescription = 1000
	maxDocument    = 131072
	maxTags        = 50
)

// name checks a RoleName or PolicyName member.
func name(form url.Values, member, wire string, max int) (string, *awswire.Error) {
	v, ok := form[wire]
	if !ok || len(v) == 0 {
		return "", errMissing(member)
	}
	s := v[0]
	if n := utf8.RuneCountInString(s); n < 1 || n > max {
		return "", errValidation(member, s, "Member must have length less than or equal to "+strconv.Itoa(max))
	}
	if !namePattern.MatchString(s) {
		return "", errValidation(member, s, `Member must satisfy regular expression pattern: [\w+=,.@-]+`)
	}
	return s, nil
}

// path reads a Path member: default "/", else starting and ending with a slash.
func path(form url.Values) (string, *awswire.Error) {
	p := form.Get("Path")
	if _, ok := form["Path"]; !ok {
		return "/", nil
	}
	if len(p) < 1 || len(p) > maxPath {
		return "", errValidation("path", p, "Member must have length less than or equal to 512")
	}
	if !pathPattern.MatchString(p) {
		return "", errValidation("path", p, `Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)`)
	}
	return p, nil
}

func pathPrefix(form url.Values) (string, *awswire.Error) {
	p, ok := form["PathPrefix"]
	if !ok || len(p) == 0 {
		return "/", nil
	}
	if len(p[0]) < 1 || len(p[0]) > maxPath || !pathPrefixPattern.MatchString(p[0]) {
		return "", errValidation("pathPrefix", p[0], `Member must satisfy regular expression pattern: \u002F[\u0021-\u007F]*`)
	}
	return p[0], nil
}

func document(form url.Values, member, wire string) (string, *awswire.Error) {
	v, ok := form[wire]
	if !ok || len(v) == 0 {
		return "", errMissing(member)
	}
	if len(v[0]) < 1 || len(v[0]) > maxDocument {
		return "", errValidation(member, "", "Member must have length less than or equal to 131072")
	}
	return v[0], nil
}

func description(form url.Values) (string, *awswire.Error) {
	d := form.Get("Description")
	if utf8.RuneCountInString(d) > maxDescription {
		return "", errValidation("description", d, "Member must have length less than or equal to 1000")
	}
	return d, nil
}

func policyARN(form url.Values) (string, *awswire.Error) {
	v, ok := form["PolicyArn"]
	if !ok || len(v) == 0 {
		return "", errMissing("policyArn")
	}
	if len(v[0]) < 20 || len(v[0]) > 2048 {
		return "", errValidation("policyArn", v[0], "Member must have length greater than or equal to 20")
	}
	return v[0], nil
}

// tags reads Tags.member.N.Key/Value: at most 50, keys 1-128 characters, values up to 256,
// keys unique regardless of case.
func tags(form url.Values) ([]Tag, *awswire.Error) {
	var out []Tag
	seen := map[string]bool{}
	for _, e := range awswire.QueryStructList(form, "Tags.member") {
		t := Tag{Key: e["Key"], Value: e["Value"]}
		if n := utf8.RuneCountInString(t.Key); n < 1 || n > 128 {
			return nil, errValidation("tags.member.key", t.Key, "Member must have length less than or equal to 128")
		}
		if utf8.RuneCountInString(t.Value) > 256 {
			return nil, errValidation("tags.member.value", t.Value, "Member must have length less than or equal to 256")
		}
		k := strings.ToLower(t.Key)
		if seen[k] {
			return nil, errInvalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[k] = true
		out = append(out, t)
	}
	if len(out) > maxTags {
		return nil, errLimitExceeded("The number of tags has reached the maximum limit.")
	}
	return out, nil
}

// CreateRoleInput: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
type CreateRoleInput struct {
	RoleName                 string
	Path                     string
	AssumeRolePolicyDocument string
	Description              string
	MaxSessionDuration       int
	Tags                     []Tag
}

func decodeCreateRole(form url.Values) (CreateRoleInput, *awswire.Error) {
	var in CreateRoleInput
	var e *awswire.Error
	if in.RoleName, e = name(form, "roleName", "RoleName", maxRoleName); e != nil {
		return in, e
	}
	if in.Path, e = path(form); e != nil {
		return in, e
	}
	if in.AssumeRolePolicyDocument, e = document(form, "assumeRolePolicyDocument", "AssumeRolePolicyDocument"); e != nil {
		return in, e
	}
	if in.Description, e = description(form); e != nil {
		return in, e
	}
	in.MaxSessionDuration = 3600
	if v := form.Get("MaxSessionDuration"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 3600 || n > 43200 {
			return in, errValidation("maxSessionDuration", v, "Member must have value between 3600 and 43200")
		}
		in.MaxSessionDuration = n
	}
	if _, ok := form["PermissionsBoundary"]; ok {
		return in, errUnservedAction("CreateRole with a PermissionsBoundary")
	}
	in.Tags, e = tags(form)
	return in, e
}

// roleNameInput is the input of the operations that take only a role name.
type roleNameInput struct{ RoleName string }

// GetRoleInput: https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html
type GetRoleInput roleNameInput

// DeleteRoleInput: https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRole.html
type DeleteRoleInput roleNameInput

func decodeRoleName(form url.Values) (roleNameInput, *awswire.Error) {
	n, e := name(form, "roleName", "RoleName", maxRoleName)
	return roleNameInput{RoleName: n}, e
}

func decodeGetRole(form url.Values) (GetRoleInput, *awswire.Error) {
	in, e := decodeRoleName(form)
	return GetRoleInput(in), e
}

func decodeDeleteRole(form url.Values) (DeleteRoleInput, *awswire.Error) {
	in, e := decodeRoleName(form)
	return DeleteRoleInput(in), e
}

// listInput is the paging members every List* operation takes.
type listInput struct {
	PathPrefix string
	Marker     string
	MaxItems   int
}

func decodeList(form url.Values) (listInput, *awswire.Error) {
	var in listInput
	var e *awswire.Error
	if in.PathPrefix, e = pathPrefix(form); e != nil {
		return in, e
	}
	in.Marker = form.Get("Marker")
	in.MaxItems, e = parseMaxItems(form)
	return in, e
}

// ListRolesInput: https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRoles.html
type ListRolesInput listInput

func decodeListRoles(form url.Values) (ListRolesInput, *awswire.Error) {
	in, e := decodeList(form)
	return ListRolesInput(in), e
}

// UpdateAssumeRolePolicyInput: https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAssumeRolePolicy.html
type UpdateAssumeRolePolicyInput struct {
	RoleName       string
	PolicyDocument string
}

func decodeUpdateAssumeRolePolicy(form url.Values) (UpdateAssumeRolePolicyInput, *awswire.Error) {
	var in UpdateAssumeRolePolicyInput
	var e *awswire.Error
	if in.RoleName, e = name(form, "roleName", "RoleName", maxRoleName); e != nil {
		return in, e
	}
	in.PolicyDocument, e = document(form, "policyDocument", "PolicyDocument")
	return in, e
}

// rolePolicyInput names one inline policy of a role.
type rolePolicyInput struct {
	RoleName   string
	PolicyName string
}

func decodeRolePolicy(form url.Values) (rolePolicyInput, *awswire.Error) {
	var in rolePolicyInput
	var e *awswire.Error
	if in.RoleName, e = name(form, "roleName", "RoleName", maxRoleName); e != nil {
		return in, e
	}
	in.PolicyName, e = name(form, "policyName", "PolicyName", maxPolicyName)
	return in, e
}

// PutRolePolicyInput: https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html
type PutRolePolicyInput struct {
	RoleName       string
	PolicyName     string
	PolicyDocument string
}

func decodePutRolePolicy(form url.Values) (PutRolePolicyInput, *awswire.Error) {
	rp, e := decodeRolePolicy(form)
	if e != nil {
		return PutRolePolicyInput{}, e
	}
	doc, e := document(form, "policyDocument", "PolicyDocument")
	return PutRolePolicyInput{RoleName: rp.RoleName, PolicyName: rp.PolicyName, PolicyDocument: doc}, e
}

// GetRolePolicyInput: https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html
type GetRolePolicyInput rolePolicyInput

func decodeGetRolePolicy(form url.Values) (GetRolePolicyInput, *awswire.Error) {
	in, e := decodeRolePolicy(form)
	return GetRolePolicyInput(in), e
}

// DeleteRolePolicyInput: https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRolePolicy.html
type DeleteRolePolicyInput rolePolicyInput

func decodeDeleteRolePolicy(form url.Values) (DeleteRolePolicyInput, *awswire.Error) {
	in, e := decodeRolePolicy(form)
	return DeleteRolePolicyInput(in), e
}

// roleListInput is a List* input scoped to one role.
type roleListInput struct {
	RoleName string
	listInput
}

func decodeRoleList(form url.Values) (roleListInput, *awswire.Error) {
	var in roleListInput
	var e *awswire.Error
	if in.RoleName, e = name(form, "roleName", "RoleName", maxRoleName); e != nil {
		return in, e
	}
	in.listInput, e = decodeList(form)
	return in, e
}

// ListRolePoliciesInput: https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRolePolicies.html
type ListRolePoliciesInput roleListInput

func decodeListRolePolicies(form url.Values) (ListRolePoliciesInput, *awswire.Error) {
	in, e := decodeRoleList(form)
	return ListRolePoliciesInput(in), e
}

// ListAttachedRolePoliciesInput: https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAttachedRolePolicies.html
type ListAttachedRolePoliciesInput roleListInput

func decodeListAttachedRolePolicies(form url.Values) (ListAttachedRolePoliciesInput, *awswire.Error) {
	in, e := decodeRoleList(form)
	return ListAttachedRolePoliciesInput(in), e
}

// CreatePolicyInput: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html
type CreatePolicyInput struct {
	PolicyName     string
	Path           string
	PolicyDocument string
	Description    string
	Tags           []Tag
}

func decodeCreatePolicy(form url.Values) (CreatePolicyInput, *awswire.Error) {
	var in CreatePolicyInput
	var e *awswire.Error
	if in.PolicyName, e = name(form, "policyName", "PolicyName", maxPolicyName); e != nil {
		return in, e
	}
	if in.Path, e = path(form); e != nil {
		return in, e
	}
	if in.PolicyDocument, e = document(form, "policyDocument", "PolicyDocument"); e != nil {
		return in, e
	}
	if in.Description, e = description(form); e != nil {
		return in, e
	}
	in.Tags, e = tags(form)
	return in, e
}

// policyARNInput is the input of the operations that take only a policy ARN.
type policyARNInput struct{ PolicyARN string }

// GetPolicyInput: https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicy.html
type GetPolicyInput policyARNInput

// DeletePolicyInput: https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeletePolicy.html
type DeletePolicyInput policyARNInput

func decodeGetPolicy(form url.Values) (GetPolicyInput, *awswire.Error) {
	a, e := policyARN(form)
	return GetPolicyInput{PolicyARN: a}, e
}

func decodeDeletePolicy(form url.Values) (DeletePolicyInput, *awswire.Error) {
	a, e := policyARN(form)
	return DeletePolicyInput{PolicyARN: a}, e
}

// GetPolicyVersionInput: https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html
type GetPolicyVersionInput struct {
	PolicyARN string
	VersionID string
}

func decodeGetPolicyVersion(form url.Values) (GetPolicyVersionInput, *awswire.Error) {
	var in GetPolicyVersionInput
	var e *awswire.Error
	if in.PolicyARN, e = policyARN(form); e != nil {
		return in, e
	}
	v, ok := form["VersionId"]
	if !ok || len(v) == 0 {
		return in, errMissing("versionId")
	}
	if !versionPattern.MatchString(v[0]) {
		return in, errValidation("versionId", v[0], `Member must satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`)
	}
	in.VersionID = v[0]
	return in, nil
}

// ListPoliciesInput: https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListPolicies.html
type ListPoliciesInput struct {
	listInput
	Scope        string // All (default), AWS, Local
	OnlyAttached bool
}

func decodeListPolicies(form url.Values) (ListPoliciesInput, *awswire.Error) {
	var in ListPoliciesInput
	var e *awswire.Error
	if in.listInput, e = decodeList(form); e != nil {
		return in, e
	}
	in.Scope = form.Get("Scope")
	switch in.Scope {
	case "":
		in.Scope = "All"
	case "All", "AWS", "Local":
	default:
		return in, errValidation("scope", in.Scope, "Member must satisfy enum value set: [All, AWS, Local]")
	}
	switch v := form.Get("OnlyAttached"); v {
	case "", "false":
	case "true":
		in.OnlyAttached = true
	default:
		return in, errValidation("onlyAttached", v, "Member must be a boolean")
	}
	if u := form.Get("PolicyUsageFilter"); u != "" && u != "PermissionsPolicy" && u != "PermissionsBoundary" {
		return in, errValidation("policyUsageFilter", u, "Member must satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]")
	}
	return in, nil
}

// rolePolicyARNInput names a role and a managed policy.
type rolePolicyARNInput struct {
	RoleName  string
	PolicyARN string
}

// AttachRolePolicyInput: https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html
type AttachRolePolicyInput rolePolicyARNInput

// DetachRolePolicyInput: https://docs.aws.amazon.com/IAM/latest/APIReference/API_DetachRolePolicy.html
type DetachRolePolicyInput rolePolicyARNInput

func decodeRolePolicyARN(form url.Values) (rolePolicyARNInput, *awswire.Error) {
	var in rolePolicyARNInput
	var e *awswire.Error
	if in.RoleName, e = name(form, "roleName", "RoleName", maxRoleName); e != nil {
		return in, e
	}
	in.PolicyARN, e = policyARN(form)
	return in, e
}

func decodeAttachRolePolicy(form url.Values) (AttachRolePolicyInput, *awswire.Error) {
	in, e := decodeRolePolicyARN(form)
	return AttachRolePolicyInput(in), e
}

func decodeDetachRolePolicy(form url.Values) (DetachRolePolicyInput, *awswire.Error) {
	in, e := decodeRolePolicyARN(form)
	return DetachRolePolicyInput(in), e
}
