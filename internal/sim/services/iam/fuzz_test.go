package iam

import (
	"net/url"
	"testing"
)

// snapshotBodies are request bodies from the aws-sdk-go-v2 iam module's request_snapshot/*.snap
// (v1.66.0), the seeds of the decoder fuzz target, and realistic ones that pass validation.
var snapshotBodies = []string{
	"Action=CreateRole&AssumeRolePolicyDocument=__AssumeRolePolicyDocument__&Description=__Description__&MaxSessionDuration=1&Path=__Path__&PermissionsBoundary=__PermissionsBoundary__&RoleName=__RoleName__&Tags.member.1.Key=__Key__&Tags.member.1.Value=__Value__&Tags.member.2.Key=__Key__&Tags.member.2.Value=__Value__&Version=2010-05-08",
	"Action=GetRole&RoleName=__RoleName__&Version=2010-05-08",
	"Action=PutRolePolicy&PolicyDocument=__PolicyDocument__&PolicyName=__PolicyName__&RoleName=__RoleName__&Version=2010-05-08",
	"Action=AttachRolePolicy&PolicyArn=__PolicyArn__&RoleName=__RoleName__&Version=2010-05-08",
	"Action=CreatePolicy&Description=__Description__&Path=__Path__&PolicyDocument=__PolicyDocument__&PolicyName=__PolicyName__&Tags.member.1.Key=__Key__&Tags.member.1.Value=__Value__&Tags.member.2.Key=__Key__&Tags.member.2.Value=__Value__&Version=2010-05-08",
	"Action=ListRoles&Marker=__Marker__&MaxItems=1&PathPrefix=__PathPrefix__&Version=2010-05-08",
	"Action=ListPolicies&Marker=__Marker__&MaxItems=1&OnlyAttached=true&PathPrefix=__PathPrefix__&PolicyUsageFilter=PermissionsPolicy&Scope=All&Version=2010-05-08",
	"Action=GetPolicyVersion&PolicyArn=__PolicyArn__&Version=2010-05-08&VersionId=__VersionId__",
	"Action=ListAttachedRolePolicies&Marker=__Marker__&MaxItems=1&PathPrefix=__PathPrefix__&RoleName=__RoleName__&Version=2010-05-08",
	"Action=CreateRole&RoleName=r&Path=%2Fservice-role%2F&AssumeRolePolicyDocument=" + url.QueryEscape(lambdaTrust) + "&Tags.member.1.Key=a&Tags.member.1.Value=b&Version=2010-05-08",
	"Action=PutRolePolicy&RoleName=r&PolicyName=p&PolicyDocument=" + url.QueryEscape(sendDoc) + "&Version=2010-05-08",
	"Action=GetPolicyVersion&PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FAdministratorAccess&VersionId=v1&Version=2010-05-08",
}

// FuzzDecoders feeds arbitrary forms to every request decoder and the policy parsers the
// operations call next; none may panic.
func FuzzDecoders(f *testing.F) {
	for _, b := range snapshotBodies {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		if in, e := decodeCreateRole(form); e == nil {
			parseTrust(in.AssumeRolePolicyDocument)
		}
		decodeGetRole(form)
		decodeDeleteRole(form)
		decodeListRoles(form)
		decodeUpdateAssumeRolePolicy(form)
		if in, e := decodePutRolePolicy(form); e == nil {
			parseIdentity(in.PolicyDocument)
		}
		decodeGetRolePolicy(form)
		decodeDeleteRolePolicy(form)
		decodeListRolePolicies(form)
		decodeCreatePolicy(form)
		decodeGetPolicy(form)
		decodeGetPolicyVersion(form)
		decodeDeletePolicy(form)
		decodeListPolicies(form)
		decodeAttachRolePolicy(form)
		decodeDetachRolePolicy(form)
		decodeListAttachedRolePolicies(form)
		if in, e := decodeListRoles(form); e == nil {
			pageOf([]string{"a", "b", "c"}, in.Marker, in.MaxItems)
		}
	})
}
