package cli

import (
	"os/exec"
	"syscall"
)

// setChildAttrs puts a benchmark server in its own process group (so that stop can end nginx's
// workers with their master) and has the kernel kill it if the benchmark dies first.
func setChildAttrs(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
