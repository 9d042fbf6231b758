package lb

import (
	"cmp"
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/fargohq/fargo/internal/errdefs"
)

// Defaults of ProxyConfig.
const (
	DefaultMaxIdleConnsPerTarget = 1024
	DefaultIdleConnTimeout       = 4 * time.Second
	DefaultDialTimeout           = 10 * time.Second
	DefaultResponseTimeout       = 60 * time.Second
	DefaultReadHeaderTimeout     = 60 * time.Second
	DefaultShutdownTimeout       = 30 * time.Second
	DefaultMaxRetryBody          = 1 << 20
)

// ProxyConfig tunes a Proxy. The zero value is ready to use.
type ProxyConfig struct {
	// MaxIdleConnsPerTarget is how many idle keep-alive connections the proxy keeps to one
	// target; size it to the concurrency served (default DefaultMaxIdleConnsPerTarget).
	MaxIdleConnsPerTarget int
	// IdleConnTimeout closes idle upstream connections (default DefaultIdleConnTimeout). It
	// should be shorter than the targets' own keep-alive timeout (5 s in Node.js and many
	// others): a target that closes an idle connection just as the proxy sends a request on it
	// fails that request, and a written non-idempotent request cannot be retried. Under load,
	// connections are never idle that long, so the pool stays warm.
	IdleConnTimeout time.Duration
	// DialTimeout bounds connecting to a target (default DefaultDialTimeout).
	DialTimeout time.Duration
	// ResponseTimeout bounds the wait for a target's response headers once the request was
	// sent; the client then gets 504 (default DefaultResponseTimeout).
	ResponseTimeout time.Duration
	// ReadHeaderTimeout bounds reading a client's request headers (default
	// DefaultReadHeaderTimeout).
	ReadHeaderTimeout time.Duration
	// ShutdownTimeout bounds the graceful stop of a listener, on removal and when Run ends
	// (default DefaultShutdownTimeout).
	ShutdownTimeout time.Duration
	// MaxRetryBody is how much of a request body the proxy records so that it can replay it
	// on a retry (default DefaultMaxRetryBody; negative: only bodies not read yet are retried).
	MaxRetryBody int64
	// AccessLog, when set, gets one line per request.
	AccessLog io.Writer
	// Now is the clock of health transitions, slow start and latency (default time.Now).
	Now func() time.Time
	// OnHealthChange, when set, is called with a target's health whenever its state or
	// reason changes, and with state unused (Target.NotRegistered) when a draining target is
	// released. Calls come one at a time, in order, from a goroutine of Run; the callback must
	// not block for long.
	OnHealthChange func(TargetHealth)
	// StickinessSecret keys the stickiness cookies (default: random per Proxy).
	StickinessSecret []byte
	// Listen opens a listener's socket (default net.Listen). A data plane that takes over
	// from another passes the sockets it inherited, so that no connection is refused.
	Listen func(network, addr string) (net.Listener, error)
}

// Validate reports whether c is usable.
func (c ProxyConfig) Validate() error {
	if c.MaxIdleConnsPerTarget < 0 || c.IdleConnTimeout < 0 || c.DialTimeout < 0 ||
		c.ResponseTimeout < 0 || c.ReadHeaderTimeout < 0 || c.ShutdownTimeout < 0 {
		return errdefs.InvalidArgument("lb: negative proxy setting")
	}
	return nil
}

func (c ProxyConfig) withDefaults() ProxyConfig {
	c.MaxIdleConnsPerTarget = orDefault(c.MaxIdleConnsPerTarget, DefaultMaxIdleConnsPerTarget)
	c.IdleConnTimeout = orDefault(c.IdleConnTimeout, DefaultIdleConnTimeout)
	c.DialTimeout = orDefault(c.DialTimeout, DefaultDialTimeout)
	c.ResponseTimeout = orDefault(c.ResponseTimeout, DefaultResponseTimeout)
	c.ReadHeaderTimeout = orDefault(c.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	c.ShutdownTimeout = orDefault(c.ShutdownTimeout, DefaultShutdownTimeout)
	c.MaxRetryBody = orDefault(c.MaxRetryBody, DefaultMaxRetryBody)
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Listen == nil {
		c.Listen = net.Listen
	}
	if len(c.StickinessSecret) == 0 {
		c.StickinessSecret = make([]byte, 32)
		_, _ = rand.Read(c.StickinessSecret)
	}
	return c
}

// Proxy is the data plane: it serves the listeners of the applied Config, routes by its
// rules, balances over healthy targets, checks their health and drains removed ones.
type Proxy struct {
	cfg      ProxyConfig
	log      *slog.Logger
	met      *metrics
	hcClient *http.Client
	probe    func(context.Context, *healthSpec, string) probeResult
	access   *accessLog
	table    atomic.Pointer[table]
	events   eventQueue
	wake     chan struct{}

	mu        sync.Mutex // serializes Apply; guards the fields below
	targets   map[targetKey]*target
	rr        map[string]*atomic.Uint64 // round-robin position by group ID
	gstats    map[string]*groupStats    // the listeners' own error answers by group ID
	listeners map[string]*listener
	jobs      []func(context.Context)
	inherit   inherited // what Inherit gave for targets and groups not configured yet
	running   bool
	stopped   bool
}

// New returns a Proxy with an empty config. It serves nothing until Apply; its goroutines run
// inside Run. Metrics are registered on reg (nil: not registered).
func New(cfg ProxyConfig, log *slog.Logger, reg prometheus.Registerer) (*Proxy, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	p := &Proxy{
		cfg:       cfg,
		log:       log,
		met:       m,
		hcClient:  newHealthClient(&cfg),
		wake:      make(chan struct{}, 1),
		targets:   make(map[targetKey]*target),
		rr:        make(map[string]*atomic.Uint64),
		gstats:    make(map[string]*groupStats),
		listeners: make(map[string]*listener),
	}
	p.probe = p.httpProbe
	p.events.wake = make(chan struct{}, 1)
	if cfg.AccessLog != nil {
		p.access = &accessLog{w: cfg.AccessLog}
	}
	p.table.Store(&table{})
	return p, nil
}

func (p *Proxy) now() time.Time { return p.cfg.Now() }

// Apply validates cfg and makes it the proxy's config: it compiles the routing table and
// swaps it in atomically, registers new targets (in their initial health checks), drains
// removed ones, binds new listeners and gracefully stops removed ones. An invalid config
// changes nothing (errdefs.ErrInvalidArgument). Listeners that could not be bound are reported
// as *ListenerError values, joined; everything else in cfg applies regardless. Apply may be
// called before Run and concurrently with requests; it fails once Run has returned.
func (p *Proxy) Apply(cfg Config) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	certs := loadCerts(cfg.Listeners)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return errdefs.FailedPrecondition("lb: proxy has stopped")
	}
	groups := p.syncTargets(&cfg)
	p.table.Store(compile(&cfg, groups, p.met))
	err := p.syncListeners(cfg.Listeners, certs)
	p.kick()
	return err
}

