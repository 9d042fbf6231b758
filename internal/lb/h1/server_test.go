package h1

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// echoHandler answers with what it got, so that two servers can be compared on the wire.
// Every response but /stream's declares its length, as the proxy's responses do.
func echoHandler(w http.ResponseWriter, r *http.Request) {
	WatchClient(r.Context()) // as a slow request would: the watch must not change what is served
	body, _ := io.ReadAll(r.Body)
	h := w.Header()
	h.Set("Content-Type", "text/plain")
	switch r.URL.Path {
	case "/stream": // a body of unknown length with trailers
		h.Set("Trailer", "X-Sum")
		w.WriteHeader(http.StatusOK)
		for i := range 3 {
			fmt.Fprintf(w, "part %d\n", i)
			w.(http.Flusher).Flush()
		}
		h.Set("X-Sum", "3")
		return
	case "/empty":
		w.WriteHeader(http.StatusNoContent)
		return
	case "/nothing": // no write, no length
		return
	}
	keys := make([]string, 0, len(r.Header))
	for k := range r.Header {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s host=%q close=%v len=%d te=%v body=%q\n", r.Method, r.RequestURI, r.Proto,
		r.Host, r.Close, r.ContentLength, r.TransferEncoding, body)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %q\n", k, r.Header[k])
	}
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	h.Add("Set-Cookie", "a=1")
	h.Add("Set-Cookie", "b=2")
	_, _ = io.WriteString(w, b.String())
}

// startLean serves h with a Server and its http.Server, as a plain-HTTP listener of the proxy
// does, with short timeouts.
func startLean(t testing.TB, h http.Handler) (string, *Server) {
	t.Helper()
	return startLeanIdle(t, h, 200*time.Millisecond)
}

func startLeanIdle(t testing.TB, h http.Handler, idle time.Duration) (string, *Server) {
	t.Helper()
	return startLeanGrace(t, h, idle, 0)
}

// startLeanGrace is startLeanIdle with a DrainGrace.
func startLeanGrace(t testing.TB, h http.Handler, idle, grace time.Duration) (string, *Server) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, IdleTimeout: idle, ReadHeaderTimeout: 200 * time.Millisecond,
		ErrorLog: slog.NewLogLogger(slog.DiscardHandler, slog.LevelDebug)}
	s := NewServer(srv, nil)
	s.DrainGrace = grace
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			srv.Close()
		}
		if err := <-served; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve = %v, want http.ErrServerClosed", err)
		}
	})
	return ln.Addr().String(), s
}

// startNetHTTP serves h with net/http alone, with the same timeouts.
func startNetHTTP(t testing.TB, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, IdleTimeout: 200 * time.Millisecond, ReadHeaderTimeout: 200 * time.Millisecond,
		ErrorLog: slog.NewLogLogger(slog.DiscardHandler, slog.LevelDebug)}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// exchangeRaw writes input on a new connection and returns every response read from it, in
// a form to compare: status, headers but Date, body and trailers; then how the stream ended.
func exchangeRaw(t testing.TB, addr string, input []byte) []string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Write(input); err != nil {
		return []string{"write failed"} // the message holds the connection's ports
	}
	// Nothing more comes: neither server waits for the rest of an incomplete request.
	_ = c.(*net.TCPConn).CloseWrite()
	methods := requestMethods(input)
	br := bufio.NewReader(c)
	var out []string
	for {
		var req *http.Request // so that a response to HEAD is read without a body
		if len(methods) > 0 {
			req = &http.Request{Method: methods[0]}
		}
		res, err := http.ReadResponse(br, req)
		if err != nil {
			return append(out, endOfStream(err))
		}
		if res.StatusCode >= 200 && len(methods) > 0 {
			methods = methods[1:]
		}
		res.Header.Del("Date")
		body, err := io.ReadAll(res.Body)
		out = append(out, fmt.Sprintf("%d %v te=%v len=%d body=%q trailer=%v err=%s", res.StatusCode,
			res.Header, res.TransferEncoding, res.ContentLength, body, res.Trailer, bodyError(err)))
		if err != nil {
			return out
		}
	}
}

