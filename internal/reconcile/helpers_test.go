package reconcile_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/reconcile"
)

// call is one Reconcile seen by a recorder.
type call struct {
	Key string
	At  time.Duration // since the recorder was made
}

// recorder is a Reconciler that records its calls and answers with then, which gets the
// 1-based number of the call for that key.
type recorder struct {
	start time.Time
	then  func(ctx context.Context, key string, n int) (reconcile.Result, error)

	mu    sync.Mutex
	calls []call
	count map[string]int
}

var _ reconcile.Reconciler = (*recorder)(nil)

func newRecorder(then func(ctx context.Context, key string, n int) (reconcile.Result, error)) *recorder {
	if then == nil {
		then = func(context.Context, string, int) (reconcile.Result, error) { return reconcile.Result{}, nil }
	}
	return &recorder{start: time.Now(), then: then, count: make(map[string]int)}
}

func (r *recorder) Reconcile(ctx context.Context, key string) (reconcile.Result, error) {
	r.mu.Lock()
	r.count[key]++
	n := r.count[key]
	r.calls = append(r.calls, call{Key: key, At: time.Since(r.start)})
	r.mu.Unlock()
	return r.then(ctx, key, n)
}

// Calls returns a copy of the calls so far.
func (r *recorder) Calls() []call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]call(nil), r.calls...)
}

// Keys returns the keys of the calls so far, in order.
func (r *recorder) Keys() []string {
	var keys []string
	for _, c := range r.Calls() {
		keys = append(keys, c.Key)
	}
	return keys
}

// Times returns when key was reconciled.
func (r *recorder) Times(key string) []time.Duration {
	var at []time.Duration
	for _, c := range r.Calls() {
		if c.Key == key {
			at = append(at, c.At)
		}
	}
	return at
}

// start runs c in the background and returns a function that cancels Run and returns its
// error. The test's cleanup stops c too, so no goroutine outlives the test.
func start(t *testing.T, c *reconcile.Controller) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- c.Run(ctx) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			err = <-errc
		})
		return err
	}
	t.Cleanup(func() { _ = stop() })
	return stop
}

// captureHandler is a slog.Handler that keeps each record as one line of text.
type captureHandler struct {
	attrs []slog.Attr
	mu    *sync.Mutex
	lines *[]string
}

func newCaptureHandler() *captureHandler {
	return &captureHandler{mu: new(sync.Mutex), lines: new([]string)}
}

func (h *captureHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h *captureHandler) Handle(_ context.Context, r slog.Record) error {
	line := r.Level.String() + " " + r.Message
	for _, a := range h.attrs {
		line += " " + a.String()
	}
	r.Attrs(func(a slog.Attr) bool {
		line += " " + a.String()
		return true
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	*h.lines = append(*h.lines, line)
	return nil
}

func (h *captureHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &captureHandler{attrs: append(append([]slog.Attr(nil), h.attrs...), attrs...), mu: h.mu, lines: h.lines}
}

func (h *captureHandler) WithGroup(string) slog.Handler { return h }

func (h *captureHandler) Lines() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), *h.lines...)
}
