package lb_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestBodilessUpstream covers the proxy's own HTTP/1.1 client (bodiless requests to
// plain-HTTP targets) against the ways a target ends responses and connections. Each case
// sends its requests through a group of one target, so nothing can be retried elsewhere.
func TestBodilessUpstream(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		method  string
		path    string
		server  func(*httptest.Server) // adjusts the target before it starts
		pause   time.Duration          // between the requests
		n       int
		want    string // body of each response
		wantHdr string // X-Got-Forwarded-For prefix, when checked
	}{
		{name: "keep-alive", method: "GET", path: "/", n: 3, want: "hello"},
		{name: "chunked", method: "GET", path: "/chunked", n: 3, want: "hello, world"},
		{name: "HEAD", method: "HEAD", path: "/", n: 3, want: ""},
		{name: "target closes each connection", method: "GET", path: "/", n: 3, want: "hello",
			server: func(s *httptest.Server) { s.Config.SetKeepAlivesEnabled(false) }},
		{name: "target closed the idle connection", method: "GET", path: "/", n: 3, want: "hello",
			pause: 150 * time.Millisecond, server: func(s *httptest.Server) { s.Config.IdleTimeout = 50 * time.Millisecond }},
		{name: "answer slower than the client poll", method: "GET", path: "/slow", n: 2, want: "hello"},
		{name: "body larger than the buffer", method: "GET", path: "/large", n: 3, want: strings.Repeat("x", 100<<10)},
		{name: "response head in two parts", method: "GET", path: "/split", n: 1, want: "hello",
			server: func(*httptest.Server) {}}, // the hijacked connection is not kept alive
		{name: "headers reach the target", method: "DELETE", path: "/headers?x=1", n: 1, want: "/headers?x=1", wantHdr: "127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var conns atomic.Int64
			s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/chunked":
					_, _ = io.WriteString(w, "hello, ")
					w.(http.Flusher).Flush()
					_, _ = io.WriteString(w, "world")
				case "/slow":
					time.Sleep(250 * time.Millisecond)
					_, _ = io.WriteString(w, "hello")
				case "/large":
					_, _ = io.WriteString(w, strings.Repeat("x", 100<<10))
				case "/split":
					c, bw, _ := w.(http.Hijacker).Hijack()
					defer c.Close()
					_, _ = bw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n")
					_ = bw.Flush()
					time.Sleep(250 * time.Millisecond)
					_, _ = bw.WriteString("X-Late: 1\r\n\r\nhello")
					_ = bw.Flush()
				case "/headers":
					w.Header().Set("X-Got-Forwarded-For", r.Header.Get("X-Forwarded-For"))
					w.Header().Set("X-Got-Host", r.Host)
					_, _ = io.WriteString(w, r.RequestURI)
				default:
					_, _ = io.WriteString(w, "hello")
				}
			}))
			s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
				if st == http.StateNew {
					conns.Add(1)
				}
			}
			if tt.server != nil {
				tt.server(s)
			}
			s.Start()
			t.Cleanup(s.Close)
			addr := strings.TrimPrefix(s.URL, "http://")
			_, url := statsProxy(t, 0, addr)
			for i := range tt.n {
				if i > 0 {
					time.Sleep(tt.pause)
				}
				res, body := do(t, nil, tt.method, url+tt.path, func(r *http.Request) { r.Host = "app.example" })
				if res.StatusCode != 200 || body != tt.want {
					t.Fatalf("request %d: %d %q, want 200 %q", i, res.StatusCode, body, tt.want)
				}
				if tt.wantHdr != "" {
					if got := res.Header.Get("X-Got-Forwarded-For"); !strings.HasPrefix(got, tt.wantHdr) {
						t.Errorf("X-Forwarded-For %q, want %s", got, tt.wantHdr)
					}
					if got := res.Header.Get("X-Got-Host"); got != "app.example" {
						t.Errorf("Host %q, want app.example", got)
					}
				}
			}
			if tt.server == nil && conns.Load() != 1 {
				t.Errorf("%d upstream connections for %d requests, want 1 kept alive", conns.Load(), tt.n)
			}
		})
	}
}

// TestBodilessUpstreamClientGone: a client that goes away while the target is still working
// on its request gets the upstream connection closed, as with http.Transport.
func TestBodilessUpstreamClientGone(t *testing.T) {
	t.Parallel()
	gone := make(chan struct{})
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
			close(gone)
		case <-time.After(10 * time.Second):
		}
	}))
	t.Cleanup(s.Close)
	_, url := statsProxy(t, 0, strings.TrimPrefix(s.URL, "http://"))
	c := &http.Client{Timeout: 200 * time.Millisecond}
	if _, err := c.Get(url + "/"); err == nil {
		t.Fatal("request did not time out")
	}
	select {
	case <-gone:
	case <-time.After(5 * time.Second):
		t.Fatal("the target's request was not cancelled")
	}
}
