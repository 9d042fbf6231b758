package codedeploy_test

import (
	"errors"
	"testing"

	"github.com/fargohq/fargo/internal/codedeploy"
)

// TestNewRollback checks the rollback deployment of a deployment stopped at 10% of a canary:
// a deployment of its own, by codeDeployRollback, all at once, whose replacement is the
// original task set, and both deployments naming each other.
func TestNewRollback(t *testing.T) {
	t.Parallel()
	g, err := codedeploy.ValidateDeploymentGroup(validGroup())
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := codedeploy.PredefinedConfig("CodeDeployDefault.ECSCanary10Percent5Minutes")
	d, err := codedeploy.NewDeployment(g, cfg, codedeploy.DeploymentRequest{ID: "d-ORIGINAL1", Now: now, Revision: codedeploy.Revision{Type: "AppSpecContent", Content: appSpec}})
	if err != nil {
		t.Fatal(err)
	}
	d.Progress = codedeploy.Progress{Phase: "AllowTraffic", BlueTaskSetID: "ecs-svc/1", GreenTaskSetID: "ecs-svc/2",
		BlueTargetGroup: "arn:blue", GreenTargetGroup: "arn:green", GreenWeight: 10}
	content := codedeploy.AppSpecOf("arn:aws:ecs:us-east-1:000000000000:task-definition/web:1", "web", 8080)
	r, err := codedeploy.NewRollback(&d, "d-ROLLBACK1", codedeploy.Revision{Type: "AppSpecContent", Content: content}, now)
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != "d-ROLLBACK1" || r.Creator != "codeDeployRollback" || !r.IsRollback() || d.IsRollback() || r.Status != codedeploy.StatusCreated ||
		r.DeploymentConfigName != "CodeDeployDefault.ECSAllAtOnce" || r.TrafficRouting.Type != codedeploy.RoutingAllAtOnce ||
		r.RollbackTriggeringDeploymentID != d.ID || d.RollbackDeploymentID != r.ID || r.RollbackMessage == "" || d.RollbackMessage == "" ||
		r.ECSTargetID() != d.ECSTargetID() || len(r.Events) != 8 || r.AppSpec.TaskDefinition != "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1" ||
		r.AppSpec.ContainerName != "web" || r.AppSpec.ContainerPort != 8080 || r.Revision.SHA256 != codedeploy.ContentSHA256(content) {
		t.Fatalf("rollback %+v of %+v", r, d)
	}
	want := codedeploy.Progress{Phase: codedeploy.PhaseRollback, BlueTaskSetID: "ecs-svc/2", GreenTaskSetID: "ecs-svc/1",
		BlueTargetGroup: "arn:green", GreenTargetGroup: "arn:blue", GreenWeight: 90, PhaseSince: now}
	if r.Progress != want {
		t.Fatalf("rollback progress %+v, want %+v", r.Progress, want)
	}
	if _, err := codedeploy.NewRollback(&d, "d-ROLLBACK2", codedeploy.Revision{Type: "S3"}, now); !errors.Is(err, codedeploy.ErrInvalidRevision) {
		t.Fatalf("a rollback to an S3 revision: %v", err)
	}
}

func TestAutoRollbackOn(t *testing.T) {
	t.Parallel()
	on := codedeploy.AutoRollback{Enabled: true, Events: []string{codedeploy.RollbackOnFailure}}
	if !on.On(codedeploy.RollbackOnFailure) || on.On(codedeploy.RollbackOnStopRequested) {
		t.Fatalf("%+v", on)
	}
	on.Enabled = false
	if on.On(codedeploy.RollbackOnFailure) {
		t.Fatal("a disabled configuration rolls nothing back")
	}
}
