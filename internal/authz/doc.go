// Package authz is the authorization table of fargo's API and the decision made with it: for
// every operation fargo serves, the IAM action it needs, the type of resource that action is
// checked on (as AWS's Service Authorization Reference defines it) and whether it passes roles
// (iam:PassRole); and Check, which evaluates one call under the caller's identity-based
// policies with package iampolicy and answers with AWS's AccessDenied message.
//
// It is pure, like iampolicy: the API layer decodes a request, resolves the names in it to
// ARNs (with the ResourceType of the operation's Rule), and hands them over in a Call. It is a
// package of its own rather than part of iampolicy because it knows fargo's services and
// their resource types, while iampolicy knows only the policy language.
package authz
