package process_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/runtime"
	"github.com/fargohq/fargo/internal/runtime/drivertest"
	"github.com/fargohq/fargo/internal/runtime/process"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func recordJSON(id string, created time.Time) string {
	return fmt.Sprintf(`{"version": 1, "id": %q, "hostIp": "127.0.0.1", "createdAt": %q, "argv": ["true"]}`, id, created.Format(time.RFC3339Nano))
}

// TestPIDReuse gives the driver a container whose shim and main process ids now belong to
// another process: it must report the container exited and leave that process alone.
func TestPIDReuse(t *testing.T) {
	t.Parallel()
	stateDir := t.TempDir()
	other := exec.Command("sleep", "60")
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Process.Kill(); _ = other.Wait() })
	pid := other.Process.Pid
	dir := filepath.Join(stateDir, "containers", "reused-app")
	writeFile(t, filepath.Join(dir, "container.json"), recordJSON("reused-app", time.Now()))
	writeFile(t, filepath.Join(dir, "state.json"), fmt.Sprintf(
		`{"version": 1, "status": "running", "shimPid": %d, "shimStart": 1, "pid": %d, "pidStart": 1}`, pid, pid))

	d := newDriver(t, testConfig(t, stateDir))
	st, err := d.Inspect(ctxFor(t), "reused-app")
	if err != nil {
		t.Fatal(err)
	}
	if st.State != runtime.StateExited || st.ExitCode != -1 || st.Error == "" {
		t.Fatalf("status %+v, want exited with an unknown exit code", st)
	}
	time.Sleep(100 * time.Millisecond)
	if !running(pid) {
		t.Fatal("the driver killed a process that reused the container's pid")
	}
	if err := d.Stop(ctxFor(t), "reused-app", 0); err != nil {
		t.Fatal(err)
	}
	if !running(pid) {
		t.Fatal("stop killed a process that reused the container's pid")
	}
}

// TestHalfWrittenStateDir starts a driver on what crashes and strangers leave behind.
func TestHalfWrittenStateDir(t *testing.T) {
	t.Parallel()
	stateDir := t.TempDir()
	containers := filepath.Join(stateDir, "containers")
	writeFile(t, filepath.Join(containers, "interrupted", "log"), "")
	writeFile(t, filepath.Join(containers, ".removing-old-1234", "log"), "")
	writeFile(t, filepath.Join(containers, "garbage", "container.json"), "{")
	writeFile(t, filepath.Join(containers, "mismatch", "container.json"), recordJSON("other", time.Now()))
	writeFile(t, filepath.Join(containers, "stray-file"), "x")
	writeFile(t, filepath.Join(containers, "never", "container.json"), recordJSON("never", time.Now().Add(-time.Hour)))
	writeFile(t, filepath.Join(containers, "fresh", "container.json"), recordJSON("fresh", time.Now()))
	writeFile(t, filepath.Join(containers, "badstate", "container.json"), recordJSON("badstate", time.Now()))
	writeFile(t, filepath.Join(containers, "badstate", "state.json"), "not json")

	d := newDriver(t, testConfig(t, stateDir))
	for _, gone := range []string{"interrupted", ".removing-old-1234"} {
		if _, err := os.Stat(filepath.Join(containers, gone)); !os.IsNotExist(err) {
			t.Errorf("%s was not cleaned up: %v", gone, err)
		}
	}
	all, err := d.List(ctxFor(t))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]runtime.Status{}
	for _, st := range all {
		got[st.ID] = st
	}
	if len(got) != 2 {
		t.Errorf("list: %+v, want only never and fresh", all)
	}
	if st := got["never"]; st.State != runtime.StateExited || st.Error == "" {
		t.Errorf("a container whose shim never ran: %+v, want exited with an error", st)
	}
	if st := got["fresh"]; st.State != runtime.StateCreated {
		t.Errorf("a container being started: %+v, want created", st)
	}
	if _, err := d.Inspect(ctxFor(t), "badstate"); err == nil {
		t.Error("inspect of an unreadable state succeeded")
	}
	if err := d.Remove(ctxFor(t), "never"); err != nil {
		t.Errorf("remove of a container that never started: %v", err)
	}
}

// cgroup2Root returns a writable cgroup v2 mount of this machine, or skips the test.
func cgroup2Root(t *testing.T) string {
	for _, root := range []string{"/sys/fs/cgroup", "/sys/fs/cgroup/unified"} {
		var fs syscall.Statfs_t
		if syscall.Statfs(root, &fs) == nil && fs.Type == 0x63677270 && syscall.Access(root, 2) == nil {
			return root
		}
	}
	t.Skip("no writable cgroup v2 mount")
	return ""
}

