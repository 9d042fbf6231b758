package e2e

import (
	"errors"
	"fmt"
	"maps"
	"net"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// demoTimeout bounds a run of fargo demo; it takes about a minute.
const demoTimeout = 4 * time.Minute

// TestDemo runs `fargo demo --keep` as a first-time user does: the fargo binary alone (no
// hello, no aws CLI on PATH, no AWS settings). It must tell the story (the canary's shares,
// measured requests of both versions, the broken version rolled back by the circuit breaker),
// then keep the services running (v2 behind the canary's listener, v1 behind the rolling
// one's, fargo ps through the data directory) until Ctrl-C, then end with "failed requests: 0"
// and exit 0, leaving nothing behind: no process of its tasks (neither the pids it printed nor
// any the test saw while it ran), no data directory, no port in use.
func TestDemo(t *testing.T) {
	t.Parallel()
	run := startDemo(t, "--keep")
	run.waitFor(t, "kept running (--keep)")
	m := regexp.MustCompile(`canary service at (\S+), rolling service at (\S+)`).FindStringSubmatch(run.out.String())
	if m == nil {
		t.Fatalf("the kept demo does not name its services' URLs:\n%s", run.out)
	}
	if body := httpGet(t, m[1]); !strings.HasPrefix(body, "hello from v2") {
		t.Errorf("the canary's service after the demo: %q, want v2", body)
	}
	if body := httpGet(t, m[2]); !strings.HasPrefix(body, "hello from v1") {
		t.Errorf("the rolling service after the rollback: %q, want v1", body)
	}
	ps, err := exec.Command(run.cmd.Path, "ps", "--cluster", "demo", "--data-dir", run.dataDir()).CombinedOutput()
	if err != nil || !strings.Contains(string(ps), "web-rolling") {
		t.Errorf("fargo ps on the kept demo: %v\n%s", err, ps)
	}
	if err := run.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := run.wait(t); err != nil {
		t.Fatalf("fargo demo: %v\n%s", err, run.out)
	}
	out := run.out.String()
	t.Logf("fargo demo:\n%s", out)
	for _, want := range []string{
		"start: a throw-away server at http://127.0.0.1:", "WARNING: time is scaled 12x",
		"setup: 4 tasks healthy", "CodeDeployDefault.ECSCanary10Percent5Minutes",
		"10% of traffic", "100% of traffic", "AllowTraffic: succeeded", "deployment completed",
		"deployment failed: tasks failed to start", "broken: rolled back automatically",
		"v1 serves again", "cleanup: ", "what happened", "failed requests: 0\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q", want)
		}
	}
	// While the canary holds 10%, both versions answer the load.
	if !regexp.MustCompile(`measured: v1 +\d+% v2 +\d+% `).MatchString(out) {
		t.Errorf("no measured line shows v1 and v2 answering together")
	}
	if n := matchInt(t, out, `requests served: (\d+)`); n == 0 {
		t.Errorf("requests served: 0")
	}
	run.checkNothingLeft(t)
}

// TestDemoInterrupted presses Ctrl-C (SIGINT) while the canary shifts traffic: the demo must
// say so, clean up all the same, and exit non-zero, leaving nothing behind.
func TestDemoInterrupted(t *testing.T) {
	t.Parallel()
	run := startDemo(t)
	run.waitFor(t, "canary: fargo deploy")
	if err := run.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := run.wait(t)
	out := run.out.String()
	t.Logf("fargo demo, interrupted:\n%s", out)
	if _, ok := errors.AsType[*exec.ExitError](err); !ok {
		t.Errorf("exit: %v, want a non-zero exit status", err)
	}
	for _, want := range []string{"interrupted: cleaning up", "cleanup: ", "fargo: interrupted"} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q", want)
		}
	}
	run.checkNothingLeft(t)
}

// demoRun is a running `fargo demo` and what the test saw of it.
type demoRun struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
	err  error
	// seen are the processes whose working directory was in the demo's data directory while
	// it ran (the process driver runs containers there), sampled by the test.
	mu   sync.Mutex
	seen map[int]bool
}

// startDemo runs `fargo demo` (with flags) with nothing but the fargo binary: a PATH without hello or the
// aws CLI, an empty HOME, its temporary directory inside the test's.
func startDemo(t *testing.T, flags ...string) *demoRun {
	t.Helper()
	bin := fargoBinary(t)
	r := &demoRun{out: &syncBuffer{}, done: make(chan struct{}), seen: map[int]bool{}}
	r.cmd = exec.Command(bin, append([]string{"demo"}, flags...)...)
	r.cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + t.TempDir(), "TMPDIR=" + t.TempDir()}
	r.cmd.Stdout, r.cmd.Stderr = r.out, r.out
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { // owned by r: wait receives its end
		r.err = r.cmd.Wait()
		close(r.done)
	}()
	t.Cleanup(func() {
		select {
		case <-r.done:
		default:
			_ = r.cmd.Process.Kill()
			<-r.done
		}
	})
	go r.sample()
	return r
}

