package agent_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/ecs"
)

// TestAwslogsCreateGroup runs tasks whose container asks the awslogs driver to create its log
// group: the agent creates it in the store before the container starts, and a group name that
// CloudWatch refuses keeps the container from starting, as on ECS.
func TestAwslogsCreateGroup(t *testing.T) {
	t.Parallel()
	n := startNode(t, nil)
	n.setup(t, -1, "app", nil)
	ctx := apitest.Context(t)
	register := func(family, group, create string) {
		t.Helper()
		_, err := n.env.ECS.RegisterTaskDefinition(ctx, &ecssdk.RegisterTaskDefinitionInput{
			Family: aws.String(family), NetworkMode: types.NetworkModeAwsvpc, RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
			Cpu: aws.String("256"), Memory: aws.String("512"), ExecutionRoleArn: aws.String("arn:aws:iam::000000000000:role/ecsTaskExecutionRole"),
			ContainerDefinitions: []types.ContainerDefinition{{
				Name: aws.String("web"), Image: aws.String("app"), Essential: aws.Bool(true),
				LogConfiguration: &types.LogConfiguration{LogDriver: types.LogDriverAwslogs, Options: map[string]string{
					"awslogs-group": group, "awslogs-region": "us-east-1", "awslogs-stream-prefix": "ecs", "awslogs-create-group": create,
				}},
			}},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	register("created", "/ecs/created", "true")
	register("plain", "/ecs/plain", "false")
	register("refused", "bad name", "true")
	for _, family := range []string{"created", "plain", "refused"} {
		if _, err := n.env.ECS.RunTask(ctx, &ecssdk.RunTaskInput{Cluster: aws.String("demo"), TaskDefinition: aws.String(family)}); err != nil {
			t.Fatal(err)
		}
	}
	status := func(family string) ecs.Task {
		for _, task := range n.tasks(t) {
			if task.Group == "family:"+family {
				return task
			}
		}
		return ecs.Task{}
	}
	eventually(t, "created and plain running, refused stopped", func() bool {
		return status("created").LastStatus == ecs.TaskRunning && status("plain").LastStatus == ecs.TaskRunning &&
			status("refused").LastStatus == ecs.TaskStopped
	})
	groups, _, err := n.env.Store.LogGroups.List(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 1 || groups[0].Value.Name != "/ecs/created" || groups[0].Value.Class != "STANDARD" || groups[0].Value.CreatedAt.IsZero() {
		t.Fatalf("log groups %+v", groups)
	}
	refused := status("refused")
	if refused.StopCode != ecs.StopTaskFailedToStart || !strings.Contains(refused.StoppedReason, "failed to create CloudWatch log group") ||
		!strings.Contains(refused.Containers[0].Reason, "Member must satisfy regular expression pattern") {
		t.Fatalf("refused task %+v", refused)
	}
	if _, err := n.env.Store.LogGroups.Get(context.Background(), "bad name"); err == nil {
		t.Fatal("a refused group was stored")
	}
}
