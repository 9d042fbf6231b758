package scheduler_test

import (
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/scheduler"
)

func external(desired int, sets ...ecs.TaskSet) ecs.Service {
	s := service(desired)
	s.DeploymentController, s.Deployments, s.TaskSets = ecs.ControllerExternal, nil, sets
	return s
}

func codeDeploy(desired int, sets ...ecs.TaskSet) ecs.Service {
	s := external(desired, sets...)
	s.DeploymentController = ecs.ControllerCodeDeploy
	return s
}

func taskSet(id string, status ecs.TaskSetStatus, scale float64) ecs.TaskSet {
	lb := []ecs.LoadBalancer{{TargetGroupARN: "tg-" + id, ContainerName: "web", ContainerPort: 8080}}
	return ecs.TaskSet{ID: id, Status: status, TaskDefinitionARN: "td:" + id, Scale: scale, LoadBalancers: lb}
}

func healthy(id, set string) ecs.Task {
	t := task(id, set, ecs.TaskRunning, t0)
	t.HealthStatus = ecs.HealthHealthy
	return t
}

// TestPlanTaskSets pins how an EXTERNAL service's task sets are kept at their scale.
func TestPlanTaskSets(t *testing.T) {
	cases := []struct {
		name        string
		svc         ecs.Service
		tasks       []ecs.Task
		start, stop string
		sets        int // task sets left
	}{
		{"new task set starts its share", external(3, taskSet("blue", ecs.TaskSetActive, 100)), nil, "blue×3", "", 1},
		{"scale rounds up", external(3, taskSet("blue", ecs.TaskSetPrimary, 100), taskSet("green", ecs.TaskSetActive, 10)),
			[]ecs.Task{healthy("b1", "blue"), healthy("b2", "blue"), healthy("b3", "blue")}, "green×1", "", 2},
		{"scaled down: newest first", external(2, taskSet("blue", ecs.TaskSetPrimary, 50)),
			[]ecs.Task{healthy("b1", "blue"), task("b2", "blue", ecs.TaskRunning, t0.Add(time.Minute)), task("b3", "blue", ecs.TaskPending, t0)},
			"", "b3,b2", 1},
		{"task sets do not wait for each other", external(2, taskSet("blue", ecs.TaskSetActive, 0), taskSet("green", ecs.TaskSetPrimary, 100)),
			[]ecs.Task{healthy("b1", "blue"), healthy("b2", "blue")}, "green×2", "b1,b2", 2},
		{"draining task set stops its tasks and stays until they are gone", external(2, taskSet("blue", ecs.TaskSetDraining, 100)),
			[]ecs.Task{healthy("b1", "blue")}, "", "b1", 1},
		{"drained task set leaves", external(2, taskSet("blue", ecs.TaskSetDraining, 100), taskSet("green", ecs.TaskSetPrimary, 100)),
			[]ecs.Task{healthy("g1", "green"), healthy("g2", "green")}, "", "", 1},
		{"orphans stop", external(1, taskSet("green", ecs.TaskSetPrimary, 100)),
			[]ecs.Task{healthy("g1", "green"), healthy("x1", "gone")}, "", "x1", 1},
		{"CODE_DEPLOY service runs its task sets", codeDeploy(2, taskSet("blue", ecs.TaskSetPrimary, 100)), nil, "blue×2", "", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := scheduler.PlanService(scheduler.Snapshot{Service: tc.svc, Tasks: tc.tasks, Now: t0.Add(time.Minute * 10)})
			if got := starts(p); got != tc.start {
				t.Errorf("starts %q, want %q", got, tc.start)
			}
			if got := stopIDs(p); got != tc.stop {
				t.Errorf("stops %q, want %q", got, tc.stop)
			}
			if len(p.Service.TaskSets) != tc.sets {
				t.Errorf("%d task sets left, want %d", len(p.Service.TaskSets), tc.sets)
			}
			if len(p.Service.Deployments) != 0 {
				t.Errorf("an EXTERNAL service got deployments: %+v", p.Service.Deployments)
			}
		})
	}
}

// TestPlanTaskSetLaunch checks that a task set's tasks get its target groups, launch type and
// network, not the service's.
func TestPlanTaskSetLaunch(t *testing.T) {
	ts := taskSet("green", ecs.TaskSetActive, 100)
	ts.LaunchType = "EC2"
	ts.NetworkConfiguration = ecs.NetworkConfiguration{Subnets: []string{"subnet-green"}}
	svc := external(1, ts)
	svc.LoadBalancers = []ecs.LoadBalancer{{TargetGroupARN: "tg-service"}}
	p := scheduler.PlanService(scheduler.Snapshot{Service: svc, Now: t0})
	if len(p.Start) != 1 {
		t.Fatalf("starts %v", p.Start)
	}
	l := p.Start[0]
	if l.TaskDefinitionARN != "td:green" || l.LaunchType != "EC2" || l.NetworkConfiguration.Subnets[0] != "subnet-green" ||
		len(l.LoadBalancers) != 1 || l.LoadBalancers[0].TargetGroupARN != "tg-green" {
		t.Fatalf("launch %+v", l)
	}
}

// TestPlanTaskSetStability checks stabilityStatus and the service's steady state.
func TestPlanTaskSetStability(t *testing.T) {
	svc := external(2, taskSet("blue", ecs.TaskSetPrimary, 100))
	p := scheduler.PlanService(scheduler.Snapshot{Service: svc, Tasks: []ecs.Task{healthy("b1", "blue")}, Now: t0})
	if got := p.Service.TaskSets[0].StabilityStatus; got != ecs.StabilityStabilizing || p.Service.Steady {
		t.Fatalf("one of two tasks: %s, steady %v", got, p.Service.Steady)
	}
	later := t0.Add(time.Minute)
	p = scheduler.PlanService(scheduler.Snapshot{Service: p.Service, Tasks: []ecs.Task{healthy("b1", "blue"), healthy("b2", "blue")}, Now: later})
	ts := p.Service.TaskSets[0]
	if ts.StabilityStatus != ecs.StabilitySteady || !ts.StabilityStatusAt.Equal(later) || !p.Service.Steady {
		t.Fatalf("both running: %s at %v, steady %v", ts.StabilityStatus, ts.StabilityStatusAt, p.Service.Steady)
	}
	if len(p.Service.Events) == 0 || p.Service.Events[0].Message != "(service web) has reached a steady state." {
		t.Fatalf("events %+v", p.Service.Events)
	}
}
