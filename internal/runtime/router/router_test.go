package router_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/runtime"
	"github.com/fargohq/fargo/internal/runtime/docker"
	"github.com/fargohq/fargo/internal/runtime/drivertest"
	"github.com/fargohq/fargo/internal/runtime/fake"
	"github.com/fargohq/fargo/internal/runtime/process"
	"github.com/fargohq/fargo/internal/runtime/router"
)

// shimEnv makes the test binary act as the process driver's shim.
const shimEnv = "FARGO_TEST_SHIM"

func TestMain(m *testing.M) {
	if os.Getenv(shimEnv) == "1" {
		os.Exit(process.ShimMain(os.Args[1:]))
	}
	if code, ok := drivertest.RunProgram(); ok {
		os.Exit(code)
	}
	os.Exit(m.Run())
}

func lookIn(names ...string) func(string) (string, error) {
	return func(file string) (string, error) {
		for _, n := range names {
			if n == file {
				return "/usr/bin/" + file, nil
			}
		}
		return "", errors.New("not found")
	}
}

func TestChoose(t *testing.T) {
	t.Parallel()
	hostExe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	hello := runtime.ContainerSpec{Name: "hello", Image: "hello:latest", Command: []string{"hello"}}
	ecr := runtime.ContainerSpec{Name: "app", Image: "127.0.0.1:4566/demo:latest"}
	label := func(s runtime.ContainerSpec, driver string) runtime.ContainerSpec {
		s.DockerLabels = map[string]string{router.Label: driver}
		return s
	}
	tests := []struct {
		name  string
		specs []runtime.ContainerSpec
		mode  string
		want  string
		err   error
	}{
		{"host command and plain image", []runtime.ContainerSpec{hello}, router.Auto, router.Process, nil},
		{"entry point counts", []runtime.ContainerSpec{{Image: "tool", EntryPoint: []string{"hello"}, Command: []string{"--flag"}}}, "", router.Process, nil},
		{"absolute host executable", []runtime.ContainerSpec{{Image: "host", Command: []string{hostExe}}}, router.Auto, router.Process, nil},
		{"absolute path that is not there", []runtime.ContainerSpec{{Image: "host", Command: []string{"/nonexistent/bin"}}}, router.Auto, router.Docker, nil},
		{"image in a repository", []runtime.ContainerSpec{ecr}, router.Auto, router.Docker, nil},
		{"repository image with a host command", []runtime.ContainerSpec{{Image: "library/hello", Command: []string{"hello"}}}, router.Auto, router.Docker, nil},
		{"no command", []runtime.ContainerSpec{{Image: "nginx"}}, router.Auto, router.Docker, nil},
		{"command not on the host", []runtime.ContainerSpec{{Image: "app", Command: []string{"gunicorn"}}}, router.Auto, router.Docker, nil},
		{"one docker container makes the task docker", []runtime.ContainerSpec{hello, ecr}, router.Auto, router.Docker, nil},
		{"label wins over the rule", []runtime.ContainerSpec{label(hello, router.Docker)}, router.Auto, router.Docker, nil},
		{"label on one container decides the task", []runtime.ContainerSpec{ecr, label(hello, router.Process)}, router.Auto, router.Process, nil},
		{"label wins over the mode", []runtime.ContainerSpec{label(ecr, router.Process)}, router.Docker, router.Process, nil},
		{"mode process", []runtime.ContainerSpec{ecr}, router.Process, router.Process, nil},
		{"mode docker", []runtime.ContainerSpec{hello}, router.Docker, router.Docker, nil},
		{"conflicting labels", []runtime.ContainerSpec{label(hello, router.Process), label(ecr, router.Docker)}, router.Auto, "", errdefs.ErrInvalidArgument},
		{"unknown label value", []runtime.ContainerSpec{label(hello, "podman")}, router.Auto, "", errdefs.ErrInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := router.Choose(tt.specs, tt.mode, lookIn("hello"))
			if !errors.Is(err, tt.err) || got != tt.want {
				t.Fatalf("Choose = %q, %v; want %q, %v", got, err, tt.want, tt.err)
			}
		})
	}
}

