package scheduler_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/scheduler"
)

var t0 = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

func service(desired int, deployments ...ecs.Deployment) ecs.Service {
	if len(deployments) == 0 {
		deployments = []ecs.Deployment{{ID: "d2", Status: ecs.DeploymentPrimary, TaskDefinitionARN: "td:2", RolloutState: ecs.RolloutInProgress}}
	}
	return ecs.Service{
		Name: "web", ClusterName: "demo", Status: ecs.ServiceActive, DesiredCount: desired,
		DeploymentConfiguration: ecs.DeploymentConfiguration{MaximumPercent: 200, MinimumHealthyPercent: 100},
		Deployments:             deployments,
	}
}

func rolling() []ecs.Deployment {
	return []ecs.Deployment{
		{ID: "d2", Status: ecs.DeploymentPrimary, TaskDefinitionARN: "td:2", RolloutState: ecs.RolloutInProgress},
		{ID: "d1", Status: ecs.DeploymentActive, TaskDefinitionARN: "td:1", RolloutState: ecs.RolloutCompleted},
	}
}

func task(id, deployment string, status ecs.TaskStatus, started time.Time) ecs.Task {
	return ecs.Task{ID: id, DeploymentID: deployment, ServiceName: "web", LastStatus: status, DesiredStatus: ecs.TaskRunning, HealthStatus: ecs.HealthUnknown, StartedAt: started}
}

func failed(id string, stopped time.Time) ecs.Task {
	t := task(id, "d2", ecs.TaskStopped, time.Time{})
	t.DesiredStatus, t.StopCode, t.StoppedAt = ecs.TaskStopped, ecs.StopEssentialContainerExited, stopped
	return t
}

// behindLB is a running task of a service behind a load balancer whose targets the load
// balancer reports as health (UNKNOWN while they are in their first checks).
func behindLB(id, deployment string, health ecs.HealthStatus, started time.Time) ecs.Task {
	t := task(id, deployment, ecs.TaskRunning, started)
	t.LoadBalanced, t.TargetHealth, t.TargetHealthGroup = true, health, ""
	if health == ecs.HealthUnhealthy {
		t.TargetHealthGroup = "arn:tg/blue"
	}
	return t
}

func stopIDs(p scheduler.Plan) string {
	var ids []string
	for _, s := range p.Stop {
		ids = append(ids, s.TaskID)
	}
	return strings.Join(ids, ",")
}

func starts(p scheduler.Plan) string {
	var out []string
	for _, l := range p.Start {
		out = append(out, fmt.Sprintf("%s×%d", l.DeploymentID, l.Count))
	}
	return strings.Join(out, ",")
}

