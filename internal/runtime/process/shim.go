package process

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	goruntime "runtime"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// readyFD is the descriptor on which the driver asks the shim (with --ready-fd) to tell that
// the container runs, or why it could not start: one JSON line, then EOF.
const readyFD = 3

// copyGrace bounds how long the shim waits for the output of a container's leftover processes
// after its main process exited.
const copyGrace = 2 * time.Second

// readyMessage is what the shim reports on readyFD.
type readyMessage struct {
	PID   int    `json:"pid,omitempty"`
	Error string `json:"error,omitempty"`
}

// ShimMain is the shim, "fargo runtime-shim [--ready-fd N] DIR", and returns its exit code. It
// runs in two stages. The first, which the driver starts, starts the second ("runtime-shim
// --supervise ...") in a new session and exits at once, so that the supervisor is nobody's
// child but init's (or the nearest subreaper's) and survives fargo. The supervisor starts the
// container, records its state, copies its output to the log files, waits for it, kills what
// is left of its process group, and records the exit code.
func ShimMain(args []string) int {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	fs := flag.NewFlagSet(ShimSubcommand, flag.ContinueOnError)
	superviseStage := fs.Bool("supervise", false, "run the second stage: supervise the container")
	fd := fs.Int("ready-fd", 0, "descriptor to report the start on")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: runtime-shim [--supervise] [--ready-fd N] CONTAINER_DIR")
		return 2
	}
	var ready *os.File
	if *fd > 2 {
		if _, err := unixFcntl(*fd, syscall.F_GETFD); err == nil {
			ready = os.NewFile(uintptr(*fd), "ready")
			syscall.CloseOnExec(*fd) // it must not leak into the container
		}
	}
	if *superviseStage {
		return supervise(fs.Arg(0), ready, log)
	}
	return detach(fs.Arg(0), ready, log)
}

func unixFcntl(fd, cmd int) (int, error) {
	r, _, errno := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), uintptr(cmd), 0)
	if errno != 0 {
		return 0, errno
	}
	return int(r), nil
}

func report(ready *os.File, msg readyMessage, log *slog.Logger) {
	if ready == nil {
		return
	}
	data, _ := json.Marshal(msg)
	if _, err := ready.Write(append(data, '\n')); err != nil {
		// The driver is gone (fargo crashed while starting): the state file tells the next one.
		log.Warn("report to driver", "err", err)
	}
}

func detach(dir string, ready *os.File, log *slog.Logger) int {
	rec, err := readRecord(dir)
	if err != nil {
		report(ready, readyMessage{Error: err.Error()}, log)
		return 1
	}
	args := append(slices.Clone(rec.Shim[1:]), "--supervise", dir)
	cmd := exec.Command(rec.Shim[0], args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if ready != nil {
		cmd.ExtraFiles = []*os.File{ready} // the first extra file is readyFD
		cmd.Args = append(cmd.Args[:len(cmd.Args)-1], "--ready-fd="+strconv.Itoa(readyFD), dir)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		report(ready, readyMessage{Error: fmt.Sprintf("start shim: %v", err)}, log)
		return 1
	}
	_ = cmd.Process.Release()
	return 0
}

func supervise(dir string, ready *os.File, log *slog.Logger) int {
	// The container is started from this thread with PR_SET_PDEATHSIG, which fires when the
	// thread that forked it ends: keep this goroutine on its thread for the shim's life.
	goruntime.LockOSThread()
	defer func() {
		if ready != nil {
			_ = ready.Close()
		}
	}()
	log = log.With("dir", dir)
	rec, err := readRecord(dir)
	if err != nil {
		log.Error("read container", "err", err)
		report(ready, readyMessage{Error: err.Error()}, log)
		return 1
	}
	self := state{Status: statusStarting, ShimPID: os.Getpid()}
	self.ShimStart, _, _ = procStart(self.ShimPID)
	if err := writeState(dir, self); err != nil {
		log.Error("record state", "err", err)
		report(ready, readyMessage{Error: err.Error()}, log)
		return 1
	}
	setSubreaper(log)
	// Signals sent to the shim go to the container: stopping the shim stops the container.
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGQUIT)

	c, err := startContainer(dir, rec, log)
	if err != nil {
		log.Error("start container", "err", err)
		failed := self
		failed.Status, failed.ExitCode, failed.Error, failed.FinishedAt = statusExited, -1, err.Error(), time.Now()
		if werr := writeState(dir, failed); werr != nil {
			log.Error("record state", "err", werr)
		}
		report(ready, readyMessage{Error: err.Error()}, log)
		return 1
	}
	run := self
	run.Status, run.PID, run.StartedAt = statusRunning, c.pid, time.Now()
	run.PIDStart, _, _ = procStart(c.pid)
	if err := writeState(dir, run); err != nil {
		log.Error("record state", "err", err) // the container runs: keep supervising it
	}
	report(ready, readyMessage{PID: c.pid}, log)
	if ready != nil {
		_ = ready.Close()
		ready = nil
	}

	ws := waitMain(c.pid, sigs, log)
	done := run
	done.Status, done.ExitCode, done.FinishedAt = statusExited, exitCode(ws), time.Now()
	c.cleanup(rec.Cgroup, log)
	if err := writeState(dir, done); err != nil {
		log.Error("record exit", "err", err)
		return 1
	}
	return 0
}

// waitMain reaps children (the shim is their subreaper) until the main process exits, and
// forwards the signals the shim receives to the container's process group.
func waitMain(pid int, sigs <-chan os.Signal, log *slog.Logger) syscall.WaitStatus {
	exited := make(chan syscall.WaitStatus, 1)
	go reapChildren(pid, exited)
	for {
		select {
		case ws := <-exited:
			return ws
		case sig := <-sigs:
			if s, ok := sig.(syscall.Signal); ok {
				if err := signalGroup(pid, s); err != nil {
					log.Warn("forward signal", "signal", s, "err", err)
				}
			}
		}
	}
}

// reapChildren waits for every child of the shim, reporting the main process's status, until
// there are none left. It ends with the shim process when orphans outlive it.
func reapChildren(pid int, exited chan<- syscall.WaitStatus) {
	for {
		var ws syscall.WaitStatus
		got, err := syscall.Wait4(-1, &ws, 0, nil)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil {
			return
		}
		if got == pid {
			exited <- ws
		}
	}
}

func setSubreaper(log *slog.Logger) {
	const prSetChildSubreaper = 36
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); errno != 0 {
		log.Warn("become subreaper", "err", errno)
	}
}

// container is the running main process of a container and the shim's end of its output.
type container struct {
	pid     int
	copiers sync.WaitGroup
	outputs []*os.File
	logs    *logWriter
}

// cleanup kills what is left of the container once its main process exited, as a container
// runtime does when the init process of a container ends, and waits for the output to drain.
func (c *container) cleanup(cgroup string, log *slog.Logger) {
	if err := signalGroup(c.pid, syscall.SIGKILL); err != nil {
		log.Warn("kill process group", "err", err)
	}
	if cgroup != "" {
		killCgroup(cgroup)
	}
	drained := make(chan struct{})
	go func() { c.copiers.Wait(); close(drained) }()
	select {
	case <-drained:
	case <-time.After(copyGrace):
		// A process that left the group still holds the output open.
		for _, f := range c.outputs {
			_ = f.Close()
		}
		<-drained
	}
	if err := c.logs.Close(); err != nil {
		log.Warn("close log", "err", err)
	}
}
