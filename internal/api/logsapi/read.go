package logsapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/logstore"
)

// eventOverhead is what CloudWatch adds to a message's length when it counts an event's size
// against the 1 MB a response may hold.
const (
	eventOverhead   = 26
	maxResponseSize = 1 << 20
)

// event is a line with its place in its stream: k is the number of earlier lines of the stream
// written at exactly the same time, so that (ns, k) orders lines and tokens can name a place.
// ingest is when CloudWatch took the event in (milliseconds): the time the driver read a
// container's line, the time a client's PutLogEvents wrote an event.
type event struct {
	Line
	ns     int64
	k      int
	ingest int64
}

func (e event) size() int { return len(e.Text) + eventOverhead }

// position is a place between two lines of a stream: after every line older than t (unix
// nanoseconds) and the first k lines written at exactly t.
type position struct {
	t int64
	k int
}

// covers reports whether e lies on p's older side.
func (p position) covers(e event) bool { return e.ns < p.t || (e.ns == p.t && e.k < p.k) }

func (e event) positionBefore() position { return position{t: e.ns, k: e.k} }
func (e event) positionAfter() position  { return position{t: e.ns, k: e.k + 1} }

// window is the time range [start, end) of a request, in unix nanoseconds.
type window struct{ start, end int64 }

func windowOf(startMS, endMS *int64) (window, error) {
	w := window{start: 0, end: math.MaxInt64}
	for _, b := range []struct {
		name string
		ms   *int64
		dst  *int64
	}{{"startTime", startMS, &w.start}, {"endTime", endMS, &w.end}} {
		if b.ms == nil {
			continue
		}
		if *b.ms < 0 {
			return window{}, errdefs.InvalidArgument("1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member must have value greater than or equal to 0", *b.ms, b.name)
		}
		*b.dst = math.MaxInt64
		if *b.ms < math.MaxInt64/int64(time.Millisecond) {
			*b.dst = *b.ms * int64(time.Millisecond)
		}
	}
	return w, nil
}

func (w window) contains(e event) bool { return e.ns >= w.start && e.ns < w.end }

// scanner reads a stream's events in order. It must start at a time boundary (since), so that
// it sees every event written at the time of the first one it returns.
type scanner struct {
	src    source
	cutoff int64
	prevNS int64
	k      int
	seen   bool
}

// entry is an event of a source, before its place in the stream is known.
type entry struct {
	Line
	ingest int64
}

// source yields the events of one part of a stream in time order.
type source interface {
	next(ctx context.Context) (entry, bool, error)
	Close() error
}

// open returns a reader of a container's lines from since, or nil when it has no output yet.
func (a *API) open(ctx context.Context, containerID string, since time.Time, tail int) (LineReader, error) {
	r, err := a.src.Logs(ctx, containerID, since, tail)
	if errors.Is(err, errdefs.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the output of %s: %w", containerID, err)
	}
	return r, nil
}

// scan returns a scanner of a stream's events from since (unix nanoseconds), or nil when it has
// none: the container's output and the written events merged in time order, without those the
// group's retention hides. The caller closes it.
func (a *API) scan(ctx context.Context, s logStream, since int64) (*scanner, error) {
	since = max(since, s.cutoff)
	var srcs []source
	if s.containerID != "" {
		var t time.Time
		if since > 0 {
			t = time.Unix(0, since)
		}
		r, err := a.open(ctx, s.containerID, t, 0)
		if err != nil {
			return nil, err
		}
		if r != nil {
			srcs = append(srcs, lineSource{r})
		}
	}
	if s.stored != nil {
		r, err := a.events.Read(s.stored.ID, ceilMillis(since))
		if err != nil {
			closeAll(srcs)
			return nil, fmt.Errorf("read log stream %s: %w", s.name, err)
		}
		srcs = append(srcs, storedSource{r})
	}
	switch len(srcs) {
	case 0:
		return nil, nil
	case 1:
		return &scanner{src: srcs[0], cutoff: s.cutoff}, nil
	}
	return &scanner{src: &mergedSource{a: srcs[0], b: srcs[1]}, cutoff: s.cutoff}, nil
}

func closeAll(srcs []source) {
	for _, s := range srcs {
		_ = s.Close()
	}
}

// ceilMillis returns the first millisecond at or after ns.
func ceilMillis(ns int64) int64 {
	ms := ns / int64(time.Millisecond)
	if ns%int64(time.Millisecond) > 0 {
		ms++
	}
	return ms
}

func (s *scanner) next(ctx context.Context) (event, bool, error) {
	for {
		e, ok, err := s.src.next(ctx)
		if err != nil || !ok {
			return event{}, false, err
		}
		ns := e.Time.UnixNano()
		if ns < s.cutoff {
			continue
		}
		if s.seen && ns == s.prevNS {
			s.k++
		} else {
			s.k = 0
		}
		s.prevNS, s.seen = ns, true
		return event{Line: e.Line, ns: ns, k: s.k, ingest: e.ingest}, true, nil
	}
}

// Close closes the scanner's sources. Their errors are those of closing what was only read,
// which leave the client nothing to act on.
func (s *scanner) Close() { _ = s.src.Close() }

// lineSource is a container's output.
type lineSource struct{ r LineReader }

func (s lineSource) next(ctx context.Context) (entry, bool, error) {
	l, ok, err := next(ctx, s.r)
	return entry{Line: l, ingest: millis(l.Time)}, ok, err
}

func (s lineSource) Close() error { return s.r.Close() }

// storedSource is the events clients wrote.
type storedSource struct{ r *logstore.Reader }

func (s storedSource) next(ctx context.Context) (entry, bool, error) {
	e, ok, err := s.r.Next(ctx)
	if err != nil || !ok {
		return entry{}, false, err
	}
	return entry{Line: Line{Time: time.UnixMilli(e.Time), Text: e.Message}, ingest: e.Ingest}, true, nil
}

func (s storedSource) Close() error { return s.r.Close() }

// mergedSource merges two sources in time order; on a tie a's event comes first.
type mergedSource struct {
	a, b     source
	ea, eb   entry
	okA, okB bool
	started  bool
}

func (m *mergedSource) next(ctx context.Context) (entry, bool, error) {
	var err error
	if !m.started {
		if m.ea, m.okA, err = m.a.next(ctx); err != nil {
			return entry{}, false, err
		}
		if m.eb, m.okB, err = m.b.next(ctx); err != nil {
			return entry{}, false, err
		}
		m.started = true
	}
	switch {
	case m.okA && (!m.okB || !m.eb.Time.Before(m.ea.Time)):
		e := m.ea
		m.ea, m.okA, err = m.a.next(ctx)
		return e, true, err
	case m.okB:
		e := m.eb
		m.eb, m.okB, err = m.b.next(ctx)
		return e, true, err
	}
	return entry{}, false, nil
}

func (m *mergedSource) Close() error { return errors.Join(m.a.Close(), m.b.Close()) }

// next returns r's next line without its newline, or false at the end.
func next(ctx context.Context, r LineReader) (Line, bool, error) {
	l, err := r.Next(ctx)
	if errors.Is(err, io.EOF) {
		return Line{}, false, nil
	}
	if err != nil {
		return Line{}, false, fmt.Errorf("read a log line: %w", err)
	}
	l.Text = strings.TrimSuffix(strings.TrimSuffix(l.Text, "\n"), "\r")
	return l, true, nil
}
