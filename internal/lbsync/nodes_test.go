package lbsync_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/lbsync"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// healthProxy is a fakeProxy whose targets' health the test sets.
type healthProxy struct {
	fakeProxy
	mu     sync.Mutex
	health map[string]lb.TargetHealth // by target ID
}

func (p *healthProxy) Health() []lb.TargetHealth {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []lb.TargetHealth
	for _, h := range p.health {
		out = append(out, h)
	}
	return out
}

// set records h and tells the controller, as the proxy's health callback does.
func (p *healthProxy) set(c *lbsync.Controller, h lb.TargetHealth) {
	p.mu.Lock()
	if h.State == lb.StateUnused { // released: the proxy forgets it
		delete(p.health, h.TargetID)
	} else {
		p.health[h.TargetID] = h
	}
	p.mu.Unlock()
	c.Notify(h)
}

const nodesGroupARN = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef"

// testNode is one data-plane node's controller over a shared store.
type testNode struct {
	proxy *healthProxy
	ctrl  *lbsync.Controller
	stop  func()
}

func startTestNode(t *testing.T, kvs kv.KV, name string, lead bool) *testNode {
	t.Helper()
	st := store.New(kvs)
	m, err := lbsync.NewMembership(lbsync.MembershipConfig{Name: name, Timeout: time.Second, ReportInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	p := &healthProxy{fakeProxy: fakeProxy{applied: make(chan lb.Config, 1)}, health: map[string]lb.TargetHealth{}}
	c := lbsync.New(st, p, lbsync.Config{Node: m}, nil)
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := c.Run(ctx); err != nil {
			t.Errorf("node %s: Run = %v", name, err)
		}
	})
	if lead {
		wg.Go(func() { _ = m.Lead(ctx, kvs) })
	}
	n := &testNode{proxy: p, ctrl: c, stop: sync.OnceFunc(func() { cancel(); wg.Wait() })}
	t.Cleanup(n.stop)
	return n
}

// TestNodesAggregate runs two data-plane nodes' controllers on one store, a leading: a
// target's registration turns healthy only once both nodes find it healthy, a drained target
// is released only once both released it, and a node that stops reporting drops out after
// its timeout.
func TestNodesAggregate(t *testing.T) {
	t.Parallel()
	kvs, err := memkv.New(memkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(kvs)
	targets := []elb.Target{{ID: "127.0.0.1", Port: 9001}, {ID: "127.0.0.1", Port: 9002}}
	for _, tg := range targets {
		reg := elb.Registration{TargetGroupARN: nodesGroupARN, Target: tg, Health: elb.TargetHealth{State: elb.TargetInitial}}
		if _, err := st.TargetRegistrations.Create(t.Context(), regID(tg), reg); err != nil {
			t.Fatal(err)
		}
	}
	a := startTestNode(t, kvs, "a", true)
	b := startTestNode(t, kvs, "b", false)
	health := func(tg elb.Target, s lb.TargetState) lb.TargetHealth {
		return lb.TargetHealth{GroupID: nodesGroupARN, TargetID: lbsync.TargetKey(tg), State: s}
	}

	for _, tg := range targets {
		a.proxy.set(a.ctrl, health(tg, lb.StateHealthy))
		b.proxy.set(b.ctrl, health(tg, lb.StateUnhealthy))
	}
	waitRegistration(t, st, targets[0], "unhealthy: a finds it healthy, b unhealthy", func(r elb.Registration, ok bool) bool {
		return ok && r.Health.State == elb.TargetUnhealthy
	})
	for _, tg := range targets {
		b.proxy.set(b.ctrl, health(tg, lb.StateHealthy))
	}
	for _, tg := range targets {
		waitRegistration(t, st, tg, "healthy on both nodes", func(r elb.Registration, ok bool) bool {
			return ok && r.Health.State == elb.TargetHealthy
		})
	}

	// Both targets deregistered: a released them at once (it never reports them draining), b
	// drains both.
	for _, tg := range targets {
		b.proxy.set(b.ctrl, health(tg, lb.StateDraining))
		deregister(t, st, tg)
		a.proxy.set(a.ctrl, health(tg, lb.StateUnused))
	}
	waitReport(t, st, "b", "b's report of the deregistrations", func(n elb.Node) bool {
		reg, err := st.TargetRegistrations.Get(t.Context(), regID(targets[1]))
		return err == nil && n.Revision >= reg.Revision
	})
	time.Sleep(time.Second) // rounds of a's in which it must not release what b drains
	for _, tg := range targets {
		if _, err := st.TargetRegistrations.Get(t.Context(), regID(tg)); err != nil {
			t.Fatalf("%v released while node b still drains it: %v", tg, err)
		}
	}
	b.proxy.set(b.ctrl, health(targets[0], lb.StateUnused))
	waitRegistration(t, st, targets[0], "released once b released it too", func(_ elb.Registration, ok bool) bool { return !ok })

	// b stops reporting while it still drains targets[1]: it drops out after its timeout.
	b.stop()
	waitRegistration(t, st, targets[1], "released once b dropped out", func(_ elb.Registration, ok bool) bool { return !ok })
}

func regID(tg elb.Target) string {
	ref, err := elb.ParseTargetGroupARN(nodesGroupARN)
	if err != nil {
		panic(err)
	}
	return store.TargetRegistrationID(ref.Name, tg)
}

func deregister(t *testing.T, st *store.Store, tg elb.Target) {
	t.Helper()
	if _, err := st.TargetRegistrations.Update(t.Context(), regID(tg), func(r *elb.Registration) error {
		r.Draining, r.DeregisteredAt = true, time.Now()
		r.Health = elb.TargetHealth{State: elb.TargetDraining, Reason: elb.ReasonDeregistrationInProgress}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func waitRegistration(t *testing.T, st *store.Store, tg elb.Target, what string, cond func(elb.Registration, bool) bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		it, err := st.TargetRegistrations.Get(t.Context(), regID(tg))
		if err != nil && !errors.Is(err, errdefs.ErrNotFound) {
			t.Fatal(err)
		}
		if cond(it.Value, err == nil) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %v: %s; registration %+v (found: %v)", tg, what, it.Value, err == nil)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func waitReport(t *testing.T, st *store.Store, name, what string, cond func(elb.Node) bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		it, err := st.DataPlaneNodes.Get(t.Context(), name)
		if err == nil && cond(it.Value) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s: %+v, %v", what, it.Value, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
