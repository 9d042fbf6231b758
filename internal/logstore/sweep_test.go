package logstore_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fargohq/fargo/internal/logs"
	"github.com/fargohq/fargo/internal/logstore"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

func TestSweep(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	mem, err := memkv.New(memkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mem.Close() })
	st := store.New(mem)
	now := time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	const kept, expiring, orphan = "aaaa", "bbbb", "cccc"
	for _, g := range []logs.Group{{Name: "/forever"}, {Name: "/week", RetentionDays: 7}} {
		if _, err := st.LogGroups.Create(ctx, g.Name, g); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []logs.Stream{{Group: "/forever", Name: "s", ID: kept}, {Group: "/week", Name: "s", ID: expiring}} {
		if _, err := st.LogStreams.Create(ctx, store.LogStreamID(s.Group, s.Name), s); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	events := open(t, dir)
	old, fresh := now.Add(-8*day).UnixMilli(), now.Add(-6*day).UnixMilli()
	for _, id := range []string{kept, expiring, orphan} {
		if _, err := events.Append(id, []logs.Event{{Timestamp: old, Message: "old"}, {Timestamp: fresh, Message: "fresh"}}, fresh); err != nil {
			t.Fatal(err)
		}
	}
	w := logstore.NewSweeper(st, events, logstore.SweepConfig{Now: func() time.Time { return now }}, nil)
	if err := w.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, orphan)); !os.IsNotExist(err) {
		t.Fatalf("the orphan's files are left: %v", err)
	}
	for id, want := range map[string]int{kept: 2, expiring: 1} {
		if stats, err := events.Stats(id); err != nil || stats.Count != want {
			t.Errorf("stream %s: %+v %v, want %d events", id, stats, err, want)
		}
	}
}

func TestSweeperRun(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		mem, err := memkv.New(memkv.Config{})
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = mem.Close() }()
		events := open(t, t.TempDir())
		if _, err := events.Append("dddd", []logs.Event{{Timestamp: 1, Message: "x"}}, 1); err != nil {
			t.Fatal(err)
		}
		w := logstore.NewSweeper(store.New(mem), events, logstore.SweepConfig{Interval: time.Minute}, nil)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- w.Run(ctx) }()
		synctest.Wait()
		if ids, _ := events.IDs(); len(ids) != 0 {
			t.Fatalf("the first sweep left %v", ids)
		}
		if _, err := events.Append("eeee", []logs.Event{{Timestamp: 1, Message: "x"}}, 1); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Minute)
		synctest.Wait()
		if ids, _ := events.IDs(); len(ids) != 0 {
			t.Fatalf("the next sweep left %v", ids)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
}
