package lb

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/fargohq/fargo/internal/lb/h1"
)

// handler serves one listener. It holds only what never changes while the listener is bound;
// everything else comes from the routing table it loads per request.
type handler struct {
	p       *Proxy
	l       *listener
	id      string
	scheme  string   // "http" or "https"
	port    string   // the bound port, for X-Forwarded-Port and #{port}
	xfProto []string // shared, read-only header values
	xfPort  []string
}

var _ http.Handler = (*handler)(nil)

// outcome is what one request came to, for metrics and the access log.
type outcome struct {
	status   int
	bytes    int64
	fg       *fwdGroup
	idx      int
	t        *target
	end      time.Time // when the response ended, if it came from t
	prepared bool      // request headers rewritten for the upstream
	unrouted *group    // the group that had no target to offer (503)
	abort    bool      // the response broke off mid-body: abort the client connection
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := h.p
	start := p.now()
	var o outcome
	if rt := h.serve(w, r, start, &o); rt != nil {
		if o.t != nil {
			o.fg.counters[o.idx].inc(p.met.requests, o.status, rt.id, o.fg.g.id, o.t.key.id)
		} else {
			rt.direct.inc(p.met.requests, o.status, rt.id, "", "")
		}
		end := o.end
		if o.t == nil {
			end = p.now()
		}
		rt.latency.Observe(end.Sub(start).Seconds())
		rt.inflight.Dec()
		if p.access != nil {
			p.access.write(start, end, r, h.id, &o)
		}
	}
	if o.abort {
		// The only way to tell a client that a response it is receiving broke off (for a
		// chunked or HTTP/2 response): net/http aborts the connection or stream, quietly.
		panic(http.ErrAbortHandler)
	}
}

// serve routes r by the current table and answers it. It returns the route whose metrics
// count the request (its in-flight gauge incremented), or nil when the listener has no route.
func (h *handler) serve(w http.ResponseWriter, r *http.Request, start time.Time, o *outcome) *route {
	for again := true; ; again = false {
		tab := h.p.table.Load()
		rt := tab.routes[h.id]
		if rt == nil {
			o.status = writeError(w, http.StatusServiceUnavailable)
			return nil
		}
		rt.inflight.Inc()
		rl := rt.match(r)
		switch {
		case r.Method == http.MethodConnect: // ALB does not tunnel
			o.status = writeError(w, http.StatusBadRequest)
		case rl == nil:
			o.status = writeError(w, http.StatusServiceUnavailable)
		case rl.act.kind == actFixed:
			o.status = writeFixed(w, rl.act.fixed)
		case rl.act.kind == actRedirect:
			o.status = h.writeRedirect(w, r, rl.act.redir)
		case !h.forward(w, r, rl.act.fwd, start, o):
			// No target to offer. A request that loaded the table just before a swap may
			// find only draining targets; the new table knows where they went.
			if again && h.p.table.Load() != tab {
				rt.inflight.Dec()
				continue
			}
			o.status = writeError(w, http.StatusServiceUnavailable)
			if o.unrouted != nil {
				o.unrouted.stats.countError(o.status)
			}
		}
		return rt
	}
}

// match returns the first rule whose conditions all hold.
func (rt *route) match(r *http.Request) *rule {
	for i := range rt.rules {
		rl := &rt.rules[i]
		ok := true
		for j := range rl.conds {
			if !rl.conds[j].match(r) {
				ok = false
				break
			}
		}
		if ok {
			return rl
		}
	}
	return nil
}

