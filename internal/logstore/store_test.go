package logstore_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/logs"
	"github.com/fargohq/fargo/internal/logstore"
)

const id = "0123456789abcdef0123456789abcdef"

// open returns a Store over dir with small segments and frames, so that a few events seal
// several runs.
func open(t *testing.T, dir string) *logstore.Store {
	t.Helper()
	s, err := logstore.Open(logstore.Config{Dir: dir, SegmentBytes: 512, FrameBytes: 128})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func batch(msg string, times ...int64) []logs.Event {
	out := make([]logs.Event, len(times))
	for i, t := range times {
		out[i] = logs.Event{Timestamp: t, Message: fmt.Sprintf("%s-%d", msg, i)}
	}
	return out
}

func appendBatch(t *testing.T, s *logstore.Store, events []logs.Event, ingest int64) {
	t.Helper()
	if _, err := s.Append(id, events, ingest); err != nil {
		t.Fatal(err)
	}
}

// readAll returns the messages of stream id from from on.
func readAll(t *testing.T, s *logstore.Store, from int64) []logstore.Event {
	t.Helper()
	r, err := s.Read(id, from)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = r.Close() }()
	var out []logstore.Event
	for {
		e, ok, err := r.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return out
		}
		out = append(out, e)
	}
}

func messages(events []logstore.Event) []string {
	out := []string{}
	for _, e := range events {
		out = append(out, e.Message)
	}
	return out
}

func TestAppendAndRead(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	appendBatch(t, s, batch("a", 10, 20, 20), 100)
	appendBatch(t, s, batch("b", 5, 20), 101)
	got := readAll(t, s, 0)
	want := []string{"b-0", "a-0", "a-1", "a-2", "b-1"}
	if diff := cmp.Diff(want, messages(got)); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	if got[0].Ingest != 101 || got[1].Ingest != 100 || got[0].Time != 5 {
		t.Fatalf("events %+v", got)
	}
	if diff := cmp.Diff([]string{"a-1", "a-2", "b-1"}, messages(readAll(t, s, 20))); diff != "" {
		t.Fatalf("from 20 (-want +got):\n%s", diff)
	}
	st, err := s.Stats(id)
	if err != nil || st.Count != 5 || st.First != 5 || st.Last != 20 || st.LastIngest != 101 || st.Bytes == 0 {
		t.Fatalf("stats %+v %v", st, err)
	}
	if next, err := s.Append(id, nil, 102); err != nil || next != 6 {
		t.Fatalf("next sequence number %d %v, want 6", next, err)
	}
	empty, err := s.Stats("ffff")
	if err != nil || empty != (logstore.Stats{}) {
		t.Fatalf("stats of an unknown stream %+v %v", empty, err)
	}
	if got := readAll(t, s, 21); len(got) != 0 {
		t.Fatalf("after the last event: %v", got)
	}
}

// TestOrderAcrossSeals writes batches in random time order, enough to seal many runs, and
// checks that every read from any time gives the events sorted by time, then by write order,
// before and after the store is opened again.
func TestOrderAcrossSeals(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := open(t, dir)
	rng := rand.New(rand.NewPCG(1, 2))
	var all []logstore.Event
	seq := uint64(0)
	for b := range 200 {
		start := rng.Int64N(1000)
		var events []logs.Event
		for i := range 1 + rng.IntN(5) {
			events = append(events, logs.Event{Timestamp: start + int64(i*rng.IntN(3)), Message: fmt.Sprintf("b%d-%d%s", b, i, strings.Repeat("x", rng.IntN(40)))})
		}
		slices.SortStableFunc(events, func(x, y logs.Event) int { return int(x.Timestamp - y.Timestamp) })
		appendBatch(t, s, events, int64(b))
		for _, e := range events {
			seq++
			all = append(all, logstore.Event{Time: e.Timestamp, Ingest: int64(b), Seq: seq, Message: e.Message})
		}
	}
	slices.SortStableFunc(all, func(x, y logstore.Event) int { return int(x.Time - y.Time) })
	runs, _ := filepath.Glob(filepath.Join(dir, id, "run-*.log"))
	if len(runs) < 10 {
		t.Fatalf("%d runs: the test should seal many", len(runs))
	}
	check := func(s *logstore.Store) {
		for _, from := range []int64{0, 1, 500, 999, 1003, 2000} {
			var want []logstore.Event
			for _, e := range all {
				if e.Time >= from {
					want = append(want, e)
				}
			}
			if diff := cmp.Diff(want, readAll(t, s, from)); diff != "" {
				t.Fatalf("from %d (-want +got):\n%s", from, diff)
			}
		}
	}
	check(s)
	check(open(t, dir))
}

func TestTornWrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := logstore.Open(logstore.Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	appendBatch(t, s, batch("a", 1, 2), 1)
	appendBatch(t, s, batch("b", 3), 2)
	head := filepath.Join(dir, id, "head.log")
	info, err := os.Stat(head)
	if err != nil {
		t.Fatal(err)
	}
	for _, cut := range []int64{1, 10, 30} {
		t.Run(fmt.Sprint(cut), func(t *testing.T) {
			// A crash in the middle of the second batch's write: only part of it is on disk.
			if err := os.Truncate(head, info.Size()-cut); err != nil {
				t.Fatal(err)
			}
			s, err := logstore.Open(logstore.Config{Dir: dir})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{"a-0", "a-1"}, messages(readAll(t, s, 0))); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
			appendBatch(t, s, batch("b", 3), 2)
			if diff := cmp.Diff([]string{"a-0", "a-1", "b-0"}, messages(readAll(t, open(t, dir), 0))); diff != "" {
				t.Fatalf("after a new write (-want +got):\n%s", diff)
			}
		})
	}
	if err := os.WriteFile(head, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, open(t, dir), 0); len(got) != 0 {
		t.Fatalf("a damaged head gave %v", got)
	}
}

