package process

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/runtime"
)

// Start writes the container's record and starts its shim, and returns once the shim reports
// that the container runs (or why it could not start).
func (d *Driver) Start(ctx context.Context, spec runtime.ContainerSpec) (runtime.Status, error) {
	if spec.ID == "" {
		return runtime.Status{}, errdefs.InvalidArgument("container id is empty")
	}
	if d.noShim != nil {
		return runtime.Status{}, d.noShim
	}
	dir := filepath.Join(d.dir, dirName(spec.ID))
	if err := os.Mkdir(dir, 0o711); err != nil { // traversable: the work dir may belong to the container's user
		if errors.Is(err, fs.ErrExist) {
			return runtime.Status{}, errdefs.AlreadyExists("container %q", spec.ID)
		}
		return runtime.Status{}, fmt.Errorf("start container %q: %w", spec.ID, err)
	}
	rec, prepErr := d.prepare(dir, spec)
	if prepErr != nil {
		rec.Error = prepErr.Error()
	}
	if err := writeJSON(filepath.Join(dir, recordFile), rec); err != nil {
		_ = os.RemoveAll(dir)
		return runtime.Status{}, fmt.Errorf("start container %q: %w", spec.ID, err)
	}
	if prepErr != nil {
		st, _ := d.Inspect(ctx, spec.ID)
		return st, fmt.Errorf("start container %q: %w", spec.ID, prepErr)
	}
	msg, err := d.launch(ctx, dir)
	if err != nil && (ctx.Err() != nil || errors.Is(err, os.ErrDeadlineExceeded)) {
		// The shim may still start the container; List shows it either way.
		return runtime.Status{}, fmt.Errorf("start container %q: %w", spec.ID, err)
	}
	if err != nil {
		d.recordStartFailure(dir, err.Error())
	} else if msg.Error != "" {
		d.recordStartFailure(dir, msg.Error)
		err = errdefs.InvalidArgument("%s", msg.Error)
	}
	st, ierr := d.Inspect(ctx, spec.ID)
	if err != nil {
		return st, fmt.Errorf("start container %q: %w", spec.ID, err)
	}
	return st, ierr
}

// prepare resolves everything the shim needs: command line, environment, ports, working
// directory, user and cgroup.
func (d *Driver) prepare(dir string, spec runtime.ContainerSpec) (record, error) {
	rec := record{
		Version: formatVersion, ID: spec.ID, TaskID: spec.TaskID, Name: spec.Name, Image: spec.Image,
		Labels: spec.Labels, HostIP: d.cfg.BindIP, CreatedAt: time.Now(),
		Argv:        append(append([]string(nil), spec.EntryPoint...), spec.Command...),
		LogMaxBytes: d.cfg.LogMaxBytes, LogMaxFiles: d.cfg.LogMaxFiles, Shim: d.cfg.ShimCommand,
	}
	var err error
	if rec.Ports, err = d.ports.allocate(d.cfg.BindIP, spec.PortMappings); err != nil {
		return rec, err
	}
	if rec.Env, err = d.environment(spec, rec.Ports); err != nil {
		return rec, err
	}
	if len(rec.Argv) == 0 {
		return rec, errdefs.InvalidArgument("no command to run: the container has neither entryPoint nor command")
	}
	if rec.User, err = resolveUser(spec.User); err != nil {
		return rec, err
	}
	rec.Dir = spec.WorkingDirectory
	if rec.Dir == "" {
		rec.Dir = filepath.Join(dir, workDir)
		if err := os.Mkdir(rec.Dir, 0o755); err != nil {
			return rec, err
		}
		if u := rec.User; u != nil {
			if err := os.Chown(rec.Dir, int(u.UID), int(u.GID)); err != nil {
				return rec, err
			}
		}
	}
	if d.cgroups != nil {
		path, err := d.cgroups.create(filepath.Base(dir), spec.CPU, spec.Memory, spec.MemoryReservation)
		if err != nil {
			d.limitsWarning.Do(func() {
				d.log.Warn("cgroup limits are not enforced", "id", spec.ID, "err", err)
			})
		}
		rec.Cgroup = path
	}
	return rec, nil
}

// environment is BaseEnv, then the environment files, then the spec's variables, then the
// host ports: PORT (the first mapping) and FARGO_PORT_<containerPort>, and FARGO_HOST_IP, the
// address they are bound on (a program listens there to be reached). Later entries win.
func (d *Driver) environment(spec runtime.ContainerSpec, ports []port) ([]string, error) {
	fromFiles, err := runtime.ReadEnvironmentFiles(spec.EnvironmentFiles)
	if err != nil {
		return nil, err
	}
	var vars []runtime.EnvVar
	for _, kv := range d.cfg.BaseEnv {
		name, value, _ := strings.Cut(kv, "=")
		vars = append(vars, runtime.EnvVar{Name: name, Value: value})
	}
	vars = append(append(vars, fromFiles...), spec.Environment...)
	for i, p := range ports {
		if i == 0 {
			vars = append(vars, runtime.EnvVar{Name: "PORT", Value: strconv.Itoa(p.HostPort)})
		}
		vars = append(vars, runtime.EnvVar{Name: "FARGO_PORT_" + strconv.Itoa(p.ContainerPort), Value: strconv.Itoa(p.HostPort)})
	}
	if len(ports) > 0 {
		vars = append(vars, runtime.EnvVar{Name: "FARGO_HOST_IP", Value: d.cfg.BindIP})
	}
	index := map[string]int{}
	var env []string
	for _, v := range vars {
		if i, ok := index[v.Name]; ok {
			env[i] = v.Name + "=" + v.Value
			continue
		}
		index[v.Name] = len(env)
		env = append(env, v.Name+"="+v.Value)
	}
	return env, nil
}

