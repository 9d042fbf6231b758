package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	clientv3 "go.etcd.io/etcd/client/v3"
	"golang.org/x/sync/errgroup"

	"github.com/fargohq/fargo/internal/api"
	"github.com/fargohq/fargo/internal/api/autoscalingapi"
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/cloudwatchapi"
	"github.com/fargohq/fargo/internal/api/ecrapi"
	"github.com/fargohq/fargo/internal/api/elbapi"
	"github.com/fargohq/fargo/internal/api/hooksapi"
	"github.com/fargohq/fargo/internal/api/iamapi"
	"github.com/fargohq/fargo/internal/api/logsapi"
	"github.com/fargohq/fargo/internal/api/sigv4"
	"github.com/fargohq/fargo/internal/api/stsapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/dataplane"
	"github.com/fargohq/fargo/internal/ecr"
	"github.com/fargohq/fargo/internal/embedetcd"
	"github.com/fargohq/fargo/internal/identity"
	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/lbsync"
	"github.com/fargohq/fargo/internal/logstore"
	"github.com/fargohq/fargo/internal/pki"
	"github.com/fargohq/fargo/internal/registry"
	"github.com/fargohq/fargo/internal/runtime"
	"github.com/fargohq/fargo/internal/runtime/docker"
	"github.com/fargohq/fargo/internal/runtime/process"
	"github.com/fargohq/fargo/internal/runtime/router"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/etcdkv"
)

// Server is a running fargo control plane with this node's agent.
type Server struct {
	cfg         Config
	log         *slog.Logger
	endpoint    string
	controllers controllers
	done        chan struct{}
	err         error
}

// parts are the components Start builds, in the order they must close.
type parts struct {
	etcd    *etcdHandle
	httpSrv *http.Server
	apiLn   net.Listener
	// node runs this machine's agents, one per region, in this server or, while another member
	// holds the node directory, in that one.
	node *localNode
	// controllers runs the controllers that must run once (scheduler, deployer, ...) of every
	// region.
	controllers controllers
	proxy       *lb.Proxy       // nil with a data plane process
	lbsync      *lbsync.Regions // nil with a data plane process
	// dataPlane starts the data plane process again when it is gone (DataPlaneProcess).
	dataPlane *dataplane.Launcher
	reg       *registry.Registry
	// identity answers access key lookups (root and IAM users) from the store.
	identity *identity.Directory
	// logSweep removes expired and orphaned written log events.
	logSweep *logstore.Sweeper
	// audit appends every API call to the audit log.
	audit *auditLog
	// regions are the regions served, the home region's parts above among them.
	regions *regionSet
}

