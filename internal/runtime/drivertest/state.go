package drivertest

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/runtime"
)

func testRemove(h *harness) {
	t := h.t
	spec := h.spec("gone", Program{Steps: []Step{Out("bye")}, Forever: true})
	h.start(spec)
	if err := h.drv.Remove(h.ctx(), spec.ID); !errors.Is(err, errdefs.ErrFailedPrecondition) {
		t.Fatalf("remove of a running container: %v, want ErrFailedPrecondition", err)
	}
	h.stop(h.drv, spec.ID, time.Second)
	if err := h.drv.Remove(h.ctx(), spec.ID); err != nil {
		t.Fatalf("remove: %v", err)
	}
	if _, err := h.drv.Inspect(h.ctx(), spec.ID); !errors.Is(err, errdefs.ErrNotFound) {
		t.Fatalf("inspect after remove: %v, want ErrNotFound", err)
	}
	if _, err := h.drv.Logs(h.ctx(), spec.ID, runtime.LogOptions{}); !errors.Is(err, errdefs.ErrNotFound) {
		t.Fatalf("logs after remove: %v, want ErrNotFound", err)
	}
	if err := h.drv.Remove(h.ctx(), spec.ID); !errors.Is(err, errdefs.ErrNotFound) {
		t.Fatalf("second remove: %v, want ErrNotFound", err)
	}
	for _, st := range h.list(h.drv) {
		if st.ID == spec.ID {
			t.Fatal("list still shows the removed container")
		}
	}
	// The ID can be used again.
	h.start(spec)
}

func testList(h *harness) {
	t := h.t
	if got := h.list(h.drv); len(got) != 0 {
		t.Fatalf("a new driver lists %d containers", len(got))
	}
	running := h.spec("running", Program{Forever: true})
	exited := h.spec("exited", Program{ExitCode: 2})
	h.start(running)
	h.start(exited)
	h.wait(h.drv, exited.ID)
	got := map[string]runtime.Status{}
	for _, st := range h.list(h.drv) {
		got[st.ID] = st
	}
	if len(got) != 2 {
		t.Fatalf("list has %d containers, want 2", len(got))
	}
	if st := got[running.ID]; st.State != runtime.StateRunning || st.TaskID != running.TaskID || st.Labels["container"] != "running" {
		t.Errorf("running container listed as %+v", st)
	}
	if st := got[exited.ID]; st.State != runtime.StateExited || st.ExitCode != 2 || st.Name != "exited" {
		t.Errorf("exited container listed as %+v", st)
	}
}

func (h *harness) list(drv runtime.Driver) []runtime.Status {
	h.t.Helper()
	all, err := drv.List(h.ctx())
	if err != nil {
		h.t.Fatalf("list: %v", err)
	}
	return all
}

// testReadopt starts containers with one driver and drops it without stopping anything; a
// second driver on the same state must take them over.
func testReadopt(h *harness) {
	t := h.t
	long := h.spec("long", Program{Steps: []Step{Out("first words"), Out("ready")}, Forever: true, IgnoreTerm: true})
	later := h.spec("later", Program{Steps: []Step{Out("ready"), Sleep(time.Second)}, ExitCode: 7})
	h.start(long)
	h.start(later)
	h.awaitLine(h.drv, long.ID, "ready")
	h.drv = nil // thrown away, as by a crash of fargo

	b := h.newDriver(t, h.stateDir)
	states := map[string]runtime.Status{}
	for _, st := range h.list(b) {
		states[st.ID] = st
	}
	if st := states[long.ID]; st.State != runtime.StateRunning || st.PID <= 0 {
		t.Fatalf("the new driver lists the running container as %+v", st)
	}
	if st := h.wait(b, later.ID); st.ExitCode != 7 {
		t.Fatalf("the new driver reports exit code %d, want 7", st.ExitCode)
	}
	if got := texts(h.logs(b, long.ID, runtime.LogOptions{}), "stdout"); len(got) < 1 || got[0] != "first words" {
		t.Fatalf("logs through the new driver: %q", got)
	}
	h.stop(b, long.ID, 200*time.Millisecond)
	if st := h.wait(b, long.ID); st.ExitCode != 137 {
		t.Fatalf("stop through the new driver: exit code %d, want 137", st.ExitCode)
	}
}

// testReadoptExited checks a container that exits while no driver exists.
func testReadoptExited(h *harness) {
	spec := h.spec("brief", Program{Steps: []Step{Sleep(100 * time.Millisecond)}, ExitCode: 5})
	h.start(spec)
	h.drv = nil
	time.Sleep(time.Second)
	b := h.newDriver(h.t, h.stateDir)
	if st := h.wait(b, spec.ID); st.ExitCode != 5 || st.FinishedAt.IsZero() {
		h.t.Fatalf("the new driver reports code %d, finished %v; want 5 and a finish time", st.ExitCode, st.FinishedAt)
	}
}

// testConcurrent starts, inspects, lists, stops and removes containers from many goroutines.
func testConcurrent(h *harness) {
	const n = 6
	var specs []runtime.ContainerSpec
	for i := range n {
		specs = append(specs, h.spec(fmt.Sprintf("c%d", i), Program{Steps: []Step{Out("ready")}, Forever: true}))
	}
	each := func(f func(spec runtime.ContainerSpec) error) {
		var wg sync.WaitGroup
		for _, spec := range specs {
			wg.Go(func() {
				if err := f(spec); err != nil {
					h.t.Errorf("%s: %v", spec.ID, err)
				}
			})
		}
		wg.Wait()
	}
	listing, stopListing := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(listing)
		for {
			select {
			case <-stopListing:
				return
			default:
			}
			if _, err := h.drv.List(h.ctx()); err != nil {
				h.t.Errorf("list: %v", err)
				return
			}
		}
	}()
	each(func(spec runtime.ContainerSpec) error {
		_, err := h.drv.Start(h.ctx(), spec)
		return err
	})
	each(func(spec runtime.ContainerSpec) error {
		_, err := h.drv.Inspect(h.ctx(), spec.ID)
		return err
	})
	each(func(spec runtime.ContainerSpec) error { return h.drv.Stop(h.ctx(), spec.ID, 5*time.Second) })
	each(func(spec runtime.ContainerSpec) error { return h.drv.Remove(h.ctx(), spec.ID) })
	close(stopListing)
	<-listing
	if all := h.list(h.drv); len(all) != 0 {
		h.t.Fatalf("%d containers left after removing all", len(all))
	}
}
