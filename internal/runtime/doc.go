// Package runtime is the contract between the agent and the task drivers that run containers:
// the process driver (each container's command as a host process) and the Docker driver.
//
// A driver runs single containers. Everything that concerns a task as a whole (the order of
// dependsOn, essential containers, health-check scheduling, stopping) is the agent's, so it is
// the same for every driver. Drivers persist what they need to find their containers again: a
// new driver on the same state directory re-adopts the containers a previous fargo process
// started (List, Inspect, Wait, Stop and Logs work on them as before).
package runtime
