package loadtest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// run runs cfg with a liveness bound generous enough for a slow machine.
func run(t *testing.T, ctx context.Context, cfg Config) Result {
	t.Helper()
	type outcome struct {
		res Result
		err error
	}
	ch := make(chan outcome, 1)
	go func() {
		res, err := Run(ctx, cfg)
		ch <- outcome{res, err}
	}()
	select {
	case o := <-ch:
		if o.err != nil {
			t.Fatalf("Run: %v", o.err)
		}
		return o.res
	case <-time.After(60 * time.Second):
		t.Fatal("Run did not return within 60 s")
		return Result{}
	}
}

// closedAddr returns an address on which nothing listens.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestRunCounts(t *testing.T) {
	t.Parallel()
	type server struct {
		url  string
		hits *atomic.Int64 // requests the server saw
	}
	statusCycle := func(t *testing.T) server {
		var n atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			i := n.Add(1) - 1
			w.Header().Set("X-App-Version", []string{"v1", "v2"}[i%2])
			w.WriteHeader([]int{200, 301, 404, 503}[i%4])
		}))
		t.Cleanup(srv.Close)
		return server{srv.URL, &n}
	}
	hanging := func(t *testing.T) server {
		var n atomic.Int64
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}))
		t.Cleanup(srv.Close)
		t.Cleanup(func() { close(release) }) // runs before srv.Close
		return server{srv.URL, &n}
	}
	tests := []struct {
		name   string
		server func(*testing.T) server
		cfg    Config
		check  func(*testing.T, Result, server)
	}{{
		name:   "every status class and revision",
		server: statusCycle,
		cfg:    Config{KeepAliveClients: 3, NewConnectionClients: 1, MaxRequests: 40},
		check: func(t *testing.T, r Result, _ server) {
			want := Counts{Status2xx: 10, Status3xx: 10, Status4xx: 10, Status5xx: 10}
			if r.Counts != want {
				t.Errorf("counts %v, want %v", r.Counts, want)
			}
			if r.Revisions["v1"] != 20 || r.Revisions["v2"] != 20 || len(r.Revisions) != 2 {
				t.Errorf("revisions %v, want v1 20 and v2 20", r.Revisions)
			}
			if r.Failed() != 30 || r.Latency.Count != 40 {
				t.Errorf("failed %d (want 30), latencies %d (want 40)", r.Failed(), r.Latency.Count)
			}
			if r.KeepAlive.Total()+r.NewConnection.Total() != 40 || r.GET.Total() != 40 {
				t.Errorf("breakdowns do not add up: keep-alive %d, new-conn %d, GET %d", r.KeepAlive.Total(), r.NewConnection.Total(), r.GET.Total())
			}
			if len(r.Errors) != DefaultMaxErrorSamples {
				t.Errorf("%d error samples, want %d", len(r.Errors), DefaultMaxErrorSamples)
			}
		},
	}, {
		name:   "connection refused",
		server: func(t *testing.T) server { return server{url: "http://" + closedAddr(t) + "/"} },
		cfg:    Config{KeepAliveClients: 2, NewConnectionClients: 1, MaxRequests: 5},
		check: func(t *testing.T, r Result, _ server) {
			if r.Counts != (Counts{ConnectError: 5}) || r.Connections != 0 {
				t.Errorf("counts %v with %d connections, want 5 connect errors and none", r.Counts, r.Connections)
			}
		},
	}, {
		name:   "timeout",
		server: hanging,
		cfg:    Config{KeepAliveClients: 1, NewConnectionClients: 1, MaxRequests: 3, Timeout: 200 * time.Millisecond},
		check: func(t *testing.T, r Result, s server) {
			if r.Counts != (Counts{Timeout: 3}) {
				t.Errorf("counts %v, want 3 timeouts", r.Counts)
			}
		},
	}, {
		name: "new connection per request",
		server: func(t *testing.T) server {
			var conns, closing atomic.Int64
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Close {
					closing.Add(1)
				}
			}))
			srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
				if s == http.StateNew {
					conns.Add(1)
				}
			}
			srv.Start()
			t.Cleanup(srv.Close)
			t.Cleanup(func() {
				if conns.Load() != 10 || closing.Load() != 10 {
					t.Errorf("server saw %d connections and %d requests with Connection: close, want 10 and 10", conns.Load(), closing.Load())
				}
			})
			return server{url: srv.URL}
		},
		cfg: Config{NewConnectionClients: 2, MaxRequests: 10},
		check: func(t *testing.T, r Result, _ server) {
			if r.NewConnection != (Counts{Status2xx: 10}) || r.Connections != 10 {
				t.Errorf("new-connection counts %v over %d connections, want 10 2xx over 10", r.NewConnection, r.Connections)
			}
		},
	}, {
		name: "POST bodies",
		server: func(t *testing.T) server {
			var posts atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodPost {
					return
				}
				body, _ := io.ReadAll(r.Body)
				if r.URL.Path != "/echo" || string(body) != "ping" || r.Header.Get("Content-Type") != "text/plain" {
					http.Error(w, "unexpected POST", http.StatusBadRequest)
					return
				}
				posts.Add(1)
				w.Write(body)
			}))
			t.Cleanup(srv.Close)
			return server{srv.URL + "/get", &posts}
		},
		cfg: Config{MaxRequests: 20, PostPercent: 50, PostPath: "/echo", PostBody: []byte("ping"), Header: http.Header{"Content-Type": {"text/plain"}}},
		check: func(t *testing.T, r Result, s server) {
			if r.POST != (Counts{Status2xx: 10}) || r.GET != (Counts{Status2xx: 10}) || s.hits.Load() != 10 {
				t.Errorf("POST %v, GET %v, server accepted %d POSTs; want 10 good POSTs and 10 GETs", r.POST, r.GET, s.hits.Load())
			}
		},
	}, {
		name: "https",
		server: func(t *testing.T) server {
			srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
			t.Cleanup(srv.Close)
			return server{url: srv.URL}
		},
		cfg: Config{KeepAliveClients: 1, NewConnectionClients: 1, MaxRequests: 6, InsecureSkipVerify: true},
		check: func(t *testing.T, r Result, _ server) {
			if r.Counts != (Counts{Status2xx: 6}) || r.Revisions[""] != 6 {
				t.Errorf("counts %v, revisions %v; want 6 2xx without a revision", r.Counts, r.Revisions)
			}
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := tt.server(t)
			cfg := tt.cfg
			cfg.URL = s.url
			r := run(t, t.Context(), cfg)
			if r.Aborted != 0 {
				t.Errorf("%d requests aborted", r.Aborted)
			}
			tt.check(t, r, s)
			if t.Failed() {
				t.Log(r)
			}
		})
	}
}

