package app

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// testAppConfig is the configuration of the handler tests; env is the whole environment /env
// sees.
func testAppConfig(env map[string]string) appConfig {
	return appConfig{
		Version:  "v7",
		Hostname: "box",
		PID:      42,
		LookupEnv: func(name string) (string, bool) {
			v, ok := env[name]
			return v, ok
		},
	}
}

func TestFailRequests(t *testing.T) {
	t.Parallel()
	cfg := testAppConfig(nil)
	cfg.FailRequests = true
	srv := httptest.NewServer(newApp(cfg, slog.New(slog.DiscardHandler)).Handler())
	t.Cleanup(srv.Close)
	for path, want := range map[string]int{"/": 500, "/health": 200} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, want)
		}
	}
}

func TestEndpoints(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"VERSION":                       "v7",
		"PORT":                          "31000",
		"FARGO_PORT_8080":               "31000",
		"ECS_CONTAINER_METADATA_URI_V4": "http://169.254.170.2/v4/abc",
		"ECS_EMPTY":                     "",
		"AWS_REGION":                    "eu-west-1",
		"AWS_SECRET_ACCESS_KEY":         "secret",
		"PORTAL_TOKEN":                  "secret",
		"DATABASE_PASSWORD":             "secret",
	}
	srv := httptest.NewServer(newApp(testAppConfig(env), slog.New(slog.DiscardHandler)).Handler())
	t.Cleanup(srv.Close)

	tests := []struct {
		name       string
		method     string
		path       string
		body       string
		header     http.Header
		wantStatus int
		wantBody   string
		wantHeader http.Header
	}{
		{name: "hello", path: "/", wantStatus: 200, wantBody: "hello from v7 (box, pid 42)\n",
			wantHeader: http.Header{"X-App-Version": {"v7"}, "Content-Type": {"text/plain; charset=utf-8"}}},
		{name: "hello head", method: "HEAD", path: "/", wantStatus: 200, wantHeader: http.Header{"X-App-Version": {"v7"}}},
		{name: "health", path: "/health", wantStatus: 200, wantBody: "ok"},
		{name: "version", path: "/version", wantStatus: 200, wantBody: "v7"},
		{name: "fail", path: "/fail", wantStatus: 500, wantBody: "failing on purpose", wantHeader: http.Header{"X-App-Version": {"v7"}}},
		{name: "slow zero", path: "/slow?ms=0", wantStatus: 200, wantBody: "slept 0s"},
		{name: "slow short", path: "/slow?ms=5", wantStatus: 200, wantBody: "slept 5ms"},
		{name: "slow not a number", path: "/slow?ms=abc", wantStatus: 400},
		{name: "slow negative", path: "/slow?ms=-1", wantStatus: 400},
		{name: "slow over the bound", path: "/slow?ms=60001", wantStatus: 400},
		{name: "echo", method: "POST", path: "/echo", body: `{"a":1}`, header: http.Header{"Content-Type": {"application/json"}},
			wantStatus: 200, wantBody: `{"a":1}`, wantHeader: http.Header{"Content-Type": {"application/json"}}},
		{name: "echo empty", method: "POST", path: "/echo", wantStatus: 200, wantBody: "",
			wantHeader: http.Header{"Content-Type": {"application/octet-stream"}}},
		{name: "echo at the bound", method: "POST", path: "/echo", body: strings.Repeat("x", maxEcho), wantStatus: 200, wantBody: strings.Repeat("x", maxEcho)},
		{name: "echo too large", method: "POST", path: "/echo", body: strings.Repeat("x", maxEcho+1), wantStatus: 413},
		{name: "echo by GET", path: "/echo", wantStatus: 405},
		{name: "env PORT", path: "/env?name=PORT", wantStatus: 200, wantBody: "31000"},
		{name: "env VERSION", path: "/env?name=VERSION", wantStatus: 200, wantBody: "v7"},
		{name: "env AWS_REGION", path: "/env?name=AWS_REGION", wantStatus: 200, wantBody: "eu-west-1"},
		{name: "env FARGO_ prefix", path: "/env?name=FARGO_PORT_8080", wantStatus: 200, wantBody: "31000"},
		{name: "env ECS_ prefix", path: "/env?name=ECS_CONTAINER_METADATA_URI_V4", wantStatus: 200, wantBody: "http://169.254.170.2/v4/abc"},
		{name: "env set but empty", path: "/env?name=ECS_EMPTY", wantStatus: 200, wantBody: ""},
		{name: "env unset", path: "/env?name=FARGO_NOPE", wantStatus: 404},
		{name: "env secret", path: "/env?name=AWS_SECRET_ACCESS_KEY", wantStatus: 403},
		{name: "env PORT is no prefix", path: "/env?name=PORTAL_TOKEN", wantStatus: 403},
		{name: "env other", path: "/env?name=DATABASE_PASSWORD", wantStatus: 403},
		{name: "env without name", path: "/env", wantStatus: 400},
		{name: "unknown path", path: "/nope", wantStatus: 404},
		{name: "POST to a GET endpoint", method: "POST", path: "/version", wantStatus: 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			for k, vs := range tt.header {
				req.Header[k] = vs
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d (body %.200q)", resp.StatusCode, tt.wantStatus, body)
			}
			if tt.wantBody != "" || tt.wantStatus == 200 && method != http.MethodHead {
				if string(body) != tt.wantBody {
					t.Errorf("body = %.200q, want %.200q", body, tt.wantBody)
				}
			}
			for k := range tt.wantHeader {
				if got, want := resp.Header.Get(k), tt.wantHeader.Get(k); got != want {
					t.Errorf("header %s = %q, want %q", k, got, want)
				}
			}
			if got := resp.Header.Get("X-App-Version"); got != "v7" {
				t.Errorf("X-App-Version = %q, want v7 on every response", got)
			}
		})
	}
}

