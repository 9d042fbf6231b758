package process_test

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/runtime"
	"github.com/fargohq/fargo/internal/runtime/drivertest"
	"github.com/fargohq/fargo/internal/runtime/process"
)

const patience = 20 * time.Second

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	t.Cleanup(cancel)
	return ctx
}

// fileState is what the tests read of state.json.
type fileState struct {
	Status  string `json:"status"`
	ShimPID int    `json:"shimPid"`
	PID     int    `json:"pid"`
}

func readFileState(t *testing.T, stateDir, id string) fileState {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(stateDir, "containers", id, "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s fileState
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// stat returns fields of /proc/<pid>/stat after the command name: [0] is the state, [1] the
// parent, [2] the process group, [3] the session.
func stat(pid int) ([]string, bool) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil, false
	}
	fields := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
	return fields, fields[0] != "Z"
}

func running(pid int) bool {
	_, ok := stat(pid)
	return ok
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func dialable(port int) bool {
	c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second)
	if err != nil {
		return false
	}
	_ = c.Close()
	return true
}

// startListener starts a container whose child process listens on its port, and waits until
// it does.
func startListener(t *testing.T, d *process.Driver, id string) runtime.Status {
	t.Helper()
	spec := images(t).Run(drivertest.Program{Listen: true, Child: true, Forever: true})
	spec.ID = id
	spec.PortMappings = []runtime.PortMapping{{ContainerPort: 80}}
	st, err := d.Start(ctxFor(t), spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = d.Stop(context.Background(), id, 0)
	})
	eventually(t, "the container to listen", func() bool { return dialable(st.Ports[0].HostPort) })
	return st
}

func TestShimIsDetached(t *testing.T) {
	t.Parallel()
	stateDir := t.TempDir()
	d := newDriver(t, testConfig(t, stateDir))
	st := startListener(t, d, "detached-app")
	s := readFileState(t, stateDir, "detached-app")
	shim, ok := stat(s.ShimPID)
	if !ok {
		t.Fatal("the shim does not run")
	}
	if shim[1] == strconv.Itoa(os.Getpid()) {
		t.Error("the shim is a child of the driver's process")
	}
	if shim[3] != strconv.Itoa(s.ShimPID) {
		t.Errorf("the shim is in session %s, want a session of its own (%d)", shim[3], s.ShimPID)
	}
	ctr, ok := stat(st.PID)
	if !ok {
		t.Fatal("the container does not run")
	}
	if ctr[1] != strconv.Itoa(s.ShimPID) || ctr[2] != strconv.Itoa(st.PID) {
		t.Errorf("container: parent %s, group %s; want the shim %d and a group of its own", ctr[1], ctr[2], s.ShimPID)
	}
}

func TestShimKilled(t *testing.T) {
	t.Parallel()
	stateDir := t.TempDir()
	d := newDriver(t, testConfig(t, stateDir))
	st := startListener(t, d, "orphan-app")
	s := readFileState(t, stateDir, "orphan-app")
	if err := syscall.Kill(s.ShimPID, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	// The main process dies with its shim (PR_SET_PDEATHSIG); the driver finds the shim gone,
	// kills the rest of the group and records an unknown exit.
	eventually(t, "the main process to die", func() bool { return !running(st.PID) })
	got, err := d.Wait(ctxFor(t), "orphan-app")
	if err != nil {
		t.Fatal(err)
	}
	if got.ExitCode != -1 || got.Error == "" {
		t.Errorf("after the shim was killed: code %d, error %q; want -1 and an error", got.ExitCode, got.Error)
	}
	eventually(t, "the child to stop listening", func() bool { return !dialable(st.Ports[0].HostPort) })
}

func TestShimTerminated(t *testing.T) {
	t.Parallel()
	stateDir := t.TempDir()
	d := newDriver(t, testConfig(t, stateDir))
	st := startListener(t, d, "term-app")
	s := readFileState(t, stateDir, "term-app")
	if err := syscall.Kill(s.ShimPID, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	got, err := d.Wait(ctxFor(t), "term-app")
	if err != nil {
		t.Fatal(err)
	}
	if got.ExitCode != 128+int(syscall.SIGTERM) || got.Error != "" {
		t.Errorf("after SIGTERM to the shim: code %d, error %q; want 143 recorded by the shim", got.ExitCode, got.Error)
	}
	eventually(t, "the child to stop listening", func() bool { return !dialable(st.Ports[0].HostPort) })
}
