package ecsapi_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/store"
)

var taskARNPattern = regexp.MustCompile(`^arn:aws:ecs:us-east-1:000000000000:task/c/[0-9a-f]{32}$`)

func runTasks(t *testing.T, env *apitest.Env, in *ecssdk.RunTaskInput) []types.Task {
	t.Helper()
	if in.Cluster == nil {
		in.Cluster = aws.String("c")
	}
	out, err := env.ECS.RunTask(apitest.Context(t), in)
	if err != nil {
		t.Fatalf("run task: %v", err)
	}
	if len(out.Failures) != 0 {
		t.Fatalf("run task failures: %+v", out.Failures)
	}
	return out.Tasks
}

func storedTasks(t *testing.T, env *apitest.Env) []ecs.Task {
	t.Helper()
	items, _, err := env.Store.Tasks.List(apitest.Context(t), "")
	if err != nil {
		t.Fatal(err)
	}
	out := make([]ecs.Task, len(items))
	for i, it := range items {
		out[i] = it.Value
	}
	return out
}

func TestRunTask(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	tasks := runTasks(t, env, &ecssdk.RunTaskInput{
		TaskDefinition: aws.String(taskDefARN + "web:1"), Count: aws.Int32(2), StartedBy: aws.String("GitHub-Actions"),
		LaunchType: types.LaunchTypeFargate, Tags: []types.Tag{},
		Overrides: &types.TaskOverride{ContainerOverrides: []types.ContainerOverride{{
			Name: aws.String("web"), Command: []string{"echo", "hi"}, Environment: []types.KeyValuePair{{Name: aws.String("A"), Value: aws.String("1")}},
		}}},
		NetworkConfiguration: &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{Subnets: []string{"subnet-1"}}},
	})
	if len(tasks) != 2 {
		t.Fatalf("%d tasks", len(tasks))
	}
	task := tasks[0]
	if !taskARNPattern.MatchString(aws.ToString(task.TaskArn)) || aws.ToString(task.LastStatus) != "PROVISIONING" ||
		aws.ToString(task.DesiredStatus) != "RUNNING" || aws.ToString(task.Group) != "family:web" || task.LaunchType != types.LaunchTypeFargate ||
		aws.ToString(task.StartedBy) != "GitHub-Actions" || aws.ToString(task.PlatformVersion) != "1.4.0" || aws.ToString(task.ClusterArn) != clusterARN+"c" ||
		aws.ToString(task.TaskDefinitionArn) != taskDefARN+"web:1" || task.Version != 1 || aws.ToString(task.Cpu) != "256" || task.ContainerInstanceArn != nil {
		t.Fatalf("task %+v", task)
	}
	if len(task.Containers) != 1 || aws.ToString(task.Containers[0].LastStatus) != "PENDING" || task.Containers[0].ExitCode != nil ||
		aws.ToString(task.Containers[0].TaskArn) != aws.ToString(task.TaskArn) || aws.ToString(task.Containers[0].Name) != "web" {
		t.Fatalf("containers %+v", task.Containers)
	}
	if o := task.Overrides; o == nil || len(o.ContainerOverrides) != 1 || o.ContainerOverrides[0].Command[1] != "hi" {
		t.Fatalf("overrides %+v", task.Overrides)
	}
	stored := storedTasks(t, env)
	if len(stored) != 2 || stored[0].ContainerInstanceID != "" || stored[0].LastStatus != ecs.TaskProvisioning {
		t.Fatalf("stored tasks %+v", stored)
	}
}

