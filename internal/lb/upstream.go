package lb

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// h1Client sends requests without a body to a plain-HTTP target over its own pool of
// keep-alive connections, in the handler's goroutine. http.Transport runs a read and a write
// goroutine per connection and hands every request and response between them and the caller
// over channels; for the common bodiless request that is most of the proxy's CPU beyond the
// syscalls (docs/benchmarks.md). Everything else (bodies, upgrades, HTTPS) still goes through
// the target's http.Transport.
type h1Client struct {
	addr    string
	dial    func(ctx context.Context) (net.Conn, error)
	timeout time.Duration // for the response headers
	idleFor time.Duration // idle connections older than this are closed, not used
	max     int           // idle connections kept

	mu     sync.Mutex
	idle   []*upConn // most recently used last
	closed bool
}

// upConn is one upstream connection with its buffers, which live as long as it does.
type upConn struct {
	c      net.Conn
	br     *bufio.Reader
	bw     *bufio.Writer
	idleAt time.Time
}

func newH1Client(cfg *ProxyConfig, addr string, conns *connSet) *h1Client {
	d := &net.Dialer{Timeout: cfg.DialTimeout, KeepAlive: 30 * time.Second}
	return &h1Client{
		addr: addr,
		dial: func(ctx context.Context) (net.Conn, error) {
			c, err := d.DialContext(ctx, "tcp", addr)
			if err != nil {
				return nil, err
			}
			return conns.add(c)
		},
		timeout: cfg.ResponseTimeout,
		idleFor: cfg.IdleConnTimeout,
		max:     cfg.MaxIdleConnsPerTarget,
	}
}

// fastPath tells whether r can go through an h1Client: a method that is idempotent and
// usually has no body (so that http.Transport would send no Content-Length either), no body,
// no protocol upgrade.
func fastPath(r *http.Request, body *replayBody) bool {
	if body != nil || len(r.Header["Upgrade"]) > 0 {
		return false
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodDelete:
		return true
	}
	return false
}

// roundTrip sends r (prepared, bodiless) and reads the response headers, with the flags of
// attempt. Like http.Transport, it tries the next connection when a reused one turns out to
// have been closed by the target before it answered (r is idempotent): that is the target's
// keep-alive ending, not a failure.
func (c *h1Client) roundTrip(r *http.Request) (*http.Response, error, uint32) {
	ctx := r.Context()
	for {
		pc, reused, err := c.get(ctx)
		if err != nil {
			return nil, err, 0
		}
		flags := flagGotConn
		if reused {
			flags |= flagReused
		}
		res, err := c.exchange(ctx, pc, r, &flags)
		if err == nil {
			return res, nil, flags
		}
		pc.c.Close()
		if !reused || ctx.Err() != nil || isTimeout(err) || !isResetOrEOF(err) {
			return nil, err, flags
		}
	}
}

// exchange writes r on pc and reads the response headers; the body reads on from pc.
func (c *h1Client) exchange(ctx context.Context, pc *upConn, r *http.Request, flags *uint32) (*http.Response, error) {
	// The client going away aborts the request, as with http.Transport: closing the
	// connection ends whatever read or write is in progress.
	stop := context.AfterFunc(ctx, func() { pc.c.Close() })
	if err := writeRequest(pc.bw, r, c.addr); err != nil {
		stop()
		return nil, err
	}
	*flags |= flagWrote
	if c.timeout > 0 {
		_ = pc.c.SetReadDeadline(time.Now().Add(c.timeout))
	}
	res, err := readResponse(pc.br, r)
	if err != nil {
		stop()
		return nil, err
	}
	if c.timeout > 0 {
		_ = pc.c.SetReadDeadline(time.Time{})
	}
	b := &h1Body{c: c, pc: pc, body: res.Body, stop: stop, keep: !res.Close}
	if res.Body == http.NoBody {
		b.eof = true
	}
	res.Body = b
	return res, nil
}

// readResponse reads the final response, skipping informational ones (100 Continue, 103 Early
// Hints) as http.Transport does.
func readResponse(br *bufio.Reader, r *http.Request) (*http.Response, error) {
	for {
		res, err := http.ReadResponse(br, r)
		if err != nil {
			return nil, err
		}
		if res.StatusCode >= 200 || res.StatusCode == http.StatusSwitchingProtocols || res.StatusCode < 100 {
			return res, nil
		}
	}
}

