package lb_test

import (
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/lb/lbtest"
)

// TestListenerBindFailure: a port that cannot be bound is reported for its listener, and the
// rest of the config applies.
func TestListenerBindFailure(t *testing.T) {
	t.Parallel()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	b := lbtest.NewBackend(t, "b")
	p := lbtest.Start(t, lb.ProxyConfig{})
	bad := lbtest.Listener("bad", lbtest.Forward("g"))
	bad.Addr = taken.Addr().String()
	cfg := lb.Config{
		Listeners:    []lb.Listener{lbtest.Listener("good", lbtest.Forward("g")), bad},
		TargetGroups: []lb.TargetGroup{lbtest.Group("g", b)},
	}
	err = p.Apply(cfg)
	var le *lb.ListenerError
	if !errors.As(err, &le) || le.ListenerID != "bad" || !errors.Is(err, errdefs.ErrUnavailable) {
		t.Fatalf("Apply() = %v, want a ListenerError for listener bad", err)
	}
	if p.ListenerAddr("bad") != "" || p.ListenerAddr("good") == "" {
		t.Fatalf("bound: good %q, bad %q", p.ListenerAddr("good"), p.ListenerAddr("bad"))
	}
	lbtest.WaitState(t, p, "g", "b", lb.StateHealthy)
	if res, body := do(t, nil, "GET", "http://"+p.ListenerAddr("good")+"/", nil); res.StatusCode != 200 || body != "b" {
		t.Fatalf("good listener: %d %q", res.StatusCode, body)
	}
	// Once the port is free, the next Apply binds it.
	taken.Close()
	if err := p.Apply(cfg); err != nil {
		t.Fatalf("Apply() after the port was freed: %v", err)
	}
	if got := p.ListenerAddr("bad"); got != bad.Addr {
		t.Fatalf("listener bound to %q, want %q", got, bad.Addr)
	}
}

// TestListenerRemoved: a removed listener stops accepting at once and lets the request in
// flight finish.
func TestListenerRemoved(t *testing.T) {
	t.Parallel()
	b := lbtest.NewBackend(t, "b")
	p := start(t, lb.Config{
		Listeners:    []lb.Listener{lbtest.Listener("l", lbtest.Forward("g"))},
		TargetGroups: []lb.TargetGroup{lbtest.Group("g", b)},
	})
	addr := p.ListenerAddr("l")
	var wg sync.WaitGroup
	wg.Go(func() {
		res, body := do(t, nil, "GET", "http://"+addr+"/slow?d=500ms", nil)
		if res.StatusCode != 200 || body != "b" {
			t.Errorf("request in flight during removal: %d %q", res.StatusCode, body)
		}
	})
	lbtest.Eventually(t, 5*time.Second, "request in flight", func() bool { return b.Requests.Load() == 1 })
	if err := p.Apply(lb.Config{TargetGroups: []lb.TargetGroup{lbtest.Group("g", b)}}); err != nil {
		t.Fatal(err)
	}
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Error("removed listener still accepts connections")
	}
	wg.Wait()
}

// TestListenerChanges: a new address binds anew; a new certificate is swapped in place.
func TestListenerChanges(t *testing.T) {
	t.Parallel()
	b := lbtest.NewBackend(t, "b")
	certFile, keyFile, pool := lbtest.SelfSignedCert(t)
	l := lbtest.Listener("l", lbtest.Forward("g"))
	l.Protocol, l.CertFile, l.KeyFile = lb.ProtocolHTTPS, certFile, keyFile
	cfg := lb.Config{Listeners: []lb.Listener{l}, TargetGroups: []lb.TargetGroup{lbtest.Group("g", b)}}
	p := start(t, cfg)
	first := p.ListenerAddr("l")
	get := func(addr string, pool *x509.CertPool) int {
		t.Helper()
		tr := lbtest.TLSTransport(pool)
		defer tr.CloseIdleConnections()
		res, _ := do(t, &http.Client{Transport: tr}, "GET", "https://"+addr+"/", nil)
		return res.StatusCode
	}
	if got := get(first, pool); got != 200 {
		t.Fatalf("status %d", got)
	}
	// New certificate: same socket, new handshakes use it.
	certFile2, keyFile2, pool2 := lbtest.SelfSignedCert(t)
	cfg.Listeners[0].CertFile, cfg.Listeners[0].KeyFile = certFile2, keyFile2
	if err := p.Apply(cfg); err != nil {
		t.Fatal(err)
	}
	if got := p.ListenerAddr("l"); got != first {
		t.Fatalf("certificate change rebound %s to %s", first, got)
	}
	if got := get(first, pool2); got != 200 {
		t.Fatalf("status %d with the new certificate", got)
	}
	// A broken certificate is reported and the old one stays.
	cfg.Listeners[0].CertFile = "/nonexistent"
	if err := p.Apply(cfg); !errors.Is(err, errdefs.ErrInvalidArgument) {
		t.Fatalf("Apply() with a missing certificate = %v", err)
	}
	if got := get(first, pool2); got != 200 {
		t.Fatalf("status %d after a failed certificate change", got)
	}
	// New address: bound anew, the old one is closed.
	cfg.Listeners[0].CertFile = certFile2
	cfg.Listeners[0].Addr = "127.0.0.2:0"
	if err := p.Apply(cfg); err != nil {
		t.Fatal(err)
	}
	second := p.ListenerAddr("l")
	if second == first || second == "" {
		t.Fatalf("address change: bound %q", second)
	}
	if got := get(second, pool2); got != 200 {
		t.Fatalf("status %d on the new address", got)
	}
	if c, err := net.Dial("tcp", first); err == nil {
		c.Close()
		t.Error("old address still accepts connections")
	}
}

// TestListenerReplaced: a listener deleted and created again under a new ID on the same port
// (as ALB listener ARNs change) gets the port in the same Apply.
func TestListenerReplaced(t *testing.T) {
	t.Parallel()
	b := lbtest.NewBackend(t, "b")
	p := start(t, lb.Config{
		Listeners:    []lb.Listener{lbtest.Listener("old", lbtest.Forward("g"))},
		TargetGroups: []lb.TargetGroup{lbtest.Group("g", b)},
	})
	addr := p.ListenerAddr("old")
	l := lbtest.Listener("new", lbtest.Forward("g"))
	l.Addr = addr
	if err := p.Apply(lb.Config{Listeners: []lb.Listener{l}, TargetGroups: []lb.TargetGroup{lbtest.Group("g", b)}}); err != nil {
		t.Fatalf("Apply() = %v", err)
	}
	if got := p.ListenerAddr("new"); got != addr {
		t.Fatalf("new listener bound %q, want %q", got, addr)
	}
	if res, body := do(t, nil, "GET", "http://"+addr+"/", nil); res.StatusCode != 200 || body != "b" {
		t.Fatalf("%d %q", res.StatusCode, body)
	}
}
