package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// lookBenchTool returns the path of nginx, HAProxy, Caddy or wrk, or skips the test where it
// is not installed (.ci/run installs all four).
func lookBenchTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed (.ci/run installs it): %v", name, err)
	}
	return path
}

// TestBenchConfigs has nginx, HAProxy and Caddy check the configurations that the proxy
// benchmark generates for them: nginx -t, haproxy -c with warnings as errors (-dW), and caddy
// validate, which also provisions every module as caddy run would.
func TestBenchConfigs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tool, workers string
	}{
		{"nginx", "auto"},
		{"nginx", "2"},
		{"haproxy", "auto"},
		{"haproxy", "2"},
		{"caddy", "auto"},
		{"caddy", "2"},
	}
	for _, tt := range tests {
		t.Run(tt.tool+" workers "+tt.workers, func(t *testing.T) {
			t.Parallel()
			bin := lookBenchTool(t, tt.tool)
			dir := t.TempDir()
			env := benchEnv{dir: dir, targets: []string{"127.0.0.1:18081", "127.0.0.1:18082"}, workers: tt.workers, connections: 64}
			const addr = "127.0.0.1:18080" // neither check binds it
			var cmd *exec.Cmd
			switch tt.tool {
			case "nginx":
				conf := filepath.Join(dir, "nginx.conf")
				writeTestFile(t, conf, nginxConfig(env, addr))
				cmd = exec.Command(bin, "-t", "-p", dir, "-c", conf, "-e", "stderr")
			case "haproxy":
				conf := filepath.Join(dir, "haproxy.cfg")
				writeTestFile(t, conf, haproxyConfig(env, addr))
				cmd = exec.Command(bin, "-dW", "-c", "-f", conf)
			case "caddy":
				conf := filepath.Join(dir, "Caddyfile")
				writeTestFile(t, conf, caddyConfig(env, addr))
				cmd = caddyCmd(env, bin, "validate", conf)
			}
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", cmd, err, out)
			}
			t.Logf("%s:\n%s", cmd, out)
		})
	}
}

func writeTestFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBenchSetups starts every setup of the proxy benchmark for real, one worker each: the two
// targets, fargo's proxy-server, and nginx, HAProxy and Caddy with their generated
// configurations where they are installed. Every server must answer, each proxy with both targets' answers,
// and one short round through all of them must give a report with a measured, failure-free
// row per setup.
func TestBenchSetups(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	targets, err := startBenchTargets(ctx, testSelf)
	for _, tg := range targets {
		t.Cleanup(tg.stop)
	}
	if err != nil {
		t.Fatal(err)
	}
	env := benchEnv{dir: t.TempDir(), workers: "1", connections: 2, self: testSelf}
	for _, tg := range targets {
		env.targets = append(env.targets, tg.addr)
	}
	var setups []*benchSetup
	parent := t // the setups serve the round after the subtests
	for _, name := range builtinSetups {
		t.Run(name, func(t *testing.T) {
			binary := ""
			if slices.Contains(peerSetups, name) {
				binary = lookBenchTool(t, name)
			}
			s, err := startBenchSetup(ctx, env, name, binary)
			if err != nil {
				t.Fatal(err)
			}
			if s.proxy != nil {
				parent.Cleanup(s.proxy.stop)
			}
			want := []string{"target-1", "target-2"}
			if name == "direct" {
				want = want[:1]
			}
			checkBenchAnswers(t, s.url, want)
			setups = append(setups, s)
		})
	}
	if t.Failed() {
		return
	}

	var progress bytes.Buffer
	run := benchRun{load: inProcessLoad{connections: env.connections}, targets: targets, setups: setups, out: &progress}
	samples, err := run.rounds(ctx, 1, time.Second)
	if err != nil {
		t.Fatalf("%v\n%s", err, progress.String())
	}
	opts := benchProxyOptions{rounds: 1, duration: time.Second, connections: env.connections, workers: env.workers}
	rep := newBenchReport(setups, samples, opts, inProcessLoad{connections: env.connections}.name())
	if len(rep.rows) != len(setups) {
		t.Fatalf("%d rows for %d setups:\n%s", len(rep.rows), len(setups), progress.String())
	}
	for _, row := range rep.rows {
		switch {
		case row.requests == 0 || row.rps <= 0 || row.p50 <= 0:
			t.Errorf("%s: no load measured: %+v", row.setup, row)
		case row.failed != 0:
			t.Errorf("%s: %d of %d requests failed", row.setup, row.failed, row.requests)
		case row.targetCPU <= 0 || row.setup != "direct" && row.proxyCPU <= 0:
			t.Errorf("%s: no CPU time measured: proxy %v, targets %v per request", row.setup, row.proxyCPU, row.targetCPU)
		}
	}
	var text, md bytes.Buffer
	if err := rep.writeText(&text); err != nil {
		t.Fatal(err)
	}
	if err := rep.writeMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, s := range setups {
		if !strings.Contains(md.String(), "| "+s.label+" | ") {
			t.Errorf("the Markdown report has no row for %s:\n%s", s.label, md.String())
		}
	}
	if slices.ContainsFunc(setups, func(s *benchSetup) bool { return s.name == "nginx" }) &&
		!strings.Contains(text.String(), "fargo / nginx: CPU per request") {
		t.Errorf("the report does not compare fargo with nginx:\n%s", text.String())
	}
	t.Logf("\n%s%s", progress.String(), text.String())
}