func TestPlanService(t *testing.T) {
	t.Parallel()
	unhealthy := task("u", "d2", ecs.TaskRunning, t0.Add(-time.Minute))
	unhealthy.HealthStatus = ecs.HealthUnhealthy
	graceSvc := service(1)
	graceSvc.HealthCheckGracePeriodSeconds = 120
	elbSick := task("e", "d2", ecs.TaskRunning, t0.Add(-time.Minute))
	elbSick.LoadBalanced, elbSick.TargetHealth, elbSick.TargetHealthGroup = true, ecs.HealthUnhealthy, "arn:tg/blue"
	elbNew := task("n", "d2", ecs.TaskRunning, t0)
	elbNew.LoadBalanced, elbNew.TargetHealth = true, ecs.HealthUnknown
	draining := service(0)
	draining.Status = ecs.ServiceDraining
	// A rolling deployment right after the service became stable: its three tasks run, their
	// targets still in their first checks, inside the grace period (issue 12, item 8).
	justStable := service(3, rolling()...)
	justStable.HealthCheckGracePeriodSeconds = 10
	oldStarting := func() []ecs.Task {
		return []ecs.Task{behindLB("a", "d1", ecs.HealthUnknown, t0.Add(-2*time.Second)), behindLB("b", "d1", ecs.HealthUnknown, t0.Add(-2*time.Second)),
			behindLB("c", "d1", ecs.HealthUnknown, t0.Add(-2*time.Second))}
	}
	withNew := func(old []ecs.Task, health ...ecs.HealthStatus) []ecs.Task {
		for i, h := range health {
			old = append(old, behindLB(fmt.Sprint("n", i), "d2", h, t0.Add(-time.Second)))
		}
		return old
	}
	oldFailedInGrace := oldStarting()
	oldFailedInGrace[0].TargetHealth, oldFailedInGrace[0].TargetHealthGroup = ecs.HealthUnhealthy, "arn:tg/blue"
	noGrace := service(3, rolling()...)
	halfHealthy := service(3, rolling()...)
	halfHealthy.DeploymentConfiguration.MinimumHealthyPercent = 50
	tests := []struct {
		name        string
		svc         ecs.Service
		tasks       []ecs.Task
		wantStart   string
		wantStop    string
		wantDeploys int
		wantRequeue bool
		wantEvent   string
		wantStatus  ecs.ServiceStatus
		wantRollout ecs.RolloutState
	}{
		{name: "new service starts desired", svc: service(2), wantStart: "d2×2", wantDeploys: 1},
		{name: "pending tasks are not started twice", svc: service(2), tasks: []ecs.Task{task("a", "d2", ecs.TaskPending, time.Time{})}, wantStart: "d2×1", wantDeploys: 1},
		{name: "steady state completes the rollout", svc: service(2), tasks: []ecs.Task{task("a", "d2", ecs.TaskRunning, t0), task("b", "d2", ecs.TaskRunning, t0)},
			wantDeploys: 1, wantEvent: "has reached a steady state", wantRollout: ecs.RolloutCompleted},
		{name: "scale in stops the newest", svc: service(1), tasks: []ecs.Task{task("old", "d2", ecs.TaskRunning, t0.Add(-time.Hour)), task("new", "d2", ecs.TaskRunning, t0), task("p", "d2", ecs.TaskPending, time.Time{})},
			wantStop: "p,new", wantDeploys: 1},
		{name: "rolling starts new first", svc: service(2, rolling()...), tasks: []ecs.Task{task("a", "d1", ecs.TaskRunning, t0), task("b", "d1", ecs.TaskRunning, t0)},
			wantStart: "d2×2", wantDeploys: 2},
		{name: "rolling stops old when new are healthy", svc: service(2, rolling()...), tasks: []ecs.Task{
			task("a", "d1", ecs.TaskRunning, t0), task("b", "d1", ecs.TaskRunning, t0), task("c", "d2", ecs.TaskRunning, t0), task("d", "d2", ecs.TaskRunning, t0)},
			wantStop: "a,b", wantDeploys: 2},
		{name: "rolling keeps old while new are pending", svc: service(2, rolling()...), tasks: []ecs.Task{
			task("a", "d1", ecs.TaskRunning, t0), task("b", "d1", ecs.TaskRunning, t0), task("c", "d2", ecs.TaskPending, t0), task("d", "d2", ecs.TaskPending, t0)},
			wantDeploys: 2},
		{name: "finished deployment leaves", svc: service(1, rolling()...), tasks: []ecs.Task{task("c", "d2", ecs.TaskRunning, t0)},
			wantDeploys: 1, wantRollout: ecs.RolloutCompleted},
		{name: "unhealthy task is replaced", svc: service(1), tasks: []ecs.Task{unhealthy}, wantStop: "u", wantStart: "d2×1", wantDeploys: 1, wantEvent: "failed container health checks"},
		{name: "task failing ELB health checks is replaced", svc: service(1), tasks: []ecs.Task{elbSick}, wantStop: "e", wantStart: "d2×1", wantDeploys: 1, wantEvent: "failed ELB health checks in (target-group arn:tg/blue)"},
		{name: "old tasks stay until new targets are healthy", svc: service(1, rolling()...), tasks: []ecs.Task{task("a", "d1", ecs.TaskRunning, t0), elbNew}, wantDeploys: 2},
		{name: "old targets in their first checks stay while new tasks start", svc: justStable, tasks: oldStarting(),
			wantStart: "d2×3", wantDeploys: 2},
		{name: "old targets in their first checks stay while new targets are in theirs", svc: justStable,
			tasks: withNew(oldStarting(), ecs.HealthUnknown, ecs.HealthUnknown, ecs.HealthUnknown), wantDeploys: 2},
		{name: "old targets in their first checks stay until enough new are healthy", svc: justStable,
			tasks: withNew(oldStarting(), ecs.HealthHealthy, ecs.HealthHealthy, ecs.HealthUnknown), wantDeploys: 2},
		{name: "old targets in their first checks stop once the new are healthy", svc: justStable,
			tasks: withNew(oldStarting(), ecs.HealthHealthy, ecs.HealthHealthy, ecs.HealthHealthy), wantStop: "a,b,c", wantDeploys: 2},
		{name: "old targets in their first checks stay without a grace period", svc: noGrace,
			tasks: withNew(oldStarting(), ecs.HealthUnknown, ecs.HealthUnknown, ecs.HealthUnknown), wantDeploys: 2},
		{name: "old target failing inside the grace period stays", svc: justStable,
			tasks: withNew(oldFailedInGrace, ecs.HealthUnknown, ecs.HealthUnknown, ecs.HealthUnknown), wantDeploys: 2, wantRequeue: true},
		{name: "old target failing after the grace period goes", svc: noGrace,
			tasks: withNew(oldFailedInGrace, ecs.HealthUnknown, ecs.HealthUnknown, ecs.HealthUnknown), wantStop: "a", wantDeploys: 2, wantEvent: "failed ELB health checks"},
		{name: "old tasks in their first checks go down to minimumHealthyPercent", svc: halfHealthy,
			tasks: withNew(oldStarting(), ecs.HealthHealthy, ecs.HealthHealthy, ecs.HealthUnknown), wantStop: "a,b,c", wantDeploys: 2},
		{name: "grace period protects unhealthy task", svc: graceSvc, tasks: []ecs.Task{unhealthy}, wantDeploys: 1, wantRequeue: true},
		{name: "backoff after repeated failures", svc: service(1), tasks: []ecs.Task{failed("f1", t0.Add(-3*time.Second)), failed("f2", t0.Add(-2*time.Second)), failed("f3", t0.Add(-time.Second))},
			wantDeploys: 1, wantRequeue: true, wantEvent: "unable to consistently start tasks"},
		{name: "draining service stops everything", svc: draining, tasks: []ecs.Task{task("a", "d2", ecs.TaskRunning, t0)}, wantStop: "a", wantDeploys: 1, wantStatus: ecs.ServiceDraining},
		{name: "drained service turns inactive", svc: draining, tasks: []ecs.Task{failed("x", t0)}, wantDeploys: 1, wantStatus: ecs.ServiceInactive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := scheduler.PlanService(scheduler.Snapshot{Service: tt.svc, Tasks: tt.tasks, Now: t0})
			if got := starts(p); got != tt.wantStart {
				t.Errorf("start %q, want %q", got, tt.wantStart)
			}
			if got := stopIDs(p); got != tt.wantStop {
				t.Errorf("stop %q, want %q", got, tt.wantStop)
			}
			if len(p.Service.Deployments) != tt.wantDeploys {
				t.Errorf("deployments %d, want %d", len(p.Service.Deployments), tt.wantDeploys)
			}
			if (p.RequeueAfter > 0) != tt.wantRequeue {
				t.Errorf("requeue after %v", p.RequeueAfter)
			}
			if tt.wantEvent != "" && (len(p.Service.Events) == 0 || !hasEvent(p.Service, tt.wantEvent)) {
				t.Errorf("events %+v lack %q", p.Service.Events, tt.wantEvent)
			}
			if tt.wantStatus != "" && p.Service.Status != tt.wantStatus {
				t.Errorf("status %s, want %s", p.Service.Status, tt.wantStatus)
			}
			if tt.wantRollout != "" && p.Service.Deployments[0].RolloutState != tt.wantRollout {
				t.Errorf("rollout %s, want %s", p.Service.Deployments[0].RolloutState, tt.wantRollout)
			}
		})
	}
}

