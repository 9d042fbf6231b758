package lb

import (
	"math"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

func testGroup(t testing.TB, states ...uint32) *group {
	t.Helper()
	cfg := ProxyConfig{}.withDefaults()
	var ts []*target
	for i, s := range states {
		id := "t" + strconv.Itoa(i)
		tg := newTarget(targetKey{group: "g", id: id, addr: id + ":80"}, "tok"+id, &cfg)
		tg.state.Store(s)
		ts = append(ts, tg)
	}
	return compileGroup(&TargetGroup{ID: "g"}, "gtok", new(atomic.Uint64), new(groupStats), ts)
}

func counts(g *group, n int, exclude *target) []int {
	r := httptest.NewRequest("GET", "/", nil)
	out := make([]int, len(g.targets))
	for range n {
		if i := g.choose(r, time.Now().UnixNano(), exclude); i >= 0 {
			out[i]++
		}
	}
	return out
}

func TestWeightedGroups(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		weights []int
	}{
		{"90/10", []int{90, 10}},
		{"canary 1/999", []int{999, 1}},
		{"three ways", []int{50, 30, 20}},
		{"zero weight gets nothing", []int{100, 0}},
	}
	const n = 10000
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &forward{}
			for i, w := range tt.weights {
				f.groups = append(f.groups, fwdGroup{g: testGroup(t, stHealthy), weight: w, token: strconv.Itoa(i)})
				f.total += w
			}
			got := make(map[*fwdGroup]int)
			r := httptest.NewRequest("GET", "/", nil)
			for range n {
				got[f.pickGroup(r)]++
			}
			for i, w := range tt.weights {
				p := float64(w) / float64(f.total)
				want := p * n
				// Five standard deviations of the binomial, plus one.
				tol := 5*math.Sqrt(n*p*(1-p)) + 1
				if c := float64(got[&f.groups[i]]); math.Abs(c-want) > tol {
					t.Errorf("group %d (weight %d): %v of %d requests, want %v ± %.0f", i, w, c, n, want, tol)
				}
			}
		})
	}
}

func TestTargetSelection(t *testing.T) {
	t.Parallel()
	const n = 3000
	tests := []struct {
		name    string
		states  []uint32
		exclude int // index of a target to exclude (a retry), -1 for none
		want    []int
		tol     int // random choices: allowed deviation
	}{
		{"round robin over healthy", []uint32{stHealthy, stHealthy, stHealthy}, -1, []int{1000, 1000, 1000}, 0},
		{"initial and unhealthy get nothing", []uint32{stHealthy, stInitial, stUnhealthy}, -1, []int{n, 0, 0}, 0},
		{"checks disabled is routable", []uint32{stUnavailable, stHealthy}, -1, []int{1500, 1500}, 0},
		{"draining gets nothing", []uint32{stDraining, stHealthy}, -1, []int{0, n}, 0},
		{"fail open: all unhealthy", []uint32{stUnhealthy, stUnhealthy}, -1, []int{1500, 1500}, 0},
		{"no fail open while one is initial", []uint32{stUnhealthy, stInitial}, -1, []int{0, 0}, 0},
		{"fail open ignores draining", []uint32{stUnhealthy, stDraining}, -1, []int{n, 0}, 0},
		{"retry excludes the failed target", []uint32{stHealthy, stHealthy, stHealthy}, 0, []int{0, 1500, 1500}, 150},
		{"retry with no other target", []uint32{stHealthy, stUnhealthy}, 0, []int{0, 0}, 0},
		{"no targets", nil, -1, []int{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := testGroup(t, tt.states...)
			var ex *target
			if tt.exclude >= 0 {
				ex = g.targets[tt.exclude]
			}
			got := counts(g, n, ex)
			for i := range tt.want {
				if d := got[i] - tt.want[i]; d > tt.tol || d < -tt.tol {
					t.Fatalf("picks %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestLeastOutstanding(t *testing.T) {
	t.Parallel()
	g := testGroup(t, stHealthy, stHealthy, stHealthy)
	g.algorithm = AlgorithmLeastRequests
	g.targets[0].flight.Store(5)
	g.targets[1].flight.Store(1)
	g.targets[2].flight.Store(3)
	if got := counts(g, 100, nil); got[1] != 100 {
		t.Fatalf("picks %v, want all on the least busy target", got)
	}
	g.targets[2].flight.Store(1)
	if got := counts(g, 1000, nil); got[0] != 0 || got[1] < 400 || got[2] < 400 {
		t.Fatalf("picks %v, want ties shared", got)
	}
}

func TestSlowStart(t *testing.T) {
	t.Parallel()
	g := testGroup(t, stHealthy, stHealthy)
	g.slowStart = 100 * time.Second
	now := time.Now().UnixNano()
	g.targets[0].since.Store(now - int64(time.Hour))
	g.targets[1].since.Store(now - int64(25*time.Second)) // a quarter into slow start
	r := httptest.NewRequest("GET", "/", nil)
	const n = 10000
	got := 0
	for range n {
		if g.choose(r, now, nil) == 1 {
			got++
		}
	}
	// Weights 1 and 0.25: the new target gets a fifth.
	if want := n / 5; math.Abs(float64(got-want)) > 200 {
		t.Errorf("target in slow start got %d of %d, want about %d", got, n, want)
	}
	// When every target ramps, none is held back.
	g.targets[0].since.Store(now)
	got = 0
	for range n {
		if g.choose(r, now, nil) == 1 {
			got++
		}
	}
	if got != n/2 {
		t.Errorf("all targets in slow start: %d of %d, want an even split", got, n)
	}
}

func TestStickiness(t *testing.T) {
	t.Parallel()
	g := testGroup(t, stHealthy, stHealthy, stHealthy)
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Cookie", "other=1; "+targetCookie+"="+g.targets[2].token+"; x=y")
	spread := map[int]bool{}
	for range 30 {
		spread[g.choose(r, 0, nil)] = true
	}
	if len(spread) != 3 {
		t.Fatalf("without stickiness the cookie must not matter, but requests went only to %v", spread)
	}
	g.sticky = true
	g.byToken = map[string]int{g.targets[2].token: 2}
	for range 50 {
		if i := g.choose(r, 0, nil); i != 2 {
			t.Fatalf("sticky request went to %d, want 2", i)
		}
	}
	g.targets[2].state.Store(stUnhealthy)
	if i := g.choose(r, 0, nil); i == 2 {
		t.Fatal("sticky request went to an unhealthy target")
	}
}
