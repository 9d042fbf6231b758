package ecs

import (
	"slices"
	"strconv"
)

// TaskCounts are the running and pending tasks of a service, deployment, cluster or container
// instance, derived from the tasks whenever they are read.
type TaskCounts struct {
	Running int
	Pending int
}

// CountsAsRunning reports whether t counts as running: RUNNING and meant to stay so.
func (t Task) CountsAsRunning() bool {
	return t.DesiredStatus == TaskRunning && t.LastStatus == TaskRunning
}

// CountsAsPending reports whether t counts as pending: on its way to RUNNING.
func (t Task) CountsAsPending() bool {
	if t.DesiredStatus != TaskRunning {
		return false
	}
	switch t.LastStatus {
	case TaskProvisioning, TaskPending, TaskActivating:
		return true
	}
	return false
}

// Add counts t.
func (c TaskCounts) Add(t Task) TaskCounts {
	switch {
	case t.CountsAsRunning():
		c.Running++
	case t.CountsAsPending():
		c.Pending++
	}
	return c
}

// CountTasks counts tasks by the key key gives each of them; tasks with an empty key are
// skipped.
func CountTasks(tasks []Task, key func(Task) string) map[string]TaskCounts {
	out := map[string]TaskCounts{}
	for _, t := range tasks {
		if k := key(t); k != "" {
			out[k] = out[k].Add(t)
		}
	}
	return out
}

// Resources are CPU units (1024 a core) and memory in MiB.
type Resources struct {
	CPU    int
	Memory int
}

// RemainingResources is what a container instance has left for more tasks: its registered
// resources less those of the tasks placed on it that have not stopped.
func RemainingResources(inst ContainerInstance, tasks []Task) Resources {
	left := Resources{CPU: inst.CPU, Memory: inst.Memory}
	for _, t := range tasks {
		if t.ContainerInstanceID != inst.ID || t.ClusterName != inst.ClusterName || t.IsStopped() {
			continue
		}
		used := t.Resources()
		left.CPU -= used.CPU
		left.Memory -= used.Memory
	}
	return left
}

// UsedHostPorts are the host ports that tasks placed on a container instance hold, by protocol
// (tcp and udp), sorted: the ports its remaining resources no longer offer.
func UsedHostPorts(inst ContainerInstance, tasks []Task) (tcp, udp []int) {
	for _, t := range tasks {
		if t.ContainerInstanceID != inst.ID || t.ClusterName != inst.ClusterName || t.IsStopped() {
			continue
		}
		for _, c := range t.Containers {
			for _, b := range c.NetworkBindings {
				if b.HostPort == 0 {
					continue
				}
				if b.Protocol == TransportProtocolUDP {
					udp = append(udp, b.HostPort)
				} else {
					tcp = append(tcp, b.HostPort)
				}
			}
		}
	}
	slices.Sort(tcp)
	slices.Sort(udp)
	return slices.Compact(tcp), slices.Compact(udp)
}

// Resources is what t reserves on its container instance: the task size when it has one,
// otherwise the sum of its containers' reservations.
func (t Task) Resources() Resources {
	r := Resources{CPU: atoiOrZero(t.CPU), Memory: atoiOrZero(t.Memory)}
	if r.CPU == 0 {
		for _, c := range t.Containers {
			r.CPU += atoiOrZero(c.CPU)
		}
	}
	if r.Memory == 0 {
		for _, c := range t.Containers {
			r.Memory += max(atoiOrZero(c.Memory), atoiOrZero(c.MemoryReservation))
		}
	}
	return r
}

func atoiOrZero(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0
	}
	return n
}