func hasEvent(s ecs.Service, substr string) bool {
	for _, e := range s.Events {
		if strings.Contains(e.Message, substr) {
			return true
		}
	}
	return false
}

// TestStartFailureEventOncePerBackoff checks that a service records "unable to consistently
// start tasks" once per backoff, as ECS does, and not once per failed task: a batch of tasks
// that fail within 0.3 s gives one event, a launch that fails after the backoff ended another,
// and failures after a task started well begin anew.
func TestStartFailureEventOncePerBackoff(t *testing.T) {
	t.Parallel()
	svc := service(6)
	var tasks []ecs.Task
	plan := func(now time.Time) {
		svc = scheduler.PlanService(scheduler.Snapshot{Service: svc, Tasks: tasks, Now: now}).Service
	}
	fail := func(id string, at time.Time) {
		tasks = append(tasks, failed(id, at))
		plan(at)
	}
	events := func() int {
		n := 0
		for _, e := range svc.Events {
			if strings.Contains(e.Message, "(service web) is unable to consistently start tasks successfully.") {
				n++
			}
		}
		return n
	}

	for i := range 6 { // six tasks launched together, planned after each failure
		fail(fmt.Sprintf("a%d", i), t0.Add(time.Duration(i)*50*time.Millisecond))
	}
	if got := events(); got != 1 {
		t.Fatalf("%d events for one batch of failed tasks, want 1: %+v", got, svc.Events)
	}
	end := svc.Backoff.NotBefore
	if !end.After(t0) {
		t.Fatalf("no backoff after six failures: %+v", svc.Backoff)
	}
	plan(end) // the backoff ends and a task is launched
	fail("b", end.Add(time.Second))
	if got := events(); got != 2 {
		t.Fatalf("%d events after a launch after the backoff failed, want 2", got)
	}

	started := end.Add(time.Minute)
	tasks = append(tasks, task("ok", "d2", ecs.TaskRunning, started))
	plan(started)
	for i := range 3 {
		fail(fmt.Sprintf("c%d", i), started.Add(time.Duration(i+1)*time.Second))
	}
	if got := events(); got != 3 {
		t.Fatalf("%d events after failures that followed a good start, want 3", got)
	}
}

