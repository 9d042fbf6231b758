package lb_test

import (
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/lb/lbtest"
)

// TestHealthGatesTraffic covers invariant 1: a target gets requests only after it passed a
// health check, and stops getting them once it failed UnhealthyThreshold checks.
func TestHealthGatesTraffic(t *testing.T) {
	t.Parallel()
	old, fresh := lbtest.NewBackend(t, "old"), lbtest.NewBackend(t, "new")
	fresh.SetHealthy(false)
	p := lbtest.Start(t, lb.ProxyConfig{})
	cfg := lb.Config{
		Listeners:    []lb.Listener{lbtest.Listener("l", lbtest.Forward("g"))},
		TargetGroups: []lb.TargetGroup{lbtest.Group("g", old, fresh)},
	}
	if err := p.Apply(cfg); err != nil {
		t.Fatal(err)
	}
	lbtest.WaitState(t, p, "g", "old", lb.StateHealthy)
	url := "http://" + p.ListenerAddr("l") + "/"
	for range 50 {
		if _, body := do(t, nil, "GET", url, nil); body != "old" {
			t.Fatalf("request served by %q before it passed a health check", body)
		}
	}
	if got := lbtest.State(p, "g", "new"); got != lb.StateUnhealthy && got != lb.StateInitial {
		t.Fatalf("failing target is %s", got)
	}
	fresh.SetHealthy(true) // unhealthy now: needs HealthyThreshold (2) successes
	lbtest.WaitState(t, p, "g", "new", lb.StateHealthy)
	seen := map[string]bool{}
	for range 20 {
		_, body := do(t, nil, "GET", url, nil)
		seen[body] = true
	}
	if !seen["new"] || !seen["old"] {
		t.Fatalf("after both are healthy requests went to %v", seen)
	}
	old.SetHealthy(false)
	lbtest.WaitState(t, p, "g", "old", lb.StateUnhealthy)
	for range 20 {
		if _, body := do(t, nil, "GET", url, nil); body != "new" {
			t.Fatalf("request served by unhealthy %q", body)
		}
	}
}

// TestFailOpen covers invariant 5: when every target is unhealthy, all of them get requests.
func TestFailOpen(t *testing.T) {
	t.Parallel()
	a, b := lbtest.NewBackend(t, "a"), lbtest.NewBackend(t, "b")
	p := start(t, lb.Config{
		Listeners:    []lb.Listener{lbtest.Listener("l", lbtest.Forward("g"))},
		TargetGroups: []lb.TargetGroup{lbtest.Group("g", a, b)},
	})
	a.SetHealthy(false)
	b.SetHealthy(false)
	lbtest.WaitState(t, p, "g", "a", lb.StateUnhealthy)
	lbtest.WaitState(t, p, "g", "b", lb.StateUnhealthy)
	seen := map[string]int{}
	for range 20 {
		res, body := do(t, nil, "GET", "http://"+p.ListenerAddr("l")+"/", nil)
		if res.StatusCode != 200 {
			t.Fatalf("status %d while failing open", res.StatusCode)
		}
		seen[body]++
	}
	if seen["a"] == 0 || seen["b"] == 0 {
		t.Fatalf("fail-open requests went to %v, want both", seen)
	}
}