// requestMethods returns the methods of the requests in input, as far as they parse.
func requestMethods(input []byte) []string {
	br := bufio.NewReader(bytes.NewReader(input))
	var methods []string
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return methods
		}
		methods = append(methods, req.Method)
		if _, err := io.Copy(io.Discard, req.Body); err != nil {
			return methods
		}
	}
}

// bodyError names how reading a body ended, without the connection's addresses, which differ
// between the two servers.
func bodyError(err error) string {
	switch {
	case err == nil:
		return "<nil>"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "unexpected EOF"
	}
	return "closed"
}

func endOfStream(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "closed"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	}
	return "closed" // reset and the like: the server closed the connection
}

// leanCases are request streams whose responses must not differ between the lean server and
// net/http.
var leanCases = map[string]string{
	"get":               "GET /a?b=c HTTP/1.1\r\nHost: example.com\r\nX-A: 1\r\nX-A: 2\r\n\r\n",
	"keep-alive":        "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\nHEAD /3 HTTP/1.1\r\nHost: h\r\n\r\n",
	"close":             "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\nGET /never HTTP/1.1\r\nHost: h\r\n\r\n",
	"bare LF":           "GET /lf HTTP/1.1\nHost: h\n\n",
	"http/1.0":          "GET / HTTP/1.0\r\n\r\n",
	"http/1.0 keep":     "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /2 HTTP/1.0\r\n\r\n",
	"no host":           "GET / HTTP/1.1\r\n\r\n",
	"empty host":        "GET / HTTP/1.1\r\nHost:\r\n\r\n",
	"two hosts":         "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
	"bad host":          "GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
	"absolute":          "GET http://other/x HTTP/1.1\r\nHost: h\r\n\r\n",
	"bad header":        "GET / HTTP/1.1\r\nHost: h\r\nBad Name: x\r\n\r\n",
	"bad value":         "GET / HTTP/1.1\r\nHost: h\r\nX: a\x01b\r\n\r\n",
	"garbage":           "\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03",
	"post then get":     "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nPOST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhelloGET /3 HTTP/1.1\r\nHost: h\r\n\r\n",
	"chunked post":      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
	"expect":            "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nPUT /2 HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok",
	"zero length":       "DELETE /x HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n",
	"stream":            "GET /stream HTTP/1.1\r\nHost: h\r\n\r\nGET /after HTTP/1.1\r\nHost: h\r\n\r\n",
	"no content":        "GET /empty HTTP/1.1\r\nHost: h\r\n\r\nGET /nothing HTTP/1.1\r\nHost: h\r\n\r\n",
	"head stream":       "HEAD /stream HTTP/1.1\r\nHost: h\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",
	"incomplete":        "GET / HTTP/1.1\r\nHost: h\r\n",
	"upgrade":           "GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
	"connect":           "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n",
	"pri":               "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
	"options star":      "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
	"bad method":        "G(T / HTTP/1.1\r\nHost: h\r\n\r\n",
	"bad version":       "GET / HTTP/9.9\r\nHost: h\r\n\r\n",
	"leading CRLF":      "\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",
	"duplicate length":  "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n",
	"conflicting len":   "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nContent-Length: 1\r\n\r\nx",
	"large header":      "GET / HTTP/1.1\r\nHost: h\r\nCookie: " + strings.Repeat("c", 6000) + "\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n",
	"pragma":            "GET / HTTP/1.1\r\nHost: h\r\nPragma: no-cache\r\n\r\n",
	"connection tokens": "GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, X-Y\r\nX-Y: 1\r\n\r\n",
}

// TestLeanMatchesNetHTTP sends each case to a lean server and to net/http serving the same
// handler: what a client reads must be the same, whichever of the two serves it.
func TestLeanMatchesNetHTTP(t *testing.T) {
	lean, _ := startLean(t, http.HandlerFunc(echoHandler))
	std := startNetHTTP(t, http.HandlerFunc(echoHandler))
	for name, input := range leanCases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, want := exchangeRaw(t, lean, []byte(input)), exchangeRaw(t, std, []byte(input))
			if !slices.Equal(got, want) {
				t.Errorf("lean server:\n  %s\nnet/http:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
		})
	}
}

