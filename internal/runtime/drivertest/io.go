package drivertest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/runtime"
)

func testEnvironment(h *harness) {
	t := h.t
	envFile := filepath.Join(t.TempDir(), "app.env")
	if err := os.WriteFile(envFile, []byte("# comment\n\nFROM_FILE=file value\nOVERRIDDEN=file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := h.images.WorkDir
	if dir == "" {
		dir = t.TempDir()
	}
	spec := h.spec("env", Program{Steps: []Step{Env("PLAIN"), Env("FROM_FILE"), Env("OVERRIDDEN"), Cwd()}})
	spec.Environment = append(spec.Environment,
		runtime.EnvVar{Name: "PLAIN", Value: "two words"},
		runtime.EnvVar{Name: "OVERRIDDEN", Value: "first"},
		runtime.EnvVar{Name: "OVERRIDDEN", Value: "spec"})
	spec.EnvironmentFiles = []string{envFile}
	spec.WorkingDirectory = dir
	h.start(spec)
	h.wait(h.drv, spec.ID)
	out := texts(h.logs(h.drv, spec.ID, runtime.LogOptions{}), "stdout")
	if h.images.WorkDir == "" {
		if resolved, err := filepath.EvalSymlinks(dir); err == nil {
			dir = resolved
		}
	}
	for _, want := range []string{"PLAIN=two words", "FROM_FILE=file value", "OVERRIDDEN=spec", "cwd=" + dir} {
		if !slices.Contains(out, want) {
			t.Errorf("output %q lacks %q", out, want)
		}
	}
}

func testPorts(h *harness) {
	t := h.t
	spec := h.spec("ports", Program{
		Steps:  []Step{Env("PORT"), Env("FARGO_PORT_8080"), Env("FARGO_PORT_9090"), Env("FARGO_HOST_IP"), Out("ready")},
		Listen: true, Forever: true,
	})
	spec.PortMappings = []runtime.PortMapping{{ContainerPort: 8080, Protocol: "tcp"}, {ContainerPort: 9090}}
	st := h.start(spec)
	if len(st.Ports) != 2 || st.HostIP == "" {
		t.Fatalf("ports %+v on %q, want two mappings and a host address", st.Ports, st.HostIP)
	}
	for i, cp := range []int{8080, 9090} {
		if p := st.Ports[i]; p.ContainerPort != cp || p.HostPort <= 0 {
			t.Fatalf("mapping %d is %+v, want container port %d with a host port", i, p, cp)
		}
	}
	if st.Ports[0].HostPort == st.Ports[1].HostPort {
		t.Fatalf("both container ports got host port %d", st.Ports[0].HostPort)
	}
	if got := h.inspect(spec.ID); !slices.Equal(got.Ports, st.Ports) {
		t.Fatalf("inspect reports ports %+v, start reported %+v", got.Ports, st.Ports)
	}
	h.awaitLine(h.drv, spec.ID, "ready")
	if h.images.PortEnv {
		out := texts(h.logs(h.drv, spec.ID, runtime.LogOptions{}), "stdout")
		first, second := strconv.Itoa(st.Ports[0].HostPort), strconv.Itoa(st.Ports[1].HostPort)
		for _, want := range []string{"PORT=" + first, "FARGO_PORT_8080=" + first, "FARGO_PORT_9090=" + second, "FARGO_HOST_IP=" + st.HostIP} {
			if !slices.Contains(out, want) {
				t.Errorf("output %q lacks %q", out, want)
			}
		}
	}
	for _, p := range st.Ports {
		h.eventually("a connection to host port "+strconv.Itoa(p.HostPort), func() bool { return dial(st.HostIP, p.HostPort) })
	}
}

func testExec(h *harness) {
	t := h.t
	spec := h.spec("checked", Program{Forever: true})
	h.start(spec)
	for _, code := range []int{0, 3} {
		res, err := h.drv.Exec(h.ctx(), spec.ID, h.images.ExecPrint("hello", code), 10*time.Second)
		if err != nil {
			t.Fatalf("exec: %v", err)
		}
		if res.ExitCode != code || !strings.Contains(res.Output, "hello") {
			t.Fatalf("exec: code %d output %q, want %d and hello", res.ExitCode, res.Output, code)
		}
	}
	h.stop(h.drv, spec.ID, time.Second)
	_, err := h.drv.Exec(h.ctx(), spec.ID, h.images.ExecPrint("x", 0), time.Second)
	if !errors.Is(err, errdefs.ErrFailedPrecondition) {
		t.Fatalf("exec in an exited container: %v, want ErrFailedPrecondition", err)
	}
}

func testExecTimeout(h *harness) {
	spec := h.spec("slow", Program{Forever: true})
	h.start(spec)
	begin := time.Now()
	_, err := h.drv.Exec(h.ctx(), spec.ID, h.images.ExecSleep(time.Minute), 300*time.Millisecond)
	if !errors.Is(err, context.DeadlineExceeded) {
		h.t.Fatalf("exec past its timeout: %v, want context.DeadlineExceeded", err)
	}
	if took := time.Since(begin); took > patience {
		h.t.Fatalf("exec with a timeout of 300ms took %v", took)
	}
}

func testLogsStreams(h *harness) {
	t := h.t
	spec := h.spec("streams", Program{Steps: []Step{Out("one"), Err("two"), Out("three"), Err("four")}})
	h.start(spec)
	h.wait(h.drv, spec.ID)
	lines := h.logs(h.drv, spec.ID, runtime.LogOptions{})
	if got := texts(lines, "stdout"); !slices.Equal(got, []string{"one", "three"}) {
		t.Errorf("stdout %q, want [one three]", got)
	}
	if got := texts(lines, "stderr"); !slices.Equal(got, []string{"two", "four"}) {
		t.Errorf("stderr %q, want [two four]", got)
	}
	for _, l := range lines {
		if l.Time.IsZero() {
			t.Errorf("line %q has no time", l.Text)
		}
	}
}

func testLogsTail(h *harness) {
	spec := h.spec("tail", Program{Steps: []Step{Out("l1"), Out("l2"), Out("l3"), Out("l4"), Out("l5")}})
	h.start(spec)
	h.wait(h.drv, spec.ID)
	for tail, want := range map[int][]string{2: {"l4", "l5"}, 10: {"l1", "l2", "l3", "l4", "l5"}} {
		if got := texts(h.logs(h.drv, spec.ID, runtime.LogOptions{Tail: tail}), ""); !slices.Equal(got, want) {
			h.t.Errorf("tail %d: %q, want %q", tail, got, want)
		}
	}
}

func testLogsSince(h *harness) {
	spec := h.spec("since", Program{Steps: []Step{Out("early"), Sleep(300 * time.Millisecond), Out("late")}})
	h.start(spec)
	h.wait(h.drv, spec.ID)
	var late runtime.LogLine
	for _, l := range h.logs(h.drv, spec.ID, runtime.LogOptions{}) {
		if l.Text == "late" {
			late = l
		}
	}
	if late.Time.IsZero() {
		h.t.Fatal("no line late")
	}
	if got := texts(h.logs(h.drv, spec.ID, runtime.LogOptions{Since: late.Time}), ""); !slices.Equal(got, []string{"late"}) {
		h.t.Fatalf("since the time of late: %q, want [late]", got)
	}
}

func testLogsFollow(h *harness) {
	t := h.t
	spec := h.spec("follow", Program{
		Steps:   []Step{Out("a"), Sleep(300 * time.Millisecond), Out("b"), Sleep(300 * time.Millisecond), Out("c")},
		Forever: true,
	})
	h.start(spec)
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	r, err := h.drv.Logs(ctx, spec.ID, runtime.LogOptions{Follow: true})
	if err != nil {
		t.Fatalf("logs: %v", err)
	}
	defer r.Close()
	for _, want := range []string{"a", "b", "c"} {
		l, err := r.Next(ctx)
		if err != nil || l.Text != want || l.Stream != "stdout" {
			t.Fatalf("next: %+v, %v; want %q on stdout", l, err, want)
		}
	}
	time.AfterFunc(200*time.Millisecond, cancel)
	if l, err := r.Next(ctx); err == nil {
		t.Fatalf("next after the last line returned %+v; want an error when ctx ends", l)
	}
}
