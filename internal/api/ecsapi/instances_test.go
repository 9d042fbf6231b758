package ecsapi_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/ecs"
)

const (
	inst1 = "11111111111111111111111111111111"
	inst2 = "22222222222222222222222222222222"
	inst3 = "33333333333333333333333333333333"
)

func resource(rs []types.Resource, name string) types.Resource {
	for _, r := range rs {
		if aws.ToString(r.Name) == name {
			return r
		}
	}
	return types.Resource{}
}

func TestContainerInstances(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	putInstance(t, env, "c", inst1, ecs.InstanceActive)
	putInstance(t, env, "c", inst2, ecs.InstanceDraining)
	putInstance(t, env, "c", inst3, ecs.InstanceInactive)
	tasks := runTasks(t, env, &ecssdk.RunTaskInput{TaskDefinition: aws.String("web"), Count: aws.Int32(2)})
	for i, task := range tasks {
		observe(t, env, "c", taskID(task.TaskArn), func(tk *ecs.Task) {
			tk.ContainerInstanceID, tk.ContainerInstanceARN = inst1, instanceARN+"c/"+inst1
			if i == 0 {
				tk.LastStatus = ecs.TaskRunning
				tk.Containers[0].NetworkBindings = []ecs.NetworkBinding{{ContainerPort: 8080, HostPort: 40000, Protocol: ecs.TransportProtocolTCP}}
			}
		})
	}

	list := func(in ecssdk.ListContainerInstancesInput) []string {
		t.Helper()
		in.Cluster = aws.String("c")
		out, err := env.ECS.ListContainerInstances(ctx, &in)
		if err != nil {
			t.Fatal(err)
		}
		return out.ContainerInstanceArns
	}
	if diff := cmp.Diff([]string{instanceARN + "c/" + inst1, instanceARN + "c/" + inst2}, list(ecssdk.ListContainerInstancesInput{})); diff != "" {
		t.Errorf("ListContainerInstances (-want +got):\n%s", diff)
	}
	if got := list(ecssdk.ListContainerInstancesInput{Status: types.ContainerInstanceStatusDraining}); len(got) != 1 {
		t.Errorf("DRAINING: %v", got)
	}
	if got := list(ecssdk.ListContainerInstancesInput{Filter: aws.String("attribute:ecs.os-type == linux and task:group == family:web")}); len(got) != 1 || got[0] != instanceARN+"c/"+inst1 {
		t.Errorf("filter by attribute and task group: %v", got)
	}
	if got := list(ecssdk.ListContainerInstancesInput{Filter: aws.String("runningTasksCount > 0"), Status: types.ContainerInstanceStatusDraining}); len(got) != 0 {
		t.Errorf("filter and status: %v", got)
	}
	_, err := env.ECS.ListContainerInstances(ctx, &ecssdk.ListContainerInstancesInput{Cluster: aws.String("c"), Filter: aws.String("attribute:ecs.os-type = linux")})
	if errorCode(err) != "InvalidParameterException" || !strings.Contains(err.Error(), "Invalid filter expression 'attribute:ecs.os-type = linux': expected an operator after attribute:ecs.os-type.") {
		t.Errorf("bad filter: %v", err)
	}

	out, err := env.ECS.DescribeContainerInstances(ctx, &ecssdk.DescribeContainerInstancesInput{
		Cluster: aws.String("c"), ContainerInstances: []string{inst1, instanceARN + "c/" + inst2, "ffffffffffffffffffffffffffffffff"},
		Include: []types.ContainerInstanceField{types.ContainerInstanceFieldTags, types.ContainerInstanceFieldContainerInstanceHealth},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.ContainerInstances) != 2 || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Arn) != instanceARN+"c/ffffffffffffffffffffffffffffffff" {
		t.Fatalf("instances %d failures %+v", len(out.ContainerInstances), out.Failures)
	}
	ci := out.ContainerInstances[0]
	if aws.ToString(ci.Status) != "ACTIVE" || !ci.AgentConnected || ci.RunningTasksCount != 1 || ci.PendingTasksCount != 1 ||
		aws.ToString(ci.VersionInfo.AgentVersion) != "fargo-dev" || ci.Version != 3 || len(ci.Attributes) != 1 ||
		ci.HealthStatus == nil || ci.HealthStatus.OverallStatus != types.InstanceHealthCheckStateOk {
		t.Fatalf("instance %+v", ci)
	}
	if cpu := resource(ci.RegisteredResources, "CPU"); cpu.IntegerValue != 4096 || aws.ToString(cpu.Type) != "INTEGER" {
		t.Errorf("registered CPU %+v", cpu)
	}
	if mem := resource(ci.RemainingResources, "MEMORY"); mem.IntegerValue != 8192-2*512 {
		t.Errorf("remaining memory %+v", mem)
	}
	if ports := resource(ci.RemainingResources, "PORTS"); len(ports.StringSetValue) != 1 || ports.StringSetValue[0] != "40000" {
		t.Errorf("ports in use %+v", ports)
	}
	if _, err := env.ECS.DescribeContainerInstances(ctx, &ecssdk.DescribeContainerInstancesInput{Cluster: aws.String("c"), ContainerInstances: []string{}}); errorCode(err) != "InvalidParameterException" {
		t.Errorf("no instances: %v", err)
	}
}