// FuzzLeanMatchesNetHTTP is TestLeanMatchesNetHTTP for any input.
func FuzzLeanMatchesNetHTTP(f *testing.F) {
	for _, input := range leanCases {
		f.Add([]byte(input))
	}
	lean, _ := startLean(f, http.HandlerFunc(echoHandler))
	std := startNetHTTP(f, http.HandlerFunc(echoHandler))
	f.Fuzz(func(t *testing.T, input []byte) {
		got, want := exchangeRaw(t, lean, input), exchangeRaw(t, std, input)
		if !slices.Equal(got, want) {
			t.Errorf("input %q\nlean server:\n  %s\nnet/http:\n  %s", input, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
	})
}

// TestLeanServesPlainRequestsItself checks that the lean loop keeps what it can serve and
// hands over the rest, once per connection.
func TestLeanServesPlainRequestsItself(t *testing.T) {
	addr, s := startLean(t, http.HandlerFunc(echoHandler))
	get := "GET / HTTP/1.1\r\nHost: h\r\n\r\n"
	if out := exchangeRaw(t, addr, []byte(strings.Repeat(get, 5))); len(out) != 6 {
		t.Fatalf("got %d responses, want 5 and the end: %v", len(out), out)
	}
	if n := s.handedOff.Load(); n != 0 {
		t.Fatalf("%d connections handed over for plain GETs, want 0", n)
	}
	post := "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nx"
	if out := exchangeRaw(t, addr, []byte(get+post+get+post)); len(out) != 5 {
		t.Fatalf("got %d responses, want 4 and the end: %v", len(out), out)
	}
	if n := s.handedOff.Load(); n != 1 {
		t.Fatalf("%d connections handed over, want 1", n)
	}
}

func TestHeaderEnd(t *testing.T) {
	for in, want := range map[string]int{
		"":                        0,
		"GET / HTTP/1.1\r\n":      0,
		"GET / HTTP/1.1\r\n\r\n":  18,
		"GET / HTTP/1.1\n\n":      16,
		"GET / HTTP/1.1\n\r\nX":   17,
		"A\r\nB: c\r\n\r\nD\n\nE": 11,
		"A\nB: c\n\nD\r\n\r\n":    8,
	} {
		if got := headerEnd([]byte(in)); got != want {
			t.Errorf("headerEnd(%q) = %d, want %d", in, got, want)
		}
	}
}

// TestLeanWatchesSlowRequests checks that a client that goes away while its request waits
// ends the request's context, and that a byte the watch read is not lost.
func TestLeanWatchesSlowRequests(t *testing.T) {
	gone := make(chan struct{}, 1)
	addr, _ := startLean(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		WatchClient(r.Context())
		if r.URL.Path == "/hang" {
			select {
			case <-r.Context().Done():
				gone <- struct{}{}
			case <-time.After(10 * time.Second):
			}
			return
		}
		time.Sleep(50 * time.Millisecond) // the pipelined request arrives meanwhile
		w.Header().Set("Content-Length", "2")
		_, _ = io.WriteString(w, "ok")
	}))

	// Pipelined: the watch reads the first byte of the second request, which must still be
	// served.
	out := exchangeRaw(t, addr, []byte("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"))
	if len(out) != 3 || !strings.Contains(out[1], `body="ok"`) {
		t.Fatalf("pipelined requests: %v", out)
	}

	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(c, "GET /hang HTTP/1.1\r\nHost: h\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	c.Close()
	select {
	case <-gone:
	case <-time.After(5 * time.Second):
		t.Fatal("the request's context did not end when its client went away")
	}
}

// TestShutdownBeforeServe checks a stop that comes before Serve started (a listener removed
// right after it was bound): Serve then returns at once and closes its listener.
func TestShutdownBeforeServe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	s := NewServer(&http.Server{Handler: http.HandlerFunc(echoHandler)}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	select {
	case err := <-served:
		if !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve = %v, want http.ErrServerClosed", err)
		}
	case <-ctx.Done():
		t.Fatal("Serve did not return after Shutdown")
	}
	if _, err := ln.Accept(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Accept on the listener after Serve: %v, want it closed", err)
	}
}

