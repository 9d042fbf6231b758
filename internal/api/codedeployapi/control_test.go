package codedeployapi_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cdsdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/fargohq/fargo/internal/codedeploy"
)

func TestStopDeployment(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	onRequest := codedeploy.AutoRollback{Enabled: true, Events: []string{codedeploy.RollbackOnStopRequested}}
	tests := []struct {
		name         string
		rollback     *bool
		autoRollback codedeploy.AutoRollback // the deployment's own configuration
		want         bool
	}{
		{"asks for rollback", aws.Bool(true), codedeploy.AutoRollback{}, true},
		{"asks for none", aws.Bool(false), onRequest, false},
		{"says nothing, rollback on a stop request", nil, onRequest, true},
		{"says nothing, rollback on failure only", nil, codedeploy.AutoRollback{Enabled: true, Events: []string{codedeploy.RollbackOnFailure}}, false},
		{"says nothing, rollback disabled", nil, codedeploy.AutoRollback{Events: []string{codedeploy.RollbackOnStopRequested}}, false},
		{"says nothing, no rollback", nil, codedeploy.AutoRollback{}, false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			group := "g" + string(rune('a'+i))
			e.createGroup(t, "app", group)
			id := e.deploy(t, "app", group, yamlAppSpec)
			e.setDeployment(t, id, func(d *codedeploy.Deployment) { d.AutoRollback = tt.autoRollback })
			out, err := e.cd.StopDeployment(e.ctx, &cdsdk.StopDeploymentInput{DeploymentId: aws.String(id), AutoRollbackEnabled: tt.rollback})
			if err != nil || out.Status != types.StopStatusPending || aws.ToString(out.StatusMessage) != "Stopping Pending. Stopping to be processed" {
				t.Fatalf("%+v %v", out, err)
			}
			d, _ := e.store.Deployments.Get(e.ctx, id)
			if !d.Value.StopRequested || d.Value.StopWithRollback != tt.want {
				t.Fatalf("stop %v rollback %v", d.Value.StopRequested, d.Value.StopWithRollback)
			}
		})
	}
}

func TestStopAndContinueErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createGroup(t, "app", "done")
	done := e.deploy(t, "app", "done", yamlAppSpec)
	e.setDeployment(t, done, func(d *codedeploy.Deployment) { d.Status = codedeploy.StatusSucceeded })
	e.createGroup(t, "app", "running")
	running := e.deploy(t, "app", "running", yamlAppSpec)
	e.setDeployment(t, running, func(d *codedeploy.Deployment) { d.Status = codedeploy.StatusInProgress })
	stop := func(id string) func() error {
		return func() error {
			_, err := e.cd.StopDeployment(e.ctx, &cdsdk.StopDeploymentInput{DeploymentId: aws.String(id)})
			return err
		}
	}
	cont := func(id string, wait types.DeploymentWaitType) func() error {
		return func() error {
			_, err := e.cd.ContinueDeployment(e.ctx, &cdsdk.ContinueDeploymentInput{DeploymentId: aws.String(id), DeploymentWaitType: wait})
			return err
		}
	}
	tests := []struct {
		name string
		code string
		call func() error
	}{
		{"stop a finished one", "DeploymentAlreadyCompletedException", stop(done)},
		{"stop a missing one", "DeploymentDoesNotExistException", stop("d-AAAAAAAAA")},
		{"stop a malformed id", "InvalidDeploymentIdException", stop("d-nope")},
		{"stop without an id", "DeploymentIdRequiredException", stop("")},
		{"continue a finished one", "DeploymentAlreadyCompletedException", cont(done, types.DeploymentWaitTypeReadyWait)},
		{"continue one not Ready", "DeploymentIsNotInReadyStateException", cont(running, types.DeploymentWaitTypeReadyWait)},
		{"skip a wait not started", "DeploymentIsNotInReadyStateException", cont(running, types.DeploymentWaitTypeTerminationWait)},
		{"bad wait type", "InvalidDeploymentWaitTypeException", cont(running, "SOON")},
		{"continue without an id", "DeploymentIdRequiredException", cont("", "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { e.expectError(t, tt.code, tt.call) })
	}
}

func TestContinueDeployment(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createGroup(t, "app", "g")
	id := e.deploy(t, "app", "g", yamlAppSpec)
	e.setDeployment(t, id, func(d *codedeploy.Deployment) { d.Status = codedeploy.StatusReady })
	// READY_WAIT is the default.
	if _, err := e.cd.ContinueDeployment(e.ctx, &cdsdk.ContinueDeploymentInput{DeploymentId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	e.setDeployment(t, id, func(d *codedeploy.Deployment) {
		d.Status, d.Progress.TerminationWaitStarted = codedeploy.StatusInProgress, true
	})
	_, err := e.cd.ContinueDeployment(e.ctx, &cdsdk.ContinueDeploymentInput{DeploymentId: aws.String(id), DeploymentWaitType: types.DeploymentWaitTypeTerminationWait})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := e.store.Deployments.Get(e.ctx, id)
	if !d.Value.ContinueReady || !d.Value.SkipTerminationWait {
		t.Fatalf("continue %v skip %v", d.Value.ContinueReady, d.Value.SkipTerminationWait)
	}
	if info := getDeployment(t, e, id); !info.InstanceTerminationWaitTimeStarted {
		t.Fatal("instanceTerminationWaitTimeStarted must follow the deployer's progress")
	}
}

// TestDeploymentAsTheDeployerLeavesIt checks what GetDeployment and the target operations
// report of a deployment the deployer stopped at 10% of a canary and rolled back with another
// deployment: every member of the target and its task sets, as the deployer recorded them.
func TestDeploymentAsTheDeployerLeavesIt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createGroup(t, "app", "g")
	id := e.deploy(t, "app", "g", yamlAppSpec)
	start := time.Now().Add(-time.Minute).Truncate(time.Second)
	e.setDeployment(t, id, func(d *codedeploy.Deployment) {
		d.Status, d.StartTime, d.CompleteTime = codedeploy.StatusStopped, start, start.Add(30*time.Second)
		d.ErrorCode, d.ErrorMessage = codedeploy.ErrorManualStop, "The deployment was stopped by the user."
		d.RollbackDeploymentID, d.RollbackMessage, d.StatusMessages = "d-ROLLBACK1", "Rolled back.", []string{"stopped"}
		d.Events[0] = codedeploy.LifecycleEvent{Name: "BeforeInstall", Status: codedeploy.EventFailed, Start: start, End: start.Add(time.Second), Diagnostics: "no service"}
		d.Progress = codedeploy.Progress{BlueTaskSetID: "ecs-svc/1", GreenTaskSetID: "ecs-svc/2", GreenWeight: 10}
		d.TaskSets = []codedeploy.TaskSetInfo{
			{ID: "ecs-svc/1", Label: "Blue", Status: "PRIMARY", DesiredCount: 3, RunningCount: 3, TrafficWeight: 90, TargetGroup: "web-blue"},
			{ID: "ecs-svc/2", Label: "Green", Status: "ACTIVE", DesiredCount: 3, PendingCount: 1, RunningCount: 2, TrafficWeight: 10, TargetGroup: "web-green"},
		}
		d.TargetUpdated = start.Add(20 * time.Second)
	})
	d := getDeployment(t, e, id)
	if d.Status != types.DeploymentStatusStopped || d.ErrorInformation.Code != types.ErrorCodeManualStop || aws.ToString(d.RollbackInfo.RollbackMessage) != "Rolled back." ||
		aws.ToString(d.RollbackInfo.RollbackDeploymentId) != "d-ROLLBACK1" || d.RollbackInfo.RollbackTriggeringDeploymentId != nil ||
		!aws.ToTime(d.StartTime).Equal(start) || d.CompleteTime == nil || d.DeploymentOverview.Failed != 1 || d.DeploymentStatusMessages[0] != "stopped" {
		t.Fatalf("deployment %+v", d)
	}
	out, err := e.cd.GetDeploymentTarget(e.ctx, &cdsdk.GetDeploymentTargetInput{DeploymentId: aws.String(id), TargetId: aws.String("prod:web")})
	if err != nil {
		t.Fatal(err)
	}
	target := out.DeploymentTarget.EcsTarget
	if out.DeploymentTarget.DeploymentTargetType != types.DeploymentTargetTypeEcsTarget || target.Status != types.TargetStatusFailed ||
		aws.ToString(target.TargetArn) != "arn:aws:ecs:us-east-1:000000000000:service/prod/web" || len(target.LifecycleEvents) != 8 ||
		aws.ToString(target.LifecycleEvents[0].Diagnostics.Message) != "no service" || !aws.ToTime(target.LastUpdatedAt).Equal(start.Add(20*time.Second)) ||
		aws.ToString(target.DeploymentId) != id || aws.ToString(target.TargetId) != "prod:web" {
		t.Fatalf("target %+v", target)
	}
	want := []types.ECSTaskSet{
		{Identifer: aws.String("ecs-svc/1"), TaskSetLabel: types.TargetLabelBlue, Status: aws.String("PRIMARY"), DesiredCount: 3, RunningCount: 3,
			TrafficWeight: 90, TargetGroup: &types.TargetGroupInfo{Name: aws.String("web-blue")}},
		{Identifer: aws.String("ecs-svc/2"), TaskSetLabel: types.TargetLabelGreen, Status: aws.String("ACTIVE"), DesiredCount: 3, PendingCount: 1, RunningCount: 2,
			TrafficWeight: 10, TargetGroup: &types.TargetGroupInfo{Name: aws.String("web-green")}},
	}
	if diff := cmp.Diff(want, target.TaskSetsInfo, cmpopts.IgnoreUnexported(types.ECSTaskSet{}, types.TargetGroupInfo{})); diff != "" {
		t.Fatalf("task sets (-want +got):\n%s", diff)
	}
	batch, err := e.cd.BatchGetDeploymentTargets(e.ctx, &cdsdk.BatchGetDeploymentTargetsInput{DeploymentId: aws.String(id), TargetIds: []string{"prod:web"}})
	if err != nil || len(batch.DeploymentTargets) != 1 {
		t.Fatalf("batch-get-deployment-targets: %+v %v", batch, err)
	}
	if diff := cmp.Diff(target, batch.DeploymentTargets[0].EcsTarget, cmpopts.IgnoreUnexported(types.ECSTarget{}, types.ECSTaskSet{}, types.TargetGroupInfo{},
		types.LifecycleEvent{}, types.Diagnostics{})); diff != "" {
		t.Fatalf("BatchGetDeploymentTargets differs from GetDeploymentTarget (-get +batch):\n%s", diff)
	}
}

// TestRollbackDeployment checks how a rollback deployment reads: its creator, the deployment it
// rolls back, CodeDeploy's all-at-once configuration, and both deployments in ListDeployments,
// the rollback first.
func TestRollbackDeployment(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createGroup(t, "app", "g")
	id := e.deploy(t, "app", "g", yamlAppSpec)
	cur, err := e.store.Deployments.Get(e.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	d := cur.Value
	d.Progress = codedeploy.Progress{BlueTaskSetID: "ecs-svc/1", GreenTaskSetID: "ecs-svc/2", GreenWeight: 10}
	rb, err := codedeploy.NewRollback(&d, "d-ROLLBACK1", d.Revision, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	d.Status = codedeploy.StatusStopped
	if _, err := e.store.Deployments.Create(e.ctx, rb.ID, rb); err != nil {
		t.Fatal(err)
	}
	e.setDeployment(t, id, func(s *codedeploy.Deployment) { *s = d })
	got := getDeployment(t, e, rb.ID)
	if got.Creator != types.DeploymentCreatorCodeDeployRollback || aws.ToString(got.RollbackInfo.RollbackTriggeringDeploymentId) != id ||
		got.RollbackInfo.RollbackDeploymentId != nil || aws.ToString(got.RollbackInfo.RollbackMessage) != "Deployment d-ROLLBACK1 is triggered to roll back deployment "+id+"." ||
		aws.ToString(got.DeploymentConfigName) != "CodeDeployDefault.ECSAllAtOnce" || got.Status != types.DeploymentStatusCreated {
		t.Fatalf("rollback deployment %+v %+v", got, got.RollbackInfo)
	}
	if orig := getDeployment(t, e, id); aws.ToString(orig.RollbackInfo.RollbackDeploymentId) != rb.ID || orig.Creator != types.DeploymentCreatorUser {
		t.Fatalf("rolled back deployment %+v", orig.RollbackInfo)
	}
	list, err := e.cd.ListDeployments(e.ctx, &cdsdk.ListDeploymentsInput{ApplicationName: aws.String("app"), DeploymentGroupName: aws.String("g")})
	if err != nil || len(list.Deployments) != 2 || list.Deployments[0] != rb.ID || list.Deployments[1] != id {
		t.Fatalf("list-deployments: %+v %v", list, err)
	}
}
