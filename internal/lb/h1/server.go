package h1

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/http/httpguts"
)

// Server serves plain HTTP/1.1 on a listener in front of an http.Server. The common request
// of a proxy (HTTP/1.1, no body, no upgrade) is read, handled and answered in its
// connection's goroutine with the connection's own buffers: no goroutine, context or deadline
// per request as in net/http's server, whose background read alone costs a goroutine and a
// failed read per request (docs/benchmarks.md).
//
// The first request that needs more (a body, an upgrade, Expect, a protocol other than
// HTTP/1.1, anything malformed or larger than the read buffer) hands the connection, with
// every byte read from it so far, to the http.Server, which serves it from then on. So this
// loop never answers a request that net/http would answer differently.
type Server struct {
	srv     *http.Server
	h       http.Handler // srv's
	log     *slog.Logger
	idle    time.Duration // keep-alive connections idle this long are closed
	handoff *handoffListener

	mu      sync.Mutex
	conns   map[*conn]struct{}
	closing atomic.Bool

	handedOff atomic.Int64 // connections given to net/http, for tests

	// DrainGrace is how long Shutdown leaves idle keep-alive connections open (set before
	// Serve). A client that is about to send its next request on one then gets the answer
	// with Connection: close instead of a connection closed under the request, which a
	// client like wrk counts as an error; a connection still idle after the grace was idle
	// that long. Zero closes idle connections at once.
	DrainGrace time.Duration
	shutdownAt atomic.Int64 // unix nanoseconds
}

// NewServer returns a server that runs srv's handler and hands the connections it does not
// serve itself to srv. srv's idle timeout (or, as in net/http, its read timeout when that is
// zero) applies to both; its other settings to what it serves. A nil log discards.
func NewServer(srv *http.Server, log *slog.Logger) *Server {
	h := srv.Handler
	if h == nil {
		h = http.DefaultServeMux // as net/http
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Server{
		srv: srv, h: h, log: log, idle: cmp.Or(srv.IdleTimeout, srv.ReadTimeout),
		handoff: newHandoffListener(),
		conns:   make(map[*conn]struct{}),
	}
}

// Serve accepts connections on ln and serves them until srv stops (Shutdown stops it), then
// closes ln. It returns what srv's Serve returned (http.ErrServerClosed after Shutdown, also
// when Shutdown came first) once its accept loop has ended too. Serve is called once.
func (s *Server) Serve(ln net.Listener) error {
	s.handoff.addr = ln.Addr()
	var wg sync.WaitGroup
	wg.Go(func() { s.accept(ln) })
	err := s.srv.Serve(s.handoff)
	ln.Close()
	wg.Wait()
	return err
}

// accept accepts connections until ln is closed.
func (s *Server) accept(ln net.Listener) {
	var delay time.Duration
	for {
		c, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) || s.closing.Load() {
				return
			}
			// Out of file descriptors and the like: wait, as net/http does, and go on.
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			s.log.Warn("accept failed", "addr", ln.Addr().String(), "err", err, "retry_in", delay)
			time.Sleep(delay)
			continue
		}
		delay = 0
		if sc := s.track(c); sc != nil {
			go sc.serve()
		}
	}
}

// track registers a new connection; nil (and the connection closed) once shutdown began.
func (s *Server) track(c net.Conn) *conn {
	sc := &conn{s: s, c: c, remote: c.RemoteAddr().String()}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing.Load() {
		c.Close()
		return nil
	}
	s.conns[sc] = struct{}{}
	return sc
}

func (s *Server) forget(sc *conn) {
	s.mu.Lock()
	delete(s.conns, sc)
	s.mu.Unlock()
}

