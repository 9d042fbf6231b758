package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	binDir    string
	buildErr  error
)

// TestMain refuses a FARGO_E2E that is neither on nor off: a typo must not skip every
// end-to-end test in silence.
func TestMain(m *testing.M) {
	if _, err := e2eEnabled(os.Getenv("FARGO_E2E")); err != nil {
		fmt.Fprintln(os.Stderr, "test/e2e:", err)
		os.Exit(2)
	}
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir) // the built binaries: over 100 MB a run
	}
	os.Exit(code)
}

// e2eEnabled reads FARGO_E2E: unset or empty is off; 1, true, yes and on are on; 0, false,
// no and off are off (in any case); anything else is an error.
func e2eEnabled(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true, nil
	case "", "0", "false", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("FARGO_E2E=%q: want 1, true, yes or on to run the end-to-end tests, 0, false, no or off to skip them", v)
}

// fargoBinary builds ./cmd/fargo once per test run.
func fargoBinary(t testing.TB) string {
	t.Helper()
	on, err := e2eEnabled(os.Getenv("FARGO_E2E"))
	if err != nil {
		t.Fatal(err)
	}
	if !on {
		t.Skip("end-to-end tests run with FARGO_E2E=1")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "fargo-e2e-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binDir, binPath = dir, filepath.Join(dir, "fargo")
		// hello is the example app the task definitions run through PATH.
		out, err := exec.Command("go", "build", "-o", dir+"/", "../../cmd/fargo", "../../examples/hello").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// server is a fargo server process started by a test.
type server struct {
	bin     string
	dataDir string
	cmd     *exec.Cmd
	logs    *syncBuffer
	env     []string // the exports of `fargo env`, as KEY=VALUE
	// netns, when set, is the network namespace the aws CLI runs in to reach the server.
	netns string
}

// startServer runs `fargo server` on a free port with dataDir (and extra flags) and waits
// until it answers.
func startServer(t testing.TB, dataDir string, flags ...string) *server {
	t.Helper()
	return startServerWith(t, fargoBinary(t), dataDir, flags...)
}

// startServerWith is startServer with another build of fargo.
func startServerWith(t testing.TB, bin, dataDir string, flags ...string) *server {
	t.Helper()
	s := launchServer(t, bin, dataDir, flags...)
	s.waitStarted(t)
	return s
}

// launchServer runs `fargo server` on a free port with dataDir (and extra flags) and returns
// at once; waitStarted waits until it answers. Members of a cluster start together, since none
// answers before a quorum of them runs.
func launchServer(t testing.TB, bin, dataDir string, flags ...string) *server {
	t.Helper()
	s := &server{bin: bin, dataDir: dataDir, logs: &syncBuffer{}}
	_ = os.Remove(filepath.Join(dataDir, "server.json"))
	s.cmd = exec.Command(s.bin, append([]string{"server", "--data-dir", dataDir, "--api-addr", "127.0.0.1:0"}, flags...)...)
	s.cmd.Env = append(os.Environ(), "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Cleanups run last-registered first: stop the server, then end by PID any task process it
	// left, so no test leaks processes (tasks outlive fargo by design).
	t.Cleanup(func() { killTaskProcesses(dataDir) })
	t.Cleanup(func() { s.stop(t) })
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", s.logs)
			if dp, err := os.ReadFile(filepath.Join(dataDir, "dataplane", "dataplane.log")); err == nil {
				t.Logf("data plane log:\n%s", dp)
			}
		}
	})
	return s
}

// waitStarted waits until the server has published its endpoint, and reads `fargo env`.
func (s *server) waitStarted(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(s.dataDir, "server.json")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not start:\n%s", s.logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.env = s.fargoEnv(t)
}

func (s *server) stop(t testing.TB) {
	t.Helper()
	if s.cmd.ProcessState != nil {
		return
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("server exited with %v:\n%s", err, s.logs)
		}
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
		t.Errorf("server did not stop on SIGINT:\n%s", s.logs)
	}
}

