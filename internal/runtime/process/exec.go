package process

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"sync"
	"syscall"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/runtime"
)

// maxExecOutput is how much of a command's output Exec keeps, as Docker does for health checks.
const maxExecOutput = 4096

// Exec runs cmd on the host in the container's working directory, with its environment and
// user, in a process group of its own that is killed when timeout passes.
func (d *Driver) Exec(ctx context.Context, id string, cmd []string, timeout time.Duration) (runtime.ExecResult, error) {
	dir, rec, err := d.load(id)
	if err != nil {
		return runtime.ExecResult{}, err
	}
	st, err := d.status(dir, rec)
	if err != nil {
		return runtime.ExecResult{}, err
	}
	if st.State != runtime.StateRunning {
		return runtime.ExecResult{}, errdefs.FailedPrecondition("container %q is %s, not running", id, st.State)
	}
	argv, err := execArgv(cmd)
	if err != nil {
		return runtime.ExecResult{}, err
	}
	path, err := lookPath(argv[0], envValue(rec.Env, "PATH"), rec.Dir)
	if err != nil {
		return runtime.ExecResult{}, fmt.Errorf("exec in container %q: %w", id, err)
	}
	runCtx, cancel := ctx, context.CancelFunc(func() {})
	if timeout > 0 {
		runCtx, cancel = context.WithTimeout(ctx, timeout)
	}
	defer cancel()
	c := exec.CommandContext(runCtx, path, argv[1:]...)
	c.Args[0] = argv[0]
	c.Dir, c.Env = rec.Dir, rec.Env
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if u := rec.User; u != nil {
		c.SysProcAttr.Credential = &syscall.Credential{Uid: u.UID, Gid: u.GID, Groups: u.Groups}
	}
	c.Cancel = func() error { return signalGroup(c.Process.Pid, syscall.SIGKILL) }
	c.WaitDelay = time.Second // a process that left the group may hold the output open
	out := &cappedBuffer{max: maxExecOutput}
	c.Stdout, c.Stderr = out, out
	err = c.Run()
	res := runtime.ExecResult{ExitCode: -1, Output: out.String()}
	var exitErr *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return res, ctx.Err()
	case runCtx.Err() != nil:
		return res, fmt.Errorf("exec in container %q: still running after %v: %w", id, timeout, context.DeadlineExceeded)
	case errors.As(err, &exitErr):
		res.ExitCode = exitCode(exitErr.Sys().(syscall.WaitStatus))
		return res, nil
	case err != nil:
		return res, fmt.Errorf("exec in container %q: %w", id, err)
	}
	res.ExitCode = 0
	return res, nil
}

// execArgv turns a health-check command into a command line: ["CMD-SHELL", s] runs s with
// /bin/sh -c, ["CMD", args...] and a bare command line run as they are.
func execArgv(cmd []string) ([]string, error) {
	if len(cmd) > 0 {
		switch cmd[0] {
		case "CMD-SHELL":
			if len(cmd) < 2 {
				return nil, errdefs.InvalidArgument("exec %q: no command", cmd)
			}
			script := cmd[1]
			for _, more := range cmd[2:] {
				script += " " + more
			}
			return []string{"/bin/sh", "-c", script}, nil
		case "CMD":
			cmd = cmd[1:]
		case "NONE":
			return nil, errdefs.InvalidArgument("exec %q: nothing to run", cmd)
		}
	}
	if len(cmd) == 0 || cmd[0] == "" {
		return nil, errdefs.InvalidArgument("exec %q: no command", cmd)
	}
	return cmd, nil
}

// cappedBuffer keeps the first max bytes written to it.
type cappedBuffer struct {
	mu  sync.Mutex
	max int
	buf bytes.Buffer
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := b.max - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

func (b *cappedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
