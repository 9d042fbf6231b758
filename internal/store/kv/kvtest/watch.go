package kvtest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/fargohq/fargo/internal/store/kv"
)

func testWatchReplay(t *testing.T, s kv.KV) {
	r1 := put(t, s, "w/a", "1")
	r2 := put(t, s, "w/b", "2")
	put(t, s, "other/a", "x")
	r4 := txn(t, s, nil, deleteOp("w/a"))
	ch := s.Watch(t.Context(), "w/", r1)
	wantEvents(t, ch, r2, putEvent("w/b", "2", r2, r2))
	wantEvents(t, ch, r4, deleteEvent("w/a", r4))
	r5 := put(t, s, "w/c", "5")
	wantEvents(t, ch, r5, putEvent("w/c", "5", r5, r5))
}

func testWatchFromZero(t *testing.T, s kv.KV) {
	put(t, s, "w/old", "1")
	ch := s.Watch(t.Context(), "w/", 0)
	put(t, s, "other/a", "x")
	r3 := put(t, s, "w/new", "3")
	wantEvents(t, ch, r3, putEvent("w/new", "3", r3, r3))
}

func testWatchTxn(t *testing.T, s kv.KV) {
	r1 := txn(t, s, nil, putOp("w/a", "1"), putOp("w/b", "1"))
	ch := s.Watch(t.Context(), "w/", r1)
	r2 := txn(t, s, nil, putOp("w/b", "2"), putOp("other/x", "2"), deleteOp("w/a"), deleteOp("w/gone"), putOp("w/c", "2"))
	wantEvents(t, ch, r2,
		putEvent("w/b", "2", r2, r1),
		deleteEvent("w/a", r2),
		putEvent("w/c", "2", r2, r2),
	)
}

func testWatchCancel(t *testing.T, s kv.KV) {
	ctx, cancel := context.WithCancel(t.Context())
	ch := s.Watch(ctx, "w/", 0)
	r1 := put(t, s, "w/a", "1")
	wantEvents(t, ch, r1, putEvent("w/a", "1", r1, r1))
	cancel()
	wantClosed(t, ch)
	wantClosed(t, s.Watch(ctx, "w/", 0))
	wantClosed(t, s.Watch(ctx, "w/", r1))
}

func testWatchConcurrent(t *testing.T, s kv.KV) {
	const writers, writes = 4, 25
	_, r0 := list(t, s, "")
	ch := s.Watch(t.Context(), "w/", r0)
	revs := make(chan int64, writers*writes)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range writes {
				rev, err := s.Txn(t.Context(), nil, []kv.Op{putOp(fmt.Sprintf("w/%d/%d", w, i), "x")})
				if err != nil {
					t.Error(err)
				}
				revs <- rev
			}
		})
	}
	wg.Wait()
	close(revs)
	written := make(map[int64]bool)
	for rev := range revs {
		written[rev] = true
	}
	last := r0
	for range writers * writes {
		resp := next(t, ch)
		if resp.Revision <= last || !written[resp.Revision] || len(resp.Events) != 1 {
			t.Fatalf("watch response at %d after %d with %d events; want one event of a write, in order",
				resp.Revision, last, len(resp.Events))
		}
		last = resp.Revision
	}
}

// wantClosed checks that ch closes without an error; responses before that are fine.
func wantClosed(t *testing.T, ch <-chan kv.WatchResponse) {
	t.Helper()
	timeout := time.After(waitTimeout)
	for {
		select {
		case resp, ok := <-ch:
			if !ok {
				return
			}
			if resp.Err != nil {
				t.Fatalf("watch ended by cancel sent %v, want a plain close", resp.Err)
			}
		case <-timeout:
			t.Fatal("watch channel still open after its context was canceled")
		}
	}
}

func testWatchCopies(t *testing.T, s kv.KV) {
	r1 := put(t, s, "w/a", "orig")
	first := s.Watch(t.Context(), "w/", r1-1)
	second := s.Watch(t.Context(), "w/", r1-1)
	resp := next(t, first)
	resp.Events[0].KV.Value[0] = 'X'
	wantEvents(t, second, r1, putEvent("w/a", "orig", r1, r1))
	wantGet(t, s, kv.KeyValue{Key: "w/a", Value: []byte("orig"), ModRevision: r1, CreateRevision: r1})
}

// next returns the next response of ch and fails the test if there is none in time or the watch
// ended.
func next(t *testing.T, ch <-chan kv.WatchResponse) kv.WatchResponse {
	t.Helper()
	select {
	case resp, ok := <-ch:
		if !ok {
			t.Fatal("watch channel closed")
		}
		if resp.Err != nil {
			t.Fatalf("watch ended: %v", resp.Err)
		}
		return resp
	case <-time.After(waitTimeout):
		t.Fatalf("no watch response after %s", waitTimeout)
	}
	return kv.WatchResponse{}
}

// wantEvents checks that the next response of ch is exactly events at rev.
func wantEvents(t *testing.T, ch <-chan kv.WatchResponse, rev int64, events ...kv.Event) {
	t.Helper()
	want := kv.WatchResponse{Revision: rev, Events: events}
	if diff := cmp.Diff(want, next(t, ch), cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("watch response (-want +got):\n%s", diff)
	}
}

func putEvent(key, value string, mod, create int64) kv.Event {
	return kv.Event{Type: kv.EventPut, KV: kv.KeyValue{
		Key: key, Value: []byte(value), ModRevision: mod, CreateRevision: create,
	}}
}

func deleteEvent(key string, rev int64) kv.Event {
	return kv.Event{Type: kv.EventDelete, KV: kv.KeyValue{Key: key, ModRevision: rev}}
}
