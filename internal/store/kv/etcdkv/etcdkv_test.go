package etcdkv_test

import (
	"errors"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/embedetcd/embedetcdtest"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store/kv"
	"github.com/fargohq/fargo/internal/store/kv/etcdkv"
	"github.com/fargohq/fargo/internal/store/kv/kvtest"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	kvtest.Run(t, func(t *testing.T) kv.KV { return etcdkv.New(embedetcdtest.New(t)) })
}

func TestWatchCompacted(t *testing.T) {
	t.Parallel()
	client := embedetcdtest.New(t)
	s := etcdkv.New(client)
	t.Cleanup(func() { _ = s.Close() })
	var revs []int64
	for _, v := range []string{"1", "2", "3"} {
		rev, err := s.Txn(t.Context(), nil, []kv.Op{{Key: "k/a", Value: []byte(v)}})
		if err != nil {
			t.Fatal(err)
		}
		revs = append(revs, rev)
	}
	if _, err := client.Compact(t.Context(), revs[2]); err != nil {
		t.Fatal(err)
	}
	select {
	case resp := <-s.Watch(t.Context(), "k/", revs[0]):
		if !errors.Is(resp.Err, kv.ErrCompacted) || !errors.Is(resp.Err, errdefs.ErrUnavailable) {
			t.Fatalf("watch of a compacted revision = %+v, want kv.ErrCompacted", resp)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no watch response")
	}
}

func TestClosed(t *testing.T) {
	t.Parallel()
	client := embedetcdtest.New(t)
	s := etcdkv.New(client)
	live := s.Watch(t.Context(), "", 0)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if resp, ok := <-live; ok {
		t.Fatalf("watch still open after Close: %+v", resp)
	}
	if _, err := s.Get(t.Context(), "a"); !errors.Is(err, errdefs.ErrUnavailable) {
		t.Fatalf("Get after Close err = %v, want unavailable", err)
	}
	if _, err := client.Get(t.Context(), "a"); err != nil {
		t.Fatalf("client unusable after the KV closed: %v", err)
	}
}
