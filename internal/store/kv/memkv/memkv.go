package memkv

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store/kv"
)

// DefaultHistorySize is the number of events kept for watches when Config.HistorySize is 0.
const DefaultHistorySize = 10000

// MaxTxnOps is the most conds, and the most ops, one Txn may have: etcd's default limit, kept
// here so that a store too greedy for etcd fails in tests too.
const MaxTxnOps = 128

// Config tunes a KV. The zero value is ready to use.
type Config struct {
	// HistorySize is how many recent events Watch can replay; 0 means DefaultHistorySize. A watch
	// that needs an older event, or that lags further behind the writers, gets kv.ErrCompacted.
	HistorySize int
}

// Validate reports whether c is usable.
func (c Config) Validate() error {
	if c.HistorySize < 0 {
		return errdefs.InvalidArgument("memkv: history size %d is negative", c.HistorySize)
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.HistorySize == 0 {
		c.HistorySize = DefaultHistorySize
	}
	return c
}

// KV is the in-memory store. Create it with New.
type KV struct {
	historySize int

	mu   sync.Mutex
	data map[string]kv.KeyValue
	rev  int64
	// history holds one response per revision, oldest first, with at most historySize events
	// in all; every revision up to compacted has been dropped from it.
	history       []kv.WatchResponse
	historyEvents int
	compacted     int64
	// changed is closed and replaced on every revision, to wake the watches.
	changed chan struct{}
	closed  bool

	done    chan struct{}
	watches sync.WaitGroup
}

var _ kv.KV = (*KV)(nil)

// New returns an empty store at revision 1, the revision a fresh etcd starts at.
func New(cfg Config) (*KV, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	return &KV{
		historySize: cfg.HistorySize,
		data:        make(map[string]kv.KeyValue),
		rev:         1,
		changed:     make(chan struct{}),
		done:        make(chan struct{}),
	}, nil
}

// Get returns a copy of the key.
func (k *KV) Get(ctx context.Context, key string) (kv.KeyValue, error) {
	if err := ctx.Err(); err != nil {
		return kv.KeyValue{}, fmt.Errorf("memkv: get %q: %w", key, err)
	}
	if key == "" {
		return kv.KeyValue{}, errdefs.InvalidArgument("memkv: get: empty key")
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed {
		return kv.KeyValue{}, errClosed
	}
	v, ok := k.data[key]
	if !ok {
		return kv.KeyValue{}, errdefs.NotFound("memkv: key %q not found", key)
	}
	return clone(v), nil
}

// List returns copies of the keys with the prefix, sorted, and the current revision.
func (k *KV) List(ctx context.Context, prefix string) ([]kv.KeyValue, int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, fmt.Errorf("memkv: list %q: %w", prefix, err)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed {
		return nil, 0, errClosed
	}
	var kvs []kv.KeyValue
	for key, v := range k.data {
		if strings.HasPrefix(key, prefix) {
			kvs = append(kvs, clone(v))
		}
	}
	sort.Slice(kvs, func(i, j int) bool { return kvs[i].Key < kvs[j].Key })
	return kvs, k.rev, nil
}

// Txn applies ops if every cond holds. Like etcd, a transaction that writes nothing (no ops, or
// only deletes of missing keys) does not take a revision.
func (k *KV) Txn(ctx context.Context, conds []kv.Cond, ops []kv.Op) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("memkv: txn: %w", err)
	}
	if err := checkTxn(conds, ops); err != nil {
		return 0, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed {
		return 0, errClosed
	}
	for _, c := range conds {
		if got := k.data[c.Key].ModRevision; got != c.ModRevision {
			return 0, errdefs.Conflict("memkv: key %q is at revision %d, not %d", c.Key, got, c.ModRevision)
		}
	}
	events := k.apply(ops, k.rev+1)
	if len(events) == 0 {
		return k.rev, nil
	}
	k.rev++
	k.record(kv.WatchResponse{Revision: k.rev, Events: events})
	return k.rev, nil
}

// checkTxn refuses what etcd refuses: too many conds or ops, an empty key, and a key written
// twice (two puts, or a put and a delete; deleting twice is fine).
func checkTxn(conds []kv.Cond, ops []kv.Op) error {
	if len(conds) > MaxTxnOps || len(ops) > MaxTxnOps {
		return errdefs.InvalidArgument("memkv: txn: more than %d conds or ops", MaxTxnOps)
	}
	for _, c := range conds {
		if c.Key == "" {
			return errdefs.InvalidArgument("memkv: txn: cond on an empty key")
		}
	}
	puts := make(map[string]bool, len(ops)) // key -> whether it is put (else only deleted)
	for _, op := range ops {
		if op.Key == "" {
			return errdefs.InvalidArgument("memkv: txn: op on an empty key")
		}
		put, seen := puts[op.Key]
		if seen && (put || !op.Delete) {
			return errdefs.InvalidArgument("memkv: txn: key %q is written twice", op.Key)
		}
		puts[op.Key] = !op.Delete
	}
	return nil
}

// apply writes ops at rev and returns their events. The stored values are private copies that
// are never changed in place, so events and data may share them.
func (k *KV) apply(ops []kv.Op, rev int64) []kv.Event {
	var events []kv.Event
	for _, op := range ops {
		prev, exists := k.data[op.Key]
		switch {
		case op.Delete && !exists:
			continue
		case op.Delete:
			delete(k.data, op.Key)
			events = append(events, kv.Event{Type: kv.EventDelete, KV: kv.KeyValue{Key: op.Key, ModRevision: rev}})
		default:
			v := kv.KeyValue{Key: op.Key, Value: bytes.Clone(op.Value), ModRevision: rev, CreateRevision: rev}
			if exists {
				v.CreateRevision = prev.CreateRevision
			}
			k.data[op.Key] = v
			events = append(events, kv.Event{Type: kv.EventPut, KV: v})
		}
	}
	return events
}

// record appends a revision to the history, drops the oldest revisions beyond the size limit
// and wakes the watches.
func (k *KV) record(resp kv.WatchResponse) {
	k.history = append(k.history, resp)
	k.historyEvents += len(resp.Events)
	for k.historyEvents > k.historySize && len(k.history) > 0 {
		oldest := k.history[0]
		k.history[0] = kv.WatchResponse{} // let the dropped values be collected
		k.history = k.history[1:]
		k.historyEvents -= len(oldest.Events)
		k.compacted = oldest.Revision
	}
	close(k.changed)
	k.changed = make(chan struct{})
}

// Close ends every watch, waits for their goroutines and makes later calls fail. It is safe to
// call more than once.
func (k *KV) Close() error {
	k.mu.Lock()
	if k.closed {
		k.mu.Unlock()
		return nil
	}
	k.closed = true
	close(k.done)
	k.mu.Unlock()
	k.watches.Wait()
	return nil
}

var errClosed = errdefs.Unavailable("memkv: store is closed")

func clone(v kv.KeyValue) kv.KeyValue {
	v.Value = bytes.Clone(v.Value)
	return v
}
