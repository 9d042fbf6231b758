// Package process is the runtime driver that runs each container's entryPoint and command as a
// process on the host.
//
// Containers outlive fargo. Start launches, for each container, a small supervisor (the shim,
// ShimMain, run as "fargo runtime-shim") in a session of its own and detached from fargo's
// process tree. The shim starts the container's command in a new process group (and a cgroup,
// when cgroup v2 is usable), writes its stdout and stderr to rotating log files, waits for it
// and records its exit code. Everything the driver knows is in files under Config.StateDir, so a
// new driver, after fargo restarted or crashed, re-adopts the containers a previous one started.
//
// Nothing runs unsupervised: signals sent to the shim are forwarded to the container's process
// group; if the shim is killed, the kernel kills the container's main process
// (PR_SET_PDEATHSIG), and the next driver call that looks at the container kills the rest of
// its group and records it exited with exit code -1. When the main process exits, the shim
// kills what is left of its group (and cgroup), as a container runtime does. Process start
// times recorded next to pids tell a container from a later process that got the same pid.
//
// The state directory holds one directory per container:
//
//	containers/<id>/container.json  the spec as started: identity, labels, ports, command line,
//	                                 environment, working directory (written once by the driver)
//	containers/<id>/state.json      starting / running (pid, process start time) / exited (exit
//	                                 code, finish time, error); written by the shim, and by the
//	                                 driver only when the shim is gone
//	containers/<id>/log, log.1, ... output, one line per entry: "<RFC 3339 time> <stream> <text>";
//	                                 log is the newest, log.N the oldest
//	containers/<id>/shim.log        the shim's own diagnostics
//	containers/<id>/work/           the default working directory
//
// Every JSON file is written atomically (temporary file, fsync, rename). An ID that is not a
// plain file name is stored under a name derived from its hash.
package process
