package lb_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/lb/lbtest"
)

// The wire tests pin what a client observes on the bytes of a plain-HTTP listener: framing,
// connection reuse and closing, and requests of every kind mixed on one connection (bodiless
// ones next to bodies, upgrades, Expect, HTTP/1.0, large headers, malformed requests). They
// talk raw TCP, so that nothing a client library forgives goes unnoticed.

// wireTimeout bounds every wait of the wire tests; none should come close to it.
const wireTimeout = 10 * time.Second

// wireTarget is a target on 127.0.0.1 that counts the requests it gets.
type wireTarget struct {
	addr     string
	requests atomic.Int64
}

// newWireTarget starts a target serving h (wireEcho when nil) until the end of the test.
func newWireTarget(t *testing.T, h http.HandlerFunc) *wireTarget {
	t.Helper()
	if h == nil {
		h = wireEcho
	}
	wt := &wireTarget{}
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wt.requests.Add(1)
		h(w, r)
	}))
	t.Cleanup(s.Close)
	wt.addr = strings.TrimPrefix(s.URL, "http://")
	return wt
}

// wireEcho reports what the target got: every request header as X-Got-<name>, the Host and
// the request-target as X-Got-Host and X-Got-Request-Uri, and as body the request's body, or
// its path when it had none. The Content-Length is explicit, so that HEAD answers carry it.
func wireEcho(w http.ResponseWriter, r *http.Request) {
	for k, vv := range r.Header {
		w.Header()["X-Got-"+k] = vv
	}
	w.Header().Set("X-Got-Host", r.Host)
	w.Header().Set("X-Got-Request-Uri", r.RequestURI)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	if len(body) == 0 {
		body = []byte(r.URL.Path)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// wireProxy runs a proxy whose listener l forwards to the target (group g, health checks off,
// so it is routable at once), with the config adjusted by mod. It returns the proxy and the
// listener's address.
func wireProxy(t *testing.T, target string, mod func(*lb.Config)) (*lb.Proxy, string) {
	t.Helper()
	p := lbtest.Start(t, lb.ProxyConfig{ShutdownTimeout: 5 * time.Second})
	cfg := wireConfig(target)
	if mod != nil {
		mod(&cfg)
	}
	if err := p.Apply(cfg); err != nil {
		t.Fatal(err)
	}
	addr := p.ListenerAddr("l")
	return p, addr
}

func wireConfig(target string) lb.Config {
	return lb.Config{
		Listeners: []lb.Listener{lbtest.Listener("l", lbtest.Forward("g"))},
		TargetGroups: []lb.TargetGroup{{ID: "g", HealthCheck: lb.HealthCheck{Disabled: true},
			Targets: []lb.Target{{ID: "t", Addr: target}}}},
	}
}

// wireConn is a raw client connection to a listener.
type wireConn struct {
	t  *testing.T
	c  net.Conn
	br *bufio.Reader
}

func dialWire(t *testing.T, addr string) *wireConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, wireTimeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(wireTimeout))
	return &wireConn{t: t, c: c, br: bufio.NewReader(c)}
}

func (wc *wireConn) write(raw string) {
	wc.t.Helper()
	if _, err := io.WriteString(wc.c, raw); err != nil {
		wc.t.Fatalf("write: %v", err)
	}
}

// readHead reads the head of the next response to a request with this method.
func (wc *wireConn) readHead(method string) *http.Response {
	wc.t.Helper()
	res, err := http.ReadResponse(wc.br, &http.Request{Method: method})
	if err != nil {
		wc.t.Fatalf("reading the response to %s: %v", method, err)
	}
	return res
}

// read reads the next response to a request with this method, and its whole body.
func (wc *wireConn) read(method string) (*http.Response, string) {
	wc.t.Helper()
	res := wc.readHead(method)
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		wc.t.Fatalf("reading the body of a %d response to %s: %v", res.StatusCode, method, err)
	}
	return res, string(body)
}

// do writes a raw request and reads its response.
func (wc *wireConn) do(raw string) (*http.Response, string) {
	wc.t.Helper()
	wc.write(raw)
	return wc.read(methodOf(raw))
}

// wantClosed checks that the server closes the connection within d without sending more.
func (wc *wireConn) wantClosed(d time.Duration) {
	wc.t.Helper()
	_ = wc.c.SetReadDeadline(time.Now().Add(d))
	defer func() { _ = wc.c.SetReadDeadline(time.Now().Add(wireTimeout)) }()
	p := make([]byte, 512)
	n, err := wc.br.Read(p)
	switch {
	case n > 0:
		wc.t.Fatalf("got %q where the server should have closed the connection", p[:n])
	case errors.Is(err, io.EOF), errors.Is(err, syscall.ECONNRESET):
	default:
		wc.t.Fatalf("connection not closed within %s: %v", d, err)
	}
}