// checkBenchAnswers sends GETs and a POST to url until each of the named targets has answered
// a GET, within 15 s (fargo's proxy sends traffic to a target once its first health check
// passed). Every answer must come whole from a target.
func checkBenchAnswers(t *testing.T, url string, want []string) {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second}
	seen := map[string]bool{}
	deadline := time.Now().Add(15 * time.Second)
	for len(seen) < len(want) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: answers from %v after 15 s, want every one of %v", url, seen, want)
		}
		version, body := benchRequest(t, client, http.MethodGet, url, "")
		if !slices.Contains(want, version) || body != "hello from "+version+"\n" {
			t.Fatalf("GET %s: %q from %q, want the greeting of one of %v", url, body, version, want)
		}
		seen[version] = true
	}
	const echo = `{"bench":true}`
	if version, body := benchRequest(t, client, http.MethodPost, url, echo); !slices.Contains(want, version) || body != echo {
		t.Fatalf("POST %s: %q from %q, want %q back from one of %v", url, body, version, echo, want)
	}
}

// benchRequest sends one request and returns the answering target's X-App-Version and the
// body; it fails the test on any status but 200.
func benchRequest(t *testing.T, client *http.Client, method, url, body string) (version, got string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %s, %v: %s", method, url, resp.Status, err, b)
	}
	return resp.Header.Get("X-App-Version"), string(b)
}

// TestBenchProxyCompare measures another fargo build's load balancer next to direct
// (--compare): a script that stands for that build's binary runs this test binary as the
// benchmark's proxy-server.
func TestBenchProxyCompare(t *testing.T) {
	t.Parallel()
	other := filepath.Join(t.TempDir(), "fargo")
	writeTestFile(t, other, `#!/bin/sh
# fargo bench ARGS... as the test binary's benchmark child process (TestBenchChildProcess)
[ "$1" = bench ] || exit 2
shift
export `+benchChildEnv+`="$(printf '%s\n' "$@")" GORACE=atexit_sleep_ms=0
exec '`+os.Args[0]+`' -test.run='^TestBenchChildProcess$'
`)
	if err := os.Chmod(other, 0o755); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := newBenchProxyCmd(&stdout, &stderr, testSelf)
	cmd.SetArgs([]string{"--setups", "direct", "--compare", "other=" + other, "--load", "loadtest",
		"--duration", "1s", "--rounds", "1", "--warmup", "0s", "--connections", "2", "--out", "docs-table"})
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	if err := cmd.ExecuteContext(ctx); err != nil {
		t.Fatalf("%v\n%s%s", err, stdout.String(), stderr.String())
	}
	for _, want := range []string{"| direct to one target | ", "| fargo other internal/lb (GOMAXPROCS auto), 2 targets | "} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("the report has no row %q:\n%s", want, stdout.String())
		}
	}
	for _, line := range strings.Split(stderr.String(), "\n") {
		if strings.HasPrefix(line, "round ") && !strings.HasSuffix(line, " 0 failed") {
			t.Errorf("requests failed: %s", line)
		}
	}
	if !strings.Contains(stderr.String(), "round 1/1  other ") {
		t.Errorf("no round of setup other:\n%s", stderr.String())
	}
	t.Logf("\n%s%s", stderr.String(), stdout.String())
}
