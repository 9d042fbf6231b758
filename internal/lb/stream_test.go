package lb_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/websocket"

	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/lb/lbtest"
)

func TestWebSocket(t *testing.T) {
	t.Parallel()
	b := lbtest.NewBackend(t, "b")
	p := start(t, lb.Config{
		Listeners:    []lb.Listener{lbtest.Listener("l", lbtest.Forward("g"))},
		TargetGroups: []lb.TargetGroup{lbtest.Group("g", b)},
	})
	addr := p.ListenerAddr("l")
	ws, err := websocket.Dial("ws://"+addr+"/ws", "", "http://"+addr)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	for _, msg := range []string{"hello", "through", "the proxy"} {
		if err := websocket.Message.Send(ws, msg); err != nil {
			t.Fatal(err)
		}
		var got string
		if err := websocket.Message.Receive(ws, &got); err != nil {
			t.Fatal(err)
		}
		if got != msg {
			t.Fatalf("echo %q, want %q", got, msg)
		}
	}
	// An open WebSocket is a request in flight on its target.
	if th := p.Health(); len(th) != 1 || th[0].InFlight != 1 {
		t.Errorf("Health() = %+v, want one request in flight", th)
	}
}

// TestServerSentEvents checks that a streamed response reaches the client event by event,
// not when it ends.
func TestServerSentEvents(t *testing.T) {
	t.Parallel()
	b := lbtest.NewBackend(t, "b")
	p := start(t, lb.Config{
		Listeners:    []lb.Listener{lbtest.Listener("l", lbtest.Forward("g"))},
		TargetGroups: []lb.TargetGroup{lbtest.Group("g", b)},
	})
	res, err := http.Get("http://" + p.ListenerAddr("l") + "/sse?n=3&d=300ms")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	br := bufio.NewReader(res.Body)
	start := time.Now()
	var at []time.Duration
	for {
		line, err := br.ReadString('\n')
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(line, "data: ") {
			at = append(at, time.Since(start))
		}
	}
	if len(at) != 3 {
		t.Fatalf("got %d events, want 3", len(at))
	}
	// The first event arrives long before the stream ends (600 ms later).
	if at[0] > 250*time.Millisecond || at[2]-at[0] < 400*time.Millisecond {
		t.Errorf("events arrived at %v: not streamed", at)
	}
}

func TestHTTPS(t *testing.T) {
	t.Parallel()
	certFile, keyFile, pool := lbtest.SelfSignedCert(t)
	b := lbtest.NewBackend(t, "b")
	listener := func(id string, h2 bool) lb.Listener {
		l := lbtest.Listener(id, lbtest.Forward("g"))
		l.Protocol, l.CertFile, l.KeyFile, l.HTTP2 = lb.ProtocolHTTPS, certFile, keyFile, h2
		return l
	}
	p := start(t, lb.Config{
		Listeners:    []lb.Listener{listener("h1", false), listener("h2", true)},
		TargetGroups: []lb.TargetGroup{lbtest.Group("g", b)},
	})
	tests := []struct {
		listener  string
		wantProto string
	}{
		{"h1", "HTTP/1.1"},
		{"h2", "HTTP/2.0"},
	}
	for _, tt := range tests {
		t.Run(tt.listener, func(t *testing.T) {
			t.Parallel()
			tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}
			defer tr.CloseIdleConnections()
			c := &http.Client{Transport: tr}
			res, _ := do(t, c, "GET", "https://"+p.ListenerAddr(tt.listener)+"/echo", nil)
			if res.StatusCode != 200 || res.Proto != tt.wantProto {
				t.Fatalf("%d over %s, want 200 over %s", res.StatusCode, res.Proto, tt.wantProto)
			}
			if got := res.Header.Get("X-Got-X-Forwarded-Proto"); got != "https" {
				t.Errorf("X-Forwarded-Proto %q, want https", got)
			}
			// Streaming works over HTTP/2 as well.
			res, body := do(t, c, "GET", "https://"+p.ListenerAddr(tt.listener)+"/sse?n=2&d=10ms", nil)
			if strings.Count(body, "data: ") != 2 {
				t.Errorf("SSE over %s: %q", res.Proto, body)
			}
		})
	}
}

// TestFullDuplex: a target that starts its response before it read the request body gets
// the rest of the body afterwards, here sent only once the client saw the response start.
func TestFullDuplex(t *testing.T) {
	t.Parallel()
	b := lbtest.NewBackend(t, "b")
	p := start(t, lb.Config{
		Listeners:    []lb.Listener{lbtest.Listener("l", lbtest.Forward("g"))},
		TargetGroups: []lb.TargetGroup{lbtest.Group("g", b)},
	})
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	pr, pw := io.Pipe()
	stop := context.AfterFunc(ctx, func() { pw.CloseWithError(ctx.Err()) }) // never hang
	defer stop()
	req, _ := http.NewRequestWithContext(ctx, "POST", "http://"+p.ListenerAddr("l")+"/duplex", pr)
	go func() { _, _ = pw.Write([]byte("hello, ")) }()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	go func() {
		_, _ = pw.Write([]byte("world"))
		pw.Close()
	}()
	got, err := io.ReadAll(res.Body)
	if err != nil || string(got) != "hello, world" {
		t.Fatalf("echoed %q (%v), want %q", got, err, "hello, world")
	}
}
