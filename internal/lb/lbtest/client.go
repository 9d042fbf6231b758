package lbtest

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// RawTransport is an HTTP/1.1 RoundTripper that never retries, unlike http.Transport, which
// silently retries requests on a reused connection that died. It reads each response body
// completely, so a failure anywhere surfaces as the RoundTrip error. With KeepAlive it reuses
// one connection per host between requests; without, every request has its own. Safe for
// concurrent use (concurrent requests queue for the connection).
type RawTransport struct {
	KeepAlive bool
	Timeout   time.Duration // per request; default 10 s

	mu    sync.Mutex
	conns map[string]*rawConn
}

type rawConn struct {
	mu sync.Mutex
	c  net.Conn
	br *bufio.Reader
}

var _ http.RoundTripper = (*RawTransport)(nil)

// RoundTrip sends req once and returns its fully read response.
func (t *RawTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rc := t.conn(req.URL.Host)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.c == nil {
		c, err := net.DialTimeout("tcp", req.URL.Host, 5*time.Second)
		if err != nil {
			return nil, err
		}
		rc.c, rc.br = c, bufio.NewReader(c)
	}
	res, err := t.exchange(rc, req)
	if err != nil || !t.KeepAlive || res.Close {
		rc.c.Close()
		rc.c = nil
	}
	return res, err
}

func (t *RawTransport) exchange(rc *rawConn, req *http.Request) (*http.Response, error) {
	timeout := t.Timeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	_ = rc.c.SetDeadline(time.Now().Add(timeout))
	if !t.KeepAlive {
		req.Close = true
	}
	if err := req.Write(rc.c); err != nil {
		return nil, err
	}
	res, err := http.ReadResponse(rc.br, req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	return res, nil
}

func (t *RawTransport) conn(host string) *rawConn {
	if !t.KeepAlive {
		return &rawConn{}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.conns == nil {
		t.conns = make(map[string]*rawConn)
	}
	rc := t.conns[host]
	if rc == nil {
		rc = &rawConn{}
		t.conns[host] = rc
	}
	return rc
}

// CloseIdleConnections closes the kept connections.
func (t *RawTransport) CloseIdleConnections() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, rc := range t.conns {
		rc.mu.Lock()
		if rc.c != nil {
			rc.c.Close()
			rc.c = nil
		}
		rc.mu.Unlock()
	}
}
