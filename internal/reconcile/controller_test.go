package reconcile_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/reconcile"
)

const ms = time.Millisecond

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  reconcile.Config
		ok   bool
	}{
		{"zero", reconcile.Config{}, true},
		{"full", reconcile.Config{Workers: 4, BaseBackoff: ms, MaxBackoff: time.Second, ResyncPeriod: time.Minute}, true},
		{"negative workers", reconcile.Config{Workers: -1}, false},
		{"negative base", reconcile.Config{BaseBackoff: -1}, false},
		{"negative max", reconcile.Config{MaxBackoff: -1}, false},
		{"negative resync", reconcile.Config{ResyncPeriod: -1}, false},
		{"base above max", reconcile.Config{BaseBackoff: time.Second, MaxBackoff: ms}, false},
		{"base above default max", reconcile.Config{BaseBackoff: time.Hour}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.cfg.Validate()
			if (err == nil) != tt.ok {
				t.Fatalf("Validate() = %v, want ok %v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, errdefs.ErrInvalidArgument) {
				t.Errorf("Validate() = %v, want kind ErrInvalidArgument", err)
			}
		})
	}
}

func TestRunRejectsBadConfigAndSecondRun(t *testing.T) {
	t.Parallel()
	bad := reconcile.New("bad", newRecorder(nil), reconcile.Config{Workers: -1}, nil)
	if err := bad.Run(t.Context()); !errors.Is(err, errdefs.ErrInvalidArgument) {
		t.Errorf("Run with bad config = %v, want ErrInvalidArgument", err)
	}

	synctest.Test(t, func(t *testing.T) {
		c := reconcile.New("twice", newRecorder(nil), reconcile.Config{}, nil)
		start(t, c)
		synctest.Wait()
		if err := c.Run(t.Context()); !errors.Is(err, errdefs.ErrFailedPrecondition) {
			t.Errorf("second Run = %v, want ErrFailedPrecondition", err)
		}
		defer func() {
			if recover() == nil {
				t.Error("Watch after Run did not panic")
			}
		}()
		c.Watch(func(context.Context, func(string)) error { return nil })
	})
}

func TestDedup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		adds []string
		want []string
	}{
		{"one key many times", []string{"a", "a", "a", "a"}, []string{"a"}},
		{"interleaved", []string{"a", "b", "a", "c", "b", "a"}, []string{"a", "b", "c"}},
		{"distinct", []string{"c", "b", "a"}, []string{"c", "b", "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				r := newRecorder(nil)
				c := reconcile.New("dedup", r, reconcile.Config{}, nil)
				for _, k := range tt.adds {
					c.Add(k) // before Run: all of them wait in the queue together
				}
				start(t, c)
				synctest.Wait()
				if diff := cmp.Diff(tt.want, r.Keys()); diff != "" {
					t.Errorf("reconciled keys (-want +got):\n%s", diff)
				}
			})
		})
	}
}

func TestNoConcurrentReconcileOfOneKey(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var (
			inflight    sync.Map // key -> *atomic.Int32
			overlaps    atomic.Int32
			all, maxAll atomic.Int32
		)
		r := reconcile.ReconcilerFunc(func(ctx context.Context, key string) (reconcile.Result, error) {
			n, _ := inflight.LoadOrStore(key, new(atomic.Int32))
			if n.(*atomic.Int32).Add(1) > 1 {
				overlaps.Add(1)
			}
			cur := all.Add(1)
			for old := maxAll.Load(); cur > old && !maxAll.CompareAndSwap(old, cur); old = maxAll.Load() {
			}
			time.Sleep(7 * ms)
			all.Add(-1)
			n.(*atomic.Int32).Add(-1)
			return reconcile.Result{}, nil
		})
		c := reconcile.New("exclusive", r, reconcile.Config{Workers: 4}, nil)
		start(t, c)
		for i := range 200 {
			for _, k := range []string{"a", "b", "c", "d", "e"} {
				c.Add(k)
			}
			time.Sleep(time.Duration(1+i%5) * ms)
		}
		synctest.Wait()
		if got := overlaps.Load(); got != 0 {
			t.Errorf("%d overlapping reconciles of one key", got)
		}
		if got := maxAll.Load(); got < 2 {
			t.Errorf("at most %d reconciles ran at once; the test did not exercise concurrency", got)
		}
	})
}

func TestDirtyWhileProcessing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		readds    int
		wantCalls int
	}{
		{"not re-added", 0, 1},
		{"re-added once", 1, 2},
		{"re-added many times", 5, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				release := make(chan struct{})
				r := newRecorder(func(_ context.Context, _ string, n int) (reconcile.Result, error) {
					if n == 1 {
						<-release
					}
					return reconcile.Result{}, nil
				})
				c := reconcile.New("dirty", r, reconcile.Config{Workers: 4}, nil)
				start(t, c)
				c.Add("a")
				synctest.Wait() // the first reconcile of a is blocked
				for range tt.readds {
					c.Add("a")
				}
				synctest.Wait()
				if got := len(r.Calls()); got != 1 {
					t.Fatalf("%d reconciles while the first is running, want 1", got)
				}
				close(release)
				synctest.Wait()
				if got := len(r.Calls()); got != tt.wantCalls {
					t.Errorf("%d reconciles, want %d", got, tt.wantCalls)
				}
			})
		})
	}
}

