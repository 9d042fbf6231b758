package ecs

import "time"

// Deployment circuit breaker thresholds: half the desired count, at least 3 and at most 200
// failed tasks, as ECS counts them.
const (
	breakerMin = 3
	breakerMax = 200
)

// BreakerThreshold is how many failed tasks trip the deployment circuit breaker of a
// deployment (or a CodeDeploy replacement task set) that wants desired tasks.
func BreakerThreshold(desired int) int {
	return min(max((desired+1)/2, breakerMin), breakerMax)
}

// LaunchFailed reports whether a stopped task counts as a failed launch: it never ran, or its
// essential container exited.
func (t Task) LaunchFailed() bool {
	return t.IsStopped() && (t.StopCode == StopTaskFailedToStart || t.StopCode == StopEssentialContainerExited)
}

// RunsHealthy reports whether a task serves: running, not about to stop, not reported
// unhealthy by its containers and, behind a load balancer, with healthy targets.
func (t Task) RunsHealthy() bool {
	return !t.Terminating() && !t.IsStopped() && t.LastStatus == TaskRunning &&
		t.HealthStatus != HealthUnhealthy && (!t.LoadBalanced || t.TargetHealth == HealthHealthy)
}

// FailedLaunches is the circuit breaker's count for the tasks of one deployment or task set
// (owner, their DeploymentID): the failed launches since one of its tasks last ran healthy.
// resetAt is that moment as last recorded; the count and the moment now are returned, for
// the caller to record, since a task that ran healthy and stopped since no longer tells.
func FailedLaunches(tasks []Task, owner string, resetAt time.Time) (failed []Task, reset time.Time) {
	reset = resetAt
	for _, t := range tasks {
		if t.DeploymentID == owner && t.RunsHealthy() && t.StartedAt.After(reset) {
			reset = t.StartedAt
		}
	}
	for _, t := range tasks {
		if t.DeploymentID == owner && t.LaunchFailed() && t.StoppedAt.After(reset) {
			failed = append(failed, t)
		}
	}
	return failed, reset
}
