package deployer_test

import (
	"fmt"
	"maps"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/deployer"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/elb"
)

// world is what the deployer's steps change, as the store holds it: the service, the
// production listener's forward and the deployments. Applying an action uses the same pure
// functions the controller's writes do.
type world struct {
	svc         ecs.Service
	forward     map[string]int
	deployments map[string]codedeploy.Deployment
	now         time.Time
	ids         int
}

func (w *world) observe(d codedeploy.Deployment) deployer.Observation {
	w.ids++
	return deployer.Observation{
		Deployment: d, Service: w.svc, ServiceFound: true,
		TargetGroups:   map[string]string{"blue": blueTG, "green": greenTG},
		Forwards:       map[string]map[string]int{prod: maps.Clone(w.forward)},
		TaskDefinition: planTaskDefinition(2), TaskDefinitionFound: true,
		NewTaskSetID: fmt.Sprintf("ecs-svc/%d", 5000+w.ids), NewDeploymentID: fmt.Sprintf("d-ROLLBAC%02d", w.ids%100), Scope: scope, Now: w.now,
	}
}

func (w *world) apply(t *rapid.T, a deployer.Action) {
	var err error
	switch a.Kind {
	case deployer.ActCreateTaskSet:
		w.svc, _, err = ecs.CodeDeployCreateTaskSet(w.svc, a.TaskSet, planTaskDefinition(2), w.now)
	case deployer.ActSetForward:
		w.forward = map[string]int{}
		for _, g := range a.Forward {
			w.forward[g.ARN] = g.Weight
		}
	case deployer.ActSetPrimary:
		w.svc, _, err = ecs.CodeDeploySetPrimaryTaskSet(w.svc, a.TaskSetID, w.now)
	case deployer.ActDeleteTaskSet:
		w.svc, _, err = ecs.CodeDeployDeleteTaskSet(w.svc, a.TaskSetID, w.now)
	}
	if err != nil {
		t.Fatalf("action %+v: %v", a, err)
	}
}

// schedule plays the scheduler between reconciles: task sets run healthy, drained ones leave.
func (w *world) schedule() {
	var kept []ecs.TaskSet
	for _, ts := range w.svc.TaskSets {
		if ts.Status == ecs.TaskSetDraining {
			continue
		}
		ts.StabilityStatus = ecs.StabilitySteady
		kept = append(kept, ts)
	}
	w.svc.TaskSets = kept
}

// reconcile takes one step of deployment id, crashing after crashAfter of its actions (a
// crash before the deployment's write when crashAfter <= len(actions)).
func (w *world) reconcile(t *rapid.T, id string, crashAfter int) {
	step := deployer.PlanDeployment(deployer.Config{Minute: time.Minute}, w.observe(w.deployments[id]))
	for i, a := range step.Actions {
		if i == crashAfter {
			return
		}
		w.apply(t, a)
	}
	if crashAfter <= len(step.Actions) {
		return
	}
	w.deployments[id] = step.Deployment
	if rb := step.Rollback; rb != nil {
		w.deployments[rb.ID] = *rb
	}
}

// TestPlanResumesAfterCrashAtAnyPoint runs canary deployments, some stopped with rollback on
// the way, with the deployer crashing at random points of random steps: after any prefix of a
// step's actions, or before the deployment's write. Since each step is planned from the store
// alone, every run ends as one without crashes would: exactly one outcome, one replacement task
// set (never a duplicate), the listener on the task set that won, the other drained, and at no
// moment a forward with nothing to route to (DESIGN.md, invariant 6).
func TestPlanResumesAfterCrashAtAnyPoint(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(rt *rapid.T) {
		w := &world{svc: planService(blueSet()), forward: map[string]int{blueTG: 1}, now: t0,
			deployments: map[string]codedeploy.Deployment{}}
		d := planDeployment("", 0)
		d.TrafficRouting = codedeploy.TrafficRouting{Type: codedeploy.RoutingCanary, Percentage: 10, IntervalMinutes: 5}
		d.BlueGreen = codedeploy.BlueGreenConfiguration{TerminationAction: codedeploy.TerminationTerminate, TerminationWaitMinutes: 2}
		w.deployments[depID] = d
		stopAt := rapid.IntRange(0, 30).Draw(rt, "stop at (0: never)")
		active := depID
		for i := 1; i <= 60 && !w.deployments[active].Status.Done(); i++ {
			if i == stopAt && !w.deployments[active].Status.Done() {
				cur := w.deployments[active]
				if err := cur.RequestStop(true); err == nil {
					w.deployments[active] = cur
				}
			}
			w.reconcile(rt, active, rapid.IntRange(0, 8).Draw(rt, "crash after"))
			if rb := w.deployments[active].RollbackDeploymentID; rb != "" {
				active = rb
			}
			checkForward(rt, w.forward)
			w.schedule()
			w.now = w.now.Add(time.Minute)
		}
		checkOutcome(rt, w, active)
	})
}

func checkForward(t *rapid.T, f map[string]int) {
	total := 0
	for _, weight := range f {
		total += weight
	}
	if total == 0 {
		t.Fatalf("the listener forwards nowhere: %v", f)
	}
}

// checkOutcome checks how the deployment (and its rollback, when active is one) ended.
func checkOutcome(t *rapid.T, w *world, active string) {
	d := w.deployments[active]
	if !d.Status.Done() {
		t.Fatalf("deployment %s did not end: %s in %s", active, d.Status, d.Progress.Phase)
	}
	replacements := 0
	for _, ts := range w.svc.TaskSets {
		if ts.ExternalID == depID {
			replacements++
		}
	}
	if len(w.svc.TaskSets) != 1 || replacements > 1 {
		t.Fatalf("task sets at the end: %+v", w.svc.TaskSets)
	}
	survivor, group := w.svc.TaskSets[0], blueTG
	switch {
	case active == depID && d.Status == codedeploy.StatusStopped: // stopped before it started
		if d.Progress.BlueTargetGroup != "" || survivor.ID != blueID {
			t.Fatalf("deployment %s stopped after it started, without a rollback: %+v, task set left %+v", d.ID, d.Progress, survivor)
		}
	case active == depID: // not rolled back: the replacement won
		if d.Status != codedeploy.StatusSucceeded || survivor.ExternalID != depID {
			t.Fatalf("deployment %s %s, task set left %+v", d.ID, d.Status, survivor)
		}
		group = greenTG
	case d.Status != codedeploy.StatusSucceeded || survivor.ID != blueID || w.deployments[depID].Status != codedeploy.StatusStopped:
		t.Fatalf("rollback %s %s of %s, task set left %+v", d.ID, d.Status, w.deployments[depID].Status, survivor)
	}
	if survivor.Status != ecs.TaskSetPrimary || !maps.Equal(w.forward, map[string]int{group: elb.DefaultWeight}) {
		t.Fatalf("at the end: %+v, forward %v", survivor, w.forward)
	}
}
