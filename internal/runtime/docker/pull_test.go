package docker_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/runtime"
	"github.com/fargohq/fargo/internal/runtime/docker"
	"github.com/fargohq/fargo/internal/runtime/docker/dockertest"
	"github.com/fargohq/fargo/internal/runtime/drivertest"
)

// TestPull pulls from a registry on loopback: with credentials, again after a new push of the
// same tag (a new task gets the new image), and failing with a *runtime.PullError.
func TestPull(t *testing.T) {
	t.Parallel()
	engine, image := testImage(t)
	const user, password = "fargo", "s3cret"
	registry := dockertest.Registry(t, user, password)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ref := registry + "/pulltest:latest"
	if err := dockertest.Push(ctx, engine, image, ref, user, password); err != nil {
		t.Fatalf("push: %v", err)
	}
	var digests []string
	t.Cleanup(func() { // after the containers are gone (cleanups run last first)
		dockertest.RemoveImage(engine, ref)
		for _, digest := range digests {
			dockertest.RemoveImage(engine, registry+"/pulltest@"+digest)
		}
	})
	cfg := testConfig(scopeOf(t.Name()))
	cfg.PullPolicy = docker.PullAlways
	cleanupScope(t, cfg)
	d := newDriver(t, cfg)
	auth := &runtime.RegistryAuth{Username: user, Password: password, ServerAddress: registry}
	spec := func(id string, auth *runtime.RegistryAuth, image string) runtime.ContainerSpec {
		s := images(image).Run(drivertest.Program{Forever: true})
		s.ID, s.RegistryAuth = id, auth
		return s
	}

	first, err := d.Start(ctx, spec("first-app", auth, ref))
	if err != nil {
		t.Fatalf("start with credentials: %v", err)
	}
	if !strings.HasPrefix(first.ImageDigest, "sha256:") {
		t.Fatalf("image digest %q, want the manifest digest", first.ImageDigest)
	}
	digests = append(digests, first.ImageDigest)

	// A second image under the same tag: the next start runs it.
	second := strings.Replace(image, "fargo-drivertest:", "fargo-drivertest-second:", 1)
	if err := dockertest.Build(ctx, engine, second, map[string][]byte{"Dockerfile": []byte("FROM " + image + "\nLABEL fargo.test=second\n")}); err != nil {
		t.Fatalf("build the second image: %v", err)
	}
	t.Cleanup(func() { dockertest.RemoveImage(engine, second) }) // after the pushed tag's
	if err := dockertest.Push(ctx, engine, second, ref, user, password); err != nil {
		t.Fatalf("push the second image: %v", err)
	}
	again, err := d.Start(ctx, spec("again-app", auth, ref))
	if err != nil {
		t.Fatalf("start after the new push: %v", err)
	}
	digests = append(digests, again.ImageDigest)
	if again.ImageDigest == first.ImageDigest || !strings.HasPrefix(again.ImageDigest, "sha256:") {
		t.Fatalf("after a new push of the tag the digest is %q, before %q; want a new one", again.ImageDigest, first.ImageDigest)
	}

	failures := []struct {
		name  string
		spec  runtime.ContainerSpec
		words string
	}{
		{"wrong password", spec("badauth-app", &runtime.RegistryAuth{Username: user, Password: "wrong", ServerAddress: registry}, ref), "unauthorized"},
		{"no such tag", spec("notag-app", auth, registry+"/pulltest:nope"), "not found"},
		{"no registry there", spec("noregistry-app", nil, "127.0.0.1:1/pulltest:latest"), "connection refused"},
	}
	for _, f := range failures {
		_, err := d.Start(ctx, f.spec)
		var pe *runtime.PullError
		if !errors.As(err, &pe) || !strings.Contains(strings.ToLower(pe.Message), f.words) {
			t.Errorf("%s: start: %v; want a pull error that says %q", f.name, err, f.words)
			continue
		}
		st, err := d.Inspect(ctx, f.spec.ID)
		if err != nil || st.State != runtime.StateExited || !strings.Contains(st.Error, pe.Message) {
			t.Errorf("%s: inspect: %+v, %v; want exited with the pull error", f.name, st, err)
		}
		t.Logf("%s: %s", f.name, pe.Message)
	}
}
