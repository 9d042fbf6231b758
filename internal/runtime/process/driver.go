package process

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/runtime"
)

// neverReported is how long after StartTimeout a container whose shim never wrote its state
// counts as failed to start (fargo crashed while starting it, before the shim ran).
const neverReported = 10 * time.Second

// Driver runs containers as host processes, each under a shim. It keeps no state in memory
// that matters: every method reads the state directory, so several Drivers (a crashed fargo's
// and its successor's) can share one.
type Driver struct {
	cfg     Config
	log     *slog.Logger
	dir     string   // <StateDir>/containers
	cgroups *cgroups // nil: no cgroups
	ports   portPool
	// noShim, when set, is why Start cannot work: the default shim would be a test binary.
	noShim error

	limitsWarning sync.Once
	reapMu        sync.Mutex
}

var _ runtime.Driver = (*Driver)(nil)

// New returns a process driver on cfg.StateDir. It re-adopts the containers that earlier
// drivers started there, and clears what an interrupted start or removal left.
func New(cfg Config, log *slog.Logger) (*Driver, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg = cfg.withDefaults()
	var noShim error
	if len(cfg.ShimCommand) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("find the shim: %w", err)
		}
		cfg.ShimCommand = []string{exe, ShimSubcommand}
		// A test binary would run its tests again instead of the shim, and so on.
		if strings.HasSuffix(filepath.Base(exe), ".test") {
			noShim = errdefs.FailedPrecondition("process driver: %s is a test binary and cannot be the shim; set Config.ShimCommand (see process.ShimMain)", exe)
		}
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	d := &Driver{cfg: cfg, log: log, dir: filepath.Join(cfg.StateDir, "containers"), noShim: noShim}
	if err := os.MkdirAll(d.dir, 0o711); err != nil {
		return nil, fmt.Errorf("create state dir: %w", err)
	}
	if err := d.clean(); err != nil {
		return nil, err
	}
	if !cfg.DisableCgroups {
		cg, err := setupCgroups(cfg.CgroupRoot, cfg.CgroupParent)
		if err != nil {
			log.Warn("cgroup v2 is not usable; containers run without cpu and memory limits", "err", err)
		} else {
			d.cgroups = cg
		}
	}
	return d, nil
}

// Name returns "process".
func (d *Driver) Name() string { return "process" }

// clean removes what interrupted starts and removals left in the state directory.
func (d *Driver) clean() error {
	entries, err := os.ReadDir(d.dir)
	if err != nil {
		return fmt.Errorf("read state dir: %w", err)
	}
	for _, e := range entries {
		path := filepath.Join(d.dir, e.Name())
		if !e.IsDir() {
			d.log.Warn("ignoring a file in the state dir", "path", path)
			continue
		}
		if strings.HasPrefix(e.Name(), ".") {
			d.log.Info("removing the leftover of an interrupted removal", "path", path)
			if err := os.RemoveAll(path); err != nil {
				d.log.Warn("remove leftover", "path", path, "err", err)
			}
			continue
		}
		rec, err := readRecord(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			d.log.Warn("removing a container directory without container.json (its start was interrupted)", "path", path)
			if err := os.RemoveAll(path); err != nil {
				d.log.Warn("remove container directory", "path", path, "err", err)
			}
		case err != nil:
			d.log.Warn("ignoring a container directory that does not hold a container", "path", path, "err", err)
		case dirName(rec.ID) != e.Name():
			d.log.Warn("ignoring a container directory whose name does not match its id", "path", path, "id", rec.ID)
		}
	}
	return nil
}

// load returns the directory and the record of container id.
func (d *Driver) load(id string) (string, record, error) {
	dir := filepath.Join(d.dir, dirName(id))
	rec, err := readRecord(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return "", record{}, errdefs.NotFound("container %q", id)
	}
	if err != nil {
		return "", record{}, fmt.Errorf("container %q: %w", id, err)
	}
	if rec.ID != id {
		return "", record{}, errdefs.NotFound("container %q", id)
	}
	return dir, rec, nil
}

// Inspect returns the container's status. A container whose shim died is killed and reported
// exited with exit code -1.
func (d *Driver) Inspect(_ context.Context, id string) (runtime.Status, error) {
	dir, rec, err := d.load(id)
	if err != nil {
		return runtime.Status{}, err
	}
	return d.status(dir, rec)
}

func (d *Driver) status(dir string, rec record) (runtime.Status, error) {
	st, ok, err := readState(dir)
	if err != nil {
		return runtime.Status{}, fmt.Errorf("container %q: %w", rec.ID, err)
	}
	if ok && st.Status != statusExited && !alive(st.ShimPID, st.ShimStart) {
		// Read again: the shim may have recorded the exit just before it ended.
		if st, err = d.reap(dir, rec); err != nil {
			return runtime.Status{}, err
		}
	}
	return toStatus(rec, st, ok, d.cfg.StartTimeout), nil
}

func toStatus(rec record, st state, ok bool, startTimeout time.Duration) runtime.Status {
	s := runtime.Status{
		ID: rec.ID, TaskID: rec.TaskID, Name: rec.Name, State: runtime.StateCreated,
		Ports: rec.ports(), HostIP: rec.HostIP, Labels: rec.Labels,
	}
	switch {
	case !ok && rec.Error != "":
		s.State, s.ExitCode, s.Error, s.FinishedAt = runtime.StateExited, -1, rec.Error, rec.CreatedAt
	case !ok && time.Since(rec.CreatedAt) > startTimeout+neverReported:
		s.State, s.ExitCode, s.Error, s.FinishedAt = runtime.StateExited, -1, "the container's shim never started", rec.CreatedAt
	case !ok, st.Status == statusStarting:
	case st.Status == statusRunning:
		s.State, s.PID, s.StartedAt = runtime.StateRunning, st.PID, st.StartedAt
	default:
		s.State, s.ExitCode, s.Error, s.StartedAt, s.FinishedAt = runtime.StateExited, st.ExitCode, st.Error, st.StartedAt, st.FinishedAt
	}
	return s
}