// resolveUser turns ECS's user ("name", "uid", "uid:gid", "name:group") into ids. Switching
// users needs root; as another user, fargo can only run containers as itself.
func resolveUser(spec string) (*credential, error) {
	if spec == "" {
		return nil, nil
	}
	name, group, hasGroup := strings.Cut(spec, ":")
	var c credential
	u, err := lookupUser(name)
	if err != nil {
		return nil, errdefs.InvalidArgument("user %q: %v", spec, err)
	}
	c.UID, c.GID = u.uid, u.gid
	if hasGroup {
		if c.GID, err = lookupGroup(group); err != nil {
			return nil, errdefs.InvalidArgument("user %q: %v", spec, err)
		}
	}
	if os.Geteuid() != 0 {
		if int(c.UID) == os.Geteuid() && int(c.GID) == os.Getegid() {
			return nil, nil
		}
		return nil, errdefs.InvalidArgument("user %q: fargo runs as uid %d and can run containers only as itself", spec, os.Geteuid())
	}
	return &c, nil
}

type ids struct{ uid, gid uint32 }

func lookupUser(name string) (ids, error) {
	if n, err := strconv.ParseUint(name, 10, 32); err == nil {
		// A numeric user need not exist; its group is the one of its passwd entry, else 0.
		if u, err := user.LookupId(name); err == nil {
			if g, err := strconv.ParseUint(u.Gid, 10, 32); err == nil {
				return ids{uint32(n), uint32(g)}, nil
			}
		}
		return ids{uint32(n), 0}, nil
	}
	u, err := user.Lookup(name)
	if err != nil {
		return ids{}, err
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return ids{}, err
	}
	return ids{uint32(uid), uint32(gid)}, nil
}

func lookupGroup(name string) (uint32, error) {
	if n, err := strconv.ParseUint(name, 10, 32); err == nil {
		return uint32(n), nil
	}
	g, err := user.LookupGroup(name)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseUint(g.Gid, 10, 32)
	return uint32(n), err
}

// launch runs the shim's first stage and reads the second stage's report.
func (d *Driver) launch(ctx context.Context, dir string) (readyMessage, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return readyMessage{}, err
	}
	defer func() { _ = r.Close() }() // the pipe's read end: a failed Close loses nothing
	shimLog, err := os.OpenFile(filepath.Join(dir, shimLogFile), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		_ = w.Close()
		return readyMessage{}, err
	}
	shim := d.cfg.ShimCommand
	cmd := exec.Command(shim[0], append(shim[1:len(shim):len(shim)], "--ready-fd="+strconv.Itoa(readyFD), dir)...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = shimLog, shimLog
	cmd.ExtraFiles = []*os.File{w} // the first extra file is readyFD
	if len(d.cfg.ShimEnv) > 0 {
		cmd.Env = append(os.Environ(), d.cfg.ShimEnv...)
	}
	err = cmd.Start()
	_ = w.Close()
	_ = shimLog.Close()
	if err != nil {
		return readyMessage{}, fmt.Errorf("run the shim: %w", err)
	}
	msg, err := readReady(ctx, r, d.cfg.StartTimeout)
	if err != nil {
		_ = cmd.Process.Kill() // the first stage, if it hangs; the second is in its own session
	}
	if werr := cmd.Wait(); werr != nil && err == nil && msg.Error == "" && msg.PID == 0 {
		err = fmt.Errorf("the shim failed: %w (see %s)", werr, filepath.Join(dir, shimLogFile))
	}
	return msg, err
}

// readReady reads the shim's report: one JSON line, then EOF when the shim closed its end.
func readReady(ctx context.Context, r *os.File, timeout time.Duration) (readyMessage, error) {
	deadline := time.Now().Add(timeout)
	if err := r.SetReadDeadline(deadline); err != nil {
		return readyMessage{}, err
	}
	stop := context.AfterFunc(ctx, func() { _ = r.SetReadDeadline(time.Now()) })
	defer stop()
	data, err := io.ReadAll(io.LimitReader(r, 64<<10))
	if err != nil {
		if ctx.Err() != nil {
			return readyMessage{}, ctx.Err()
		}
		return readyMessage{}, fmt.Errorf("the shim did not report within %v: %w", timeout, err)
	}
	var msg readyMessage
	line, _, _ := strings.Cut(string(data), "\n")
	if line == "" {
		return msg, errors.New("the shim ended without reporting")
	}
	if err := json.Unmarshal([]byte(line), &msg); err != nil {
		return msg, fmt.Errorf("the shim's report %q: %w", line, err)
	}
	return msg, nil
}

// recordStartFailure records a failed start, unless the shim recorded one.
func (d *Driver) recordStartFailure(dir, reason string) {
	if _, ok, err := readState(dir); ok || err != nil {
		return
	}
	st := state{Status: statusExited, ExitCode: -1, Error: reason, FinishedAt: time.Now()}
	if err := writeState(dir, st); err != nil {
		d.log.Warn("record failed start", "dir", dir, "err", err)
	}
}