// forward proxies r to a target of the forward's groups. It reports false, having written
// nothing, when there was no target to send it to.
func (h *handler) forward(w http.ResponseWriter, r *http.Request, fwd *forward, start time.Time, o *outcome) bool {
	o.unrouted = nil
	fg := fwd.pickGroup(r)
	if fg == nil {
		if len(fwd.groups) > 0 { // every weight is 0: the forward's first group answers for it
			o.unrouted = fwd.groups[0].g
		}
		return false
	}
	now := start.UnixNano()
	idx, t := fg.g.pick(r, now, nil)
	if t == nil {
		o.unrouted = fg.g
		return false
	}
	o.fg, o.idx, o.t = fg, idx, t
	tStart := start
	if !o.prepared {
		h.prepare(r)
		o.prepared = true
	}
	body := newReplayBody(r, h.p.cfg.MaxRetryBody)
	if body != nil && r.ProtoMajor == 1 {
		// A target may answer before it read the whole body (streaming uploads, early
		// errors). net/http would discard the rest of the client's body as soon as the
		// response starts, cutting the upload short; the target decides, not the proxy.
		_ = http.NewResponseController(w).EnableFullDuplex()
		// In full-duplex mode net/http fails the connection's next request when a handler
		// left the body unread (golang/go#68560), as after a target that could not be
		// reached. Closing it discards the rest or ends the connection cleanly.
		defer r.Body.Close()
	}
	res, flags, err := h.roundTrip(r, t, body) //nolint:bodyclose // h.respond closes it; bodyclose loses track of res across the retry's reassignment
	h.noteRefusal(r, t, err, flags)
	// A target released while the request was in flight (its deregistration delay ran out)
	// had its connections closed under the request: that failure is not retried.
	if err != nil && !t.released() && classify(r, err, flags) == failRetryable {
		if rb, ok := body.replay(); ok {
			if idx2, t2 := fg.g.pick(r, now, t); t2 != nil {
				// Invisible to the client, but not to the operator.
				h.p.met.errors.WithLabelValues(fg.g.id, t.key.id, errRetry).Inc()
				retryAt := h.p.now()
				t.stats.errors.Add(1)
				t.stats.observe(0, retryAt.Sub(start))
				t.done()
				o.idx, o.t, t, tStart = idx2, t2, t2, retryAt
				res, flags, err = h.roundTrip(r, t, rb) //nolint:bodyclose // h.respond closes it, as above
				h.noteRefusal(r, t, err, flags)
			}
		}
	}
	if err != nil {
		o.status = h.failed(w, r, fg.g, t, err, flags)
	} else {
		h.respond(w, r, res, o)
	}
	// Counted before done: once done, a draining target may be released, and its last
	// requests would be missing from the last TargetStats that lists it.
	o.end = h.p.now()
	t.stats.observe(o.status, o.end.Sub(tStart))
	t.done()
	return true
}

// noteRefusal takes t out of routing for a moment when an attempt of r could not connect to
// it (refusalHold); a client that went away says nothing about the target.
func (h *handler) noteRefusal(r *http.Request, t *target, err error, flags uint32) {
	if err != nil && flags&flagGotConn == 0 && r.Context().Err() == nil {
		t.refused(h.p.now().UnixNano())
	}
}

// failed answers a request whose target could not be reached, and counts why.
func (h *handler) failed(w http.ResponseWriter, r *http.Request, g *group, t *target, err error, flags uint32) int {
	kind, status := errBackend, http.StatusBadGateway
	switch classify(r, err, flags) {
	case failClient:
		return statusClientClosed // nobody to answer
	case failTimeout:
		kind, status = errTimeout, http.StatusGatewayTimeout
	case failRetryable:
		kind = errConnect
	}
	h.p.met.errors.WithLabelValues(g.id, t.key.id, kind).Inc()
	t.stats.errors.Add(1)
	g.stats.countError(status)
	return writeError(w, status)
}

// statusClientClosed is ALB's code for a client that closed the connection before the
// response (only logged and counted, never sent).
const statusClientClosed = 460

// Flags that the client trace of one attempt sets.
const (
	flagGotConn uint32 = 1 << iota
	flagReused
	flagWrote
)

// attempt records what one round trip got as far as; the transport calls it from its own
// goroutines.
type attempt struct {
	flags atomic.Uint32
	trace httptrace.ClientTrace
}

func (a *attempt) gotConn(info httptrace.GotConnInfo) {
	f := flagGotConn
	if info.Reused {
		f |= flagReused
	}
	a.flags.Store(f) // the transport may retry on a new connection: the last one counts
}

func (a *attempt) wroteRequest(httptrace.WroteRequestInfo) { a.flags.Or(flagWrote) }

