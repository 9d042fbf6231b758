package ecs

import "time"

// DefaultStopReason is the stoppedReason of a task that StopTask stopped without a reason.
const DefaultStopReason = "Task stopped by user"

// StoppedByUser returns t as StopTask leaves it: desired STOPPED with code UserInitiated and
// the reason given (DefaultStopReason when empty), and, as ECS documents, without its tags. A
// task that is already stopping or stopped is returned unchanged: the first stop wins.
func (t Task) StoppedByUser(reason string, at time.Time) Task {
	if t.Terminating() || t.IsStopped() {
		return t
	}
	if reason == "" {
		reason = DefaultStopReason
	}
	t = t.RequestStop(StopUserInitiated, reason, at)
	t.Tags = nil
	return t
}

// LostWithHost returns t as the control plane records a task whose container instance's
// agent stopped answering: STOPPED at once, since no agent is left to step it there, with
// stopCode TerminationNotice and ECS's kind of reason for a host that is gone. An earlier stop
// request keeps its code and reason. A stopped task is returned unchanged.
func (t Task) LostWithHost(nodeID string, at time.Time) Task {
	if t.IsStopped() {
		return t
	}
	t = t.RequestStop(StopTerminationNotice, LostHostReason(nodeID), at)
	t.LastStatus = TaskStopped
	t.StoppedAt, t.ExecutionStoppedAt = at, at
	for i := range t.Containers {
		c := &t.Containers[i]
		if c.LastStatus != ContainerStopped {
			c.LastStatus, c.Reason = ContainerStopped, "The host of the container stopped answering."
		}
	}
	t.Version++
	return t
}

// LostHostReason is the stoppedReason of a task lost with its host, after ECS's "Host EC2
// (instance i-...) stopped/terminated."
func LostHostReason(nodeID string) string {
	return "Host (node " + nodeID + ") stopped answering: its agent was disconnected for longer than the grace period."
}
