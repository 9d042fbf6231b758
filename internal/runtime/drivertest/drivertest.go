package drivertest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/runtime"
)

// Images tells the suite how to build containers for one driver.
type Images struct {
	// Run returns a container that runs p: its Image, EntryPoint, Command and any Environment
	// it needs. The suite sets the ID, names, ports, working directory and more environment.
	Run func(p Program) runtime.ContainerSpec
	// Missing returns a container that cannot start (its executable or image does not exist).
	Missing func() runtime.ContainerSpec
	// ExecPrint returns an Exec command that writes out to stdout and exits with code.
	ExecPrint func(out string, code int) []string
	// ExecSleep returns an Exec command that runs for d.
	ExecSleep func(d time.Duration) []string
	// WorkDir is a directory that exists in every container, for the working-directory case;
	// empty means a new temporary directory of the host.
	WorkDir string
	// PortEnv says that the driver passes the host ports as PORT (the first mapping) and
	// FARGO_PORT_<containerPort>, and the address they are bound on as FARGO_HOST_IP, as the
	// process driver does.
	PortEnv bool
}

// NewDriver returns a driver that keeps its state in stateDir. The suite calls it again with
// the same stateDir to check re-adoption: the second driver must see the first one's
// containers.
type NewDriver func(t *testing.T, stateDir string) runtime.Driver

// patience bounds every wait of the suite. It is generous: the suite runs on small, busy
// machines and asserts on outcomes, never on how fast they come.
const patience = 20 * time.Second

// Run runs the conformance suite against the drivers that newDriver makes.
func Run(t *testing.T, newDriver NewDriver, images Images) {
	if images.Run == nil || images.Missing == nil || images.ExecPrint == nil || images.ExecSleep == nil {
		t.Fatal("drivertest: Images needs Run, Missing, ExecPrint and ExecSleep")
	}
	cases := []struct {
		name string
		run  func(*harness)
	}{
		{"StartRunsUntilStopped", testStartRuns},
		{"ExitCodes", testExitCodes},
		{"StartFailure", testStartFailure},
		{"StopOnTerm", testStopOnTerm},
		{"StopKillsAfterGrace", testStopKillsAfterGrace},
		{"StopKillsProcessGroup", testStopKillsGroup},
		{"StopExitedIsNoop", testStopExited},
		{"EnvironmentAndWorkingDirectory", testEnvironment},
		{"PortMappings", testPorts},
		{"Exec", testExec},
		{"ExecTimeout", testExecTimeout},
		{"LogsStreams", testLogsStreams},
		{"LogsTail", testLogsTail},
		{"LogsSince", testLogsSince},
		{"LogsFollow", testLogsFollow},
		{"Remove", testRemove},
		{"List", testList},
		{"DuplicateStart", testDuplicate},
		{"ConcurrentUse", testConcurrent},
		{"UnknownID", testUnknown},
		{"Readopt", testReadopt},
		{"ReadoptExitedMeanwhile", testReadoptExited},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.run(newHarness(t, newDriver, images))
		})
	}
}

// harness is one case's driver, state directory and helpers.
type harness struct {
	t         *testing.T
	newDriver NewDriver
	images    Images
	stateDir  string
	drv       runtime.Driver
	tasks     int // tasks made so far, for unique ids
}

func newHarness(t *testing.T, newDriver NewDriver, images Images) *harness {
	h := &harness{t: t, newDriver: newDriver, images: images, stateDir: t.TempDir()}
	h.drv = newDriver(t, h.stateDir)
	t.Cleanup(func() { h.removeAll() })
	return h
}

// removeAll stops and removes what a case left behind, through a fresh driver, so that no
// process outlives the test.
func (h *harness) removeAll() {
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	drv := h.newDriver(h.t, h.stateDir)
	all, err := drv.List(ctx)
	if err != nil {
		h.t.Errorf("cleanup: list: %v", err)
		return
	}
	for _, st := range all {
		if err := drv.Stop(ctx, st.ID, 0); err != nil {
			h.t.Errorf("cleanup: stop %s: %v", st.ID, err)
		}
		if err := drv.Remove(ctx, st.ID); err != nil {
			h.t.Errorf("cleanup: remove %s: %v", st.ID, err)
		}
	}
}

