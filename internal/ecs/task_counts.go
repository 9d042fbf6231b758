package ecs

import (
	"cmp"
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
// resources less those of the tasks placed on it that have not stopped, never below zero
// (Fargate tasks are placed without a reservation check and may use more than is left).
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
	return Resources{CPU: max(left.CPU, 0), Memory: max(left.Memory, 0)}
}

// UsedHostPorts are the host ports that tasks placed on a container instance hold, by protocol
// (tcp and udp), sorted: the static ports they reserve and the ports they are bound to, which
// its remaining resources no longer offer.
func UsedHostPorts(inst ContainerInstance, tasks []Task) (tcp, udp []int) {
	for _, t := range tasks {
		if t.ContainerInstanceID != inst.ID || t.ClusterName != inst.ClusterName || t.IsStopped() {
			continue
		}
		for _, p := range t.UsedPorts() {
			if p.Protocol == TransportProtocolUDP {
				udp = append(udp, p.Port)
			} else {
				tcp = append(tcp, p.Port)
			}
		}
	}
	slices.Sort(tcp)
	slices.Sort(udp)
	return slices.Compact(tcp), slices.Compact(udp)
}

// UsedPorts are the host ports t holds: its static reservations and its bound ports.
func (t Task) UsedPorts() []HostPort {
	out := slices.Clone(t.HostPorts)
	for _, c := range t.Containers {
		for _, b := range c.NetworkBindings {
			if b.HostPort != 0 {
				out = append(out, HostPort{Port: b.HostPort, Protocol: cmp.Or(b.Protocol, TransportProtocolTCP)})
			}
		}
	}
	return out
}

// Resources is what t reserves on its container instance, as ECS counts it for placement: the
// task size when it has one, otherwise the sum of its containers' cpu and of their
// memoryReservation (the soft limit) or else memory, after the task's overrides.
func (t Task) Resources() Resources {
	r := Resources{CPU: atoiOrZero(t.CPU), Memory: atoiOrZero(t.Memory)}
	if r.CPU > 0 && r.Memory > 0 {
		return r
	}
	var cpu, mem int
	for _, c := range t.Containers {
		ccpu, cmem, cres := atoiOrZero(c.CPU), atoiOrZero(c.Memory), atoiOrZero(c.MemoryReservation)
		for _, o := range t.Overrides.ContainerOverrides {
			if o.Name == c.Name {
				ccpu, cmem, cres = cmp.Or(o.CPU, ccpu), cmp.Or(o.Memory, cmem), cmp.Or(o.MemoryReservation, cres)
			}
		}
		cpu += ccpu
		mem += cmp.Or(cres, cmem)
	}
	return Resources{CPU: cmp.Or(r.CPU, cpu), Memory: cmp.Or(r.Memory, mem)}
}

func atoiOrZero(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0
	}
	return n
}