func newProcess(t testing.TB, stateDir string) *process.Driver {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	d, err := process.New(process.Config{
		StateDir: stateDir, ShimCommand: []string{exe}, ShimEnv: []string{shimEnv + "=1", "GORACE=atexit_sleep_ms=0"},
		DisableCgroups: true,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func processImages(t testing.TB) drivertest.Images {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return drivertest.Images{
		Run: func(p drivertest.Program) runtime.ContainerSpec {
			return runtime.ContainerSpec{Image: "host", Command: []string{exe}, Environment: []runtime.EnvVar{
				p.EnvVar(), {Name: "GORACE", Value: "atexit_sleep_ms=0"},
			}}
		},
		Missing: func() runtime.ContainerSpec {
			return runtime.ContainerSpec{Image: "host", Command: []string{"/nonexistent/fargo-test-missing"}, Driver: router.Process}
		},
		ExecPrint: func(out string, code int) []string {
			return []string{"CMD-SHELL", fmt.Sprintf("echo %s; exit %d", out, code)}
		},
		ExecSleep: func(d time.Duration) []string { return []string{"CMD", "sleep", fmt.Sprint(d.Seconds())} },
		PortEnv:   true,
	}
}

// TestConformance runs the suite through a router whose rule sends the suite's containers (host
// commands) to the process driver, next to a driver that has none of them.
func TestConformance(t *testing.T) {
	t.Parallel()
	drivertest.Run(t, func(t *testing.T, stateDir string) runtime.Driver {
		r, err := router.New(router.Config{}, nil, newProcess(t, stateDir), fake.New(fake.Config{}))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}, processImages(t))
}

// TestWithoutEngine runs a router whose Docker driver has no engine: host commands still run,
// List still shows them, an unknown id is not found (so the agent can start a host command's
// container), and a task that needs Docker fails at once with ErrUnavailable.
func TestWithoutEngine(t *testing.T) {
	t.Parallel()
	dockerDrv, err := docker.New(docker.Config{Host: "unix://" + filepath.Join(t.TempDir(), "none.sock")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	proc := newProcess(t, t.TempDir())
	r, err := router.New(router.Config{}, slog.New(slog.DiscardHandler), proc, dockerDrv)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	spec := processImages(t).Run(drivertest.Program{Forever: true})
	spec.ID = "host-app"
	if _, err := r.Start(ctx, spec); err != nil {
		t.Fatalf("start a host command: %v", err)
	}
	t.Cleanup(func() { _ = proc.Stop(context.Background(), "host-app", 0) })
	_, err = r.Start(ctx, runtime.ContainerSpec{ID: "image-app", Image: "127.0.0.1:4566/demo:latest"})
	if !errors.Is(err, errdefs.ErrUnavailable) {
		t.Fatalf("start of an image without an engine: %v, want ErrUnavailable", err)
	}
	all, err := r.List(ctx)
	if err != nil || len(all) != 1 || all[0].ID != "host-app" {
		t.Fatalf("list: %+v, %v; want the host command alone", all, err)
	}
	if _, err := r.Inspect(ctx, "nosuch-app"); !errors.Is(err, errdefs.ErrNotFound) {
		t.Fatalf("inspect of an id no available driver knows: %v, want ErrNotFound", err)
	}
}

func TestNewChecks(t *testing.T) {
	t.Parallel()
	a, b := fake.New(fake.Config{}), fake.New(fake.Config{})
	if _, err := router.New(router.Config{}, nil, a, b); !errors.Is(err, errdefs.ErrInvalidArgument) {
		t.Fatalf("two drivers of one name: %v", err)
	}
	if _, err := router.New(router.Config{Mode: router.Docker}, nil, a); !errors.Is(err, errdefs.ErrInvalidArgument) {
		t.Fatalf("a mode without its driver: %v", err)
	}
	if _, err := router.New(router.Config{}, nil); !errors.Is(err, errdefs.ErrInvalidArgument) {
		t.Fatalf("no driver: %v", err)
	}
}
