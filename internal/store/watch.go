package store

import (
	"context"
	"strings"

	"github.com/fargohq/fargo/internal/store/kv"
)

// Change is one change to an object of a collection seen by Watch. Deleted is set when the
// object was removed; Value is then the zero value.
type Change[T any] struct {
	ID       string
	Value    T
	Deleted  bool
	Revision int64
	// upsert marks a change the informer's owner made itself, not one the watch delivered.
	upsert bool
}

// Watch streams the changes to the collection's objects after revision fromRev (0: from now),
// until ctx ends or the watch fails (for example kv.ErrCompacted: list again and watch from the
// list's revision). Objects that cannot be decoded are reported as errors.
func (c Collection[T]) Watch(ctx context.Context, fromRev int64) <-chan WatchEvent[T] {
	out := make(chan WatchEvent[T])
	in := c.kv.Watch(ctx, c.prefix, fromRev)
	go func() {
		defer close(out)
		for resp := range in {
			if !c.forward(ctx, out, resp) {
				return
			}
		}
	}()
	return out
}

// WatchEvent is a batch of changes of one revision, or the error that ended the watch.
type WatchEvent[T any] struct {
	Changes []Change[T]
	Err     error
}

func (c Collection[T]) forward(ctx context.Context, out chan<- WatchEvent[T], resp kv.WatchResponse) bool {
	ev := WatchEvent[T]{Err: resp.Err}
	for _, e := range resp.Events {
		id := strings.TrimPrefix(e.KV.Key, c.prefix)
		if e.Type == kv.EventDelete {
			ev.Changes = append(ev.Changes, Change[T]{ID: id, Deleted: true, Revision: e.KV.ModRevision})
			continue
		}
		it, err := c.decode(e.KV)
		if err != nil {
			ev.Err = err
			break
		}
		ev.Changes = append(ev.Changes, Change[T]{ID: id, Value: it.Value, Revision: it.Revision})
	}
	select {
	case out <- ev:
		return ev.Err == nil
	case <-ctx.Done():
		return false
	}
}
