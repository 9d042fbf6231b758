package process

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/runtime"
)

func TestEntryRoundTrip(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 26, 7, 0, 0, 123456789, time.FixedZone("x", 3600))
	for _, text := range []string{"", "plain", "two  spaces and a\ttab", "\x00binary\xff", "ends with space "} {
		line := formatEntry(nil, at, "stderr", []byte(text))
		got, err := parseEntry(line[:len(line)-1])
		if err != nil || !got.Time.Equal(at) || got.Stream != "stderr" || got.Text != text {
			t.Errorf("round trip of %q: %+v, %v", text, got, err)
		}
	}
	for _, bad := range []string{"", "no-time stdout x", "2026-11-26T07:00:00Z"} {
		if _, err := parseEntry([]byte(bad)); err == nil {
			t.Errorf("parseEntry(%q) succeeded", bad)
		}
	}
}

// TestFollowAcrossRotations writes while a reader follows: the reader sees every line once,
// in order, although the file it reads is rotated under it.
func TestFollowAcrossRotations(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	w, err := openLogWriter(dir, 1024, 10, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	const n = 200
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r, err := openLogReader(dir, runtime.LogOptions{Follow: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	errc := make(chan error, 1)
	go func() {
		for i := range n {
			if err := w.write("stdout", fmt.Appendf(nil, "line %03d", i)); err != nil {
				errc <- err
				return
			}
			if i%10 == 0 {
				time.Sleep(5 * time.Millisecond)
			}
		}
		errc <- w.Close()
	}()
	for i := range n {
		l, err := r.Next(ctx)
		if want := fmt.Sprintf("line %03d", i); err != nil || l.Text != want {
			t.Fatalf("line %d: %+v, %v; want %q", i, l, err, want)
		}
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	names, _ := logFiles(dir)
	if len(names) < 3 {
		t.Fatalf("files %v: the test did not rotate", names)
	}
}

func TestReadOptions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var clock time.Time
	w, err := openLogWriter(dir, 1024, 5, func() time.Time { return clock })
	if err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		clock = base.Add(time.Duration(i) * time.Second)
		if err := w.write("stdout", fmt.Appendf(nil, "%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	read := func(opts runtime.LogOptions) []string {
		r, err := openLogReader(dir, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var out []string
		for {
			l, err := r.Next(context.Background())
			if errors.Is(err, io.EOF) {
				return out
			}
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, l.Text)
		}
	}
	all := read(runtime.LogOptions{})
	if len(all) == 0 || all[len(all)-1] != "99" {
		t.Fatalf("all: %v", all)
	}
	if got := read(runtime.LogOptions{Tail: 3}); !slices.Equal(got, []string{"97", "98", "99"}) {
		t.Errorf("tail 3: %v", got)
	}
	if got := read(runtime.LogOptions{Since: base.Add(98 * time.Second)}); !slices.Equal(got, []string{"98", "99"}) {
		t.Errorf("since 98s: %v", got)
	}
	if got := read(runtime.LogOptions{Since: base.Add(90 * time.Second), Tail: 1}); !slices.Equal(got, []string{"99"}) {
		t.Errorf("since 90s, tail 1: %v", got)
	}
	// A torn last line (a crash in the middle of a write) is skipped.
	f, err := os.OpenFile(filepath.Join(dir, logFile), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("garbage\n2026-01-01T00:10:00Z stdout tor"); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	if got := read(runtime.LogOptions{Tail: 1}); !slices.Equal(got, []string{"99"}) {
		t.Errorf("after a torn write, tail 1: %v", got)
	}
}