// wantOpen checks that the server leaves the connection open for a little while.
func (wc *wireConn) wantOpen() {
	wc.t.Helper()
	_ = wc.c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	defer func() { _ = wc.c.SetReadDeadline(time.Now().Add(wireTimeout)) }()
	if _, err := wc.br.Peek(1); !isTimeout(err) {
		wc.t.Fatalf("connection not left open: %v", err)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// methodOf returns the method of a raw request.
func methodOf(raw string) string { return raw[:strings.IndexByte(raw, ' ')] }

// get and post are raw requests with Host wire.test.
func get(path string) string { return "GET " + path + " HTTP/1.1\r\nHost: wire.test\r\n\r\n" }

func post(path, body string) string {
	return "POST " + path + " HTTP/1.1\r\nHost: wire.test\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
}

// releaser returns a function that closes release once; it is also called when the test
// ends, so that a failed test does not leave a target handler waiting.
func releaser(t *testing.T, release chan struct{}) func() {
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	t.Cleanup(free)
	return free
}

// wantBody checks a response's status and body.
func wantBody(t *testing.T, what string, res *http.Response, body string, status int, want string) {
	t.Helper()
	if res.StatusCode != status || body != want {
		t.Fatalf("%s: %d %.100q, want %d %.100q", what, res.StatusCode, body, status, want)
	}
}

// TestWireKeepAlive: requests in sequence on one connection are all answered on it, and the
// connection stays open between them.
func TestWireKeepAlive(t *testing.T) {
	t.Parallel()
	tg := newWireTarget(t, nil)
	_, addr := wireProxy(t, tg.addr, nil)
	wc := dialWire(t, addr)
	for i := range 3 {
		path := "/k" + strconv.Itoa(i)
		res, body := wc.do(get(path))
		wantBody(t, path, res, body, 200, path)
		if res.Close {
			t.Fatalf("%s: the server asked to close the connection", path)
		}
	}
	wc.wantOpen()
	if n := tg.requests.Load(); n != 3 {
		t.Errorf("target got %d requests, want 3", n)
	}
}

// TestWirePipelining: requests written at once are answered in order, whatever their kind.
func TestWirePipelining(t *testing.T) {
	t.Parallel()
	tg := newWireTarget(t, nil)
	_, addr := wireProxy(t, tg.addr, nil)
	type exchange struct{ req, method, want string }
	tests := []struct {
		name string
		reqs []exchange
	}{
		{"GETs", []exchange{{get("/p1"), "GET", "/p1"}, {get("/p2"), "GET", "/p2"}, {get("/p3"), "GET", "/p3"}}},
		{"GET, POST with a body, GET", []exchange{{get("/p1"), "GET", "/p1"}, {post("/p2", "payload"), "POST", "payload"}, {get("/p3"), "GET", "/p3"}}},
		{"GET, HEAD, GET", []exchange{{get("/p1"), "GET", "/p1"},
			{"HEAD /p2 HTTP/1.1\r\nHost: wire.test\r\n\r\n", "HEAD", ""}, {get("/p3"), "GET", "/p3"}}},
		{"200 GETs", nil}, // some straddle any read buffer's end
	}
	for i := range 200 {
		path := "/many/" + strconv.Itoa(i)
		tests[len(tests)-1].reqs = append(tests[len(tests)-1].reqs, exchange{get(path), "GET", path})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wc := dialWire(t, addr)
			var all strings.Builder
			for _, x := range tt.reqs {
				all.WriteString(x.req)
			}
			wc.write(all.String())
			for i, x := range tt.reqs {
				res, body := wc.read(x.method)
				wantBody(t, "response "+strconv.Itoa(i), res, body, 200, x.want)
			}
			wc.wantOpen()
		})
	}
}

// TestWireConnectionClose: a client that asks to close (Connection: close, or HTTP/1.0
// without keep-alive) is told so and the server closes after the response; HTTP/1.0 with
// keep-alive keeps the connection.
func TestWireConnectionClose(t *testing.T) {
	t.Parallel()
	tg := newWireTarget(t, nil)
	_, addr := wireProxy(t, tg.addr, nil)
	tests := []struct {
		name      string
		req       string
		wantClose bool
	}{
		{"Connection: close", "GET /c HTTP/1.1\r\nHost: wire.test\r\nConnection: close\r\n\r\n", true},
		{"after a keep-alive request", get("/c") + "GET /c HTTP/1.1\r\nHost: wire.test\r\nConnection: close\r\n\r\n", true},
		{"HTTP/1.0", "GET /c HTTP/1.0\r\n\r\n", true},
		{"HTTP/1.0 with Host", "GET /c HTTP/1.0\r\nHost: wire.test\r\n\r\n", true},
		{"HTTP/1.0 keep-alive", "GET /c HTTP/1.0\r\nHost: wire.test\r\nConnection: keep-alive\r\n\r\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wc := dialWire(t, addr)
			wc.write(tt.req)
			n := strings.Count(tt.req, "GET ")
			var res *http.Response
			for i := range n {
				var body string
				res, body = wc.read("GET")
				wantBody(t, "response "+strconv.Itoa(i), res, body, 200, "/c")
			}
			// res.Close: Connection: close in an HTTP/1.1 response, no keep-alive in HTTP/1.0.
			if res.Close != tt.wantClose {
				t.Fatalf("response says close: %v, want %v (Connection: %q, %s)", res.Close, tt.wantClose, res.Header["Connection"], res.Proto)
			}
			if tt.wantClose {
				wc.wantClosed(wireTimeout)
				return
			}
			// Still usable.
			res, body := wc.do("GET /again HTTP/1.0\r\nHost: wire.test\r\nConnection: keep-alive\r\n\r\n")
			wantBody(t, "second HTTP/1.0 request", res, body, 200, "/again")
		})
	}
}

// TestWireLenientParsing: requests that net/http accepts though they bend the grammar, or
// use the rarer request-target forms, are answered as usual, and the connection goes on.
func TestWireLenientParsing(t *testing.T) {
	t.Parallel()
	tg := newWireTarget(t, nil)
	_, addr := wireProxy(t, tg.addr, nil)
	tests := []struct {
		name, req, method, want string
	}{
		{"LF line endings", "GET /lf HTTP/1.1\nHost: x\n\n", "GET", "/lf"},
		{"LF line endings with a body", "POST /lf HTTP/1.1\nHost: x\nContent-Length: 5\n\nhello", "POST", "hello"},
		{"mixed line endings", "GET /mixed HTTP/1.1\r\nHost: x\nX-A: 1\r\n\n", "GET", "/mixed"},
		{"lower-case header names", "GET /lower HTTP/1.1\r\nhost: x\r\nx-a: 1\r\n\r\n", "GET", "/lower"},
		// net/http unfolds obs-fold into one space (RFC 9112 §5.2 allows that or 400).
		{"folded header line", "GET /fold HTTP/1.1\r\nHost: x\r\nX-Fold: a\r\n b\r\n\r\n", "GET", "/fold"},
		// The absolute form's authority is the Host (RFC 9112 §3.2.2); the path is forwarded.
		{"absolute-form target", "GET http://abs.example/abs?q=1 HTTP/1.1\r\nHost: x\r\n\r\n", "GET", "/abs"},
		{"escaped path and query", "GET /a%2Fb%20c?x=%41&y=1+2 HTTP/1.1\r\nHost: x\r\n\r\n", "GET", "/a/b c"},
		// net/http answers OPTIONS * itself, with an empty 200.
		{"OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", "OPTIONS", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wc := dialWire(t, addr)
			res, body := wc.do(tt.req)
			wantBody(t, tt.name, res, body, 200, tt.want)
			switch tt.want {
			case "/fold":
				if got := res.Header.Get("X-Got-X-Fold"); got != "a b" {
					t.Errorf("folded header reached the target as %q, want %q", got, "a b")
				}
			case "/abs":
				if got := res.Header.Get("X-Got-Host"); got != "abs.example" {
					t.Errorf("Host at the target %q, want abs.example", got)
				}
				if got := res.Header.Get("X-Got-Request-Uri"); got != "/abs?q=1" {
					t.Errorf("request-target at the target %q, want /abs?q=1", got)
				}
			case "/a/b c": // passed on as the client wrote it
				if got, want := res.Header.Get("X-Got-Request-Uri"), "/a%2Fb%20c?x=%41&y=1+2"; got != want {
					t.Errorf("request-target at the target %q, want %q", got, want)
				}
			}
			res, body = wc.do(get("/next"))
			wantBody(t, "next request", res, body, 200, "/next")
		})
	}
}

