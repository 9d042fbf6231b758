package codedeployapi_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cdsdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy/types"

	"github.com/fargohq/fargo/internal/codedeploy"
)

func TestStopDeployment(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		name         string
		rollback     *bool
		autoRollback bool // the deployment's own configuration
		want         bool
	}{
		{"asks for rollback", aws.Bool(true), false, true},
		{"asks for none", aws.Bool(false), true, false},
		{"says nothing, rollback configured", nil, true, true},
		{"says nothing, no rollback", nil, false, false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			group := "g" + string(rune('a'+i))
			e.createGroup(t, "app", group)
			id := e.deploy(t, "app", group, yamlAppSpec)
			e.setDeployment(t, id, func(d *codedeploy.Deployment) { d.AutoRollback.Enabled = tt.autoRollback })
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
// report of a deployment the deployer failed and rolled back.
func TestDeploymentAsTheDeployerLeavesIt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createGroup(t, "app", "g")
	id := e.deploy(t, "app", "g", yamlAppSpec)
	start := time.Now().Add(-time.Minute).Truncate(time.Second)
	e.setDeployment(t, id, func(d *codedeploy.Deployment) {
		d.Status, d.StartTime, d.CompleteTime = codedeploy.StatusFailed, start, start.Add(30*time.Second)
		d.ErrorCode, d.ErrorMessage = codedeploy.ErrorInvalidECS, "The ECS service prod/web does not exist."
		d.RollbackMessage, d.StatusMessages = "Rolled back.", []string{"failed"}
		d.Events[0] = codedeploy.LifecycleEvent{Name: "BeforeInstall", Status: codedeploy.EventFailed, Start: start, End: start.Add(time.Second), Diagnostics: "no service"}
		d.Progress = codedeploy.Progress{BlueTaskSetID: "ecs-svc/1", GreenTaskSetID: "ecs-svc/2", GreenWeight: 10,
			BlueTargetGroup:  "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web-blue/0123456789abcdef",
			GreenTargetGroup: "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web-green/0123456789abcdef"}
	})
	d := getDeployment(t, e, id)
	if d.Status != types.DeploymentStatusFailed || d.ErrorInformation.Code != types.ErrorCodeInvalidEcsService || aws.ToString(d.RollbackInfo.RollbackMessage) != "Rolled back." ||
		!aws.ToTime(d.StartTime).Equal(start) || d.CompleteTime == nil || d.DeploymentOverview.Failed != 1 || d.DeploymentStatusMessages[0] != "failed" {
		t.Fatalf("deployment %+v", d)
	}
	out, err := e.cd.GetDeploymentTarget(e.ctx, &cdsdk.GetDeploymentTargetInput{DeploymentId: aws.String(id), TargetId: aws.String("prod:web")})
	if err != nil {
		t.Fatal(err)
	}
	target := out.DeploymentTarget.EcsTarget
	if out.DeploymentTarget.DeploymentTargetType != types.DeploymentTargetTypeEcsTarget || target.Status != types.TargetStatusFailed ||
		aws.ToString(target.TargetArn) != "arn:aws:ecs:us-east-1:000000000000:service/prod/web" || len(target.LifecycleEvents) != 8 ||
		aws.ToString(target.LifecycleEvents[0].Diagnostics.Message) != "no service" || target.LastUpdatedAt == nil {
		t.Fatalf("target %+v", target)
	}
	sets := target.TaskSetsInfo
	if len(sets) != 2 || sets[0].TaskSetLabel != types.TargetLabelBlue || sets[0].TrafficWeight != 90 || aws.ToString(sets[1].TargetGroup.Name) != "web-green" ||
		aws.ToString(sets[1].Identifer) != "ecs-svc/2" || sets[1].TrafficWeight != 10 {
		t.Fatalf("task sets %+v", sets)
	}
}