func TestPlanIsStableOnceSteady(t *testing.T) {
	t.Parallel()
	svc := service(2)
	tasks := []ecs.Task{task("a", "d2", ecs.TaskRunning, t0), task("b", "d2", ecs.TaskRunning, t0)}
	first := scheduler.PlanService(scheduler.Snapshot{Service: svc, Tasks: tasks, Now: t0})
	second := scheduler.PlanService(scheduler.Snapshot{Service: first.Service, Tasks: tasks, Now: t0.Add(time.Minute)})
	if len(second.Service.Events) != len(first.Service.Events) || len(second.Start)+len(second.Stop) != 0 {
		t.Fatalf("a steady service must not change: %+v", second)
	}
}

func TestCircuitBreaker(t *testing.T) {
	t.Parallel()
	svc := service(4, rolling()...)
	svc.DeploymentConfiguration.CircuitBreakerEnable = true
	svc.DeploymentConfiguration.CircuitBreakerRollback = true
	svc.StableTaskDefinitionARN = "td:1"
	svc.TaskDefinitionARN = "td:2"
	old := []ecs.Task{task("a", "d1", ecs.TaskRunning, t0), task("b", "d1", ecs.TaskRunning, t0), task("c", "d1", ecs.TaskRunning, t0), task("d", "d1", ecs.TaskRunning, t0)}
	twoFailures := append(slices.Clone(old), failed("f1", t0.Add(-2*time.Second)), failed("f2", t0.Add(-time.Second)))
	p := scheduler.PlanService(scheduler.Snapshot{Service: svc, Tasks: twoFailures, Now: t0})
	if p.Service.Deployments[0].RolloutState != ecs.RolloutInProgress || p.Service.Deployments[0].FailedTasks != 2 {
		t.Fatalf("tripped below the threshold of 3: %+v", p.Service.Deployments[0])
	}
	threeFailures := append(slices.Clone(twoFailures), failed("f3", t0.Add(-500*time.Millisecond)))
	p = scheduler.PlanService(scheduler.Snapshot{Service: svc, Tasks: threeFailures, Now: t0})
	// The failed deployment has no task left, so it leaves deployments[] at once, as the deploy
	// action expects of a rolled-back deployment.
	if len(p.Service.Deployments) != 2 || p.Service.Deployments[1].ID != "d1" {
		t.Fatalf("deployments after trip: %+v", p.Service.Deployments)
	}
	rollback := p.Service.Deployments[0]
	if rollback.Status != ecs.DeploymentPrimary || rollback.TaskDefinitionARN != "td:1" || rollback.RolloutState != ecs.RolloutInProgress {
		t.Fatalf("rollback deployment %+v", rollback)
	}
	if p.Service.TaskDefinitionARN != "td:1" || !hasEvent(p.Service, "deployment failed: tasks failed to start") {
		t.Fatalf("service after rollback: %s %+v", p.Service.TaskDefinitionARN, p.Service.Events)
	}
	// A healthy task of the deployment resets the count.
	healthy := append(slices.Clone(threeFailures), task("ok", "d2", ecs.TaskRunning, t0))
	p = scheduler.PlanService(scheduler.Snapshot{Service: svc, Tasks: healthy, Now: t0})
	if p.Service.Deployments[0].ID != "d2" {
		t.Fatalf("rolled back although a task of the deployment is healthy: %+v", p.Service.Deployments)
	}
	if p.Service.Deployments[0].FailedTasks != 0 || p.Service.Deployments[0].RolloutState != ecs.RolloutInProgress {
		t.Fatalf("no reset after a healthy task: %+v", p.Service.Deployments[0])
	}
}