// Shutdown stops the server gracefully, its own connections and srv's at the same time (each
// has connections that the other's must not wait for): it stops Serve, which closes the
// listener, closes idle connections, lets the others finish the request they serve (their
// responses say Connection: close) and returns when none is left. Once it began, nothing is
// handed over. When ctx ends first, it closes its own connections and returns ctx's error,
// leaving srv's to srv.Close, as http.Server.Shutdown does.
func (s *Server) Shutdown(ctx context.Context) error {
	s.shutdownAt.Store(time.Now().UnixNano())
	s.closing.Store(true)
	var wg sync.WaitGroup
	var leanErr error
	wg.Go(func() { leanErr = s.closeConns(ctx) })
	err := s.srv.Shutdown(ctx)
	// srv closed the handoff listener if its Serve had started; if not, a connection that
	// is being handed over must not wait for it.
	s.handoff.close()
	wg.Wait()
	return cmp.Or(err, leanErr)
}

// closeConns closes idle connections until none is left, or all of them when ctx ends.
func (s *Server) closeConns(ctx context.Context) error {
	wait := time.Millisecond
	for !s.closeIdle() {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			s.closeAll()
			return ctx.Err()
		case <-t.C:
		}
		wait = min(2*wait, 100*time.Millisecond)
	}
	return nil
}

// closeIdle closes the connections that wait for a request, once DrainGrace has passed
// since Shutdown began, and reports whether none is left.
func (s *Server) closeIdle() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	graceOver := time.Since(time.Unix(0, s.shutdownAt.Load())) >= s.DrainGrace
	for sc := range s.conns {
		if !graceOver {
			break
		}
		if sc.state.CompareAndSwap(connIdle, connClosed) {
			sc.c.Close()
		}
	}
	return len(s.conns) == 0
}

func (s *Server) closeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for sc := range s.conns {
		sc.state.Store(connClosed)
		sc.c.Close()
	}
}

// States of a conn.
const (
	connIdle   = iota // waiting for a request: shutdown may close it
	connActive        // serving a request
	connClosed        // closed by shutdown
)

var (
	readBufs  = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 4<<10) }}
	writeBufs = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 4<<10) }}
)

// conn is one client connection of a Server.
type conn struct {
	s      *Server
	c      net.Conn
	remote string
	src    connSource
	br     *bufio.Reader // reads from src
	bw     *bufio.Writer
	w      responseWriter
	ctx    context.Context // of every request on the connection; ends when the client goes
	cancel context.CancelFunc
	state  atomic.Int32
	rd     time.Time // the read deadline set on c
	served bool      // a request was read

	watching  bool // a background read watches the client (see watch)
	watchDone chan struct{}
	aborting  atomic.Bool
}

// connSource is what a conn's reader reads: the byte that a background read found, if
// any, then the connection. reads counts its reads.
type connSource struct {
	c       net.Conn
	pending bool
	b       [1]byte
	reads   int
}

func (s *connSource) Read(p []byte) (int, error) {
	s.reads++
	if s.pending && len(p) > 0 {
		p[0], s.pending = s.b[0], false
		return 1, nil
	}
	return s.c.Read(p)
}

type connKey struct{}

func (sc *conn) serve() {
	sc.src.c = sc.c
	sc.br = readBufs.Get().(*bufio.Reader)
	sc.br.Reset(&sc.src)
	sc.bw = writeBufs.Get().(*bufio.Writer)
	sc.bw.Reset(sc.c)
	sc.w.sc = sc
	sc.w.header = make(http.Header)
	sc.ctx, sc.cancel = context.WithCancel(context.WithValue(context.Background(), connKey{}, sc))
	handedOff := false
	defer func() {
		sc.cancel()
		sc.s.forget(sc)
		if !handedOff {
			sc.c.Close()
			sc.br.Reset(nil)
			readBufs.Put(sc.br)
		}
		sc.bw.Reset(nil)
		writeBufs.Put(sc.bw)
	}()
	for sc.next() {
		req, prefix, err := sc.readRequest()
		if err != nil {
			return
		}
		if req == nil {
			handedOff = sc.handoff(prefix)
			return
		}
		if !sc.handle(req) {
			return
		}
	}
}

