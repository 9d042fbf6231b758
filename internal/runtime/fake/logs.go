package fake

import (
	"context"
	"io"
	"time"

	"github.com/fargohq/fargo/internal/runtime"
)

// Logs returns the lines of the container's script that appeared by now (and, when following,
// those that appear later).
func (d *Driver) Logs(_ context.Context, id string, opts runtime.LogOptions) (runtime.LogReader, error) {
	s := d.state
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.get(id)
	if err != nil {
		return nil, err
	}
	r := &logReader{state: s, c: c, opts: opts}
	if opts.Tail > 0 {
		visible := r.visible(time.Now())
		kept := 0
		for i := visible - 1; i >= 0 && kept < opts.Tail; i-- {
			if !r.skip(c.lines[i]) {
				kept++
				r.next = i
			}
		}
	}
	return r, nil
}

type logReader struct {
	state *State
	c     *container
	opts  runtime.LogOptions
	next  int
}

var _ runtime.LogReader = (*logReader)(nil)

// visible is how many lines have appeared by now. The caller holds the State's mutex.
func (r *logReader) visible(now time.Time) int {
	n := 0
	for _, l := range r.c.lines {
		if l.Time.After(now) || (!r.c.exitAt.IsZero() && l.Time.After(r.c.exitAt)) {
			break
		}
		n++
	}
	return n
}

func (r *logReader) skip(l runtime.LogLine) bool {
	return !r.opts.Since.IsZero() && l.Time.Before(r.opts.Since)
}

// Next returns the next line; when following, it waits for the next line to appear, and
// returns io.EOF once the container is removed.
func (r *logReader) Next(ctx context.Context) (runtime.LogLine, error) {
	for {
		r.state.mu.Lock()
		now := time.Now()
		visible := r.visible(now)
		if r.next < visible {
			l := r.c.lines[r.next]
			r.next++
			r.state.mu.Unlock()
			if r.skip(l) {
				continue
			}
			return l, nil
		}
		if !r.opts.Follow || r.c.removed {
			r.state.mu.Unlock()
			return runtime.LogLine{}, io.EOF
		}
		var at time.Time
		if r.next < len(r.c.lines) && !r.c.exited(now) {
			at = r.c.lines[r.next].Time
		}
		changed := r.c.changedChan()
		r.state.mu.Unlock()
		if err := sleepUntil(ctx, at, changed); err != nil {
			return runtime.LogLine{}, err
		}
	}
}

// Close does nothing: the reader holds no resources.
func (r *logReader) Close() error { return nil }
