package lb_test

import (
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/lb/lbtest"
)

// statsBackend answers /ok with 200, /fail with 500 and /slow with 200 after 30 ms (or after
// its query parameter d).
func statsBackend(t *testing.T) string {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/fail":
			w.WriteHeader(http.StatusInternalServerError)
		case "/slow":
			d, err := time.ParseDuration(r.URL.Query().Get("d"))
			if err != nil {
				d = 30 * time.Millisecond
			}
			time.Sleep(d)
		}
		_, _ = io.WriteString(w, "hello")
	}))
	t.Cleanup(s.Close)
	return strings.TrimPrefix(s.URL, "http://")
}

// refusedAddr returns an address on which nothing listens.
func refusedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// statsProxy runs a proxy whose listener forwards to group g of the targets (ID = address),
// without health checks, and returns it with the listener's URL.
func statsProxy(t *testing.T, delay time.Duration, addrs ...string) (*lb.Proxy, string) {
	t.Helper()
	p := lbtest.Start(t, lb.ProxyConfig{})
	if err := p.Apply(statsConfig(delay, addrs...)); err != nil {
		t.Fatal(err)
	}
	return p, "http://" + p.ListenerAddr("l")
}

func statsConfig(delay time.Duration, addrs ...string) lb.Config {
	g := lb.TargetGroup{ID: "g", HealthCheck: lb.HealthCheck{Disabled: true}, DeregistrationDelay: delay}
	for _, a := range addrs {
		g.Targets = append(g.Targets, lb.Target{ID: a, Addr: a})
	}
	return lb.Config{Listeners: []lb.Listener{lbtest.Listener("l", lbtest.Forward("g"))}, TargetGroups: []lb.TargetGroup{g}}
}

// statsOf returns the stats of the target with this address, and whether it is listed.
func statsOf(p *lb.Proxy, addr string) (lb.TargetStats, bool) {
	for _, s := range p.TargetStats() {
		if s.Addr == addr {
			return s, true
		}
	}
	return lb.TargetStats{}, false
}

func TestTargetStats(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		path    string
		n       int
		refused bool // a second target that refuses connections, first in round-robin order
		// want of the backend, and of the refused target when there is one
		wantRequests, want5xx, wantErrors int64
		wantRefused                       [3]int64 // requests, 5xx, errors
		minP50                            time.Duration
	}{
		{name: "200", path: "/ok", n: 5, wantRequests: 5},
		{name: "500", path: "/fail", n: 3, wantRequests: 3, want5xx: 3},
		{name: "slow", path: "/slow", n: 2, wantRequests: 2, minP50: 30 * time.Millisecond},
		// Round robin sends the first or second request to the refused target first; it fails,
		// is counted there and is retried on the backend, and routing passes the refused
		// target over for a while (refusalHold).
		{name: "refused target retried", path: "/ok", n: 4, refused: true, wantRequests: 4, wantRefused: [3]int64{1, 0, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			backend := statsBackend(t)
			addrs := []string{backend}
			refused := ""
			if tt.refused {
				refused = refusedAddr(t)
				addrs = []string{refused, backend}
			}
			p, url := statsProxy(t, 0, addrs...)
			for range tt.n {
				if res, _ := do(t, nil, "GET", url+tt.path, nil); res.StatusCode >= 502 {
					t.Fatalf("status %d from the proxy", res.StatusCode)
				}
			}
			s, ok := statsOf(p, backend)
			if !ok {
				t.Fatal("backend not listed")
			}
			if s.GroupID != "g" || s.TargetID != backend {
				t.Errorf("listed as %s/%s", s.GroupID, s.TargetID)
			}
			if got := [3]int64{s.Requests, s.Responses5xx, s.Errors}; got != [3]int64{tt.wantRequests, tt.want5xx, tt.wantErrors} {
				t.Errorf("backend requests, 5xx, errors = %v, want %v", got, [3]int64{tt.wantRequests, tt.want5xx, tt.wantErrors})
			}
			if got := sum(s.Latency); got != s.Requests {
				t.Errorf("latency buckets hold %d, want %d", got, s.Requests)
			}
			if q := s.Quantile(0.5); q < tt.minP50 || q == math.MaxInt64 {
				t.Errorf("p50 %s, want at least %s", q, tt.minP50)
			}
			if !tt.refused {
				return
			}
			rs, ok := statsOf(p, refused)
			if !ok {
				t.Fatal("refused target not listed")
			}
			if got := [3]int64{rs.Requests, rs.Responses5xx, rs.Errors}; got != tt.wantRefused {
				t.Errorf("refused target requests, 5xx, errors = %v, want %v", got, tt.wantRefused)
			}
		})
	}
}

