package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// processesIn returns the processes (other than this one) whose working directory is dir or
// below it: the process driver runs each container, and its supervisor, in the container's
// directory inside the server's data directory.
func processesIn(dir string) []int {
	dirs := []string{filepath.Clean(dir)}
	if resolved, err := filepath.EvalSymlinks(dir); err == nil && resolved != dirs[0] {
		dirs = append(dirs, resolved)
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		cwd, err := os.Readlink("/proc/" + e.Name() + "/cwd")
		if err != nil {
			continue // gone, or another user's
		}
		cwd = strings.TrimSuffix(cwd, " (deleted)")
		for _, d := range dirs {
			if cwd == d || strings.HasPrefix(cwd, d+string(filepath.Separator)) {
				pids = append(pids, pid)
				break
			}
		}
	}
	return pids
}