// TestWireBadRequest: malformed requests get net/http's error status and a closed
// connection, and none reaches the target.
func TestWireBadRequest(t *testing.T) {
	t.Parallel()
	tg := newWireTarget(t, nil)
	_, addr := wireProxy(t, tg.addr, nil)
	tests := []struct {
		name   string
		req    string
		status int
	}{
		{"malformed request line", "GARBAGE\r\n\r\n", 400},
		{"request line without version", "GET /\r\nHost: x\r\n\r\n", 400},
		{"HTTP/2.0 request line", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505},
		{"HTTP/9.9 request line", "GET / HTTP/9.9\r\nHost: x\r\n\r\n", 505},
		{"invalid header name", "GET / HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n", 400},
		{"header without colon", "GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", 400},
		{"control character in a header value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n", 400},
		{"missing Host", "GET / HTTP/1.1\r\nX-A: 1\r\n\r\n", 400},
		{"two Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
		{"conflicting Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400},
		{"invalid Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: five\r\n\r\nhello", 400},
		{"unsupported Transfer-Encoding", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
		{"bad request after a good one", get("/ok") + "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tg.requests.Load()
			wc := dialWire(t, addr)
			wc.write(tt.req)
			if strings.HasPrefix(tt.req, get("/ok")) {
				res, body := wc.read("GET")
				wantBody(t, "good request", res, body, 200, "/ok")
				before++
			}
			res, _ := wc.read("GET")
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			wc.wantClosed(wireTimeout)
			if n := tg.requests.Load() - before; n != 0 {
				t.Errorf("the target got %d requests, want none", n)
			}
		})
	}
}

// TestWireLargeHeaders: request header blocks of any size up to net/http's 1 MiB limit, in
// one long line or many, around 4 KiB in particular, are forwarded whole, between ordinary
// requests on the same connection.
func TestWireLargeHeaders(t *testing.T) {
	t.Parallel()
	tg := newWireTarget(t, nil)
	_, addr := wireProxy(t, tg.addr, nil)
	// padded returns a request of exactly size bytes, padded by its X-Pad header.
	padded := func(size int) (req, pad string) {
		head, tail := "GET /big HTTP/1.1\r\nHost: wire.test\r\nX-Pad: ", "\r\n\r\n"
		pad = strings.Repeat("p", size-len(head)-len(tail))
		return head + pad + tail, pad
	}
	type test struct {
		name  string
		req   string
		check func(*http.Response) string // what is wrong, or ""
	}
	var tests []test
	for _, size := range []int{4000, 4095, 4096, 4097, 4200, 8192, 900 << 10} {
		req, pad := padded(size)
		tests = append(tests, test{"request of " + strconv.Itoa(size) + " bytes", req, func(res *http.Response) string {
			if got := res.Header.Get("X-Got-X-Pad"); got != pad {
				return "X-Pad of " + strconv.Itoa(len(got)) + " bytes reached the target, want " + strconv.Itoa(len(pad))
			}
			return ""
		}})
	}
	cookie := "c=" + strings.Repeat("a", 20<<10)
	tests = append(tests, test{"20 KiB cookie", "GET /big HTTP/1.1\r\nHost: wire.test\r\nCookie: " + cookie + "\r\n\r\n",
		func(res *http.Response) string {
			if res.Header.Get("X-Got-Cookie") != cookie {
				return "the cookie did not reach the target whole"
			}
			return ""
		}})
	var many strings.Builder
	many.WriteString("GET /big HTTP/1.1\r\nHost: wire.test\r\n")
	for i := range 200 {
		many.WriteString("X-Many-" + strconv.Itoa(i) + ": " + strings.Repeat("m", 90) + "\r\n")
	}
	many.WriteString("\r\n")
	tests = append(tests, test{"200 headers", many.String(), func(res *http.Response) string {
		for i := range 200 {
			if res.Header.Get("X-Got-X-Many-"+strconv.Itoa(i)) == "" {
				return "X-Many-" + strconv.Itoa(i) + " did not reach the target"
			}
		}
		return ""
	}})
	for _, tt := range tests {
		for _, pipelined := range []bool{false, true} {
			name := tt.name
			if pipelined {
				name += ", pipelined"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				wc := dialWire(t, addr)
				reqs := []string{get("/before"), tt.req, get("/after")}
				if pipelined {
					wc.write(strings.Join(reqs, ""))
				}
				for i, req := range reqs {
					if !pipelined {
						wc.write(req)
					}
					res, body := wc.read("GET")
					switch i {
					case 1:
						wantBody(t, "large request", res, body, 200, "/big")
						if msg := tt.check(res); msg != "" {
							t.Fatal(msg)
						}
					default:
						wantBody(t, "request "+strconv.Itoa(i), res, body, 200, strings.Fields(req)[1])
					}
				}
			})
		}
	}
}

// TestWireBodies: requests with bodies, framed either way and with any method, are forwarded
// with their bodies, and the connection goes on with the next request after them.
func TestWireBodies(t *testing.T) {
	t.Parallel()
	tg := newWireTarget(t, nil)
	_, addr := wireProxy(t, tg.addr, nil)
	tests := []struct {
		name, req, method, want string
	}{
		{"POST with Content-Length", post("/b", "payload"), "POST", "payload"},
		{"POST chunked", "POST /b HTTP/1.1\r\nHost: wire.test\r\nTransfer-Encoding: chunked\r\n\r\n3\r\npay\r\n4\r\nload\r\n0\r\n\r\n", "POST", "payload"},
		{"POST with Content-Length: 0", "POST /empty HTTP/1.1\r\nHost: wire.test\r\nContent-Length: 0\r\n\r\n", "POST", "/empty"},
		{"POST without a body", "POST /none HTTP/1.1\r\nHost: wire.test\r\n\r\n", "POST", "/none"},
		{"GET with Content-Length: 0", "GET /empty HTTP/1.1\r\nHost: wire.test\r\nContent-Length: 0\r\n\r\n", "GET", "/empty"},
		{"GET with Content-Length", "GET /b HTTP/1.1\r\nHost: wire.test\r\nContent-Length: 7\r\n\r\npayload", "GET", "payload"},
		{"GET chunked", "GET /b HTTP/1.1\r\nHost: wire.test\r\nTransfer-Encoding: chunked\r\n\r\n7\r\npayload\r\n0\r\n\r\n", "GET", "payload"},
		{"DELETE with Content-Length", "DELETE /b HTTP/1.1\r\nHost: wire.test\r\nContent-Length: 7\r\n\r\npayload", "DELETE", "payload"},
		{"PUT with 100 KiB", "PUT /b HTTP/1.1\r\nHost: wire.test\r\nContent-Length: 102400\r\n\r\n" + strings.Repeat("b", 100<<10), "PUT", strings.Repeat("b", 100<<10)},
		// Transfer-Encoding wins over Content-Length (RFC 9112 §6.3), as net/http has it.
		{"Content-Length and chunked", "POST /b HTTP/1.1\r\nHost: wire.test\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n7\r\npayload\r\n0\r\n\r\n", "POST", "payload"},
	}
	for _, tt := range tests {
		for _, pipelined := range []bool{false, true} {
			name := tt.name
			if pipelined {
				name += ", pipelined"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				wc := dialWire(t, addr)
				if pipelined {
					wc.write(get("/before") + tt.req + get("/after"))
				} else {
					wc.write(get("/before"))
				}
				res, body := wc.read("GET")
				wantBody(t, "GET before", res, body, 200, "/before")
				if !pipelined {
					wc.write(tt.req)
				}
				res, body = wc.read(tt.method)
				wantBody(t, tt.name, res, body, 200, tt.want)
				if !pipelined {
					wc.write(get("/after"))
				}
				res, body = wc.read("GET")
				wantBody(t, "GET after", res, body, 200, "/after")
			})
		}
	}
}

