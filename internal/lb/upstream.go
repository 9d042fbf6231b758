package lb

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/fargohq/fargo/internal/lb/h1"
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
	rd     time.Time // the read deadline set on c
}

// setReadDeadline sets the read deadline of pc's connection, remembering it.
func (pc *upConn) setReadDeadline(t time.Time) {
	pc.rd = t
	_ = pc.c.SetReadDeadline(t)
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
func (c *h1Client) roundTrip(r *http.Request) (*http.Response, uint32, error) {
	ctx := r.Context()
	for {
		pc, reused, err := c.get(ctx)
		if err != nil {
			return nil, 0, err
		}
		flags := flagGotConn
		if reused {
			flags |= flagReused
		}
		res, err := c.exchange(ctx, pc, r, &flags)
		if err == nil {
			return res, flags, nil
		}
		pc.c.Close()
		if !reused || ctx.Err() != nil || isTimeout(err) || !isResetOrEOF(err) {
			return nil, flags, err
		}
	}
}

// clientPoll is how often a request that waits for its response headers looks whether its
// client went away.
const clientPoll = 100 * time.Millisecond

// exchange writes r on pc and reads the response headers; the body reads on from pc.
//
// The client going away aborts the request, as with http.Transport. While the response
// headers are awaited, the read deadline wakes the wait every clientPoll to look at ctx, so
// that a request answered in time needs neither a watcher on ctx nor a deadline cleared
// afterwards. A body that is not in the connection's buffer yet is read without deadline and
// with a watcher that closes the connection when the client goes away, ending the read.
func (c *h1Client) exchange(ctx context.Context, pc *upConn, r *http.Request, flags *uint32) (*http.Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := writeRequest(pc.bw, r, c.addr); err != nil {
		return nil, err
	}
	*flags |= flagWrote
	var deadline time.Time
	if c.timeout > 0 {
		deadline = time.Now().Add(c.timeout)
	}
	res, err := readResponse(ctx, pc, r, deadline)
	if err != nil {
		return nil, err
	}
	b := &h1Body{c: c, pc: pc, body: res.Body, keep: !res.Close, whole: -1}
	switch {
	case res.Body == http.NoBody:
		b.eof = true
	case res.ContentLength >= 0 && int64(pc.br.Buffered()) >= res.ContentLength:
		// Read from the buffer alone: no deadline or watcher needed.
		b.whole = int(res.ContentLength)
	default:
		pc.setReadDeadline(time.Time{})
		h1.WatchClient(ctx)
		b.stop = context.AfterFunc(ctx, func() { pc.c.Close() })
	}
	res.Body = b
	return res, nil
}

// readResponse reads the final response, skipping informational ones (100 Continue, 103 Early
// Hints) as http.Transport does.
func readResponse(ctx context.Context, pc *upConn, r *http.Request, deadline time.Time) (*http.Response, error) {
	for {
		if err := await(ctx, pc, deadline); err != nil {
			return nil, err
		}
		res, err := http.ReadResponse(pc.br, r)
		if err != nil {
			return nil, err
		}
		if res.StatusCode >= 200 || res.StatusCode == http.StatusSwitchingProtocols || res.StatusCode < 100 {
			return res, nil
		}
	}
}

var headEnd = []byte("\r\n\r\n")

// await waits for the first byte of a response on pc, until deadline (zero: none), looking
// every clientPoll whether ctx ended. When the buffer then holds less than the whole header,
// the rest is read under deadline alone.
func await(ctx context.Context, pc *upConn, deadline time.Time) error {
	for pc.br.Buffered() == 0 {
		// A wake-up set for an earlier request on pc that is still half a poll or more
		// ahead, and not past deadline, serves as well: under load, a connection's deadline
		// changes a few times per clientPoll rather than with every request.
		now := time.Now()
		if dl := pc.rd; dl.Before(now.Add(clientPoll/2)) || dl.After(now.Add(clientPoll)) ||
			(!deadline.IsZero() && dl.After(deadline)) {
			dl = now.Add(clientPoll)
			if !deadline.IsZero() && deadline.Before(dl) {
				dl = deadline
			}
			pc.setReadDeadline(dl)
		}
		_, err := pc.br.Peek(1)
		if err == nil {
			break
		}
		h1.WatchClient(ctx) // a slow response: from now on, notice the client going away
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if !isTimeout(err) || (!deadline.IsZero() && !time.Now().Before(deadline)) {
			return err
		}
	}
	if buf, _ := pc.br.Peek(pc.br.Buffered()); !bytes.Contains(buf, headEnd) {
		pc.setReadDeadline(deadline)
	}
	return nil
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
			h1.WriteHeaderLine(bw, k, v)
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
			c.idle = append(c.idle, pc)
			stale, c.idle = c.idle, nil
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
	c     *h1Client
	pc    *upConn
	body  io.ReadCloser
	stop  func() bool // nil when the body was buffered already
	whole int         // the length of a body that is all in pc.br, else -1
	eof   bool
	keep  bool // the target did not ask to close the connection
	done  bool
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

// buffered returns the whole body when it is in the connection's buffer, not read yet; the
// caller reports with consumed that it used it.
func (b *h1Body) buffered() ([]byte, bool) {
	if b.eof || b.whole < 0 || b.done {
		return nil, false
	}
	p, err := b.pc.br.Peek(b.whole)
	return p, err == nil
}

func (b *h1Body) consumed() {
	_, _ = b.pc.br.Discard(b.whole)
	b.eof = true
}

func (b *h1Body) Close() error {
	if b.done {
		return nil
	}
	b.done = true
	// stop reports false when the client's going away already closed the connection.
	if (b.stop == nil || b.stop()) && b.eof && b.keep {
		b.c.put(b.pc)
		return nil
	}
	b.pc.c.Close()
	return nil
}
