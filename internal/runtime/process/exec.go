package process

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
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
	argv, err := runtime.ExecArgv(cmd)
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
	out := &runtime.CappedBuffer{Max: maxExecOutput}
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