// roundTrip sends r to t once.
func (h *handler) roundTrip(r *http.Request, t *target, body *replayBody) (*http.Response, uint32, error) {
	if t.h1 != nil && fastPath(r, body) {
		return t.h1.roundTrip(r)
	}
	h1.WatchClient(r.Context()) // the transport ends the request when the client goes
	a := &attempt{}
	a.trace.GotConn = a.gotConn
	a.trace.WroteRequest = a.wroteRequest
	out := r.WithContext(httptrace.WithClientTrace(r.Context(), &a.trace))
	// The server built r.URL for this request alone, so pointing it at the target in place
	// saves a copy; the path and query that the access log reads stay as they were.
	r.URL.Scheme, r.URL.Host = t.key.scheme, t.key.addr
	out.RequestURI = ""
	out.Close = false
	if _, ok := r.Header["User-Agent"]; !ok {
		// An empty value keeps http.Transport from adding its own: the target gets what
		// the client sent, as from the bodiless client and from ALB.
		r.Header["User-Agent"] = emptyValue
	}
	if body != nil {
		out.Body = body
	}
	res, err := t.transport.RoundTrip(out)
	return res, a.flags.Load(), err
}

// Kinds of failure of one attempt.
const (
	failRetryable = iota // nothing reached the target: try another
	failTimeout          // the target did not answer in time: 504
	failBackend          // the target got the request and failed: 502
	failClient           // the client went away
)

// classify decides whether a failed attempt may be retried: only when no byte of it can have
// been acted on. A connection that could not be established qualifies, and so does a fresh
// connection that the target reset or closed before answering (it accepted and died). On a
// reused connection that died, the request is retried only if it was not written yet or is
// idempotent, as a client would do. Timeouts after sending are never retried.
func classify(r *http.Request, err error, flags uint32) int {
	switch {
	case r.Context().Err() != nil:
		return failClient
	case flags&flagGotConn == 0:
		return failRetryable
	case isTimeout(err):
		return failTimeout
	case !isResetOrEOF(err):
		return failBackend
	case flags&flagReused == 0, flags&flagWrote == 0, idempotent(r.Method):
		return failRetryable
	}
	return failBackend
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// isResetOrEOF reports errors of a connection that the target closed or reset. net.ErrClosed
// belongs here too: the transport closes its end when it reads EOF, and a write still in
// progress then fails with it.
func isResetOrEOF(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ECONNABORTED) ||
		strings.Contains(err.Error(), "server closed idle connection")
}

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// prepare rewrites the request headers for the upstream, in place: hop-by-hop headers go,
// X-Forwarded-For gets the client appended, X-Forwarded-Proto and -Port name this listener.
// Host stays as the client sent it.
func (h *handler) prepare(r *http.Request) {
	hdr := r.Header
	upgrade := ""
	if len(hdr["Connection"]) > 0 {
		upgrade = upgradeType(hdr)
		removeConnectionTokens(hdr)
	}
	for k, v := range hdr {
		if isHopByHop(k) && !(k == "Te" && len(v) == 1 && v[0] == "trailers") {
			delete(hdr, k)
		}
	}
	if upgrade != "" {
		hdr["Connection"] = connectionUpgrade
		hdr["Upgrade"] = []string{upgrade}
	}
	ip := clientIP(r.RemoteAddr)
	if prior := hdr["X-Forwarded-For"]; len(prior) > 0 {
		hdr["X-Forwarded-For"] = []string{strings.Join(prior, ", ") + ", " + ip}
	} else {
		hdr["X-Forwarded-For"] = []string{ip}
	}
	hdr["X-Forwarded-Proto"] = h.xfProto
	hdr["X-Forwarded-Port"] = h.xfPort
}

var (
	connectionUpgrade = []string{"Upgrade"}
	emptyValue        = []string{""}
)

// isHopByHop reports the headers of RFC 9110 §7.6.1 that a proxy must not forward.
func isHopByHop(k string) bool {
	switch k {
	case "Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate",
		"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade":
		return true
	}
	return false
}

// removeConnectionTokens deletes the headers that the Connection header names.
func removeConnectionTokens(h http.Header) {
	for _, v := range h["Connection"] {
		for tok := range strings.SplitSeq(v, ",") {
			if tok = strings.TrimSpace(tok); tok != "" {
				h.Del(tok)
			}
		}
	}
}

func upgradeType(h http.Header) string {
	for _, v := range h["Connection"] {
		for tok := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(tok), "upgrade") {
				return h.Get("Upgrade")
			}
		}
	}
	return ""
}