// TestTargetStatsFailure: an attempt that nothing could retry is answered 502 by the proxy and
// counts as an error and a 5xx of its target.
func TestTargetStatsFailure(t *testing.T) {
	t.Parallel()
	refused := refusedAddr(t)
	p, url := statsProxy(t, 0, refused)
	if res, _ := do(t, nil, "GET", url+"/", nil); res.StatusCode != http.StatusBadGateway {
		t.Fatalf("status %d, want 502", res.StatusCode)
	}
	s, _ := statsOf(p, refused)
	if got, want := [3]int64{s.Requests, s.Responses5xx, s.Errors}, [3]int64{1, 1, 1}; got != want {
		t.Errorf("requests, 5xx, errors = %v, want %v", got, want)
	}
}

// TestTargetStatsDraining: a draining target is listed, with its counters, until it is
// released.
func TestTargetStatsDraining(t *testing.T) {
	t.Parallel()
	old, next := statsBackend(t), statsBackend(t)
	p, url := statsProxy(t, time.Minute, old)
	do(t, nil, "GET", url+"/ok", nil)
	done := make(chan error, 1)
	go func() {
		res, err := http.Get(url + "/slow?d=300ms")
		if err == nil {
			_, err = io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
		done <- err
	}()
	lbtest.Eventually(t, 5*time.Second, "slow request in flight", func() bool {
		return lbtest.State(p, "g", old) == lb.StateUnavailable && inFlight(p, old) == 1
	})
	if err := p.Apply(statsConfig(time.Minute, next)); err != nil {
		t.Fatal(err)
	}
	if got := lbtest.State(p, "g", old); got != lb.StateDraining {
		t.Fatalf("old target is %q, want draining", got)
	}
	if s, ok := statsOf(p, old); !ok || s.Requests != 1 {
		t.Fatalf("draining target: listed %t with %d requests, want listed with 1", ok, s.Requests)
	}
	lbtest.Eventually(t, 5*time.Second, "old target released", func() bool {
		_, ok := statsOf(p, old)
		return !ok
	})
	if err := <-done; err != nil {
		t.Fatalf("request on the draining target: %v", err)
	}
	if s, ok := statsOf(p, next); !ok || s.Requests != 0 {
		t.Errorf("new target: listed %t with %d requests, want listed with 0", ok, s.Requests)
	}
}

func inFlight(p *lb.Proxy, addr string) int {
	for _, th := range p.Health() {
		if th.Addr == addr {
			return th.InFlight
		}
	}
	return 0
}

func sum(a [lb.NumLatencyBuckets]int64) int64 {
	var n int64
	for _, v := range a {
		n += v
	}
	return n
}

func TestQuantile(t *testing.T) {
	t.Parallel()
	bucketOf := func(counts map[int]int64) lb.TargetStats {
		var s lb.TargetStats
		for i, n := range counts {
			s.Latency[i] = n
		}
		return s
	}
	last := lb.NumLatencyBuckets - 1
	tests := []struct {
		name string
		s    lb.TargetStats
		q    float64
		want time.Duration
	}{
		{name: "empty", q: 0.99, want: 0},
		{name: "one bucket", s: bucketOf(map[int]int64{2: 10}), q: 0.5, want: lb.LatencyBound(2)},
		{name: "median in the lower", s: bucketOf(map[int]int64{0: 50, 5: 50}), q: 0.5, want: lb.LatencyBound(0)},
		{name: "p99 in the upper", s: bucketOf(map[int]int64{0: 98, 5: 2}), q: 0.99, want: lb.LatencyBound(5)},
		{name: "p100", s: bucketOf(map[int]int64{0: 98, 5: 2}), q: 1, want: lb.LatencyBound(5)},
		{name: "q 0 is the first observation", s: bucketOf(map[int]int64{3: 1, 7: 1}), q: 0, want: lb.LatencyBound(3)},
		{name: "+Inf", s: bucketOf(map[int]int64{last: 1}), q: 0.5, want: math.MaxInt64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.s.Quantile(tt.q); got != tt.want {
				t.Errorf("Quantile(%v) = %s, want %s", tt.q, got, tt.want)
			}
		})
	}
	if got := lb.LatencyBound(0); got != 500*time.Microsecond {
		t.Errorf("first bound %s, want 500µs", got)
	}
}

