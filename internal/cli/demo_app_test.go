package cli

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestDemoApp runs `fargo demo-app` as the process driver and a health check do: hello's own
// flags and settings reach it, and its exit status becomes the command's.
func TestDemoApp(t *testing.T) {
	t.Parallel()
	healthy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/health" {
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(healthy.Close)
	tests := []struct {
		name       string
		args       []string
		env        map[string]string
		wantErr    string
		wantStderr string
	}{
		{name: "healthcheck passes", args: []string{"-healthcheck"}, env: map[string]string{"LISTEN_ADDR": healthy.Listener.Addr().String()}},
		{name: "healthcheck fails", args: []string{"-healthcheck", "-timeout", "2s"}, env: map[string]string{"LISTEN_ADDR": "127.0.0.1:1"},
			wantErr: "demo-app exited with status 1", wantStderr: "hello -healthcheck"},
		{name: "bad setting", env: map[string]string{"STARTUP_DELAY": "3"}, wantErr: "demo-app exited with status 2", wantStderr: "STARTUP_DELAY"},
		{name: "unknown flag", args: []string{"--nope"}, wantErr: "status 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lookup := func(name string) (string, bool) { v, ok := tt.env[name]; return v, ok }
			var stdout, stderr bytes.Buffer
			cmd := newDemoAppCmd(lookup, &stdout, &stderr)
			cmd.SetArgs(append([]string{}, tt.args...)) // not nil: cobra would read os.Args
			cmd.SilenceUsage, cmd.SilenceErrors = true, true
			err := cmd.ExecuteContext(t.Context())
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q; stderr:\n%s", err, tt.wantErr, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tt.wantStderr)
			}
		})
	}
}