// TestDrainSlowRequest covers invariant 3 end to end: a 2 s request started before its target
// was removed completes with 200, new requests go to the other target at once, and the
// release is notified right after the slow request ended.
func TestDrainSlowRequest(t *testing.T) {
	t.Parallel()
	a, b := lbtest.NewBackend(t, "a"), lbtest.NewBackend(t, "b")
	events := make(chan lb.TargetHealth, 100)
	p := lbtest.Start(t, lb.ProxyConfig{OnHealthChange: func(th lb.TargetHealth) { events <- th }})
	cfg := func(targets ...*lbtest.Backend) lb.Config {
		g := lbtest.Group("g", targets...)
		g.DeregistrationDelay = time.Minute
		return lb.Config{Listeners: []lb.Listener{lbtest.Listener("l", lbtest.Forward("g"))}, TargetGroups: []lb.TargetGroup{g}}
	}
	if err := p.Apply(cfg(a)); err != nil {
		t.Fatal(err)
	}
	lbtest.WaitState(t, p, "g", "a", lb.StateHealthy)
	url := "http://" + p.ListenerAddr("l")

	var slowEnd time.Time
	var wg sync.WaitGroup
	wg.Go(func() {
		res, body := do(t, nil, "GET", url+"/slow?d=2s", nil)
		slowEnd = time.Now()
		if res.StatusCode != 200 || body != "a" {
			t.Errorf("slow request: %d %q, want 200 from a", res.StatusCode, body)
		}
	})
	lbtest.Eventually(t, 5*time.Second, "slow request in flight", func() bool { return a.Requests.Load() == 1 })
	if err := p.Apply(cfg(b)); err != nil {
		t.Fatal(err)
	}
	if got := lbtest.State(p, "g", "a"); got != lb.StateDraining {
		t.Fatalf("removed target is %s, want draining", got)
	}
	lbtest.WaitState(t, p, "g", "b", lb.StateHealthy)
	for range 10 {
		if res, body := do(t, nil, "GET", url+"/", nil); res.StatusCode != 200 || body != "b" {
			t.Fatalf("new request while a drains: %d %q, want 200 from b", res.StatusCode, body)
		}
	}
	var released time.Time
	for th := range events {
		if th.TargetID == "a" && th.State == lb.StateUnused {
			released = time.Now()
			if th.Reason != lb.ReasonNotRegistered {
				t.Errorf("release reason %q", th.Reason)
			}
			break
		}
	}
	wg.Wait()
	if d := released.Sub(slowEnd); d > time.Second || d < -time.Second {
		t.Errorf("released %s after the slow request ended, want right after", d)
	}
	if a.Requests.Load() != 1 {
		t.Errorf("draining target got %d requests, want only the slow one", a.Requests.Load())
	}
}

// TestRetry covers invariant 4: requests that failed before reaching a target are retried on
// another one, invisibly; others are not.
func TestRetry(t *testing.T) {
	t.Parallel()
	good := lbtest.NewBackend(t, "good")
	closedPort := func(t *testing.T) string { // a port nothing listens on
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		return addr
	}
	// hangUp accepts connections and closes them unanswered: with a reset (linger 0) or after
	// reading the request, with an orderly close (the client sees EOF).
	hangUp := func(reset bool) func(*testing.T) string {
		return func(t *testing.T) string {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ln.Close() })
			go func() {
				for {
					c, err := ln.Accept()
					if err != nil {
						return
					}
					if reset {
						c.(*net.TCPConn).SetLinger(0)
					} else {
						c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
						c.Read(make([]byte, 4096))
					}
					c.Close()
				}
			}()
			return ln.Addr().String()
		}
	}
	tests := []struct {
		name   string
		bad    func(*testing.T) string
		method string
		body   string
	}{
		{"refused GET", closedPort, "GET", ""},
		{"refused POST with body", closedPort, "POST", "payload"},
		{"reset on a fresh connection", hangUp(true), "POST", "payload"},
		{"EOF on a fresh connection", hangUp(false), "POST", "payload"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := lb.TargetGroup{ID: "g", HealthCheck: lb.HealthCheck{Disabled: true}, Targets: []lb.Target{
				{ID: "bad", Addr: tt.bad(t)}, {ID: "good", Addr: good.Addr},
			}}
			p := start(t, lb.Config{Listeners: []lb.Listener{lbtest.Listener("l", lbtest.Forward("g"))}, TargetGroups: []lb.TargetGroup{g}})
			for i := range 20 { // round robin: half of them try the bad target first
				res, body := do(t, nil, tt.method, "http://"+p.ListenerAddr("l")+"/echo", func(r *http.Request) {
					if tt.body != "" {
						r.Body = http.NoBody
						r.Body = readCloser(tt.body)
						r.ContentLength = int64(len(tt.body))
					}
				})
				if res.StatusCode != 200 || body != tt.body || res.Header.Get("X-Backend") != "good" {
					t.Fatalf("request %d: %d %q from %q, want 200 %q from good", i, res.StatusCode, body, res.Header.Get("X-Backend"), tt.body)
				}
			}
		})
	}
}