func TestHealth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// setup configures the app; it may create files in dir.
		setup      func(t *testing.T, dir string, cfg *appConfig)
		drain      bool
		wantStatus int
		wantBody   string
	}{
		{name: "healthy", wantStatus: 200, wantBody: "ok"},
		{name: "fail file configured but absent", setup: func(_ *testing.T, dir string, cfg *appConfig) {
			cfg.FailHealthFile = filepath.Join(dir, "fail")
		}, wantStatus: 200, wantBody: "ok"},
		{name: "fail file present", setup: func(t *testing.T, dir string, cfg *appConfig) {
			cfg.FailHealthFile = filepath.Join(dir, "fail")
			writeFile(t, cfg.FailHealthFile)
		}, wantStatus: 503},
		{name: "draining", drain: true, wantStatus: 503, wantBody: "draining"},
		{name: "unhealthy after, not reached yet", setup: func(_ *testing.T, _ string, cfg *appConfig) {
			cfg.UnhealthyAfter = time.Hour
		}, wantStatus: 200, wantBody: "ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := testAppConfig(nil)
			if tt.setup != nil {
				tt.setup(t, t.TempDir(), &cfg)
			}
			a := newApp(cfg, slog.New(slog.DiscardHandler))
			if tt.drain {
				a.Drain()
			}
			status, body := get(t, a.Handler(), "/health")
			if status != tt.wantStatus {
				t.Errorf("status = %d, want %d (body %q)", status, tt.wantStatus, body)
			}
			if tt.wantBody != "" && body != tt.wantBody {
				t.Errorf("body = %q, want %q", body, tt.wantBody)
			}
		})
	}
}

func TestHealthFailFileFlips(t *testing.T) {
	t.Parallel()
	cfg := testAppConfig(nil)
	cfg.FailHealthFile = filepath.Join(t.TempDir(), "fail")
	h := newApp(cfg, slog.New(slog.DiscardHandler)).Handler()
	steps := []struct {
		name       string
		do         func(t *testing.T)
		wantStatus int
	}{
		{"before", func(*testing.T) {}, 200},
		{"file created", func(t *testing.T) { writeFile(t, cfg.FailHealthFile) }, 503},
		{"file removed", func(t *testing.T) {
			if err := os.Remove(cfg.FailHealthFile); err != nil {
				t.Fatal(err)
			}
		}, 200},
	}
	for _, s := range steps {
		s.do(t)
		if status, body := get(t, h, "/health"); status != s.wantStatus {
			t.Errorf("%s: status = %d, want %d (body %q)", s.name, status, s.wantStatus, body)
		}
	}
}

func TestHealthUnhealthyAfter(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		cfg := testAppConfig(nil)
		cfg.UnhealthyAfter = time.Minute
		h := newApp(cfg, slog.New(slog.DiscardHandler)).Handler()
		if status, _ := get(t, h, "/health"); status != 200 {
			t.Fatalf("at start: status = %d, want 200", status)
		}
		time.Sleep(time.Minute - time.Second)
		if status, _ := get(t, h, "/health"); status != 200 {
			t.Fatalf("before UNHEALTHY_AFTER: status = %d, want 200", status)
		}
		time.Sleep(time.Second)
		if status, body := get(t, h, "/health"); status != 503 {
			t.Fatalf("after UNHEALTHY_AFTER: status = %d, want 503 (body %q)", status, body)
		}
	})
}

func TestSlow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		path string
		// cancelAfter, when positive, cancels the request that long after it started.
		cancelAfter time.Duration
		wantAfter   time.Duration
		wantStatus  int
	}{
		{name: "the default", path: "/slow", wantAfter: time.Second, wantStatus: 200},
		{name: "the bound", path: "/slow?ms=60000", wantAfter: time.Minute, wantStatus: 200},
		{name: "cancelled", path: "/slow?ms=60000", cancelAfter: 3 * time.Second, wantAfter: 3 * time.Second, wantStatus: statusClientClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				h := newApp(testAppConfig(nil), slog.New(slog.DiscardHandler)).Handler()
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				if tt.cancelAfter > 0 {
					time.AfterFunc(tt.cancelAfter, cancel)
				}
				rec := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(rec, httptest.NewRequestWithContext(ctx, http.MethodGet, tt.path, nil))
				if got := time.Since(start); got != tt.wantAfter {
					t.Errorf("answered after %v, want %v", got, tt.wantAfter)
				}
				if rec.Code != tt.wantStatus {
					t.Errorf("status = %d, want %d", rec.Code, tt.wantStatus)
				}
			})
		})
	}
}

func TestRequestLog(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	h := newApp(testAppConfig(nil), slog.New(slog.NewTextHandler(&buf, nil))).Handler()
	tests := []struct {
		path string
		want string
	}{
		{"/", "msg=request method=GET path=/ status=200 duration="},
		{"/fail", "msg=request method=GET path=/fail status=500 duration="},
		{"/nope", "msg=request method=GET path=/nope status=404 duration="},
	}
	for _, tt := range tests {
		get(t, h, tt.path)
		lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
		if last := lines[len(lines)-1]; !strings.Contains(last, tt.want) {
			t.Errorf("GET %s logged %q, want it to contain %q", tt.path, last, tt.want)
		}
	}
	if n := strings.Count(buf.String(), "\n"); n != len(tests) {
		t.Errorf("logged %d lines for %d requests, want one each:\n%s", n, len(tests), buf.String())
	}
}

// get serves a GET of path by h and returns the status and the body.
func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String()
}

// writeFile creates an empty file at path.
func writeFile(t *testing.T, path string) {
	t.Helper()
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader in different goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
