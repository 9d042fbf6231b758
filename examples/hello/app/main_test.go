package app

import (
	"bytes"
	"log/slog"
	"net"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunExitCodes(t *testing.T) {
	t.Parallel()
	failFile := filepath.Join(t.TempDir(), "fail")
	cfg := testAppConfig(nil)
	cfg.FailHealthFile = failFile
	healthy := httptest.NewServer(newApp(testAppConfig(nil), slog.New(slog.DiscardHandler)).Handler())
	t.Cleanup(healthy.Close)
	failing := httptest.NewServer(newApp(cfg, slog.New(slog.DiscardHandler)).Handler())
	t.Cleanup(failing.Close)
	writeFile(t, failFile)
	_, healthyPort, err := net.SplitHostPort(healthy.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name       string
		args       []string
		env        map[string]string
		wantCode   int
		wantStderr string
	}{
		{name: "healthcheck healthy by PORT", args: []string{"-healthcheck"}, env: map[string]string{"PORT": healthyPort}, wantCode: 0},
		{name: "healthcheck healthy by LISTEN_ADDR", args: []string{"-healthcheck"},
			env: map[string]string{"LISTEN_ADDR": healthy.Listener.Addr().String()}, wantCode: 0},
		{name: "healthcheck failing", args: []string{"-healthcheck"},
			env: map[string]string{"LISTEN_ADDR": failing.Listener.Addr().String()}, wantCode: 1, wantStderr: "503"},
		{name: "healthcheck bad PORT", args: []string{"-healthcheck"}, env: map[string]string{"PORT": "x"}, wantCode: 1, wantStderr: "PORT"},
		{name: "unknown flag", args: []string{"-nope"}, wantCode: 2},
		{name: "argument", args: []string{"serve"}, wantCode: 2, wantStderr: "usage"},
		{name: "bad setting", env: map[string]string{"STARTUP_DELAY": "soon"}, wantCode: 2, wantStderr: "STARTUP_DELAY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lookup := func(name string) (string, bool) {
				v, ok := tt.env[name]
				return v, ok
			}
			var stdout, stderr bytes.Buffer
			if code := Main(t.Context(), tt.args, lookup, &stdout, &stderr); code != tt.wantCode {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tt.wantCode, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("stderr %q does not contain %q", stderr.String(), tt.wantStderr)
			}
		})
	}
}