// spec returns a container named name of a new task that runs p.
func (h *harness) spec(name string, p Program) runtime.ContainerSpec {
	spec := h.images.Run(p)
	h.tasks++
	task := fmt.Sprintf("task%04d", h.tasks)
	spec.ID, spec.TaskID, spec.Name = task+"-"+name, task, name
	spec.Labels = map[string]string{"test": h.t.Name(), "container": name}
	return spec
}

func (h *harness) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	h.t.Cleanup(cancel)
	return ctx
}

func (h *harness) start(spec runtime.ContainerSpec) runtime.Status {
	h.t.Helper()
	st, err := h.drv.Start(h.ctx(), spec)
	if err != nil {
		h.t.Fatalf("start %s: %v", spec.ID, err)
	}
	return st
}

func (h *harness) inspect(id string) runtime.Status {
	h.t.Helper()
	st, err := h.drv.Inspect(h.ctx(), id)
	if err != nil {
		h.t.Fatalf("inspect %s: %v", id, err)
	}
	return st
}

func (h *harness) wait(drv runtime.Driver, id string) runtime.Status {
	h.t.Helper()
	st, err := drv.Wait(h.ctx(), id)
	if err != nil {
		h.t.Fatalf("wait %s: %v", id, err)
	}
	if st.State != runtime.StateExited {
		h.t.Fatalf("wait %s returned state %q, want exited", id, st.State)
	}
	return st
}

func (h *harness) stop(drv runtime.Driver, id string, grace time.Duration) {
	h.t.Helper()
	if err := drv.Stop(h.ctx(), id, grace); err != nil {
		h.t.Fatalf("stop %s: %v", id, err)
	}
}

// logs reads a container's whole output as selected by opts (without Follow).
func (h *harness) logs(drv runtime.Driver, id string, opts runtime.LogOptions) []runtime.LogLine {
	h.t.Helper()
	ctx := h.ctx()
	r, err := drv.Logs(ctx, id, opts)
	if err != nil {
		h.t.Fatalf("logs %s: %v", id, err)
	}
	defer r.Close()
	var lines []runtime.LogLine
	for {
		l, err := r.Next(ctx)
		if errors.Is(err, io.EOF) {
			return lines
		}
		if err != nil {
			h.t.Fatalf("logs %s: next: %v", id, err)
		}
		lines = append(lines, l)
	}
}

// texts returns the text of the lines of stream, or of all lines when stream is "".
func texts(lines []runtime.LogLine, stream string) []string {
	var out []string
	for _, l := range lines {
		if stream == "" || l.Stream == stream {
			out = append(out, l.Text)
		}
	}
	return out
}

// awaitLine waits until the container's stdout has the line text: a program's way of saying
// that it is ready.
func (h *harness) awaitLine(drv runtime.Driver, id, text string) {
	h.t.Helper()
	h.eventually("line "+strconv.Quote(text)+" in the logs of "+id, func() bool {
		for _, l := range h.logs(drv, id, runtime.LogOptions{}) {
			if l.Text == text {
				return true
			}
		}
		return false
	})
}

// eventually polls cond until it holds, and fails the test after patience.
func (h *harness) eventually(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(patience)
	for delay := 10 * time.Millisecond; !cond(); delay = min(2*delay, 200*time.Millisecond) {
		if time.Now().After(deadline) {
			h.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(delay)
	}
}

// dial reports whether a TCP connection to ip:port succeeds.
func dial(ip string, port int) bool {
	c, err := net.DialTimeout("tcp", net.JoinHostPort(ip, strconv.Itoa(port)), time.Second)
	if err != nil {
		return false
	}
	_ = c.Close()
	return true
}
