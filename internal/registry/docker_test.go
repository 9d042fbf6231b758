package registry_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecrsdk "github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecr/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/registry"
	"github.com/fargohq/fargo/internal/registry/registrytest"
)

// dockerCLI runs the docker CLI with its own configuration directory, so that docker login
// stores the test's credentials there and nowhere else.
type dockerCLI struct {
	t      *testing.T
	config string
}

// newDocker returns the docker CLI, or skips the test when no Docker engine answers.
func newDocker(t *testing.T) dockerCLI {
	t.Helper()
	if _, err := exec.LookPath("docker"); err != nil {
		t.Skip("docker CLI not installed: the docker push/pull tests need it and a Docker engine")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "docker", "version", "--format", "{{.Server.Version}}").CombinedOutput(); err != nil {
		t.Skipf("no Docker engine answers (%v: %s): the docker push/pull tests need one", err, strings.TrimSpace(string(out)))
	}
	return dockerCLI{t: t, config: t.TempDir()}
}

// run runs docker with args and stdin; it returns the combined output and error.
func (d dockerCLI) run(stdin string, args ...string) (string, error) {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "docker", args...)
	// The legacy builder: Debian's docker.io has no buildx, and a FROM scratch image needs
	// nothing BuildKit adds.
	cmd.Env = append(os.Environ(), "DOCKER_CONFIG="+d.config, "DOCKER_BUILDKIT=0")
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (d dockerCLI) must(stdin string, args ...string) string {
	d.t.Helper()
	out, err := d.run(stdin, args...)
	if err != nil {
		d.t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

var (
	helloOnce sync.Once
	helloDir  string
	helloBin  string
	helloErr  error
)

// TestMain removes the examples/hello build after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if helloDir != "" {
		_ = os.RemoveAll(helloDir)
	}
	os.Exit(code)
}

// helloBinary builds examples/hello as a static binary, once for all tests.
func helloBinary(t *testing.T) string {
	t.Helper()
	helloOnce.Do(func() {
		helloDir, helloErr = os.MkdirTemp("", "fargo-registry-hello-")
		if helloErr != nil {
			return
		}
		helloBin = filepath.Join(helloDir, "hello")
		cmd := exec.Command("go", "build", "-o", helloBin, "../../examples/hello")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			helloErr = err
			helloBin = string(out)
		}
	})
	if helloErr != nil {
		t.Fatalf("build examples/hello: %v\n%s", helloErr, helloBin)
	}
	return helloBin
}

// build builds a FROM scratch image around examples/hello as tag; extra is written into the
// image too, so that different values make different images.
func (d dockerCLI) build(tag, extra string) {
	d.t.Helper()
	dir := d.t.TempDir()
	bin, err := os.ReadFile(helloBinary(d.t))
	if err != nil {
		d.t.Fatal(err)
	}
	files := map[string][]byte{
		"hello":      bin,
		"extra.txt":  []byte(extra),
		"Dockerfile": []byte("FROM scratch\nCOPY hello /hello\nCOPY extra.txt /extra.txt\nENTRYPOINT [\"/hello\"]\n"),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o755); err != nil {
			d.t.Fatal(err)
		}
	}
	// --no-cache: tests build in parallel, and the legacy builder's cache would let this build
	// stand on another test's layer, which that test's `rmi -f` may prune mid-build ("unknown
	// parent image ID").
	out := d.must("", "build", "-q", "--no-cache", "-t", tag, dir)
	id := out[strings.LastIndex(out, "sha256:"):] // after the legacy builder's deprecation notice
	id = strings.Fields(id)[0]
	// By id: a later build under the same tag leaves this image without a tag, but with the
	// digest of its push.
	d.t.Cleanup(func() { _, _ = d.run("", "rmi", "-f", id) })
}

// TestDockerPushPull logs in with the token of GetAuthorizationToken as
// aws-actions/amazon-ecr-login does, then builds, pushes and pulls with the docker CLI.
func TestDockerPushPull(t *testing.T) {
	t.Parallel()
	docker := newDocker(t)
	env := registrytest.Start(t, registrytest.Options{})
	createRepository(t, env, "demo", "")
	createRepository(t, env, "locked", types.ImageTagMutabilityImmutable)
	repo, err := env.ECR.DescribeRepositories(apitest.Context(t), &ecrsdk.DescribeRepositoriesInput{RepositoryNames: []string{"demo"}})
	if err != nil {
		t.Fatal(err)
	}
	uri := aws.ToString(repo.Repositories[0].RepositoryUri)
	if uri != env.Host+"/demo" {
		t.Fatalf("repositoryUri %q, want %s/demo", uri, env.Host)
	}

	if out, err := docker.run("wrong", "login", "-u", "AWS", "--password-stdin", env.Host); err == nil {
		t.Fatalf("docker login with a wrong password succeeded:\n%s", out)
	}
	docker.must(env.Token(t), "login", "-u", "AWS", "--password-stdin", env.Host)

	docker.build(uri+":v1", "one")
	docker.must("", "push", uri+":v1")
	ids := imageIDs(t, env, "demo")
	if len(ids) != 1 {
		t.Fatalf("images after docker push: %v", ids)
	}
	id := strings.TrimSpace(docker.must("", "image", "inspect", "--format", "{{.Id}}", uri+":v1"))
	docker.must("", "rmi", uri+":v1")
	docker.must("", "pull", uri+":v1")
	if got := strings.TrimSpace(docker.must("", "image", "inspect", "--format", "{{.Id}}", uri+":v1")); got != id {
		t.Fatalf("pulled image %s, pushed %s", got, id)
	}

	missing := env.Host + "/missing:v1"
	docker.build(missing, "one")
	if out, err := docker.run("", "push", missing); err == nil || !strings.Contains(out, "name unknown") {
		t.Fatalf("docker push to a missing repository: %v\n%s", err, out)
	}

	locked := env.Host + "/locked:v1"
	docker.build(locked, "one")
	docker.must("", "push", locked)
	docker.build(locked, "two")
	out, err := docker.run("", "push", locked)
	if err == nil || !strings.Contains(out, "tag invalid") || !strings.Contains(out, "cannot be overwritten because the repository is immutable") {
		t.Fatalf("second docker push of an immutable tag: %v\n%s", err, out)
	}

	docker.must("", "logout", env.Host)
	if out, err := docker.run("", "push", uri+":v1"); err == nil {
		t.Fatalf("docker push without credentials succeeded:\n%s", out)
	}
}

// TestDockerBearerFlow lets docker log in and push through the Bearer token flow.
func TestDockerBearerFlow(t *testing.T) {
	t.Parallel()
	docker := newDocker(t)
	env := registrytest.Start(t, registrytest.Options{Registry: registry.Config{BearerChallenge: true}})
	createRepository(t, env, "demo", "")
	docker.must(env.Token(t), "login", "-u", "AWS", "--password-stdin", env.Host)
	docker.build(env.Host+"/demo:v1", "bearer")
	docker.must("", "push", env.Host+"/demo:v1")
	if ids := imageIDs(t, env, "demo"); len(ids) != 1 {
		t.Fatalf("images after docker push: %v", ids)
	}
}
