package etcdkv

import (
	"context"
	"fmt"

	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store/kv"
)

// Watch streams the changes under prefix after fromRev. With fromRev 0 it first reads the
// current revision, so that every change made after Watch returns is seen: an etcd watch
// without a revision starts only when the server registers it, which may be later.
func (k *KV) Watch(ctx context.Context, prefix string, fromRev int64) <-chan kv.WatchResponse {
	if fromRev == 0 {
		rev, err := k.revision(ctx)
		if ctx.Err() != nil {
			return failed(nil) // the watch's context ended: a plain close
		}
		if err != nil {
			return failed(err)
		}
		fromRev = rev
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed {
		return failed(errClosed)
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

// revision returns the current store revision, read with the cheapest request that carries it:
// a count of one key (any key; etcd refuses an empty one).
func (k *KV) revision(ctx context.Context) (int64, error) {
	resp, err := k.client.Get(ctx, "\x00", clientv3.WithCountOnly())
	if err != nil {
		return 0, wrap(ctx, "watch", err)
	}
	return resp.Header.Revision, nil
}

// failed returns a closed watch channel that holds only err, or nothing if err is nil.
func failed(err error) <-chan kv.WatchResponse {
	ch := make(chan kv.WatchResponse, 1)
	if err != nil {
		ch <- kv.WatchResponse{Err: err}
	}
	close(ch)
	return ch
}

// serve copies the etcd watch to out until ctx ends, k closes or the watch fails.
func (k *KV) serve(ctx context.Context, out chan<- kv.WatchResponse, prefix string, fromRev int64) {
	// Canceling the etcd watch's context is what releases it in the client.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	wch := k.client.Watch(clientv3.WithRequireLeader(ctx), prefix,
		clientv3.WithPrefix(), clientv3.WithRev(fromRev+1))
	for {
		var wr clientv3.WatchResponse
		var ok bool
		select {
		case wr, ok = <-wch:
		case <-ctx.Done():
			return
		case <-k.done:
			return
		}
		if ctx.Err() != nil {
			return
		}
		resps, err := responses(wr, ok, fromRev)
		if err != nil {
			resps = []kv.WatchResponse{{Err: err}}
		}
		for _, resp := range resps {
			select {
			case out <- resp:
			case <-ctx.Done():
				return
			case <-k.done:
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// responses splits an etcd watch response, which may span revisions, into one response per
// revision, or returns the error that ended the watch.
func responses(wr clientv3.WatchResponse, ok bool, fromRev int64) ([]kv.WatchResponse, error) {
	switch err := wr.Err(); {
	case !ok:
		return nil, errdefs.Unavailable("etcdkv: watch from revision %d ended", fromRev)
	case wr.CompactRevision != 0:
		return nil, fmt.Errorf("etcdkv: watch from revision %d, compacted up to %d: %w",
			fromRev, wr.CompactRevision, kv.ErrCompacted)
	case err != nil:
		return nil, fmt.Errorf("etcdkv: watch from revision %d: %w", fromRev, errdefs.Unavailable("%v", err))
	}
	var resps []kv.WatchResponse
	for _, ev := range wr.Events {
		e := event(ev)
		if n := len(resps); n > 0 && resps[n-1].Revision == e.KV.ModRevision {
			resps[n-1].Events = append(resps[n-1].Events, e)
			continue
		}
		resps = append(resps, kv.WatchResponse{Revision: e.KV.ModRevision, Events: []kv.Event{e}})
	}
	return resps, nil
}

func event(ev *clientv3.Event) kv.Event {
	if ev.Type == mvccpb.DELETE {
		return kv.Event{Type: kv.EventDelete, KV: kv.KeyValue{Key: string(ev.Kv.Key), ModRevision: ev.Kv.ModRevision}}
	}
	return kv.Event{Type: kv.EventPut, KV: keyValue(ev.Kv)}
}
