package deployer

import (
	"fmt"
	"slices"
	"strings"

	"github.com/fargohq/fargo/internal/ecs"
)

// maxReasons bounds how many stopped tasks a failure message names.
const maxReasons = 3

// judgeReplacement judges the replacement task set's tasks as the ECS deployment circuit
// breaker judges a rolling deployment's (ecs.FailedLaunches, ecs.BreakerThreshold): it records
// the failed launches since one of its tasks last ran healthy and, once they reach the
// threshold, returns why the deployment fails, with the tasks' stopped reasons. The original
// task set still runs in every phase judged, so the failure can roll back.
func (p *planner) judgeReplacement() (string, bool) {
	switch p.d.Progress.Phase {
	case phaseInstall, phaseTestTraffic, phaseReady, phaseShift, phaseTerminate:
	default:
		return "", false
	}
	green, ok := greenTaskSet(*p.d, p.o.Service)
	if !ok {
		return "", false
	}
	failed, reset := ecs.FailedLaunches(p.o.Tasks, green.ID, p.d.Progress.FailureResetAt)
	p.d.Progress.FailedTasks, p.d.Progress.FailureResetAt = len(failed), reset
	threshold := ecs.BreakerThreshold(p.o.Service.TaskSetDesiredCount(green))
	if len(failed) < threshold {
		return "", false
	}
	return failedLaunchesMessage(green.ID, failed, threshold), true
}

// failedLaunchesMessage says that the replacement's tasks failed, naming the first ones and
// why each stopped.
func failedLaunchesMessage(taskSet string, failed []ecs.Task, threshold int) string {
	failed = slices.SortedFunc(slices.Values(failed), func(a, b ecs.Task) int {
		if c := a.StoppedAt.Compare(b.StoppedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	var b strings.Builder
	fmt.Fprintf(&b, "The ECS deployment circuit breaker failed the deployment: %d tasks of the replacement task set %s failed to start (threshold %d).",
		len(failed), taskSet, threshold)
	for _, t := range failed[:min(len(failed), maxReasons)] {
		fmt.Fprintf(&b, " Task %s stopped: %s.", t.ID, stoppedReason(t))
	}
	if n := len(failed) - maxReasons; n > 0 {
		fmt.Fprintf(&b, " %d more stopped likewise.", n)
	}
	return b.String()
}

// stoppedReason is a task's stopped reason with the exit code of the container that exited.
func stoppedReason(t ecs.Task) string {
	reason := strings.TrimSuffix(t.StoppedReason, ".")
	if reason == "" {
		reason = string(t.StopCode)
	}
	for _, c := range t.Containers {
		if c.HasExitCode && c.ExitCode != 0 {
			return fmt.Sprintf("%s (container %s exit code %d)", reason, c.Name, c.ExitCode)
		}
		if c.Reason != "" {
			return fmt.Sprintf("%s (container %s: %s)", reason, c.Name, c.Reason)
		}
	}
	return reason
}
