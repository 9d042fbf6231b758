// Package memkv is an in-memory kv.KV for tests and for running fargo without a data directory.
//
// Keys live in a map and List sorts them, which is simple and fast enough for the sizes tests
// use. Every change that writes something takes the next revision and is appended to a bounded
// history, from which each watch reads on its own: a writer never waits for a watcher. A watch
// that asks for, or falls behind to, a revision the history no longer holds ends with
// kv.ErrCompacted, and its owner lists again, exactly as it would against etcd after a
// compaction.
package memkv
