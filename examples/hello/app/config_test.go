package app

import (
	"os"
	"testing"
	"time"
)

func TestLoadConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		env       map[string]string
		container bool
		want      Config
		wantErr   bool
	}{
		{name: "defaults", want: Config{Addr: "127.0.0.1:8080", Version: "v1"}},
		{name: "PORT", env: map[string]string{"PORT": "31000"}, want: Config{Addr: "127.0.0.1:31000", Version: "v1"}},
		{name: "the process driver's host address", env: map[string]string{"PORT": "31000", "FARGO_HOST_IP": "10.0.0.7"},
			want: Config{Addr: "10.0.0.7:31000", Version: "v1"}},
		{name: "in a container: every address whatever FARGO_HOST_IP says", env: map[string]string{"PORT": "31000", "FARGO_HOST_IP": "10.0.0.7"},
			container: true, want: Config{Addr: ":31000", Version: "v1"}},
		{name: "in a container: all addresses", container: true, want: Config{Addr: ":8080", Version: "v1"}},
		{name: "in a container: PORT on all addresses", env: map[string]string{"PORT": "31000"}, container: true,
			want: Config{Addr: ":31000", Version: "v1"}},
		{name: "in a container: LISTEN_ADDR wins", env: map[string]string{"LISTEN_ADDR": "127.0.0.1:9000"}, container: true,
			want: Config{Addr: "127.0.0.1:9000", Version: "v1"}},
		{name: "LISTEN_ADDR wins over PORT", env: map[string]string{"PORT": "31000", "LISTEN_ADDR": "0.0.0.0:9000"},
			want: Config{Addr: "0.0.0.0:9000", Version: "v1"}},
		{name: "everything", env: map[string]string{
			"VERSION":                     "v2",
			"STARTUP_DELAY":               "1.5s",
			"SHUTDOWN_DELAY":              "10s",
			"EXIT_IMMEDIATELY_ON_SIGTERM": "true",
			"UNHEALTHY_AFTER":             "1m",
			"FAIL_HEALTH_FILE":            "/tmp/fail",
		}, want: Config{
			Addr: "127.0.0.1:8080", Version: "v2", StartupDelay: 1500 * time.Millisecond, ShutdownDelay: 10 * time.Second,
			ExitImmediately: true, UnhealthyAfter: time.Minute, FailHealthFile: "/tmp/fail",
		}},
		{name: "EXIT_IMMEDIATELY_ON_SIGTERM false", env: map[string]string{"EXIT_IMMEDIATELY_ON_SIGTERM": "false"},
			want: Config{Addr: "127.0.0.1:8080", Version: "v1"}},
		{name: "PORT not a number", env: map[string]string{"PORT": "http"}, wantErr: true},
		{name: "PORT out of range", env: map[string]string{"PORT": "65536"}, wantErr: true},
		{name: "LISTEN_ADDR without a port", env: map[string]string{"LISTEN_ADDR": "127.0.0.1"}, wantErr: true},
		{name: "duration without a unit", env: map[string]string{"STARTUP_DELAY": "5"}, wantErr: true},
		{name: "negative duration", env: map[string]string{"SHUTDOWN_DELAY": "-1s"}, wantErr: true},
		{name: "EXIT_IMMEDIATELY_ON_SIGTERM yes", env: map[string]string{"EXIT_IMMEDIATELY_ON_SIGTERM": "yes"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := loadConfig(func(name string) string { return tt.env[name] }, tt.container)
			if (err != nil) != tt.wantErr {
				t.Fatalf("loadConfig() error = %v, want error %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("loadConfig() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestDialAddr(t *testing.T) {
	t.Parallel()
	tests := []struct{ listen, want string }{
		{"127.0.0.1:8080", "127.0.0.1:8080"},
		{":8080", "127.0.0.1:8080"},
		{"0.0.0.0:8080", "127.0.0.1:8080"},
		{"[::]:8080", "127.0.0.1:8080"},
		{"[::1]:8080", "[::1]:8080"},
		{"localhost:8080", "localhost:8080"},
	}
	for _, tt := range tests {
		t.Run(tt.listen, func(t *testing.T) {
			t.Parallel()
			if got := dialAddr(tt.listen); got != tt.want {
				t.Errorf("dialAddr(%q) = %q, want %q", tt.listen, got, tt.want)
			}
		})
	}
}

func TestInContainer(t *testing.T) {
	t.Parallel()
	for pid, want := range map[int]bool{1: true, 2: false, 4242: false} {
		if got := inContainer(pid); got != want {
			t.Errorf("inContainer(%d) = %v, want %v", pid, got, want)
		}
	}
	// This test's own process is never PID 1, wherever it runs: a host process (the process
	// driver's hello) keeps to the loopback even when fargo runs in a container.
	if inContainer(os.Getpid()) {
		t.Errorf("inContainer(os.Getpid()) = true for the test process")
	}
}