func TestRunTaskRejectsBadInputAndChangesNothing(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	register(t, env, &ecssdk.RegisterTaskDefinitionInput{
		Family:               aws.String("bridge"),
		ContainerDefinitions: []types.ContainerDefinition{{Name: aws.String("job"), Image: aws.String("busybox"), Memory: aws.Int32(64)}},
	})
	if _, err := env.ECS.DeregisterTaskDefinition(ctx, &ecssdk.DeregisterTaskDefinitionInput{TaskDefinition: aws.String("web:2")}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   ecssdk.RunTaskInput
		code string
	}{
		{"unknown family", ecssdk.RunTaskInput{TaskDefinition: aws.String("nope")}, "ClientException"},
		{"inactive revision", ecssdk.RunTaskInput{TaskDefinition: aws.String("web:2")}, "ClientException"},
		{"count 11", ecssdk.RunTaskInput{TaskDefinition: aws.String("web"), Count: aws.Int32(11)}, "InvalidParameterException"},
		{"override of no container", ecssdk.RunTaskInput{TaskDefinition: aws.String("web"), Overrides: &types.TaskOverride{
			ContainerOverrides: []types.ContainerOverride{{Name: aws.String("api")}},
		}}, "InvalidParameterException"},
		{"Fargate for bridge", ecssdk.RunTaskInput{TaskDefinition: aws.String("bridge"), LaunchType: types.LaunchTypeFargate}, "InvalidParameterException"},
		{"network for bridge", ecssdk.RunTaskInput{TaskDefinition: aws.String("bridge"), NetworkConfiguration: &types.NetworkConfiguration{
			AwsvpcConfiguration: &types.AwsVpcConfiguration{Subnets: []string{"subnet-1"}},
		}}, "InvalidParameterException"},
		{"unknown platform", ecssdk.RunTaskInput{TaskDefinition: aws.String("web"), PlatformVersion: aws.String("2.0.0")}, "PlatformUnknownException"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Cluster = aws.String("c")
			if _, err := env.ECS.RunTask(ctx, &in); errorCode(err) != tc.code {
				t.Fatalf("RunTask = %v, want %s", err, tc.code)
			}
		})
	}
	if _, err := env.ECS.RunTask(ctx, &ecssdk.RunTaskInput{Cluster: aws.String("ghost"), TaskDefinition: aws.String("web")}); errorCode(err) != "ClusterNotFoundException" {
		t.Fatalf("unknown cluster: %v", err)
	}
	if tasks := storedTasks(t, env); len(tasks) != 0 {
		t.Fatalf("bad input stored %d tasks", len(tasks))
	}
	ec2 := runTasks(t, env, &ecssdk.RunTaskInput{TaskDefinition: aws.String("bridge")})
	if ec2[0].LaunchType != types.LaunchTypeEc2 || ec2[0].PlatformVersion != nil {
		t.Fatalf("bridge task without launch type: %s %v", ec2[0].LaunchType, ec2[0].PlatformVersion)
	}
}

func TestRunTaskClientToken(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	in := &ecssdk.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("web:1"), Count: aws.Int32(2), ClientToken: aws.String("same-token")}
	first := runTasks(t, env, in)
	again := runTasks(t, env, in)
	if aws.ToString(first[0].TaskArn) != aws.ToString(again[0].TaskArn) || aws.ToString(first[1].TaskArn) != aws.ToString(again[1].TaskArn) {
		t.Fatalf("retry started new tasks: %s vs %s", aws.ToString(first[0].TaskArn), aws.ToString(again[0].TaskArn))
	}
	changed := *in
	changed.TaskDefinition = aws.String("web:2")
	if _, err := env.ECS.RunTask(ctx, &changed); errorCode(err) != "ConflictException" {
		t.Fatalf("same token, other request: %v", err)
	}
	// Without a token the SDK makes one up for each call: two calls, two runs.
	runTasks(t, env, &ecssdk.RunTaskInput{TaskDefinition: aws.String("web:1")})
	runTasks(t, env, &ecssdk.RunTaskInput{TaskDefinition: aws.String("web:1")})
	if n := len(storedTasks(t, env)); n != 4 {
		t.Fatalf("%d tasks stored, want 4", n)
	}
}