// next waits for the first byte of the next request, under the idle timeout, and marks the
// connection active. It reports false when the connection is done: closed by the client, idle
// too long, or closed by shutdown.
func (sc *conn) next() bool {
	// After a first request, net/http waits for 4 bytes and quietly closes a connection that
	// ends before them; the same bytes must end the same way here.
	want := 1
	if sc.served {
		want = 4
	}
	if sc.br.Buffered() < want {
		sc.keepIdleDeadline()
		if _, err := sc.br.Peek(want); err != nil {
			return false
		}
	}
	sc.served = true
	// A request that arrived while shutting down is still answered (with Connection: close):
	// its client sent it on an open connection and must not see it fail.
	return sc.state.CompareAndSwap(connIdle, connActive)
}

// keepIdleDeadline sets the read deadline to the idle timeout from now, unless the one set is
// close enough: under load a connection's deadline changes about once per second, not with
// every request (each change updates a runtime timer).
func (sc *conn) keepIdleDeadline() {
	if sc.s.idle <= 0 {
		if !sc.rd.IsZero() {
			sc.setReadDeadline(time.Time{})
		}
		return
	}
	want := time.Now().Add(sc.s.idle)
	slack := min(time.Second, sc.s.idle/8)
	if d := sc.rd.Sub(want); sc.rd.IsZero() || d > slack || d < -slack {
		sc.setReadDeadline(want)
	}
}

func (sc *conn) setReadDeadline(t time.Time) {
	sc.rd = t
	_ = sc.c.SetReadDeadline(t)
}

// readRequest reads the next request. It returns a request to serve here, or none and the
// bytes of the connection already consumed (to be handed off with the rest), or an error
// that ends the connection.
func (sc *conn) readRequest() (*http.Request, []byte, error) {
	head, ok := sc.head()
	if !ok {
		return nil, nil, nil // net/http reads it from the start
	}
	buffered, reads := sc.br.Buffered(), sc.src.reads
	req, err := http.ReadRequest(sc.br)
	consumed := buffered - sc.br.Buffered()
	if sc.src.reads != reads || consumed > len(head) {
		// It read past the header block, which the buffer no longer holds: nothing to
		// replay. Cannot happen as long as the block ends where ReadRequest stops.
		return nil, nil, errors.New("h1: request read past its header")
	}
	if err != nil || !leanRequest(req) {
		return nil, head[:consumed], nil
	}
	req.RemoteAddr = sc.remote
	return req.WithContext(sc.ctx), nil, nil
}

// head returns the header block of the next request when the buffer holds all of it. A header
// that arrives in pieces (a slow client, or a large one) is left to net/http and its header
// timeout.
func (sc *conn) head() ([]byte, bool) {
	buf, _ := sc.br.Peek(sc.br.Buffered())
	n := headerEnd(buf)
	return buf[:n], n > 0
}

// headerEnd returns the length of the header block at the start of buf (through the first
// empty line, with CRLF or bare LF line ends, as net/textproto reads them), or 0.
func headerEnd(buf []byte) int {
	for i := 0; ; i++ {
		j := bytes.IndexByte(buf[i:], '\n')
		if j < 0 {
			return 0
		}
		i += j
		switch rest := buf[i+1:]; {
		case len(rest) > 0 && rest[0] == '\n':
			return i + 2
		case len(rest) > 1 && rest[0] == '\r' && rest[1] == '\n':
			return i + 3
		}
	}
}

// leanRequest tells whether the lean loop serves r: a bodiless HTTP/1.1 request that
// net/http's server would accept as it is (one valid Host, valid header fields) and hand to
// the handler without doing anything for it (no 100-continue, no upgrade, no OPTIONS *).
func leanRequest(r *http.Request) bool {
	if r.ProtoMajor != 1 || r.ProtoMinor != 1 || r.Body != http.NoBody || r.ContentLength != 0 ||
		r.Method == http.MethodConnect || r.Method == "PRI" || r.RequestURI == "*" {
		return false
	}
	h := r.Header
	if len(h["Expect"]) > 0 || len(h["Upgrade"]) > 0 || len(h["Transfer-Encoding"]) > 0 {
		return false
	}
	// http.ReadRequest took the Host header out of h (two of them are an error already).
	if r.Host == "" || r.URL.Host != "" || !httpguts.ValidHostHeader(r.Host) {
		return false
	}
	for k, vv := range h {
		if !httpguts.ValidHeaderFieldName(k) {
			return false
		}
		for _, v := range vv {
			if !httpguts.ValidHeaderFieldValue(v) {
				return false
			}
		}
	}
	return true
}