func TestCircuitBreakerWithoutRollbackStopsLaunching(t *testing.T) {
	t.Parallel()
	svc := service(1)
	svc.DeploymentConfiguration.CircuitBreakerEnable = true
	tasks := []ecs.Task{failed("f1", t0.Add(-3*time.Minute)), failed("f2", t0.Add(-2*time.Minute)), failed("f3", t0.Add(-time.Minute))}
	p := scheduler.PlanService(scheduler.Snapshot{Service: svc, Tasks: tasks, Now: t0.Add(time.Hour)})
	if p.Service.Deployments[0].RolloutState != ecs.RolloutFailed || len(p.Start) != 0 {
		t.Fatalf("FAILED deployment must launch nothing: %+v %+v", p.Service.Deployments[0], p.Start)
	}
}

func TestTrafficBudgetRollsBack(t *testing.T) {
	t.Parallel()
	svc := service(2, rolling()...)
	svc.StableTaskDefinitionARN = "td:1"
	svc.Tags = []ecs.Tag{{Key: ecs.TagRollbackErrorRate, Value: "5"}, {Key: ecs.TagRollbackP99Millis, Value: "300"}}
	withTraffic := func(id string, s ecs.TrafficStats) ecs.Task {
		tk := task(id, "d2", ecs.TaskRunning, t0)
		tk.Traffic = s
		return tk
	}
	old := []ecs.Task{task("a", "d1", ecs.TaskRunning, t0), task("b", "d1", ecs.TaskRunning, t0)}
	tests := []struct {
		name     string
		traffic  []ecs.TrafficStats
		wantFail string
	}{
		{"within budget", []ecs.TrafficStats{{Requests: 100, Errors: 2}, {Requests: 100, Errors: 3}}, ""},
		{"too few requests to judge", []ecs.TrafficStats{{Requests: 5, Errors: 5}}, ""},
		{"error rate over budget", []ecs.TrafficStats{{Requests: 50, Errors: 5}, {Requests: 50, Errors: 4}}, "9.0% of 100 requests failed"},
		{"latency over budget", []ecs.TrafficStats{{Requests: 100, Slow: 3}}, "3 of 100 requests took longer than 300 ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tasks := slices.Clone(old)
			for i, s := range tt.traffic {
				tasks = append(tasks, withTraffic(fmt.Sprint("n", i), s))
			}
			p := scheduler.PlanService(scheduler.Snapshot{Service: svc, Tasks: tasks, Now: t0})
			failed := p.Service.Deployments[0].ID != "d2"
			if failed != (tt.wantFail != "") {
				t.Fatalf("rolled back = %v, want %v: %+v", failed, tt.wantFail != "", p.Service.Deployments)
			}
			if failed && !hasEvent(p.Service, tt.wantFail) {
				t.Fatalf("events %+v lack %q", p.Service.Events, tt.wantFail)
			}
		})
	}
}