// Run runs every goroutine of the proxy: listeners, health checks, drains and notifications.
// When ctx ends it stops the listeners gracefully (ShutdownTimeout), waits for everything and
// returns nil.
func (p *Proxy) Run(ctx context.Context) error {
	p.mu.Lock()
	if p.running || p.stopped {
		p.mu.Unlock()
		return errdefs.FailedPrecondition("lb: Run called twice")
	}
	p.running = true
	p.mu.Unlock()

	var wg sync.WaitGroup
	wg.Go(func() { p.events.run(ctx, p.cfg.OnHealthChange) })
	for {
		for _, job := range p.takeJobs() {
			wg.Go(func() { job(ctx) })
		}
		select {
		case <-p.wake:
		case <-ctx.Done():
			for _, job := range p.stop() {
				wg.Go(func() { job(ctx) })
			}
			wg.Wait()
			p.closeTargets()
			return nil
		}
	}
}

// spawnLocked queues a goroutine for Run; p.mu is held.
func (p *Proxy) spawnLocked(job func(context.Context)) {
	if !p.stopped {
		p.jobs = append(p.jobs, job)
	}
}

func (p *Proxy) kick() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

func (p *Proxy) takeJobs() []func(context.Context) {
	p.mu.Lock()
	defer p.mu.Unlock()
	jobs := p.jobs
	p.jobs = nil
	return jobs
}

// stop marks the proxy stopped and returns the last jobs: whatever was queued and the
// graceful stop of every listener.
func (p *Proxy) stop() []func(context.Context) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, l := range p.listeners {
		p.stopListener(l)
	}
	p.stopped = true
	jobs := p.jobs
	p.jobs = nil
	return jobs
}

func (p *Proxy) closeTargets() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, t := range p.targets {
		t.close()
	}
}

// Health returns the health of every target the proxy knows: registered and draining ones,
// ordered by group, target and address.
func (p *Proxy) Health() []TargetHealth {
	p.mu.Lock()
	ts := make([]*target, 0, len(p.targets))
	for _, t := range p.targets {
		ts = append(ts, t)
	}
	p.mu.Unlock()
	out := make([]TargetHealth, 0, len(ts))
	for _, t := range ts {
		t.mu.Lock()
		out = append(out, t.snapshotLocked())
		t.mu.Unlock()
	}
	slices.SortFunc(out, func(a, b TargetHealth) int {
		return cmp.Or(cmp.Compare(a.GroupID, b.GroupID), cmp.Compare(a.TargetID, b.TargetID), cmp.Compare(a.Addr, b.Addr))
	})
	return out
}

// ListenerAddr returns the address a listener is bound to (with the real port when its Addr
// asked for port 0), or "" when it is not bound.
func (p *Proxy) ListenerAddr(id string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if l := p.listeners[id]; l != nil && l.ln != nil {
		return l.addr
	}
	return ""
}

func (p *Proxy) notify(th TargetHealth) {
	p.log.Debug("lb target health", "group", th.GroupID, "target", th.TargetID, "addr", th.Addr,
		"state", th.State, "reason", th.Reason)
	if p.cfg.OnHealthChange != nil {
		p.events.push(th)
	}
}

// eventQueue hands health changes to OnHealthChange in order without ever blocking the
// health checker, drain or Apply that produced them.
type eventQueue struct {
	mu   sync.Mutex
	q    []TargetHealth
	wake chan struct{}
}

func (e *eventQueue) push(th TargetHealth) {
	e.mu.Lock()
	e.q = append(e.q, th)
	e.mu.Unlock()
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

func (e *eventQueue) run(ctx context.Context, fn func(TargetHealth)) {
	if fn == nil {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-e.wake:
		}
		e.mu.Lock()
		batch := e.q
		e.q = nil
		e.mu.Unlock()
		for _, th := range batch {
			fn(th)
		}
	}
}
