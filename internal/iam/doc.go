// Package iam is the domain of AWS Identity and Access Management as fargo serves it: users
// with their access keys, tags and group memberships, groups, roles with their trust policies,
// customer managed policies with their versions, the AWS managed policies (embedded), and the
// rules and limits IAM applies to each. It is pure: no I/O, no goroutines; ids and times are
// inputs. Secret access keys never appear in plain text here: an AccessKey holds its secret
// sealed by a key outside the store (internal/credentials).
package iam
