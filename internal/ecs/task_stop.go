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
