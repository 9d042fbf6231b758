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
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/fargohq/fargo/internal/api"
	"github.com/fargohq/fargo/internal/api/ecsapi"
	"github.com/fargohq/fargo/internal/api/stsapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/embedetcd"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/etcdkv"
)

// Server is a running fargo control plane.
type Server struct {
	cfg      Config
	log      *slog.Logger
	endpoint string
	done     chan struct{}
	err      error
}

// Start builds and starts every component, and returns once the API answers. The server stops
// when ctx ends; Wait returns after everything has shut down.
func Start(ctx context.Context, cfg Config, log *slog.Logger) (*Server, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	if _, err := credentials.Ensure(cfg.DataDir, time.Now()); err != nil {
		return nil, err
	}
	keys, err := credentials.NewKeyring(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	etcd, err := openEtcd(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	kvs := etcdkv.New(etcd.client)
	etcd.closeKV = kvs.Close
	st := store.New(kvs)

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	scope := arn.Scope{Partition: "aws", Region: cfg.Region, AccountID: cfg.AccountID}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	front, err := api.New(api.Config{AccountID: cfg.AccountID}, api.Deps{
		Credentials: keys.Lookup,
		Logger:      log,
		Registerer:  reg,
		Fallback:    mux,
	}, ecsapi.New(st, scope, time.Now).Service(), stsapi.Service())
	if err != nil {
		_ = etcd.closeAll()
		return nil, err
	}

	ln, err := net.Listen("tcp", cfg.APIAddr)
	if err != nil {
		_ = etcd.closeAll()
		return nil, fmt.Errorf("listen on %s: %w", cfg.APIAddr, err)
	}
	s := &Server{cfg: cfg, log: log, endpoint: "http://" + ln.Addr().String(), done: make(chan struct{})}
	if err := writeState(cfg.DataDir, State{Endpoint: s.endpoint, Region: cfg.Region, AccountID: cfg.AccountID, PID: os.Getpid()}); err != nil {
		_ = ln.Close()
		_ = etcd.closeAll()
		return nil, fmt.Errorf("write server state: %w", err)
	}
	httpSrv := &http.Server{Handler: front, ReadHeaderTimeout: 10 * time.Second}
	go s.run(ctx, httpSrv, ln, etcd)
	return s, nil
}

// run serves until ctx ends, then shuts down the API before the store it writes to.
func (s *Server) run(ctx context.Context, httpSrv *http.Server, ln net.Listener, etcd *etcdHandle) {
	defer close(s.done)
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpSrv.Serve(ln) }()
	var err error
	select {
	case <-ctx.Done():
	case err = <-serveErr:
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.ShutdownGrace)
	defer cancel()
	if serr := httpSrv.Shutdown(shutdownCtx); serr != nil {
		err = errors.Join(err, fmt.Errorf("shut down api: %w", serr))
	}
	if err == nil {
		err = <-serveErr
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	s.err = errors.Join(err, etcd.closeAll())
	s.log.Info("server stopped")
}

// Endpoint returns the API's URL, for example http://127.0.0.1:4566.
func (s *Server) Endpoint() string { return s.endpoint }

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
		c, err := clientv3.New(clientv3.Config{Endpoints: cfg.EtcdEndpoints, DialTimeout: 5 * time.Second, Context: ctx})
		if err != nil {
			return nil, fmt.Errorf("connect to etcd %v: %w", cfg.EtcdEndpoints, err)
		}
		return &etcdHandle{client: c, close: c.Close}, nil
	}
	srv, err := embedetcd.Start(ctx, embedetcd.Config{Dir: filepath.Join(cfg.DataDir, "etcd"), Logger: log})
	if err != nil {
		return nil, fmt.Errorf("start embedded etcd: %w", err)
	}
	return &etcdHandle{client: srv.Client(), close: srv.Close}, nil
}
