package lb

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/lb/h1"
)

// DefaultIdleTimeout is ALB's idle_timeout.timeout_seconds.
const DefaultIdleTimeout = 60 * time.Second

// drainGrace is how long a stopping listener leaves idle keep-alive connections open: a
// client about to reuse one gets its answer with Connection: close instead of a connection
// closed under its request (h1.Server.DrainGrace).
const drainGrace = time.Second

// ListenerError is a listener that Apply could not bring up: its port could not be bound
// (kind errdefs.ErrUnavailable) or its certificate not loaded (errdefs.ErrInvalidArgument).
// The rest of the config applies regardless, and the next Apply tries again.
type ListenerError struct {
	ListenerID string
	Addr       string
	Kind       error
	Err        error
}

func (e *ListenerError) Error() string {
	return "lb: listener " + e.ListenerID + " (" + e.Addr + "): " + e.Err.Error()
}

func (e *ListenerError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, errdefs.ErrUnavailable) and the like work.
func (e *ListenerError) Is(target error) bool { return target == e.Kind }

// listener is one bound port and the http.Server on it.
type listener struct {
	id       string
	https    bool
	spec     Listener     // guarded by Proxy.mu
	ln       net.Listener // nil when binding failed
	srv      *http.Server // serves HTTPS, and what lean hands over on plain HTTP
	lean     *h1.Server   // plain HTTP only
	addr     string       // the bound address (the real port when spec.Addr asks for :0)
	tlsCfg   atomic.Pointer[tls.Config]
	stopping atomic.Bool
	hijacked hijackSet
}

type certResult struct {
	cert *tls.Certificate
	err  error
}

// loadCerts reads the key pairs of the HTTPS listeners; it runs before Apply takes its lock.
func loadCerts(ls []Listener) map[string]certResult {
	out := make(map[string]certResult)
	for _, l := range ls {
		if l.Protocol != ProtocolHTTPS {
			continue
		}
		c, err := tls.LoadX509KeyPair(l.CertFile, l.KeyFile)
		out[l.ID] = certResult{cert: &c, err: err}
	}
	return out
}

// sameBinding tells whether a running listener can serve spec without binding again. A new
// certificate or HTTP/2 setting is swapped in place; the address, protocol or idle timeout
// need a new socket and server.
func sameBinding(a, b *Listener) bool {
	return a.Addr == b.Addr && a.Protocol == b.Protocol && a.IdleTimeout == b.IdleTimeout
}

// syncListeners makes the running listeners those of specs; p.mu is held. Listeners that go
// away or need a new socket stop first, so that their addresses are free for the new ones.
// It returns the listeners that failed, joined.
func (p *Proxy) syncListeners(specs []Listener, certs map[string]certResult) error {
	want := make(map[string]*Listener, len(specs))
	for i := range specs {
		want[specs[i].ID] = &specs[i]
	}
	for id, l := range p.listeners {
		if spec := want[id]; spec == nil || l.ln == nil || !sameBinding(&l.spec, spec) {
			p.stopListener(l)
			delete(p.listeners, id)
		}
	}
	var errs []error
	for _, spec := range specs {
		cr := certs[spec.ID]
		l := p.listeners[spec.ID]
		if l == nil {
			var err error
			if l, err = p.bind(spec, cr); err != nil {
				errs = append(errs, err)
			}
			p.listeners[spec.ID] = l
			continue
		}
		l.spec = spec
		if spec.Protocol != ProtocolHTTPS {
			continue
		}
		if cr.err != nil { // keep serving the certificate it has
			errs = append(errs, certError(&spec, cr.err))
			continue
		}
		l.tlsCfg.Store(tlsConfig(cr.cert, spec.HTTP2))
	}
	return errors.Join(errs...)
}

func certError(spec *Listener, err error) error {
	return &ListenerError{ListenerID: spec.ID, Addr: spec.Addr, Kind: errdefs.ErrInvalidArgument, Err: err}
}

// bind opens the listener's socket and queues its server; p.mu is held. A listener that
// failed is returned too, unbound, so the next Apply retries it.
func (p *Proxy) bind(spec Listener, cr certResult) (*listener, error) {
	https := spec.Protocol == ProtocolHTTPS
	l := &listener{id: spec.ID, https: https, spec: spec}
	if https && cr.err != nil {
		return l, certError(&spec, cr.err)
	}
	ln, err := p.cfg.Listen("tcp", spec.Addr)
	if err != nil {
		return l, &ListenerError{ListenerID: spec.ID, Addr: spec.Addr, Kind: errdefs.ErrUnavailable, Err: err}
	}
	l.ln, l.addr = ln, ln.Addr().String()
	_, port, _ := net.SplitHostPort(l.addr)
	h := &handler{p: p, l: l, id: spec.ID, scheme: "http", port: port, xfPort: []string{port}}
	protocols := new(http.Protocols)
	protocols.SetHTTP1(true)
	l.srv = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: p.cfg.ReadHeaderTimeout,
		IdleTimeout:       orDefault(spec.IdleTimeout, DefaultIdleTimeout),
		ErrorLog:          slog.NewLogLogger(p.log.Handler(), slog.LevelDebug),
		Protocols:         protocols,
	}
	if https {
		h.scheme = "https"
		protocols.SetHTTP2(true) // offered or not per connection, by ALPN (tlsConfig)
		l.tlsCfg.Store(tlsConfig(cr.cert, spec.HTTP2))
		l.srv.TLSConfig = &tls.Config{
			GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) { return l.tlsCfg.Load(), nil },
		}
	}
	h.xfProto = []string{h.scheme}
	if !https {
		l.lean = h1.NewServer(l.srv, p.log)
		l.lean.DrainGrace = drainGrace
	}
	p.spawnLocked(func(context.Context) { l.serve(p.log) })
	return l, nil
}

func tlsConfig(cert *tls.Certificate, h2 bool) *tls.Config {
	c := &tls.Config{Certificates: []tls.Certificate{*cert}, NextProtos: []string{"http/1.1"}}
	if h2 {
		c.NextProtos = []string{"h2", "http/1.1"}
	}
	return c
}

func (l *listener) serve(log *slog.Logger) {
	var err error
	if l.https {
		err = l.srv.ServeTLS(l.ln, "", "")
	} else {
		err = l.lean.Serve(l.ln)
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) && !l.stopping.Load() {
		log.Error("lb listener stopped", "listener", l.id, "addr", l.addr, "err", err)
	}
}

// stopListener stops accepting at once (the socket closes before this returns, so the
// address is free) and queues a graceful shutdown that lets requests in flight finish, for
// up to ShutdownTimeout; p.mu is held.
func (p *Proxy) stopListener(l *listener) {
	if l.ln == nil || l.stopping.Swap(true) {
		return
	}
	l.ln.Close()
	timeout := p.cfg.ShutdownTimeout
	p.spawnLocked(func(ctx context.Context) { l.shutdown(ctx, timeout) })
}

func (l *listener) shutdown(ctx context.Context, timeout time.Duration) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	defer cancel()
	var err error
	if l.lean != nil {
		err = l.lean.Shutdown(ctx) // its connections and the http.Server's
	} else {
		err = l.srv.Shutdown(ctx)
	}
	if err != nil {
		_ = l.srv.Close() // cuts the connections left; its listener is closed already
	}
	l.hijacked.shutdown(ctx)
}
