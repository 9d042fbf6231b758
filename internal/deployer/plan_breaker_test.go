package deployer_test

import (
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/deployer"
	"github.com/fargohq/fargo/internal/ecs"
)

// TestPlanReplacementBreaker judges the replacement task set's tasks as the ECS deployment
// circuit breaker judges a rolling deployment's: failed launches since one of its tasks last
// ran healthy, against the same threshold (half the desired count, at least 3). Reaching it
// fails the deployment with ECS_UPDATE_ERROR and the tasks' stopped reasons, and rolls back.
func TestPlanReplacementBreaker(t *testing.T) {
	t.Parallel()
	stabilizing := greenSet(ecs.StabilityStabilizing)
	atZero := map[string]int{blueTG: 100, greenTG: 0}
	install := func(tasks ...ecs.Task) deployer.Observation {
		o := withForward(observed(planDeployment("Install", time.Minute), blueSet(), stabilizing), prod, atZero)
		o.Tasks = tasks
		return o
	}
	three := install(failedTask("a1", greenID, 30*time.Second), failedTask("a2", greenID, 30*time.Second), failedTask("a3", greenID, time.Second))
	autoRollback := install(three.Tasks...)
	autoRollback.Deployment.AutoRollback = codedeploy.AutoRollback{Enabled: true, Events: []string{codedeploy.RollbackOnFailure}}
	// Blue's failures are not the replacement's.
	blueFailures := install(failedTask("b1", blueID, time.Second), failedTask("b2", blueID, time.Second), failedTask("b3", blueID, time.Second),
		failedTask("a1", greenID, time.Second))
	// One replacement task ran healthy after the first failures: only the later ones count.
	reset := install(failedTask("a1", greenID, time.Minute), failedTask("a2", greenID, time.Minute), healthyTask("h", greenID, t0.Add(-50*time.Second)),
		failedTask("a3", greenID, time.Second))
	// Recorded: a task that ran healthy then stopped still resets the count.
	recorded := install(failedTask("a1", greenID, time.Minute), failedTask("a2", greenID, time.Minute), failedTask("a3", greenID, time.Second))
	recorded.Deployment.Progress.FailureResetAt = t0.Add(-50 * time.Second)
	big := install(failedTask("a1", greenID, time.Second), failedTask("a2", greenID, time.Second), failedTask("a3", greenID, time.Second))
	big.Service.DesiredCount = 10
	shifting := planDeployment("AllowTraffic", time.Minute)
	shifting.TrafficRouting = codedeploy.TrafficRouting{Type: codedeploy.RoutingCanary, Percentage: 10, IntervalMinutes: 5}
	shifting.Progress.GreenWeight = 10
	canary := withForward(observed(shifting, blueSet(), stabilizing), prod, map[string]int{blueTG: 90, greenTG: 10})
	canary.Tasks = three.Tasks
	failedCount := func(n int) func(*testing.T, deployer.Step) {
		return func(t *testing.T, s deployer.Step) {
			t.Helper()
			if s.Deployment.Progress.FailedTasks != n {
				t.Errorf("failed tasks recorded %d, want %d", s.Deployment.Progress.FailedTasks, n)
			}
		}
	}
	runPlanCases(t, []planCase{
		{name: "three failed launches fail the deployment and restore the original", o: three,
			actions: "forward prod blue=1; delete " + greenID, phase: "Install", status: codedeploy.StatusFailed, code: codedeploy.ErrorECSUpdate,
			msg: "3 tasks of the replacement task set " + greenID + " failed to start (threshold 3). Task a1 stopped: Essential container in task exited (container web exit code 1).",
			check: func(t *testing.T, s deployer.Step) {
				failedCount(3)(t, s)
				if !strings.Contains(s.Deployment.RollbackMessage, "returned to the original task set") {
					t.Errorf("rollback message %q", s.Deployment.RollbackMessage)
				}
			}},
		{name: "with automatic rollback, a rollback deployment", o: autoRollback,
			phase: "Install", status: codedeploy.StatusFailed, code: codedeploy.ErrorECSUpdate, msg: "failed to start", check: rollsBack},
		{name: "two failed launches wait", o: install(failedTask("a1", greenID, time.Second), failedTask("a2", greenID, time.Second)),
			phase: "Install", status: codedeploy.StatusInProgress, check: failedCount(2)},
		{name: "the original's failures do not count", o: blueFailures, phase: "Install", status: codedeploy.StatusInProgress, check: failedCount(1)},
		{name: "a task that ran healthy resets the count", o: reset, phase: "Install", status: codedeploy.StatusInProgress,
			check: func(t *testing.T, s deployer.Step) {
				failedCount(1)(t, s)
				if !s.Deployment.Progress.FailureResetAt.Equal(t0.Add(-50 * time.Second)) {
					t.Errorf("reset at %s", s.Deployment.Progress.FailureResetAt)
				}
			}},
		{name: "the recorded reset holds after the healthy task is gone", o: recorded, phase: "Install", status: codedeploy.StatusInProgress, check: failedCount(1)},
		{name: "the threshold is half the desired count", o: big, phase: "Install", status: codedeploy.StatusInProgress, check: failedCount(3)},
		{name: "judged while traffic shifts too", o: canary, actions: "forward prod blue=1; delete " + greenID, phase: "AllowTraffic",
			status: codedeploy.StatusFailed, code: codedeploy.ErrorECSUpdate, msg: "failed to start", check: func(t *testing.T, s deployer.Step) {
				if want := "It was rolled back: 100% of production traffic is on the original task set"; !strings.Contains(lastMessage(s.Deployment), want) {
					t.Errorf("last message %q", lastMessage(s.Deployment))
				}
			}},
	})
}
