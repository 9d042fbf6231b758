// Package placement chooses the container instance a task runs on, as ECS places EC2 tasks:
// the instances whose agent is connected and that have the task's CPU, memory and static host
// ports left, then those that satisfy its placement constraints (memberOf in the cluster query
// language, distinctInstance), then its placement strategies in order (spread, binpack,
// random), each breaking the ties of the one before. When no instance fits it says why in
// ECS's terms (RESOURCE:MEMORY, ...), naming the instance that came closest.
//
// It is pure: a Cluster is a snapshot of instances and their tasks that Place updates as it
// reserves, so that many tasks are placed in one pass; randomness is an input.
package placement
