package kv

import "context"

// KeyValue is one stored key with the revisions of its last change and its creation.
type KeyValue struct {
	Key   string
	Value []byte
	// ModRevision is the store revision of the last write of this key.
	ModRevision int64
	// CreateRevision is the store revision at which the key was created (last put after absence).
	CreateRevision int64
}

// Cond is a precondition of a transaction on one key's ModRevision. ModRevision 0 means the key
// must not exist.
type Cond struct {
	Key         string
	ModRevision int64
}

// Op is a write in a transaction: a put of Value, or a delete when Delete is set. Deleting a
// missing key is not an error.
type Op struct {
	Key    string
	Value  []byte
	Delete bool
}

// EventType says what happened to a key.
type EventType int

// The event types.
const (
	EventPut EventType = iota + 1
	EventDelete
)

// Event is one change seen by a watch. For EventDelete, KV.Value is empty and KV.ModRevision is
// the revision of the delete.
type Event struct {
	Type EventType
	KV   KeyValue
}

// WatchResponse is a batch of events of one revision, or the error that ended the watch (for
// example ErrCompacted). A watch channel is closed after an error or when its context ends.
type WatchResponse struct {
	Events []Event
	// Revision is the store revision of the events.
	Revision int64
	Err      error
}

// KV is the contract. Every method is safe for concurrent use. A write returns only after it is
// durable for the implementation (memkv: in memory; etcdkv: committed by the etcd quorum).
type KV interface {
	// Get returns the key, or an error of kind errdefs.ErrNotFound.
	Get(ctx context.Context, key string) (KeyValue, error)
	// List returns every key with the prefix in key order, and the store revision it read at.
	List(ctx context.Context, prefix string) ([]KeyValue, int64, error)
	// Txn applies ops atomically if every cond holds and returns the new store revision. When a
	// cond fails nothing is written and the error is of kind errdefs.ErrConflict.
	Txn(ctx context.Context, conds []Cond, ops []Op) (int64, error)
	// Watch streams the changes of keys with the prefix that happen after revision fromRev
	// (events with revision > fromRev). fromRev 0 means from now. If fromRev was compacted, the
	// first response carries ErrCompacted.
	Watch(ctx context.Context, prefix string, fromRev int64) <-chan WatchResponse
	// Close releases the implementation's resources.
	Close() error
}