// fargoEnv runs `fargo env` and parses its export lines.
func (s *server) fargoEnv(t testing.TB) []string {
	t.Helper()
	out, err := exec.Command(s.bin, "env", "--data-dir", s.dataDir).Output()
	if err != nil {
		t.Fatalf("fargo env: %v", err)
	}
	var env []string
	for _, line := range strings.Split(string(out), "\n") {
		kv, ok := strings.CutPrefix(line, "export ")
		if !ok {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		env = append(env, k+"="+strings.Trim(v, "'"))
	}
	return env
}

func (s *server) endpoint() string {
	for _, kv := range s.env {
		if v, ok := strings.CutPrefix(kv, "AWS_ENDPOINT_URL="); ok {
			return v
		}
	}
	return ""
}

// awsResult is the outcome of one aws CLI call.
type awsResult struct {
	stdout, stderr string
	err            error
}

// aws runs the aws CLI with the server's environment (and extra variables) and an isolated
// config, so nothing of the machine's own AWS setup leaks in.
func (s *server) aws(t testing.TB, extraEnv []string, args ...string) awsResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	argv := append([]string{"aws"}, append(args, "--endpoint-url", s.endpoint(), "--output", "json")...)
	if s.netns != "" {
		argv = append([]string{"ip", "netns", "exec", s.netns}, argv...)
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	home := t.TempDir()
	cmd.Env = append([]string{"HOME=" + home, "PATH=" + binDir + string(os.PathListSeparator) + os.Getenv("PATH"),
		"AWS_CONFIG_FILE=" + filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials"),
		"AWS_MAX_ATTEMPTS=1", "AWS_PAGER="}, s.env...)
	cmd.Env = append(cmd.Env, extraEnv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return awsResult{stdout: stdout.String(), stderr: stderr.String(), err: err}
}

// awsJSON runs the aws CLI, fails the test on error and decodes the JSON output.
func (s *server) awsJSON(t testing.TB, args ...string) map[string]any {
	t.Helper()
	r := s.aws(t, nil, args...)
	if r.err != nil {
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), r.err, r.stderr)
	}
	var out map[string]any
	if strings.TrimSpace(r.stdout) == "" {
		return out
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("aws %s: bad JSON %q", strings.Join(args, " "), r.stdout)
	}
	return out
}

// get walks a decoded JSON value by map keys and list indexes.
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

// syncBuffer collects a process's output; tests read it while the process still writes.
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

// killTaskProcesses kills the processes whose environment points at the task metadata endpoint
// of the server of dataDir: the tasks it ran.
func killTaskProcesses(dataDir string) {
	data, err := os.ReadFile(filepath.Join(dataDir, "node.json"))
	if err != nil {
		return
	}
	var node struct {
		MetadataAddr string `json:"metadataAddr"`
	}
	if json.Unmarshal(data, &node) != nil || node.MetadataAddr == "" {
		return
	}
	killProcessesWithEnvPrefix("ECS_CONTAINER_METADATA_URI_V4=http://" + node.MetadataAddr + "/")
	// The containers' supervisors (runtime shims) name their state directory, inside dataDir.
	killProcessesWithArg(dataDir)
}

// killProcessesWithArg ends, by PID, the processes with a command-line argument inside dir,
// and waits a moment for them to go, so that the test's temporary directory can be removed.
func killProcessesWithArg(dir string) {
	entries, _ := os.ReadDir("/proc")
	var killed []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		cmdline, err := os.ReadFile(procFile(e.Name(), "cmdline"))
		if err != nil || !bytes.Contains(cmdline, []byte(dir)) {
			continue
		}
		if syscall.Kill(pid, syscall.SIGKILL) == nil {
			killed = append(killed, pid)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for _, pid := range killed {
		for syscall.Kill(pid, 0) == nil && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// procFile is the path of file in process pid's directory of /proc.
func procFile(pid, file string) string { return "/proc/" + pid + "/" + file }
