package store

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/fargohq/fargo/internal/store/kv"
)

// Informer keeps an in-memory copy of a collection, fed by List and Watch, and calls OnChange
// with the ID of every object that changed (or all of them after a re-list). Controllers read
// from it instead of listing the store on every reconcile; they write through the store and may
// Upsert what they wrote, so their next reconcile sees it even before the watch delivers it.
type Informer[T any] struct {
	coll Collection[T]
	// OnChange is called for each changed ID; it must not block for long.
	onChange func(id string)

	mu     sync.RWMutex
	items  map[string]Item[T]
	rev    int64 // the store revision the copy reflects
	synced chan struct{}
	once   sync.Once
}

// NewInformer returns an informer over coll; call Run to fill and follow it.
func NewInformer[T any](coll Collection[T], onChange func(id string)) *Informer[T] {
	if onChange == nil {
		onChange = func(string) {}
	}
	return &Informer[T]{coll: coll, onChange: onChange, items: map[string]Item[T]{}, synced: make(chan struct{})}
}

// Run lists the collection and follows its changes until ctx ends, listing again whenever the
// watch breaks (a compacted revision, a lost connection).
func (inf *Informer[T]) Run(ctx context.Context) error {
	for {
		rev, err := inf.relist(ctx)
		if err == nil {
			err = inf.follow(ctx, rev)
		}
		if ctx.Err() != nil {
			return nil
		}
		if err != nil && !errors.Is(err, kv.ErrCompacted) {
			// Transient store trouble: wait a little and start over.
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(500 * time.Millisecond):
			}
		}
	}
}

func (inf *Informer[T]) relist(ctx context.Context) (int64, error) {
	items, rev, err := inf.coll.List(ctx, "")
	if err != nil {
		return 0, err
	}
	fresh := make(map[string]Item[T], len(items))
	for _, it := range items {
		fresh[it.ID] = it
	}
	// The changed IDs are collected under the lock: once fresh is inf.items, Upsert may write
	// to it while this goroutine would still iterate.
	changed := make([]string, 0, len(fresh))
	inf.mu.Lock()
	for id := range inf.items {
		if _, ok := fresh[id]; !ok {
			changed = append(changed, id)
		}
	}
	for id := range fresh {
		changed = append(changed, id)
	}
	inf.items = fresh
	inf.rev = max(inf.rev, rev)
	inf.mu.Unlock()
	inf.once.Do(func() { close(inf.synced) })
	for _, id := range changed {
		inf.onChange(id)
	}
	return rev, nil
}

func (inf *Informer[T]) follow(ctx context.Context, rev int64) error {
	for ev := range inf.coll.Watch(ctx, rev) {
		if ev.Err != nil {
			return ev.Err
		}
		for _, ch := range ev.Changes {
			inf.apply(ch)
			inf.onChange(ch.ID)
		}
	}
	return ctx.Err()
}

func (inf *Informer[T]) apply(ch Change[T]) {
	inf.mu.Lock()
	defer inf.mu.Unlock()
	if !ch.upsert {
		inf.rev = max(inf.rev, ch.Revision)
	}
	if ch.Deleted {
		delete(inf.items, ch.ID)
		return
	}
	if cur, ok := inf.items[ch.ID]; ok && cur.Revision >= ch.Revision {
		return
	}
	inf.items[ch.ID] = Item[T]{ID: ch.ID, Value: ch.Value, Revision: ch.Revision}
}

// Upsert records an object the caller just wrote at rev, unless the informer already holds a
// newer revision of it.
func (inf *Informer[T]) Upsert(it Item[T]) {
	inf.apply(Change[T]{ID: it.ID, Value: it.Value, Revision: it.Revision, upsert: true})
}

// Forget drops an object the caller just deleted, so that its next read does not see it even
// before the watch delivers the delete.
func (inf *Informer[T]) Forget(id string) {
	inf.apply(Change[T]{ID: id, Deleted: true, upsert: true})
}

// Revision is the store revision the copy reflects: every change of the collection up to it
// was listed or watched (what the caller Upserts or Forgets does not count). A change of
// another collection may have a later revision.
func (inf *Informer[T]) Revision() int64 {
	inf.mu.RLock()
	defer inf.mu.RUnlock()
	return inf.rev
}

// Synced is closed once the first List completed.
func (inf *Informer[T]) Synced() <-chan struct{} { return inf.synced }

// Get returns the cached object with id.
func (inf *Informer[T]) Get(id string) (Item[T], bool) {
	inf.mu.RLock()
	defer inf.mu.RUnlock()
	it, ok := inf.items[id]
	return it, ok
}

// Filter returns the cached objects for which keep returns true, in no particular order.
func (inf *Informer[T]) Filter(keep func(Item[T]) bool) []Item[T] {
	inf.mu.RLock()
	defer inf.mu.RUnlock()
	var out []Item[T]
	for _, it := range inf.items {
		if keep(it) {
			out = append(out, it)
		}
	}
	return out
}