// TestWireExpectContinue: a client that waits for 100 Continue gets it, then the final
// response; one that sends its body at once gets the final response all the same.
func TestWireExpectContinue(t *testing.T) {
	t.Parallel()
	tg := newWireTarget(t, nil)
	_, addr := wireProxy(t, tg.addr, nil)
	head := "POST /e HTTP/1.1\r\nHost: wire.test\r\nContent-Length: 7\r\nExpect: 100-continue\r\n\r\n"
	t.Run("waits for 100", func(t *testing.T) {
		t.Parallel()
		wc := dialWire(t, addr)
		res, _ := wc.do(head)
		if res.StatusCode != http.StatusContinue {
			t.Fatalf("status %d before the body, want 100", res.StatusCode)
		}
		wc.write("payload")
		res, body := wc.read("POST")
		wantBody(t, "final response", res, body, 200, "payload")
		res, body = wc.do(get("/after"))
		wantBody(t, "GET after", res, body, 200, "/after")
	})
	t.Run("body at once", func(t *testing.T) {
		t.Parallel()
		wc := dialWire(t, addr)
		wc.write(head + "payload" + get("/after"))
		res, body := wc.read("POST")
		if res.StatusCode == http.StatusContinue {
			res, body = wc.read("POST")
		}
		wantBody(t, "final response", res, body, 200, "payload")
		res, body = wc.read("GET")
		wantBody(t, "GET after", res, body, 200, "/after")
	})
}

// upgradeTarget answers an upgrade with 101, greets, and echoes what it reads; other requests
// get wireEcho.
func upgradeTarget(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Upgrade") == "" {
		wireEcho(w, r)
		return
	}
	c, brw, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	defer c.Close()
	_, _ = brw.WriteString("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: " +
		r.Header.Get("Upgrade") + "\r\n\r\nhello;")
	if brw.Flush() != nil {
		return
	}
	_, _ = io.Copy(c, brw)
}

// TestWireUpgrade: an upgrade as the second request of a keep-alive connection switches
// protocols, and bytes pass both ways afterwards, including bytes the client sent right
// behind its request.
func TestWireUpgrade(t *testing.T) {
	t.Parallel()
	tg := newWireTarget(t, upgradeTarget)
	_, addr := wireProxy(t, tg.addr, nil)
	upgrade := "GET /ws HTTP/1.1\r\nHost: wire.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
	for _, early := range []bool{false, true} {
		name := "after a GET"
		if early {
			name += ", bytes right behind the request"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			wc := dialWire(t, addr)
			res, body := wc.do(get("/first"))
			wantBody(t, "GET", res, body, 200, "/first")
			if early {
				wc.write(upgrade + "early;")
			} else {
				wc.write(upgrade)
			}
			res = wc.readHead("GET")
			if res.StatusCode != http.StatusSwitchingProtocols || !strings.EqualFold(res.Header.Get("Upgrade"), "websocket") {
				t.Fatalf("upgrade answered %d, Upgrade %q", res.StatusCode, res.Header.Get("Upgrade"))
			}
			want := "hello;"
			if early {
				want += "early;"
			} else {
				wc.write("ping;")
				want += "ping;"
			}
			got := make([]byte, len(want))
			if _, err := io.ReadFull(wc.br, got); err != nil || string(got) != want {
				t.Fatalf("read %q (%v), want %q", got, err, want)
			}
			wc.write("more;")
			got = got[:len("more;")]
			if _, err := io.ReadFull(wc.br, got); err != nil || string(got) != "more;" {
				t.Fatalf("echo %q (%v), want %q", got, err, "more;")
			}
		})
	}
}