func putInstance(t *testing.T, env *apitest.Env, cluster, id string, status ecs.ContainerInstanceStatus) {
	t.Helper()
	inst := ecs.ContainerInstance{
		ID: id, ARN: instanceARN + cluster + "/" + id, ClusterName: cluster, NodeID: "node-1", Address: "127.0.0.1",
		Status: status, AgentConnected: true, LastHeartbeat: time.Now(), CPU: 4096, Memory: 8192, AgentVersion: "fargo-dev", Version: 3,
		Attributes: []ecs.Attribute{{Name: "ecs.os-type", Value: "linux"}},
	}
	if _, err := env.Store.ContainerInstances.Create(apitest.Context(t), store.ContainerInstanceID(cluster, id), inst); err != nil {
		t.Fatal(err)
	}
}

const instanceARN = "arn:aws:ecs:us-east-1:000000000000:container-instance/"

func TestStartTask(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	const inst = "0123456789abcdef0123456789abcdef"
	putInstance(t, env, "c", inst, ecs.InstanceActive)
	out, err := env.ECS.StartTask(ctx, &ecssdk.StartTaskInput{
		Cluster: aws.String("c"), TaskDefinition: aws.String("web"), ContainerInstances: []string{inst, instanceARN + "c/ffffffffffffffffffffffffffffffff"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Tasks) != 1 || aws.ToString(out.Tasks[0].ContainerInstanceArn) != instanceARN+"c/"+inst {
		t.Fatalf("tasks %+v", out.Tasks)
	}
	if len(out.Failures) != 1 || aws.ToString(out.Failures[0].Reason) != "MISSING" || aws.ToString(out.Failures[0].Arn) != instanceARN+"c/ffffffffffffffffffffffffffffffff" {
		t.Fatalf("failures %+v", out.Failures)
	}
	if stored := storedTasks(t, env); len(stored) != 1 || stored[0].ContainerInstanceID != inst {
		t.Fatalf("stored %+v", stored)
	}
	none, err := env.ECS.StartTask(ctx, &ecssdk.StartTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("web"), ContainerInstances: []string{"ghost"}})
	if err != nil || len(none.Tasks) != 0 || len(none.Failures) != 1 {
		t.Fatalf("only missing instances: %+v, %v", none, err)
	}
	if _, err := env.ECS.StartTask(ctx, &ecssdk.StartTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("web"), ContainerInstances: []string{}}); errorCode(err) != "InvalidParameterException" {
		t.Fatalf("no instances: %v", err)
	}
}

func TestStopTask(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	tasks := runTasks(t, env, &ecssdk.RunTaskInput{TaskDefinition: aws.String("web"), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	arn := aws.ToString(tasks[0].TaskArn)
	id := arn[strings.LastIndex(arn, "/")+1:]
	out, err := env.ECS.StopTask(ctx, &ecssdk.StopTaskInput{Cluster: aws.String("c"), Task: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	stopped := out.Task
	if aws.ToString(stopped.DesiredStatus) != "STOPPED" || stopped.StopCode != types.TaskStopCodeUserInitiated ||
		aws.ToString(stopped.StoppedReason) != "Task stopped by user" || stopped.StoppingAt == nil || stopped.Version != 2 {
		t.Fatalf("stopped %+v", stopped)
	}
	again, err := env.ECS.StopTask(ctx, &ecssdk.StopTaskInput{Cluster: aws.String("c"), Task: aws.String(arn), Reason: aws.String("later")})
	if err != nil || aws.ToString(again.Task.StoppedReason) != "Task stopped by user" || again.Task.Version != 2 {
		t.Fatalf("second stop changed the task: %+v, %v", again, err)
	}
	_, err = env.ECS.StopTask(ctx, &ecssdk.StopTaskInput{Cluster: aws.String("c"), Task: aws.String("ffffffffffffffffffffffffffffffff")})
	if errorCode(err) != "InvalidParameterException" || !strings.Contains(err.Error(), "The referenced task was not found") {
		t.Fatalf("unknown task: %v", err)
	}
	if _, err := env.ECS.StopTask(ctx, &ecssdk.StopTaskInput{Cluster: aws.String("ghost"), Task: aws.String(id)}); errorCode(err) != "ClusterNotFoundException" {
		t.Fatalf("unknown cluster: %v", err)
	}
}
