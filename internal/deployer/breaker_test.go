package deployer_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cdsdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"
	cdtypes "github.com/aws/aws-sdk-go-v2/service/codedeploy/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/store"
)

// failReplacementTasks plays the scheduler and the agent for a replacement whose command exits
// at once: every task it starts for a task set that names a deployment stops, its essential
// container exited with code 1, one a little after the other.
func (s *setup) failReplacementTasks(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go func() {
		n := 0
		for ; ctx.Err() == nil; time.Sleep(5 * time.Millisecond) {
			svc, err := s.env.Store.Services.Get(ctx, store.ServiceID("demo", "web"))
			if err != nil {
				continue
			}
			for _, ts := range svc.Value.TaskSets {
				if ts.ExternalID == "" || ts.Status == ecs.TaskSetDraining || n >= 10 {
					continue
				}
				n++
				now := time.Now()
				task := ecs.Task{ID: fmt.Sprintf("%032x", n), ClusterName: "demo", ServiceName: "web", DeploymentID: ts.ID, StartedBy: ts.ID,
					LastStatus: ecs.TaskStopped, DesiredStatus: ecs.TaskStopped, StopCode: ecs.StopEssentialContainerExited,
					StoppedReason: "Essential container in task exited", StoppedAt: now, CreatedAt: now,
					Containers: []ecs.Container{{Name: "web", LastStatus: ecs.ContainerStopped, ExitCode: 1, HasExitCode: true}}}
				_, _ = s.env.Store.Tasks.Create(ctx, store.TaskID("demo", task.ID), task)
			}
		}
	}()
}

// TestFailingReplacementFails deploys a replacement whose tasks exit at once: the deployment,
// as the CodeDeploy API reports it, fails with ECS_UPDATE_ERROR and the tasks' stopped reasons
// once as many failed as would trip the ECS deployment circuit breaker (3 for 2 tasks), long
// before the install timeout, and production traffic stays on the original task set, which
// is PRIMARY again while the replacement drains (issue 12, item 7).
func TestFailingReplacementFails(t *testing.T) {
	s := newSetup(t)
	s.group(t, "d-FAILING01")
	s.startDeployer(t)
	s.failReplacementTasks(t)
	s.put(t, s.deployment("d-FAILING01", codedeploy.TrafficRouting{Type: codedeploy.RoutingAllAtOnce}, codedeploy.BlueGreenConfiguration{}))
	ctx := apitest.Context(t)
	var info *cdtypes.DeploymentInfo
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		out, err := s.env.CodeDeploy.GetDeployment(ctx, &cdsdk.GetDeploymentInput{DeploymentId: aws.String("d-FAILING01")})
		if err != nil {
			t.Fatal(err)
		}
		if info = out.DeploymentInfo; info.Status == cdtypes.DeploymentStatusFailed || info.Status == cdtypes.DeploymentStatusSucceeded {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the deployment never ended: %s", info.Status)
		}
	}
	e := info.ErrorInformation
	if info.Status != cdtypes.DeploymentStatusFailed || e == nil || e.Code != cdtypes.ErrorCodeEcsUpdateError {
		t.Fatalf("deployment %s, error %+v", info.Status, e)
	}
	for _, want := range []string{"tasks of the replacement task set", "failed to start (threshold 3)", "Essential container in task exited (container web exit code 1)"} {
		if !strings.Contains(aws.ToString(e.Message), want) {
			t.Errorf("errorInformation message %q lacks %q", aws.ToString(e.Message), want)
		}
	}
	if w := s.weights(t); len(w) != 1 || w[s.blueTG] != 1 {
		t.Errorf("listener after the failure: %v", w)
	}
	sets := s.taskSets(t)
	if len(sets[ecs.TaskSetPrimary]) != 1 || sets[ecs.TaskSetPrimary][0].ExternalID != "" || len(sets[ecs.TaskSetDraining]) != 1 {
		t.Errorf("task sets after the failure: %+v", sets)
	}
	target, err := s.env.CodeDeploy.GetDeploymentTarget(ctx, &cdsdk.GetDeploymentTargetInput{DeploymentId: aws.String("d-FAILING01"), TargetId: aws.String("demo:web")})
	if err != nil || target.DeploymentTarget.EcsTarget.Status != cdtypes.TargetStatusFailed {
		t.Fatalf("target of the failed deployment: %+v (%v)", target, err)
	}
}
