package lb_test

import (
	"io"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/lb/lbtest"
)

// do sends one request through the proxy with a client that neither retries nor follows
// redirects and returns the response with its body read.
func do(t testing.TB, c *http.Client, method, url string, mod func(*http.Request)) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if mod != nil {
		mod(req)
	}
	if c == nil {
		c = &http.Client{Transport: &lbtest.RawTransport{KeepAlive: true}}
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

// start runs a proxy with cfg applied and waits until every target is healthy.
func start(t *testing.T, cfg lb.Config) *lb.Proxy {
	t.Helper()
	p := lbtest.Start(t, lb.ProxyConfig{})
	if err := p.Apply(cfg); err != nil {
		t.Fatal(err)
	}
	for _, g := range cfg.TargetGroups {
		for _, tg := range g.Targets {
			if !g.HealthCheck.Disabled {
				lbtest.WaitState(t, p, g.ID, tg.ID, lb.StateHealthy)
			}
		}
	}
	return p
}

func TestRouting(t *testing.T) {
	t.Parallel()
	api, web := lbtest.NewBackend(t, "api"), lbtest.NewBackend(t, "web")
	rules := []lb.Rule{
		{ID: "api", Priority: 1, Conditions: []lb.Condition{{Field: lb.FieldHostHeader, Values: []string{"api.*"}}},
			Action: lbtest.Forward("api").Action},
		{ID: "maint", Priority: 2, Conditions: []lb.Condition{{Field: lb.FieldPathPattern, Values: []string{"/maintenance*"}}},
			Action: lb.Action{Type: lb.ActionFixedResponse, FixedResponse: lb.FixedResponse{StatusCode: 503, ContentType: "application/json", Body: `{"down":true}`}}},
		{ID: "old", Priority: 3, Conditions: []lb.Condition{{Field: lb.FieldPathPattern, Values: []string{"/old/*"}}},
			Action: lb.Action{Type: lb.ActionRedirect, Redirect: lb.Redirect{Protocol: "HTTPS", Port: "443", Path: "/new/#{path}", StatusCode: 301}}},
		{ID: "empty", Priority: 4, Conditions: []lb.Condition{{Field: lb.FieldHTTPHeader, HeaderName: "X-Empty", Values: []string{"*"}}},
			Action: lbtest.Forward("empty").Action},
		lbtest.Forward("web"),
	}
	p := start(t, lb.Config{
		Listeners:    []lb.Listener{lbtest.Listener("l", rules...)},
		TargetGroups: []lb.TargetGroup{lbtest.Group("api", api), lbtest.Group("web", web), {ID: "empty"}},
	})
	base := "http://" + p.ListenerAddr("l")
	tests := []struct {
		name       string
		path       string
		mod        func(*http.Request)
		wantStatus int
		wantBody   string
		wantHeader map[string]string
	}{
		{name: "default rule", path: "/", wantStatus: 200, wantBody: "web"},
		{name: "host rule", path: "/", mod: func(r *http.Request) { r.Host = "API.example.com" }, wantStatus: 200, wantBody: "api"},
		{name: "fixed response", path: "/maintenance/now", wantStatus: 503, wantBody: `{"down":true}`,
			wantHeader: map[string]string{"Content-Type": "application/json"}},
		{name: "redirect", path: "/old/a/b?x=1", mod: func(r *http.Request) { r.Host = "shop.example.com:8080" }, wantStatus: 301,
			wantHeader: map[string]string{"Location": "https://shop.example.com/new/old/a/b?x=1"}},
		{name: "group without targets", path: "/", mod: func(r *http.Request) { r.Header.Set("X-Empty", "1") }, wantStatus: 503,
			wantBody: "503 Service Temporarily Unavailable", wantHeader: map[string]string{"Server": "awselb/2.0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, body := do(t, nil, "GET", base+tt.path, tt.mod)
			if res.StatusCode != tt.wantStatus || !strings.Contains(body, tt.wantBody) {
				t.Errorf("got %d %q, want %d with %q", res.StatusCode, body, tt.wantStatus, tt.wantBody)
			}
			for k, v := range tt.wantHeader {
				if got := res.Header.Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestForwardedHeaders(t *testing.T) {
	t.Parallel()
	b := lbtest.NewBackend(t, "b")
	p := start(t, lb.Config{
		Listeners:    []lb.Listener{lbtest.Listener("l", lbtest.Forward("g"))},
		TargetGroups: []lb.TargetGroup{lbtest.Group("g", b)},
	})
	addr := p.ListenerAddr("l")
	res, _ := do(t, nil, "GET", "http://"+addr+"/echo", func(r *http.Request) {
		r.Host = "app.example.com"
		r.Header.Set("X-Forwarded-For", "203.0.113.7")
		r.Header.Set("X-Forwarded-Proto", "spoofed")
		r.Header.Set("Connection", "X-Secret")
		r.Header.Set("X-Secret", "hop")
		r.Header.Set("Proxy-Authorization", "hop")
	})
	port := addr[strings.LastIndexByte(addr, ':')+1:]
	want := map[string]string{
		"X-Got-X-Forwarded-For":     "203.0.113.7, 127.0.0.1",
		"X-Got-X-Forwarded-Proto":   "http",
		"X-Got-X-Forwarded-Port":    port,
		"X-Got-Host":                "app.example.com",
		"X-Got-X-Secret":            "",
		"X-Got-Proxy-Authorization": "",
	}
	for k, v := range want {
		if got := res.Header.Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
}

// TestWeightedForward sends 1,000 requests through a 90/10 forward (the selection itself is
// tested over 10,000 picks in TestWeightedGroups).
func TestWeightedForward(t *testing.T) {
	t.Parallel()
	blue, green := lbtest.NewBackend(t, "blue"), lbtest.NewBackend(t, "green")
	p := start(t, lb.Config{
		Listeners:    []lb.Listener{lbtest.Listener("l", lbtest.Forward("blue", 90, "green", 10))},
		TargetGroups: []lb.TargetGroup{lbtest.Group("blue", blue), lbtest.Group("green", green)},
	})
	const n = 1000
	c := &http.Client{Transport: &lbtest.RawTransport{KeepAlive: true}}
	got := map[string]int{}
	for range n {
		res, body := do(t, c, "GET", "http://"+p.ListenerAddr("l")+"/", nil)
		if res.StatusCode != 200 {
			t.Fatalf("status %d", res.StatusCode)
		}
		got[body]++
	}
	// Five standard deviations of the binomial: 1000·0.1 ± 47.
	if tol := 5 * math.Sqrt(n*0.1*0.9); math.Abs(float64(got["green"])-n*0.1) > tol {
		t.Errorf("green got %d of %d requests, want %d ± %.0f", got["green"], n, n/10, tol)
	}
}

func TestStickinessCookies(t *testing.T) {
	t.Parallel()
	a, b, c := lbtest.NewBackend(t, "a"), lbtest.NewBackend(t, "b"), lbtest.NewBackend(t, "c")
	g1 := lbtest.Group("g1", a, b)
	g1.Stickiness = true
	g2 := lbtest.Group("g2", c)
	fwd := lbtest.Forward("g1", 50, "g2", 50)
	fwd.Action.Forward.Stickiness = true
	p := start(t, lb.Config{
		Listeners:    []lb.Listener{lbtest.Listener("l", fwd)},
		TargetGroups: []lb.TargetGroup{g1, g2},
	})
	url := "http://" + p.ListenerAddr("l") + "/"
	for i := range 10 {
		// A new client lands anywhere; with its cookies it stays where it landed.
		res, first := do(t, nil, "GET", url, nil)
		cookies := res.Cookies()
		if len(cookies) == 0 {
			t.Fatal("no stickiness cookie")
		}
		for range 10 {
			_, body := do(t, nil, "GET", url, func(r *http.Request) {
				for _, ck := range cookies {
					r.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
				}
			})
			if body != first {
				t.Fatalf("client %d: first served by %s, then by %s", i, first, body)
			}
		}
	}
}

func readCloser(s string) io.ReadCloser { return io.NopCloser(strings.NewReader(s)) }
