package process_test

import (
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/runtime"
	"github.com/fargohq/fargo/internal/runtime/drivertest"
	"github.com/fargohq/fargo/internal/runtime/process"
)

// shimEnv makes the test binary act as the shim (see TestMain).
const shimEnv = "FARGO_TEST_SHIM"

// noRaceExitDelay keeps the race detector of the test binary, when it is the shim or a
// container's program, from sleeping a second at exit.
const noRaceExitDelay = "GORACE=atexit_sleep_ms=0"

// TestMain lets the test binary be the shim and the containers' program as well.
func TestMain(m *testing.M) {
	if os.Getenv(shimEnv) == "1" {
		os.Exit(process.ShimMain(os.Args[1:]))
	}
	if code, ok := drivertest.RunProgram(); ok {
		os.Exit(code)
	}
	os.Exit(m.Run())
}

func testBinary(t testing.TB) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

// testConfig is a driver configuration whose shim is this test binary.
func testConfig(t testing.TB, stateDir string) process.Config {
	return process.Config{
		StateDir:       stateDir,
		ShimCommand:    []string{testBinary(t)},
		ShimEnv:        []string{shimEnv + "=1", noRaceExitDelay},
		DisableCgroups: true,
	}
}

func newDriver(t testing.TB, cfg process.Config) *process.Driver {
	t.Helper()
	d, err := process.New(cfg, slog.New(slog.NewTextHandler(testWriter{t}, nil)))
	if err != nil {
		t.Fatalf("new driver: %v", err)
	}
	return d
}

// testWriter sends the driver's log to the test's.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

// images runs drivertest Programs with this test binary.
func images(t testing.TB) drivertest.Images {
	exe := testBinary(t)
	return drivertest.Images{
		Run: func(p drivertest.Program) runtime.ContainerSpec {
			return runtime.ContainerSpec{Image: "host", Command: []string{exe}, Environment: []runtime.EnvVar{
				p.EnvVar(), {Name: "GORACE", Value: "atexit_sleep_ms=0"},
			}}
		},
		Missing: func() runtime.ContainerSpec {
			return runtime.ContainerSpec{Image: "host", Command: []string{"/nonexistent/fargo-test-missing"}}
		},
		ExecPrint: func(out string, code int) []string {
			return []string{"CMD-SHELL", fmt.Sprintf("echo %s; exit %d", out, code)}
		},
		ExecSleep: func(d time.Duration) []string {
			return []string{"CMD", "sleep", fmt.Sprint(d.Seconds())}
		},
		PortEnv: true,
	}
}

func TestConformance(t *testing.T) {
	t.Parallel()
	drivertest.Run(t, func(t *testing.T, stateDir string) runtime.Driver {
		return newDriver(t, testConfig(t, stateDir))
	}, images(t))
}