func TestRequeueAfter(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const after = 10 * time.Second
		r := newRecorder(func(_ context.Context, _ string, n int) (reconcile.Result, error) {
			if n == 1 {
				return reconcile.Result{RequeueAfter: after}, nil
			}
			return reconcile.Result{}, nil
		})
		c := reconcile.New("requeue", r, reconcile.Config{}, nil)
		start(t, c)
		c.Add("a")
		time.Sleep(after - time.Nanosecond)
		synctest.Wait()
		if diff := cmp.Diff([]time.Duration{0}, r.Times("a")); diff != "" {
			t.Fatalf("before the delay (-want +got):\n%s", diff)
		}
		time.Sleep(time.Hour)
		synctest.Wait()
		if diff := cmp.Diff([]time.Duration{0, after}, r.Times("a")); diff != "" {
			t.Errorf("after the delay (-want +got):\n%s", diff)
		}
	})
}

func TestAddAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		delays []time.Duration
		want   []time.Duration
	}{
		{"one", []time.Duration{3 * time.Second}, []time.Duration{3 * time.Second}},
		{"earlier wins", []time.Duration{5 * time.Second, 2 * time.Second}, []time.Duration{2 * time.Second}},
		{"later ignored", []time.Duration{2 * time.Second, 5 * time.Second}, []time.Duration{2 * time.Second}},
		{"zero is now", []time.Duration{0}, []time.Duration{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				r := newRecorder(nil)
				c := reconcile.New("after", r, reconcile.Config{}, nil)
				start(t, c)
				for _, d := range tt.delays {
					c.AddAfter("a", d)
				}
				time.Sleep(time.Hour)
				if diff := cmp.Diff(tt.want, r.Times("a")); diff != "" {
					t.Errorf("reconcile times (-want +got):\n%s", diff)
				}
			})
		})
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		cfg      reconcile.Config
		failures int
		want     []time.Duration // gaps between consecutive reconciles
	}{
		{"defaults double", reconcile.Config{}, 5, []time.Duration{5 * ms, 10 * ms, 20 * ms, 40 * ms, 80 * ms}},
		{"capped", reconcile.Config{BaseBackoff: time.Second, MaxBackoff: 3 * time.Second}, 5,
			[]time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 3 * time.Second, 3 * time.Second}},
		{"base equals max", reconcile.Config{BaseBackoff: time.Second, MaxBackoff: time.Second}, 3,
			[]time.Duration{time.Second, time.Second, time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				r := newRecorder(func(_ context.Context, _ string, n int) (reconcile.Result, error) {
					// Fail failures times, succeed once, then fail once more to show the reset.
					if n <= tt.failures || n == tt.failures+2 {
						return reconcile.Result{}, errors.New("boom")
					}
					return reconcile.Result{}, nil
				})
				c := reconcile.New("backoff", r, tt.cfg, nil)
				start(t, c)
				c.Add("a")
				time.Sleep(time.Hour)
				at := r.Times("a")
				if len(at) != tt.failures+1 {
					t.Fatalf("reconciled at %v, want %d times", at, tt.failures+1)
				}
				var gaps []time.Duration
				for i := 1; i < len(at); i++ {
					gaps = append(gaps, at[i]-at[i-1])
				}
				if diff := cmp.Diff(tt.want, gaps); diff != "" {
					t.Errorf("retry gaps (-want +got):\n%s", diff)
				}

				c.Add("a") // succeeded last time, so this failure waits the base delay again
				synctest.Wait()
				failedAt := time.Since(r.start)
				time.Sleep(time.Hour)
				at = r.Times("a")
				base := tt.cfg.BaseBackoff
				if base == 0 {
					base = reconcile.DefaultBaseBackoff
				}
				if got := at[len(at)-1] - failedAt; len(at) != tt.failures+3 || got != base {
					t.Errorf("after success, retried %v after the failure (calls %v), want %v", got, at, base)
				}
			})
		})
	}
}

func TestErrorsAndTerminal(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	tests := []struct {
		name      string
		err       error
		wantCalls int
	}{
		{"plain error retried", boom, 3},
		{"terminal not retried", reconcile.Terminal(boom), 1},
		{"wrapped terminal not retried", fmt.Errorf("load: %w", reconcile.Terminal(boom)), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				r := newRecorder(func(_ context.Context, _ string, n int) (reconcile.Result, error) {
					if n < 3 {
						return reconcile.Result{}, tt.err
					}
					return reconcile.Result{}, nil
				})
				c := reconcile.New("errors", r, reconcile.Config{}, nil)
				start(t, c)
				c.Add("a")
				time.Sleep(time.Hour)
				if got := len(r.Calls()); got != tt.wantCalls {
					t.Errorf("%d reconciles, want %d", got, tt.wantCalls)
				}
			})
		})
	}
}

