package h1

import (
	"io"
	"net"
	"sync"
)

// handoffListener is the listener of a Server's http.Server: its connections are those that
// the Server hands over.
type handoffListener struct {
	addr  net.Addr // the Server's listener's, set by Serve
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newHandoffListener() *handoffListener {
	return &handoffListener{conns: make(chan net.Conn), done: make(chan struct{})}
}

// hand gives c to the http.Server; once the listener is closed, it closes c and reports false.
func (l *handoffListener) hand(c net.Conn) bool {
	select {
	case l.conns <- c:
		return true
	case <-l.done:
		c.Close()
		return false
	}
}

func (l *handoffListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *handoffListener) Close() error {
	l.close()
	return nil
}

// close ends Accept; unlike a socket's, it cannot fail.
func (l *handoffListener) close() { l.once.Do(func() { close(l.done) }) }

func (l *handoffListener) Addr() net.Addr { return l.addr }

// handoffConn is a handed-over connection: it reads what the Server had read already,
// then the connection.
type handoffConn struct {
	net.Conn
	r io.Reader
}

func (c *handoffConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// CloseWrite lets net/http half-close the connection before closing it, as it does with a
// *net.TCPConn.
func (c *handoffConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