// reap records the end of a container whose shim is gone, after killing what is left of it.
func (d *Driver) reap(dir string, rec record) (state, error) {
	d.reapMu.Lock()
	defer d.reapMu.Unlock()
	st, _, err := readState(dir)
	if err != nil || st.Status == statusExited {
		return st, err
	}
	if st.PID > 0 {
		start, running, err := procStart(st.PID)
		switch {
		case err != nil:
			d.log.Warn("inspect container process", "id", rec.ID, "pid", st.PID, "err", err)
		case running && start != st.PIDStart:
			// The pid was reused, so the container's process group is gone.
		default:
			if err := signalGroup(st.PID, syscall.SIGKILL); err != nil {
				d.log.Warn("kill container", "id", rec.ID, "err", err)
			}
		}
	}
	if rec.Cgroup != "" {
		killCgroup(rec.Cgroup)
	}
	d.log.Warn("the shim of a container ended without recording its exit; the container is stopped, its exit code unknown", "id", rec.ID)
	st.Status, st.ExitCode, st.FinishedAt = statusExited, -1, time.Now()
	st.Error = "the container's shim ended unexpectedly"
	if err := writeState(dir, st); err != nil {
		return st, err
	}
	return st, nil
}

// List returns every container in the state directory, sorted by ID.
func (d *Driver) List(_ context.Context) ([]runtime.Status, error) {
	entries, err := os.ReadDir(d.dir)
	if err != nil {
		return nil, fmt.Errorf("read state dir: %w", err)
	}
	var all []runtime.Status
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || !e.IsDir() {
			continue
		}
		dir := filepath.Join(d.dir, e.Name())
		rec, err := readRecord(dir)
		if err != nil || dirName(rec.ID) != e.Name() {
			continue // being created, or invalid (New logged it)
		}
		st, err := d.status(dir, rec)
		if err != nil {
			d.log.Warn("skipping a container whose state cannot be read", "id", rec.ID, "err", err)
			continue
		}
		all = append(all, st)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all, nil
}

// Wait polls the container's state until it exited.
func (d *Driver) Wait(ctx context.Context, id string) (runtime.Status, error) {
	return d.waitFor(ctx, id, func(s runtime.Status) bool { return s.State == runtime.StateExited })
}

func (d *Driver) waitFor(ctx context.Context, id string, done func(runtime.Status) bool) (runtime.Status, error) {
	delay := 10 * time.Millisecond
	for {
		st, err := d.Inspect(ctx, id)
		if err != nil || done(st) {
			return st, err
		}
		select {
		case <-ctx.Done():
			return st, ctx.Err()
		case <-time.After(delay):
		}
		delay = min(2*delay, 250*time.Millisecond)
	}
}

// Stop sends SIGTERM to the container's process group, SIGKILL after grace, and returns once
// the shim recorded the exit.
func (d *Driver) Stop(ctx context.Context, id string, grace time.Duration) error {
	st, err := d.waitFor(ctx, id, func(s runtime.Status) bool { return s.State != runtime.StateCreated })
	if err != nil || st.State == runtime.StateExited {
		return err
	}
	dir, _, err := d.load(id)
	if err != nil {
		return err
	}
	if err := d.signal(dir, syscall.SIGTERM); err != nil {
		return err
	}
	graceCtx, cancel := context.WithTimeout(ctx, grace)
	_, err = d.Wait(graceCtx, id)
	cancel()
	if err == nil || ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if err := d.signal(dir, syscall.SIGKILL); err != nil {
		return err
	}
	_, err = d.Wait(ctx, id)
	return err
}

// signal sends sig to the container's process group if its main process still runs; once it
// exited, its shim kills the rest of the group.
func (d *Driver) signal(dir string, sig syscall.Signal) error {
	st, _, err := readState(dir)
	if err != nil {
		return err
	}
	if st.Status != statusRunning || !alive(st.PID, st.PIDStart) {
		return nil
	}
	return signalGroup(st.PID, sig)
}

// Remove deletes an exited container's directory (logs included) and cgroup.
func (d *Driver) Remove(ctx context.Context, id string) error {
	st, err := d.Inspect(ctx, id)
	if err != nil {
		return err
	}
	if st.State != runtime.StateExited {
		return errdefs.FailedPrecondition("container %q is %s; stop it first", id, st.State)
	}
	dir, rec, err := d.load(id)
	if err != nil {
		return err
	}
	// Renaming first makes the removal atomic for readers, and resumable by New.
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	trash := filepath.Join(d.dir, ".removing-"+dirName(id)+"-"+hex.EncodeToString(suffix))
	if err := os.Rename(dir, trash); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return errdefs.NotFound("container %q", id)
		}
		return fmt.Errorf("remove container %q: %w", id, err)
	}
	if rec.Cgroup != "" {
		if err := removeCgroup(rec.Cgroup); err != nil {
			d.log.Warn("remove container cgroup", "id", id, "err", err)
		}
	}
	if err := os.RemoveAll(trash); err != nil {
		return fmt.Errorf("remove container %q: %w", id, err)
	}
	return nil
}

// Logs returns a reader of the container's log files.
func (d *Driver) Logs(_ context.Context, id string, opts runtime.LogOptions) (runtime.LogReader, error) {
	dir, _, err := d.load(id)
	if err != nil {
		return nil, err
	}
	r, err := openLogReader(dir, opts)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errdefs.NotFound("container %q", id)
	}
	return r, err
}
