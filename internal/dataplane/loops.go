package dataplane

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/lbsync"
)

// recorder is the proxy as lbsync drives it: it remembers the configuration applied last, to
// save it, and counts the distinct ones (the configuration revision).
type recorder struct {
	proxy *lb.Proxy

	mu  sync.Mutex
	cfg lb.Config
	rev int64
}

var _ lbsync.Proxy = (*recorder)(nil)

func (r *recorder) Apply(cfg lb.Config) error {
	err := r.proxy.Apply(cfg)
	var le *lb.ListenerError
	if errors.Is(err, errdefs.ErrInvalidArgument) && !errors.As(err, &le) {
		return err // an invalid config changes nothing
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !reflect.DeepEqual(cfg, r.cfg) {
		r.cfg, r.rev = cfg, r.rev+1
	}
	return err
}

func (r *recorder) Health() []lb.TargetHealth     { return r.proxy.Health() }
func (r *recorder) TargetStats() []lb.TargetStats { return r.proxy.TargetStats() }
func (r *recorder) GroupStats() []lb.GroupStats   { return r.proxy.GroupStats() }
func (r *recorder) current() (lb.Config, int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cfg, r.rev
}
func (r *recorder) revision() int64 { _, rev := r.current(); return rev }

// storeProbe looks at the store every second: whether the data plane is in touch with the
// control plane.
type storeProbe struct {
	connected   atomic.Bool
	lastContact atomic.Int64 // unix nanoseconds
}

// run probes the store through c until ctx ends. Each time the store stops answering (and at
// the start), explain tells whether a TLS handshake with it fails to authenticate, which the
// client alone reports as a deadline; log says so.
func (p *storeProbe) run(ctx context.Context, c *clientv3.Client, explain func(context.Context) error, log *slog.Logger) error {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	wasConnected := true
	for {
		probeCtx, cancel := context.WithTimeout(ctx, time.Second)
		_, err := c.Get(probeCtx, "/fargo/", clientv3.WithCountOnly(), clientv3.WithSerializable())
		cancel()
		if err != nil && wasConnected && ctx.Err() == nil {
			if terr := explain(ctx); terr != nil {
				log.Warn("the store refuses this data plane; serving the saved configuration", "err", terr)
			}
		}
		wasConnected = err == nil
		p.connected.Store(err == nil)
		if err == nil {
			p.lastContact.Store(time.Now().UnixNano())
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

func (p *storeProbe) last() time.Time {
	if n := p.lastContact.Load(); n != 0 {
		return time.Unix(0, n)
	}
	return time.Time{}
}

// saveLoop writes the state every SaveInterval, unless a handover holds it still.
func (d *dataPlane) saveLoop(ctx context.Context) error {
	tick := time.NewTicker(d.cfg.SaveInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		if !d.isSaving() {
			continue
		}
		if err := d.save(); err != nil {
			d.log.Warn("save data plane state", "err", err)
		}
	}
}

func (d *dataPlane) save() error {
	cfg, rev := d.applied.current()
	return SaveState(d.cfg.DataDir, State{Revision: rev, Config: cfg, Memory: d.proxy.Memory(), SavedAt: time.Now()})
}

// prepareHandover saves the state a successor starts from, and stops saving.
func (d *dataPlane) prepareHandover() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.saving = false
	return d.save()
}

func (d *dataPlane) resumeSaving() {
	d.mu.Lock()
	d.saving = true
	d.mu.Unlock()
	d.log.Warn("a handover failed; serving on")
}

func (d *dataPlane) isSaving() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.saving
}

func (d *dataPlane) setDraining() {
	d.mu.Lock()
	d.draining = true
	d.mu.Unlock()
}

func (d *dataPlane) status() Status {
	cfg, rev := d.applied.current()
	s := Status{PID: d.pid, Build: d.cfg.Build, BindHost: d.cfg.BindHost, EtcdEndpoints: d.cfg.EtcdEndpoints,
		EtcdCACert: d.cfg.EtcdTLS.CACert, EtcdCert: d.cfg.EtcdTLS.Cert, EtcdKey: d.cfg.EtcdTLS.Key,
		StartedAt: d.started, UptimeSeconds: time.Since(d.started).Seconds(),
		ConfigRevision: rev, StoreConnected: d.store.connected.Load(), LastStoreContact: d.store.last(), Listeners: len(cfg.Listeners),
		NodeName: d.cfg.NodeName, Leading: d.node.Leading()}
	for _, h := range d.proxy.Health() {
		s.Targets++
		if h.State == lb.StateHealthy {
			s.HealthyTargets++
		}
	}
	for _, t := range d.proxy.TargetStats() {
		s.Requests += t.Requests
	}
	d.mu.Lock()
	s.Draining = d.draining
	d.mu.Unlock()
	return s
}

// registerMetrics exports the status as gauges next to the proxy's metrics.
func (d *dataPlane) registerMetrics() error {
	gauge := func(name, help string, labels prometheus.Labels, f func() float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help, ConstLabels: labels}, f)
	}
	b2f := func(b bool) float64 {
		if b {
			return 1
		}
		return 0
	}
	for _, c := range []prometheus.Collector{
		gauge("fargo_dataplane_info", "The data plane process: 1, labelled with its pid and build.",
			prometheus.Labels{"build": d.cfg.Build, "pid": itoa(d.pid)}, func() float64 { return 1 }),
		gauge("fargo_dataplane_start_time_seconds", "When the data plane process started (unix seconds).", nil,
			func() float64 { return float64(d.started.UnixNano()) / 1e9 }),
		gauge("fargo_dataplane_config_revision", "Distinct load balancer configurations the data plane applied, across restarts.", nil,
			func() float64 { return float64(d.applied.revision()) }),
		gauge("fargo_dataplane_store_connected", "1 while the data plane is in touch with the store (the control plane), else 0.", nil,
			func() float64 { return b2f(d.store.connected.Load()) }),
		gauge("fargo_dataplane_leading", "1 while this data-plane node is the one elected to do the nodes' work that must be done once, else 0.",
			prometheus.Labels{"node": d.cfg.NodeName}, func() float64 { return b2f(d.node.Leading()) }),
	} {
		if err := d.reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// nopZap keeps the etcd client's own logging quiet: the store probe reports what matters.
func nopZap() *zap.Logger { return zap.NewNop() }

func itoa(n int) string { return strconv.Itoa(n) }
