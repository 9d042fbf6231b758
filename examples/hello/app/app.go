package app

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

const (
	// maxSlow bounds /slow, so a typo cannot hold a connection (and a shutdown) for hours.
	maxSlow = 60 * time.Second
	// defaultSlow is /slow's delay when ms is not given.
	defaultSlow = time.Second
	// maxEcho bounds the body /echo reads into memory.
	maxEcho = 1 << 20
	// statusClientClosed is logged when a client goes away before /slow answers (nginx's 499).
	statusClientClosed = 499
)

// appConfig is what the handlers need to know about the process; main fills it in.
type appConfig struct {
	Version        string
	Hostname       string
	PID            int
	UnhealthyAfter time.Duration
	FailHealthFile string
	FailRequests   bool
	// LookupEnv reads the environment for /env (os.LookupEnv in main).
	LookupEnv func(string) (string, bool)
}

// app serves hello's endpoints.
type app struct {
	cfg    appConfig
	logger *slog.Logger
	start  time.Time
	// draining is set on SIGTERM: /health fails from then on, so that a load balancer that
	// still checks the task stops sending it new requests while it finishes the old ones.
	draining atomic.Bool
}

func newApp(cfg appConfig, logger *slog.Logger) *app {
	if cfg.LookupEnv == nil {
		cfg.LookupEnv = func(string) (string, bool) { return "", false }
	}
	return &app{cfg: cfg, logger: logger, start: time.Now()}
}

// Handler returns the endpoints, wrapped in the request log.
func (a *app) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", a.hello)
	mux.HandleFunc("GET /health", a.health)
	mux.HandleFunc("GET /slow", a.slow)
	mux.HandleFunc("POST /echo", a.echo)
	mux.HandleFunc("GET /version", a.version)
	mux.HandleFunc("GET /env", a.env)
	mux.HandleFunc("GET /fail", a.fail)
	return a.logRequests(mux)
}

// Drain makes /health fail from now on; the server keeps answering everything else.
func (a *app) Drain() { a.draining.Store(true) }

func (a *app) hello(w http.ResponseWriter, _ *http.Request) {
	if a.cfg.FailRequests {
		text(w, http.StatusInternalServerError, fmt.Sprintf("broken release %s\n", a.cfg.Version))
		return
	}
	text(w, http.StatusOK, fmt.Sprintf("hello from %s (%s, pid %d)\n", a.cfg.Version, a.cfg.Hostname, a.cfg.PID))
}

func (a *app) health(w http.ResponseWriter, _ *http.Request) {
	if reason := a.unhealthy(); reason != "" {
		text(w, http.StatusServiceUnavailable, reason)
		return
	}
	text(w, http.StatusOK, "ok")
}

// unhealthy says why /health fails, or "" when it passes.
func (a *app) unhealthy() string {
	if a.draining.Load() {
		return "draining"
	}
	if f := a.cfg.FailHealthFile; f != "" {
		if _, err := os.Stat(f); err == nil {
			return "unhealthy: " + f + " exists"
		}
	}
	if d := a.cfg.UnhealthyAfter; d > 0 && time.Since(a.start) >= d {
		return "unhealthy: up for more than " + d.String()
	}
	return ""
}

func (a *app) slow(w http.ResponseWriter, r *http.Request) {
	d := defaultSlow
	if v := r.URL.Query().Get("ms"); v != "" {
		ms, err := strconv.Atoi(v)
		if err != nil || ms < 0 || time.Duration(ms)*time.Millisecond > maxSlow {
			text(w, http.StatusBadRequest, fmt.Sprintf("ms must be an integer from 0 to %d", maxSlow.Milliseconds()))
			return
		}
		d = time.Duration(ms) * time.Millisecond
	}
	// Logged before the wait, so that a test can tell the request is in flight before it stops
	// or replaces the app.
	a.logger.Info("slow request sleeping", "delay", d)
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		text(w, http.StatusOK, "slept "+d.String())
	case <-r.Context().Done():
		// The client is gone: nobody reads the answer, the status is for the request log.
		w.WriteHeader(statusClientClosed)
	}
}

func (a *app) echo(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxEcho))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			text(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than %d bytes", maxEcho))
			return
		}
		text(w, http.StatusBadRequest, "reading body: "+err.Error())
		return
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

func (a *app) version(w http.ResponseWriter, _ *http.Request) {
	text(w, http.StatusOK, a.cfg.Version)
}

// env answers the value of one environment variable, without a trailing newline so that tests
// can compare it exactly. Only names a task is expected to get from its driver are readable:
// the environment may hold secrets, and this endpoint is unauthenticated.
func (a *app) env(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	switch {
	case name == "":
		text(w, http.StatusBadRequest, "name is required")
		return
	case !readableEnv(name):
		text(w, http.StatusForbidden, name+" is not readable: only ECS_*, FARGO_*, PORT, VERSION and AWS_REGION are")
		return
	}
	v, ok := a.cfg.LookupEnv(name)
	if !ok {
		text(w, http.StatusNotFound, name+" is not set")
		return
	}
	text(w, http.StatusOK, v)
}

// readableEnv reports whether /env may reveal the variable name.
func readableEnv(name string) bool {
	switch name {
	case "PORT", "VERSION", "AWS_REGION":
		return true
	}
	return strings.HasPrefix(name, "ECS_") || strings.HasPrefix(name, "FARGO_")
}

func (a *app) fail(w http.ResponseWriter, _ *http.Request) {
	text(w, http.StatusInternalServerError, "failing on purpose")
}

// text writes a plain-text response.
func text(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// logRequests sets X-App-Version on every response and logs one line per request.
func (a *app) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		w.Header().Set("X-App-Version", a.cfg.Version)
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		a.logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"duration", time.Since(start).Round(time.Microsecond))
	})
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer (Flush, deadlines).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
