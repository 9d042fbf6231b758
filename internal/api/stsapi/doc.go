// Package stsapi serves the part of AWS STS that tools call before anything else:
// GetCallerIdentity, which aws-actions/configure-aws-credentials uses to check the credentials
// it was given. It is fargo's smallest Query/XML service.
package stsapi