// handle serves one request and finishes its response; false: the connection is done.
func (sc *conn) handle(req *http.Request) bool {
	w := &sc.w
	w.reset(req)
	ok := sc.serveHTTP(w, req)
	sc.stopWatch()
	if !ok {
		_ = sc.bw.Flush() // what the handler wrote before it broke off, then the connection ends
		return false
	}
	// A client that is gone (sc.ctx ended) fails the next read; one that only half-closed
	// after sending more requests gets them answered, as net/http does.
	if err := w.finish(); err != nil {
		return false
	}
	if w.closeAfter {
		sc.closeWrite()
		return false
	}
	return sc.state.CompareAndSwap(connActive, connIdle)
}

// serveHTTP runs the handler; false when it panicked (http.ErrAbortHandler: on purpose).
func (sc *conn) serveHTTP(w *responseWriter, req *http.Request) (ok bool) {
	defer func() {
		if v := recover(); v != nil {
			if v != http.ErrAbortHandler { //nolint:errorlint // a panic value, compared as net/http compares it: only panic(http.ErrAbortHandler) itself is quiet
				sc.s.log.Error("handler panicked", "remote", sc.remote, "panic", v, "stack", string(debug.Stack()))
			}
			ok = false
		}
	}()
	sc.s.h.ServeHTTP(w, req)
	return true
}

// closeWrite ends a connection after its last response the way net/http does: the write
// side first, then what the client still sends is read for a moment, so that closing with
// unread data does not reset the connection before the client read the response.
func (sc *conn) closeWrite() {
	if cw, ok := sc.c.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
	_ = sc.c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	_, _ = io.Copy(io.Discard, io.LimitReader(sc.c, 256<<10))
}

// handoff gives the connection to the http.Server: it reads prefix (the part of
// the request already consumed) and then everything else, buffered or not.
func (sc *conn) handoff(prefix []byte) bool {
	sc.s.forget(sc)
	var r io.Reader = sc.br
	if len(prefix) > 0 {
		r = io.MultiReader(bytes.NewReader(bytes.Clone(prefix)), sc.br)
	}
	sc.s.handedOff.Add(1)
	return sc.s.handoff.hand(&handoffConn{Conn: sc.c, r: r})
}

// WatchClient makes the Server that serves the request of ctx, if one does, watch the
// request's client from now until the request ends, so that ctx ends when the client closes
// its connection (as net/http's server does for every request). Only requests that wait for
// a while need that; those answered at once never pay for it. It is called from the handler's
// goroutine.
func WatchClient(ctx context.Context) {
	if sc, ok := ctx.Value(connKey{}).(*conn); ok {
		sc.watch()
	}
}

// watch starts a background read of the client's connection: a byte read is kept for the
// next request, the connection's end cancels sc.ctx. It is called from the handler, which
// runs in the connection's goroutine, as is stopWatch.
func (sc *conn) watch() {
	if sc.watching || sc.src.pending {
		return
	}
	sc.watching = true
	sc.setReadDeadline(time.Time{})
	sc.watchDone = make(chan struct{})
	go sc.backgroundRead()
}

func (sc *conn) backgroundRead() {
	defer close(sc.watchDone)
	n, err := sc.c.Read(sc.src.b[:])
	switch {
	case n == 1:
		sc.src.pending = true
	case sc.aborting.Load() && errors.Is(err, os.ErrDeadlineExceeded):
	default:
		sc.cancel() // closed or reset: the client is gone
	}
}

// aLongTimeAgo is a deadline in the past, to interrupt a read.
var aLongTimeAgo = time.Unix(1, 0)

// stopWatch ends the background read, if any, before the connection is read again.
func (sc *conn) stopWatch() {
	if !sc.watching {
		return
	}
	sc.aborting.Store(true)
	_ = sc.c.SetReadDeadline(aLongTimeAgo)
	<-sc.watchDone
	sc.aborting.Store(false)
	sc.watching = false
	sc.setReadDeadline(time.Time{})
}