// TestRetryPassesOverRefusingTargets: when several targets die together (a worker machine and
// its tasks), a request retried after one refused must not meet another, time after time,
// until health checks take them out. A target that refused a connection gets no requests for
// a while, so at most the first request that meets two dead targets in a row fails.
func TestRetryPassesOverRefusingTargets(t *testing.T) {
	t.Parallel()
	good := lbtest.NewBackend(t, "good")
	var targets []lb.Target
	for _, id := range []string{"dead-1", "dead-2"} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, lb.Target{ID: id, Addr: ln.Addr().String()})
		ln.Close() // refused from now on
	}
	// Checks disabled: the dead targets stay routable, as between their death and the checks
	// that would find it.
	g := lb.TargetGroup{ID: "g", HealthCheck: lb.HealthCheck{Disabled: true}, Targets: append(targets, lb.Target{ID: "good", Addr: good.Addr})}
	p := start(t, lb.Config{Listeners: []lb.Listener{lbtest.Listener("l", lbtest.Forward("g"))}, TargetGroups: []lb.TargetGroup{g}})
	failed := 0
	for i := range 30 {
		res, body := do(t, nil, "GET", "http://"+p.ListenerAddr("l")+"/", nil)
		if res.StatusCode == 200 && res.Header.Get("X-Backend") == "good" {
			continue
		}
		failed++
		if failed > 1 || i >= 10 {
			t.Fatalf("request %d: %d %q from %q; want every request but one of the first ones answered by good", i, res.StatusCode, body, res.Header.Get("X-Backend"))
		}
	}
}

// TestRefusingTargetAloneIsTried: the pass-over of a target that refused a connection never
// leaves a group with nothing to route to. A group whose only target refused sends the next
// request there all the same, and it is answered once the target listens again.
func TestRefusingTargetAloneIsTried(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	g := lb.TargetGroup{ID: "g", HealthCheck: lb.HealthCheck{Disabled: true}, Targets: []lb.Target{{ID: "only", Addr: addr}}}
	p := start(t, lb.Config{Listeners: []lb.Listener{lbtest.Listener("l", lbtest.Forward("g"))}, TargetGroups: []lb.TargetGroup{g}})
	url := "http://" + p.ListenerAddr("l") + "/"
	if res, _ := do(t, nil, "GET", url, nil); res.StatusCode != http.StatusBadGateway {
		t.Fatalf("a request to the refusing target: %d, want 502", res.StatusCode)
	}
	ln, err = net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "back") }), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	if res, body := do(t, nil, "GET", url, nil); res.StatusCode != 200 || body != "back" {
		t.Fatalf("the target listens again: %d %q, want 200 back", res.StatusCode, body)
	}
}

func TestNoRetryAfterTimeout(t *testing.T) {
	t.Parallel()
	a, b := lbtest.NewBackend(t, "a"), lbtest.NewBackend(t, "b")
	p := lbtest.Start(t, lb.ProxyConfig{ResponseTimeout: 200 * time.Millisecond})
	g := lbtest.Group("g", a, b)
	if err := p.Apply(lb.Config{Listeners: []lb.Listener{lbtest.Listener("l", lbtest.Forward("g"))}, TargetGroups: []lb.TargetGroup{g}}); err != nil {
		t.Fatal(err)
	}
	lbtest.WaitState(t, p, "g", "a", lb.StateHealthy)
	lbtest.WaitState(t, p, "g", "b", lb.StateHealthy)
	res, body := do(t, nil, "GET", "http://"+p.ListenerAddr("l")+"/slow?d=2s", nil)
	if res.StatusCode != http.StatusGatewayTimeout {
		t.Fatalf("status %d %q, want 504", res.StatusCode, body)
	}
	if n := a.Requests.Load() + b.Requests.Load(); n != 1 {
		t.Errorf("%d targets got the request, want 1 (no retry after a timeout)", n)
	}
}

