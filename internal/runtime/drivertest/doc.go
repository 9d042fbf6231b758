// Package drivertest is the conformance suite of runtime drivers: Run checks, against any
// runtime.Driver, the behaviour the agent depends on (start, exit codes, stop with grace,
// process groups, environment, ports, exec, logs, removal, and re-adoption by a second driver
// on the same state).
//
// The suite describes its containers as Programs (print these lines, sleep, exit with this
// code, ignore SIGTERM, listen on the container ports); each driver's test turns a Program into
// a runtime.ContainerSpec through Images. Drivers that run host processes can use RunProgram:
// their test binary then acts as the container's program.
package drivertest
