// Package docker is the runtime driver that runs each container of a task as a Docker
// container, through the Docker Engine API (github.com/moby/moby/client, API version
// negotiated: Debian's docker.io 20.10, API 1.41, works).
//
// The engine keeps all the state. Every container the driver creates carries labels: the
// driver's scope (fargo.scope, one per node), the fargo container ID, task ID and name, the
// spec's labels and port mappings as JSON, the network mode and the image digest. List finds
// the containers of its scope by label, so a new driver, after fargo restarted or was killed,
// re-adopts the containers an earlier one started, and the agent removes the orphans. Engine
// names are "fargo-<scope hash>-<ID>", which makes a second Start of an ID fail in the engine.
//
// Networking follows the task's network mode:
//
//   - awsvpc (the default): the task's first container joins a bridge network that the driver
//     creates (Config.Network, "fargo") and gets an address of its own; the task's later
//     containers join its network namespace, so they share the address and localhost, as in
//     ECS. The address is reported as HostIP and each container port as its own host port, so
//     the load balancer on the host reaches the task directly and two tasks never collide.
//   - bridge: each container port is published on Config.BindIP (127.0.0.1), on the task
//     definition's hostPort, or on a port the engine picks when it is 0.
//   - host: the container shares the host's network; its ports are the container ports.
//
// Start pulls the image as Config.PullPolicy says (by default: images of a named registry at
// every start, keeping the local image if the pull fails, as the ECS agent's default does; Docker
// Hub names only when missing, so local builds need no internet), with the spec's RegistryAuth.
// A pull that fails with no local image fails Start with a *runtime.PullError.
//
// Containers get PORT (the first container port) and FARGO_PORT_<containerPort> unless the
// spec sets them, so a program written for the process driver listens where the task
// definition says, and health checks run through Exec (docker exec), as the agent runs them
// for every driver. Logs are the engine's (json-file or journald, whatever it is configured
// with, as long as it can be read back).
package docker