// TestRetryBodyLimit: a body is replayed only if it was not read yet or fit in MaxRetryBody;
// otherwise the failure reaches the client as 502.
func TestRetryBodyLimit(t *testing.T) {
	t.Parallel()
	good := lbtest.NewBackend(t, "good")
	readAndClose := func(t *testing.T) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ln.Close() })
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
				for n := 0; n < 1024; { // the whole request, so the body was sent
					m, err := c.Read(make([]byte, 4096))
					if n += m; err != nil {
						break
					}
				}
				c.Close()
			}
		}()
		return ln.Addr().String()
	}
	refused := func(t *testing.T) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ln.Close()
		return ln.Addr().String()
	}
	tests := []struct {
		name     string
		bad      func(*testing.T) string
		wantFail int
	}{
		{"unread body is replayed", refused, 0},
		{"sent body beyond the limit is not", readAndClose, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := lbtest.Start(t, lb.ProxyConfig{MaxRetryBody: 16})
			g := lb.TargetGroup{ID: "g", HealthCheck: lb.HealthCheck{Disabled: true}, Targets: []lb.Target{
				{ID: "bad", Addr: tt.bad(t)}, {ID: "good", Addr: good.Addr}}}
			if err := p.Apply(lb.Config{Listeners: []lb.Listener{lbtest.Listener("l", lbtest.Forward("g"))}, TargetGroups: []lb.TargetGroup{g}}); err != nil {
				t.Fatal(err)
			}
			body := strings.Repeat("x", 1024)
			failed := 0
			for range 10 {
				res, got := do(t, nil, "POST", "http://"+p.ListenerAddr("l")+"/echo", func(r *http.Request) {
					r.Body, r.ContentLength = readCloser(body), int64(len(body))
				})
				switch {
				case res.StatusCode == http.StatusBadGateway:
					failed++
				case res.StatusCode != 200 || got != body:
					t.Fatalf("%d, %d bytes", res.StatusCode, len(got))
				}
			}
			if failed != tt.wantFail {
				t.Errorf("%d of 10 requests failed, want %d", failed, tt.wantFail)
			}
		})
	}
}

// TestDrainDeadline: when the deregistration delay runs out, requests still in flight on the
// target are cut (502), and not retried elsewhere: the target may have acted on them.
func TestDrainDeadline(t *testing.T) {
	t.Parallel()
	a, b := lbtest.NewBackend(t, "a"), lbtest.NewBackend(t, "b")
	cfg := func(bs ...*lbtest.Backend) lb.Config {
		g := lbtest.Group("g", bs...)
		g.DeregistrationDelay = 300 * time.Millisecond
		return lb.Config{Listeners: []lb.Listener{lbtest.Listener("l", lbtest.Forward("g"))}, TargetGroups: []lb.TargetGroup{g}}
	}
	p := start(t, cfg(a))
	var wg sync.WaitGroup
	wg.Go(func() {
		res, _ := do(t, nil, "POST", "http://"+p.ListenerAddr("l")+"/slow?d=10s", nil)
		if res.StatusCode != http.StatusBadGateway {
			t.Errorf("request cut by the deregistration delay: %d, want 502", res.StatusCode)
		}
	})
	lbtest.Eventually(t, 5*time.Second, "request in flight", func() bool { return a.Requests.Load() == 1 })
	start := time.Now()
	if err := p.Apply(cfg(b)); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("request cut after %s, want about the 300 ms delay", d)
	}
	if n := b.Requests.Load(); n != 0 {
		t.Errorf("the cut request was retried on b (%d requests)", n)
	}
}
