// Package registry is fargo's container registry: the OCI distribution API at /v2/ on the API
// address, served by CNCF distribution (github.com/distribution/distribution/v3) as a library
// over a filesystem store under the data directory. fargo adds what makes it ECR: clients
// authenticate with the tokens of ECR's GetAuthorizationToken (HTTP Basic AWS:<token>, or the
// Bearer token flow), only repositories created through the ECR API exist, tags of immutable
// repositories cannot move, and lifecycle policies expire untagged images after pushes and
// periodically. It also answers the ECR API's questions about images, reading them from the
// same storage. docs/registry.md explains the choices.
package registry
