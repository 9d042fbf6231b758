package deployer_test

import (
	"context"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/store"
)

// group stores the deployment group of the setup's deployments, with last as its last
// attempted deployment, as CreateDeployment leaves it.
func (s *setup) group(t *testing.T, last string) {
	t.Helper()
	g := codedeploy.DeploymentGroup{ApplicationName: "AppECS-demo-web", Name: "DgpECS-demo-web", LastAttempted: last}
	if _, err := s.env.Store.DeploymentGroups.Create(context.Background(), store.DeploymentGroupID(g.ApplicationName, g.Name), g); err != nil {
		t.Fatal(err)
	}
}

// waitFor waits until deployment id satisfies ok and returns it.
func (s *setup) waitFor(t *testing.T, id, what string, ok func(codedeploy.Deployment) bool) codedeploy.Deployment {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		it, err := s.env.Store.Deployments.Get(context.Background(), id)
		if err == nil && ok(it.Value) {
			return it.Value
		}
		if time.Now().After(deadline) {
			t.Fatalf("deployment %s never %s: %+v (%v)", id, what, it.Value, err)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// requestStop records StopDeployment with rollback, as the API does.
func (s *setup) requestStop(t *testing.T, id string) {
	t.Helper()
	if _, err := s.env.Store.Deployments.Update(context.Background(), id, func(d *codedeploy.Deployment) error {
		return d.RequestStop(true)
	}); err != nil {
		t.Fatal(err)
	}
}

// checkRolledBack checks that original ended with status and code and was rolled back by a
// deployment of its own that succeeded: the two name each other, the rollback became the
// group's last attempted and last successful deployment, its revision was registered, the
// listener forwards to blue alone, blue is the one PRIMARY task set and green is DRAINING.
// It returns the rollback deployment.
func (s *setup) checkRolledBack(t *testing.T, original string, status codedeploy.DeploymentStatus, code string) codedeploy.Deployment {
	t.Helper()
	d := s.waitFor(t, original, "ended", func(d codedeploy.Deployment) bool { return d.Status.Done() })
	if d.Status != status || d.ErrorCode != code || d.RollbackDeploymentID == "" || d.RollbackMessage == "" {
		t.Fatalf("rolled back deployment: %s %s %q, rollback %q %q", d.Status, d.ErrorCode, d.ErrorMessage, d.RollbackDeploymentID, d.RollbackMessage)
	}
	rb := s.waitFor(t, d.RollbackDeploymentID, "ended", func(d codedeploy.Deployment) bool { return d.Status.Done() })
	if rb.Status != codedeploy.StatusSucceeded || rb.Creator != codedeploy.CreatorRollback || rb.RollbackTriggeringDeploymentID != original ||
		rb.DeploymentConfigName != codedeploy.RollbackConfigName || rb.ECSService != d.ECSService || rb.RollbackDeploymentID != "" {
		t.Fatalf("rollback deployment: %+v", rb)
	}
	for _, e := range rb.Events {
		if e.Status != codedeploy.EventSucceeded {
			t.Errorf("rollback lifecycle event %s: %s", e.Name, e.Status)
		}
	}
	ctx := context.Background()
	g, err := s.env.Store.DeploymentGroups.Get(ctx, store.DeploymentGroupID("AppECS-demo-web", "DgpECS-demo-web"))
	if err != nil || g.Value.LastAttempted != rb.ID || g.Value.LastSuccessful != rb.ID {
		t.Errorf("group after the rollback: %+v (%v)", g.Value, err)
	}
	rev, err := s.env.Store.Revisions.Get(ctx, store.RevisionID("AppECS-demo-web", rb.Revision.SHA256))
	if err != nil || rev.Value.LastUsedTime.IsZero() || rev.Value.Revision.Content != rb.Revision.Content {
		t.Errorf("the rollback's revision is not registered: %+v (%v)", rev.Value, err)
	}
	if w := s.weights(t); len(w) != 1 || w[s.blueTG] != 1 {
		t.Errorf("listener after the rollback: %v", w)
	}
	sets := s.taskSets(t)
	if len(sets[ecs.TaskSetPrimary]) != 1 || sets[ecs.TaskSetPrimary][0].ExternalID != "" || len(sets[ecs.TaskSetActive]) != 0 ||
		len(sets[ecs.TaskSetDraining]) != 1 || sets[ecs.TaskSetDraining][0].ExternalID != original {
		t.Errorf("task sets after the rollback: %+v", sets)
	}
	if blue := sets[ecs.TaskSetPrimary]; len(blue) == 1 && (rb.AppSpec.TaskDefinition != blue[0].TaskDefinitionARN || rb.Progress.GreenTaskSetID != blue[0].ID) {
		t.Errorf("the rollback deploys %s (task set %s), not the original task set %+v", rb.AppSpec.TaskDefinition, rb.Progress.GreenTaskSetID, blue[0])
	}
	return rb
}

// TestStopWithRollbackInReady stops a deployment waiting in Ready: it ends Stopped, and a
// rollback deployment of the original task set's revision (made from the task set, since no
// deployment succeeded before) removes the replacement.
func TestStopWithRollbackInReady(t *testing.T) {
	s := newSetup(t)
	s.group(t, "d-STOPPED01")
	s.run(t)
	s.put(t, s.deployment("d-STOPPED01", codedeploy.TrafficRouting{Type: codedeploy.RoutingAllAtOnce},
		codedeploy.BlueGreenConfiguration{ReadyActionOnTimeout: codedeploy.ReadyStopDeployment, ReadyWaitMinutes: 1000}))
	s.waitFor(t, "d-STOPPED01", "Ready", func(d codedeploy.Deployment) bool { return d.Status == codedeploy.StatusReady })
	s.requestStop(t, "d-STOPPED01")
	rb := s.checkRolledBack(t, "d-STOPPED01", codedeploy.StatusStopped, codedeploy.ErrorManualStop)
	if rb.PreviousRevision != nil || rb.Revision.Type != codedeploy.RevisionAppSpecContent || rb.AppSpec.ContainerName != "web" || rb.AppSpec.ContainerPort != 8080 {
		t.Errorf("rollback revision %+v, AppSpec %+v", rb.Revision, rb.AppSpec)
	}
}

// TestStopWithRollbackAfterTrafficMoved stops a deployment in its termination wait, when the
// replacement is PRIMARY with all production traffic: the rollback makes the original PRIMARY
// again, with all traffic, and deploys the group's last good revision.
func TestStopWithRollbackAfterTrafficMoved(t *testing.T) {
	s := newSetup(t)
	s.group(t, "d-SHIFTED01")
	s.run(t)
	d := s.deployment("d-SHIFTED01", codedeploy.TrafficRouting{Type: codedeploy.RoutingAllAtOnce},
		codedeploy.BlueGreenConfiguration{TerminationAction: codedeploy.TerminationTerminate, TerminationWaitMinutes: 1000})
	original := s.taskSets(t)[ecs.TaskSetPrimary][0]
	good := codedeploy.Revision{Type: codedeploy.RevisionAppSpecContent, Content: codedeploy.AppSpecOf(original.TaskDefinitionARN, "web", 8080)}
	d.PreviousRevision = &good
	s.put(t, d)
	s.waitFor(t, d.ID, "in its termination wait", func(d codedeploy.Deployment) bool { return d.Progress.TerminationWaitStarted })
	if sets := s.taskSets(t); len(sets[ecs.TaskSetPrimary]) != 1 || sets[ecs.TaskSetPrimary][0].ExternalID != d.ID {
		t.Fatalf("task sets in the termination wait: %+v", sets)
	}
	s.requestStop(t, d.ID)
	rb := s.checkRolledBack(t, d.ID, codedeploy.StatusStopped, codedeploy.ErrorManualStop)
	if rb.Revision.Content != good.Content || rb.PreviousRevision == nil || rb.PreviousRevision.Content != good.Content {
		t.Errorf("the rollback deploys %+v, not the last good revision", rb.Revision)
	}
}

// TestFailureRollsBack fails deployments whose replacement never runs healthy (TIMEOUT). With
// automatic rollback on DEPLOYMENT_FAILURE a rollback deployment removes the replacement;
// without it the failed deployment removes it itself, and says so.
func TestFailureRollsBack(t *testing.T) {
	s := newSetup(t)
	s.installTimeout = 100 * time.Millisecond
	s.group(t, "d-FAILED001")
	s.startDeployer(t) // no stand-in scheduler: the replacement never runs healthy
	d := s.deployment("d-FAILED001", codedeploy.TrafficRouting{Type: codedeploy.RoutingAllAtOnce}, codedeploy.BlueGreenConfiguration{})
	d.AutoRollback = codedeploy.AutoRollback{Enabled: true, Events: []string{codedeploy.RollbackOnFailure}}
	s.put(t, d)
	s.checkRolledBack(t, d.ID, codedeploy.StatusFailed, codedeploy.ErrorTimeout)

	d = s.deployment("d-FAILED002", codedeploy.TrafficRouting{Type: codedeploy.RoutingAllAtOnce}, codedeploy.BlueGreenConfiguration{})
	d.AutoRollback = codedeploy.AutoRollback{Enabled: true, Events: []string{codedeploy.RollbackOnStopRequested}}
	s.put(t, d)
	got := s.waitFor(t, d.ID, "ended", func(d codedeploy.Deployment) bool { return d.Status.Done() })
	if got.Status != codedeploy.StatusFailed || got.ErrorCode != codedeploy.ErrorTimeout || got.RollbackDeploymentID != "" || got.RollbackMessage == "" {
		t.Fatalf("failed deployment without rollback on failure: %s %s, rollback %q %q", got.Status, got.ErrorCode, got.RollbackDeploymentID, got.RollbackMessage)
	}
	sets := s.taskSets(t)
	if len(sets[ecs.TaskSetPrimary]) != 1 || sets[ecs.TaskSetPrimary][0].ExternalID != "" || len(sets[ecs.TaskSetDraining]) != 2 {
		t.Errorf("task sets after the failure: %+v", sets)
	}
	if w := s.weights(t); len(w) != 1 || w[s.blueTG] != 1 {
		t.Errorf("listener after the failure: %v", w)
	}
}

// TestRestartDuringRollback stops the deployer at 10% of a canary and leaves the store as a
// deployer that stopped right after it wrote the stop with its rollback deployment (one
// transaction) would: a new deployer carries the rollback out (DESIGN.md, invariant 6) and
// makes no second one.
func TestRestartDuringRollback(t *testing.T) {
	s := newSetup(t)
	s.group(t, "d-RESTART02")
	s.run(t)
	s.put(t, s.deployment("d-RESTART02", codedeploy.TrafficRouting{Type: codedeploy.RoutingCanary, Percentage: 10, IntervalMinutes: 1000},
		codedeploy.BlueGreenConfiguration{}))
	s.waitFor(t, "d-RESTART02", "at 10%", func(d codedeploy.Deployment) bool { return d.Progress.GreenWeight == 10 })
	s.stopDeployers(t)

	ctx := context.Background()
	cur, err := s.env.Store.Deployments.Get(ctx, "d-RESTART02")
	if err != nil {
		t.Fatal(err)
	}
	d := cur.Value
	sets := s.taskSets(t)
	blue := sets[ecs.TaskSetPrimary][0]
	rb, err := codedeploy.NewRollback(&d, "d-ROLLBACK2", codedeploy.Revision{Type: codedeploy.RevisionAppSpecContent,
		Content: codedeploy.AppSpecOf(blue.TaskDefinitionARN, "web", 8080)}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	d.Status, d.ErrorCode, d.StopRequested, d.StopWithRollback = codedeploy.StatusStopped, codedeploy.ErrorManualStop, true, true
	var txn store.Txn
	g, err := s.env.Store.DeploymentGroups.Get(ctx, store.DeploymentGroupID("AppECS-demo-web", "DgpECS-demo-web"))
	if err != nil {
		t.Fatal(err)
	}
	g.Value.LastAttempted = rb.ID
	for _, err := range []error{
		s.env.Store.Deployments.Put(&txn, d.ID, d, cur.Revision),
		s.env.Store.Deployments.Put(&txn, rb.ID, rb, 0),
		s.env.Store.DeploymentGroups.Put(&txn, g.ID, g.Value, g.Revision),
		s.env.Store.Revisions.Put(&txn, store.RevisionID(rb.ApplicationName, rb.Revision.SHA256),
			codedeploy.UseRevision(nil, rb.ApplicationName, rb.Revision, rb.CreateTime), 0),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.env.Store.Commit(ctx, &txn); err != nil {
		t.Fatal(err)
	}
	if w := s.weights(t); w[s.greenTG] != 10 {
		t.Fatalf("the listener before the rollback: %v", w)
	}

	s.startDeployer(t)
	s.checkRolledBack(t, "d-RESTART02", codedeploy.StatusStopped, codedeploy.ErrorManualStop)
	all, _, err := s.env.Store.Deployments.List(ctx, "")
	if err != nil || len(all) != 2 {
		t.Fatalf("deployments after the restart: %d (%v), want the original and its one rollback", len(all), err)
	}
}

// TestTargetTaskSets checks what a canary deployment's target reports while it holds 10%: each
// task set with its label, ECS status, desired, pending and running tasks, share of traffic
// and target group, kept current as tasks start.
func TestTargetTaskSets(t *testing.T) {
	s := newSetup(t)
	s.run(t)
	s.put(t, s.deployment("d-TARGETS01", codedeploy.TrafficRouting{Type: codedeploy.RoutingCanary, Percentage: 10, IntervalMinutes: 1000},
		codedeploy.BlueGreenConfiguration{}))
	d := s.waitFor(t, "d-TARGETS01", "reporting 10%", func(d codedeploy.Deployment) bool {
		return d.Progress.GreenWeight == 10 && len(d.TaskSets) == 2 && d.TaskSets[1].TrafficWeight == 10
	})
	want := []codedeploy.TaskSetInfo{
		{ID: d.Progress.BlueTaskSetID, Label: "Blue", Status: "PRIMARY", DesiredCount: 2, TrafficWeight: 90, TargetGroup: "blue"},
		{ID: d.Progress.GreenTaskSetID, Label: "Green", Status: "ACTIVE", DesiredCount: 2, TrafficWeight: 10, TargetGroup: "green"},
	}
	if d.TaskSets[0] != want[0] || d.TaskSets[1] != want[1] || d.TargetUpdated.IsZero() {
		t.Fatalf("task sets %+v (updated %s), want %+v", d.TaskSets, d.TargetUpdated, want)
	}
	// Tasks of each task set start: the target counts them by their state.
	ctx := context.Background()
	for i, st := range []ecs.TaskStatus{ecs.TaskRunning, ecs.TaskRunning, ecs.TaskPending} {
		owner := d.Progress.BlueTaskSetID
		if i == 2 {
			owner = d.Progress.GreenTaskSetID
		}
		task := ecs.Task{ID: "t" + string(rune('0'+i)), ClusterName: "demo", ServiceName: "web", DeploymentID: owner, LastStatus: st, DesiredStatus: ecs.TaskRunning}
		if _, err := s.env.Store.Tasks.Create(ctx, store.TaskID("demo", task.ID), task); err != nil {
			t.Fatal(err)
		}
	}
	before := d.TargetUpdated
	d = s.waitFor(t, "d-TARGETS01", "counting tasks", func(d codedeploy.Deployment) bool {
		return d.TaskSets[0].RunningCount == 2 && d.TaskSets[1].PendingCount == 1
	})
	if d.TaskSets[0].PendingCount != 0 || d.TaskSets[1].RunningCount != 0 || !d.TargetUpdated.After(before) {
		t.Fatalf("task sets %+v (updated %s, before %s)", d.TaskSets, d.TargetUpdated, before)
	}
}
