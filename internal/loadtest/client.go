package loadtest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// plan is a Config compiled for the hot path: addresses resolved to strings and every request
// rendered to bytes once.
type plan struct {
	addr        string
	tls         *tls.Config
	dialer      net.Dialer
	timeout     time.Duration
	revision    string // canonical header key
	postPercent int
	// requests[keepAlive][post] are the rendered requests; new-connection clients' say
	// Connection: close.
	requests    [2][2][]byte
	maxRequests int64
	started     atomic.Int64
	maxSamples  int
}

func compile(c Config) (*plan, error) {
	u, err := url.Parse(c.URL)
	if err != nil {
		return nil, err
	}
	host := c.Host
	if host == "" {
		host = u.Host
	}
	p := &plan{
		addr:        hostPort(u),
		dialer:      net.Dialer{Timeout: c.Timeout},
		timeout:     c.Timeout,
		revision:    http.CanonicalHeaderKey(c.RevisionHeader),
		postPercent: c.PostPercent,
		maxRequests: c.MaxRequests,
		maxSamples:  c.MaxErrorSamples,
	}
	if u.Scheme == "https" {
		p.tls = &tls.Config{ServerName: u.Hostname(), InsecureSkipVerify: c.InsecureSkipVerify, NextProtos: []string{"http/1.1"}}
	}
	postPath := c.PostPath
	if postPath == "" {
		postPath = u.RequestURI()
	}
	for ka := range 2 {
		p.requests[ka][0] = renderRequest(http.MethodGet, u.RequestURI(), host, c.Header, nil, ka == 0)
		p.requests[ka][1] = renderRequest(http.MethodPost, postPath, host, c.Header, c.PostBody, ka == 0)
	}
	return p, nil
}

func hostPort(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	if u.Scheme == "https" {
		return net.JoinHostPort(u.Hostname(), "443")
	}
	return net.JoinHostPort(u.Hostname(), "80")
}

