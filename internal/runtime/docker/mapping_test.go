package docker_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/runtime"
	"github.com/fargohq/fargo/internal/runtime/drivertest"
)

// TestMapping starts a container with every field of the spec set and checks what the engine
// was told.
func TestMapping(t *testing.T) {
	t.Parallel()
	engine, image := testImage(t)
	cfg := testConfig(scopeOf(t.Name()))
	cleanupScope(t, cfg)
	d := newDriver(t, cfg)
	envFile := filepath.Join(t.TempDir(), "app.env")
	if err := os.WriteFile(envFile, []byte("FROM_FILE=1\nBOTH=file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	spec := images(image).Run(drivertest.Program{Forever: true})
	spec.ID, spec.TaskID, spec.Name = "maptask-app", "maptask", "app"
	spec.EntryPoint, spec.Command = []string{"/program"}, []string{"sleep", "1h"}
	spec.Environment = append(spec.Environment, runtime.EnvVar{Name: "BOTH", Value: "spec"})
	spec.EnvironmentFiles = []string{envFile}
	spec.WorkingDirectory, spec.User = "/srv", "65534:65534"
	spec.CPU, spec.Memory, spec.MemoryReservation = 256, 64, 32
	spec.Ulimits = []runtime.Ulimit{{Name: "nofile", Soft: 1024, Hard: 2048}}
	spec.ReadonlyRootFilesystem, spec.InitProcessEnabled = true, true
	spec.StopTimeout = 1500 * time.Millisecond
	spec.DockerLabels = map[string]string{"team": "web", "fargo.scope": "must not win"}
	spec.Labels = map[string]string{"fargo.task-arn": "arn:aws:ecs:x"}
	spec.PortMappings = []runtime.PortMapping{{ContainerPort: 8080, Protocol: "tcp"}}
	if _, err := d.Start(ctxFor(t), spec); err != nil {
		t.Fatal(err)
	}
	st, err := d.Inspect(ctxFor(t), spec.ID)
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.ContainerInspect(ctxFor(t), st.RuntimeID, client.ContainerInspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c, h := res.Container.Config, res.Container.HostConfig
	checks := []struct {
		name string
		ok   bool
		got  any
	}{
		{"entrypoint", slices.Equal(c.Entrypoint, []string{"/program"}), c.Entrypoint},
		{"command", slices.Equal(c.Cmd, []string{"sleep", "1h"}), c.Cmd},
		{"environment", slices.Contains(c.Env, "FROM_FILE=1") && slices.Contains(c.Env, "BOTH=spec") &&
			slices.Contains(c.Env, "PORT=8080") && slices.Contains(c.Env, "FARGO_PORT_8080=8080") && !slices.Contains(c.Env, "BOTH=file"), c.Env},
		{"working directory", c.WorkingDir == "/srv", c.WorkingDir},
		{"user", c.User == "65534:65534", c.User},
		{"cpu shares", h.CPUShares == 256, h.CPUShares},
		{"memory", h.Memory == 64<<20, h.Memory},
		{"memory reservation", h.MemoryReservation == 32<<20, h.MemoryReservation},
		{"ulimits", len(h.Ulimits) == 1 && h.Ulimits[0].Name == "nofile" && h.Ulimits[0].Soft == 1024 && h.Ulimits[0].Hard == 2048, h.Ulimits},
		{"read-only root", h.ReadonlyRootfs, h.ReadonlyRootfs},
		{"init", h.Init != nil && *h.Init, h.Init},
		{"stop timeout", c.StopTimeout != nil && *c.StopTimeout == 2, c.StopTimeout},
		{"docker labels", c.Labels["team"] == "web" && c.Labels["fargo.scope"] == cfg.Scope, c.Labels},
		{"spec labels", c.Labels["fargo.task-arn"] == "arn:aws:ecs:x" && st.Labels["fargo.task-arn"] == "arn:aws:ecs:x" && len(st.Labels) == 1, st.Labels},
		{"log rotation", h.LogConfig.Type == "json-file" && h.LogConfig.Config["max-size"] != "", h.LogConfig},
		{"runtime id", st.RuntimeID == res.Container.ID, st.RuntimeID},
		{"image digest", st.ImageDigest == res.Container.Image, st.ImageDigest},
	}
	for _, ch := range checks {
		if !ch.ok {
			t.Errorf("%s: the engine got %v", ch.name, ch.got)
		}
	}
}

func TestStartErrors(t *testing.T) {
	t.Parallel()
	_, image := testImage(t)
	cfg := testConfig(scopeOf(t.Name()))
	cleanupScope(t, cfg)
	d := newDriver(t, cfg)
	tests := []struct {
		name string
		spec runtime.ContainerSpec
		kind error
	}{
		{"no image", runtime.ContainerSpec{ID: "noimage-app"}, errdefs.ErrInvalidArgument},
		{"bad image name", runtime.ContainerSpec{ID: "badname-app", Image: "UPPER/case"}, errdefs.ErrInvalidArgument},
		{"missing env file", runtime.ContainerSpec{ID: "noenv-app", Image: image, EnvironmentFiles: []string{"/nonexistent.env"}}, errdefs.ErrInvalidArgument},
		{"bad network mode", runtime.ContainerSpec{ID: "badnet-app", Image: image, NetworkMode: "overlay"}, errdefs.ErrInvalidArgument},
		{"missing executable", runtime.ContainerSpec{ID: "noexec-app", Image: image, EntryPoint: []string{"/nope"}}, errdefs.ErrInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := d.Start(ctxFor(t), tt.spec)
			if !errors.Is(err, tt.kind) {
				t.Fatalf("start: %v, want %v", err, tt.kind)
			}
			st, err := d.Inspect(ctxFor(t), tt.spec.ID)
			if err != nil || st.State != runtime.StateExited || st.Error == "" {
				t.Fatalf("inspect: %+v, %v; want exited with an error", st, err)
			}
			if err := d.Remove(ctxFor(t), tt.spec.ID); err != nil {
				t.Fatalf("remove: %v", err)
			}
			if _, err := d.Inspect(ctxFor(t), tt.spec.ID); !errors.Is(err, errdefs.ErrNotFound) {
				t.Fatalf("inspect after remove: %v", err)
			}
		})
	}
}

func TestNoEngine(t *testing.T) {
	t.Parallel()
	cfg := testConfig("noengine")
	cfg.Host = "unix://" + filepath.Join(t.TempDir(), "docker.sock")
	d := newDriver(t, cfg)
	begin := time.Now()
	_, err := d.Start(ctxFor(t), runtime.ContainerSpec{ID: "a-b", Image: "busybox"})
	if !errors.Is(err, errdefs.ErrUnavailable) {
		t.Fatalf("start without an engine: %v, want ErrUnavailable", err)
	}
	if _, err := d.List(ctxFor(t)); !errors.Is(err, errdefs.ErrUnavailable) {
		t.Fatalf("list without an engine: %v, want ErrUnavailable", err)
	}
	if took := time.Since(begin); took > 10*time.Second {
		t.Fatalf("failing without an engine took %v", took)
	}
}
