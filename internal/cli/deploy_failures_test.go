package cli

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	cdsdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/store"
)

// TestDeployShowsTaskFailures checks that fargo deploy shows each task of the replacement task
// set that failed as it stops, while the deployment is still in progress, and then the
// deployment's failure with its error code. A stand-in for the scheduler, agent and deployer
// writes what they would: the replacement's tasks stopping one after the other (the next only
// once deploy showed the last), then the deployment failing with ECS_UPDATE_ERROR.
func TestDeployShowsTaskFailures(t *testing.T) {
	t.Parallel()
	env := codeDeployFixture(t)
	ctx := apitest.Context(t)
	var out lockedBuffer
	standIn := make(chan error, 1)
	go func() { standIn <- failReplacement(ctx, env, &out) }()
	o := deployOptions{cluster: "demo", service: "web", taskDefFile: writeTaskDef(t, "app:v2"), wait: true, timeout: time.Minute, interval: 10 * time.Millisecond}
	err := runDeploy(ctx, o, env.ECS, env.CodeDeploy, newProgress(&out))
	if err := <-standIn; err != nil {
		t.Fatalf("stand-in: %v\n%s", err, out.String())
	}
	if err == nil || !strings.Contains(err.Error(), "failed: 3 tasks failed to start. (ECS_UPDATE_ERROR)") {
		t.Fatalf("deploy: %v\n%s", err, out.String())
	}
	text := out.String()
	for _, i := range []int{1, 3, 4} {
		want := fmt.Sprintf("task %032x of the replacement task set ecs-svc/2 stopped: Essential container in task exited (container web exit code %d)", i, i)
		if strings.Count(text, want) != 1 {
			t.Errorf("output shows %q %d times, want once:\n%s", want, strings.Count(text, want), text)
		}
	}
	if strings.Contains(text, fmt.Sprintf("task %032x", 2)) {
		t.Errorf("output shows a task scaled in as a failure:\n%s", text)
	}
}

// failReplacement plays the controllers for TestDeployShowsTaskFailures.
func failReplacement(ctx context.Context, env *apitest.Env, out *lockedBuffer) error {
	var id string
	for id == "" {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		list, err := env.CodeDeploy.ListDeployments(ctx, &cdsdk.ListDeploymentsInput{})
		if err == nil && len(list.Deployments) > 0 {
			id = list.Deployments[0]
		}
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := env.Store.Deployments.Update(ctx, id, func(d *codedeploy.Deployment) error {
		d.Status, d.Progress = codedeploy.StatusInProgress, codedeploy.Progress{Phase: "Install", BlueTaskSetID: "ecs-svc/1", GreenTaskSetID: "ecs-svc/2"}
		d.TaskSets = []codedeploy.TaskSetInfo{
			{ID: "ecs-svc/1", Label: "Blue", Status: "PRIMARY", DesiredCount: 1, RunningCount: 1, TrafficWeight: 100, TargetGroup: "blue"},
			{ID: "ecs-svc/2", Label: "Green", Status: "ACTIVE", DesiredCount: 1, TargetGroup: "green"}}
		return nil
	}); err != nil {
		return err
	}
	scope := arn.Scope{Partition: "aws", Region: apitest.Region, AccountID: apitest.AccountID}
	// Three tasks fail; the second is scaled in, which is no failure: deploy has seen it by the
	// time it shows the third.
	for i := 1; i <= 4; i++ {
		task := ecs.Task{ID: fmt.Sprintf("%032x", i), ClusterName: "demo", ServiceName: "web", DeploymentID: "ecs-svc/2", StartedBy: "ecs-svc/2",
			LastStatus: ecs.TaskStopped, DesiredStatus: ecs.TaskStopped, StopCode: ecs.StopEssentialContainerExited,
			StoppedReason: "Essential container in task exited", StoppedAt: time.Now(), CreatedAt: time.Now(),
			Containers: []ecs.Container{{Name: "web", LastStatus: ecs.ContainerStopped, ExitCode: i, HasExitCode: true}}}
		task.ARN = ecs.TaskARN(scope, "demo", task.ID)
		scaledIn := i == 2
		if scaledIn {
			task.StopCode, task.StoppedReason, task.Containers[0].ExitCode = ecs.StopServiceSchedulerInitiated, "Scaling activity initiated by (deployment ecs-svc/2)", 0
		}
		if _, err := env.Store.Tasks.Create(ctx, store.TaskID("demo", task.ID), task); err != nil {
			return err
		}
		for !scaledIn && !strings.Contains(out.String(), "task "+task.ID) { // shown while the deployment is in progress
			if ctx.Err() != nil {
				return ctx.Err()
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	_, err := env.Store.Deployments.Update(ctx, id, func(d *codedeploy.Deployment) error {
		d.Status, d.ErrorCode, d.ErrorMessage = codedeploy.StatusFailed, codedeploy.ErrorECSUpdate, "3 tasks failed to start."
		return nil
	})
	return err
}
