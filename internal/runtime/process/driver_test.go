package process_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/runtime"
	"github.com/fargohq/fargo/internal/runtime/drivertest"
	"github.com/fargohq/fargo/internal/runtime/process"
)

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  process.Config
		ok   bool
	}{
		{"minimal", process.Config{StateDir: "/var/lib/fargo"}, true},
		{"relative state dir", process.Config{StateDir: "state"}, false},
		{"no state dir", process.Config{}, false},
		{"bad bind ip", process.Config{StateDir: "/s", BindIP: "localhost"}, false},
		{"tiny log files", process.Config{StateDir: "/s", LogMaxBytes: 10}, false},
		{"negative log files", process.Config{StateDir: "/s", LogMaxFiles: -1}, false},
		{"cgroup path", process.Config{StateDir: "/s", CgroupParent: "a/b"}, false},
		{"empty shim argument", process.Config{StateDir: "/s", ShimCommand: []string{"fargo", ""}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.cfg.Validate()
			if (err == nil) != tt.ok {
				t.Fatalf("Validate() = %v, want ok %v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, errdefs.ErrInvalidArgument) {
				t.Fatalf("Validate() = %v, want ErrInvalidArgument", err)
			}
		})
	}
}

// program returns a spec that runs p with the id.
func program(t *testing.T, id string, p drivertest.Program) runtime.ContainerSpec {
	spec := images(t).Run(p)
	spec.ID = id
	return spec
}

func output(t *testing.T, d runtime.Driver, id string) []string {
	t.Helper()
	ctx := ctxFor(t)
	r, err := d.Logs(ctx, id, runtime.LogOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []string
	for {
		l, err := r.Next(ctx)
		if err != nil {
			return out
		}
		out = append(out, l.Text)
	}
}

func TestDefaultWorkingDirectory(t *testing.T) {
	t.Parallel()
	stateDir := t.TempDir()
	d := newDriver(t, testConfig(t, stateDir))
	if _, err := d.Start(ctxFor(t), program(t, "wd-app", drivertest.Program{Steps: []drivertest.Step{drivertest.Cwd()}})); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Wait(ctxFor(t), "wd-app"); err != nil {
		t.Fatal(err)
	}
	want := "cwd=" + filepath.Join(stateDir, "containers", "wd-app", "work")
	if got := output(t, d, "wd-app"); !slices.Contains(got, want) {
		t.Fatalf("output %q, want %q", got, want)
	}
}

func TestLogRotation(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t, t.TempDir())
	cfg.LogMaxBytes, cfg.LogMaxFiles = 2048, 3
	d := newDriver(t, cfg)
	var steps []drivertest.Step
	for i := range 300 {
		steps = append(steps, drivertest.Out(fmt.Sprintf("line %03d", i)))
	}
	if _, err := d.Start(ctxFor(t), program(t, "chatty", drivertest.Program{Steps: steps})); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Wait(ctxFor(t), "chatty"); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(cfg.StateDir, "containers", "chatty")
	for _, name := range []string{"log", "log.1", "log.2"} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil || st.Size() > cfg.LogMaxBytes {
			t.Errorf("%s: %v, size %d; want a file of at most %d bytes", name, err, st.Size(), cfg.LogMaxBytes)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "log.3")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("log.3 exists (%v); only 3 files should be kept", err)
	}
	// What is left is the end of the output, in order.
	got := output(t, d, "chatty")
	if len(got) == 0 || len(got) == 300 || got[len(got)-1] != "line 299" {
		t.Fatalf("after rotation the logs hold %d lines ending %q", len(got), got[len(got)-1:])
	}
	first, _ := strconv.Atoi(strings.TrimPrefix(got[0], "line "))
	for i, text := range got {
		if want := fmt.Sprintf("line %03d", first+i); text != want {
			t.Fatalf("line %d is %q, want %q", i, text, want)
		}
	}
}