// TestGroupStats checks that the answers a listener writes itself, not a target, count for the
// group it forwarded to: 503 when the group has nothing to route to, 502 when its target
// fails, 504 when it does not answer in time; a target's own 500 does not count.
func TestGroupStats(t *testing.T) {
	t.Parallel()
	backend := statsBackend(t)
	tests := []struct {
		name   string
		group  lb.TargetGroup
		path   string
		status int
		want   lb.GroupStats
	}{
		{name: "no target registered", group: lb.TargetGroup{ID: "g"}, path: "/ok", status: 503, want: lb.GroupStats{NoTarget: 3}},
		{name: "target in its first checks", path: "/ok", status: 503, want: lb.GroupStats{NoTarget: 3},
			// The first check fails and the next one is an hour away: the target stays initial.
			group: lb.TargetGroup{ID: "g", HealthCheck: lb.HealthCheck{Path: "/fail", Interval: time.Hour, UnhealthyThreshold: 2},
				Targets: []lb.Target{{ID: "b", Addr: backend}}}},
		{name: "target hangs up", path: "/ok", status: 502, want: lb.GroupStats{BadGateway: 3},
			group: lb.TargetGroup{ID: "g", HealthCheck: lb.HealthCheck{Disabled: true}, Targets: []lb.Target{{ID: "h", Addr: lbtest.HangUpTarget(t)}}}},
		{name: "target too slow", path: "/slow?d=2s", status: 504, want: lb.GroupStats{GatewayTimeout: 3},
			group: lb.TargetGroup{ID: "g", HealthCheck: lb.HealthCheck{Disabled: true}, Targets: []lb.Target{{ID: "b", Addr: backend}}}},
		{name: "target's own 500", path: "/fail", status: 500,
			group: lb.TargetGroup{ID: "g", HealthCheck: lb.HealthCheck{Disabled: true}, Targets: []lb.Target{{ID: "b", Addr: backend}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := lbtest.Start(t, lb.ProxyConfig{ResponseTimeout: 200 * time.Millisecond})
			cfg := lb.Config{Listeners: []lb.Listener{lbtest.Listener("l", lbtest.Forward("g"))}, TargetGroups: []lb.TargetGroup{tt.group}}
			if err := p.Apply(cfg); err != nil {
				t.Fatal(err)
			}
			url := "http://" + p.ListenerAddr("l")
			for range 3 {
				if res, _ := do(t, nil, "GET", url+tt.path, nil); res.StatusCode != tt.status {
					t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
				}
			}
			tt.want.GroupID = "g"
			if got := p.GroupStats(); len(got) != 1 || got[0] != tt.want {
				t.Fatalf("group stats %+v, want %+v", got, tt.want)
			}
			// A new config with the group keeps its counts; one without it drops them.
			if err := p.Apply(cfg); err != nil {
				t.Fatal(err)
			}
			if got := p.GroupStats(); len(got) != 1 || got[0] != tt.want {
				t.Fatalf("group stats after a new config %+v, want %+v", got, tt.want)
			}
			if err := p.Apply(lb.Config{}); err != nil {
				t.Fatal(err)
			}
			if got := p.GroupStats(); len(got) != 0 {
				t.Fatalf("group stats of a removed group: %+v", got)
			}
		})
	}
}
