// Package router is the runtime driver that routes each task to one of several drivers (the
// process and the Docker driver), so that one node runs both kinds of task.
//
// Which driver runs a task is decided once per task, from all its containers, by one rule
// (Choose):
//
//  1. A container's dockerLabel "fargo.driver" ("process" or "docker") wins; two containers of a
//     task that ask for different drivers are an error.
//  2. Otherwise, when Config.Mode names a driver ("process" or "docker"), that one.
//  3. Otherwise (mode "auto") the process driver, when every container's image names no
//     registry path (no "/" in it) and the first word of its entryPoint + command is an
//     executable on the host (on PATH, or an absolute path): examples/hello, image
//     hello:latest with command ["hello"], keeps running as a host process. Every other task
//     runs on Docker: a task definition copied from ECS (an image in a repository, no host
//     command) runs unchanged.
//
// The other calls find the driver that knows the container ID (remembered after Start and
// List, else asked in turn); List merges the drivers' lists, and leaves out a driver whose
// engine does not answer, so that the process driver's tasks keep running without Docker.
package router
