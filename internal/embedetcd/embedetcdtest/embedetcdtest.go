package embedetcdtest

import (
	"log/slog"
	"path/filepath"
	"testing"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/fargohq/fargo/internal/embedetcd"
)

// New starts a member in a new directory under t.TempDir and returns its client. The member,
// and with it the client, is closed when the test ends; the test must not close the client.
// etcd's warnings and errors go to the test log.
func New(t *testing.T) *clientv3.Client {
	t.Helper()
	srv, err := embedetcd.Start(t.Context(), embedetcd.Config{
		// A fresh subdirectory, so that the member creates it with the mode it wants.
		Dir:    filepath.Join(t.TempDir(), "etcd"),
		Logger: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		t.Fatalf("start embedded etcd: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("close embedded etcd: %v", err)
		}
	})
	return srv.Client()
}
