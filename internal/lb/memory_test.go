package lb_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/lb/lbtest"
)

// pendingChecks is a group over b whose health checks never finish within a test: a target
// that starts in its initial checks stays there, so only inherited health can route to it.
func pendingChecks(b *lbtest.Backend) lb.Config {
	g := lbtest.Group("g", b)
	g.HealthCheck = lb.HealthCheck{Path: "/slow?d=10m", Interval: 5 * time.Minute, Timeout: 2 * time.Minute}
	return lb.Config{Listeners: []lb.Listener{lbtest.Listener("l", lbtest.Forward("g"))}, TargetGroups: []lb.TargetGroup{g}}
}

// TestInheritStartsFromLastHealth: a proxy that inherited a predecessor's memory routes to the
// targets that were healthy at once, and counts on from the predecessor's counters; without
// it, the same config answers 503 until a check passed.
func TestInheritStartsFromLastHealth(t *testing.T) {
	t.Parallel()
	b := lbtest.NewBackend(t, "web")
	mem := lb.Memory{
		Health:  []lb.TargetHealth{{GroupID: "g", TargetID: "web", Addr: b.Addr, State: lb.StateHealthy}},
		Targets: []lb.TargetStats{{GroupID: "g", TargetID: "web", Addr: b.Addr, Requests: 7, Responses5xx: 2}},
		Groups:  []lb.GroupStats{{GroupID: "g", NoTarget: 3}},
	}
	for _, tc := range []struct {
		name     string
		inherit  bool
		wantCode int
		wantReqs int64
		wantNone int64
	}{
		{name: "inherited", inherit: true, wantCode: http.StatusOK, wantReqs: 8, wantNone: 3},
		{name: "fresh", wantCode: http.StatusServiceUnavailable, wantReqs: 0, wantNone: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := lbtest.Start(t, lb.ProxyConfig{})
			if tc.inherit {
				p.Inherit(mem)
			}
			if err := p.Apply(pendingChecks(b)); err != nil {
				t.Fatal(err)
			}
			res, _ := do(t, nil, "GET", "http://"+p.ListenerAddr("l")+"/", nil)
			if res.StatusCode != tc.wantCode {
				t.Fatalf("status %d, want %d", res.StatusCode, tc.wantCode)
			}
			if got := p.TargetStats()[0].Requests; got != tc.wantReqs {
				t.Errorf("target requests %d, want %d", got, tc.wantReqs)
			}
			if got := p.GroupStats()[0].NoTarget; got != tc.wantNone {
				t.Errorf("group's 503 answers %d, want %d", got, tc.wantNone)
			}
		})
	}
}

// TestInheritAddsToRunningTargets: counters inherited after the targets were configured add
// to theirs (the final counts of a predecessor that drained after the handover), and
// Memory.Minus yields exactly what was counted after a base.
func TestInheritAddsToRunningTargets(t *testing.T) {
	t.Parallel()
	b := lbtest.NewBackend(t, "web")
	p := lbtest.Start(t, lb.ProxyConfig{})
	if err := p.Apply(lb.Config{Listeners: []lb.Listener{lbtest.Listener("l", lbtest.Forward("g"))}, TargetGroups: []lb.TargetGroup{lbtest.Group("g", b)}}); err != nil {
		t.Fatal(err)
	}
	lbtest.WaitState(t, p, "g", "web", lb.StateHealthy)
	url := "http://" + p.ListenerAddr("l") + "/"
	do(t, nil, "GET", url, nil)
	base := p.Memory()
	do(t, nil, "GET", url, nil)
	do(t, nil, "GET", url, nil)
	delta := p.Memory().Minus(base)
	if len(delta.Targets) != 1 || delta.Targets[0].Requests != 2 {
		t.Fatalf("delta %+v, want 2 requests", delta.Targets)
	}
	p.Inherit(lb.Memory{Targets: []lb.TargetStats{{GroupID: "g", TargetID: "web", Addr: b.Addr, Requests: 10}},
		Groups: []lb.GroupStats{{GroupID: "g", BadGateway: 4}}})
	if got := p.TargetStats()[0].Requests; got != 13 {
		t.Errorf("requests %d, want 13", got)
	}
	if got := p.GroupStats()[0].BadGateway; got != 4 {
		t.Errorf("502 answers %d, want 4", got)
	}
}
