package lbtest

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/websocket"
)

// Backend is a test target on 127.0.0.1. Every response carries its name in the X-Backend
// header. Paths:
//
//	/health          200, or 503 after SetHealthy(false)
//	/slow?d=2s       answers after the duration
//	/sse?n=3&d=50ms  n server-sent events, d apart, each flushed
//	/ws              WebSocket echo
//	/echo            the request body back; request headers as X-Got-<name> response headers
//	/duplex          the request body back, streamed while it is read (full duplex)
//	anything else    the name as the body
type Backend struct {
	Name   string
	Addr   string // host:port
	Server *httptest.Server
	// Requests counts requests other than health checks.
	Requests  atomic.Int64
	unhealthy atomic.Bool
	conns     atomic.Int64
}

// NewBackend starts a backend that stops at the end of the test.
func NewBackend(t testing.TB, name string) *Backend {
	t.Helper()
	b := &Backend{Name: name}
	mux := http.NewServeMux()
	mux.HandleFunc("/health", b.health)
	mux.HandleFunc("/slow", b.slow)
	mux.HandleFunc("/sse", b.sse)
	mux.Handle("/ws", websocket.Handler(func(c *websocket.Conn) { _, _ = io.Copy(c, c) }))
	mux.HandleFunc("/echo", b.echo)
	mux.HandleFunc("/duplex", duplex)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, b.Name) })
	b.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Backend", b.Name)
		if r.URL.Path != "/health" {
			b.Requests.Add(1)
		}
		mux.ServeHTTP(w, r)
	}))
	b.Server.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			b.conns.Add(1)
		case http.StateClosed, http.StateHijacked:
			b.conns.Add(-1)
		}
	}
	b.Server.Start()
	b.Addr = strings.TrimPrefix(b.Server.URL, "http://")
	t.Cleanup(b.Server.Close)
	return b
}

// Conns returns the number of open client connections (hijacked ones excluded).
func (b *Backend) Conns() int { return int(b.conns.Load()) }

// SetHealthy switches the answer of /health between 200 and 503.
func (b *Backend) SetHealthy(ok bool) { b.unhealthy.Store(!ok) }

func (b *Backend) health(w http.ResponseWriter, _ *http.Request) {
	if b.unhealthy.Load() {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
}

func (b *Backend) slow(w http.ResponseWriter, r *http.Request) {
	d, _ := time.ParseDuration(r.URL.Query().Get("d"))
	select {
	case <-time.After(d):
	case <-r.Context().Done():
		return
	}
	_, _ = io.WriteString(w, b.Name)
}

func (b *Backend) sse(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.URL.Query().Get("n"))
	d, _ := time.ParseDuration(r.URL.Query().Get("d"))
	w.Header().Set("Content-Type", "text/event-stream")
	f := w.(http.Flusher)
	for i := range n {
		if i > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
		}
		_, _ = io.WriteString(w, "data: "+strconv.Itoa(i)+"\n\n")
		f.Flush()
	}
}

func (b *Backend) echo(w http.ResponseWriter, r *http.Request) {
	for k, vv := range r.Header {
		w.Header()["X-Got-"+k] = vv
	}
	w.Header().Set("X-Got-Host", r.Host)
	body, err := io.ReadAll(r.Body) // all of it before answering: net/http is half-duplex
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	_, _ = w.Write(body)
}

func duplex(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	_ = rc.EnableFullDuplex()
	w.WriteHeader(http.StatusOK)
	_ = rc.Flush()
	buf := make([]byte, 4096)
	for {
		n, err := r.Body.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return
			}
			_ = rc.Flush()
		}
		if err != nil {
			return
		}
	}
}

// HangUpTarget returns the address of a target that accepts every connection and closes it
// unanswered, until the end of the test. (A closed port is no dead target: another test may
// bind it meanwhile.)
func HangUpTarget(t testing.TB) string {
	t.Helper()
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
			c.Close()
		}
	}()
	return ln.Addr().String()
}