// TestWireHead: a HEAD answer carries the Content-Length a GET would have and no body; the
// next response on the connection parses.
func TestWireHead(t *testing.T) {
	t.Parallel()
	tg := newWireTarget(t, nil)
	_, addr := wireProxy(t, tg.addr, func(cfg *lb.Config) {
		cfg.Listeners[0].Rules = append([]lb.Rule{{ID: "fixed", Priority: 1,
			Conditions: []lb.Condition{{Field: lb.FieldPathPattern, Values: []string{"/fixed"}}},
			Action:     lb.Action{Type: lb.ActionFixedResponse, FixedResponse: lb.FixedResponse{StatusCode: 200, Body: "fixed body"}}}},
			cfg.Listeners[0].Rules...)
	})
	tests := []struct{ path, wantLength string }{
		{"/head", "5"},   // wireEcho's body would be the path
		{"/fixed", "10"}, // the fixed response's body
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			wc := dialWire(t, addr)
			wc.write("HEAD " + tt.path + " HTTP/1.1\r\nHost: wire.test\r\n\r\n" + get("/after"))
			res, body := wc.read("HEAD")
			wantBody(t, "HEAD", res, body, 200, "")
			if got := res.Header.Get("Content-Length"); got != tt.wantLength {
				t.Errorf("Content-Length %q, want %q", got, tt.wantLength)
			}
			res, body = wc.read("GET")
			wantBody(t, "GET after HEAD", res, body, 200, "/after")
		})
	}
}

// TestWireNoBodyStatus: 204 and 304 answers have no body, and the connection goes on.
func TestWireNoBodyStatus(t *testing.T) {
	t.Parallel()
	tg := newWireTarget(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/204":
			w.WriteHeader(http.StatusNoContent)
		case "/304":
			w.Header().Set("ETag", `"v1"`)
			w.WriteHeader(http.StatusNotModified)
		default:
			wireEcho(w, r)
		}
	})
	_, addr := wireProxy(t, tg.addr, nil)
	for _, code := range []int{204, 304} {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			t.Parallel()
			wc := dialWire(t, addr)
			path := "/" + strconv.Itoa(code)
			// Pipelined: a stray body byte would garble the next response.
			wc.write(get(path) + get("/after"))
			res, body := wc.read("GET")
			wantBody(t, path, res, body, code, "")
			if len(res.TransferEncoding) > 0 {
				t.Errorf("Transfer-Encoding %q on a %d", res.TransferEncoding, code)
			}
			if code == 304 && res.Header.Get("ETag") != `"v1"` {
				t.Errorf("ETag %q, want %q", res.Header.Get("ETag"), `"v1"`)
			}
			res, body = wc.read("GET")
			wantBody(t, "GET after", res, body, 200, "/after")
		})
	}
}

// TestWireStreaming: a chunked response reaches the client as the target flushes it, not when
// it ends, complete and with the trailers the target declared.
func TestWireStreaming(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	tg := newWireTarget(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/stream" {
			wireEcho(w, r)
			return
		}
		w.Header().Set("Trailer", "X-Checksum")
		_, _ = io.WriteString(w, "first,")
		w.(http.Flusher).Flush()
		select { // the second chunk only once the client has the first
		case <-release:
		case <-r.Context().Done():
			return
		case <-time.After(wireTimeout):
		}
		_, _ = io.WriteString(w, "second")
		w.Header().Set("X-Checksum", "abc")
	})
	_, addr := wireProxy(t, tg.addr, nil)
	free := releaser(t, release)
	wc := dialWire(t, addr)
	wc.write(get("/stream"))
	// The head and the first chunk come while the target holds the rest back.
	_ = wc.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	res := wc.readHead("GET")
	defer res.Body.Close()
	if res.StatusCode != 200 || res.ContentLength != -1 || !slices.Equal(res.TransferEncoding, []string{"chunked"}) {
		t.Fatalf("%d, Content-Length %d, Transfer-Encoding %q: want 200 chunked", res.StatusCode, res.ContentLength, res.TransferEncoding)
	}
	if _, ok := res.Trailer["X-Checksum"]; !ok {
		t.Errorf("trailer X-Checksum not declared (Trailer %q)", res.Trailer)
	}
	first := make([]byte, len("first,"))
	if _, err := io.ReadFull(res.Body, first); err != nil || string(first) != "first," {
		t.Fatalf("first chunk %q (%v): not streamed", first, err)
	}
	free()
	_ = wc.c.SetReadDeadline(time.Now().Add(wireTimeout))
	rest, err := io.ReadAll(res.Body)
	if err != nil || string(rest) != "second" {
		t.Fatalf("rest of the body %q (%v), want %q", rest, err, "second")
	}
	if got := res.Trailer.Get("X-Checksum"); got != "abc" {
		t.Errorf("trailer X-Checksum %q, want abc", got)
	}
	res2, body := wc.do(get("/after"))
	wantBody(t, "GET after", res2, body, 200, "/after")
}

// TestWireResponseHeaders: the target's headers reach the client as sent (repeated ones
// included, Content-Length kept rather than chunked), hop-by-hop ones excepted, and a Date is
// always there.
func TestWireResponseHeaders(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("r", 100<<10)
	tg := newWireTarget(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		h := w.Header()
		h["Set-Cookie"] = []string{"a=1; Path=/", "b=2; Path=/"}
		h.Set("Connection", "X-Foo")
		h.Set("X-Foo", "bar")
		h.Set("Keep-Alive", "timeout=5")
		h.Set("X-Kept", "yes")
		h.Set("Content-Length", strconv.Itoa(len(big)))
		_, _ = io.WriteString(w, big)
	})
	// The target does send what the proxy must drop, or this test would prove nothing.
	direct := dialWire(t, tg.addr)
	if res, _ := direct.do(get("/")); res.Header.Get("X-Foo") != "bar" || res.Header.Get("Keep-Alive") == "" {
		t.Fatalf("the target itself sends %v", res.Header)
	}
	_, addr := wireProxy(t, tg.addr, nil)
	for _, req := range []string{get("/h"), post("/h", "payload")} {
		method := methodOf(req)
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			wc := dialWire(t, addr)
			res, body := wc.do(req)
			wantBody(t, method, res, body, 200, big)
			if res.Header.Get("Date") == "" {
				t.Error("no Date header")
			}
			if got, want := res.Header["Set-Cookie"], []string{"a=1; Path=/", "b=2; Path=/"}; !slices.Equal(got, want) {
				t.Errorf("Set-Cookie %q, want %q", got, want)
			}
			if res.ContentLength != int64(len(big)) || len(res.TransferEncoding) > 0 {
				t.Errorf("Content-Length %d, Transfer-Encoding %q: want the target's %d", res.ContentLength, res.TransferEncoding, len(big))
			}
			if res.Header.Get("X-Kept") != "yes" {
				t.Error("X-Kept was dropped")
			}
			for _, k := range []string{"X-Foo", "Keep-Alive"} {
				if v, ok := res.Header[k]; ok {
					t.Errorf("hop-by-hop %s: %q forwarded", k, v)
				}
			}
			for _, v := range res.Header["Connection"] {
				if strings.Contains(strings.ToLower(v), "x-foo") {
					t.Errorf("Connection: %q forwarded", v)
				}
			}
			res, body = wc.do(get("/after"))
			wantBody(t, "GET after", res, body, 200, big)
		})
	}
}

