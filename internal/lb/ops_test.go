package lb_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/lb/lbtest"
)

// TestReleaseClosesUpstreamConns: releasing a drained target closes the proxy's idle
// keep-alive connections to it, so that the task can stop at once.
func TestReleaseClosesUpstreamConns(t *testing.T) {
	t.Parallel()
	a, b := lbtest.NewBackend(t, "a"), lbtest.NewBackend(t, "b")
	group := func(bs ...*lbtest.Backend) lb.TargetGroup {
		g := lbtest.Group("g", bs...)
		g.HealthCheck = lb.HealthCheck{Disabled: true}
		g.DeregistrationDelay = time.Minute
		return g
	}
	p := start(t, lb.Config{Listeners: []lb.Listener{lbtest.Listener("l", lbtest.Forward("g"))}, TargetGroups: []lb.TargetGroup{group(a)}})
	do(t, nil, "GET", "http://"+p.ListenerAddr("l")+"/", nil)
	if a.Conns() != 1 {
		t.Fatalf("%d upstream connections after one request, want 1 kept alive", a.Conns())
	}
	if err := p.Apply(lb.Config{Listeners: []lb.Listener{lbtest.Listener("l", lbtest.Forward("g"))}, TargetGroups: []lb.TargetGroup{group(b)}}); err != nil {
		t.Fatal(err)
	}
	lbtest.Eventually(t, 5*time.Second, "idle upstream connection closed", func() bool { return a.Conns() == 0 })
	if got := lbtest.State(p, "g", "a"); got != "" {
		t.Errorf("idle target still %s", got)
	}
}

func TestMetricsAndAccessLog(t *testing.T) {
	t.Parallel()
	good := lbtest.NewBackend(t, "good")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := ln.Addr().String()
	ln.Close()
	reg := prometheus.NewRegistry()
	var logBuf syncBuffer
	p, err := lb.New(lb.ProxyConfig{AccessLog: &logBuf}, nil, reg)
	if err != nil {
		t.Fatal(err)
	}
	lbtest.Run(t, p)
	g := lb.TargetGroup{ID: "g", HealthCheck: lb.HealthCheck{Disabled: true},
		Targets: []lb.Target{{ID: "bad", Addr: refused}, {ID: "good", Addr: good.Addr}}}
	if err := p.Apply(lb.Config{Listeners: []lb.Listener{lbtest.Listener("l", lbtest.Forward("g"))}, TargetGroups: []lb.TargetGroup{g}}); err != nil {
		t.Fatal(err)
	}
	for range 4 {
		if res, _ := do(t, nil, "GET", "http://"+p.ListenerAddr("l")+"/path?q=1", nil); res.StatusCode != 200 {
			t.Fatalf("status %d", res.StatusCode)
		}
	}
	values := gather(t, reg)
	if got := values[`fargo_lb_requests_total{code="2xx",listener="l",target="good",target_group="g"}`]; got != 4 {
		t.Errorf("2xx requests of good: %v, want 4\n%v", got, values)
	}
	if got := values[`fargo_lb_target_errors_total{kind="retry",target="bad",target_group="g"}`]; got != 1 {
		t.Errorf("retried failures of bad: %v, want 1 (round robin sends the first or second request there, then passes it over as refusing)\n%v", got, values)
	}
	if got := values[`fargo_lb_requests_in_flight{listener="l"}`]; got != 0 {
		t.Errorf("in flight: %v", got)
	}
	lines := strings.Split(strings.TrimSpace(logBuf.String()), "\n")
	if len(lines) != 4 || !strings.Contains(lines[0], ` l 127.0.0.1:`) ||
		!strings.Contains(lines[0], ` g `+good.Addr+` 200 `) || !strings.Contains(lines[0], `"GET `) ||
		!strings.Contains(lines[0], `/path?q=1 HTTP/1.1"`) {
		t.Errorf("access log:\n%s", logBuf.String())
	}
}

// gather returns every sample of reg by its name and labels, like name{a="1",b="2"}.
func gather(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+`="`+l.GetValue()+`"`)
			}
			key := mf.GetName() + "{" + strings.Join(labels, ",") + "}"
			switch {
			case m.Counter != nil:
				out[key] = m.GetCounter().GetValue()
			case m.Gauge != nil:
				out[key] = m.GetGauge().GetValue()
			case m.Histogram != nil:
				out[key] = float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	return out
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLifecycle: Apply works before Run (the listener binds at once and serves once Run
// starts), and fails after Run returned.
func TestLifecycle(t *testing.T) {
	t.Parallel()
	b := lbtest.NewBackend(t, "b")
	p, err := lb.New(lb.ProxyConfig{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := lb.Config{Listeners: []lb.Listener{lbtest.Listener("l", lbtest.Forward("g"))}, TargetGroups: []lb.TargetGroup{lbtest.Group("g", b)}}
	if err := p.Apply(cfg); err != nil {
		t.Fatal(err)
	}
	if p.ListenerAddr("l") == "" {
		t.Fatal("listener not bound before Run")
	}
	if got := lbtest.State(p, "g", "b"); got != lb.StateInitial {
		t.Fatalf("before Run: %s, want initial", got)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- p.Run(ctx) }()
	lbtest.WaitState(t, p, "g", "b", lb.StateHealthy)
	if res, body := do(t, nil, "GET", "http://"+p.ListenerAddr("l")+"/", nil); res.StatusCode != 200 || body != "b" {
		t.Fatalf("%d %q", res.StatusCode, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run() = %v", err)
	}
	if err := p.Apply(cfg); !errors.Is(err, errdefs.ErrFailedPrecondition) {
		t.Fatalf("Apply() after Run = %v, want failed precondition", err)
	}
	if err := p.Run(t.Context()); err == nil {
		t.Fatal("second Run() succeeded")
	}
}
