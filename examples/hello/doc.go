// Command hello is the example application of fargo: a small HTTP server that the README,
// the tests and the benchmarks deploy to show that a deployment loses no request.
//
// Everything that makes a deployment observable is a knob: the version it reports (VERSION),
// how slowly it starts (STARTUP_DELAY), how it stops on SIGTERM (SHUTDOWN_DELAY, or rudely
// with EXIT_IMMEDIATELY_ON_SIGTERM) and when its health check fails (UNHEALTHY_AFTER,
// FAIL_HEALTH_FILE). It listens on 127.0.0.1:$PORT, the port fargo's process driver hands each
// container, and "hello -healthcheck" probes that same address, so a task definition's health
// check needs no curl. README.md lists the endpoints and settings.
//
// The program is in package examples/hello/app, which `fargo demo-app` runs as well. It imports
// nothing from fargo: it stands for any user's application.
package main