func TestTerminal(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	if reconcile.Terminal(nil) != nil {
		t.Error("Terminal(nil) != nil")
	}
	err := fmt.Errorf("apply: %w", reconcile.Terminal(boom))
	if !reconcile.IsTerminal(err) || !errors.Is(err, boom) || err.Error() != "apply: boom" {
		t.Errorf("wrapped terminal error %q: IsTerminal %v, Is(boom) %v", err, reconcile.IsTerminal(err), errors.Is(err, boom))
	}
	if reconcile.IsTerminal(boom) || reconcile.IsTerminal(nil) {
		t.Error("IsTerminal true for a plain error or nil")
	}
}

func TestErrorLoggedOnce(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := newCaptureHandler()
		r := newRecorder(func(_ context.Context, _ string, n int) (reconcile.Result, error) {
			if n == 1 {
				return reconcile.Result{}, errors.New("boom")
			}
			return reconcile.Result{}, nil
		})
		c := reconcile.New("logs", r, reconcile.Config{}, slog.New(h))
		start(t, c)
		c.Add("a")
		time.Sleep(time.Hour)
		want := []string{"ERROR reconcile failed controller=logs key=a err=boom retry_in=5ms"}
		if diff := cmp.Diff(want, h.Lines()); diff != "" {
			t.Errorf("log (-want +got):\n%s", diff)
		}
	})
}

// TestLostWriteRaceLoggedAtDebug checks that a retry after a concurrent write won (a conflict
// from the store) is logged at debug level, while every real failure stays an error.
func TestLostWriteRaceLoggedAtDebug(t *testing.T) {
	t.Parallel()
	conflict := errdefs.Conflict("etcdkv: a transaction condition no longer holds")
	boom := errors.New("boom")
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"conflict", conflict,
			"DEBUG reconcile lost a write race controller=logs key=a err=etcdkv: a transaction condition no longer holds retry_in=5ms"},
		{"wrapped conflict", fmt.Errorf("update service demo/web: %w", conflict),
			"DEBUG reconcile lost a write race controller=logs key=a err=update service demo/web: etcdkv: a transaction condition no longer holds retry_in=5ms"},
		{"joined conflicts", errors.Join(conflict, fmt.Errorf("rule: %w", conflict)),
			"DEBUG reconcile lost a write race controller=logs key=a err=etcdkv: a transaction condition no longer holds\nrule: etcdkv: a transaction condition no longer holds retry_in=5ms"},
		{"conflict joined with a failure", errors.Join(conflict, boom),
			"ERROR reconcile failed controller=logs key=a err=etcdkv: a transaction condition no longer holds\nboom retry_in=5ms"},
		{"plain failure", boom, "ERROR reconcile failed controller=logs key=a err=boom retry_in=5ms"},
		{"terminal conflict", reconcile.Terminal(conflict),
			"ERROR reconcile failed, not retrying controller=logs key=a err=etcdkv: a transaction condition no longer holds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				h := newCaptureHandler()
				r := newRecorder(func(_ context.Context, _ string, n int) (reconcile.Result, error) {
					if n == 1 {
						return reconcile.Result{}, tt.err
					}
					return reconcile.Result{}, nil
				})
				c := reconcile.New("logs", r, reconcile.Config{}, slog.New(h))
				start(t, c)
				c.Add("a")
				time.Sleep(time.Hour)
				if diff := cmp.Diff([]string{tt.want}, h.Lines()); diff != "" {
					t.Errorf("log (-want +got):\n%s", diff)
				}
			})
		})
	}
}

// TestKeyThatKeepsLosingIsAnError checks that conflicts stop being routine once a key has
// lost ten times in a row.
func TestKeyThatKeepsLosingIsAnError(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := newCaptureHandler()
		r := newRecorder(func(_ context.Context, _ string, n int) (reconcile.Result, error) {
			if n <= 11 {
				return reconcile.Result{}, fmt.Errorf("update: %w", errdefs.Conflict("key is at revision %d", n))
			}
			return reconcile.Result{}, nil
		})
		c := reconcile.New("logs", r, reconcile.Config{}, slog.New(h))
		start(t, c)
		c.Add("a")
		time.Sleep(time.Hour)
		var got []string
		for _, l := range h.Lines() {
			head, _, _ := strings.Cut(l, " controller=")
			got = append(got, head)
		}
		want := slices.Repeat([]string{"DEBUG reconcile lost a write race"}, 9)
		want = append(want, "ERROR reconcile keeps losing write races", "ERROR reconcile keeps losing write races")
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("log levels (-want +got):\n%s", diff)
		}
		if lines := h.Lines(); len(lines) == 11 && !strings.Contains(lines[9], "failures=10") {
			t.Errorf("the first error does not count the failures: %s", lines[9])
		}
	})
}
