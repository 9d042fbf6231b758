package leader_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/fargohq/fargo/internal/embedetcd/embedetcdtest"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/leader"
	"github.com/fargohq/fargo/internal/store/kv"
	"github.com/fargohq/fargo/internal/store/kv/etcdkv"
)

// member is one elector with the terms it ran.
type member struct {
	name   string
	el     *leader.Elector
	cancel context.CancelFunc
	done   chan struct{}

	mu    sync.Mutex
	terms []*term
}

// term is one term's fence and whether it has ended.
type term struct {
	fence *leader.Fenced
	ended chan struct{}
}

func startMember(t *testing.T, client *clientv3.Client, name string) *member {
	t.Helper()
	store := etcdkv.New(client)
	t.Cleanup(func() { _ = store.Close() })
	el, err := leader.New(client, store, leader.Config{Name: name, TTL: 2 * time.Second, Retry: 100 * time.Millisecond}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	m := &member{name: name, el: el, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(m.done)
		_ = el.Run(ctx, func(ctx context.Context, fence *leader.Fenced) error {
			tm := &term{fence: fence, ended: make(chan struct{})}
			m.mu.Lock()
			m.terms = append(m.terms, tm)
			m.mu.Unlock()
			<-ctx.Done()
			close(tm.ended)
			return nil
		})
	}()
	t.Cleanup(m.stop)
	return m
}

func (m *member) stop() {
	m.cancel()
	<-m.done
}

func (m *member) lastTerm() *term {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.terms) == 0 {
		return nil
	}
	return m.terms[len(m.terms)-1]
}

// waitLeader polls until exactly one of members leads, and returns it.
func waitLeader(t *testing.T, members ...*member) *member {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		var leading []*member
		for _, m := range members {
			if m.el.Leading() {
				leading = append(leading, m)
			}
		}
		if len(leading) > 1 {
			t.Fatalf("%d members lead at once", len(leading))
		}
		if len(leading) == 1 {
			return leading[0]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("no member leads")
	return nil
}

// TestTakeOverWhenLeaderStops: one of two members leads, both name it, and the other takes
// over when it stops.
func TestTakeOverWhenLeaderStops(t *testing.T) {
	t.Parallel()
	client := embedetcdtest.New(t)
	a, b := startMember(t, client, "a"), startMember(t, client, "b")
	first := waitLeader(t, a, b)
	for _, m := range []*member{a, b} {
		if name, err := m.el.Leader(t.Context()); err != nil || name != first.name {
			t.Fatalf("%s says the leader is %q, %v; want %s", m.name, name, err, first.name)
		}
	}
	first.stop()
	second := waitLeader(t, a, b)
	if second == first {
		t.Fatal("the stopped member leads")
	}
}

// TestLostLeaseEndsTermAndFencesWrites: when the leader's lease ends (revoked here, as etcd
// does when the leader stops renewing it), its term ends, the fence refuses its writes, and the
// other member leads.
func TestLostLeaseEndsTermAndFencesWrites(t *testing.T) {
	t.Parallel()
	client := embedetcdtest.New(t)
	a, b := startMember(t, client, "a"), startMember(t, client, "b")
	first := waitLeader(t, a, b)
	tm := first.lastTerm()
	if _, err := tm.fence.Txn(t.Context(), nil, []kv.Op{{Key: "/k", Value: []byte("leader")}}); err != nil {
		t.Fatalf("the leader's fenced write: %v", err)
	}
	// A conflict on the leader's own condition stays a conflict.
	if _, err := tm.fence.Txn(t.Context(), []kv.Cond{{Key: "/k", ModRevision: 0}}, []kv.Op{{Key: "/k", Value: []byte("again")}}); !errors.Is(err, errdefs.ErrConflict) {
		t.Fatalf("conflicting write of the leader: %v, want a conflict", err)
	}

	resp, err := client.Get(t.Context(), leader.DefaultPrefix, clientv3.WithPrefix())
	if err != nil || len(resp.Kvs) == 0 {
		t.Fatalf("election keys: %v, %v", resp, err)
	}
	var lease clientv3.LeaseID
	for _, k := range resp.Kvs {
		if string(k.Value) == first.name {
			lease = clientv3.LeaseID(k.Lease)
		}
	}
	if _, err := client.Revoke(t.Context(), lease); err != nil {
		t.Fatal(err)
	}
	select {
	case <-tm.ended:
	case <-time.After(30 * time.Second):
		t.Fatal("the term goes on after its lease ended")
	}
	if _, err := tm.fence.Txn(t.Context(), nil, []kv.Op{{Key: "/k", Value: []byte("deposed")}}); !errors.Is(err, leader.ErrDeposed) {
		t.Fatalf("write of the deposed term: %v, want ErrDeposed", err)
	}
	got, err := client.Get(t.Context(), "/k")
	if err != nil || string(got.Kvs[0].Value) != "leader" {
		t.Fatalf("/k = %v, %v; the deposed write changed it", got, err)
	}
	// Someone leads again: the other member, or the first one in a new term.
	waitLeader(t, a, b)
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  leader.Config
		ok   bool
	}{
		{"name only", leader.Config{Name: "a"}, true},
		{"no name", leader.Config{}, false},
		{"ttl under a second", leader.Config{Name: "a", TTL: 500 * time.Millisecond}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := tt.cfg.Validate(); (err == nil) != tt.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}
