// Package credentials keeps the access key pair that signs requests to a fargo server. The pair
// is generated on the server's first start into its data directory (mode 0600) and can be
// rotated; a running server notices a rotation on the next request signed with the new key.
package credentials
