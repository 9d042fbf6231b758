package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store/kv"
)

// schemaVersion is written into every envelope, so that a later fargo can migrate old objects.
const schemaVersion = 1

// maxUpdateAttempts bounds the read-modify-write loop of Update under contention.
const maxUpdateAttempts = 16

type envelope[T any] struct {
	V int `json:"v"`
	O T   `json:"o"`
}

// Item is a stored object with the revision of its last write, needed for compare-and-swap.
type Item[T any] struct {
	ID       string
	Value    T
	Revision int64
}

// Collection is one kind of object under a key prefix, addressed by an ID. IDs may contain '/'
// to nest objects (for example "cluster/service"); List with a prefix then lists one parent.
type Collection[T any] struct {
	kv     kv.KV
	prefix string // ends with '/'
}

func newCollection[T any](store kv.KV, root, name string) Collection[T] {
	return Collection[T]{kv: store, prefix: root + name + "/"}
}

func (c Collection[T]) key(id string) string { return c.prefix + id }

func (c Collection[T]) decode(kvp kv.KeyValue) (Item[T], error) {
	var env envelope[T]
	if err := json.Unmarshal(kvp.Value, &env); err != nil {
		return Item[T]{}, fmt.Errorf("decode %s: %w", kvp.Key, err)
	}
	if env.V != schemaVersion {
		return Item[T]{}, fmt.Errorf("decode %s: unknown schema version %d", kvp.Key, env.V)
	}
	return Item[T]{ID: strings.TrimPrefix(kvp.Key, c.prefix), Value: env.O, Revision: kvp.ModRevision}, nil
}

func encode[T any](v T) ([]byte, error) {
	return json.Marshal(envelope[T]{V: schemaVersion, O: v})
}

// Get returns the object with id, or an error of kind errdefs.ErrNotFound.
func (c Collection[T]) Get(ctx context.Context, id string) (Item[T], error) {
	kvp, err := c.kv.Get(ctx, c.key(id))
	if err != nil {
		return Item[T]{}, err
	}
	return c.decode(kvp)
}

// List returns every object whose ID starts with idPrefix ("" for all), in ID order, and the
// store revision of the read (to watch from).
func (c Collection[T]) List(ctx context.Context, idPrefix string) ([]Item[T], int64, error) {
	kvs, rev, err := c.kv.List(ctx, c.prefix+idPrefix)
	if err != nil {
		return nil, 0, err
	}
	items := make([]Item[T], 0, len(kvs))
	for _, kvp := range kvs {
		it, err := c.decode(kvp)
		if err != nil {
			return nil, 0, err
		}
		items = append(items, it)
	}
	return items, rev, nil
}

// Revision returns the store's current revision, to watch from: a watch from it sees every
// change after this call. It lists a prefix no id has, so it reads no object.
func (c Collection[T]) Revision(ctx context.Context) (int64, error) {
	_, rev, err := c.kv.List(ctx, c.prefix+"\x00")
	return rev, err
}

// Create writes v under id if no object has that id, else it returns an error of kind
// errdefs.ErrAlreadyExists.
func (c Collection[T]) Create(ctx context.Context, id string, v T) (Item[T], error) {
	var txn Txn
	if err := c.Put(&txn, id, v, 0); err != nil {
		return Item[T]{}, err
	}
	rev, err := txn.Commit(ctx, c.kv)
	if errors.Is(err, errdefs.ErrConflict) {
		return Item[T]{}, errdefs.AlreadyExists("%s already exists", id)
	}
	if err != nil {
		return Item[T]{}, err
	}
	return Item[T]{ID: id, Value: v, Revision: rev}, nil
}

// Update reads the object with id, lets fn change it and writes it back if nobody else wrote it
// in between, retrying otherwise. fn must be a pure function of its argument: it may run several
// times. An error from fn aborts the update and is returned as it is.
func (c Collection[T]) Update(ctx context.Context, id string, fn func(*T) error) (Item[T], error) {
	for range maxUpdateAttempts {
		cur, err := c.Get(ctx, id)
		if err != nil {
			return Item[T]{}, err
		}
		if err := fn(&cur.Value); err != nil {
			return Item[T]{}, err
		}
		var txn Txn
		if err := c.Put(&txn, id, cur.Value, cur.Revision); err != nil {
			return Item[T]{}, err
		}
		rev, err := txn.Commit(ctx, c.kv)
		if errors.Is(err, errdefs.ErrConflict) {
			continue
		}
		if err != nil {
			return Item[T]{}, err
		}
		cur.Revision = rev
		return cur, nil
	}
	return Item[T]{}, errdefs.Conflict("%s: too many concurrent updates", id)
}

// Delete removes the object with id if it exists.
func (c Collection[T]) Delete(ctx context.Context, id string) error {
	var txn Txn
	c.Remove(&txn, id, -1)
	_, err := txn.Commit(ctx, c.kv)
	return err
}

// Put adds a write of v under id to txn, on the condition that the object's current revision is
// rev (0: it must not exist; -1: no condition).
func (c Collection[T]) Put(txn *Txn, id string, v T, rev int64) error {
	data, err := encode(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", c.key(id), err)
	}
	txn.add(c.key(id), rev, kv.Op{Key: c.key(id), Value: data})
	return nil
}

// Remove adds a delete of id to txn, on the condition that the object's current revision is rev
// (-1: no condition).
func (c Collection[T]) Remove(txn *Txn, id string, rev int64) {
	txn.add(c.key(id), rev, kv.Op{Key: c.key(id), Delete: true})
}

// Require adds a condition to txn without writing: the object's revision must still be rev.
func (c Collection[T]) Require(txn *Txn, id string, rev int64) {
	txn.conds = append(txn.conds, kv.Cond{Key: c.key(id), ModRevision: rev})
}

// Txn collects conditional writes to several collections that commit atomically.
type Txn struct {
	conds []kv.Cond
	ops   []kv.Op
}

func (t *Txn) add(key string, rev int64, op kv.Op) {
	if rev >= 0 {
		t.conds = append(t.conds, kv.Cond{Key: key, ModRevision: rev})
	}
	t.ops = append(t.ops, op)
}

// Commit applies the transaction. A failed condition gives an error of kind errdefs.ErrConflict
// and writes nothing.
func (t *Txn) Commit(ctx context.Context, store kv.KV) (int64, error) {
	return store.Txn(ctx, t.conds, t.ops)
}
