package logsapitest

import (
	"context"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/fargohq/fargo/internal/api/logsapi"
	"github.com/fargohq/fargo/internal/errdefs"
)

// Source is an in-memory logsapi.LogSource: what tests Append is what readers see, with the
// semantics of runtime.Driver.Logs (since, tail; an unknown container is errdefs.ErrNotFound).
type Source struct {
	mu    sync.Mutex
	lines map[string][]logsapi.Line
}

var _ logsapi.LogSource = (*Source)(nil)

// NewSource returns an empty Source.
func NewSource() *Source { return &Source{lines: map[string][]logsapi.Line{}} }

// Append adds lines to the output of the container id ("<task id>-<container name>").
func (s *Source) Append(id string, lines ...logsapi.Line) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lines[id] = append(s.lines[id], lines...)
}

// Print appends texts as stdout lines of the container id written at, at+1ms, at+2ms, ...
func (s *Source) Print(id string, at time.Time, texts ...string) {
	lines := make([]logsapi.Line, len(texts))
	for i, text := range texts {
		lines[i] = logsapi.Line{Time: at.Add(time.Duration(i) * time.Millisecond), Stream: "stdout", Text: text}
	}
	s.Append(id, lines...)
}

// Logs implements logsapi.LogSource over a snapshot of the container's lines.
func (s *Source) Logs(_ context.Context, id string, since time.Time, tail int) (logsapi.LineReader, error) {
	s.mu.Lock()
	all, ok := s.lines[id]
	all = slices.Clone(all)
	s.mu.Unlock()
	if !ok {
		return nil, errdefs.NotFound("container %s has no output", id)
	}
	var lines []logsapi.Line
	for _, l := range all {
		if since.IsZero() || !l.Time.Before(since) {
			lines = append(lines, l)
		}
	}
	if tail > 0 && len(lines) > tail {
		lines = lines[len(lines)-tail:]
	}
	return &reader{lines: lines}, nil
}

type reader struct{ lines []logsapi.Line }

func (r *reader) Next(ctx context.Context) (logsapi.Line, error) {
	if err := ctx.Err(); err != nil {
		return logsapi.Line{}, err
	}
	if len(r.lines) == 0 {
		return logsapi.Line{}, io.EOF
	}
	l := r.lines[0]
	r.lines = r.lines[1:]
	return l, nil
}

func (r *reader) Close() error { return nil }