// whyNoLimits says why the cpu and memory controllers cannot limit cgroups created under root
// (a cgroup v2 directory), or returns "" when they can: root offers them (cgroup.controllers)
// and can enable them for its children, because they are enabled already, root is the
// hierarchy's root, or root holds no process of its own (cgroup v2 lets only a cgroup without
// processes pass controllers on to its children).
func whyNoLimits(t *testing.T, root string) string {
	t.Helper()
	read := func(name string) []string {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		return strings.Fields(string(data))
	}
	offered, enabled := read("cgroup.controllers"), read("cgroup.subtree_control")
	var missing []string
	for _, c := range []string{"cpu", "memory"} {
		if !slices.Contains(offered, c) {
			missing = append(missing, c)
		}
	}
	_, err := os.Stat(filepath.Join(root, "cgroup.type")) // every cgroup has one but the root
	isRoot := errors.Is(err, fs.ErrNotExist)
	switch {
	case len(missing) > 0:
		return fmt.Sprintf("%s offers the controllers %q, without %s: a cgroup v1 hierarchy holds them (see /proc/self/cgroup), or they are not delegated here",
			root, offered, strings.Join(missing, " and "))
	case slices.Contains(enabled, "cpu") && slices.Contains(enabled, "memory"), isRoot:
		return ""
	case len(read("cgroup.procs")) > 0:
		return fmt.Sprintf("%s holds processes, so it cannot enable the cpu and memory controllers for child cgroups", root)
	}
	return ""
}

// TestWhyNoLimits pins TestCgroups' choice between skipping its limit checks and failing them,
// on cgroup directories as the kernel lays them out.
func TestWhyNoLimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		files    map[string]string
		wantSkip bool
	}{
		{"hybrid: v1 holds cpu and memory", map[string]string{"cgroup.controllers": "hugetlb\n", "cgroup.subtree_control": "", "cgroup.procs": ""}, true},
		{"v1 holds memory only", map[string]string{"cgroup.controllers": "cpu io\n", "cgroup.subtree_control": "", "cgroup.procs": ""}, true},
		{"v2 root", map[string]string{"cgroup.controllers": "cpuset cpu io memory pids\n", "cgroup.subtree_control": "", "cgroup.procs": "1\n"}, false},
		{"delegated, enabled", map[string]string{"cgroup.controllers": "cpu memory\n", "cgroup.subtree_control": "cpu memory\n", "cgroup.procs": "7\n", "cgroup.type": "domain\n"}, false},
		{"delegated, no processes", map[string]string{"cgroup.controllers": "cpu memory\n", "cgroup.subtree_control": "", "cgroup.procs": "", "cgroup.type": "domain\n"}, false},
		{"delegated, with processes", map[string]string{"cgroup.controllers": "cpu memory\n", "cgroup.subtree_control": "", "cgroup.procs": "7\n", "cgroup.type": "domain\n"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, content := range tt.files {
				writeFile(t, filepath.Join(dir, name), content)
			}
			if why := whyNoLimits(t, dir); (why != "") != tt.wantSkip {
				t.Errorf("whyNoLimits = %q, want a reason: %v", why, tt.wantSkip)
			}
		})
	}
}

// TestCgroups checks that a container runs in a cgroup of its own that goes with it, and, where
// the machine lets fargo limit containers, that the cgroup has the task's limits.
func TestCgroups(t *testing.T) {
	t.Parallel()
	root := cgroup2Root(t)
	noLimits := whyNoLimits(t, root) // read before the driver changes root's subtree_control
	cfg := testConfig(t, t.TempDir())
	cfg.DisableCgroups = false
	cfg.CgroupRoot = root
	cfg.CgroupParent = fmt.Sprintf("fargo-test-%d-%d", os.Getpid(), time.Now().UnixNano())
	parent := filepath.Join(root, cfg.CgroupParent)
	t.Cleanup(func() { _ = os.Remove(parent) })
	d := newDriver(t, cfg)

	spec := program(t, "limited-app", drivertest.Program{Forever: true})
	spec.CPU, spec.Memory, spec.MemoryReservation = 512, 64, 32
	st, err := d.Start(ctxFor(t), spec)
	if err != nil {
		t.Fatal(err)
	}
	cg := filepath.Join(parent, "limited-app")
	data, err := os.ReadFile("/proc/" + strconv.Itoa(st.PID) + "/cgroup")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "0::/"+cfg.CgroupParent+"/limited-app\n") {
		t.Errorf("the container is not in %s:\n%s", cg, data)
	}
	t.Run("limits", func(t *testing.T) {
		if noLimits != "" {
			t.Skip(noLimits)
		}
		for file, want := range map[string]string{"memory.max": "67108864", "memory.low": "33554432", "cpu.max": "50000 100000"} {
			got, err := os.ReadFile(filepath.Join(cg, file))
			if err != nil || strings.TrimSpace(string(got)) != want {
				t.Errorf("%s = %q, %v; want %q", file, got, err, want)
			}
		}
	})
	if err := d.Stop(ctxFor(t), "limited-app", 0); err != nil {
		t.Fatal(err)
	}
	if err := d.Remove(ctxFor(t), "limited-app"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(cg); !os.IsNotExist(err) {
		t.Errorf("the cgroup outlived its container: %v", err)
	}
}

// TestNoCgroups checks that an unusable cgroup root is no reason to fail, and is said once.
func TestNoCgroups(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t, t.TempDir())
	cfg.DisableCgroups = false
	cfg.CgroupRoot = t.TempDir() // not a cgroup mount
	var logs lockedBuffer
	d, err := process.New(cfg, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"unlimited-a", "unlimited-b"} {
		spec := program(t, id, drivertest.Program{})
		spec.Memory, spec.CPU = 64, 256
		if _, err := d.Start(ctxFor(t), spec); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Wait(ctxFor(t), id); err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(logs.String(), "level=WARN"); n != 1 {
		t.Fatalf("%d warnings, want 1:\n%s", n, logs.String())
	}
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
