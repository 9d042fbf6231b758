package ecsapi_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/store"
)

// observe writes what an agent reports about a running or exited task into the store.
func observe(t *testing.T, env *apitest.Env, cluster, id string, fn func(*ecs.Task)) {
	t.Helper()
	if _, err := env.Store.Tasks.Update(apitest.Context(t), store.TaskID(cluster, id), func(task *ecs.Task) error {
		fn(task)
		task.Version++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func taskID(arn *string) string {
	s := aws.ToString(arn)
	return s[len(s)-32:]
}

func TestDescribeTasksReportsObservedState(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	tasks := runTasks(t, env, &ecssdk.RunTaskInput{TaskDefinition: aws.String("web"), Count: aws.Int32(2), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	started := time.Date(2025, 5, 1, 12, 0, 0, 500_000_000, time.UTC)
	observe(t, env, "c", taskID(tasks[0].TaskArn), func(task *ecs.Task) {
		task.LastStatus, task.StartedAt, task.ConnectivityAt, task.PullStartedAt, task.PullStoppedAt = ecs.TaskRunning, started, started, started, started
		task.ContainerInstanceID, task.ContainerInstanceARN = "0123456789abcdef0123456789abcdef", instanceARN+"c/0123456789abcdef0123456789abcdef"
		task.HealthStatus = ecs.HealthHealthy
		c := &task.Containers[0]
		c.LastStatus, c.RuntimeID, c.HealthStatus = ecs.ContainerRunning, "pid-42", ecs.HealthHealthy
		c.NetworkBindings = []ecs.NetworkBinding{{BindIP: "127.0.0.1", ContainerPort: 8080, HostPort: 41234, Protocol: ecs.TransportProtocolTCP}}
	})
	observe(t, env, "c", taskID(tasks[1].TaskArn), func(task *ecs.Task) {
		*task = task.RequestStop(ecs.StopEssentialContainerExited, "Essential container in task exited", started)
		task.LastStatus, task.StoppedAt, task.ExecutionStoppedAt = ecs.TaskStopped, started, started
		c := &task.Containers[0]
		c.LastStatus, c.ExitCode, c.HasExitCode, c.Reason = ecs.ContainerStopped, 0, true, ""
	})
	out, err := env.ECS.DescribeTasks(ctx, &ecssdk.DescribeTasksInput{
		Cluster: aws.String("c"), Tasks: []string{aws.ToString(tasks[0].TaskArn), taskID(tasks[1].TaskArn), "ffffffffffffffffffffffffffffffff"},
		Include: []types.TaskField{types.TaskFieldTags},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Tasks) != 2 || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Arn) != taskARN+"c/ffffffffffffffffffffffffffffffff" ||
		aws.ToString(out.Failures[0].Reason) != "MISSING" {
		t.Fatalf("tasks %d failures %+v", len(out.Tasks), out.Failures)
	}
	running, stopped := out.Tasks[0], out.Tasks[1]
	c := running.Containers[0]
	if aws.ToString(running.LastStatus) != "RUNNING" || running.Connectivity != types.ConnectivityConnected || !aws.ToTime(running.StartedAt).Equal(started) ||
		running.HealthStatus != types.HealthStatusHealthy || aws.ToString(running.AvailabilityZone) != "us-east-1a" || running.Version != 2 ||
		aws.ToString(running.ContainerInstanceArn) != instanceARN+"c/0123456789abcdef0123456789abcdef" || len(running.Tags) != 1 {
		t.Fatalf("running task %+v", running)
	}
	wantBinding := types.NetworkBinding{BindIP: aws.String("127.0.0.1"), ContainerPort: aws.Int32(8080), HostPort: aws.Int32(41234), Protocol: types.TransportProtocolTcp}
	if aws.ToString(c.RuntimeId) != "pid-42" || c.ExitCode != nil || len(c.NetworkBindings) != 1 ||
		!cmp.Equal(wantBinding, c.NetworkBindings[0], cmp.AllowUnexported(types.NetworkBinding{})) {
		t.Fatalf("running container %+v", c)
	}
	if aws.ToString(stopped.LastStatus) != "STOPPED" || stopped.StopCode != types.TaskStopCodeEssentialContainerExited ||
		aws.ToString(stopped.StoppedReason) != "Essential container in task exited" || stopped.StoppedAt == nil ||
		stopped.Containers[0].ExitCode == nil || *stopped.Containers[0].ExitCode != 0 {
		t.Fatalf("stopped task %+v", stopped)
	}

	for _, bad := range [][]string{{}, make([]string, 101)} {
		if _, err := env.ECS.DescribeTasks(ctx, &ecssdk.DescribeTasksInput{Cluster: aws.String("c"), Tasks: bad}); errorCode(err) != "InvalidParameterException" {
			t.Fatalf("%d tasks: %v", len(bad), err)
		}
	}
}

func TestDescribeTasksWireShape(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	tasks := runTasks(t, env, &ecssdk.RunTaskInput{TaskDefinition: aws.String("web")})
	_, body := env.RawJSON(t, "ecs", "AmazonEC2ContainerServiceV20141113.DescribeTasks",
		[]byte(fmt.Sprintf(`{"cluster":"c","tasks":[%q]}`, aws.ToString(tasks[0].TaskArn))))
	var out struct {
		Tasks    []map[string]json.RawMessage `json:"tasks"`
		Failures json.RawMessage              `json:"failures"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	task := out.Tasks[0]
	for member, want := range map[string]string{"attachments": "[]", "version": "1", "enableExecuteCommand": "false", "lastStatus": `"PROVISIONING"`} {
		if got := string(task[member]); got != want {
			t.Errorf("%s = %s, want %s", member, got, want)
		}
	}
	for _, absent := range []string{"startedAt", "stoppedAt", "stopCode", "tags", "containerInstanceArn", "connectivity"} {
		if _, ok := task[absent]; ok {
			t.Errorf("%s sent for a task that has none", absent)
		}
	}
	var containers []map[string]json.RawMessage
	if err := json.Unmarshal(task["containers"], &containers); err != nil {
		t.Fatal(err)
	}
	if _, ok := containers[0]["exitCode"]; ok || string(containers[0]["networkBindings"]) != "[]" {
		t.Errorf("container %s", task["containers"])
	}
	if string(out.Failures) != "[]" {
		t.Errorf("failures = %s", out.Failures)
	}
}

func TestListTasks(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	createService(t, env, "svc", 0)
	run := runTasks(t, env, &ecssdk.RunTaskInput{TaskDefinition: aws.String("web"), Count: aws.Int32(3), StartedBy: aws.String("me")})
	putTask(t, env, "c", "00000000000000000000000000000001", "svc", "ecs-svc/1", ecs.TaskRunning, ecs.TaskRunning)
	if _, err := env.ECS.StopTask(ctx, &ecssdk.StopTaskInput{Cluster: aws.String("c"), Task: run[2].TaskArn}); err != nil {
		t.Fatal(err)
	}
	list := func(in ecssdk.ListTasksInput) []string {
		t.Helper()
		in.Cluster = aws.String("c")
		var arns []string
		pages := ecssdk.NewListTasksPaginator(env.ECS, &in)
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			arns = append(arns, page.TaskArns...)
		}
		return arns
	}
	svcTask := taskARN + "c/00000000000000000000000000000001"
	tests := []struct {
		name string
		in   ecssdk.ListTasksInput
		want int
	}{
		{"running", ecssdk.ListTasksInput{MaxResults: aws.Int32(1)}, 3},
		{"stopped", ecssdk.ListTasksInput{DesiredStatus: types.DesiredStatusStopped}, 1},
		{"pending", ecssdk.ListTasksInput{DesiredStatus: types.DesiredStatusPending}, 0},
		{"started by", ecssdk.ListTasksInput{StartedBy: aws.String("me")}, 2},
		{"service", ecssdk.ListTasksInput{ServiceName: aws.String("svc")}, 1},
		{"family", ecssdk.ListTasksInput{Family: aws.String("web")}, 3},
		{"other family", ecssdk.ListTasksInput{Family: aws.String("api")}, 0},
		{"launch type", ecssdk.ListTasksInput{LaunchType: types.LaunchTypeEc2}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := list(tc.in); len(got) != tc.want {
				t.Fatalf("ListTasks = %v, want %d tasks", got, tc.want)
			}
		})
	}
	if got := list(ecssdk.ListTasksInput{ServiceName: aws.String("svc")}); got[0] != svcTask {
		t.Fatalf("service task %v", got)
	}
	errs := []struct {
		in   ecssdk.ListTasksInput
		code string
	}{
		{ecssdk.ListTasksInput{StartedBy: aws.String("me"), Family: aws.String("web")}, "InvalidParameterException"},
		{ecssdk.ListTasksInput{ServiceName: aws.String("ghost")}, "ServiceNotFoundException"},
		{ecssdk.ListTasksInput{NextToken: aws.String("!!")}, "InvalidParameterException"},
	}
	for _, e := range errs {
		in := e.in
		in.Cluster = aws.String("c")
		if _, err := env.ECS.ListTasks(ctx, &in); errorCode(err) != e.code {
			t.Errorf("ListTasks(%+v) = %v, want %s", e.in, err, e.code)
		}
	}
}

func TestTaskWaiters(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	tasks := runTasks(t, env, &ecssdk.RunTaskInput{TaskDefinition: aws.String("web"), Count: aws.Int32(2)})
	arns := []string{aws.ToString(tasks[0].TaskArn), aws.ToString(tasks[1].TaskArn)}
	running := func(wait time.Duration, arns ...string) string {
		w := ecssdk.NewTasksRunningWaiter(env.ECS, fastWaiter(func(o *ecssdk.TasksRunningWaiterOptions, minDelay, maxDelay time.Duration) {
			o.MinDelay, o.MaxDelay = minDelay, maxDelay
		}))
		return waiterOutcome(w.Wait(ctx, &ecssdk.DescribeTasksInput{Cluster: aws.String("c"), Tasks: arns}, wait))
	}
	stopped := func(wait time.Duration, arns ...string) string {
		w := ecssdk.NewTasksStoppedWaiter(env.ECS, fastWaiter(func(o *ecssdk.TasksStoppedWaiterOptions, minDelay, maxDelay time.Duration) {
			o.MinDelay, o.MaxDelay = minDelay, maxDelay
		}))
		return waiterOutcome(w.Wait(ctx, &ecssdk.DescribeTasksInput{Cluster: aws.String("c"), Tasks: arns}, wait))
	}
	if got := running(keepsWaiting, arns...); got != waiterTimedOut {
		t.Fatalf("TasksRunning while PROVISIONING: %q", got)
	}
	observe(t, env, "c", taskID(&arns[0]), func(task *ecs.Task) { task.LastStatus = ecs.TaskRunning })
	if got := running(keepsWaiting, arns...); got != waiterTimedOut {
		t.Fatalf("TasksRunning with one of two running: %q", got)
	}
	observe(t, env, "c", taskID(&arns[1]), func(task *ecs.Task) { task.LastStatus = ecs.TaskRunning })
	if got := running(settles, arns...); got != "" {
		t.Fatalf("TasksRunning with both running: %q", got)
	}
	if got := running(settles, arns[0], taskARN+"c/ffffffffffffffffffffffffffffffff"); got != waiterFailed {
		t.Fatalf("TasksRunning with a MISSING task: %q", got)
	}
	if got := stopped(keepsWaiting, arns...); got != waiterTimedOut {
		t.Fatalf("TasksStopped while running: %q", got)
	}
	observe(t, env, "c", taskID(&arns[1]), func(task *ecs.Task) {
		*task = task.StoppedByUser("", time.Now())
		task.LastStatus = ecs.TaskStopped
	})
	if got := running(settles, arns...); got != waiterFailed {
		t.Fatalf("TasksRunning with a STOPPED task: %q", got)
	}
	observe(t, env, "c", taskID(&arns[0]), func(task *ecs.Task) { task.LastStatus = ecs.TaskStopped })
	if got := stopped(settles, arns...); got != "" {
		t.Fatalf("TasksStopped with both stopped: %q", got)
	}
}
