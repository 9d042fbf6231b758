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
