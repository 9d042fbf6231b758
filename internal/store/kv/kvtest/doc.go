// Package kvtest is the conformance suite of the kv contract. Every kv.KV implementation runs
// Run against fresh instances of itself, so the store above it behaves the same on all of them.
//
// The suite pins behaviour the contract leaves to a careful reading:
//   - a fresh store's revision is positive, so a List revision is always a valid Watch start;
//   - a successful Txn that changes something takes exactly one new revision, shared by all of
//     its writes, and one WatchResponse carries all of its events in op order;
//   - a Txn that changes nothing (no ops, or only deletes of missing keys) keeps the revision;
//   - a delete event carries the key, the delete revision and nothing else;
//   - Watch with fromRev 0 sees every change made after Watch returns;
//   - etcd's request rules hold everywhere: keys are not empty, a Txn writes a key at most once
//     (deleting it twice is fine) and has at most 128 conds and 128 ops, or it fails with
//     errdefs.ErrInvalidArgument.
package kvtest