// rawServer speaks HTTP/1.1 by hand so that it can break connections where a test needs.
type rawServer struct {
	ln                      net.Listener
	reads, responses, drops atomic.Int64
	wg                      sync.WaitGroup
	stopOnce                sync.Once
}

// stop closes the listener and waits for every connection to end, so that the counts are
// final. The client closed its connections when Run returned.
func (s *rawServer) stop() {
	s.stopOnce.Do(func() {
		s.ln.Close()
		s.wg.Wait()
	})
}

// newRawServer answers every request with 200 and drops connections: after reading every
// dropAfterRead-th request (counted over the server), or after the dropAfterResponses-th
// response on a connection, without telling the client (no Connection: close). Zero disables
// either.
func newRawServer(t testing.TB, dropAfterRead, dropAfterResponses int64) *rawServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &rawServer{ln: ln}
	s.wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Go(func() { s.serve(conn, dropAfterRead, dropAfterResponses) })
		}
	})
	t.Cleanup(s.stop)
	return s
}

func (s *rawServer) serve(conn net.Conn, dropAfterRead, dropAfterResponses int64) {
	defer conn.Close()
	br := bufio.NewReader(conn)
	for answered := int64(0); ; {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		io.Copy(io.Discard, req.Body)
		if n := s.reads.Add(1); dropAfterRead > 0 && n%dropAfterRead == 0 {
			s.drops.Add(1)
			return
		}
		if _, err := io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-App-Version: raw\r\n\r\nok"); err != nil {
			return
		}
		s.responses.Add(1)
		if answered++; dropAfterResponses > 0 && answered == dropAfterResponses {
			s.drops.Add(1)
			return
		}
	}
}

// TestNoRetries proves that every request the client counts was sent exactly once: Go's
// http.Transport would resend the GETs of the broken keep-alive connections and count them
// as successes.
func TestNoRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                                string
		dropAfterRead, dropAfterResponses   int64
		cfg                                 Config
		want2xx, wantErrors, wantServerRead int64
	}{
		// Every 3rd request is read and never answered: exactly a third fail.
		{"dropped after reading a request", 3, 0, Config{KeepAliveClients: 2, MaxRequests: 30}, 20, 10, 30},
		// Each connection dies silently after 3 answers; the 4th request on it finds it dead
		// (the case Go's transport retries). One client: 3 good, 1 failed, per connection.
		{"stale keep-alive connection", 0, 3, Config{KeepAliveClients: 1, MaxRequests: 30}, 23, 7, 23},
		{"new connections are unaffected by drops after answers", 0, 1, Config{NewConnectionClients: 2, MaxRequests: 12}, 12, 0, 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newRawServer(t, tt.dropAfterRead, tt.dropAfterResponses)
			cfg := tt.cfg
			cfg.URL = "http://" + s.ln.Addr().String() + "/"
			r := run(t, t.Context(), cfg)
			s.stop()
			if r.Counts[Status2xx] != tt.want2xx || r.Counts[ReadWriteError] != tt.wantErrors || r.Requests() != tt.want2xx+tt.wantErrors {
				t.Errorf("counts %v, want %d 2xx and %d read/write errors", r.Counts, tt.want2xx, tt.wantErrors)
			}
			if got := s.reads.Load(); got != tt.wantServerRead {
				t.Errorf("server read %d requests, want %d", got, tt.wantServerRead)
			}
			if got := s.responses.Load(); got != r.Counts[Status2xx] {
				t.Errorf("server answered %d requests, client counted %d", got, r.Counts[Status2xx])
			}
			if r.Revisions["raw"] != tt.want2xx {
				t.Errorf("revisions %v", r.Revisions)
			}
			if t.Failed() {
				t.Log(r)
			}
		})
	}
}

