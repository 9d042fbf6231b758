package process

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// procStart returns the start time of process pid (clock ticks after boot) and whether it is
// still running: a zombie, which is dead but not yet reaped, counts as gone.
func procStart(pid int) (start uint64, running bool, err error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ESRCH) {
			return 0, false, nil
		}
		return 0, false, err
	}
	// The command name (field 2) is in parentheses and may hold anything, even ")".
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0, false, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	fields := bytes.Fields(data[i+1:])
	// fields[0] is field 3 (state), so field 22 (starttime) is fields[19].
	if len(fields) < 20 {
		return 0, false, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(fields)+2)
	}
	start, err = strconv.ParseUint(string(fields[19]), 10, 64)
	if err != nil {
		return 0, false, fmt.Errorf("/proc/%d/stat: start time: %w", pid, err)
	}
	st := fields[0]
	return start, !bytes.Equal(st, []byte("Z")) && !bytes.Equal(st, []byte("X")), nil
}

// alive reports whether process pid is the one that started at start and still runs. An error
// reading /proc counts as alive: never declare a process dead that may not be.
func alive(pid int, start uint64) bool {
	if pid <= 0 {
		return false
	}
	got, running, err := procStart(pid)
	if err != nil {
		return true
	}
	return running && got == start
}

// signalGroup sends sig to the process group pgid; a group that is already gone is not an
// error.
func signalGroup(pgid int, sig syscall.Signal) error {
	if pgid <= 1 {
		return fmt.Errorf("refusing to signal process group %d", pgid)
	}
	if err := syscall.Kill(-pgid, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("signal process group %d: %w", pgid, err)
	}
	return nil
}

// exitCode converts a wait status as Docker does: the exit status, or 128 + the signal.
func exitCode(ws syscall.WaitStatus) int {
	switch {
	case ws.Exited():
		return ws.ExitStatus()
	case ws.Signaled():
		return 128 + int(ws.Signal())
	default:
		return -1
	}
}