func TestStartErrors(t *testing.T) {
	t.Parallel()
	d := newDriver(t, testConfig(t, t.TempDir()))
	badEnv := filepath.Join(t.TempDir(), "bad.env")
	if err := os.WriteFile(badEnv, []byte("NOEQUALS\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		spec runtime.ContainerSpec
	}{
		{"no command", runtime.ContainerSpec{ID: "nocmd-app"}},
		{"missing env file", runtime.ContainerSpec{ID: "noenv-app", Command: []string{"true"}, EnvironmentFiles: []string{"/nonexistent.env"}}},
		{"bad env file", runtime.ContainerSpec{ID: "badenv-app", Command: []string{"true"}, EnvironmentFiles: []string{badEnv}}},
		{"missing working directory", runtime.ContainerSpec{ID: "nowd-app", Command: []string{"true"}, WorkingDirectory: "/nonexistent/dir"}},
		{"unknown user", runtime.ContainerSpec{ID: "nouser-app", Command: []string{"true"}, User: "no-such-user-here"}},
		{"not executable", runtime.ContainerSpec{ID: "noexec-app", Command: []string{"/etc/passwd"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := d.Start(ctxFor(t), tt.spec)
			if !errors.Is(err, errdefs.ErrInvalidArgument) {
				t.Fatalf("start: %v, want ErrInvalidArgument", err)
			}
			st, err := d.Inspect(ctxFor(t), tt.spec.ID)
			if err != nil || st.State != runtime.StateExited || st.Error == "" || st.ExitCode != -1 {
				t.Fatalf("inspect: %+v, %v; want exited with an error", st, err)
			}
			if err := d.Remove(ctxFor(t), tt.spec.ID); err != nil {
				t.Fatalf("remove: %v", err)
			}
		})
	}
}

func TestLongAndOddIDs(t *testing.T) {
	t.Parallel()
	d := newDriver(t, testConfig(t, t.TempDir()))
	ids := []string{strings.Repeat("a", 32) + "-" + strings.Repeat("n", 255), "../escape", ".hidden"}
	for _, id := range ids {
		if _, err := d.Start(ctxFor(t), program(t, id, drivertest.Program{ExitCode: 9})); err != nil {
			t.Fatalf("start %q: %v", id, err)
		}
	}
	for _, id := range ids {
		st, err := d.Wait(ctxFor(t), id)
		if err != nil || st.ID != id || st.ExitCode != 9 {
			t.Fatalf("wait %q: %+v, %v", id, st, err)
		}
	}
	all, err := d.List(ctxFor(t))
	if err != nil || len(all) != 3 {
		t.Fatalf("list: %d containers, %v; want 3", len(all), err)
	}
}

func TestExecForms(t *testing.T) {
	t.Parallel()
	d := newDriver(t, testConfig(t, t.TempDir()))
	spec := program(t, "exec-app", drivertest.Program{Forever: true})
	spec.Environment = append(spec.Environment, runtime.EnvVar{Name: "GREETING", Value: "hi"})
	if _, err := d.Start(ctxFor(t), spec); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Stop(ctxFor(t), "exec-app", 0) })
	tests := []struct {
		name string
		cmd  []string
		want string
		code int
		err  error
	}{
		{"shell sees the environment", []string{"CMD-SHELL", "echo $GREETING"}, "hi", 0, nil},
		{"shell in the working directory", []string{"CMD-SHELL", "basename $(pwd)"}, "work", 0, nil},
		{"argv", []string{"CMD", "sh", "-c", "echo argv; exit 2"}, "argv", 2, nil},
		{"bare argv", []string{"false"}, "", 1, nil},
		{"none", []string{"NONE"}, "", 0, errdefs.ErrInvalidArgument},
		{"empty", nil, "", 0, errdefs.ErrInvalidArgument},
		{"output is capped", []string{"CMD-SHELL", "head -c 100000 /dev/zero | tr '\\0' x"}, "", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := d.Exec(ctxFor(t), "exec-app", tt.cmd, patience)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("exec: %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil || res.ExitCode != tt.code || strings.TrimSpace(res.Output) != tt.want && len(res.Output) != 4096 {
				t.Fatalf("exec: %d %q, %v; want %d %q", res.ExitCode, res.Output, err, tt.code, tt.want)
			}
		})
	}
}

func TestUser(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("switching users needs root")
	}
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep")
	}
	// The default working directory is under the state directory: its parents must let the
	// container's user through.
	parent := t.TempDir()
	for _, dir := range []string{parent, filepath.Dir(parent)} {
		if err := os.Chmod(dir, 0o711); err != nil {
			t.Fatal(err)
		}
	}
	d := newDriver(t, testConfig(t, filepath.Join(parent, "state")))
	st, err := d.Start(ctxFor(t), runtime.ContainerSpec{ID: "nobody-app", Command: []string{sleep, "60"}, User: "65534:65534"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Stop(ctxFor(t), "nobody-app", 0) })
	status, err := os.ReadFile("/proc/" + strconv.Itoa(st.PID) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(status), "\nUid:\t65534\t") || !strings.Contains(string(status), "\nGid:\t65534\t") {
		t.Errorf("container process is not uid/gid 65534:\n%s", status)
	}
	res, err := d.Exec(ctxFor(t), "nobody-app", []string{"CMD-SHELL", "id -u"}, patience)
	if err != nil || strings.TrimSpace(res.Output) != "65534" {
		t.Errorf("exec id -u: %q, %v; want 65534", res.Output, err)
	}
}

func TestTestBinaryIsNoShim(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t, t.TempDir())
	cfg.ShimCommand = nil
	d := newDriver(t, cfg)
	_, err := d.Start(ctxFor(t), runtime.ContainerSpec{ID: "a", Command: []string{"true"}})
	if !errors.Is(err, errdefs.ErrFailedPrecondition) {
		t.Fatalf("start with this test binary as the default shim: %v, want ErrFailedPrecondition", err)
	}
}