// writeRequest writes the request line and headers of r as http.Transport would for a
// bodiless request: Host from r.Host (else the target's address), the headers as prepared,
// minus those that describe a body.
func writeRequest(bw *bufio.Writer, r *http.Request, addr string) error {
	bw.WriteString(r.Method)
	bw.WriteByte(' ')
	bw.WriteString(r.URL.RequestURI())
	bw.WriteString(" HTTP/1.1\r\nHost: ")
	if r.Host != "" {
		bw.WriteString(r.Host)
	} else {
		bw.WriteString(addr)
	}
	bw.WriteString("\r\n")
	for k, vv := range r.Header {
		switch k {
		case "Host", "Content-Length", "Transfer-Encoding", "Trailer":
			continue
		}
		for _, v := range vv {
			bw.WriteString(k)
			bw.WriteString(": ")
			bw.WriteString(v)
			bw.WriteString("\r\n")
		}
	}
	bw.WriteString("\r\n")
	return bw.Flush()
}

// get returns an idle connection (reused) or a new one. Idle connections past idleFor are
// closed: the target may be about to close them itself.
func (c *h1Client) get(ctx context.Context) (*upConn, bool, error) {
	now := time.Now()
	c.mu.Lock()
	if n := len(c.idle); n > 0 {
		pc := c.idle[n-1]
		c.idle[n-1] = nil
		c.idle = c.idle[:n-1]
		var stale []*upConn
		if c.idleFor > 0 && now.Sub(pc.idleAt) > c.idleFor {
			// The most recent is too old, and so are all the others.
			stale = append(c.idle, pc)
			c.idle = nil
		}
		c.mu.Unlock()
		if stale == nil {
			return pc, true, nil
		}
		for _, s := range stale {
			s.c.Close()
		}
	} else {
		c.mu.Unlock()
	}
	conn, err := c.dial(ctx)
	if err != nil {
		return nil, false, err
	}
	return &upConn{c: conn, br: bufio.NewReaderSize(conn, 4<<10), bw: bufio.NewWriterSize(conn, 4<<10)}, false, nil
}

// put returns a connection whose response was read completely to the idle pool.
func (c *h1Client) put(pc *upConn) {
	pc.idleAt = time.Now()
	c.mu.Lock()
	if c.closed || len(c.idle) >= c.max {
		c.mu.Unlock()
		pc.c.Close()
		return
	}
	c.idle = append(c.idle, pc)
	var stale *upConn
	if c.idleFor > 0 && pc.idleAt.Sub(c.idle[0].idleAt) > c.idleFor {
		stale = c.idle[0]
		c.idle = append(c.idle[:0], c.idle[1:]...)
	}
	c.mu.Unlock()
	if stale != nil {
		stale.c.Close()
	}
}

// close closes the idle connections and keeps no more (the target was released).
func (c *h1Client) close() {
	c.mu.Lock()
	idle := c.idle
	c.idle, c.closed = nil, true
	c.mu.Unlock()
	for _, pc := range idle {
		pc.c.Close()
	}
}

// h1Body is a response body of an h1Client. Closing it after the end of the body returns the
// connection to the pool; closing it before closes the connection (nothing more is read from
// a client that went away).
type h1Body struct {
	c    *h1Client
	pc   *upConn
	body io.ReadCloser
	stop func() bool
	eof  bool
	keep bool // the target did not ask to close the connection
	done bool
}

func (b *h1Body) Read(p []byte) (int, error) {
	if b.eof {
		return 0, io.EOF
	}
	n, err := b.body.Read(p)
	if err == io.EOF {
		b.eof = true
	}
	return n, err
}

func (b *h1Body) Close() error {
	if b.done {
		return nil
	}
	b.done = true
	// stop reports false when the client's going away already closed the connection.
	if b.stop() && b.eof && b.keep {
		b.c.put(b.pc)
		return nil
	}
	b.pc.c.Close()
	return nil
}
