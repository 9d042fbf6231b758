package lb

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
)

// upgrade completes a protocol switch (WebSocket): it hands the client's connection and the
// target's connection to each other and copies both ways until either side closes. The
// request stays in flight on its target the whole time, so draining waits for it (up to the
// deregistration delay, after which releasing the target closes the upstream connection).
func (h *handler) upgrade(w http.ResponseWriter, r *http.Request, res *http.Response, o *outcome) int {
	fail := func(code int) int { // the listener's own answer, counted for the group
		o.fg.g.stats.countError(code)
		return writeError(w, code)
	}
	back, ok := res.Body.(io.ReadWriteCloser)
	want := r.Header.Get("Upgrade")
	if !ok || want == "" || !strings.EqualFold(want, res.Header.Get("Upgrade")) {
		res.Body.Close()
		return fail(http.StatusBadGateway)
	}
	hj, ok := w.(http.Hijacker)
	if !ok { // HTTP/2 has no Upgrade
		back.Close()
		return fail(http.StatusBadGateway)
	}
	if !h.l.hijacked.add() {
		back.Close()
		return fail(http.StatusServiceUnavailable)
	}
	defer h.l.hijacked.done()
	conn, brw, err := hj.Hijack()
	if err != nil {
		back.Close()
		return statusClientClosed
	}
	h.l.hijacked.track(conn)
	defer h.l.hijacked.untrack(conn)
	defer conn.Close()
	defer back.Close()
	res.Body = nil
	if err := res.Write(brw); err != nil {
		return http.StatusSwitchingProtocols
	}
	if err := brw.Flush(); err != nil {
		return http.StatusSwitchingProtocols
	}
	// Bytes the client sent right after its request are in the server's read buffer.
	// (brw.Reader by name: a ReadWriter's Buffered is ambiguous.)
	br := brw.Reader
	if n := br.Buffered(); n > 0 {
		pending, _ := br.Peek(n)
		if _, err := back.Write(pending); err != nil {
			return http.StatusSwitchingProtocols
		}
	}
	var wg sync.WaitGroup
	var sent int64
	wg.Go(func() {
		sent, _, _ = copyBody(conn, nil, back)
		conn.Close()
		back.Close()
	})
	_, _, _ = copyBody(back, nil, conn)
	conn.Close()
	back.Close()
	wg.Wait()
	o.bytes = sent
	return http.StatusSwitchingProtocols
}

// hijackSet tracks a listener's upgraded connections, which http.Server.Shutdown neither
// waits for nor closes.
type hijackSet struct {
	mu     sync.Mutex
	n      int
	conns  map[net.Conn]struct{}
	closed bool          // no new upgrades
	forced bool          // close upgraded connections at once
	empty  chan struct{} // closed when n drops to 0 after close began
}

// add counts an upgrade about to happen; false once the listener is shutting down.
func (s *hijackSet) add() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.n++
	return true
}

func (s *hijackSet) done() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n--
	if s.n == 0 && s.empty != nil {
		close(s.empty)
		s.empty = nil
	}
}

func (s *hijackSet) track(c net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns == nil {
		s.conns = make(map[net.Conn]struct{})
	}
	s.conns[c] = struct{}{}
	if s.forced {
		c.Close()
	}
}

func (s *hijackSet) untrack(c net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c)
}

// shutdown refuses new upgrades, lets the current ones end until ctx is done, then closes
// what is left and waits for their handlers.
func (s *hijackSet) shutdown(ctx context.Context) {
	s.mu.Lock()
	s.closed = true
	if s.n == 0 {
		s.mu.Unlock()
		return
	}
	empty := make(chan struct{})
	s.empty = empty
	s.mu.Unlock()
	select {
	case <-empty:
		return
	case <-ctx.Done():
	}
	s.mu.Lock()
	s.forced = true
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	<-empty
}
