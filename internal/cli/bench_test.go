package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// benchChildEnv makes the test binary act as `fargo bench ARGS` (see TestBenchChildProcess);
// its value holds the arguments, one a line.
const benchChildEnv = "FARGO_BENCH_CHILD"

// TestBenchChildProcess is not a test: it is the target and proxy server processes that the
// benchmark tests start, run by the test binary itself.
func TestBenchChildProcess(t *testing.T) {
	args := os.Getenv(benchChildEnv)
	if args == "" {
		t.Skip("the benchmark tests' child process")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	cmd := newBenchCmd(os.Stdout, os.Stderr)
	cmd.SetArgs(strings.Split(args, "\n"))
	err := cmd.ExecuteContext(ctx)
	stop() // before os.Exit, which runs no deferred call
	if err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(1)
	}
	os.Exit(0)
}

// testSelf starts the test binary as a bench subcommand.
func testSelf(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchChildProcess$")
	cmd.Env = append(os.Environ(), benchChildEnv+"="+strings.Join(args, "\n"), "GORACE=atexit_sleep_ms=0")
	return cmd
}

// TestBenchProxy runs the whole benchmark briefly with every setup this machine has; nginx,
// HAProxy and wrk are optional. It asserts no figure, only that every setup was measured and no
// request failed.
func TestBenchProxy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		need string // a program the case needs
	}{
		{"loadtest client, text", []string{"--load", "loadtest"}, ""},
		{"wrk, docs table", []string{"--load", "wrk", "--out", "docs-table", "--setups", "direct,nginx"}, "wrk"},
		{"one worker", []string{"--load", "loadtest", "--workers", "1", "--setups", "fargo,haproxy,caddy"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.need != "" {
				if _, err := exec.LookPath(tt.need); err != nil {
					t.Skipf("%s is not installed", tt.need)
				}
			}
			var stdout, stderr bytes.Buffer
			cmd := newBenchProxyCmd(&stdout, &stderr, testSelf)
			cmd.SetArgs(append([]string{"--duration", "1s", "--rounds", "2", "--warmup", "0s", "--connections", "4"}, tt.args...))
			ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
			defer cancel()
			if err := cmd.ExecuteContext(ctx); err != nil {
				t.Fatalf("%v\n%s%s", err, stdout.String(), stderr.String())
			}
			out := stdout.String()
			setups := builtinSetups
			for i, a := range tt.args {
				if a == "--setups" {
					setups = strings.Split(tt.args[i+1], ",")
				}
			}
			for _, s := range setups {
				if s != "direct" && s != "fargo" {
					if _, err := exec.LookPath(s); err != nil {
						continue
					}
				}
				if !strings.Contains(out, s) {
					t.Errorf("the report lacks setup %s:\n%s\n%s", s, out, stderr.String())
				}
			}
			if !strings.Contains(stdout.String()+stderr.String(), "round 2/2") {
				t.Errorf("no second round:\n%s\n%s", out, stderr.String())
			}
			for _, line := range strings.Split(stdout.String()+stderr.String(), "\n") {
				if strings.HasPrefix(line, "round ") && !strings.HasSuffix(line, " 0 failed") {
					t.Errorf("requests failed: %s", line)
				}
			}
			t.Logf("\n%s%s", stderr.String(), out)
		})
	}
}

func TestBenchProxyOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"short duration", []string{"--duration", "10ms"}, "--duration"},
		{"no rounds", []string{"--rounds", "0"}, "--rounds"},
		{"output", []string{"--out", "json"}, "--out"},
		{"load", []string{"--load", "hey"}, "--load"},
		{"setup", []string{"--setups", "direct,envoy"}, "envoy"},
		{"workers", []string{"--workers", "many"}, "--workers"},
		{"missing wrk", []string{"--load", "wrk", "--wrk", "/nonexistent/wrk"}, "--load wrk"},
		{"compare without path", []string{"--compare", "before"}, "--compare"},
		{"compare with a bad label", []string{"--compare", "a b=/bin/fargo"}, "--compare"},
		{"compare as a built-in setup", []string{"--compare", "nginx=/bin/fargo"}, "already measured"},
		{"compare twice", []string{"--compare", "x=/bin/a", "--compare", "x=/bin/b"}, "already measured"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cmd := newBenchProxyCmd(io.Discard, io.Discard, func(...string) *exec.Cmd { t.Error("started a process"); return nil })
			cmd.SetArgs(tt.args)
			cmd.SilenceErrors = true
			if err := cmd.ExecuteContext(t.Context()); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one about %s", err, tt.want)
			}
		})
	}
}

