package lb

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestWildMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pat, s string
		fold   bool
		want   bool
	}{
		{"*", "", false, true},
		{"*", "anything", false, true},
		{"abc", "abc", false, true},
		{"abc", "abd", false, false},
		{"a?c", "abc", false, true},
		{"a?c", "ac", false, false},
		{"/api/*", "/api/", false, true},
		{"/api/*", "/api/v1/users", false, true},
		{"/api/*", "/API/v1", false, false},
		{"*.example.com", "www.example.com", true, true},
		{"*.example.com", "WWW.Example.COM", true, true},
		{"*.example.com", "example.com", true, false},
		{"a*b*c", "aXXbYYc", false, true},
		{"a*b*c", "aXXbYY", false, false},
		{"*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false, false},
		{"?*", "", false, false},
		{"**", "x", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.pat+"~"+tt.s, func(t *testing.T) {
			t.Parallel()
			if got := wildMatch(tt.pat, tt.s, tt.fold); got != tt.want {
				t.Errorf("wildMatch(%q, %q, %v) = %v, want %v", tt.pat, tt.s, tt.fold, got, tt.want)
			}
		})
	}
}

func TestConditionMatch(t *testing.T) {
	t.Parallel()
	type req struct {
		method, target, host, remote string
		header                       http.Header
	}
	get := func(target string) req { return req{method: "GET", target: target, host: "app.example.com"} }
	tests := []struct {
		name string
		cond Condition
		req  req
		want bool
	}{
		{"host exact, case-insensitive", Condition{Field: FieldHostHeader, Values: []string{"App.Example.com"}}, get("/"), true},
		{"host port stripped", Condition{Field: FieldHostHeader, Values: []string{"app.example.com"}},
			req{method: "GET", target: "/", host: "APP.example.com:8080"}, true},
		{"host wildcard", Condition{Field: FieldHostHeader, Values: []string{"*.example.com"}}, get("/"), true},
		{"host question mark", Condition{Field: FieldHostHeader, Values: []string{"ap?.example.com"}}, get("/"), true},
		{"host other", Condition{Field: FieldHostHeader, Values: []string{"api.example.com"}}, get("/"), false},
		{"host any of values", Condition{Field: FieldHostHeader, Values: []string{"x.com", "app.*"}}, get("/"), true},
		{"host ipv6 with port", Condition{Field: FieldHostHeader, Values: []string{"[::1]"}},
			req{method: "GET", target: "/", host: "[::1]:80"}, true},
		{"path wildcard", Condition{Field: FieldPathPattern, Values: []string{"/api/*"}}, get("/api/v1?x=1"), true},
		{"path is case-sensitive", Condition{Field: FieldPathPattern, Values: []string{"/api/*"}}, get("/API/v1"), false},
		{"path ignores query", Condition{Field: FieldPathPattern, Values: []string{"*x=1*"}}, get("/api?x=1"), false},
		{"path exact", Condition{Field: FieldPathPattern, Values: []string{"/health"}}, get("/health"), true},
		{"header name and value fold", Condition{Field: FieldHTTPHeader, HeaderName: "x-canary", Values: []string{"YES"}},
			req{method: "GET", target: "/", host: "h", header: http.Header{"X-Canary": {"yes"}}}, true},
		{"header wildcard", Condition{Field: FieldHTTPHeader, HeaderName: "User-Agent", Values: []string{"*mobile*"}},
			req{method: "GET", target: "/", host: "h", header: http.Header{"User-Agent": {"Foo Mobile Safari"}}}, true},
		{"header missing", Condition{Field: FieldHTTPHeader, HeaderName: "X-Canary", Values: []string{"*"}}, get("/"), false},
		{"method", Condition{Field: FieldRequestMethod, Values: []string{"POST", "PUT"}}, req{method: "PUT", target: "/", host: "h"}, true},
		{"method case-sensitive", Condition{Field: FieldRequestMethod, Values: []string{"post"}}, req{method: "POST", target: "/", host: "h"}, false},
		{"query key value", Condition{Field: FieldQueryString, Query: []QueryPattern{{Key: "version", Value: "v2"}}}, get("/?a=1&version=V2"), true},
		{"query value only", Condition{Field: FieldQueryString, Query: []QueryPattern{{Value: "beta*"}}}, get("/?x=betatest"), true},
		{"query escaped", Condition{Field: FieldQueryString, Query: []QueryPattern{{Key: "q", Value: "a b"}}}, get("/?q=a%20b"), true},
		{"query no match", Condition{Field: FieldQueryString, Query: []QueryPattern{{Key: "version", Value: "v2"}}}, get("/?version=v1"), false},
		{"source ip in cidr", Condition{Field: FieldSourceIP, Values: []string{"10.0.0.0/8"}},
			req{method: "GET", target: "/", host: "h", remote: "10.1.2.3:5555"}, true},
		{"source ip outside", Condition{Field: FieldSourceIP, Values: []string{"10.0.0.0/8", "192.168.1.1"}},
			req{method: "GET", target: "/", host: "h", remote: "11.1.2.3:5555"}, false},
		{"source ip bare address", Condition{Field: FieldSourceIP, Values: []string{"192.168.1.1"}},
			req{method: "GET", target: "/", host: "h", remote: "192.168.1.1:5555"}, true},
		{"source ip v6", Condition{Field: FieldSourceIP, Values: []string{"2001:db8::/32"}},
			req{method: "GET", target: "/", host: "h", remote: "[2001:db8::1]:5555"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := tt.cond.validate(); err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest(tt.req.method, tt.req.target, nil)
			r.Host = tt.req.host
			if tt.req.remote != "" {
				r.RemoteAddr = tt.req.remote
			}
			for k, v := range tt.req.header {
				r.Header[k] = v
			}
			c := compileCond(tt.cond)
			if got := c.match(r); got != tt.want {
				t.Errorf("match = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRuleOrder(t *testing.T) {
	t.Parallel()
	fixed := func(code int) Action {
		return Action{Type: ActionFixedResponse, FixedResponse: FixedResponse{StatusCode: code}}
	}
	l := Listener{ID: "l", Addr: "127.0.0.1:0", Rules: []Rule{
		{ID: "api", Priority: 1, Conditions: []Condition{
			{Field: FieldHostHeader, Values: []string{"api.example.com"}},
			{Field: FieldPathPattern, Values: []string{"/v1/*"}},
		}, Action: fixed(201)},
		{ID: "any-api", Priority: 2, Conditions: []Condition{{Field: FieldHostHeader, Values: []string{"api.*"}}}, Action: fixed(202)},
		{ID: "default", Action: fixed(404)},
	}}
	tab := compile(&Config{Listeners: []Listener{l}}, nil, mustMetrics(t))
	tests := []struct {
		host, path string
		want       int
	}{
		{"api.example.com", "/v1/x", 201},
		{"api.example.com", "/v2/x", 202},
		{"API.example.org", "/v1/x", 202},
		{"www.example.com", "/v1/x", 404},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", tt.path, nil)
		r.Host = tt.host
		if got := tab.routes["l"].match(r).act.fixed.status; got != tt.want {
			t.Errorf("%s%s matched the rule answering %d, want %d", tt.host, tt.path, got, tt.want)
		}
	}
}

func mustMetrics(t testing.TB) *metrics {
	t.Helper()
	m, err := newMetrics(nil)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
