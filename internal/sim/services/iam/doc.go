// Package iam simulates the part of AWS IAM a Lambda user touches: roles and their trust
// policies, inline role policies, customer managed policies and a few AWS managed ones, and
// attachments — and it answers, for the other simulated services, the question AWS asks before
// Lambda acts with a function's execution role: may this role perform this action on this
// resource? (Allowed.)
//
// # Why
//
// AWS checks the execution role before Lambda delivers to a destination (sqs:SendMessage,
// sns:Publish, lambda:InvokeFunction, events:PutEvents, s3:PutObject), uses a dead-letter
// queue, or polls an event source (sqs:ReceiveMessage/DeleteMessage/GetQueueAttributes,
// kinesis:GetRecords/GetShardIterator/DescribeStream/DescribeStreamSummary/ListShards/
// ListStreams, dynamodb:DescribeStream/GetRecords/GetShardIterator/ListStreams). A simulator that
// skipped the check would let a test pass that fails on AWS.
//
// # The API
//
// awsQuery, Version 2010-05-08, namespace https://iam.amazonaws.com/doc/2010-05-08/; routed by
// that Version and by the SigV4 signing name "iam" (IAM is global: clients sign in us-east-1).
// Served: CreateRole, GetRole, ListRoles, DeleteRole, UpdateAssumeRolePolicy, PutRolePolicy,
// GetRolePolicy, DeleteRolePolicy, ListRolePolicies, CreatePolicy, GetPolicy, GetPolicyVersion,
// DeletePolicy, ListPolicies, AttachRolePolicy, DetachRolePolicy, ListAttachedRolePolicies.
// Other IAM actions answer InvalidAction (400), never a silent success. Documents are checked
// at upload as IAM checks them (package iampolicy), answered URL-encoded as IAM answers them,
// and held to IAM's size quotas. Policies have one version, v1 (CreatePolicyVersion is not
// served). The AWS managed policies known are in managed.go, with their documents from the
// AWS Managed Policy Reference Guide.
//
// # The check
//
// Allowed(ctx, roleARN, action, resource) evaluates the role's inline and attached policies
// with iampolicy: explicit Deny wins, then Allow, else implicit deny, and says why it refuses.
// A role that does not exist is refused with a reason (not an error). The trust policy is
// checked at upload but not evaluated: Lambda is taken to be able to assume every role.
//
// # Relaxing the check
//
// Config.RelaxRoleChecks (the simulator's flag) makes Allowed answer true for roles that do not
// exist in the simulated IAM, so users who never model IAM still get their deliveries. A role
// that exists is always evaluated, so modelling a role is how a user opts into the check.
//
// # State
//
// Everything is in the store under "iam/": iam/roles (by lower-cased name: role names are
// unique regardless of case), iam/role-policies and iam/attached (by role, then policy),
// iam/policies (customer managed, by ARN). There is no background work, so nothing to resume.
package iam
