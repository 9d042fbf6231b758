// Package iamapi serves the AWS IAM Query API (version 2010-05-08, signing name "iam") over
// the store: users and their access keys and tags, groups and memberships, customer managed
// policies and their versions, the AWS managed policies (read-only), attached and inline
// policies of users, groups and roles, roles with their trust policies, and
// GetAccountAuthorizationDetails. IAM is global: its ARNs name no region.
//
// Secret access keys are sealed (Deps.Secrets) before they reach the store, and are returned
// once, by CreateAccessKey. Policy documents are answered URL-encoded, as IAM answers them.
package iamapi
