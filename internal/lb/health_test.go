package lb

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

func TestHealthStateMachine(t *testing.T) {
	t.Parallel()
	spec := &healthSpec{healthyTh: 3, unhealthyTh: 2}
	ok := probeResult{ok: true}
	timeout := probeResult{reason: ReasonTimeout, desc: descTimeout}
	mismatch := probeResult{reason: ReasonResponseCodeMismatch, desc: "codes"}
	tests := []struct {
		name       string
		results    []probeResult
		wantState  TargetState
		wantReason string
	}{
		{"new target: one success is enough", []probeResult{ok}, StateHealthy, ""},
		{"new target: one failure keeps it initial", []probeResult{timeout}, StateInitial, ReasonInitialHealthChecking},
		{"new target: threshold failures", []probeResult{timeout, mismatch}, StateUnhealthy, ReasonResponseCodeMismatch},
		{"healthy: one failure is tolerated", []probeResult{ok, timeout}, StateHealthy, ""},
		{"healthy: failures must be consecutive", []probeResult{ok, timeout, ok, timeout}, StateHealthy, ""},
		{"healthy: threshold failures", []probeResult{ok, timeout, timeout}, StateUnhealthy, ReasonTimeout},
		{"unhealthy: below healthy threshold", []probeResult{timeout, timeout, ok, ok}, StateUnhealthy, ReasonTimeout},
		{"unhealthy: threshold successes", []probeResult{timeout, timeout, ok, ok, ok}, StateHealthy, ""},
		{"unhealthy: a failure restarts the count", []probeResult{timeout, timeout, ok, ok, mismatch, ok, ok}, StateUnhealthy, ReasonResponseCodeMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := initialHealth(spec)
			for _, r := range tt.results {
				h = h.observe(r, spec)
			}
			if got := stateNames[h.state]; got != tt.wantState || h.reason != tt.wantReason {
				t.Errorf("state %s (%s), want %s (%s)", got, h.reason, tt.wantState, tt.wantReason)
			}
		})
	}
	if h := initialHealth(&healthSpec{disabled: true}); h.state != stUnavailable || h.reason != ReasonHealthCheckDisabled {
		t.Errorf("disabled checks: %s (%s), want unavailable (%s)", stateNames[h.state], h.reason, ReasonHealthCheckDisabled)
	}
}

// fakeTargets runs a Proxy inside a synctest bubble with a fake probe and records its
// health notifications.
type fakeTargets struct {
	p      *Proxy
	ok     sync.Map // addr → *atomic.Bool; missing means healthy
	probes atomic.Int64
	mu     sync.Mutex
	events []TargetHealth
}

func startFake(t *testing.T) *fakeTargets {
	t.Helper()
	f := &fakeTargets{}
	p, err := New(ProxyConfig{OnHealthChange: func(th TargetHealth) {
		f.mu.Lock()
		f.events = append(f.events, th)
		f.mu.Unlock()
	}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.probe = func(_ context.Context, _ *healthSpec, addr string) probeResult {
		f.probes.Add(1)
		if v, ok := f.ok.Load(addr); ok && !v.(*atomic.Bool).Load() {
			return probeResult{reason: ReasonResponseCodeMismatch, desc: "codes"}
		}
		return probeResult{ok: true}
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := p.Run(ctx); err != nil {
			t.Error(err)
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
	f.p = p
	return f
}

func (f *fakeTargets) setHealthy(addr string, ok bool) {
	v, _ := f.ok.LoadOrStore(addr, new(atomic.Bool))
	v.(*atomic.Bool).Store(ok)
}

func (f *fakeTargets) state(id string) TargetState {
	for _, th := range f.p.Health() {
		if th.TargetID == id {
			return th.State
		}
	}
	return ""
}

// history returns the states one target went through, as notified.
func (f *fakeTargets) history(id string) []TargetState {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []TargetState
	for _, e := range f.events {
		if e.TargetID == id {
			out = append(out, e.State)
		}
	}
	return out
}

func (f *fakeTargets) target(id string) *target {
	f.p.mu.Lock()
	defer f.p.mu.Unlock()
	for k, t := range f.p.targets {
		if k.id == id {
			return t
		}
	}
	return nil
}

func groupConfig(hc HealthCheck, delay time.Duration, ids ...string) Config {
	g := TargetGroup{ID: "g", HealthCheck: hc, DeregistrationDelay: delay}
	for _, id := range ids {
		g.Targets = append(g.Targets, Target{ID: id, Addr: id + ":80"})
	}
	return Config{TargetGroups: []TargetGroup{g}}
}

func TestHealthCheckerThresholds(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := startFake(t)
		hc := HealthCheck{Interval: 10 * time.Second, HealthyThreshold: 3, UnhealthyThreshold: 2}
		if err := f.p.Apply(groupConfig(hc, 0, "a")); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if got := f.state("a"); got != StateInitial {
			t.Fatalf("right after registration: %s, want initial", got)
		}
		time.Sleep(time.Second) // the first check comes within a tenth of the interval
		synctest.Wait()
		if got := f.state("a"); got != StateHealthy {
			t.Fatalf("after the first check: %s, want healthy", got)
		}
		f.setHealthy("a:80", false)
		time.Sleep(11 * time.Second)
		synctest.Wait()
		if got := f.state("a"); got != StateHealthy {
			t.Fatalf("after one failure: %s, want healthy", got)
		}
		time.Sleep(10 * time.Second)
		synctest.Wait()
		if got := f.state("a"); got != StateUnhealthy {
			t.Fatalf("after two failures: %s, want unhealthy", got)
		}
		f.setHealthy("a:80", true)
		time.Sleep(21 * time.Second)
		synctest.Wait()
		if got := f.state("a"); got != StateUnhealthy {
			t.Fatalf("after two successes: %s, want unhealthy", got)
		}
		time.Sleep(10 * time.Second)
		synctest.Wait()
		if got := f.state("a"); got != StateHealthy {
			t.Fatalf("after three successes: %s, want healthy", got)
		}
		want := []TargetState{StateInitial, StateHealthy, StateUnhealthy, StateHealthy}
		if got := f.history("a"); !slices.Equal(got, want) {
			t.Errorf("notified %v, want %v", got, want)
		}
		// About one check per interval: 56 s at 10 s ± 5%, plus the first.
		if n := f.probes.Load(); n < 5 || n > 7 {
			t.Errorf("%d checks in 56 s at a 10 s interval", n)
		}
	})
}

func TestHealthCheckDisabled(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := startFake(t)
		if err := f.p.Apply(groupConfig(HealthCheck{Disabled: true}, 0, "a")); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		th := f.p.Health()
		if len(th) != 1 || th[0].State != StateUnavailable || th[0].Reason != ReasonHealthCheckDisabled {
			t.Fatalf("Health() = %+v, want one unavailable target (%s)", th, ReasonHealthCheckDisabled)
		}
		if !routable(f.target("a").state.Load()) {
			t.Error("a target without health checks is not routable")
		}
		time.Sleep(time.Minute)
		if n := f.probes.Load(); n != 0 {
			t.Errorf("%d checks with checks disabled", n)
		}
		// Switching checks on starts over: initial, then healthy after one check.
		if err := f.p.Apply(groupConfig(HealthCheck{Interval: 5 * time.Second}, 0, "a")); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if got := f.state("a"); got != StateInitial {
			t.Errorf("checks switched on: %s, want initial", got)
		}
		time.Sleep(time.Second)
		synctest.Wait()
		if got := f.state("a"); got != StateHealthy {
			t.Errorf("checks switched on, one check later: %s, want healthy", got)
		}
	})
}
