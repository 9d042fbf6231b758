package lb

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"
)

// TestDrain covers invariant 3 on the fake clock: a removed target is released when its last
// request ends or when the deregistration delay elapsed, whichever is first; an idle one at
// once; a re-registered one not at all.
func TestDrain(t *testing.T) {
	t.Parallel()
	const delay = 30 * time.Second
	tests := []struct {
		name     string
		inFlight bool
		// during the drain, after waiting this long: end the request (endAfter) or register
		// the target again (readdAfter); zero means never.
		endAfter, readdAfter time.Duration
		wantReleasedAfter    time.Duration // -1: never
	}{
		{name: "idle target is released at once", wantReleasedAfter: 0},
		{name: "released when its request ends", inFlight: true, endAfter: 5 * time.Second, wantReleasedAfter: 5 * time.Second},
		{name: "released at the delay", inFlight: true, wantReleasedAfter: delay},
		{name: "registered again while draining", inFlight: true, readdAfter: 5 * time.Second, wantReleasedAfter: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				f := startFake(t)
				a, took := f.drain(t, delay, tt.inFlight, tt.endAfter, tt.readdAfter)
				released := f.state("a") == ""
				switch {
				case tt.wantReleasedAfter < 0 && released:
					t.Fatalf("released after %s, want it registered", took)
				case tt.wantReleasedAfter < 0:
					time.Sleep(2 * delay)
					synctest.Wait()
					if got := f.state("a"); got != StateHealthy {
						t.Fatalf("re-registered target is %s, want healthy", got)
					}
					want := []TargetState{StateInitial, StateHealthy, StateDraining, StateInitial, StateHealthy}
					if got := f.history("a"); !slices.Equal(got, want) {
						t.Errorf("notified %v, want %v", got, want)
					}
				case !released:
					t.Fatalf("still %s after %s", f.state("a"), took)
				case took != tt.wantReleasedAfter:
					t.Fatalf("released after %s, want %s", took, tt.wantReleasedAfter)
				default:
					want := []TargetState{StateInitial, StateHealthy, StateDraining, StateUnused}
					if got := f.history("a"); !slices.Equal(got, want) {
						t.Errorf("notified %v, want %v", got, want)
					}
					if a.acquire() {
						t.Error("a request could start on a released target")
					}
				}
			})
		})
	}
}

// drain registers targets a and b, optionally starts a request on a, removes a, then ends the
// request or registers a again after the given time, and waits until a is no longer
// draining. It returns a and how long after its removal that was.
func (f *fakeTargets) drain(t *testing.T, delay time.Duration, inFlight bool, endAfter, readdAfter time.Duration) (*target, time.Duration) {
	t.Helper()
	both := groupConfig(HealthCheck{Interval: 5 * time.Second}, delay, "a", "b")
	onlyB := groupConfig(HealthCheck{Interval: 5 * time.Second}, delay, "b")
	if err := f.p.Apply(both); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	a := f.target("a")
	if inFlight && !a.acquire() {
		t.Fatal("cannot start a request on a healthy target")
	}
	if err := f.p.Apply(onlyB); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	synctest.Wait()
	if got := f.state("a"); inFlight && got != StateDraining {
		t.Fatalf("after removal: %s, want draining", got)
	}
	switch {
	case endAfter > 0:
		time.Sleep(endAfter)
		a.done()
	case readdAfter > 0:
		time.Sleep(readdAfter)
		if err := f.p.Apply(both); err != nil {
			t.Fatal(err)
		}
	}
	synctest.Wait()
	for f.state("a") == StateDraining && time.Since(start) < 10*delay {
		time.Sleep(100 * time.Millisecond)
		synctest.Wait()
	}
	return a, time.Since(start)
}

// TestDrainGroupRemoved drains every target of a group that leaves the config, with the
// group's last deregistration delay.
func TestDrainGroupRemoved(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := startFake(t)
		if err := f.p.Apply(groupConfig(HealthCheck{}, 10*time.Second, "a", "b")); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second)
		a := f.target("a")
		a.acquire()
		if err := f.p.Apply(Config{}); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if got, want := []TargetState{f.state("a"), f.state("b")}, []TargetState{StateDraining, ""}; !slices.Equal(got, want) {
			t.Fatalf("states %v, want %v (busy one draining, idle one released)", got, want)
		}
		time.Sleep(10 * time.Second)
		synctest.Wait()
		if got := f.state("a"); got != "" {
			t.Fatalf("after the delay: %s, want released", got)
		}
		a.done()
		if n := a.inFlight(); n != 0 {
			t.Errorf("in flight after done: %d", n)
		}
	})
}