func TestClusterCountsAndDeleteWithTasks(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	putInstance(t, env, "c", inst1, ecs.InstanceActive)
	putInstance(t, env, "c", inst3, ecs.InstanceInactive)
	tasks := runTasks(t, env, &ecssdk.RunTaskInput{TaskDefinition: aws.String("web"), Count: aws.Int32(3)})
	observe(t, env, "c", taskID(tasks[0].TaskArn), func(tk *ecs.Task) { tk.LastStatus = ecs.TaskRunning })
	observe(t, env, "c", taskID(tasks[1].TaskArn), func(tk *ecs.Task) { tk.LastStatus = ecs.TaskPending })
	out, err := env.ECS.DescribeClusters(ctx, &ecssdk.DescribeClustersInput{Clusters: []string{"c"}})
	if err != nil {
		t.Fatal(err)
	}
	c := out.Clusters[0]
	if c.RunningTasksCount != 1 || c.PendingTasksCount != 2 || c.RegisteredContainerInstancesCount != 1 {
		t.Fatalf("counts: running %d pending %d instances %d", c.RunningTasksCount, c.PendingTasksCount, c.RegisteredContainerInstancesCount)
	}
	for _, task := range tasks {
		if _, err := env.ECS.StopTask(ctx, &ecssdk.StopTaskInput{Cluster: aws.String("c"), Task: task.TaskArn}); err != nil {
			t.Fatal(err)
		}
	}
	// Stopping is not stopped: the cluster still holds tasks.
	if _, err := env.ECS.DeleteCluster(ctx, &ecssdk.DeleteClusterInput{Cluster: aws.String("c")}); errorCode(err) != "ClusterContainsTasksException" {
		t.Fatalf("delete with stopping tasks: %v", err)
	}
	for _, task := range tasks {
		observe(t, env, "c", taskID(task.TaskArn), func(tk *ecs.Task) { tk.LastStatus = ecs.TaskStopped })
	}
	// The node's own container instance does not keep the cluster alive.
	if _, err := env.ECS.DeleteCluster(ctx, &ecssdk.DeleteClusterInput{Cluster: aws.String("c")}); err != nil {
		t.Fatalf("delete with only stopped tasks and an instance: %v", err)
	}
}

func TestServiceAndTaskTags(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	createService(t, env, "web", 0)
	task := runTasks(t, env, &ecssdk.RunTaskInput{TaskDefinition: aws.String("web")})[0]
	for _, arn := range []string{serviceARN + "c/web", aws.ToString(task.TaskArn)} {
		if _, err := env.ECS.TagResource(ctx, &ecssdk.TagResourceInput{ResourceArn: aws.String(arn), Tags: []types.Tag{
			{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b"), Value: aws.String("2")},
		}}); err != nil {
			t.Fatalf("tag %s: %v", arn, err)
		}
		if _, err := env.ECS.UntagResource(ctx, &ecssdk.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"a"}}); err != nil {
			t.Fatalf("untag %s: %v", arn, err)
		}
		out, err := env.ECS.ListTagsForResource(ctx, &ecssdk.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
		if err != nil || len(out.Tags) != 1 || aws.ToString(out.Tags[0].Key) != "b" {
			t.Fatalf("tags of %s: %+v, %v", arn, out, err)
		}
	}
	if got := describeServiceTags(t, env, "web"); len(got) != 1 {
		t.Fatalf("DescribeServices tags %+v", got)
	}
	for arn, code := range map[string]string{
		serviceARN + "c/ghost":                         "ResourceNotFoundException",
		taskARN + "c/ffffffffffffffffffffffffffffffff": "ResourceNotFoundException",
		serviceARN + "web":                             "InvalidParameterException",
	} {
		if _, err := env.ECS.ListTagsForResource(ctx, &ecssdk.ListTagsForResourceInput{ResourceArn: aws.String(arn)}); errorCode(err) != code {
			t.Errorf("ListTagsForResource(%s) = %v, want %s", arn, err, code)
		}
	}
}

func describeServiceTags(t *testing.T, env *apitest.Env, name string) []types.Tag {
	t.Helper()
	out, err := env.ECS.DescribeServices(apitest.Context(t), &ecssdk.DescribeServicesInput{
		Cluster: aws.String("c"), Services: []string{name}, Include: []types.ServiceField{types.ServiceFieldTags},
	})
	if err != nil {
		t.Fatal(err)
	}
	return out.Services[0].Tags
}
