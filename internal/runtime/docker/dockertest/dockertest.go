package dockertest

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/moby/moby/api/pkg/authconfig"
	"github.com/moby/moby/api/types/registry"
	"github.com/moby/moby/client"
)

// Engine returns a client of the engine that $DOCKER_HOST (or the default socket) names, or
// skips the test when none answers. Set FARGO_REQUIRE_DOCKER=1 to fail instead (CI).
func Engine(t testing.TB) *client.Client {
	t.Helper()
	c, err := client.New(client.FromEnv)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err = c.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true})
	}
	if err != nil {
		if os.Getenv("FARGO_REQUIRE_DOCKER") == "1" {
			t.Fatalf("no Docker engine answers, and FARGO_REQUIRE_DOCKER=1: %v", err)
		}
		t.Skipf("no Docker engine answers (%v); skipping", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// GoBinary builds the Go main package in dir (a path the go tool accepts, such as
// "./testdata/program") as a static linux binary in a temporary directory of the test. Builds
// are reproducible (and cached by the go tool), so the same sources give the same binary.
func GoBinary(t testing.TB, dir string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), filepath.Base(dir))
	cmd := exec.Command("go", "build", "-trimpath", "-o", path, dir)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", dir, err, msg)
	}
	return path
}

// Image builds an image FROM scratch with the file at binary as /<name> and its entrypoint,
// and returns its tag: repo and a hash of the binary, so that an unchanged binary is built
// once. The image stays for later runs; RemoveImage removes it.
func Image(t testing.TB, c *client.Client, repo, binary string) string {
	t.Helper()
	data, err := os.ReadFile(binary)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	tag := repo + ":" + hex.EncodeToString(sum[:6])
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := c.ImageInspect(ctx, tag); err == nil {
		return tag
	}
	name := filepath.Base(binary)
	dockerfile := fmt.Sprintf("FROM scratch\nCOPY %s /%s\nENTRYPOINT [\"/%s\"]\n", name, name, name)
	if err := Build(ctx, c, tag, map[string][]byte{"Dockerfile": []byte(dockerfile), name: data}); err != nil {
		t.Fatalf("build %s: %v", tag, err)
	}
	return tag
}

// Build builds an image tagged tag from a context of files (a Dockerfile among them) through
// the engine's build API.
func Build(ctx context.Context, c *client.Client, tag string, files map[string][]byte) error {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for name, data := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(data))}); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	// NoCache: parallel tests must not stand on each other's layers, which a removal may prune.
	res, err := c.ImageBuild(ctx, &buf, client.ImageBuildOptions{Tags: []string{tag}, Remove: true, ForceRemove: true, NoCache: true})
	if err != nil {
		return err
	}
	defer res.Body.Close()
	return streamError(res.Body)
}

// streamError reads a JSON message stream of the engine to its end and returns the first
// error it reports.
func streamError(r io.Reader) error {
	dec := json.NewDecoder(r)
	for {
		var m struct {
			Error string `json:"error"`
		}
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
		if m.Error != "" {
			return errors.New(m.Error)
		}
	}
}

// RemoveImage removes an image if no container uses it; errors are ignored, since another
// test process may still use it.
func RemoveImage(c *client.Client, tag string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, _ = c.ImageRemove(ctx, tag, client.ImageRemoveOptions{})
}

// Push tags image as ref (a name with a registry) and pushes it with the credentials, then
// removes the tag, so that the engine must pull ref to run it.
func Push(ctx context.Context, c *client.Client, image, ref, user, password string) error {
	if _, err := c.ImageTag(ctx, client.ImageTagOptions{Source: image, Target: ref}); err != nil {
		return err
	}
	auth, err := authconfig.Encode(registry.AuthConfig{Username: user, Password: password})
	if err != nil {
		return err
	}
	res, err := c.ImagePush(ctx, ref, client.ImagePushOptions{RegistryAuth: auth})
	if err != nil {
		return err
	}
	defer res.Close()
	if err := streamError(res); err != nil {
		return err
	}
	_, err = c.ImageRemove(ctx, ref, client.ImageRemoveOptions{})
	return err
}
