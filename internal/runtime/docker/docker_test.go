package docker_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/fargohq/fargo/internal/runtime"
	"github.com/fargohq/fargo/internal/runtime/docker"
	"github.com/fargohq/fargo/internal/runtime/docker/dockertest"
	"github.com/fargohq/fargo/internal/runtime/drivertest"
)

// testNetwork is the awsvpc network of the tests, apart from a server's.
const testNetwork = "fargo-test"

// patience bounds each call of a test.
const patience = 30 * time.Second

func ctxFor(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	t.Cleanup(cancel)
	return ctx
}

// testImage is the image of the drivertest program; it skips the test without an engine.
func testImage(t testing.TB) (*client.Client, string) {
	t.Helper()
	engine := dockertest.Engine(t)
	return engine, dockertest.Image(t, engine, "fargo-drivertest", dockertest.GoBinary(t, "./testdata/program"))
}

// scopeOf gives each state directory of the suite a scope of its own.
func scopeOf(stateDir string) string {
	sum := sha256.Sum256([]byte(stateDir))
	return "test-" + hex.EncodeToString(sum[:8])
}

func testConfig(scope string) docker.Config {
	return docker.Config{Scope: scope, Network: testNetwork, PullPolicy: docker.PullPreferCached}
}

func newDriver(t testing.TB, cfg docker.Config) *docker.Driver {
	t.Helper()
	d, err := docker.New(cfg, slog.New(slog.NewTextHandler(testWriter{t}, nil)))
	if err != nil {
		t.Fatalf("new driver: %v", err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// cleanupScope stops and removes every container of a scope when the test ends.
func cleanupScope(t testing.TB, cfg docker.Config) {
	t.Cleanup(func() {
		d := newDriver(t, cfg)
		ctx, cancel := context.WithTimeout(context.Background(), patience)
		defer cancel()
		all, err := d.List(ctx)
		if err != nil {
			t.Errorf("cleanup: %v", err)
			return
		}
		for _, st := range all {
			_ = d.Stop(ctx, st.ID, 0)
			if err := d.Remove(ctx, st.ID); err != nil {
				t.Errorf("cleanup: remove %s: %v", st.ID, err)
			}
		}
	})
}

// testWriter sends the driver's log to the test's.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// images runs drivertest Programs in the test image.
func images(image string) drivertest.Images {
	return drivertest.Images{
		Run: func(p drivertest.Program) runtime.ContainerSpec {
			return runtime.ContainerSpec{Image: image, Environment: []runtime.EnvVar{p.EnvVar()}}
		},
		Missing: func() runtime.ContainerSpec {
			return runtime.ContainerSpec{Image: image, EntryPoint: []string{"/nonexistent/fargo-test-missing"}}
		},
		ExecPrint: func(out string, code int) []string {
			return []string{"CMD", "/program", "print", out, strconv.Itoa(code)}
		},
		ExecSleep: func(d time.Duration) []string {
			return []string{"CMD", "/program", "sleep", d.String()}
		},
		WorkDir: "/srv/work",
	}
}

func TestConformance(t *testing.T) {
	t.Parallel()
	_, image := testImage(t)
	drivertest.Run(t, func(t *testing.T, stateDir string) runtime.Driver {
		return newDriver(t, testConfig(scopeOf(stateDir)))
	}, images(image))
}

// TestMain removes the tests' awsvpc network when they are done (unless another test process
// still uses it).
func TestMain(m *testing.M) {
	code := m.Run()
	if c, err := client.New(client.FromEnv); err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, _ = c.NetworkRemove(ctx, testNetwork, client.NetworkRemoveOptions{})
		cancel()
		_ = c.Close()
	}
	os.Exit(code)
}
