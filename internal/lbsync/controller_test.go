package lbsync_test

import (
	"context"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/lbsync"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// fakeProxy hands the configs it is given to the test.
type fakeProxy struct{ applied chan lb.Config }

var _ lbsync.Proxy = (*fakeProxy)(nil)

func (p *fakeProxy) Apply(cfg lb.Config) error {
	select {
	case p.applied <- cfg:
	default: // the test reads the first only
	}
	return nil
}

func (p *fakeProxy) Health() []lb.TargetHealth     { return nil }
func (p *fakeProxy) TargetStats() []lb.TargetStats { return nil }
func (p *fakeProxy) GroupStats() []lb.GroupStats   { return nil }

// TestRunAppliesWholeStore checks the proxy's first config: it comes even when the store holds
// no ELB object, and it holds what the store held when the controller started.
func TestRunAppliesWholeStore(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		stored    bool // a load balancer with a listener before the start
		wantAddrs []string
	}{
		{"empty store", false, nil},
		{"listener stored before the start", true, []string{"127.0.0.1:8080"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			kv, err := memkv.New(memkv.Config{})
			if err != nil {
				t.Fatal(err)
			}
			st := store.New(kv)
			if tt.stored {
				storeListener(t, st)
			}
			p := &fakeProxy{applied: make(chan lb.Config, 1)}
			c := lbsync.New(st, p, lbsync.Config{}, nil)
			ctx, cancel := context.WithCancel(t.Context())
			errc := make(chan error, 1)
			go func() { errc <- c.Run(ctx) }()
			defer func() {
				cancel()
				if err := <-errc; err != nil {
					t.Errorf("Run = %v", err)
				}
			}()
			select {
			case cfg := <-p.applied:
				var addrs []string
				for _, l := range cfg.Listeners {
					addrs = append(addrs, l.Addr)
				}
				if len(addrs) != len(tt.wantAddrs) || (len(addrs) > 0 && addrs[0] != tt.wantAddrs[0]) {
					t.Errorf("first config's listeners %q, want %q", addrs, tt.wantAddrs)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("no config applied")
			}
		})
	}
}

// storeListener stores a load balancer with an HTTP listener on 8080 and its default rule.
func storeListener(t *testing.T, st *store.Store) {
	t.Helper()
	storeListenerOn(t, st, 8080)
}
