package scheduler_test

import (
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/scheduler"
)

// TestPlanDrainingInstance: the service tasks of a DRAINING instance are replaced elsewhere
// first, within maximumPercent, and stop only as minimumHealthyPercent allows; pending ones stop
// at once.
func TestPlanDrainingInstance(t *testing.T) {
	t.Parallel()
	on := func(tk ecs.Task, instance string) ecs.Task { tk.ContainerInstanceID = instance; return tk }
	running := func(id, instance string) ecs.Task {
		return on(task(id, "d2", ecs.TaskRunning, t0.Add(-time.Hour)), instance)
	}
	lowMinimum := service(2)
	lowMinimum.DeploymentConfiguration.MinimumHealthyPercent = 50
	noRoom := service(2)
	noRoom.DeploymentConfiguration.MaximumPercent = 100
	tests := []struct {
		name      string
		svc       ecs.Service
		tasks     []ecs.Task
		wantStart string
		wantStop  string
	}{
		{name: "replacement starts first", svc: service(2), tasks: []ecs.Task{running("a", "i1"), running("b", "drain")}, wantStart: "d2×1"},
		{name: "replacement starting: the draining task stays", svc: service(2),
			tasks: []ecs.Task{running("a", "i1"), running("b", "drain"), on(task("c", "d2", ecs.TaskPending, time.Time{}), "i1")}},
		{name: "replacement healthy: the draining task stops", svc: service(2),
			tasks: []ecs.Task{running("a", "i1"), running("b", "drain"), running("c", "i1")}, wantStop: "b"},
		{name: "pending task on the draining instance stops at once", svc: service(2),
			tasks: []ecs.Task{running("a", "i1"), on(task("b", "d2", ecs.TaskPending, time.Time{}), "drain")}, wantStart: "d2×1", wantStop: "b"},
		{name: "minimum below 100% stops before replacing", svc: lowMinimum,
			tasks: []ecs.Task{running("a", "drain"), running("b", "drain")}, wantStart: "d2×2", wantStop: "a"},
		{name: "no room and a 100% minimum: nothing moves", svc: noRoom, tasks: []ecs.Task{running("a", "i1"), running("b", "drain")}},
		{name: "active instances only: steady", svc: service(2), tasks: []ecs.Task{running("a", "i1"), running("b", "i2")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := scheduler.PlanService(scheduler.Snapshot{Service: tt.svc, Tasks: tt.tasks, Now: t0, Draining: map[string]bool{"drain": true}})
			if got := starts(p); got != tt.wantStart {
				t.Errorf("start %q, want %q", got, tt.wantStart)
			}
			if got := stopIDs(p); got != tt.wantStop {
				t.Errorf("stop %q, want %q", got, tt.wantStop)
			}
			for _, s := range p.Stop {
				if s.Reason != "Container instance drain is DRAINING" {
					t.Errorf("stop reason %q", s.Reason)
				}
			}
		})
	}
}
