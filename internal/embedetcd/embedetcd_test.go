package embedetcd_test

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/fargohq/fargo/internal/embedetcd"
	"github.com/fargohq/fargo/internal/embedetcd/embedetcdtest"
	"github.com/fargohq/fargo/internal/errdefs"
)

func start(t *testing.T, dir string) *embedetcd.Server {
	t.Helper()
	began := time.Now()
	srv, err := embedetcd.Start(t.Context(), embedetcd.Config{
		Dir:    dir,
		Logger: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("member ready after %s", time.Since(began))
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

func TestRestartKeepsData(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "etcd")
	srv := start(t, dir)
	if _, err := srv.Client().Put(t.Context(), "k", "v"); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	if err := srv.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	t.Logf("member closed after %s", time.Since(began))
	if err := srv.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	select {
	case <-srv.Done():
	default:
		t.Fatal("Done still open after Close")
	}

	resp, err := start(t, dir).Client().Get(t.Context(), "k")
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Kvs) != 1 || string(resp.Kvs[0].Value) != "v" {
		t.Fatalf("after restart k = %v, want v", resp.Kvs)
	}
}

func TestDirInUse(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "etcd")
	start(t, dir)
	_, err := embedetcd.Start(t.Context(), embedetcd.Config{Dir: dir})
	if !errors.Is(err, errdefs.ErrFailedPrecondition) {
		t.Fatalf("second Start on %s err = %v, want failed precondition", dir, err)
	}
}

// TestManyMembers runs members side by side, as parallel tests and packages do.
func TestManyMembers(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"a", "b", "c", "d"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := embedetcdtest.New(t)
			if _, err := c.Put(t.Context(), "name", name); err != nil {
				t.Fatal(err)
			}
			resp, err := c.Get(t.Context(), "name")
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Kvs) != 1 || string(resp.Kvs[0].Value) != name {
				t.Fatalf("name = %v, want %s", resp.Kvs, name)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  embedetcd.Config
		ok   bool
	}{
		{"dir only", embedetcd.Config{Dir: "/d"}, true},
		{"all set", embedetcd.Config{Dir: "/d", Name: "n", StartTimeout: time.Second, CompactionRetention: time.Minute}, true},
		{"no dir", embedetcd.Config{}, false},
		{"name with comma", embedetcd.Config{Dir: "/d", Name: "a,b"}, false},
		{"name with equals", embedetcd.Config{Dir: "/d", Name: "a=b"}, false},
		{"negative timeout", embedetcd.Config{Dir: "/d", StartTimeout: -time.Second}, false},
		{"negative retention", embedetcd.Config{Dir: "/d", CompactionRetention: -time.Second}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.cfg.Validate()
			if (err == nil) != tt.ok || (err != nil && !errors.Is(err, errdefs.ErrInvalidArgument)) {
				t.Fatalf("Validate() = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

// TestClientSocket: another client reaches the member through its unix socket, which only
// the owner may open, and the socket serves again after a restart on the same path.
func TestClientSocket(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sock := filepath.Join(dir, "client.sock")
	for round := range 2 {
		srv, err := embedetcd.Start(t.Context(), embedetcd.Config{Dir: filepath.Join(dir, "etcd"), ClientSocket: sock})
		if err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(sock)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("round %d: socket %v, %v; want mode 0600", round, fi, err)
		}
		c, err := clientv3.New(clientv3.Config{Endpoints: []string{"unix://" + sock}, DialTimeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		key := fmt.Sprintf("k%d", round)
		if _, err := c.Put(t.Context(), key, "v"); err != nil {
			t.Fatalf("round %d: put through the socket: %v", round, err)
		}
		if resp, err := srv.Client().Get(t.Context(), key); err != nil || len(resp.Kvs) != 1 {
			t.Fatalf("round %d: the member lacks what the socket's client wrote: %v %v", round, resp, err)
		}
		_ = c.Close()
		if err := srv.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