// sample records the demo's task processes until it exits.
func (r *demoRun) sample() {
	for {
		if dir := r.dataDir(); dir != "" {
			for _, pid := range processesWithCwdIn(dir) {
				r.mu.Lock()
				r.seen[pid] = true
				r.mu.Unlock()
			}
		}
		select {
		case <-r.done:
			return
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (r *demoRun) dataDir() string {
	m := regexp.MustCompile(`data in (\S+),`).FindStringSubmatch(r.out.String())
	if m == nil {
		return ""
	}
	return m[1]
}

// wait waits for the demo to exit and returns its exit error.
func (r *demoRun) wait(t *testing.T) error {
	t.Helper()
	select {
	case <-r.done:
		return r.err
	case <-time.After(demoTimeout):
		t.Fatalf("fargo demo did not end within %s:\n%s", demoTimeout, r.out)
		return nil
	}
}

// waitFor waits until the demo printed s.
func (r *demoRun) waitFor(t *testing.T, s string) {
	t.Helper()
	deadline := time.Now().Add(demoTimeout)
	for !strings.Contains(r.out.String(), s) {
		select {
		case <-r.done:
			t.Fatalf("fargo demo ended before it printed %q: %v\n%s", s, r.err, r.out)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("fargo demo did not print %q within %s:\n%s", s, demoTimeout, r.out)
		}
	}
}

// checkNothingLeft checks, after the demo exited, that its data directory is gone, that no
// process it printed or the test saw runs in it any more, and that its ports are free.
func (r *demoRun) checkNothingLeft(t *testing.T) {
	t.Helper()
	out := r.out.String()
	dir := r.dataDir()
	if dir == "" {
		t.Fatalf("the demo did not say where its data directory is:\n%s", out)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the data directory %s is still there (%v)", dir, err)
	}
	r.mu.Lock()
	pids := slices.Collect(maps.Keys(r.seen))
	r.mu.Unlock()
	pids = append(pids, printedPids(out)...)
	if len(pids) == 0 {
		t.Errorf("neither the demo nor the test saw a task process")
	}
	for _, pid := range pids {
		// A pid may have been reused by now: only a process in the demo's directory is its.
		if cwd, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/cwd"); err == nil && inDir(cwd, dir) {
			t.Errorf("process %d still runs in %s", pid, cwd)
		}
	}
	if left := processesWithCwdIn(dir); len(left) > 0 {
		t.Errorf("processes %v still run in %s", left, dir)
		for _, pid := range left { // by pid, so that a failed test leaks nothing
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
	for _, port := range printedPorts(out) {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			t.Errorf("port %d of the demo is still in use: %v", port, err)
			continue
		}
		ln.Close()
	}
}

// printedPids are the task processes the demo named in its output.
func printedPids(out string) []int {
	var pids []int
	for _, m := range regexp.MustCompile(`pids \[([\d ]+)\]`).FindAllStringSubmatch(out, -1) {
		for _, f := range strings.Fields(m[1]) {
			if pid, err := strconv.Atoi(f); err == nil {
				pids = append(pids, pid)
			}
		}
	}
	return pids
}

// printedPorts are the API's and the listeners' ports the demo named.
func printedPorts(out string) []int {
	var ports []int
	for _, m := range regexp.MustCompile(`http://127\.0\.0\.1:(\d+)`).FindAllStringSubmatch(out, -1) {
		if p, err := strconv.Atoi(m[1]); err == nil && !slices.Contains(ports, p) {
			ports = append(ports, p)
		}
	}
	return ports
}

// processesWithCwdIn returns the processes whose working directory is in dir (or was, before
// it was removed).
func processesWithCwdIn(dir string) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if cwd, err := os.Readlink("/proc/" + e.Name() + "/cwd"); err == nil && inDir(cwd, dir) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// inDir reports whether the working directory cwd (as /proc shows it: " (deleted)" after a
// removed one) is dir or below it.
func inDir(cwd, dir string) bool {
	cwd = strings.TrimSuffix(cwd, " (deleted)")
	return cwd == dir || strings.HasPrefix(cwd, dir+"/")
}