// Start builds and starts every component, and returns once the API answers. The server stops
// when ctx ends; Wait returns after everything has shut down. Tasks keep running when the
// server stops: the next server on the same data dir re-adopts them.
func Start(ctx context.Context, cfg Config, log *slog.Logger) (*Server, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.TimeScale != 1 {
		log.Warn("time is scaled: deployment minutes (canary and linear intervals, ready and termination waits) are shorter than real ones; for demos and tests only",
			"time_scale", cfg.TimeScale, "minute", cfg.Minute())
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	if _, err := credentials.Ensure(cfg.DataDir, time.Now()); err != nil {
		return nil, err
	}
	p, endpoint, err := build(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: log, endpoint: endpoint, done: make(chan struct{}), controllers: p.controllers}
	if err := writeState(cfg.DataDir, State{Endpoint: s.endpoint, Region: cfg.Region, AccountID: cfg.AccountID, PID: os.Getpid()}); err != nil {
		return nil, errors.Join(fmt.Errorf("write server state: %w", err), p.close())
	}
	go s.run(ctx, p)
	return s, nil
}

func build(ctx context.Context, cfg Config, log *slog.Logger) (p *parts, endpoint string, err error) {
	p = &parts{}
	defer func() {
		if err != nil {
			err = errors.Join(err, p.close())
		}
	}()
	keys, err := credentials.NewKeyring(cfg.DataDir)
	if err != nil {
		return p, "", err
	}
	secrets, err := credentials.EnsureSecretsKey(cfg.DataDir)
	if err != nil {
		return p, "", err
	}
	if p.etcd, err = openEtcd(ctx, cfg, log); err != nil {
		return p, "", err
	}
	kvs := etcdkv.New(p.etcd.client)
	p.etcd.closeKV = kvs.Close
	st := store.New(kvs)
	scope := arn.Scope{Partition: "aws", Region: cfg.Region, AccountID: cfg.AccountID}
	p.identity = identity.New(identity.Config{AccountID: cfg.AccountID}, identity.Deps{
		Store: st, Root: keys.Lookup, Secrets: secrets, Logger: log.With("component", "identity"),
	})

	p.node = &localNode{cfg: cfg, st: st, scope: scope, log: log, registryHost: p.registryHost}
	// A lone server holds its node at once, and fails to start if it cannot run it.
	if _, err := p.node.tryHold(ctx); err != nil {
		return p, "", err
	}
	if p.controllers, err = newControllers(p.etcd.client, kvs, st, scope, cfg, log); err != nil {
		return p, "", err
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reg.MustRegister(p.controllers.collectors()...)
	gatherer, err := buildLoadBalancing(ctx, p, st, cfg, reg, log)
	if err != nil {
		return p, "", err
	}
	if p.apiLn, err = net.Listen("tcp", cfg.APIAddr); err != nil {
		return p, "", fmt.Errorf("listen on %s: %w", cfg.APIAddr, err)
	}
	events, err := openLogEvents(p, st, cfg, log)
	if err != nil {
		return p, "", err
	}
	mux := http.NewServeMux()
	// Unsigned, these paths answer this machine only; signed, any (docs/tls.md).
	signed := sigv4.Verifier{Lookup: p.identity.Secret}
	mux.Handle("GET /metrics", localOrSigned(signed, promhttp.HandlerFor(gatherer, promhttp.HandlerOpts{})))
	mux.Handle("GET "+ClusterPath, localOrSigned(signed, p.controllers))
	az := newAuthorizer(p.identity, scope)
	az.deployment = storeDeployments(st, cfg.Region)
	az.iamPath = storeIAMPath(st)
	az.resourceTags = storeResourceTags(st, cfg.Region)
	if p.audit, err = openAuditLog(cfg.DataDir, auditLimits{}, log.With("component", "audit")); err != nil {
		return p, "", err
	}
	ecrAPI, err := buildRegistry(p, st, scope, az, mux, cfg, log)
	if err != nil {
		return p, "", err
	}
	elbCfg := elbapi.Config{ListenerHost: cfg.LBBindHost, CertificateDir: filepath.Join(cfg.DataDir, "certs"), CheckPorts: true, APIAddr: cfg.APIAddr}
	apis := newConsoleAPIs(st, scope, elbCfg, ecrAPI, p.reg, p.node)
	iamSvc := iamapi.New(cfg.AccountID, iamapi.Deps{Store: st, Secrets: secrets}).Service()
	home := &region{name: cfg.Region, services: apiServices(apis, iamSvc, st, scope, logSource{p.node}, events, p.controllers.cloudWatch(scope))}
	p.regions = &regionSet{home: home, root: st, served: cfg.Regions, open: regionDeps{
		cfg: cfg, log: log, root: st, node: p.node, elbCfg: elbCfg, iam: iamSvc,
		secret: p.identity.Secret, az: az, registryHost: p.registryHost, cloudWatch: p.controllers.cloudWatch,
		audit: registryAudit(p.identity, p.audit.Record),
	}.openRegion}
	if err := p.regions.openKnown(ctx); err != nil {
		return p, "", err
	}
	front, err := api.New(api.Config{AccountID: cfg.AccountID, Regions: cfg.Regions}, api.Deps{
		Credentials: p.identity.Secret, Principal: principal(p.identity), KeyUsed: p.identity.Used,
		Logger: log, Registerer: reg, Fallback: mux, Authorize: az.API, Audit: p.audit.Record,
		ServicesIn: p.regions.ServicesIn,
	}, home.services...)
	if err != nil {
		return p, "", err
	}
	web, err := buildConsole(mux, st, scope, cfg, consoleIdentity{dir: p.identity, authz: az}, apis, log)
	if err != nil {
		return p, "", err
	}
	p.httpSrv = &http.Server{Handler: front, ReadHeaderTimeout: 10 * time.Second}
	p.httpSrv.RegisterOnShutdown(web.Close)
	return p, "http://" + p.apiLn.Addr().String(), nil
}

// apiServices returns the AWS services the front door serves: IAM, the console's API objects'
// and the others. The authorization table's completeness test reads their operations from here.
func apiServices(apis consoleAPIs, iam awsproto.Service, st *store.Store, scope arn.Scope, src logsapi.LogSource, events *logstore.Store, cw cloudWatchDeps) []awsproto.Service {
	cloudWatch := cloudwatchapi.New(st, scope, cw.metrics, cloudwatchapi.Config{Minute: cw.minute}, time.Now)
	return []awsproto.Service{
		cloudWatch.Service(), cloudWatch.JSONService(), cloudWatch.QueryService(),
		iam, apis.services["ecs"], stsapi.Service(), logsapi.New(st, src, events, time.Now).Service(),
		apis.services["elb"], apis.services["codedeploy"], apis.services["ecr"], autoscalingapi.New(st, scope, time.Now).Service(),
		hooksapi.New(st, scope, time.Now).Service(), hooksapi.New(st, scope, time.Now).LambdaService(),
	}
}

// principal adapts the identity directory's lookup to the front door's.
func principal(dir *identity.Directory) func(string) (api.Principal, bool) {
	return func(id string) (api.Principal, bool) {
		pr, ok := dir.Principal(id)
		return api.Principal{ARN: pr.ARN, UserID: pr.UserID, UserName: pr.UserName, Root: pr.Root}, ok
	}
}

// buildRegistry builds the container registry over cfg.RegistryDir, serves it at /v2/ on
// mux, and returns the ECR API over it. Repository URIs name the API listener's address, the
// one docker pushes to; an unspecified address (0.0.0.0) is named as 127.0.0.1, which docker
// reaches over plain HTTP.
func buildRegistry(p *parts, st *store.Store, scope arn.Scope, az *authorizer, mux *http.ServeMux, cfg Config, log *slog.Logger) (*ecrapi.API, error) {
	lookup := p.identity.Secret
	r, err := registry.New(registry.Config{RootDir: cfg.RegistryDir}, registry.Deps{
		Store: st, Credentials: lookup, RegistryID: cfg.AccountID, Logger: log.With("component", "registry"),
		Authorize: az.Registry, Audit: registryAudit(p.identity, p.audit.Record),
	})
	if err != nil {
		return nil, err
	}
	p.reg = r
	mux.Handle("/v2/", registryFront{home: r, regions: func() *regionSet { return p.regions }, served: cfg.Regions})
	return ecrapi.New(scope, ecrapi.Config{RegistryHost: p.registryHost()}, ecrapi.Deps{Store: st, Images: r, Credentials: lookup}), nil
}

// registryHost is the host:port of fargo's registry in image names: the API listener's address,
// with an unspecified address (0.0.0.0) named as 127.0.0.1, which docker reaches over plain HTTP.
func (p *parts) registryHost() string {
	host, port, _ := net.SplitHostPort(p.apiLn.Addr().String())
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// ownRegistryAuth gives the agent credentials for images of fargo's own registry: a short-lived
// registry token of the server's access key, as the ECS agent gets an ECR token for ECR images,
// so that pulling from fargo needs no set-up. Other images get none (nil). The token is of
// region, a region other than the home region ("" for the home region): a task pulls from its
// region's repositories.
func ownRegistryAuth(dataDir string, registryHost func() string, region string) func(context.Context, string) (*runtime.RegistryAuth, error) {
	return registryAuth(registryHost, func() (string, string, error) {
		c, err := credentials.Load(dataDir)
		return c.AccessKeyID, c.SecretAccessKey, err
	}, region)
}

// registryAuth gives credentials for images of the registry at registryHost: a registry token
// signed with the access key that key returns, of region ("" for the home region). Other
// images get none (nil).
func registryAuth(registryHost func() string, key func() (id, secret string, err error), region string) func(context.Context, string) (*runtime.RegistryAuth, error) {
	return func(_ context.Context, image string) (*runtime.RegistryAuth, error) {
		host := registryHost()
		if !strings.HasPrefix(image, host+"/") {
			return nil, nil
		}
		id, secret, err := key()
		if err != nil {
			return nil, fmt.Errorf("registry credentials: %w", err)
		}
		password := ecr.NewToken(id, secret, time.Now().Add(time.Hour))
		if region != "" {
			password = ecr.NewRegionToken(id, secret, region, time.Now().Add(time.Hour))
		}
		return &runtime.RegistryAuth{Username: ecr.TokenUser, Password: password, ServerAddress: host}, nil
	}
}

// buildLoadBalancing builds the ALB data plane and the controller that configures it from the
// store, in this process or, with DataPlaneProcess, as a process of its own that it adopts or
// starts (internal/dataplane). It returns what /metrics gathers: the server's registry, and
// the data plane process's metrics.
func buildLoadBalancing(ctx context.Context, p *parts, st *store.Store, cfg Config, reg *prometheus.Registry, log *slog.Logger) (prometheus.Gatherer, error) {
	if cfg.DataPlane == DataPlaneNone {
		return reg, nil
	}
	if cfg.DataPlane == DataPlaneProcess {
		l := &dataplane.Launcher{DataDir: cfg.DataDir, Build: cfg.Build, BindHost: cfg.LBBindHost, EtcdEndpoints: cfg.EtcdEndpoints, EtcdTLS: cfg.EtcdClientTLS}
		if _, err := l.Ensure(ctx, log.With("component", "dataplane")); err != nil {
			return nil, err
		}
		p.dataPlane = l
		reg.MustRegister(dataPlaneUp(cfg.DataDir))
		return prometheus.Gatherers{reg, dataplane.Gatherer(cfg.DataDir)}, nil
	}
	return reg, buildProxy(p, st, cfg, reg, log)
}

// dataPlaneUp exports whether the data plane process answers its control socket.
func dataPlaneUp(dataDir string) prometheus.Collector {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "fargo_dataplane_up",
		Help: "1 while the load balancer data plane process answers on its control socket, else 0.",
	}, func() float64 {
		if _, _, err := dataplane.Query(context.Background(), dataDir); err != nil {
			return 0
		}
		return 1
	})
}

// buildProxy builds the data plane in this process; the proxy reports target health to the
// controller.
func buildProxy(p *parts, st *store.Store, cfg Config, reg prometheus.Registerer, log *slog.Logger) error {
	var ctrl *lbsync.Regions
	proxy, err := lb.New(lb.ProxyConfig{OnHealthChange: func(h lb.TargetHealth) { ctrl.Notify(h) }}, log.With("component", "lb"), reg)
	if err != nil {
		return fmt.Errorf("load balancer: %w", err)
	}
	ctrl = lbsync.NewRegions(st, proxy, lb.Config{}, lbsync.Config{Settings: lbsync.Settings{
		BindHost: cfg.LBBindHost, CertDir: filepath.Join(cfg.DataDir, "certs"),
	}}, log)
	p.proxy, p.lbsync = proxy, ctrl
	return nil
}

// openDriver builds the task runtime that --driver names: a router over the process driver
// alone (process: every task a host command, as before fargo had Docker), or over the process
// and Docker drivers (auto: the rule of internal/runtime/router picks per task; docker: every
// task on Docker, the process driver to find its earlier containers). A container's
// fargo.driver dockerLabel wins in every mode. Host ports bind on bindIP (127.0.0.1 when
// empty), which the tasks' network bindings report and load balancers send to.
func openDriver(ctx context.Context, cfg Config, nodeID, bindIP string, log *slog.Logger) (runtime.Driver, error) {
	if cfg.Runtime != nil {
		return cfg.Runtime, nil
	}
	procCfg, dockCfg := driverConfigs(cfg.NodeDir, nodeID, bindIP)
	proc, err := process.New(procCfg, log.With("component", "process-driver"))
	if err != nil {
		return nil, fmt.Errorf("process driver: %w", err)
	}
	routerLog := log.With("component", "router")
	if cfg.Driver == DriverProcess {
		return router.New(router.Config{Mode: router.Process}, routerLog, proc)
	}
	dockerLog := log.With("component", "docker-driver")
	dock, err := docker.New(dockCfg, dockerLog)
	if err != nil {
		return nil, fmt.Errorf("docker driver: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if version, err := dock.Ping(pingCtx); err != nil {
		dockerLog.Warn("no Docker engine answers; tasks that need Docker stop with CannotStartContainerError until one does", "err", err)
	} else {
		dockerLog.Info("Docker engine answers", "api_version", version)
	}
	mode := router.Auto
	if cfg.Driver == DriverDocker {
		mode = router.Docker
	}
	return router.New(router.Config{Mode: mode}, routerLog, proc, dock)
}

// driverConfigs are the settings of the node's process and Docker drivers.
func driverConfigs(nodeDir, nodeID, bindIP string) (process.Config, docker.Config) {
	// Containers of the process driver are host commands: they find programs on the server's
	// PATH, as a user who runs them by hand would. The node id scopes the Docker containers,
	// so that two servers on one engine never take each other's containers for orphans.
	return process.Config{StateDir: filepath.Join(nodeDir, "runtime", "process"), BaseEnv: hostBaseEnv(), BindIP: bindIP},
		docker.Config{Scope: nodeID, BindIP: bindIP}
}

// run serves until ctx ends, then stops the API first (no new writes), then the controllers,
// then the store.
func (s *Server) run(ctx context.Context, p *parts) {
	defer close(s.done)
	ctrlCtx, stopCtrl := context.WithCancel(context.WithoutCancel(ctx))
	ctrls, ctrlCtx := errgroup.WithContext(ctrlCtx)
	ctrls.Go(func() error { return p.identity.Run(ctrlCtx) })
	ctrls.Go(func() error { return p.controllers.Run(ctrlCtx) })
	ctrls.Go(func() error { return p.node.Run(ctrlCtx) })
	switch {
	case p.dataPlane != nil:
		ctrls.Go(func() error { return p.dataPlane.Supervise(ctrlCtx, s.log.With("component", "dataplane")) })
	case p.proxy != nil:
		ctrls.Go(func() error { return p.proxy.Run(ctrlCtx) })
		ctrls.Go(func() error { return p.lbsync.Run(ctrlCtx) })
	}
	ctrls.Go(func() error { return p.reg.Run(ctrlCtx) })
	ctrls.Go(func() error { return p.logSweep.Run(ctrlCtx) })
	ctrls.Go(func() error { return p.audit.Run(ctrlCtx) })
	ctrls.Go(func() error { return p.regions.Run(ctrlCtx) })

	serveErr := make(chan error, 1)
	go func() { serveErr <- p.httpSrv.Serve(p.apiLn) }()
	var err error
	select {
	case <-ctx.Done():
	case err = <-serveErr:
	case <-ctrlCtx.Done():
		err = errors.New("a controller stopped")
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.ShutdownGrace)
	defer cancel()
	if serr := p.httpSrv.Shutdown(shutdownCtx); serr != nil {
		err = errors.Join(err, fmt.Errorf("shut down api: %w", serr))
	}
	if serr := <-serveErr; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	stopCtrl()
	err = errors.Join(err, ctrls.Wait())
	p.httpSrv = nil
	s.err = errors.Join(err, p.close())
	s.log.Info("server stopped")
}

// close releases what build acquired, in reverse order.
func (p *parts) close() error {
	var err error
	if p.apiLn != nil && p.httpSrv == nil {
		_ = p.apiLn.Close()
	}
	if p.node != nil {
		err = p.node.release()
	}
	if p.audit != nil {
		_ = p.audit.f.Close() // closed already when it ran
	}
	if p.etcd != nil {
		err = errors.Join(err, p.etcd.closeAll())
	}
	return err
}

// Endpoint returns the API's URL, for example http://127.0.0.1:4566.
func (s *Server) Endpoint() string { return s.endpoint }

// ClusterStatus tells this server's role and the members of its store's cluster.
func (s *Server) ClusterStatus(ctx context.Context) ClusterStatus { return s.controllers.Status(ctx) }

// Region returns the server's region.
func (s *Server) Region() string { return s.cfg.Region }

// Wait blocks until the server has stopped and returns the error that stopped it, if any.
func (s *Server) Wait() error {
	<-s.done
	return s.err
}

// etcdHandle is the store's etcd client and how to release it.
type etcdHandle struct {
	client  *clientv3.Client
	close   func() error
	closeKV func() error // ends the store's watches; set once the store exists
}

// closeAll ends the store's watches before the client or member goes away.
func (h *etcdHandle) closeAll() error {
	var err error
	if h.closeKV != nil {
		err = h.closeKV()
	}
	return errors.Join(err, h.close())
}

func openEtcd(ctx context.Context, cfg Config, log *slog.Logger) (*etcdHandle, error) {
	if len(cfg.EtcdEndpoints) > 0 {
		tlsCfg, err := cfg.EtcdClientTLS.Config()
		if err != nil {
			return nil, err
		}
		c, err := clientv3.New(clientv3.Config{Endpoints: cfg.EtcdEndpoints, TLS: tlsCfg, DialTimeout: 5 * time.Second, Context: ctx})
		if err != nil {
			return nil, fmt.Errorf("connect to etcd %v: %w", cfg.EtcdEndpoints, err)
		}
		pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if _, err := c.Get(pingCtx, "/fargo/"); err != nil {
			_ = c.Close()
			if terr := pki.CheckTLS(ctx, cfg.EtcdEndpoints, tlsCfg); terr != nil {
				err = terr // the reason, where the client only says deadline exceeded
			}
			return nil, fmt.Errorf("reach etcd %v: %w", cfg.EtcdEndpoints, err)
		}
		return &etcdHandle{client: c, close: c.Close}, nil
	}
	ec := embedetcd.Config{Dir: filepath.Join(cfg.DataDir, "etcd"), Name: cfg.EtcdName, Logger: log, Cluster: cfg.EtcdCluster}
	if cfg.EtcdCluster.Clustered() {
		// The other members must start too before a cluster answers.
		ec.StartTimeout = 2 * time.Minute
	}
	if cfg.DataPlane == DataPlaneProcess {
		if err := dataplane.CheckSocketPaths(cfg.DataDir); err != nil {
			return nil, err
		}
		ec.ClientSocket = dataplane.EtcdSocket(cfg.DataDir) // the data plane's way to the store
	}
	srv, err := embedetcd.Start(ctx, ec)
	if err != nil {
		return nil, fmt.Errorf("start embedded etcd: %w", err)
	}
	return &etcdHandle{client: srv.Client(), close: srv.Close}, nil
}

// hostBaseEnv is the environment every process-driver container starts from: the server's
// PATH, HOME, locale and temporary directory, nothing else (no credentials leak into tasks).
func hostBaseEnv() []string {
	var env []string
	for _, name := range []string{"PATH", "HOME", "LANG", "TMPDIR"} {
		if v, ok := os.LookupEnv(name); ok {
			env = append(env, name+"="+v)
		}
	}
	return env
}
