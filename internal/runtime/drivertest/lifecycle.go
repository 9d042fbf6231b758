package drivertest

import (
	"errors"
	"fmt"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/runtime"
)

func testStartRuns(h *harness) {
	t := h.t
	spec := h.spec("web", Program{Steps: []Step{Out("hello")}, Forever: true})
	st := h.start(spec)
	if st.State != runtime.StateRunning || st.PID <= 0 || st.StartedAt.IsZero() {
		t.Fatalf("after start: state %q, pid %d, started %v; want running with a pid and a start time", st.State, st.PID, st.StartedAt)
	}
	if st.ID != spec.ID || st.TaskID != spec.TaskID || st.Name != spec.Name || st.Labels["container"] != "web" {
		t.Fatalf("after start: identity %q/%q/%q labels %v, want those of the spec", st.ID, st.TaskID, st.Name, st.Labels)
	}
	h.awaitLine(h.drv, spec.ID, "hello")
	if got := h.inspect(spec.ID); got.State != runtime.StateRunning || got.PID != st.PID {
		t.Fatalf("inspect: state %q pid %d, want running with pid %d", got.State, got.PID, st.PID)
	}
	h.stop(h.drv, spec.ID, 10*time.Second)
	got := h.wait(h.drv, spec.ID)
	if got.PID != 0 || got.FinishedAt.Before(got.StartedAt) || got.Error != "" {
		t.Fatalf("after stop: pid %d, started %v, finished %v, error %q", got.PID, got.StartedAt, got.FinishedAt, got.Error)
	}
}

func testExitCodes(h *harness) {
	codes := []int{0, 3, 42}
	var specs []runtime.ContainerSpec
	for _, code := range codes {
		spec := h.spec(fmt.Sprintf("exit%d", code), Program{Steps: []Step{Sleep(200 * time.Millisecond)}, ExitCode: code})
		h.start(spec)
		specs = append(specs, spec)
	}
	for i, spec := range specs {
		code := codes[i]
		if st := h.wait(h.drv, spec.ID); st.ExitCode != code || st.Error != "" {
			h.t.Errorf("exit code %d, error %q; want %d and no error", st.ExitCode, st.Error, code)
		}
		if st := h.inspect(spec.ID); st.State != runtime.StateExited || st.ExitCode != code {
			h.t.Errorf("inspect after exit: state %q code %d, want exited %d", st.State, st.ExitCode, code)
		}
	}
}

func testStartFailure(h *harness) {
	t := h.t
	spec := h.images.Missing()
	spec.ID, spec.TaskID, spec.Name = "missingtask-app", "missingtask", "app"
	if _, err := h.drv.Start(h.ctx(), spec); err == nil {
		t.Fatal("start of a missing executable succeeded")
	}
	st := h.inspect(spec.ID)
	if st.State != runtime.StateExited || st.Error == "" || st.PID != 0 {
		t.Fatalf("inspect after failed start: state %q, error %q, pid %d; want exited with an error", st.State, st.Error, st.PID)
	}
	if got := h.wait(h.drv, spec.ID); got.Error == "" {
		t.Fatal("wait after failed start: no error")
	}
}

func testStopOnTerm(h *harness) {
	spec := h.spec("app", Program{Steps: []Step{Out("ready")}, Forever: true})
	h.start(spec)
	h.awaitLine(h.drv, spec.ID, "ready")
	begin := time.Now()
	h.stop(h.drv, spec.ID, time.Minute)
	if took := time.Since(begin); took > patience {
		h.t.Fatalf("stop of a program that exits on SIGTERM took %v", took)
	}
	if st := h.inspect(spec.ID); st.State != runtime.StateExited {
		h.t.Fatalf("state after stop %q, want exited", st.State)
	}
}

func testStopKillsAfterGrace(h *harness) {
	spec := h.spec("stubborn", Program{Steps: []Step{Out("ready")}, Forever: true, IgnoreTerm: true})
	h.start(spec)
	h.awaitLine(h.drv, spec.ID, "ready")
	const grace = 500 * time.Millisecond
	begin := time.Now()
	h.stop(h.drv, spec.ID, grace)
	if took := time.Since(begin); took < grace {
		h.t.Fatalf("stop returned after %v, before the grace of %v", took, grace)
	}
	if st := h.inspect(spec.ID); st.State != runtime.StateExited || st.ExitCode != 137 {
		h.t.Fatalf("after stop: state %q, code %d; want exited 137 (SIGKILL)", st.State, st.ExitCode)
	}
}

func testStopKillsGroup(h *harness) {
	spec := h.spec("parent", Program{Listen: true, Child: true, Forever: true})
	spec.PortMappings = []runtime.PortMapping{{ContainerPort: 8080, Protocol: "tcp"}}
	st := h.start(spec)
	port := st.Ports[0].HostPort
	h.eventually("the child to listen", func() bool { return dial(st.HostIP, port) })
	h.stop(h.drv, spec.ID, 5*time.Second)
	h.eventually("the child to stop listening", func() bool { return !dial(st.HostIP, port) })
}

func testStopExited(h *harness) {
	spec := h.spec("done", Program{ExitCode: 4})
	h.start(spec)
	h.wait(h.drv, spec.ID)
	h.stop(h.drv, spec.ID, time.Second)
	if st := h.inspect(spec.ID); st.ExitCode != 4 {
		h.t.Fatalf("stop of an exited container changed its exit code to %d", st.ExitCode)
	}
}

func testDuplicate(h *harness) {
	spec := h.spec("twice", Program{Forever: true})
	first := h.start(spec)
	_, err := h.drv.Start(h.ctx(), spec)
	if !errors.Is(err, errdefs.ErrAlreadyExists) {
		h.t.Fatalf("second start: %v, want ErrAlreadyExists", err)
	}
	if st := h.inspect(spec.ID); st.State != runtime.StateRunning || st.PID != first.PID {
		h.t.Fatalf("after the second start: state %q pid %d, want the first container running", st.State, st.PID)
	}
}

func testUnknown(h *harness) {
	ctx := h.ctx()
	const id = "nosuchtask-app"
	calls := map[string]error{}
	_, calls["Inspect"] = h.drv.Inspect(ctx, id)
	_, calls["Wait"] = h.drv.Wait(ctx, id)
	calls["Stop"] = h.drv.Stop(ctx, id, time.Second)
	calls["Remove"] = h.drv.Remove(ctx, id)
	_, calls["Exec"] = h.drv.Exec(ctx, id, h.images.ExecPrint("x", 0), time.Second)
	_, calls["Logs"] = h.drv.Logs(ctx, id, runtime.LogOptions{})
	for name, err := range calls {
		if !errors.Is(err, errdefs.ErrNotFound) {
			h.t.Errorf("%s of an unknown id: %v, want ErrNotFound", name, err)
		}
	}
}
