// Package ecr is the domain of fargo's container registry as the ECR API sees it: repositories
// with their tag mutability, scanning and encryption settings, resource tags and lifecycle
// policy; images as ECR describes them; the rules that decide whether a push may move a tag and
// which untagged images a lifecycle policy expires; and the authorization tokens that
// GetAuthorizationToken hands out and the registry checks. It is pure: no I/O. Images
// themselves live in the registry's storage (package registry).
package ecr