func TestParseWrk(t *testing.T) {
	t.Parallel()
	const ok = `Running 10s test @ http://127.0.0.1:8080/
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.23ms  456.78us  12.34ms   78.90%
    Req/Sec    12.34k     1.23k   15.67k    70.00%
  Latency Distribution
     50%  812.00us
     75%    1.50ms
     90%    2.00ms
     99%    3.01ms
  245678 requests in 10.00s, 30.12MB read
Requests/sec:  24567.89
Transfer/sec:      3.01MB
`
	const failing = `Running 1s test @ http://127.0.0.1:8080/
    Latency     1.00s  1.00ms  2.00s   50.00%
  Latency Distribution
     50%    1.00s
     75%    1.50s
     90%    2.00s
     99%    2.00s
  12 requests in 1.00s, 1.00KB read
  Socket errors: connect 1, read 2, write 3, timeout 4
  Non-2xx or 3xx responses: 5
Requests/sec:     12.00
`
	tests := []struct {
		name    string
		out     string
		want    loadResult
		wantErr bool
	}{
		{"ok", ok, loadResult{requests: 245678, rps: 24567.89, p50: 812 * time.Microsecond, p99: 3010 * time.Microsecond, max: 12340 * time.Microsecond}, false},
		{"errors", failing, loadResult{requests: 12, failed: 15, rps: 12, p50: time.Second, p99: 2 * time.Second, max: 2 * time.Second}, false},
		{"no distribution", "  5 requests in 1.00s, 1KB read\nRequests/sec: 5.00\n", loadResult{}, true},
		{"bad unit", strings.Replace(ok, "812.00us", "812.00xx", 1), loadResult{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseWrk(tt.out)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("parseWrk = %+v, %v; want %+v (error: %v)", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestTreeCPU(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	procs := map[string]string{ // pid: stat line; utime and stime are fields 14 and 15
		"10":   "10 (nginx: master) S 1 10 10 0 -1 4194560 100 0 0 0 4 1 0 0 20 0 1 0 100 1000 10",
		"11":   "11 (nginx: worker) R 10 10 10 0 -1 4194560 100 0 0 0 200 100 0 0 20 0 1 0 100 1000 10",
		"12":   "12 (a) b) S 11 10 10 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 1 0 100 1000 10",
		"13":   "13 (other) S 1 13 13 0 -1 4194560 100 0 0 0 999 999 0 0 20 0 1 0 100 1000 10",
		"self": "not a pid",
	}
	for pid, line := range procs {
		if err := os.MkdirAll(filepath.Join(dir, pid), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, pid, "stat"), []byte(line), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		pid     int
		want    time.Duration
		wantErr bool
	}{
		{10, (4 + 1 + 200 + 100 + 7 + 3) * clockTick, false},
		{11, (200 + 100 + 7 + 3) * clockTick, false},
		{13, 1998 * clockTick, false},
		{99, 0, true},
	}
	for _, tt := range tests {
		got, err := treeCPU(dir, tt.pid)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("treeCPU(%d) = %v, %v; want %v (error: %v)", tt.pid, got, err, tt.want, tt.wantErr)
		}
	}
	if cpu, err := treeCPU("/proc", os.Getpid()); err != nil || cpu <= 0 {
		t.Errorf("this process's CPU: %v, %v", cpu, err)
	}
}

func TestBenchReport(t *testing.T) {
	t.Parallel()
	setups := []*benchSetup{{name: "direct", label: "direct"}, {name: "fargo", label: "fargo lb"}, {name: "nginx", label: "nginx/1.22.1"},
		{name: "caddy", label: "Caddy 2.6.2"}, {name: "before", label: "fargo before lb"}}
	sample := func(setup string, round int, rps float64, p99 time.Duration, cpu time.Duration) benchSample {
		return benchSample{setup: setup, round: round, proxyCPU: cpu * 1000, targetCPU: 50 * time.Millisecond,
			load: loadResult{requests: 1000, rps: rps, p50: p99 / 2, p99: p99}}
	}
	samples := []benchSample{
		sample("direct", 1, 30000, time.Millisecond, 0), sample("direct", 2, 32000, 3*time.Millisecond, 0), sample("direct", 3, 31000, 2*time.Millisecond, 0),
		sample("fargo", 1, 20000, 4*time.Millisecond, 90*time.Microsecond), sample("fargo", 2, 10000, 9*time.Millisecond, 200*time.Microsecond), sample("fargo", 3, 21000, 3*time.Millisecond, 80*time.Microsecond),
		sample("nginx", 1, 25000, 2*time.Millisecond, 40*time.Microsecond), sample("nginx", 2, 26000, 2*time.Millisecond, 50*time.Microsecond), sample("nginx", 3, 24000, 3*time.Millisecond, 45*time.Microsecond),
		sample("caddy", 1, 25000, 4*time.Millisecond, 45*time.Microsecond), sample("caddy", 2, 25000, 4*time.Millisecond, 45*time.Microsecond), sample("caddy", 3, 25000, 4*time.Millisecond, 45*time.Microsecond),
		sample("before", 1, 20000, 4*time.Millisecond, 90*time.Microsecond), sample("before", 2, 20000, 4*time.Millisecond, 90*time.Microsecond), sample("before", 3, 20000, 4*time.Millisecond, 90*time.Microsecond),
	}
	rep := newBenchReport(setups, samples, benchProxyOptions{rounds: 3, duration: time.Second, connections: 64, workers: "auto"}, "wrk 4.1.0")
	var text, md bytes.Buffer
	if err := rep.writeText(&text); err != nil {
		t.Fatal(err)
	}
	if err := rep.writeMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"fargo / nginx: CPU per request 2.00×, p99 2.00×, requests/s 0.80×", "31000", "90.0",
		"before / nginx: CPU per request 2.00×, p99 2.00×, requests/s 0.80×", "fargo / caddy: CPU per request 2.00×, p99 1.00×, requests/s 0.80×"} {
		if !strings.Contains(text.String(), want) || !strings.Contains(md.String(), want) {
			t.Errorf("reports lack %q:\n%s\n%s", want, text.String(), md.String())
		}
	}
	if strings.Contains(text.String(), "caddy / ") {
		t.Errorf("a peer compared as fargo:\n%s", text.String())
	}
	if !strings.Contains(md.String(), "| fargo lb | 20000 | 2.00 ms | 4.00 ms | 90.0 µs | 50.0 µs | 0 of 3000 |") {
		t.Errorf("Markdown row of fargo:\n%s", md.String())
	}
}

func TestBenchTargetHandler(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(benchTargetHandler("target-1"))
	t.Cleanup(srv.Close)
	tests := []struct {
		method, body, want string
	}{
		{http.MethodGet, "", "hello from target-1\n"},
		{http.MethodPost, `{"a":1}`, `{"a":1}`},
	}
	for _, tt := range tests {
		req, _ := http.NewRequestWithContext(t.Context(), tt.method, srv.URL+"/echo", strings.NewReader(tt.body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != tt.want || resp.Header.Get("X-App-Version") != "target-1" {
			t.Errorf("%s: %q (version %q), want %q", tt.method, body, resp.Header.Get("X-App-Version"), tt.want)
		}
	}
}
