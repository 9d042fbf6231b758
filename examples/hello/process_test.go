package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// These tests run the real binary as a subprocess, the way fargo's process driver does. They
// wait for log lines and poll rather than sleep, with a timeout meant for a slow, busy machine.

// waitTimeout bounds every wait of these tests; a healthy run needs a small part of it.
const waitTimeout = 60 * time.Second

// helloBin is the binary TestMain builds for these tests.
var helloBin string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "hello-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	helloBin = filepath.Join(dir, "hello")
	out, err := exec.Command("go", "build", "-o", helloBin, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// settings are the variables hello reads; the tests' own environment must not leak into them.
var settings = []string{"PORT", "LISTEN_ADDR", "VERSION", "STARTUP_DELAY", "SHUTDOWN_DELAY",
	"EXIT_IMMEDIATELY_ON_SIGTERM", "UNHEALTHY_AFTER", "FAIL_HEALTH_FILE", "FAIL_REQUESTS"}

// helloEnv is this process's environment without hello's settings, plus env.
func helloEnv(env ...string) []string {
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(settings, name) {
			out = append(out, kv)
		}
	}
	return append(out, env...)
}

// setsAny reports whether env (NAME=value entries) sets one of names.
func setsAny(env []string, names ...string) bool {
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if slices.Contains(names, name) {
			return true
		}
	}
	return false
}

// proc is a running hello.
type proc struct {
	cmd     *exec.Cmd
	out     *syncBuffer
	started time.Time
	exited  chan struct{}
	err     error // cmd.Wait's result, set before exited is closed
}

// startHello runs hello with env (LISTEN_ADDR=127.0.0.1:0 unless env sets PORT or
// LISTEN_ADDR) and kills it at the end of the test if it still runs.
func startHello(t *testing.T, env ...string) *proc {
	t.Helper()
	if !setsAny(env, "PORT", "LISTEN_ADDR") {
		env = append(env, "LISTEN_ADDR=127.0.0.1:0")
	}
	p := &proc{cmd: exec.Command(helloBin), out: &syncBuffer{}, exited: make(chan struct{})}
	p.cmd.Env = helloEnv(env...)
	p.cmd.Stdout = p.out
	p.cmd.Stderr = p.out
	p.started = time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.exited
		if t.Failed() {
			t.Logf("hello's output:\n%s", p.out.String())
		}
	})
	return p
}

