package cli

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestAgentEndpoints(t *testing.T) {
	t.Parallel()
	withServer := t.TempDir()
	if err := os.MkdirAll(filepath.Join(withServer, "etcd"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(withServer, "etcd", "client.sock"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, flag, serverDir string
		want                  []string
	}{
		{"flag", "http://10.0.0.5:2379,http://10.0.0.6:2379", withServer, []string{"http://10.0.0.5:2379", "http://10.0.0.6:2379"}},
		{"the local server's socket", "", withServer, []string{"unix://" + filepath.Join(withServer, "etcd", "client.sock")}},
		{"neither", "", t.TempDir(), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := agentEndpoints(tt.flag, tt.serverDir)
			if tt.want == nil {
				if err == nil {
					t.Fatalf("endpoints %v without a flag or a local server, want an error", got)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("agentEndpoints = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}