// TestLeanShutdown checks the graceful stop: idle connections close at once, a request in
// flight completes with Connection: close.
func TestLeanShutdown(t *testing.T) {
	started := make(chan struct{})
	var release atomic.Bool
	// Only shutdown closes the idle connection.
	addr, s := startLeanIdle(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			close(started)
			for !release.Load() {
				time.Sleep(5 * time.Millisecond)
			}
		}
		w.Header().Set("Content-Length", "2")
		_, _ = io.WriteString(w, "ok")
	}), time.Minute)
	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	busy, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	if _, err := io.WriteString(busy, "GET /slow HTTP/1.1\r\nHost: h\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	<-started
	done := make(chan struct{})
	go func() {
		defer close(done)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	}()
	_ = idle.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := idle.Read(make([]byte, 1)); n != 0 || err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("idle connection: read %d, %v; want it closed", n, err)
	}
	release.Store(true)
	_ = busy.SetReadDeadline(time.Now().Add(5 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(busy), nil)
	if err != nil {
		t.Fatalf("request in flight: %v", err)
	}
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || string(body) != "ok" || !res.Close {
		t.Fatalf("request in flight got %d %q close=%v, want 200 ok with Connection: close", res.StatusCode, body, res.Close)
	}
	<-done
}

// TestLeanShutdownDrainGrace: within DrainGrace a keep-alive connection that was idle when
// Shutdown began still gets its next request answered, with Connection: close, instead of
// being closed under it.
func TestLeanShutdownDrainGrace(t *testing.T) {
	addr, s := startLeanGrace(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", "2")
		_, _ = io.WriteString(w, "ok")
	}), time.Minute, time.Minute)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(c)
	get := func() *http.Response {
		t.Helper()
		if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: h\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		res, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("request on the idle connection: %v", err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		return res
	}
	if res := get(); res.Close {
		t.Fatal("first answer closes the connection")
	}
	done := make(chan error, 1)
	go func() { done <- s.Shutdown(context.Background()) }()
	for !s.closing.Load() {
		time.Sleep(time.Millisecond)
	}
	if res := get(); res.StatusCode != http.StatusOK || !res.Close {
		t.Fatalf("request after shutdown began: %d close=%v, want 200 with Connection: close", res.StatusCode, res.Close)
	}
	if err := <-done; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
}

// TestH1WriterFraming checks the framing choices of the lean writer.
func TestH1WriterFraming(t *testing.T) {
	addr, _ := startLeanIdle(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/short": // a body shorter than its length: the connection must end
			w.Header().Set("Content-Length", "10")
			_, _ = io.WriteString(w, "abc")
		case "/long":
			w.Header().Set("Content-Length", "2")
			if _, err := io.WriteString(w, "abc"); !errors.Is(err, http.ErrContentLength) {
				panic(fmt.Sprintf("writing past the length: %v", err))
			}
			_, _ = io.WriteString(w, "ab")
		case "/inject":
			w.Header().Set("X-Bad", "a\r\nInjected: yes")
			w.Header()["Bad Name"] = []string{"x"}
		case "/abort":
			_, _ = io.WriteString(w, "partial")
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}
	}), time.Minute)
	cases := []struct {
		path string
		want []string
	}{
		{"/short", []string{`200 map[Content-Length:[10]] te=[] len=10 body="abc" trailer=map[] err=unexpected EOF`}},
		{"/long", []string{`200 map[Content-Length:[2]] te=[] len=2 body="ab" trailer=map[] err=<nil>`, "timeout"}},
		{"/inject", []string{`200 map[Content-Length:[0] X-Bad:[a  Injected: yes]] te=[] len=0 body="" trailer=map[] err=<nil>`, "timeout"}},
		{"/abort", []string{`200 map[] te=[chunked] len=-1 body="partial" trailer=map[] err=unexpected EOF`}},
	}
	for _, tc := range cases {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: h\r\n\r\n", tc.path)
		br := bufio.NewReader(c)
		var got []string
		for {
			_ = c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
			res, err := http.ReadResponse(br, nil)
			if err != nil {
				got = append(got, endOfStream(err))
				break
			}
			res.Header.Del("Date")
			body, err := io.ReadAll(res.Body)
			got = append(got, fmt.Sprintf("%d %v te=%v len=%d body=%q trailer=%v err=%v", res.StatusCode,
				res.Header, res.TransferEncoding, res.ContentLength, body, res.Trailer, err))
			if err != nil {
				break
			}
		}
		c.Close()
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n got  %q\n want %q", tc.path, got, tc.want)
		}
	}
}
