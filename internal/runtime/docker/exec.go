package docker

import (
	"context"
	"fmt"
	"syscall"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/runtime"
)

// maxExecOutput is how much of a command's output Exec keeps, as Docker does for health checks.
const maxExecOutput = 4096

// Exec runs cmd in the running container (docker exec) and kills it when timeout passes.
func (d *Driver) Exec(ctx context.Context, id string, cmd []string, timeout time.Duration) (runtime.ExecResult, error) {
	st, err := d.Inspect(ctx, id)
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
	created, err := d.engine.ExecCreate(ctx, d.engineName(id), client.ExecCreateOptions{
		AttachStdout: true, AttachStderr: true, Cmd: argv,
	})
	if err != nil {
		return runtime.ExecResult{}, d.engineErr(err, "exec in container %q", id)
	}
	runCtx, cancel := ctx, context.CancelFunc(func() {})
	if timeout > 0 {
		runCtx, cancel = context.WithTimeout(ctx, timeout)
	}
	defer cancel()
	att, err := d.engine.ExecAttach(runCtx, created.ID, client.ExecAttachOptions{})
	if err != nil {
		return runtime.ExecResult{}, d.engineErr(err, "exec in container %q", id)
	}
	out := &runtime.CappedBuffer{Max: maxExecOutput}
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		_, _ = stdcopy.StdCopy(out, out, att.Reader)
	}()
	select {
	case <-copied:
	case <-runCtx.Done():
	}
	att.Close()
	<-copied
	res := runtime.ExecResult{ExitCode: -1, Output: out.String()}
	if runCtx.Err() != nil {
		d.killExec(created.ID)
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		return res, fmt.Errorf("exec in container %q: still running after %v: %w", id, timeout, context.DeadlineExceeded)
	}
	code, err := d.execExitCode(ctx, created.ID)
	if err != nil {
		return res, d.engineErr(err, "exec in container %q", id)
	}
	res.ExitCode = code
	return res, nil
}

// execExitCode waits briefly for the engine to record the end of an exec whose output ended.
func (d *Driver) execExitCode(ctx context.Context, execID string) (int, error) {
	for delay := 5 * time.Millisecond; ; delay = min(2*delay, 200*time.Millisecond) {
		res, err := d.engine.ExecInspect(ctx, execID, client.ExecInspectOptions{})
		if err != nil || !res.Running {
			return res.ExitCode, err
		}
		select {
		case <-ctx.Done():
			return -1, ctx.Err()
		case <-time.After(delay):
		}
	}
}

// killExec kills a command that ran past its timeout. The engine has no call for it; its
// process is killed by pid, which works when fargo and the engine share a pid namespace.
func (d *Driver) killExec(execID string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	res, err := d.engine.ExecInspect(ctx, execID, client.ExecInspectOptions{})
	if err != nil || !res.Running || res.PID <= 0 {
		return
	}
	if err := syscall.Kill(res.PID, syscall.SIGKILL); err != nil {
		d.log.Warn("kill a command that outlived its timeout", "exec", execID, "pid", res.PID, "err", err)
	}
}
