package memkv_test

import (
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store/kv"
	"github.com/fargohq/fargo/internal/store/kv/kvtest"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	kvtest.Run(t, func(t *testing.T) kv.KV { return newKV(t, memkv.Config{}) })
}

func newKV(t *testing.T, cfg memkv.Config) *memkv.KV {
	t.Helper()
	s, err := memkv.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func put(t *testing.T, s kv.KV, key string) int64 {
	t.Helper()
	rev, err := s.Txn(t.Context(), nil, []kv.Op{{Key: key, Value: []byte(key)}})
	if err != nil {
		t.Fatal(err)
	}
	return rev
}

// wantCompacted reads ch until it ends and checks that it ended with kv.ErrCompacted.
func wantCompacted(t *testing.T, ch <-chan kv.WatchResponse) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case resp, ok := <-ch:
			if !ok {
				t.Fatal("watch closed without kv.ErrCompacted")
			}
			if resp.Err == nil {
				continue
			}
			if !errors.Is(resp.Err, kv.ErrCompacted) || !errors.Is(resp.Err, errdefs.ErrUnavailable) {
				t.Fatalf("watch err = %v, want kv.ErrCompacted", resp.Err)
			}
			if _, ok := <-ch; ok {
				t.Fatal("watch sent more after its error")
			}
			return
		case <-timeout:
			t.Fatal("watch did not end")
		}
	}
}

func TestWatchCompacted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		fromRev func(revs []int64) int64
		wantErr bool
	}{
		{"dropped revision", func(revs []int64) int64 { return revs[0] }, true},
		{"oldest kept revision", func(revs []int64) int64 { return revs[2] }, false},
		{"now", func([]int64) int64 { return 0 }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newKV(t, memkv.Config{HistorySize: 3})
			var revs []int64
			for i := range 6 {
				revs = append(revs, put(t, s, fmt.Sprintf("k/%d", i)))
			}
			ch := s.Watch(t.Context(), "k/", tt.fromRev(revs))
			if tt.wantErr {
				wantCompacted(t, ch)
				return
			}
			last := revs[len(revs)-1]
			if tt.fromRev(revs) == 0 {
				last = put(t, s, "k/last")
			}
			for resp := range ch {
				if resp.Err != nil {
					t.Fatalf("watch err = %v", resp.Err)
				}
				if resp.Revision == last {
					return
				}
			}
		})
	}
}

func TestSlowWatcherDoesNotBlockWriters(t *testing.T) {
	t.Parallel()
	s := newKV(t, memkv.Config{HistorySize: 10})
	ch := s.Watch(t.Context(), "k/", 0)
	for i := range 100 {
		put(t, s, fmt.Sprintf("k/%d", i))
	}
	wantCompacted(t, ch)
}

func TestQuietWatcherIsNotCompacted(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := newKV(t, memkv.Config{HistorySize: 10})
		ch := s.Watch(t.Context(), "quiet/", 0)
		for i := range 100 {
			put(t, s, fmt.Sprintf("busy/%d", i))
			synctest.Wait() // the watch keeps up, as a live one does
		}
		rev := put(t, s, "quiet/a")
		if resp := <-ch; resp.Err != nil || resp.Revision != rev {
			t.Fatalf("watch got %+v, want the event at %d", resp, rev)
		}
	})
}

func TestClosed(t *testing.T) {
	t.Parallel()
	s := newKV(t, memkv.Config{})
	live := s.Watch(t.Context(), "", 0)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-live; ok {
		t.Fatal("watch still open after Close")
	}
	if _, err := s.Get(t.Context(), "a"); !errors.Is(err, errdefs.ErrUnavailable) {
		t.Fatalf("Get after Close err = %v, want unavailable", err)
	}
	resp := <-s.Watch(t.Context(), "", 0)
	if !errors.Is(resp.Err, errdefs.ErrUnavailable) {
		t.Fatalf("Watch after Close err = %v, want unavailable", resp.Err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  memkv.Config
		ok   bool
	}{
		{"zero", memkv.Config{}, true},
		{"size", memkv.Config{HistorySize: 5}, true},
		{"negative", memkv.Config{HistorySize: -1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.cfg.Validate()
			if (err == nil) != tt.ok || (err != nil && !errors.Is(err, errdefs.ErrInvalidArgument)) {
				t.Fatalf("Validate() = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}
