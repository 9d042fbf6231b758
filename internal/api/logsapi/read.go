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
)

// eventOverhead is what CloudWatch adds to a message's length when it counts an event's size
// against the 1 MB a response may hold.
const (
	eventOverhead   = 26
	maxResponseSize = 1 << 20
)

// event is a line with its place in its stream: k is the number of earlier lines of the stream
// written at exactly the same time, so that (ns, k) orders lines and tokens can name a place.
type event struct {
	Line
	ns int64
	k  int
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

// scanner reads a container's lines as events. It must start at a time boundary (since), so
// that it sees every line written at the time of the first one it returns.
type scanner struct {
	r      LineReader
	prevNS int64
	k      int
	seen   bool
}

// open returns a scanner of a container's lines from since, or nil when it has no output yet.
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

// scan returns a scanner of a container's lines from since (unix nanoseconds), or nil when it
// has no output yet. The caller closes its reader, r.
func (a *API) scan(ctx context.Context, containerID string, since int64) (*scanner, error) {
	var t time.Time
	if since > 0 {
		t = time.Unix(0, since)
	}
	r, err := a.open(ctx, containerID, t, 0)
	if err != nil || r == nil {
		return nil, err
	}
	return &scanner{r: r}, nil
}

func (s *scanner) next(ctx context.Context) (event, bool, error) {
	l, ok, err := next(ctx, s.r)
	if err != nil || !ok {
		return event{}, false, err
	}
	ns := l.Time.UnixNano()
	if s.seen && ns == s.prevNS {
		s.k++
	} else {
		s.k = 0
	}
	s.prevNS, s.seen = ns, true
	return event{Line: l, ns: ns, k: s.k}, true, nil
}

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