// TestWireFixedAndRedirect: fixed responses and redirects are answered as configured, with
// exact framing, and keep the connection.
func TestWireFixedAndRedirect(t *testing.T) {
	t.Parallel()
	tg := newWireTarget(t, nil)
	_, addr := wireProxy(t, tg.addr, func(cfg *lb.Config) {
		cfg.Listeners[0].Rules = append([]lb.Rule{
			{ID: "fixed", Priority: 1, Conditions: []lb.Condition{{Field: lb.FieldPathPattern, Values: []string{"/fixed"}}},
				Action: lb.Action{Type: lb.ActionFixedResponse, FixedResponse: lb.FixedResponse{StatusCode: 418, ContentType: "text/plain", Body: "teapot\n"}}},
			{ID: "old", Priority: 2, Conditions: []lb.Condition{{Field: lb.FieldPathPattern, Values: []string{"/old/*"}}},
				Action: lb.Action{Type: lb.ActionRedirect, Redirect: lb.Redirect{Protocol: "HTTPS", Port: "443", Path: "/new/#{path}", StatusCode: 301}}},
		}, cfg.Listeners[0].Rules...)
	})
	wc := dialWire(t, addr)
	res, body := wc.do(get("/fixed"))
	wantBody(t, "fixed response", res, body, 418, "teapot\n")
	if got := res.Header.Get("Content-Length"); got != "7" {
		t.Errorf("fixed response Content-Length %q, want 7", got)
	}
	if got := res.Header.Get("Content-Type"); got != "text/plain" {
		t.Errorf("fixed response Content-Type %q, want text/plain", got)
	}
	res, body = wc.do(get("/old/a/b?x=1"))
	wantBody(t, "redirect", res, body, 301, "")
	if got, want := res.Header.Get("Location"), "https://wire.test/new/old/a/b?x=1"; got != want {
		t.Errorf("Location %q, want %q", got, want)
	}
	if cl := res.Header["Content-Length"]; len(cl) > 0 && cl[0] != "0" || len(res.TransferEncoding) > 0 {
		t.Errorf("redirect framed with Content-Length %q, Transfer-Encoding %q", cl, res.TransferEncoding)
	}
	res, body = wc.do(get("/after"))
	wantBody(t, "GET after", res, body, 200, "/after")
	if n := tg.requests.Load(); n != 1 {
		t.Errorf("the target got %d requests, want only the last", n)
	}
}

// TestWireClientGone: a client that closes its connection while the target works on its
// request gets the target's request cancelled promptly.
func TestWireClientGone(t *testing.T) {
	t.Parallel()
	for _, req := range []string{get("/slow"), post("/slow", "payload")} {
		method := methodOf(req)
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			got := make(chan struct{}, 1)
			cancelled := make(chan time.Time, 1)
			tg := newWireTarget(t, func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.ReadAll(r.Body)
				select {
				case got <- struct{}{}:
				default:
				}
				select {
				case <-r.Context().Done():
					cancelled <- time.Now()
				case <-time.After(wireTimeout):
				}
			})
			_, addr := wireProxy(t, tg.addr, nil)
			wc := dialWire(t, addr)
			wc.write(req)
			select {
			case <-got:
			case <-time.After(wireTimeout):
				t.Fatal("the request did not reach the target")
			}
			closed := time.Now()
			wc.c.Close()
			select {
			case at := <-cancelled:
				if d := at.Sub(closed); d > 2*time.Second {
					t.Errorf("the target's request was cancelled %s after the client left, want within 2 s", d)
				}
			case <-time.After(wireTimeout):
				t.Fatal("the target's request was not cancelled")
			}
		})
	}
}

// TestWireTargetBreaksOff: a target that closes mid-body leaves the client with a body it can
// tell is incomplete, never with a complete-looking response.
func TestWireTargetBreaksOff(t *testing.T) {
	t.Parallel()
	tg := newWireTarget(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body) // all of it, so that closing does not reset the connection
		c, bw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer c.Close()
		if r.URL.Path == "/chunked" {
			_, _ = bw.WriteString("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\n0123456789\r\n")
		} else {
			_, _ = bw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
		}
		_ = bw.Flush()
	})
	_, addr := wireProxy(t, tg.addr, nil)
	for _, path := range []string{"/length", "/chunked"} {
		for _, req := range []string{get(path), post(path, "payload")} {
			method := methodOf(req)
			t.Run(method+" "+path, func(t *testing.T) {
				t.Parallel()
				wc := dialWire(t, addr)
				wc.write(req)
				res, err := http.ReadResponse(wc.br, &http.Request{Method: method})
				if isTimeout(err) {
					t.Fatal("no response, and the connection still open")
				}
				if err != nil {
					return // broken off before the head: incomplete as well
				}
				body, err := io.ReadAll(res.Body)
				if err == nil {
					t.Fatalf("complete-looking response: %d %q", res.StatusCode, body)
				}
				if !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, syscall.ECONNRESET) {
					t.Errorf("body read failed with %v, want unexpected EOF", err)
				}
			})
		}
	}
}

// TestWireIdleTimeout: the listener's IdleTimeout closes a keep-alive connection left idle,
// whatever its last request was.
func TestWireIdleTimeout(t *testing.T) {
	t.Parallel()
	tg := newWireTarget(t, nil)
	_, addr := wireProxy(t, tg.addr, func(cfg *lb.Config) { cfg.Listeners[0].IdleTimeout = time.Second })
	for _, req := range []string{get("/idle"), post("/idle", "payload")} {
		method := methodOf(req)
		t.Run("after "+method, func(t *testing.T) {
			t.Parallel()
			wc := dialWire(t, addr)
			res, _ := wc.do(req)
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			idle := time.Now()
			wc.wantClosed(wireTimeout)
			if d := time.Since(idle); d < 500*time.Millisecond || d > 5*time.Second {
				t.Errorf("closed after %s idle, want about 1 s", d)
			}
		})
	}
}

