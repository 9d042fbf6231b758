package dataplane

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	clientv3 "go.etcd.io/etcd/client/v3"
	"golang.org/x/sync/errgroup"

	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/lbsync"
	"github.com/fargohq/fargo/internal/leader"
	"github.com/fargohq/fargo/internal/pki"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/etcdkv"
)

// dataPlane is one running data plane process.
type dataPlane struct {
	cfg     Config
	log     *slog.Logger
	pid     int
	started time.Time
	reg     *prometheus.Registry
	socks   *sockets
	proxy   *lb.Proxy
	applied *recorder
	client  *clientv3.Client
	kvs     *etcdkv.KV
	ctrl    *lbsync.Regions
	node    *lbsync.Membership
	elector *leader.Elector
	store   storeProbe

	mu       sync.Mutex
	saving   bool // false while a successor takes over: the state on disk is its starting point
	draining bool
}

// Run runs a data plane on cfg.DataDir until ctx ends, or until a successor took over (it
// returns nil then, too). It takes over from a data plane that runs there already.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(Dir(cfg.DataDir), 0o700); err != nil {
		return fmt.Errorf("dataplane: %w", err)
	}
	d := &dataPlane{cfg: cfg, log: log, pid: os.Getpid(), started: time.Now(), reg: prometheus.NewRegistry(), socks: newSockets(), saving: true}
	var ho *handover
	if rec, _, qerr := Query(ctx, cfg.DataDir); qerr == nil && rec.PID != d.pid {
		if ho, err = takeOver(ctx, rec, d.socks); err != nil {
			return err
		}
		log.Info("taking over from the running data plane", "pid", rec.PID, "build", rec.Build)
	}
	st, err := d.build()
	if err != nil {
		return err
	}
	defer d.close()
	return d.run(ctx, st, ho)
}

// build creates the proxy, the store client and the controller, and applies the saved
// state: the listeners serve the last known routing and health as soon as the proxy runs.
func (d *dataPlane) build() (State, error) {
	st, _, err := LoadState(d.cfg.DataDir)
	if err != nil {
		d.log.Warn("starting without the saved state", "err", err)
	}
	secret, err := stickinessSecret(d.cfg.DataDir)
	if err != nil {
		return st, err
	}
	var ctrl *lbsync.Regions
	proxy, err := lb.New(lb.ProxyConfig{
		OnHealthChange:   func(h lb.TargetHealth) { ctrl.Notify(h) },
		StickinessSecret: secret,
		Listen:           d.socks.listen,
	}, d.log.With("component", "lb"), d.reg)
	if err != nil {
		return st, fmt.Errorf("dataplane: %w", err)
	}
	// The client does not wait for the store: the data plane serves whether it answers or not.
	tlsCfg, err := d.cfg.EtcdTLS.Config()
	if err != nil {
		return st, fmt.Errorf("dataplane: %w", err)
	}
	d.client, err = clientv3.New(clientv3.Config{Endpoints: d.cfg.EtcdEndpoints, TLS: tlsCfg, DialTimeout: 5 * time.Second, Logger: nopZap()})
	if err != nil {
		return st, fmt.Errorf("dataplane: etcd client for %v: %w", d.cfg.EtcdEndpoints, err)
	}
	d.kvs = etcdkv.New(d.client)
	d.proxy, d.applied = proxy, &recorder{proxy: proxy, cfg: st.Config, rev: st.Revision}
	if err := d.joinNodes(); err != nil {
		return st, err
	}
	// Every region's listeners: the saved ones serve on until their region's controller applies.
	ctrl = lbsync.NewRegions(store.New(d.kvs), d.applied, st.Config, lbsync.Config{Settings: lbsync.Settings{
		BindHost: d.cfg.BindHost, CertDir: filepath.Join(d.cfg.DataDir, "certs"),
	}, Node: d.node}, d.log)
	d.ctrl = ctrl
	proxy.Inherit(st.Memory)
	if err := proxy.Apply(st.Config); err != nil {
		d.log.Warn("saved configuration applied in part", "err", err)
	}
	d.socks.closeUnused()
	if err := d.registerMetrics(); err != nil {
		return st, err
	}
	return st, nil
}

// joinNodes makes the data plane one of the data-plane nodes that share its store: it reports
// its view as NodeName and campaigns to do the work that must be done once.
func (d *dataPlane) joinNodes() error {
	node, err := lbsync.NewMembership(lbsync.MembershipConfig{Name: d.cfg.NodeName, BindHost: d.cfg.BindHost,
		Build: d.cfg.Build, StartedAt: d.started, Timeout: d.cfg.NodeTimeout})
	if err != nil {
		return fmt.Errorf("dataplane: %w", err)
	}
	el, err := leader.New(d.client, d.kvs, leader.Config{Name: d.cfg.NodeName, TTL: d.cfg.LeaderTTL, Prefix: ElectionPrefix}, d.log)
	if err != nil {
		return fmt.Errorf("dataplane: %w", err)
	}
	d.node, d.elector = node, el
	return nil
}

