// Package agent runs the tasks placed on this node. It registers the node as a container
// instance in every cluster, starts each task's containers through a runtime.Driver in
// dependsOn order, watches them (exits, health checks), stops them when their task should
// stop, and reports every step back to the task in the store as ECS reports it
// (PROVISIONING → PENDING → RUNNING → DEACTIVATING → STOPPING → DEPROVISIONING → STOPPED).
//
// After a restart it re-adopts the containers the driver still knows: those of tasks that
// should run are watched again, the others are stopped and removed, so no process outlives the
// task it belongs to.
package agent