// TestWireGracefulStop: when a listener stops (removed from the config, or the proxy stops),
// its idle connections are closed at once and a request in flight completes, with
// Connection: close; whether the connections served bodiless requests or bodies.
func TestWireGracefulStop(t *testing.T) {
	t.Parallel()
	for _, how := range []string{"listener removed", "proxy stopped"} {
		for _, idleReq := range []string{get("/idle"), post("/idle", "payload")} {
			for _, busyReq := range []string{get("/hold"), post("/hold", "payload")} {
				name := how + ", idle after " + methodOf(idleReq) + ", " + methodOf(busyReq) + " in flight"
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					testGracefulStop(t, how == "proxy stopped", idleReq, busyReq)
				})
			}
		}
	}
}

func testGracefulStop(t *testing.T, stopProxy bool, idleReq, busyReq string) {
	got := make(chan struct{}, 1)
	release := make(chan struct{})
	tg := newWireTarget(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/hold" {
			wireEcho(w, r)
			return
		}
		_, _ = io.ReadAll(r.Body)
		select {
		case got <- struct{}{}:
		default:
		}
		select { // until the test saw the idle connection closed
		case <-release:
		case <-time.After(wireTimeout):
		}
		_, _ = io.WriteString(w, "done")
	})
	p, err := lb.New(lb.ProxyConfig{ShutdownTimeout: 5 * time.Second}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error, 1)
	go func() { stopped <- p.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-stopped
	})
	free := releaser(t, release)
	if err := p.Apply(wireConfig(tg.addr)); err != nil {
		t.Fatal(err)
	}
	addr := p.ListenerAddr("l")
	idle := dialWire(t, addr)
	res, _ := idle.do(idleReq)
	if res.StatusCode != 200 {
		t.Fatalf("request before the stop: %d", res.StatusCode)
	}
	busy := dialWire(t, addr)
	busy.write(busyReq)
	select {
	case <-got:
	case <-time.After(wireTimeout):
		t.Fatal("the request did not reach the target")
	}
	if stopProxy {
		cancel()
	} else {
		cfg := wireConfig(tg.addr)
		cfg.Listeners = nil
		if err := p.Apply(cfg); err != nil {
			t.Fatal(err)
		}
	}
	idle.wantClosed(wireTimeout)
	free()
	res, body := busy.read(methodOf(busyReq))
	wantBody(t, "request in flight", res, body, 200, "done")
	if !res.Close {
		t.Error("the last response on a stopping listener does not say Connection: close")
	}
	busy.wantClosed(wireTimeout)
	if stopProxy {
		select {
		case err := <-stopped:
			stopped <- err // for the cleanup
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(wireTimeout):
			t.Fatal("Run did not return after the last request")
		}
	}
}

// TestWireSplitRequest: a request that arrives in pieces (one byte per write) is read whole,
// and the connection goes on.
func TestWireSplitRequest(t *testing.T) {
	t.Parallel()
	tg := newWireTarget(t, nil)
	_, addr := wireProxy(t, tg.addr, nil)
	for _, tt := range []struct{ req, want string }{
		{get("/split"), "/split"},
		{post("/split", "payload"), "payload"},
	} {
		t.Run(methodOf(tt.req), func(t *testing.T) {
			t.Parallel()
			wc := dialWire(t, addr)
			for i := range len(tt.req) {
				wc.write(tt.req[i : i+1])
			}
			res, body := wc.read(methodOf(tt.req))
			wantBody(t, "split request", res, body, 200, tt.want)
			res, body = wc.do(get("/after"))
			wantBody(t, "GET after", res, body, 200, "/after")
		})
	}
}

// TestWireStatusCodes: a target's status reaches the client as it is, unusual ones included,
// with the body and the connection intact.
func TestWireStatusCodes(t *testing.T) {
	t.Parallel()
	tg := newWireTarget(t, func(w http.ResponseWriter, r *http.Request) {
		code, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/status/"))
		if err != nil {
			wireEcho(w, r)
			return
		}
		w.WriteHeader(code)
		_, _ = io.WriteString(w, "status "+strconv.Itoa(code))
	})
	_, addr := wireProxy(t, tg.addr, nil)
	wc := dialWire(t, addr)
	for _, code := range []int{200, 201, 202, 299, 400, 404, 418, 451, 500, 502, 503, 599} {
		res, body := wc.do(get("/status/" + strconv.Itoa(code)))
		wantBody(t, "status "+strconv.Itoa(code), res, body, code, "status "+strconv.Itoa(code))
		if res.Close {
			t.Fatalf("status %d: the server asked to close the connection", code)
		}
	}
}

// TestWireTargetAsksClose: a target's Connection: close is about its own connection; the
// client's stays open.
func TestWireTargetAsksClose(t *testing.T) {
	t.Parallel()
	tg := newWireTarget(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		wireEcho(w, r)
	})
	_, addr := wireProxy(t, tg.addr, nil)
	wc := dialWire(t, addr)
	for _, req := range []string{get("/1"), post("/2", "payload"), get("/3"), get("/4")} {
		res, body := wc.do(req)
		if res.StatusCode != 200 || res.Close {
			t.Fatalf("%s: %d %q, close %v: want 200 on a connection kept open", methodOf(req), res.StatusCode, body, res.Close)
		}
	}
	wc.wantOpen()
}

