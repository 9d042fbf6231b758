package lb

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Defaults of HealthCheck, as ALB has them for HTTP target groups.
const (
	DefaultHealthCheckInterval = 30 * time.Second
	DefaultHealthCheckTimeout  = 5 * time.Second
	DefaultHealthyThreshold    = 5
	DefaultUnhealthyThreshold  = 2
)

// Descriptions that go with the reason codes.
const (
	descInitial       = "Initial health checks in progress"
	descTimeout       = "Request timed out"
	descFailed        = "Health checks failed"
	descDraining      = "Target deregistration is in progress"
	descDisabled      = "Health checks are disabled"
	descNotRegistered = "Target is not registered to the target group"
)

// healthSpec is a group's health check with defaults applied and the matcher parsed.
type healthSpec struct {
	disabled    bool
	scheme      string
	path        string
	interval    time.Duration
	timeout     time.Duration
	healthyTh   int
	unhealthyTh int
	codes       []codeRange
}

func newHealthSpec(g *TargetGroup) *healthSpec {
	h := g.HealthCheck
	s := &healthSpec{
		disabled:    h.Disabled,
		scheme:      "http",
		path:        orDefault(h.Path, "/"),
		interval:    orDefault(h.Interval, DefaultHealthCheckInterval),
		timeout:     orDefault(h.Timeout, DefaultHealthCheckTimeout),
		healthyTh:   orDefault(h.HealthyThreshold, DefaultHealthyThreshold),
		unhealthyTh: orDefault(h.UnhealthyThreshold, DefaultUnhealthyThreshold),
	}
	if orDefault(h.Protocol, g.Protocol) == ProtocolHTTPS {
		s.scheme = "https"
	}
	s.codes, _ = parseMatcher(h.Matcher) // validated
	return s
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

func (s *healthSpec) matches(code int) bool {
	for _, r := range s.codes {
		if r.lo <= code && code <= r.hi {
			return true
		}
	}
	return false
}

// health is a target's position in ALB's health state machine.
type health struct {
	state        uint32
	reason, desc string
	ok, fail     int // consecutive successes and failures
}

// probeResult is the outcome of one health check.
type probeResult struct {
	ok           bool
	reason, desc string
}

func initialHealth(s *healthSpec) health {
	if s.disabled {
		return health{state: stUnavailable, reason: ReasonHealthCheckDisabled, desc: descDisabled}
	}
	return health{state: stInitial, reason: ReasonInitialHealthChecking, desc: descInitial}
}

// observe is the state machine: it returns the health after one more check result.
func (h health) observe(r probeResult, s *healthSpec) health {
	switch h.state {
	case stInitial:
		return h.fromInitial(r, s)
	case stHealthy:
		return h.fromHealthy(r, s)
	case stUnhealthy:
		return h.fromUnhealthy(r, s)
	}
	return h // draining, unavailable, unused: checks do not move them
}

// fromInitial: one success makes a new target healthy; UnhealthyThreshold failures in a row
// make it unhealthy.
func (h health) fromInitial(r probeResult, s *healthSpec) health {
	if r.ok {
		return health{state: stHealthy}
	}
	h.fail++
	if h.fail >= s.unhealthyTh {
		return health{state: stUnhealthy, reason: r.reason, desc: r.desc}
	}
	return h
}

func (h health) fromHealthy(r probeResult, s *healthSpec) health {
	if r.ok {
		return health{state: stHealthy}
	}
	h.fail++
	if h.fail >= s.unhealthyTh {
		return health{state: stUnhealthy, reason: r.reason, desc: r.desc}
	}
	return h
}

// fromUnhealthy: HealthyThreshold successes in a row make the target healthy again; a failure
// starts the count over and updates the reason.
func (h health) fromUnhealthy(r probeResult, s *healthSpec) health {
	if !r.ok {
		return health{state: stUnhealthy, reason: r.reason, desc: r.desc}
	}
	h.ok++
	if h.ok >= s.healthyTh {
		return health{state: stHealthy}
	}
	return h
}

// checkLoop runs the health checks of one target until ctx ends or stop is closed. The first
// check comes quickly so that a new target can take traffic soon; later ones come every
// interval, with a little jitter so that targets registered together do not check in step.
func (p *Proxy) checkLoop(ctx context.Context, t *target, stop chan struct{}) {
	t.mu.Lock()
	first := t.spec.interval / 10
	t.mu.Unlock()
	timer := time.NewTimer(jitter(min(first, 100*time.Millisecond), 1))
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-stop:
			return
		case <-timer.C:
		}
		t.mu.Lock()
		spec, addr := t.spec, t.hcAddr
		t.mu.Unlock()
		res := p.probe(ctx, spec, addr)
		if ctx.Err() != nil {
			return
		}
		t.mu.Lock()
		var th TargetHealth
		changed := false
		if t.checkStop == stop { // still this checker's target: not draining, not disabled
			th, changed = t.setHealthLocked(t.health.observe(res, spec), p.now())
			if res.ok {
				t.refusedUntil.Store(0) // it answers again
			}
		}
		t.mu.Unlock()
		if changed {
			p.notify(th)
		}
		timer.Reset(jitter(spec.interval, 0.1))
	}
}

// jitter returns d varied by up to ±frac/2 of itself (frac 1: anywhere in [0, d]).
func jitter(d time.Duration, frac float64) time.Duration {
	if d <= 0 {
		return 0
	}
	f := 1 - frac/2 + rand.Float64()*frac
	if frac >= 1 {
		f = rand.Float64()
	}
	return time.Duration(float64(d) * f)
}

// httpProbe is one ALB health check: GET path on addr within the timeout; a response whose
// status the matcher accepts is a success. Redirects are not followed.
func (p *Proxy) httpProbe(ctx context.Context, s *healthSpec, addr string) probeResult {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.scheme+"://"+addr+s.path, nil)
	if err != nil {
		return probeResult{reason: ReasonFailedHealthChecks, desc: descFailed}
	}
	req.Header.Set("User-Agent", "ELB-HealthChecker/2.0")
	res, err := p.hcClient.Do(req)
	if err != nil {
		var ne net.Error
		if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
			return probeResult{reason: ReasonTimeout, desc: descTimeout}
		}
		return probeResult{reason: ReasonFailedHealthChecks, desc: descFailed}
	}
	_, _ = io.CopyN(io.Discard, res.Body, 64<<10)
	res.Body.Close()
	if s.matches(res.StatusCode) {
		return probeResult{ok: true}
	}
	var b strings.Builder
	b.WriteString("Health checks failed with these codes: [")
	b.WriteString(strconv.Itoa(res.StatusCode))
	b.WriteString("]")
	return probeResult{reason: ReasonResponseCodeMismatch, desc: b.String()}
}

func newHealthClient(cfg *ProxyConfig) *http.Client {
	tr := newTransport(cfg, true, nil)
	tr.DialContext = (&net.Dialer{Timeout: cfg.DialTimeout}).DialContext
	tr.DisableKeepAlives = true // like ALB: a fresh connection per check, nothing left idle on the target
	tr.ResponseHeaderTimeout = 0
	return &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
