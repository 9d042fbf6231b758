package reconcile_test

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/reconcile"
)

func TestRunStops(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		busy bool
	}{
		{"idle workers", false},
		{"mid reconcile", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				var sawCancel atomic.Bool
				r := reconcile.ReconcilerFunc(func(ctx context.Context, _ string) (reconcile.Result, error) {
					<-ctx.Done()
					sawCancel.Store(errors.Is(ctx.Err(), context.Canceled))
					return reconcile.Result{}, ctx.Err()
				})
				h := newCaptureHandler()
				c := reconcile.New("stop", r, reconcile.Config{Workers: 3, ResyncPeriod: time.Minute}, slog.New(h))
				c.Watch(func(ctx context.Context, _ func(string)) error {
					<-ctx.Done()
					return ctx.Err()
				})
				stop := start(t, c)
				if tt.busy {
					c.Add("a")
				}
				c.AddAfter("b", time.Hour) // a pending timer must not hold Run either
				synctest.Wait()
				began := time.Now()
				if err := stop(); err != nil {
					t.Errorf("Run = %v, want nil after cancel", err)
				}
				if d := time.Since(began); d != 0 {
					t.Errorf("Run took %v to return", d)
				}
				if sawCancel.Load() != tt.busy {
					t.Errorf("reconcile saw a cancelled context: %v, want %v", sawCancel.Load(), tt.busy)
				}
				if lines := h.Lines(); len(lines) != 0 {
					t.Errorf("logged %q; a reconcile cancelled by shutdown is not a failure", lines)
				}
				c.Add("c") // after Run: dropped, and must not block or panic
				c.AddAfter("c", time.Second)
			})
		})
	}
}

func TestSources(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	blocking := func(ctx context.Context, _ func(string)) error {
		<-ctx.Done()
		return ctx.Err()
	}
	tests := []struct {
		name     string
		sources  []reconcile.Source
		wantKeys []string
		wantErr  error // nil: Run keeps going until cancelled
	}{
		{
			name: "failing source ends run",
			sources: []reconcile.Source{blocking, func(_ context.Context, enqueue func(string)) error {
				enqueue("a")
				time.Sleep(time.Second)
				return boom
			}},
			wantKeys: []string{"a"},
			wantErr:  boom,
		},
		{
			name: "source returning nil does not end run",
			sources: []reconcile.Source{func(_ context.Context, enqueue func(string)) error {
				enqueue("a")
				enqueue("b")
				return nil
			}},
			wantKeys: []string{"a", "b"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				r := newRecorder(nil)
				c := reconcile.New("sources", r, reconcile.Config{}, nil)
				for _, s := range tt.sources {
					c.Watch(s)
				}
				errc := make(chan error, 1)
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				go func() { errc <- c.Run(ctx) }()
				time.Sleep(time.Minute)
				var err error
				select {
				case err = <-errc:
				default:
					cancel()
					err = <-errc
					if tt.wantErr != nil {
						t.Fatalf("Run still running after a minute, want error %v", tt.wantErr)
					}
				}
				if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
					t.Errorf("Run = %v, want %v", err, tt.wantErr)
				}
				if diff := cmp.Diff(tt.wantKeys, r.Keys()); diff != "" {
					t.Errorf("reconciled keys (-want +got):\n%s", diff)
				}
			})
		})
	}
}

func TestResync(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const period = time.Minute
		r := newRecorder(func(_ context.Context, key string, _ int) (reconcile.Result, error) {
			switch key {
			case "gone":
				return reconcile.Result{Gone: true}, nil
			case "terminal":
				return reconcile.Result{}, reconcile.Terminal(errors.New("bad spec"))
			}
			return reconcile.Result{}, nil
		})
		c := reconcile.New("resync", r, reconcile.Config{ResyncPeriod: period}, nil)
		start(t, c)
		c.Add("live")
		c.Add("gone")
		c.Add("terminal")
		time.Sleep(2*period + time.Second)
		tests := []struct {
			key  string
			want []time.Duration
		}{
			{"live", []time.Duration{0, period, 2 * period}},
			{"gone", []time.Duration{0}},
			{"terminal", []time.Duration{0, period, 2 * period}},
		}
		for _, tt := range tests {
			if diff := cmp.Diff(tt.want, r.Times(tt.key)); diff != "" {
				t.Errorf("reconciles of %s (-want +got):\n%s", tt.key, diff)
			}
		}
	})
}