func renderRequest(method, target, host string, h http.Header, body []byte, closeConn bool) []byte {
	var b bytes.Buffer
	b.WriteString(method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: fargo-loadtest\r\n")
	if closeConn {
		b.WriteString("Connection: close\r\n")
	}
	if body != nil {
		if h.Get("Content-Type") == "" {
			b.WriteString("Content-Type: application/json\r\n")
		}
		b.WriteString("Content-Length: " + strconv.Itoa(len(body)) + "\r\n")
	}
	_ = h.Write(&b) // a bytes.Buffer does not fail
	b.WriteString("\r\n")
	b.Write(body)
	return b.Bytes()
}

// client is one simulated user: it sends requests one at a time, on a kept connection or on a
// new one each time. Its counts are guarded by mu, which only snapshots contend for.
type client struct {
	p         *plan
	keepAlive bool
	interval  time.Duration // between request starts; 0 when unpaced
	offset    time.Duration // of the first start, to spread paced clients
	postAcc   int

	conn net.Conn
	br   *bufio.Reader
	// cur is the connection in use, for the abort hook that runs when ctx ends.
	cur atomic.Pointer[net.Conn]

	mu sync.Mutex
	s  stats
}

// stats are one client's counts, merged into a Result.
type stats struct {
	byKind    [2][2]Counts // [keepAlive][post]
	revisions map[string]int64
	conns     int64
	aborted   int64
	hist      histogram
	samples   []ErrorSample
}

// run sends requests until stop ends (or the request budget is spent) and abandons the one in
// flight when ctx ends. stop is ctx or a child of it.
func (c *client) run(ctx, stop context.Context) {
	defer c.closeConn()
	unregister := context.AfterFunc(ctx, func() {
		if conn := c.cur.Load(); conn != nil {
			_ = (*conn).SetDeadline(time.Unix(1, 0)) // wakes the blocked read or write at once
		}
	})
	defer unregister()
	var timer *time.Timer
	next := time.Now().Add(c.offset)
	for stop.Err() == nil {
		if c.interval > 0 {
			if wait := time.Until(next); wait > 0 {
				if timer == nil {
					timer = time.NewTimer(wait)
				} else {
					timer.Reset(wait)
				}
				select {
				case <-stop.Done():
					timer.Stop()
					return
				case <-timer.C:
				}
			}
			next = next.Add(c.interval)
			if now := time.Now(); now.Sub(next) > c.interval {
				next = now // fell behind: keep the pace from now rather than burst
			}
		}
		if c.p.maxRequests > 0 && c.p.started.Add(1) > c.p.maxRequests {
			return
		}
		if !c.do(ctx) {
			return
		}
	}
}

// do sends one request and counts it; it returns false when ctx ended during the request.
func (c *client) do(ctx context.Context) bool {
	post := c.nextIsPost()
	start := time.Now()
	outcome, status, revision, err := c.roundTrip(ctx, start, c.p.requests[b2i(c.keepAlive)][b2i(post)])
	if err != nil && ctx.Err() != nil {
		c.mu.Lock()
		c.s.aborted++
		c.mu.Unlock()
		return false
	}
	latency := time.Since(start)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.byKind[b2i(c.keepAlive)][b2i(post)][outcome]++
	if err == nil {
		c.s.hist.record(latency)
		if c.s.revisions == nil {
			c.s.revisions = make(map[string]int64)
		}
		c.s.revisions[revision]++
	}
	if outcome != Status2xx && len(c.s.samples) < c.p.maxSamples {
		detail := status
		if err != nil {
			detail = err.Error()
		}
		method := http.MethodGet
		if post {
			method = http.MethodPost
		}
		c.s.samples = append(c.s.samples, ErrorSample{At: start, Outcome: outcome, KeepAlive: c.keepAlive, Method: method, Detail: detail, Revision: revision})
	}
	return true
}

// nextIsPost spreads PostPercent POSTs evenly over the client's requests.
func (c *client) nextIsPost() bool {
	c.postAcc += c.p.postPercent
	if c.postAcc >= 100 {
		c.postAcc -= 100
		return true
	}
	return false
}

// roundTrip writes req and reads the whole response, on the kept connection or a new one. Any
// error closes the connection: the next request opens a new one and nothing is resent.
func (c *client) roundTrip(ctx context.Context, start time.Time, req []byte) (o Outcome, status, revision string, err error) {
	if c.conn == nil {
		if err := c.dial(ctx, start); err != nil {
			return ConnectError, "", "", err
		}
	}
	if err := c.conn.SetDeadline(start.Add(c.p.timeout)); err != nil {
		c.closeConn()
		return ReadWriteError, "", "", err
	}
	if ctx.Err() != nil { // the abort hook may have run before the deadline was set
		c.closeConn()
		return ReadWriteError, "", "", ctx.Err()
	}
	if _, err := c.conn.Write(req); err != nil {
		c.closeConn()
		return ioOutcome(err), "", "", err
	}
	resp, err := http.ReadResponse(c.br, nil)
	if err != nil {
		c.closeConn()
		return ioOutcome(err), "", "", err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		c.closeConn()
		return ioOutcome(err), "", "", err
	}
	if !c.keepAlive || resp.Close {
		c.closeConn()
	}
	return statusOutcome(resp.StatusCode), resp.Status, resp.Header.Get(c.p.revision), nil
}

func (c *client) dial(ctx context.Context, start time.Time) error {
	conn, err := c.p.dialer.DialContext(ctx, "tcp", c.p.addr)
	if err != nil {
		return err
	}
	if c.p.tls != nil {
		tc := tls.Client(conn, c.p.tls)
		_ = tc.SetDeadline(start.Add(c.p.timeout))
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return err
		}
		conn = tc
	}
	c.conn = conn
	c.cur.Store(&conn)
	if c.br == nil {
		c.br = bufio.NewReaderSize(conn, 16<<10)
	} else {
		c.br.Reset(conn)
	}
	c.mu.Lock()
	c.s.conns++
	c.mu.Unlock()
	return nil
}

func (c *client) closeConn() {
	if c.conn != nil {
		c.cur.Store(nil)
		c.conn.Close()
		c.conn = nil
	}
}

func ioOutcome(err error) Outcome {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return Timeout
	}
	return ReadWriteError
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