// TestRollingKeepsServingCapacity checks, for any mix of old and new tasks behind a load
// balancer, that a plan stops an old task that serves or is still starting (its targets in
// their first checks, or inside the grace period) only while minimumHealthyPercent of healthy
// tasks remain without it: a deployment never leaves the listener with nothing to route to
// while old tasks could serve (DESIGN.md, invariant 8).
func TestRollingKeepsServingCapacity(t *testing.T) {
	t.Parallel()
	healths := []ecs.HealthStatus{ecs.HealthUnknown, ecs.HealthHealthy, ecs.HealthUnhealthy}
	rapid.Check(t, func(rt *rapid.T) {
		svc := service(rapid.IntRange(1, 5).Draw(rt, "desired"), rolling()...)
		svc.DeploymentConfiguration.MinimumHealthyPercent = rapid.SampledFrom([]int{50, 100}).Draw(rt, "minHealthy")
		svc.DeploymentConfiguration.MaximumPercent = rapid.SampledFrom([]int{100, 150, 200}).Draw(rt, "max")
		svc.HealthCheckGracePeriodSeconds = rapid.SampledFrom([]int{0, 10}).Draw(rt, "grace")
		var tasks []ecs.Task
		for i := range rapid.IntRange(0, 6).Draw(rt, "tasks") {
			dep := rapid.SampledFrom([]string{"d1", "d2"}).Draw(rt, "deployment")
			started := t0.Add(-time.Duration(rapid.IntRange(1, 30).Draw(rt, "age")) * time.Second)
			tk := behindLB(fmt.Sprint("t", i), dep, rapid.SampledFrom(healths).Draw(rt, "health"), started)
			if rapid.Bool().Draw(rt, "pending") {
				tk.LastStatus = ecs.TaskPending
			}
			tasks = append(tasks, tk)
		}
		p := scheduler.PlanService(scheduler.Snapshot{Service: svc, Tasks: tasks, Now: t0})
		stopped := map[string]bool{}
		for _, s := range p.Stop {
			stopped[s.TaskID] = true
		}
		grace := time.Duration(svc.HealthCheckGracePeriodSeconds) * time.Second
		healthyLeft := 0
		for _, tk := range tasks {
			if !stopped[tk.ID] && tk.LastStatus == ecs.TaskRunning && tk.TargetHealth == ecs.HealthHealthy {
				healthyLeft++
			}
		}
		minHealthy := (svc.DesiredCount*svc.DeploymentConfiguration.MinimumHealthyPercent + 99) / 100
		for _, tk := range tasks {
			running := tk.LastStatus == ecs.TaskRunning
			couldServe := running && (tk.TargetHealth != ecs.HealthUnhealthy || t0.Before(tk.StartedAt.Add(grace)))
			if tk.DeploymentID == "d1" && stopped[tk.ID] && couldServe && healthyLeft < minHealthy {
				rt.Fatalf("stopped old task %s (target %s, started %s ago) leaving %d healthy of at least %d",
					tk.ID, tk.TargetHealth, t0.Sub(tk.StartedAt), healthyLeft, minHealthy)
			}
		}
	})
}

// TestPlanNativeHoldsReplacedRevision pins how the scheduler runs a native deployment: the new
// PRIMARY deployment starts to its full count beside the old one whatever maximumPercent says,
// the old deployment's tasks keep running until the deployer releases it (INACTIVE), then all
// of them stop at once; a service being deleted holds nothing.
func TestPlanNativeHoldsReplacedRevision(t *testing.T) {
	now := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	svc := func(old ecs.DeploymentStatus, status ecs.ServiceStatus) ecs.Service {
		return ecs.Service{Name: "web", Status: status, DesiredCount: 2,
			DeploymentConfiguration: ecs.DeploymentConfiguration{MaximumPercent: 100, MinimumHealthyPercent: 100, Strategy: ecs.StrategyBlueGreen},
			Deployments: []ecs.Deployment{
				{ID: "new", Status: ecs.DeploymentPrimary, DesiredCount: 2, Strategy: ecs.StrategyBlueGreen, RolloutState: ecs.RolloutInProgress,
					TaskDefinitionARN: "td:2", LoadBalancers: []ecs.LoadBalancer{{TargetGroupARN: "green"}}},
				{ID: "old", Status: old, DesiredCount: 2, RolloutState: ecs.RolloutCompleted, TaskDefinitionARN: "td:1"},
			}}
	}
	oldTasks := []ecs.Task{
		{ID: "o1", DeploymentID: "old", LastStatus: ecs.TaskRunning, DesiredStatus: ecs.TaskRunning, StartedAt: now.Add(-time.Hour)},
		{ID: "o2", DeploymentID: "old", LastStatus: ecs.TaskRunning, DesiredStatus: ecs.TaskRunning, StartedAt: now.Add(-time.Hour)},
	}
	held := scheduler.PlanService(scheduler.Snapshot{Service: svc(ecs.DeploymentActive, ecs.ServiceActive), Tasks: oldTasks, Now: now})
	if len(held.Stop) != 0 || len(held.Start) != 1 || held.Start[0].Count != 2 || held.Start[0].LoadBalancers[0].TargetGroupARN != "green" {
		t.Fatalf("while held: start %+v, stop %+v; want 2 new tasks behind green and no stop", held.Start, held.Stop)
	}
	released := scheduler.PlanService(scheduler.Snapshot{Service: svc(ecs.DeploymentInactive, ecs.ServiceActive), Tasks: oldTasks, Now: now})
	if len(released.Stop) != 2 {
		t.Fatalf("once released: stop %+v, want both old tasks", released.Stop)
	}
	deleting := svc(ecs.DeploymentActive, ecs.ServiceDraining)
	deleting.DesiredCount = 0
	if p := scheduler.PlanService(scheduler.Snapshot{Service: deleting, Tasks: oldTasks, Now: now}); len(p.Stop) != 2 {
		t.Fatalf("a service being deleted: stop %+v, want both old tasks", p.Stop)
	}
}
