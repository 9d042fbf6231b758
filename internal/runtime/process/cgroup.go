package process

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// cgroup2Magic is the file system type of a cgroup v2 mount (CGROUP2_SUPER_MAGIC).
const cgroup2Magic = 0x63677270

// cpuPeriod is the period of cpu.max, in microseconds.
const cpuPeriod = 100000

// cgroups creates a cgroup per container under one parent cgroup.
type cgroups struct {
	parent string
	// controllers are those enabled for the containers' cgroups ("cpu", "memory").
	controllers []string
}

// setupCgroups checks that root is a writable cgroup v2 mount and prepares the parent cgroup,
// with the cpu and memory controllers enabled for its children where the host allows it.
func setupCgroups(root, parentName string) (*cgroups, error) {
	var fs syscall.Statfs_t
	if err := syscall.Statfs(root, &fs); err != nil {
		return nil, fmt.Errorf("statfs %s: %w", root, err)
	}
	if int64(fs.Type) != cgroup2Magic {
		return nil, fmt.Errorf("%s is not a cgroup2 mount", root)
	}
	const wOK = 2
	if err := syscall.Access(root, wOK); err != nil {
		return nil, fmt.Errorf("%s is not writable: %w", root, err)
	}
	parent := filepath.Join(root, parentName)
	if err := os.Mkdir(parent, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("create cgroup %s: %w", parent, err)
	}
	// Enabling fails where the host keeps the controllers (a cgroup v1 hybrid, or a root with
	// processes in it); the containers then get cgroups without limits.
	enable := "+cpu +memory"
	_ = os.WriteFile(filepath.Join(root, "cgroup.subtree_control"), []byte(enable), 0)
	_ = os.WriteFile(filepath.Join(parent, "cgroup.subtree_control"), []byte(enable), 0)
	data, err := os.ReadFile(filepath.Join(parent, "cgroup.subtree_control"))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", parent, err)
	}
	return &cgroups{parent: parent, controllers: strings.Fields(string(data))}, nil
}

// create makes the cgroup of a container and sets its limits: CPU units (1024 = one core) as
// cpu.max, Memory (MiB) as memory.max, MemoryReservation (MiB) as memory.low. It returns the
// cgroup's path, and an error for the limits it could not set.
func (c *cgroups) create(name string, cpu, memory, reservation int) (string, error) {
	path := filepath.Join(c.parent, name)
	if err := os.Mkdir(path, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
		return "", fmt.Errorf("create cgroup %s: %w", path, err)
	}
	var errs []error
	set := func(controller, file, value string) {
		if !slices.Contains(c.controllers, controller) {
			errs = append(errs, fmt.Errorf("%s: the %s controller is not available", file, controller))
			return
		}
		if err := os.WriteFile(filepath.Join(path, file), []byte(value), 0); err != nil {
			errs = append(errs, fmt.Errorf("write %s: %w", file, err))
		}
	}
	if memory > 0 {
		set("memory", "memory.max", strconv.FormatInt(int64(memory)<<20, 10))
	}
	if reservation > 0 {
		set("memory", "memory.low", strconv.FormatInt(int64(reservation)<<20, 10))
	}
	if cpu > 0 {
		quota := max(int64(cpu)*cpuPeriod/1024, 1000)
		set("cpu", "cpu.max", fmt.Sprintf("%d %d", quota, cpuPeriod))
	}
	return path, errors.Join(errs...)
}

// joinCgroup moves process pid into the cgroup at path.
func joinCgroup(path string, pid int) error {
	return os.WriteFile(filepath.Join(path, "cgroup.procs"), []byte(strconv.Itoa(pid)), 0)
}

// killCgroup kills every process in the cgroup at path, those that left the container's
// process group included.
func killCgroup(path string) {
	if err := os.WriteFile(filepath.Join(path, "cgroup.kill"), []byte("1"), 0); err == nil {
		return
	}
	// Kernels before 5.14 have no cgroup.kill.
	data, err := os.ReadFile(filepath.Join(path, "cgroup.procs"))
	if err != nil {
		return
	}
	for _, f := range strings.Fields(string(data)) {
		if pid, err := strconv.Atoi(f); err == nil && pid > 1 {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// removeCgroup deletes the cgroup at path, which must hold no process.
func removeCgroup(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove cgroup %s: %w", path, err)
	}
	return nil
}
