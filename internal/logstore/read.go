package logstore

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
)

// Reader yields the events of a stream from a time on, in (time, sequence) order, as they were
// when Read was called. Close it when done.
type Reader struct {
	from    int64
	active  cursorHeap
	pending []*cursor // sorted by start; activated once the merge reaches their start
	files   []*os.File
}

// cursor walks one source: the head's sorted events, or a run frame by frame.
type cursor struct {
	start  int64 // no event of the source is older
	events []Event
	i      int
	f      *os.File // nil for the head
	frames []frameRef
}

// Read returns a Reader of the events of stream id with a time at or after from
// (milliseconds since the epoch). A stream with no events gives a Reader with none.
func (s *Store) Read(id string, from int64) (*Reader, error) {
	st, err := s.stream(id)
	if err != nil {
		return nil, err
	}
	if err := st.ensureLoaded(); err != nil {
		return nil, err
	}
	r := &Reader{from: from}
	head, err := st.pick(r)
	if err != nil {
		_ = r.Close()
		return nil, err
	}
	if c := headCursor(head, from); c != nil {
		r.pending = append(r.pending, c)
	}
	sort.SliceStable(r.pending, func(i, j int) bool { return r.pending[i].start < r.pending[j].start })
	return r, nil
}

// pick opens the runs that reach from and reads the head, while the stream cannot change.
func (st *stream) pick(r *Reader) ([]byte, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	if st.deleted {
		return nil, nil
	}
	for _, run := range st.runs {
		if run.sum.count == 0 || run.sum.maxTime < r.from {
			continue
		}
		i := sort.Search(len(run.frames), func(i int) bool { return run.frames[i].h.maxTime >= r.from })
		f, err := os.Open(filepath.Join(st.dir, run.name))
		if err != nil {
			return nil, fmt.Errorf("read stream %s: %w", st.id, err)
		}
		r.files = append(r.files, f)
		r.pending = append(r.pending, &cursor{start: max(run.frames[i].h.minTime, r.from), f: f, frames: run.frames[i:]})
	}
	if st.head.count == 0 || st.head.maxTime < r.from {
		return nil, nil
	}
	b, err := os.ReadFile(st.headPath())
	if err != nil {
		return nil, fmt.Errorf("read stream %s: %w", st.id, err)
	}
	return b[:min(int64(len(b)), st.head.size)], nil
}

// headCursor returns a cursor over the head's events at or after from, sorted; nil if none.
func headCursor(b []byte, from int64) *cursor {
	frames, _, _ := scanFrames(b)
	var events []Event
	for _, f := range frames {
		for _, e := range f {
			if e.Time >= from {
				events = append(events, e)
			}
		}
	}
	if len(events) == 0 {
		return nil
	}
	slices.SortFunc(events, compareEvents)
	return &cursor{start: events[0].Time, events: events}
}

func compareEvents(a, b Event) int {
	switch {
	case a.less(b):
		return -1
	case b.less(a):
		return 1
	}
	return 0
}

// Next returns the next event, or false after the last.
func (r *Reader) Next(ctx context.Context) (Event, bool, error) {
	if err := ctx.Err(); err != nil {
		return Event{}, false, err
	}
	for len(r.pending) > 0 && (r.active.Len() == 0 || r.pending[0].start <= r.active[0].current().Time) {
		c := r.pending[0]
		r.pending = r.pending[1:]
		ok, err := c.fill(r.from)
		if err != nil {
			return Event{}, false, err
		}
		if ok {
			heap.Push(&r.active, c)
		}
	}
	if r.active.Len() == 0 {
		return Event{}, false, nil
	}
	c := r.active[0]
	e := c.current()
	c.i++
	ok, err := c.fill(r.from)
	if err != nil {
		return Event{}, false, err
	}
	if ok {
		heap.Fix(&r.active, 0)
	} else {
		heap.Pop(&r.active)
	}
	return e, true, nil
}

// Close releases the files the Reader holds.
func (r *Reader) Close() error {
	var err error
	for _, f := range r.files {
		err = errors.Join(err, f.Close())
	}
	r.files = nil
	return err
}

func (c *cursor) current() Event { return c.events[c.i] }

// fill makes current an event, decoding the next frames of a run as needed; false when the
// source has no more events at or after from.
func (c *cursor) fill(from int64) (bool, error) {
	for c.i >= len(c.events) {
		if c.f == nil || len(c.frames) == 0 {
			return false, nil
		}
		ref := c.frames[0]
		c.frames = c.frames[1:]
		events, err := readFrame(c.f, ref.off, ref.h.size())
		if err != nil {
			return false, fmt.Errorf("read %s: %w", c.f.Name(), err)
		}
		c.events, c.i = events, 0
		for c.i < len(c.events) && c.events[c.i].Time < from {
			c.i++
		}
	}
	return true, nil
}

// cursorHeap orders active cursors by their current event.
type cursorHeap []*cursor

func (h cursorHeap) Len() int           { return len(h) }
func (h cursorHeap) Less(i, j int) bool { return h[i].current().less(h[j].current()) }
func (h cursorHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *cursorHeap) Push(x any)        { *h = append(*h, x.(*cursor)) }
func (h *cursorHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	*h = old[:len(old)-1]
	return c
}
