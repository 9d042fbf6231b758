package dataplane

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/pki"
)

// Defaults of Launcher.
const (
	// Subcommand is the fargo command that runs a data plane.
	Subcommand = "dataplane"
	// DetachFlag makes Subcommand start the data plane in a session of its own and return
	// once it serves.
	DetachFlag = "--detach"
	// DefaultStartTimeout bounds a start, a handover's drain included.
	DefaultStartTimeout = 90 * time.Second
	// superviseInterval is how often Supervise looks at the data plane.
	superviseInterval = 2 * time.Second
)

// Launcher starts data planes for a server, as the process driver starts its shims: detached,
// so that they outlive the server.
type Launcher struct {
	// Command runs `fargo dataplane`; default this executable and Subcommand.
	Command []string
	DataDir string
	// BindHost and EtcdEndpoints are the data plane's settings (Config); a data plane that
	// runs with others is replaced, as one of another build is.
	BindHost      string
	EtcdEndpoints []string
	// EtcdTLS are the files with which the data plane reaches EtcdEndpoints.
	EtcdTLS pki.ClientFiles
	// Build is the server's build: a data plane of another build is replaced.
	Build string
	// StartTimeout bounds a start; default DefaultStartTimeout.
	StartTimeout time.Duration
}

// Ensure makes sure that a data plane of l.Build serves l.DataDir: it adopts the one that
// runs, or starts one, which takes over from a data plane of another build.
func (l Launcher) Ensure(ctx context.Context, log *slog.Logger) (Status, error) {
	rec, st, err := Query(ctx, l.DataDir)
	switch {
	case err == nil && l.matches(st):
		log.Info("adopted the running data plane", "pid", st.PID, "build", st.Build, "config_revision", st.ConfigRevision)
		return st, nil
	case err == nil:
		log.Info("replacing the data plane of another build or settings", "pid", rec.PID, "build", rec.Build, "new_build", l.Build,
			"bind_host", st.BindHost, "new_bind_host", l.config().BindHost)
	}
	if err := l.start(ctx); err != nil {
		return Status{}, err
	}
	_, st, err = Query(ctx, l.DataDir)
	if err != nil {
		return Status{}, err
	}
	log.Info("started a data plane", "pid", st.PID, "build", st.Build, "config_revision", st.ConfigRevision, "log", LogPath(l.DataDir))
	return st, nil
}

// config is the Config the launched data plane gets, defaults applied.
func (l Launcher) config() Config {
	c, _ := Config{DataDir: l.DataDir, BindHost: l.BindHost, EtcdEndpoints: l.EtcdEndpoints, EtcdTLS: l.EtcdTLS}.withDefaults()
	return c
}

// matches reports whether the running data plane st is the one l would start.
func (l Launcher) matches(st Status) bool {
	c := l.config()
	return st.Build == l.Build && st.BindHost == c.BindHost && slices.Equal(st.EtcdEndpoints, c.EtcdEndpoints) &&
		(pki.ClientFiles{CACert: st.EtcdCACert, Cert: st.EtcdCert, Key: st.EtcdKey}) == c.EtcdTLS
}

// args are the data plane's flags.
func (l Launcher) args() []string {
	args := []string{"--data-dir", l.DataDir, "--lb-addr", l.config().BindHost}
	if len(l.EtcdEndpoints) > 0 {
		args = append(args, "--etcd-endpoints", strings.Join(l.EtcdEndpoints, ","))
	}
	for _, f := range [][2]string{{"--etcd-cacert", l.EtcdTLS.CACert}, {"--etcd-cert", l.EtcdTLS.Cert}, {"--etcd-key", l.EtcdTLS.Key}} {
		if f[1] != "" {
			args = append(args, f[0], f[1])
		}
	}
	return args
}

// start runs the detaching first stage, which returns once the new data plane serves.
func (l Launcher) start(ctx context.Context) error {
	command := l.Command
	if len(command) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("dataplane: %w", err)
		}
		command = []string{exe, Subcommand}
		// A test binary would run its tests again instead of the data plane.
		if strings.HasSuffix(filepath.Base(exe), ".test") {
			return errdefs.FailedPrecondition("dataplane: %s is a test binary and cannot be the data plane; use the embedded data plane or set Launcher.Command", exe)
		}
	}
	timeout := l.StartTimeout
	if timeout <= 0 {
		timeout = DefaultStartTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	args := append(append(command[1:len(command):len(command)], DetachFlag), l.args()...)
	out, err := exec.CommandContext(ctx, command[0], args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("dataplane: start %s: %w: %s (see %s)", strings.Join(command, " "), err, strings.TrimSpace(string(out)), LogPath(l.DataDir))
	}
	return nil
}

// Supervise starts the data plane again whenever it is gone (it died, or was killed), until
// ctx ends; the new one starts from the saved state.
func (l Launcher) Supervise(ctx context.Context, log *slog.Logger) error {
	tick := time.NewTicker(superviseInterval)
	defer tick.Stop()
	misses := 0
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		rec, _, err := Query(ctx, l.DataDir)
		switch {
		case err == nil || ctx.Err() != nil:
			misses = 0
			continue
		case errors.Is(err, errdefs.ErrUnavailable) && alive(rec.PID):
			if misses++; misses < 3 { // busy, not gone: give it a few seconds
				continue
			}
		}
		log.Warn("the data plane is gone; starting it again", "err", err)
		if _, err := l.Ensure(ctx, log); err != nil && ctx.Err() == nil {
			log.Error("start the data plane", "err", err)
		}
		misses = 0
	}
}

// Detach is the first stage of a start: it runs this program again with args (DetachFlag
// left out) in a session of its own, its output appended to LogPath, and returns once the new
// data plane serves dataDir, or with the reason it could not. The data plane is then nobody's
// child but init's, and outlives whoever started it.
func Detach(ctx context.Context, dataDir string, args []string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(Dir(dataDir), 0o700); err != nil {
		return err
	}
	logFile, err := os.OpenFile(LogPath(dataDir), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer func() { _ = logFile.Close() }() // the child has its own copy
	var rest []string
	for _, a := range args {
		if a != DetachFlag {
			rest = append(rest, a)
		}
	}
	cmd := exec.Command(exe, rest...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("dataplane: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }() // this stage ends soon, the child outlives it
	return waitServing(ctx, dataDir, cmd.Process.Pid, exited)
}

// waitServing waits until the data plane with pid serves dataDir.
func waitServing(ctx context.Context, dataDir string, pid int, exited <-chan error) error {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-exited:
			if err == nil {
				err = errors.New("exit status 0")
			}
			return fmt.Errorf("dataplane: pid %d exited before it served (see %s): %w", pid, LogPath(dataDir), err)
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		if rec, _, err := Query(ctx, dataDir); err == nil && rec.PID == pid {
			return nil
		} else if err != nil && !errors.Is(err, errdefs.ErrNotFound) && !errors.Is(err, errdefs.ErrUnavailable) {
			return err
		}
	}
}
