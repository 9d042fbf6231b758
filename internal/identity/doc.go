// Package identity answers who signed a request: given an access key id, the secret that
// verifies its signature and the principal it belongs to, the account's root (the server's own
// key, internal/credentials) or an IAM user, with the user's tags and every policy that
// applies to it (attached managed policies, inline ones, and those of its groups).
//
// A Directory answers from memory: store informers over IAM users, groups, managed policies
// and access keys keep it current, so a key that is deactivated or deleted on any server
// sharing the store stops working here as soon as the watch delivers the change. It also
// notes when each key was used and writes that to the store in batches, not once per request.
package identity