// TestWireErrorPages: the proxy's own answers (ALB's error pages for a group without targets,
// a dead target, a target too slow, CONNECT) are framed exactly, like a target's, and keep
// the connection.
func TestWireErrorPages(t *testing.T) {
	t.Parallel()
	slow := newWireTarget(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		select { // past the response timeout, until the proxy gives up
		case <-r.Context().Done():
		case <-time.After(wireTimeout):
		}
	})
	dead := lbtest.HangUpTarget(t)
	p := lbtest.Start(t, lb.ProxyConfig{ResponseTimeout: 300 * time.Millisecond, ShutdownTimeout: 5 * time.Second})
	group := func(id, addr string) lb.TargetGroup {
		g := lb.TargetGroup{ID: id, HealthCheck: lb.HealthCheck{Disabled: true}}
		if addr != "" {
			g.Targets = []lb.Target{{ID: "t", Addr: addr}}
		}
		return g
	}
	path := func(priority int, prefix, group string) lb.Rule {
		r := lbtest.Forward(group)
		r.ID, r.Priority = group, priority
		r.Conditions = []lb.Condition{{Field: lb.FieldPathPattern, Values: []string{prefix + "*"}}}
		return r
	}
	cfg := lb.Config{
		Listeners:    []lb.Listener{lbtest.Listener("l", path(1, "/dead", "dead"), path(2, "/slow", "slow"), lbtest.Forward("empty"))},
		TargetGroups: []lb.TargetGroup{group("empty", ""), group("dead", dead), group("slow", slow.addr)},
	}
	if err := p.Apply(cfg); err != nil {
		t.Fatal(err)
	}
	addr := p.ListenerAddr("l")
	tests := []struct {
		path   string
		status int
		reqs   []string
	}{
		{"/empty", 503, []string{get("/empty"), post("/empty", "payload"), get("/empty")}},
		// The POST in the middle: net/http drops the connection after a body that nobody
		// read in full-duplex mode (golang/go#68560) unless the handler closes it.
		{"/dead", 502, []string{get("/dead"), post("/dead", "payload"), get("/dead")}},
		{"/slow", 504, []string{get("/slow"), post("/slow", "payload"), get("/slow")}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			wc := dialWire(t, addr)
			for _, req := range tt.reqs {
				res, body := wc.do(req)
				wantErrorPage(t, res, body, tt.status)
				if res.Close {
					t.Fatalf("%s: the server asked to close the connection", methodOf(req))
				}
			}
		})
	}
	t.Run("CONNECT", func(t *testing.T) {
		t.Parallel()
		wc := dialWire(t, addr)
		res, body := wc.do("CONNECT wire.test:443 HTTP/1.1\r\nHost: wire.test:443\r\n\r\n")
		wantErrorPage(t, res, body, 400)
		if res.Close {
			t.Fatal("the server asked to close the connection")
		}
		res, body = wc.do(get("/after")) // to the group without targets
		wantErrorPage(t, res, body, 503)
	})
}

// wantErrorPage checks one of ALB's error pages and its framing.
func wantErrorPage(t *testing.T, res *http.Response, body string, status int) {
	t.Helper()
	if res.StatusCode != status || !strings.Contains(body, "<h1>"+strconv.Itoa(status)+" ") {
		t.Fatalf("%d %q, want ALB's %d page", res.StatusCode, body, status)
	}
	if got, want := res.Header.Get("Content-Length"), strconv.Itoa(len(body)); got != want {
		t.Errorf("Content-Length %q, want %s", got, want)
	}
	if res.Header.Get("Server") != "awselb/2.0" || res.Header.Get("Content-Type") != "text/html" {
		t.Errorf("Server %q, Content-Type %q", res.Header.Get("Server"), res.Header.Get("Content-Type"))
	}
}

// TestWireForwardedHeaders: whatever path a request takes through the proxy (bodiless or
// with a body), the target gets the same headers: X-Forwarded-For with the client appended,
// X-Forwarded-Proto and -Port of the listener, the client's Host, no hop-by-hop headers.
func TestWireForwardedHeaders(t *testing.T) {
	t.Parallel()
	tg := newWireTarget(t, nil)
	_, addr := wireProxy(t, tg.addr, nil)
	_, port, _ := net.SplitHostPort(addr)
	const headers = "Host: app.example\r\nUser-Agent: wire-test\r\nX-Forwarded-For: 203.0.113.7\r\n" +
		"X-Forwarded-Proto: spoofed\r\nX-Forwarded-Port: 1\r\nConnection: X-Secret\r\nX-Secret: hop\r\n" +
		"Keep-Alive: 300\r\nProxy-Authorization: hop\r\nX-Multi: a\r\nX-Multi: b\r\n"
	want := map[string][]string{
		"X-Got-Host":              {"app.example"},
		"X-Got-User-Agent":        {"wire-test"},
		"X-Got-X-Forwarded-For":   {"203.0.113.7, 127.0.0.1"},
		"X-Got-X-Forwarded-Proto": {"http"},
		"X-Got-X-Forwarded-Port":  {port},
		"X-Got-X-Multi":           {"a", "b"},
		"X-Got-Request-Uri":       {"/fwd?q=1"},
	}
	tests := []struct {
		method, body string
		noAgent      bool // the client sends no User-Agent: none may be made up for it
	}{
		{"GET", "", false}, {"DELETE", "", false}, {"OPTIONS", "", false}, {"POST", "payload", false},
		{"PUT", "payload", false}, {"GET", "payload", false}, {"GET", "", true}, {"POST", "payload", true},
	}
	for _, tt := range tests {
		name := tt.method
		if tt.body != "" {
			name += " with a body"
		}
		if tt.noAgent {
			name += " without User-Agent"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			hdrs, want := headers, maps.Clone(want)
			if tt.noAgent {
				hdrs = strings.Replace(hdrs, "User-Agent: wire-test\r\n", "", 1)
				delete(want, "X-Got-User-Agent")
			}
			req := tt.method + " /fwd?q=1 HTTP/1.1\r\n" + hdrs
			if tt.body != "" {
				req += "Content-Length: " + strconv.Itoa(len(tt.body)) + "\r\n"
			}
			wc := dialWire(t, addr)
			res, _ := wc.do(req + "\r\n" + tt.body)
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			got := map[string][]string{}
			for k, vv := range res.Header {
				if strings.HasPrefix(k, "X-Got-") && k != "X-Got-Content-Length" {
					got[k] = vv
				}
			}
			for k, vv := range want {
				if !slices.Equal(got[k], vv) {
					t.Errorf("%s: %q, want %q", k, got[k], vv)
				}
			}
			for k, vv := range got {
				if _, ok := want[k]; !ok {
					t.Errorf("unexpected header at the target: %s: %q", strings.TrimPrefix(k, "X-Got-"), vv)
				}
			}
		})
	}
}