// TestCancel checks that ending ctx abandons the requests in flight without counting them as
// failures, and that Run returns.
func TestCancel(t *testing.T) {
	t.Parallel()
	const clients = 4
	var inFlight atomic.Int64
	ready, release := make(chan struct{}), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if inFlight.Add(1) == clients {
			close(ready)
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		<-ready
		cancel()
	}()
	r := run(t, ctx, Config{URL: srv.URL, KeepAliveClients: 3, NewConnectionClients: 1})
	if r.Aborted != clients || r.Requests() != 0 || r.Failed() != 0 {
		t.Errorf("aborted %d, counted %d, failed %d; want %d aborted and nothing counted\n%s", r.Aborted, r.Requests(), r.Failed(), clients, r)
	}
}

func TestDurationAndRate(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(srv.Close)
	var snapshots []Result
	cfg := Config{
		URL: srv.URL, KeepAliveClients: 2, NewConnectionClients: 2, Rate: 100, PostPercent: 25,
		Duration: 300 * time.Millisecond, ProgressInterval: 50 * time.Millisecond,
		Progress: func(r Result) { snapshots = append(snapshots, r) },
	}
	r := run(t, t.Context(), cfg)
	if r.Requests() == 0 || r.Failed() != 0 {
		t.Fatalf("want some requests and no failures:\n%s", r)
	}
	// A paced client starts at most one request per interval, plus its first.
	if limit := int64(cfg.Rate*r.Elapsed.Seconds()) + 4; r.Requests() > limit {
		t.Errorf("%d requests in %v exceed the rate of %.0f/s", r.Requests(), r.Elapsed, cfg.Rate)
	}
	if len(snapshots) == 0 || snapshots[len(snapshots)-1].Requests() != r.Requests() {
		t.Errorf("Progress got %d snapshots; the last must be the result", len(snapshots))
	}
	for _, s := range []string{"2xx", "keep-alive", "latency", "revisions  (none)"} {
		if !strings.Contains(r.String(), s) {
			t.Errorf("String() lacks %q:\n%s", s, r)
		}
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no URL", Config{}},
		{"bad scheme", Config{URL: "ftp://127.0.0.1/"}},
		{"no host", Config{URL: "http:///x"}},
		{"negative duration", Config{URL: "http://127.0.0.1/", Duration: -1}},
		{"negative clients", Config{URL: "http://127.0.0.1/", KeepAliveClients: -1}},
		{"post percent", Config{URL: "http://127.0.0.1/", PostPercent: 101}},
		{"post path", Config{URL: "http://127.0.0.1/", PostPath: "echo"}},
		{"negative rate", Config{URL: "http://127.0.0.1/", Rate: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Run(t.Context(), tt.cfg)
			if !errors.Is(err, errdefs.ErrInvalidArgument) {
				t.Errorf("Run: %v, want an invalid argument error", err)
			}
		})
	}
}

func TestRenderRequest(t *testing.T) {
	t.Parallel()
	got := renderRequest("POST", "/echo?x=1", "example.com:8080", http.Header{"X-Test": {"a"}}, []byte("hi"), true)
	req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(got)))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(req.Body)
	if req.Method != "POST" || req.RequestURI != "/echo?x=1" || req.Host != "example.com:8080" || !req.Close ||
		req.Header.Get("X-Test") != "a" || string(body) != "hi" || req.Header.Get("Content-Type") != "application/json" {
		t.Errorf("request does not parse back:\n%s", got)
	}
}

// BenchmarkKeepAlive measures the client's own cost per request against a server in another
// goroutine (run with -cpu 1 to see it on one core).
func BenchmarkKeepAlive(b *testing.B) {
	srv := newRawServer(b, 0, 0)
	b.ReportAllocs()
	b.ResetTimer()
	r, err := Run(b.Context(), Config{URL: "http://" + srv.ln.Addr().String() + "/", KeepAliveClients: 4, MaxRequests: int64(b.N)})
	if err != nil || r.Failed() != 0 {
		b.Fatalf("%v\n%s", err, r)
	}
}
