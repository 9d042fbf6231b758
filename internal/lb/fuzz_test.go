package lb

import (
	"bufio"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// fuzzHandler serves a listener whose rules reach every kind of action: fixed responses,
// redirects with every placeholder, a group without targets and a target that refuses.
func fuzzHandler(t testing.TB) *handler {
	t.Helper()
	// Short timeouts bound any input's time, so the fuzzer never waits on one.
	p, err := New(ProxyConfig{DialTimeout: time.Second, ResponseTimeout: 2 * time.Second}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The dead target accepts and closes every connection at once. (A closed port is not dead
	// for sure: another test may bind it meanwhile and leave the request waiting.)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	refused := ln.Addr().String()
	fwd := func(g string) Action {
		return Action{Type: ActionForward, Forward: Forward{TargetGroups: []WeightedGroup{{GroupID: g, Weight: 1}}, Stickiness: true}}
	}
	cfg := Config{
		TargetGroups: []TargetGroup{
			{ID: "empty"},
			{ID: "dead", Stickiness: true, HealthCheck: HealthCheck{Disabled: true}, Targets: []Target{{ID: "d", Addr: refused}}},
		},
	}
	l := Listener{ID: "l", Addr: "127.0.0.1:0", Rules: []Rule{
		{ID: "q", Conditions: []Condition{{Field: FieldQueryString, Query: []QueryPattern{{Key: "*a*", Value: "?*"}}}},
			Action: Action{Type: ActionRedirect, Redirect: Redirect{Host: "#{host}.#{port}", Path: "/#{path}/#{query}", Query: "#{query}&x=#{protocol}"}}},
		{ID: "h", Conditions: []Condition{{Field: FieldHTTPHeader, HeaderName: "x-*", Values: []string{"*?*"}}}, Action: fwd("empty")},
		{ID: "s", Conditions: []Condition{{Field: FieldSourceIP, Values: []string{"192.0.2.0/24"}}}, Action: fwd("dead")},
		{ID: "p", Conditions: []Condition{{Field: FieldPathPattern, Values: []string{"/d*"}}, {Field: FieldRequestMethod, Values: []string{"GET", "POST"}}}, Action: fwd("dead")},
		{ID: "default", Action: Action{Type: ActionFixedResponse, FixedResponse: FixedResponse{StatusCode: 418, Body: "teapot"}}},
	}}
	cfg.Listeners = []Listener{l}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	groups := p.syncTargets(&cfg)
	p.mu.Unlock()
	p.table.Store(compile(&cfg, groups, p.met))
	return &handler{p: p, l: &listener{}, id: "l", scheme: "http", port: "80", xfProto: []string{"http"}, xfPort: []string{"80"}}
}

// FuzzHandler feeds arbitrary requests, as net/http parses them off the wire, to the proxy's
// handler: it must answer every one without panicking.
func FuzzHandler(f *testing.F) {
	for _, seed := range []string{
		"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
		"GET /d/x?a=1 HTTP/1.1\r\nHost: A.example:8080\r\nCookie: AWSALB=x; AWSALBTG=y\r\n\r\n",
		"POST /dead HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello",
		"GET /x?%zz=%%&a=b HTTP/1.1\r\nHost: [::1]:80\r\nX-Forwarded-For: 1.2.3.4\r\nX-Y: z\r\n\r\n",
		"GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, X-A\r\nUpgrade: websocket\r\nX-A: 1\r\n\r\n",
		"CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n",
		"OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
	} {
		f.Add(seed, "192.0.2.1:1234")
	}
	h := fuzzHandler(f)
	f.Fuzz(func(t *testing.T, raw, remote string) {
		r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
		if err != nil {
			return
		}
		r.RemoteAddr = remote
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code < 100 || w.Code > 599 {
			t.Fatalf("status %d", w.Code)
		}
	})
}
