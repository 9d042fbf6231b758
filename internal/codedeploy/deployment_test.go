package codedeploy_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/codedeploy"
)

var now = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

const appSpec = `{"version":0,"Resources":[{"s":{"Type":"AWS::ECS::Service","Properties":{"TaskDefinition":"td","LoadBalancerInfo":{"ContainerName":"w","ContainerPort":80}}}}]}`

func TestDeploymentID(t *testing.T) {
	t.Parallel()
	id := codedeploy.DeploymentIDFrom([9]byte{0, 1, 25, 26, 35, 36, 255, 7, 8})
	if id != "d-ABZ09ADHI" {
		t.Fatalf("id %s", id)
	}
	if err := codedeploy.CheckDeploymentID(id); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]error{
		"": codedeploy.ErrDeploymentIDRequired, "d-abcdefghi": codedeploy.ErrInvalidDeploymentID,
		"d-ABC": codedeploy.ErrInvalidDeploymentID, "x-ABCDEFGHI": codedeploy.ErrInvalidDeploymentID,
	} {
		if err := codedeploy.CheckDeploymentID(id); !errors.Is(err, want) {
			t.Errorf("CheckDeploymentID(%q) = %v, want %v", id, err, want)
		}
	}
}

func TestNewDeployment(t *testing.T) {
	t.Parallel()
	g, err := codedeploy.ValidateDeploymentGroup(validGroup())
	if err != nil {
		t.Fatal(err)
	}
	g.AutoRollback = codedeploy.AutoRollback{Enabled: true, Events: []string{codedeploy.RollbackOnFailure}}
	cfg, _ := codedeploy.PredefinedConfig("CodeDeployDefault.ECSCanary10Percent5Minutes")
	prev := &codedeploy.Revision{Type: "AppSpecContent", Content: "old"}
	req := codedeploy.DeploymentRequest{ID: "d-ABCDEFGHI", Now: now, Revision: codedeploy.Revision{Type: "AppSpecContent", Content: appSpec}, PreviousRevision: prev}
	d, err := codedeploy.NewDeployment(g, cfg, req)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != codedeploy.StatusCreated || d.Creator != "user" || d.DeploymentConfigName != cfg.Name || d.TrafficRouting != cfg.TrafficRouting ||
		d.ECSService != g.ECSServices[0] || d.Pair.TargetGroups[1] != "green" || len(d.Events) != 8 || d.Events[0].Status != codedeploy.EventPending ||
		d.PreviousRevision != prev || !d.AutoRollback.Enabled || d.AppSpec.TaskDefinition != "td" || d.ECSTargetID() != "prod:web" {
		t.Fatalf("deployment %+v", d)
	}
	req.OverrideAutoRollback = true
	if d, _ := codedeploy.NewDeployment(g, cfg, req); d.AutoRollback.Enabled {
		t.Fatal("the request's rollback configuration must replace the group's")
	}
	req.Description = strings.Repeat("x", 513)
	if _, err := codedeploy.NewDeployment(g, cfg, req); !errors.Is(err, codedeploy.ErrDescriptionTooLong) {
		t.Fatalf("err = %v", err)
	}
}

func TestRequestStopAndContinue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		status   codedeploy.DeploymentStatus
		waiting  bool // termination wait started
		stop     bool
		waitType string
		want     error
	}{
		{"stop in progress", codedeploy.StatusInProgress, false, true, "", nil},
		{"stop succeeded", codedeploy.StatusSucceeded, false, true, "", codedeploy.ErrDeploymentCompleted},
		{"continue ready", codedeploy.StatusReady, false, false, "", nil},
		{"continue ready explicitly", codedeploy.StatusReady, false, false, "READY_WAIT", nil},
		{"continue not ready", codedeploy.StatusInProgress, false, false, "READY_WAIT", codedeploy.ErrDeploymentNotReady},
		{"skip termination wait", codedeploy.StatusInProgress, true, false, "TERMINATION_WAIT", nil},
		{"skip no termination wait", codedeploy.StatusInProgress, false, false, "TERMINATION_WAIT", codedeploy.ErrDeploymentNotReady},
		{"continue stopped", codedeploy.StatusStopped, false, false, "READY_WAIT", codedeploy.ErrDeploymentCompleted},
		{"bad wait type", codedeploy.StatusReady, false, false, "SOON", codedeploy.ErrInvalidDeploymentWaitType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := codedeploy.Deployment{Status: tt.status, Progress: codedeploy.Progress{TerminationWaitStarted: tt.waiting}}
			before := d
			var err error
			if tt.stop {
				err = d.RequestStop(true)
			} else {
				err = d.RequestContinue(tt.waitType)
			}
			if !errors.Is(err, tt.want) && !(err == nil && tt.want == nil) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			changed := d.StopRequested || d.ContinueReady || d.SkipTerminationWait
			if changed != (err == nil) || err != nil && d.StopWithRollback != before.StopWithRollback {
				t.Fatalf("changed %v with err %v: %+v", changed, err, d)
			}
		})
	}
}
