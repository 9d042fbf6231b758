package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/fargohq/fargo/internal/api/logsapi/logsapitest"
)

// TestCommandsWithDataDir runs `fargo ps` and `fargo logs` as a user on the server's machine
// does: no AWS environment, the server found through its data directory. It sets the
// environment, so it does not run in parallel.
func TestCommandsWithDataDir(t *testing.T) {
	t.Setenv("AWS_ENDPOINT_URL", "")
	srv := printed(t)
	state, _ := json.Marshal(map[string]any{"endpoint": srv.URL, "region": logsapitest.Region, "accountId": logsapitest.AccountID, "pid": 1})
	if err := os.WriteFile(filepath.Join(srv.DataDir, "server.json"), state, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		newCmd func(io.Writer) *cobra.Command
		args   []string
		want   string
	}{
		{"ps", newPsCmd, []string{"--cluster", "demo"}, "demo     aaaaaaaa  web"},
		{"logs", newLogsCmd, []string{"--cluster", "demo", "--task", taskA, "--container", "web", "--tail", "1"}, "web | GET /"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			cmd := tt.newCmd(&out)
			cmd.SetArgs(append(tt.args, "--data-dir", srv.DataDir))
			if err := cmd.ExecuteContext(logsapitest.Context(t)); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), tt.want) {
				t.Fatalf("output lacks %q:\n%s", tt.want, out.String())
			}
		})
	}
}
