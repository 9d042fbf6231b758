package cli

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/runtime/docker/dockertest"
)

// TestBenchRegistry runs the registry benchmark for real in one small round: push and pull of
// a 1 MiB image through fargo's registry and, where Debian's docker-registry is installed, the
// reference registry. It asserts no figure, only that every step was measured.
func TestBenchRegistry(t *testing.T) {
	t.Parallel()
	dockertest.Engine(t) // skips visibly without an engine
	reference := true
	if _, err := os.Stat(dockertest.RegistryBinary); err != nil {
		t.Logf("no %s: only fargo's registry is measured", dockertest.RegistryBinary)
		reference = false
	}
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	opts := benchRegistryOptions{rounds: 1, sizeMiB: 1, registry: dockertest.RegistryBinary}
	if err := runBenchRegistry(ctx, opts, &out, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	t.Log(out.String())
	want := []string{"fargo     push", "fargo     pull", "| fargo |"}
	if reference {
		want = append(want, "reference push", "reference pull", "| reference |")
	}
	for _, w := range want {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q:\n%s", w, out.String())
		}
	}
}
