// Package iampolicy is the IAM policy language: it parses JSON policy documents (identity
// policies and role trust policies), refuses malformed ones with AWS's MalformedPolicyDocument
// messages, and decides whether a request is allowed by a set of identity-based policies of one
// account, following AWS's evaluation logic: an explicit deny wins, an allow is needed, and the
// default is deny. Patterns and condition values are compiled when a document is parsed, so
// that an evaluation allocates little. It is pure: no I/O, no store.
package iampolicy
