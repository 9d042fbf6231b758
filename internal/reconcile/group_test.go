package reconcile_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/reconcile"
)

// fakeCache syncs when its test closes synced; its Run fails at once with err when set.
type fakeCache struct {
	synced chan struct{}
	err    error
}

var _ reconcile.Cache = (*fakeCache)(nil)

func (c *fakeCache) Run(ctx context.Context) error {
	if c.err != nil {
		return c.err
	}
	<-ctx.Done()
	return nil
}

func (c *fakeCache) Synced() <-chan struct{} { return c.synced }

func TestGroup(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	const never = -1
	tests := []struct {
		name                        string
		syncAt                      []time.Duration // when each cache syncs, or never
		cacheErr, startErr, loopErr error           // the first cache's, Start's, the loop's after a minute
		want                        map[string]time.Duration
		wantErr                     error
		wantReturn                  time.Duration // the test cancels at 3 minutes
	}{
		{
			name:       "parts start once every cache synced",
			syncAt:     []time.Duration{time.Minute, 2 * time.Minute},
			want:       map[string]time.Duration{"start": 2 * time.Minute, "reconcile k": 2 * time.Minute, "loop": 2 * time.Minute},
			wantReturn: 3 * time.Minute,
		},
		{
			name:       "stopped before every cache synced",
			syncAt:     []time.Duration{time.Minute, never},
			want:       map[string]time.Duration{},
			wantReturn: 3 * time.Minute,
		},
		{
			name:     "start fails",
			syncAt:   []time.Duration{0, 0},
			startErr: boom,
			want:     map[string]time.Duration{"start": 0},
			wantErr:  boom,
		},
		{
			name:     "cache fails",
			syncAt:   []time.Duration{never, 0},
			cacheErr: boom,
			want:     map[string]time.Duration{},
			wantErr:  boom,
		},
		{
			name:       "loop fails",
			syncAt:     []time.Duration{0},
			loopErr:    boom,
			want:       map[string]time.Duration{"start": 0, "reconcile k": 0, "loop": 0},
			wantErr:    boom,
			wantReturn: time.Minute,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				begin := time.Now()
				var mu sync.Mutex
				got := map[string]time.Duration{}
				var order []string
				note := func(event string) {
					mu.Lock()
					defer mu.Unlock()
					got[event] = time.Since(begin)
					order = append(order, event)
				}
				var caches []reconcile.Cache
				for i, at := range tt.syncAt {
					c := &fakeCache{synced: make(chan struct{})}
					if i == 0 {
						c.err = tt.cacheErr
					}
					if at != never {
						time.AfterFunc(at, func() { close(c.synced) })
					}
					caches = append(caches, c)
				}
				ctrl := reconcile.New("group", reconcile.ReconcilerFunc(func(_ context.Context, key string) (reconcile.Result, error) {
					note("reconcile " + key)
					return reconcile.Result{}, nil
				}), reconcile.Config{}, nil)
				ctrl.Add("k") // before Run: waits for the caches
				g := reconcile.Group{
					Caches: caches,
					Start: func(context.Context) error {
						note("start")
						return tt.startErr
					},
					Controllers: []*reconcile.Controller{ctrl},
					Loops: []func(context.Context) error{func(ctx context.Context) error {
						note("loop")
						select {
						case <-ctx.Done():
							return nil
						case <-time.After(time.Minute):
							return tt.loopErr
						}
					}},
				}
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				time.AfterFunc(3*time.Minute, cancel)
				err := g.Run(ctx)
				if returned := time.Since(begin); returned != tt.wantReturn {
					t.Errorf("Run returned after %v, want %v", returned, tt.wantReturn)
				}
				if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
					t.Errorf("Run = %v, want %v", err, tt.wantErr)
				}
				mu.Lock()
				defer mu.Unlock()
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("events and when (-want +got):\n%s", diff)
				}
				if len(order) > 0 && order[0] != "start" {
					t.Errorf("events in order %q: Start did not come first", order)
				}
			})
		})
	}
}

// TestGroupStartStopping checks that a Start that fails because the group is stopping does
// not make Run fail.
func TestGroupStartStopping(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		synced := make(chan struct{})
		close(synced)
		ctx, cancel := context.WithCancel(t.Context())
		g := reconcile.Group{
			Caches: []reconcile.Cache{&fakeCache{synced: synced}},
			Start: func(ctx context.Context) error {
				cancel()
				<-ctx.Done()
				return ctx.Err()
			},
		}
		if err := g.Run(ctx); err != nil {
			t.Errorf("Run = %v, want nil when stopped during Start", err)
		}
	})
}
