package cli

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestServerTimeScale runs `fargo server` with --time-scale and FARGO_TIME_SCALE: a scaled
// server says loudly that its minutes are short, a real-time one says nothing, and a scale
// that is not a whole number from 1 up is refused before anything starts. It sets the
// environment, so it does not run in parallel.
func TestServerTimeScale(t *testing.T) {
	tests := []struct {
		name    string
		env     string // FARGO_TIME_SCALE
		args    []string
		wantErr string // the command fails with this
		want    string // the running server printed this
		notWant string
	}{
		{name: "real time by default", want: "fargo is running", notWant: "time is scaled"},
		{name: "flag", args: []string{"--time-scale", "12"}, want: "WARNING: time is scaled 12x (--time-scale): a minute of a deployment lasts 5s"},
		{name: "environment", env: "60", want: "a minute of a deployment lasts 1s"},
		{name: "flag over environment", env: "60", args: []string{"--time-scale", "1"}, want: "fargo is running", notWant: "time is scaled"},
		{name: "zero", args: []string{"--time-scale", "0"}, wantErr: `--time-scale "0": want a whole number from 1`},
		{name: "negative in the environment", env: "-3", wantErr: `--time-scale "-3"`},
		{name: "not a number", args: []string{"--time-scale", "fast"}, wantErr: `--time-scale "fast"`},
		{name: "fraction", args: []string{"--time-scale", "1.5"}, wantErr: `--time-scale "1.5"`},
		{name: "too fast", args: []string{"--time-scale", "60001"}, wantErr: "time scale 60001: must be from 1 (real time) to 60000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("FARGO_TIME_SCALE", tt.env)
			out := &lockedBuffer{}
			cmd := newServerCmd(out)
			// A test binary cannot be the data plane process.
			cmd.SetArgs(append([]string{"--data-dir", t.TempDir(), "--api-addr", "127.0.0.1:0", "--data-plane", "embedded"}, tt.args...))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- cmd.ExecuteContext(ctx) }()
			if tt.wantErr != "" {
				select {
				case err := <-done:
					if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
						t.Fatalf("err = %v, want %q", err, tt.wantErr)
					}
				case <-time.After(30 * time.Second):
					t.Fatalf("the server started:\n%s", out)
				}
				return
			}
			deadline := time.Now().Add(30 * time.Second)
			for !strings.Contains(out.String(), "Point the aws CLI") {
				select {
				case err := <-done:
					t.Fatalf("the server stopped: %v\n%s", err, out)
				case <-time.After(20 * time.Millisecond):
				}
				if time.Now().After(deadline) {
					t.Fatalf("the server did not start:\n%s", out)
				}
			}
			cancel() // runServer prints the whole banner before it waits for the server to stop
			if err := <-done; err != nil {
				t.Fatalf("server: %v", err)
			}
			got := out.String()
			if !strings.Contains(got, tt.want) || tt.notWant != "" && strings.Contains(got, tt.notWant) {
				t.Fatalf("output lacks %q or has %q:\n%s", tt.want, tt.notWant, got)
			}
		})
	}
}

// lockedBuffer collects what a server writes from several goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