// runControl runs lbsync and the election until ctx ends; a stop resigns, so that another
// node (or a successor) leads at once.
func (d *dataPlane) runControl(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return d.ctrl.Run(gctx) })
	g.Go(func() error {
		return d.elector.Run(gctx, func(ctx context.Context, fence *leader.Fenced) error { return d.node.Lead(ctx, fence) })
	})
	return g.Wait()
}

// removeSockets removes the socket files of listeners that are closed already.
func removeSockets(lns ...net.Listener) {
	for _, ln := range lns {
		_ = os.Remove(ln.Addr().String())
	}
}

func (d *dataPlane) close() {
	_ = d.kvs.Close()
	_ = d.client.Close()
}

// run serves until ctx ends or a successor took over.
func (d *dataPlane) run(ctx context.Context, st State, ho *handover) error {
	proxyCtx, stopProxy := context.WithCancel(context.WithoutCancel(ctx))
	proxyDone := make(chan error, 1)
	go func() { proxyDone <- d.proxy.Run(proxyCtx) }()
	ctrlCtx, stopCtrl := context.WithCancel(context.WithoutCancel(ctx))
	ctrlDone := make(chan error, 1)
	stopped := sync.OnceValue(func() error { // lbsync, then the listeners
		stopCtrl()
		err := <-ctrlDone
		stopProxy()
		return errors.Join(err, <-proxyDone)
	})
	if ho != nil {
		final, err := ho.finish()
		if err != nil {
			d.log.Warn("the data plane taken over gave no final counts", "err", err)
		} else {
			d.proxy.Inherit(final.Minus(st.Memory))
		}
	}
	go func() { ctrlDone <- d.runControl(ctrlCtx) }()

	ctl, err := listenUnix(controlPath(d.cfg.DataDir, d.pid))
	if err != nil {
		return errors.Join(fmt.Errorf("dataplane: control socket: %w", err), stopped())
	}
	hol, err := listenUnix(handoverPath(d.cfg.DataDir, d.pid))
	if err != nil {
		ctl.Close()
		return errors.Join(fmt.Errorf("dataplane: handover socket: %w", err), stopped())
	}
	defer removeSockets(ctl, hol)
	if err := writeRecord(d.cfg.DataDir, Record{PID: d.pid, Build: d.cfg.Build, StartedAt: d.started,
		Control: ctl.Addr().String(), Handover: hol.Addr().String()}); err != nil {
		ctl.Close()
		hol.Close()
		return errors.Join(err, stopped())
	}
	d.log.Info("data plane serving", "pid", d.pid, "build", d.cfg.Build, "config_revision", d.applied.revision())
	return d.serve(ctx, ctl, hol, stopped)
}

// serve runs the control and handover sockets and the save and store loops until ctx ends
// or a successor took over; then it stops the rest and saves a last time.
func (d *dataPlane) serve(ctx context.Context, ctl, hol net.Listener, stopped func() error) error {
	loopCtx, stopLoops := context.WithCancel(ctx)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	wg.Go(func() { errs <- serveControl(loopCtx, ctl, d.status, d.reg) })
	wg.Go(func() { errs <- d.saveLoop(loopCtx) })
	explain := func(ctx context.Context) error {
		tlsCfg, err := d.cfg.EtcdTLS.Config()
		if err != nil {
			return err
		}
		checkCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		return pki.CheckTLS(checkCtx, d.cfg.EtcdEndpoints, tlsCfg)
	}
	wg.Go(func() { errs <- d.store.run(loopCtx, d.client, explain, d.log) })
	hs := &handoverServer{socks: d.socks, prepare: d.prepareHandover, resume: d.resumeSaving, drain: func() lb.Memory {
		d.setDraining()
		_ = stopped()
		return d.proxy.Memory()
	}}
	wg.Go(func() {
		err := hs.serve(loopCtx, hol)
		if errors.Is(err, errTakenOver) {
			d.log.Info("a successor took over; exiting")
			stopLoops()
			err = nil
		}
		errs <- err
	})
	<-loopCtx.Done()
	stopLoops()
	wg.Wait()
	close(errs)
	var err error
	for e := range errs {
		err = errors.Join(err, e)
	}
	err = errors.Join(err, stopped())
	if d.isSaving() {
		err = errors.Join(err, d.save())
	}
	return err
}