// TestCrashDuringSeal leaves both the head and the run that a seal made from it, as a crash
// between the run's rename and the head's removal does: the events appear once.
func TestCrashDuringSeal(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := open(t, dir)
	appendBatch(t, s, batch("a", 3, 4), 1)
	appendBatch(t, s, batch("b", 1, 2), 2)
	appendBatch(t, s, batch(strings.Repeat("c", 600), 5), 3) // the head is full now
	head := filepath.Join(dir, id, "head.log")
	saved, err := os.ReadFile(head)
	if err != nil {
		t.Fatal(err)
	}
	appendBatch(t, s, batch("d", 0), 4) // seals a, b and c first
	runs, _ := filepath.Glob(filepath.Join(dir, id, "run-*.log"))
	if len(runs) != 1 {
		t.Fatalf("runs %v", runs)
	}
	// The crash came after the run's rename and before the head's removal (so before d).
	if err := os.WriteFile(head, saved, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, id, "run-x.log.tmp"), []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	s = open(t, dir)
	want := []string{"b-0", "b-1", "a-0", "a-1", strings.Repeat("c", 600) + "-0"}
	if diff := cmp.Diff(want, messages(readAll(t, s, 0))); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, id, "*.tmp")); len(tmp) != 0 {
		t.Fatalf("temporary files left: %v", tmp)
	}
	appendBatch(t, s, batch("e", 0), 5)
	if got := messages(readAll(t, open(t, dir), 0)); len(got) != 6 || got[0] != "e-0" {
		t.Fatalf("after another write: %v", got)
	}
}

func TestExpire(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := open(t, dir)
	for b := range 40 {
		appendBatch(t, s, batch(fmt.Sprintf("x%02d", b), int64(b*10), int64(b*10+5)), int64(b))
	}
	appendBatch(t, s, batch("early", 7), 50) // an old event in the head
	before, err := s.Stats(id)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Expire(id, 200); err != nil {
		t.Fatal(err)
	}
	for _, s := range []*logstore.Store{s, open(t, dir)} {
		got := readAll(t, s, 0)
		if len(got) != 40 || got[0].Time != 200 {
			t.Fatalf("after expiry %d events from %d", len(got), got[0].Time)
		}
		st, err := s.Stats(id)
		if err != nil || st.Count != 40 || st.First != 200 || st.Bytes >= before.Bytes {
			t.Fatalf("stats %+v %v (before %+v)", st, err, before)
		}
	}
	// Every file's events are at or after the cutoff: nothing expired is left on disk.
	files, _ := filepath.Glob(filepath.Join(dir, id, "*.log"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if strings.Contains(string(b), "early") || strings.Contains(string(b), "x00") || strings.Contains(string(b), "x19") {
			t.Fatalf("%s still holds expired events", f)
		}
	}
	if err := s.Expire(id, 1<<40); err != nil {
		t.Fatal(err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, id, "*.log")); len(files) != 0 {
		t.Fatalf("files left after everything expired: %v", files)
	}
	appendBatch(t, s, batch("new", 1<<41), 60)
	if got := messages(readAll(t, s, 0)); len(got) != 1 {
		t.Fatalf("after everything expired and a new write: %v", got)
	}
}

func TestDelete(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := open(t, dir)
	appendBatch(t, s, batch("a", 1), 1)
	if ids, err := s.IDs(); err != nil || !slices.Equal(ids, []string{id}) {
		t.Fatalf("ids %v %v", ids, err)
	}
	if err := s.Delete(id); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, id)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("stream directory left: %v", err)
	}
	if _, err := s.Append(id, batch("b", 2), 2); !errors.Is(err, errdefs.ErrNotFound) {
		t.Fatalf("append after delete: %v", err)
	}
	if got := readAll(t, s, 0); len(got) != 0 {
		t.Fatalf("read after delete: %v", got)
	}
	for _, bad := range []string{"", "../x", "A", strings.Repeat("a", 65)} {
		if _, err := s.Append(bad, batch("a", 1), 1); !errors.Is(err, errdefs.ErrInvalidArgument) {
			t.Fatalf("append to %q: %v", bad, err)
		}
	}
}

// TestConcurrent appends and reads one stream from several goroutines; run it with -race.
func TestConcurrent(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 25 {
				if _, err := s.Append(id, batch(fmt.Sprintf("w%d", w), int64(i)), int64(i)); err != nil {
					t.Error(err)
					return
				}
			}
		})
		wg.Go(func() {
			for range 10 {
				prev := int64(-1)
				for _, e := range readAll(t, s, 0) {
					if e.Time < prev {
						t.Error("out of order")
					}
					prev = e.Time
				}
			}
		})
	}
	wg.Wait()
	if got := readAll(t, s, 0); len(got) != 100 {
		t.Fatalf("%d events, want 100", len(got))
	}
}