// waitForLog waits until hello logged a line containing s and returns that line.
func (p *proc) waitForLog(t *testing.T, s string) string {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		for line := range strings.SplitSeq(p.out.String(), "\n") {
			if strings.Contains(line, s) {
				return line
			}
		}
		select {
		case <-p.exited:
			// The output is complete once the process is reaped: one last look.
			if strings.Contains(p.out.String(), s) {
				continue
			}
			t.Fatalf("hello exited (%v) without logging %q", p.err, s)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("hello did not log %q within %v", s, waitTimeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var addrRE = regexp.MustCompile(`addr=(\S+)`)

// addr waits until hello listens and returns its address.
func (p *proc) addr(t *testing.T) string {
	t.Helper()
	line := p.waitForLog(t, `msg="listening on"`)
	m := addrRE.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("no addr= in %q", line)
	}
	return m[1]
}

func (p *proc) signal(t *testing.T, sig os.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}

// exitCode waits until hello exited and returns its exit code.
func (p *proc) exitCode(t *testing.T) int {
	t.Helper()
	select {
	case <-p.exited:
	case <-time.After(waitTimeout):
		t.Fatalf("hello still runs %v later", waitTimeout)
	}
	if exitErr, ok := errors.AsType[*exec.ExitError](p.err); ok {
		return exitErr.ExitCode()
	}
	if p.err != nil {
		t.Fatal(p.err)
	}
	return 0
}

// result is the outcome of one HTTP request.
type result struct {
	status int
	body   string
	err    error
}

// getAsync sends GET url on a new connection; the result arrives on the channel.
func getAsync(url string) <-chan result {
	ch := make(chan result, 1)
	go func() {
		client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := client.Get(url)
		if err != nil {
			ch <- result{err: err}
			return
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		ch <- result{status: resp.StatusCode, body: string(body), err: err}
	}()
	return ch
}

// getNow sends GET url on a new connection and waits for the answer.
func getNow(t *testing.T, url string) result {
	t.Helper()
	select {
	case r := <-getAsync(url):
		return r
	case <-time.After(waitTimeout):
		t.Fatalf("GET %s: no answer within %v", url, waitTimeout)
		return result{}
	}
}

// waitRefused waits until connecting to addr fails.
func waitRefused(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			return
		}
		conn.Close()
		if time.Now().After(deadline) {
			t.Fatalf("%s still accepts connections %v later", addr, waitTimeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		shutdownDelay time.Duration
	}{
		{name: "at once"},
		{name: "after SHUTDOWN_DELAY", shutdownDelay: 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// The slow request outlasts the delay by far, so that it is still in flight when
			// the listener closes.
			slow := tt.shutdownDelay + 5*time.Second
			p := startHello(t, "SHUTDOWN_DELAY="+tt.shutdownDelay.String())
			addr := p.addr(t)
			inFlight := getAsync(fmt.Sprintf("http://%s/slow?ms=%d", addr, slow.Milliseconds()))
			p.waitForLog(t, `msg="slow request sleeping"`)

			p.signal(t, syscall.SIGTERM)
			p.waitForLog(t, `msg="received signal" signal=SIGTERM`)
			if tt.shutdownDelay > 0 {
				// During the delay the app still serves, and its health check fails.
				p.waitForLog(t, `msg=draining`)
				if r := getNow(t, "http://"+addr+"/"); r.err != nil || r.status != 200 {
					t.Errorf("GET / while draining = %d %v, want 200", r.status, r.err)
				}
				if r := getNow(t, "http://"+addr+"/health"); r.err != nil || r.status != 503 || r.body != "draining" {
					t.Errorf("GET /health while draining = %d %q %v, want 503 draining", r.status, r.body, r.err)
				}
			}
			p.waitForLog(t, `msg="closing listener`)
			waitRefused(t, addr)
			select {
			case r := <-inFlight:
				t.Fatalf("the slow request ended (%+v) before new connections were refused", r)
			default:
			}

			r := <-inFlight
			if want := "slept " + slow.String(); r.err != nil || r.status != 200 || r.body != want {
				t.Errorf("in-flight /slow = %d %q %v, want 200 %q", r.status, r.body, r.err, want)
			}
			if code := p.exitCode(t); code != 0 {
				t.Errorf("exit code %d, want 0", code)
			}
			out := p.out.String()
			served := strings.Index(out, "path=/slow status=200")
			done := strings.Index(out, `msg="shutdown complete"`)
			if served < 0 || done < served {
				t.Errorf("want the /slow request logged, then shutdown complete:\n%s", out)
			}
		})
	}
}

func TestExitImmediatelyOnSIGTERM(t *testing.T) {
	t.Parallel()
	p := startHello(t, "EXIT_IMMEDIATELY_ON_SIGTERM=true", "SHUTDOWN_DELAY=1h")
	addr := p.addr(t)
	inFlight := getAsync("http://" + addr + "/slow?ms=60000")
	p.waitForLog(t, `msg="slow request sleeping"`)

	p.signal(t, syscall.SIGTERM)
	if code := p.exitCode(t); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	select {
	case r := <-inFlight:
		if r.err == nil {
			t.Errorf("in-flight /slow = %d %q, want it cut off", r.status, r.body)
		}
	case <-time.After(waitTimeout):
		t.Fatal("the in-flight request still waits after hello exited")
	}
	out := p.out.String()
	if !strings.Contains(out, `msg="exiting immediately"`) || strings.Contains(out, "shutdown complete") {
		t.Errorf("want exiting immediately and no shutdown complete:\n%s", out)
	}
}

func TestStartupDelay(t *testing.T) {
	t.Parallel()
	const delay = 3 * time.Second
	port := freePort(t)
	p := startHello(t, fmt.Sprintf("PORT=%d", port), "STARTUP_DELAY="+delay.String())
	p.waitForLog(t, `msg="delaying startup"`)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	// Whatever the machine's speed, a connection that succeeds less than delay after the
	// process started shows hello listened too early.
	for time.Since(p.started) < delay {
		if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			conn.Close()
			if early := time.Since(p.started); early < delay {
				t.Fatalf("hello accepted a connection %v after start, before STARTUP_DELAY=%v", early, delay)
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got := p.addr(t); got != addr {
		t.Errorf("listening on %s, want %s", got, addr)
	}
	if r := getNow(t, "http://"+addr+"/health"); r.err != nil || r.status != 200 {
		t.Errorf("GET /health = %d %v, want 200", r.status, r.err)
	}
	if since := time.Since(p.started); since < delay {
		t.Errorf("hello answered %v after start, before STARTUP_DELAY=%v", since, delay)
	}
}

func TestSIGTERMDuringStartupDelay(t *testing.T) {
	t.Parallel()
	p := startHello(t, "STARTUP_DELAY=1h")
	p.waitForLog(t, `msg="delaying startup"`)
	p.signal(t, syscall.SIGTERM)
	if code := p.exitCode(t); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	if out := p.out.String(); strings.Contains(out, "listening on") {
		t.Errorf("hello listened although stopped during its startup delay:\n%s", out)
	}
}

func TestHealthcheckFlag(t *testing.T) {
	t.Parallel()
	failFile := filepath.Join(t.TempDir(), "fail")
	p := startHello(t, "FAIL_HEALTH_FILE="+failFile)
	_, port, err := net.SplitHostPort(p.addr(t))
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name     string
		do       func(t *testing.T)
		env      string
		wantCode int
	}{
		{name: "healthy", env: "PORT=" + port, wantCode: 0},
		{name: "healthy by LISTEN_ADDR", env: "LISTEN_ADDR=:" + port, wantCode: 0},
		{name: "fail file created", do: func(t *testing.T) { writeFile(t, failFile) }, env: "PORT=" + port, wantCode: 1},
		{name: "fail file removed", do: func(t *testing.T) {
			if err := os.Remove(failFile); err != nil {
				t.Fatal(err)
			}
		}, env: "PORT=" + port, wantCode: 0},
		{name: "nothing listening", env: fmt.Sprintf("PORT=%d", freePort(t)), wantCode: 1},
	}
	for _, s := range steps {
		if s.do != nil {
			s.do(t)
		}
		cmd := exec.Command(helloBin, "-healthcheck")
		cmd.Env = helloEnv(s.env)
		out, err := cmd.CombinedOutput()
		code := 0
		if exitErr, ok := errors.AsType[*exec.ExitError](err); ok {
			code = exitErr.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != s.wantCode {
			t.Errorf("%s: hello -healthcheck exited %d, want %d; output:\n%s", s.name, code, s.wantCode, out)
		}
	}
}

// freePort returns a port nothing listens on, as far as one can tell.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
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
