package memkv

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/fargohq/fargo/internal/store/kv"
)

// Watch streams the changes under prefix after fromRev. Each watch has a goroutine that reads
// the shared history at its own pace, so a slow reader holds up nobody; if it falls so far
// behind that the history has dropped its next revision, it gets kv.ErrCompacted.
func (k *KV) Watch(ctx context.Context, prefix string, fromRev int64) <-chan kv.WatchResponse {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed {
		ch := make(chan kv.WatchResponse, 1)
		ch <- kv.WatchResponse{Err: errClosed}
		close(ch)
		return ch
	}
	if fromRev == 0 {
		fromRev = k.rev
	}
	out := make(chan kv.WatchResponse)
	k.watches.Add(1)
	go func() {
		defer k.watches.Done()
		defer close(out)
		k.serve(ctx, out, prefix, fromRev)
	}()
	return out
}

// serve sends the responses after seen until ctx ends, the store closes or the watch fails.
func (k *KV) serve(ctx context.Context, out chan<- kv.WatchResponse, prefix string, seen int64) {
	for {
		s := k.next(prefix, seen)
		if s.err != nil {
			s.resp = kv.WatchResponse{Err: s.err}
		}
		if s.wait != nil {
			seen = s.seen
			select {
			case <-s.wait:
				continue
			case <-ctx.Done():
				return
			case <-k.done:
				return
			}
		}
		select {
		case out <- s.resp:
		case <-ctx.Done():
			return
		case <-k.done:
			return
		}
		if s.err != nil {
			return
		}
		seen = s.seen
	}
}

// step is what a watch does next: send resp (or err), or, when nothing under its prefix is new,
// wait for the next change having seen every revision up to seen.
type step struct {
	resp kv.WatchResponse
	seen int64
	wait <-chan struct{}
	err  error
}

// next finds the first revision after seen with events under prefix.
func (k *KV) next(prefix string, seen int64) step {
	k.mu.Lock()
	defer k.mu.Unlock()
	if seen < k.compacted {
		return step{err: fmt.Errorf("memkv: watch after revision %d, history starts after %d: %w",
			seen, k.compacted, kv.ErrCompacted)}
	}
	i := sort.Search(len(k.history), func(i int) bool { return k.history[i].Revision > seen })
	for _, resp := range k.history[i:] {
		if events := matching(resp.Events, prefix); len(events) > 0 {
			return step{resp: kv.WatchResponse{Revision: resp.Revision, Events: events}, seen: resp.Revision}
		}
	}
	// Nothing new under prefix: skip what was scanned, so that a watch of a quiet prefix neither
	// scans it again nor counts as lagging when the history drops it.
	return step{seen: max(seen, k.rev), wait: k.changed}
}

// matching returns copies of the events under prefix.
func matching(events []kv.Event, prefix string) []kv.Event {
	var out []kv.Event
	for _, e := range events {
		if strings.HasPrefix(e.KV.Key, prefix) {
			e.KV = clone(e.KV)
			out = append(out, e)
		}
	}
	return out
}
