// Package store persists fargo's domain objects over a kv.KV.
//
// It is the only package that knows the key layout. Each kind of object lives in a Collection
// under its own prefix, encoded as JSON inside a small versioned envelope. Writes are
// compare-and-swap on the key's revision: Update reads, applies a pure function and writes back,
// retrying when a concurrent writer won, so API handlers and controllers never overwrite each
// other's changes. Writes that must change several objects at once go through a Txn.
package store
