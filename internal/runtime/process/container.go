package process

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// startContainer starts the container's main process in a new process group (and its cgroup),
// with its output going to the log files.
func startContainer(dir string, rec record, log *slog.Logger) (*container, error) {
	if len(rec.Argv) == 0 {
		return nil, errors.New("no command to run: the container has neither entryPoint nor command")
	}
	path, err := lookPath(rec.Argv[0], envValue(rec.Env, "PATH"), rec.Dir)
	if err != nil {
		return nil, err
	}
	logs, err := openLogWriter(dir, rec.LogMaxBytes, rec.LogMaxFiles, time.Now)
	if err != nil {
		return nil, fmt.Errorf("open log: %w", err)
	}
	var parentEnds, childEnds []*os.File
	closeAll := func(files []*os.File) {
		for _, f := range files {
			_ = f.Close()
		}
	}
	for range 2 {
		r, w, err := os.Pipe()
		if err != nil {
			closeAll(parentEnds)
			closeAll(childEnds)
			_ = logs.Close()
			return nil, err
		}
		parentEnds, childEnds = append(parentEnds, r), append(childEnds, w)
	}
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		closeAll(parentEnds)
		closeAll(childEnds)
		_ = logs.Close()
		return nil, err
	}
	pid, err := forkExec(path, rec, []uintptr{devnull.Fd(), childEnds[0].Fd(), childEnds[1].Fd()}, log)
	_ = devnull.Close()
	closeAll(childEnds)
	if err != nil {
		closeAll(parentEnds)
		_ = logs.Close()
		return nil, err
	}
	c := &container{pid: pid, outputs: parentEnds, logs: logs}
	for i, stream := range []string{"stdout", "stderr"} {
		c.copiers.Go(func() {
			if err := logs.copyLines(parentEnds[i], stream); err != nil && !errors.Is(err, os.ErrClosed) {
				log.Warn("copy output", "stream", stream, "err", err)
			}
		})
	}
	return c, nil
}

// forkExec starts the main process. With a cgroup it is created inside it (clone3 with
// CLONE_INTO_CGROUP), or, where the kernel cannot do that, moved into it right after.
func forkExec(path string, rec record, files []uintptr, log *slog.Logger) (int, error) {
	sys := &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if u := rec.User; u != nil {
		sys.Credential = &syscall.Credential{Uid: u.UID, Gid: u.GID, Groups: u.Groups}
	}
	attr := &syscall.ProcAttr{Dir: rec.Dir, Env: rec.Env, Files: files, Sys: sys}
	if rec.Cgroup != "" {
		fd, err := syscall.Open(rec.Cgroup, syscall.O_DIRECTORY|syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err == nil {
			sys.UseCgroupFD, sys.CgroupFD = true, fd
			pid, err := syscall.ForkExec(path, rec.Argv, attr)
			_ = syscall.Close(fd)
			if err == nil {
				return pid, nil
			}
			sys.UseCgroupFD, sys.CgroupFD = false, 0
			log.Debug("start in cgroup failed; moving the process instead", "err", err)
		}
	}
	pid, err := syscall.ForkExec(path, rec.Argv, attr)
	if err != nil {
		return 0, fmt.Errorf("exec %s: %w", rec.Argv[0], err)
	}
	if rec.Cgroup != "" {
		if err := joinCgroup(rec.Cgroup, pid); err != nil {
			log.Warn("move container into its cgroup", "err", err)
		}
	}
	return pid, nil
}

// lookPath finds the executable file as execvp would with the container's PATH; relative names
// are relative to the container's working directory.
func lookPath(file, pathEnv, dir string) (string, error) {
	abs := func(p string) string {
		if filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	if strings.Contains(file, "/") {
		p := abs(file)
		if err := executable(p); err != nil {
			return "", err
		}
		return p, nil
	}
	for _, d := range filepath.SplitList(pathEnv) {
		if d == "" {
			d = "."
		}
		if p := abs(filepath.Join(d, file)); executable(p) == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%q: executable file not found in $PATH", file)
}

func executable(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if st.IsDir() || st.Mode()&0o111 == 0 {
		return fmt.Errorf("%s is not an executable file: %w", path, fs.ErrPermission)
	}
	return nil
}

// envValue returns the value of name in env (later entries win).
func envValue(env []string, name string) string {
	value := ""
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == name {
			value = v
		}
	}
	return value
}
